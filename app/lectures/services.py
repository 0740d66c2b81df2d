"""Lectures: the catalogue, and what a lecturer does with their own."""

from sqlalchemy import ColumnElement, Row, Select, bindparam, exists, false, func, or_, select

from app.errors import ApiError
from app.extensions import db, reading
from app.models import (
    ADMIN,
    CatalogueTotal,
    City,
    Lecture,
    LecturerProfile,
    Order,
    User,
)
from app.models.lecture import money_of_cents

NOT_FOUND = "No lecture with this id."
ORDERINGS = {
    "-created_at": (Lecture.created_at.desc(), Lecture.id.desc()),
    "created_at": (Lecture.created_at.asc(), Lecture.id.asc()),
    "title": (Lecture.title.asc(), Lecture.id.asc()),
    # Unrated lectures last, written so that both databases can use ix_lectures_rating_order.
    "-rating": (Lecture.avg_rating.is_(None), Lecture.avg_rating.desc(), Lecture.id.desc()),
    "rating": (Lecture.avg_rating.is_(None), Lecture.avg_rating.asc(), Lecture.id.asc()),
}


# The catalogue is read as plain rows, which cost a fraction of ORM objects: its lists and
# its lectures by id are the API's busiest reads.
LECTURE_ROWS = select(
    Lecture.id,
    Lecture.title,
    Lecture.description,
    Lecture.duration_minutes,
    Lecture.price_cents,
    Lecture.avg_rating,
    Lecture.reviews_count,
    Lecture.archived,
    Lecture.created_at,
    Lecture.updated_at,
    LecturerProfile.id.label("lecturer_id"),
    LecturerProfile.first_name,
    LecturerProfile.last_name,
).join(Lecture.lecturer)


CATALOGUE_TOTAL = select(CatalogueTotal.lectures_on_offer)
CITY_TOTAL = select(
    func.coalesce(
        select(City.lectures_on_offer).where(City.id == bindparam("city_id")).scalar_subquery(),
        0,
    )
)


def create_lecture(lecturer: LecturerProfile, **fields) -> Lecture:
    lecture = Lecture(lecturer_id=lecturer.id, **fields)
    db.session.add(lecture)
    db.session.flush()
    return lecture


def catalogue(
    *,
    sort: str,
    lecturer_id: int | None = None,
    city_id: int | None = None,
    q: str | None = None,
    min_rating: float | None = None,
) -> tuple[Select, Select]:
    """The lectures on offer (archived ones left out), filtered: as LECTURE_ROWS, sorted, and
    the count of them all. Unfiltered or filtered by city alone, that is a kept total
    (CatalogueTotal, City.lectures_on_offer); else a count of the lectures alone (no join to
    their lecturers)."""
    filters = []
    if lecturer_id is not None:
        filters.append(Lecture.lecturer_id == lecturer_id)
    if city_id is not None:
        filters.append(Lecture.city_id == city_id)
    if q:
        filters.append(text_search(q))
    if min_rating is not None:
        filters.append(Lecture.avg_rating >= min_rating)
    # `archived = false`, which an index can use; `IS false` cannot.
    conditions = [Lecture.archived == false(), *filters]
    rows = LECTURE_ROWS.where(*conditions).order_by(*ORDERINGS[sort])
    if not filters:
        return rows, CATALOGUE_TOTAL
    if city_id is not None and len(filters) == 1:
        return rows, CITY_TOTAL.params(city_id=city_id)
    return rows, select(func.count()).select_from(Lecture).where(*conditions)


def lecture_out(row: Row) -> dict:
    """A row of LECTURE_ROWS as LectureOut reads it."""
    lecture = row._asdict()
    lecture["price"] = money_of_cents(lecture.pop("price_cents"))
    lecture["lecturer"] = {
        "id": lecture.pop("lecturer_id"),
        "first_name": lecture.pop("first_name"),
        "last_name": lecture.pop("last_name"),
    }
    return lecture


def text_search(q: str) -> ColumnElement[bool]:
    """Lectures with q in the title or the description, in any case.

    On PostgreSQL the trigram indexes on lower(title) and lower(description) serve it.
    """
    needle = q.lower()
    return or_(
        func.lower(Lecture.title).contains(needle, autoescape=True),
        func.lower(Lecture.description).contains(needle, autoescape=True),
    )


# Built once: the hottest read of the catalogue skips building its statement per request.
LECTURE_ROW_BY_ID = LECTURE_ROWS.where(Lecture.id == bindparam("id"))


def show_lecture(lecture_id: int) -> dict:
    """A lecture as LectureOut reads it, archived or not."""
    with reading() as connection:
        row = connection.execute(LECTURE_ROW_BY_ID, {"id": lecture_id}).first()
    if row is None:
        raise ApiError.not_found(NOT_FOUND)
    return lecture_out(row)


def get_lecture(lecture_id: int) -> Lecture:
    """A lecture to change."""
    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None:
        raise ApiError.not_found(NOT_FOUND)
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
