"""Statistics, read from the rating totals and from indexed counts, never by loading rows."""

from sqlalchemy import Row, bindparam, func, select

from app.database import reads
from app.errors import ApiError
from app.models import CustomerProfile, Lecture, LecturerProfile, Order, OrderStatus
from app.models.order import FINISHED

# Built once per kind of profile, as every GET /orders_finished/<id> runs one.
FINISHED_ORDERS_OF = {
    kind: select(model.finished_orders.label("finished")).where(model.id == bindparam("profile_id"))
    for kind, model in {"lecturer": LecturerProfile, "customer": CustomerProfile}.items()
}
FINISHED_ORDERS = (
    select(func.count(Order.id).label("finished"))
    .join(OrderStatus, Order.status_id == OrderStatus.id)
    .where(OrderStatus.code == FINISHED)
)


# Ratings are read as rows, with statements built once: every rating read runs one.
LECTURE_RATING = select(
    Lecture.lecturer_id,
    Lecture.id.label("lecture_id"),
    Lecture.avg_rating,
    Lecture.reviews_count,
).where(Lecture.id == bindparam("lecture_id"))
LECTURER_RATING = select(
    LecturerProfile.id.label("lecturer_id"),
    LecturerProfile.avg_rating,
    LecturerProfile.reviews_count,
).where(LecturerProfile.id == bindparam("lecturer_id"))


def lecture_rating(lecturer_id: int, lecture_id: int) -> Row:
    """The lecture's rating, as LectureRatingOut dumps it."""
    row = reads().execute(LECTURE_RATING, {"lecture_id": lecture_id}).first()
    if row is None or row.lecturer_id != lecturer_id:
        raise ApiError.not_found("No lecture with this id by this lecturer.")
    return row


def lecturer_rating(lecturer_id: int) -> Row:
    """The lecturer's rating, as LecturerRatingOut dumps it."""
    row = reads().execute(LECTURER_RATING, {"lecturer_id": lecturer_id}).first()
    if row is None:
        raise ApiError.not_found("No lecturer profile with this id.")
    return row


def finished_orders_of(kind: str, profile_id: int) -> int:
    row = reads().execute(FINISHED_ORDERS_OF[kind], {"profile_id": profile_id}).first()
    if row is None:
        raise ApiError.not_found(f"No {kind} profile with this id.")
    return row.finished


def finished_orders() -> int:
    return reads().scalar(FINISHED_ORDERS)
