"""Statistics, read from the rating totals and from indexed counts, never by loading rows."""

from sqlalchemy import bindparam, func, select

from app.errors import ApiError
from app.extensions import db
from app.models import CustomerProfile, Lecture, LecturerProfile, Order, OrderStatus
from app.models.order import FINISHED

# Built once per kind of profile, as every GET /orders_finished/<id> runs one.
FINISHED_ORDERS_OF = {
    kind: select(model.finished_orders).where(model.id == bindparam("profile_id"))
    for kind, model in {"lecturer": LecturerProfile, "customer": CustomerProfile}.items()
}


def lecture_rating(lecturer_id: int, lecture_id: int) -> Lecture:
    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None or lecture.lecturer_id != lecturer_id:
        raise ApiError.not_found("No lecture with this id by this lecturer.")
    return lecture


def lecturer_rating(lecturer_id: int) -> LecturerProfile:
    profile = db.session.get(LecturerProfile, lecturer_id)
    if profile is None:
        raise ApiError.not_found("No lecturer profile with this id.")
    return profile


def finished_orders_of(kind: str, profile_id: int) -> int:
    count = db.session.scalar(FINISHED_ORDERS_OF[kind], {"profile_id": profile_id})
    if count is None:
        raise ApiError.not_found(f"No {kind} profile with this id.")
    return count


def finished_orders() -> int:
    return db.session.scalar(
        select(func.count(Order.id))
        .join(OrderStatus, Order.status_id == OrderStatus.id)
        .where(OrderStatus.code == FINISHED)
    )
