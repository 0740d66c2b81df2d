"""HTTP endpoints of the lecture catalogue."""

from flask_login import current_user

from app.common.auth import lecturer_profile_of
from app.common.blueprint import ApiBlueprint
from app.common.body import Body
from app.common.pagination import page_of
from app.extensions import db
from app.lectures import services
from app.lectures.schemas import LectureArgs, LectureIn, LectureOut, LectureUpdate
from app.models import ADMIN, LECTURER

blp = ApiBlueprint("lectures", __name__, description="Lectures on offer.")


@blp.route("/create_lectures", methods=["POST"])
@blp.auth(LECTURER)
@blp.body(LectureIn)
@blp.response(201, LectureOut)
def create_lecture(body: Body):
    """Publish a lecture (a lecturer with a profile)."""
    profile = lecturer_profile_of(current_user)
    lecture_id = services.create_lecture(profile, **body.load()).id
    db.session.commit()
    return services.show_lecture(lecture_id)


@blp.route("/lectures", methods=["GET"])
@blp.query(LectureArgs)
@blp.response(200, page_of(LectureOut))
def list_lectures(args: dict):
    """List the lectures on offer, filtered and sorted."""
    return services.catalogue_page(**args)


@blp.route("/lecture/<id:lecture_id>", methods=["GET"])
@blp.response(200, LectureOut)
@blp.errors(404)
def show_lecture(lecture_id: int):
    """Return a lecture, archived or not."""
    return services.show_lecture(lecture_id)


@blp.route("/lecture/<id:lecture_id>", methods=["PUT"])
@blp.auth(LECTURER, ADMIN)
@blp.body(LectureUpdate)
@blp.response(200, LectureOut)
@blp.errors(403, 404, 409)
def update_lecture(body: Body, lecture_id: int):
    """Change some fields of a lecture (its lecturer or an admin); archived ones: 409."""
    lecture = services.get_lecture(lecture_id)
    services.ensure_may_change(current_user, lecture)
    services.update_lecture(lecture, **body.load())
    db.session.commit()
    return services.show_lecture(lecture_id)


@blp.route("/lecture/<id:lecture_id>", methods=["DELETE"])
@blp.auth(LECTURER, ADMIN)
@blp.response(204)
@blp.errors(403, 404)
def delete_lecture(lecture_id: int):
    """Delete a lecture, or archive it if it has orders (its lecturer or an admin)."""
    lecture = services.get_lecture(lecture_id)
    services.ensure_may_change(current_user, lecture)
    services.delete_lecture(lecture)
    db.session.commit()
