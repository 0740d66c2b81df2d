"""Lectures: the catalogue, and what a lecturer does with their own."""

from sqlalchemy import Select, bindparam, exists, false, func, or_, select
from sqlalchemy.orm import joinedload

from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN, Lecture, LecturerContactInfo, LecturerProfile, Order, User

ORDERINGS = {
    "-created_at": (Lecture.created_at.desc(), Lecture.id.desc()),
    "created_at": (Lecture.created_at.asc(), Lecture.id.asc()),
    "title": (Lecture.title.asc(), Lecture.id.asc()),
    # Unrated lectures last, written so that both databases can use ix_lectures_rating_order.
    "-rating": (Lecture.avg_rating.is_(None), Lecture.avg_rating.desc(), Lecture.id.desc()),
    "rating": (Lecture.avg_rating.is_(None), Lecture.avg_rating.asc(), Lecture.id.asc()),
}


def create_lecture(lecturer: LecturerProfile, **fields) -> Lecture:
    lecture = Lecture(lecturer_id=lecturer.id, **fields)
    db.session.add(lecture)
    db.session.flush()
    return lecture


def catalogue_query(
    *,
    sort: str,
    lecturer_id: int | None = None,
    city_id: int | None = None,
    q: str | None = None,
    min_rating: float | None = None,
) -> Select:
    """The lectures on offer (archived ones left out), filtered and sorted."""
    query = (
        select(Lecture)
        .where(Lecture.archived == false())  # `= false`, which an index can use; `IS` cannot
        .options(joinedload(Lecture.lecturer))
        .order_by(*ORDERINGS[sort])
    )
    if lecturer_id is not None:
        query = query.where(Lecture.lecturer_id == lecturer_id)
    if city_id is not None:
        query = query.where(
            Lecture.lecturer_id.in_(
                select(LecturerContactInfo.profile_id).where(LecturerContactInfo.city_id == city_id)
            )
        )
    if q:
        needle = q.lower()
        query = query.where(
            or_(
                func.lower(Lecture.title).contains(needle, autoescape=True),
                func.lower(Lecture.description).contains(needle, autoescape=True),
            )
        )
    if min_rating is not None:
        query = query.where(Lecture.avg_rating >= min_rating)
    return query


# Built once: the hottest read of the catalogue skips building its statement per request.
LECTURE_BY_ID = (
    select(Lecture).where(Lecture.id == bindparam("id")).options(joinedload(Lecture.lecturer))
)


def get_lecture(lecture_id: int) -> Lecture:
    lecture = db.session.scalars(LECTURE_BY_ID, {"id": lecture_id}).first()
    if lecture is None:
        raise ApiError.not_found("No lecture with this id.")
    return lecture


def ensure_may_change(user: User, lecture: Lecture) -> None:
    own = user.lecturer_profile is not None and user.lecturer_profile.id == lecture.lecturer_id
    if not own and user.role != ADMIN:
        raise ApiError.forbidden("Only the lecture's lecturer or an admin may change it.")


def update_lecture(lecture: Lecture, **fields) -> None:
    if lecture.archived:
        raise ApiError.conflict("The lecture is archived; it can no longer be changed.")
    for name, value in fields.items():
        setattr(lecture, name, value)
    db.session.flush()


def delete_lecture(lecture: Lecture) -> None:
    """Delete a lecture, or archive it if it has orders (they keep pointing at it)."""
    if db.session.scalar(select(exists().where(Order.lecture_id == lecture.id))):
        lecture.archived = True
    else:
        db.session.delete(lecture)
    db.session.flush()
