"""Lectures: the catalogue, and what a lecturer does with their own."""

import functools

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    String,
    bindparam,
    exists,
    false,
    func,
    or_,
    select,
)

from app.common.pagination import paged
from app.errors import ApiError
from app.extensions import db, read_first
from app.models import (
    ADMIN,
    CatalogueTotal,
    City,
    Lecture,
    LecturerProfile,
    Order,
    User,
)

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


# The catalogue's filters, each bound at execution to the value of its name.
FILTERS: dict[str, ColumnElement[bool]] = {
    "lecturer_id": Lecture.lecturer_id == bindparam("lecturer_id"),
    "city_id": Lecture.city_id == bindparam("city_id"),
    # On PostgreSQL the trigram indexes on lower(title) and lower(description) serve it.
    "q": or_(
        func.lower(Lecture.title).like(bindparam("q", type_=String), escape="/"),
        func.lower(Lecture.description).like(bindparam("q", type_=String), escape="/"),
    ),
    "min_rating": Lecture.avg_rating >= bindparam("min_rating"),
}
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


def catalogue(*, sort: str, **filters: float | str | None) -> tuple[Select, Select, dict]:
    """The lectures on offer (archived ones left out) that pass the filters given (not None),
    sorted: a page statement of LECTURE_ROWS (see paged()), a count of them all, and the
    values of their bound parameters."""
    params = {name: value for name, value in filters.items() if value is not None}
    if "q" in params:
        params["q"] = contains_pattern(str(params["q"]))
    rows, count = catalogue_statements(sort, frozenset(params))
    return rows, count, params


@functools.cache
def catalogue_statements(sort: str, filters: frozenset[str]) -> tuple[Select, Select]:
    """Built once for each sort and set of filters: building them per request cost more than
    running them. Unfiltered or filtered by city alone, the count is a kept total
    (CatalogueTotal, City.lectures_on_offer); else a count of the lectures alone (no join to
    their lecturers)."""
    # `archived = false`, which an index can use; `IS false` cannot.
    conditions = [Lecture.archived == false(), *(FILTERS[name] for name in sorted(filters))]
    if not filters:
        count = CATALOGUE_TOTAL
    elif filters == {"city_id"}:
        count = CITY_TOTAL
    else:
        count = select(func.count()).select_from(Lecture).where(*conditions)
    return paged(LECTURE_ROWS.where(*conditions).order_by(*ORDERINGS[sort]), count), count


def lecture_out(row: Row) -> dict:
    """A row of LECTURE_ROWS as LectureOut reads it."""
    lecture = row._mapping
    cents = lecture["price_cents"]
    return {
        "id": lecture["id"],
        "title": lecture["title"],
        "description": lecture["description"],
        "duration_minutes": lecture["duration_minutes"],
        # The float nearest the exact amount, as float(money_of_cents(cents)) is.
        "price": None if cents is None else cents / 100,
        "avg_rating": lecture["avg_rating"],
        "reviews_count": lecture["reviews_count"],
        "archived": lecture["archived"],
        "created_at": lecture["created_at"],
        "updated_at": lecture["updated_at"],
        "lecturer": {
            "id": lecture["lecturer_id"],
            "first_name": lecture["first_name"],
            "last_name": lecture["last_name"],
        },
    }


def contains_pattern(q: str) -> str:
    """A LIKE pattern (ESCAPE '/') for q anywhere, in any case, its %, _ and / taken as they are."""
    escaped = q.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


# Built once: the hottest read of the catalogue skips building its statement per request.
LECTURE_ROW_BY_ID = LECTURE_ROWS.where(Lecture.id == bindparam("id"))


def show_lecture(lecture_id: int) -> dict:
    """A lecture as LectureOut reads it, archived or not."""
    row = read_first(LECTURE_ROW_BY_ID, {"id": lecture_id})
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
    if user.lecturer_profile_id != lecture.lecturer_id and user.role != ADMIN:
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
