"""HTTP endpoints of ratings and order statistics (public)."""

from app.common.blueprint import ApiBlueprint
from app.stats import services
from app.stats.schemas import (
    PROFILE_TYPES,
    FinishedArgs,
    FinishedOut,
    LectureRatingOut,
    LecturerRatingOut,
    ProfileFinishedOut,
)

blp = ApiBlueprint("stats", __name__, description="Ratings and order statistics.")


@blp.route("/get_avg_rating/<id:lecturer_id>/<id:lecture_id>", methods=["GET"])
@blp.response(200, LectureRatingOut)
@blp.errors(404)
def show_lecture_rating(lecturer_id: int, lecture_id: int):
    """Return a lecture's average grade and review count."""
    return services.lecture_rating(lecturer_id, lecture_id)


@blp.route("/get_avg_rating/<id:lecturer_id>", methods=["GET"])
@blp.response(200, LecturerRatingOut)
@blp.errors(404)
def show_lecturer_rating(lecturer_id: int):
    """Return a lecturer's average grade over every review of their lectures."""
    return services.lecturer_rating(lecturer_id)


@blp.route("/orders_finished/<id:profile_id>", methods=["GET"])
@blp.query(FinishedArgs)
@blp.response(200, ProfileFinishedOut)
@blp.errors(404)
def count_profile_finished_orders(args: dict, profile_id: int):
    """Count a lecturer's or a customer's finished orders (`type` says which)."""
    kind = PROFILE_TYPES[args["type"]]
    finished = services.finished_orders_of(kind, profile_id)
    return {"profile_id": profile_id, "type": kind, "finished": finished}


@blp.route("/orders_finished", methods=["GET"])
@blp.response(200, FinishedOut)
def count_finished_orders():
    """Count the finished orders of the whole system."""
    return {"finished": services.finished_orders()}
