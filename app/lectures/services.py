"""Lectures: the catalogue, and what a lecturer does with their own."""

import functools

from sqlalchemy import (
    BindParameter,
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
from sqlalchemy.orm import Bundle

from app.common.pagination import paged, read_page
from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN, Caller, Lecture, LecturerContactInfo, LecturerProfile, Order

NOT_FOUND = "No lecture with this id."
ORDERINGS = {
    "-created_at": (Lecture.created_at.desc(), Lecture.id.desc()),
    "created_at": (Lecture.created_at.asc(), Lecture.id.asc()),
    "title": (Lecture.title.asc(), Lecture.id.asc()),
    # Unrated lectures last, written so that both databases can use ix_lectures_rating_order.
    "-rating": (Lecture.avg_rating.is_(None), Lecture.avg_rating.desc(), Lecture.id.desc()),
    "rating": (Lecture.avg_rating.is_(None), Lecture.avg_rating.asc(), Lecture.id.asc()),
}

# A lecture as LectureOut dumps it, with its lecturer nested: the catalogue's pages and its
# lectures by id, the API's busiest reads, are rows of it.
LECTURE_ROWS = select(
    Lecture.id,
    Lecture.title,
    Lecture.description,
    Lecture.duration_minutes,
    Lecture.price_cents,
    Bundle("lecturer", LecturerProfile.id, LecturerProfile.first_name, LecturerProfile.last_name),
    Lecture.avg_rating,
    Lecture.reviews_count,
    Lecture.archived,
    Lecture.created_at,
    Lecture.updated_at,
).join(Lecture.lecturer)
LECTURE_BY_ID = LECTURE_ROWS.where(Lecture.id == bindparam("lecture_id"))


def search_pattern() -> BindParameter:
    """The search's LIKE pattern (see contains_pattern()), written into the statement's text
    at execution, escaped as SQLAlchemy writes a string literal for the database.

    As a parameter of a prepared statement, PostgreSQL comes to plan the search once for any
    pattern, and a plan that suits a common word reads the whole catalogue for a rare one.
    Written in, each pattern's page is planned for that pattern.
    """
    return bindparam("q", type_=String, literal_execute=True)


def holds_search(column: ColumnElement[str]) -> ColumnElement[bool]:
    """The column's text, in lower case, holds the search's pattern. PostgreSQL finds it on
    the column's trigram index of lower(); SQLite's lower() is the app's (app/database.py),
    which folds every letter, as PostgreSQL's does."""
    return func.lower(column).like(search_pattern(), escape="/")


# The catalogue's filters, each bound at execution to the value of its name. A lecture's city
# is its lecturer's: the contact info's index on city_id gives the lecturers of the city, and
# ix_lectures_lecturer_id_archived their lectures on offer.
FILTERS: dict[str, ColumnElement[bool]] = {
    "lecturer_id": Lecture.lecturer_id == bindparam("lecturer_id"),
    "city_id": Lecture.lecturer_id.in_(
        select(LecturerContactInfo.profile_id).where(
            LecturerContactInfo.city_id == bindparam("city_id")
        )
    ),
    "q": or_(holds_search(Lecture.title), holds_search(Lecture.description)),
    "min_rating": Lecture.avg_rating >= bindparam("min_rating"),
}


def create_lecture(lecturer: LecturerProfile, **fields) -> Lecture:
    lecture = Lecture(lecturer_id=lecturer.id, **fields)
    db.session.add(lecture)
    db.session.flush()
    return lecture


def catalogue(*, sort: str, **filters: float | str) -> tuple[Select, Select, dict]:
    """The lectures on offer (archived ones left out) that pass the filters given, sorted:
    a page statement of LECTURE_ROWS (see paged()), the count of them all, and the values of
    their bound parameters."""
    params = dict(filters)
    if "q" in params:
        params["q"] = contains_pattern(params["q"])
    rows, count = catalogue_statements(sort, frozenset(params))
    return rows, count, params


def catalogue_page(*, page: int, per_page: int, sort: str, **filters: float | str) -> dict:
    """A page of the catalogue (see catalogue()) and its total, in one statement."""
    rows, count, params = catalogue(sort=sort, **filters)
    return read_page(rows, count, page=page, per_page=per_page, params=params)


@functools.cache
def catalogue_statements(sort: str, filters: frozenset[str]) -> tuple[Select, Select]:
    """Built once for each sort and set of filters: a page of the catalogue, and the count
    of the lectures alone (no join to their lecturers) on the same conditions."""
    conditions = on_offer(filters)
    count = select(func.count()).select_from(Lecture).where(*conditions)
    return paged(LECTURE_ROWS.where(*conditions).order_by(*ORDERINGS[sort]), count), count


def on_offer(filters: frozenset[str]) -> list[ColumnElement[bool]]:
    """The conditions of the lectures on offer that pass the filters named."""
    # `archived = false`, which an index can use; `IS false` cannot.
    return [Lecture.archived == false(), *(FILTERS[name] for name in sorted(filters))]


def contains_pattern(q: str) -> str:
    """A LIKE pattern (ESCAPE '/') for q anywhere, in any case, its %, _ and / taken as they are."""
    escaped = q.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def show_lecture(lecture_id: int) -> Row:
    """A lecture as LectureOut dumps it, archived or not."""
    row = db.session.execute(LECTURE_BY_ID, {"lecture_id": lecture_id}).first()
    if row is None:
        raise ApiError.not_found(NOT_FOUND)
    return row


def get_lecture(lecture_id: int) -> Lecture:
    """A lecture to change."""
    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None:
        raise ApiError.not_found(NOT_FOUND)
    return lecture


def ensure_may_change(user: Caller, lecture: Lecture) -> None:
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
