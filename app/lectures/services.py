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

from app.common.fields import least_average_shown_as
from app.common.pagination import count_of, paged, read_page
from app.database import reads
from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN, Caller, Lecture, LecturerContactInfo, LecturerProfile, Order

NOT_FOUND = "No lecture with this id."

# The catalogue's statements are built on the tables, not the mapped classes: a statement of
# mapped attributes goes through the ORM's execution in the session, which for a short read
# costs as much again as the read, and these are the API's busiest reads.
lectures = Lecture.__table__.c
lecturers = LecturerProfile.__table__.c
contacts = LecturerContactInfo.__table__.c
ORDERINGS = {
    "-created_at": (lectures.created_at.desc(), lectures.id.desc()),
    "created_at": (lectures.created_at.asc(), lectures.id.asc()),
    "title": (lectures.title.asc(), lectures.id.asc()),
    # Unrated lectures last, written so that both databases can use ix_lectures_rating_order.
    "-rating": (lectures.avg_rating.is_(None), lectures.avg_rating.desc(), lectures.id.desc()),
    "rating": (lectures.avg_rating.is_(None), lectures.avg_rating.asc(), lectures.id.asc()),
}

# A lecture as LectureOut dumps it, its lecturer's columns named as LecturerRefOut reads them.
LECTURE_ROWS = select(
    lectures.id,
    lectures.title,
    lectures.description,
    lectures.duration_minutes,
    lectures.price_cents,
    lecturers.id.label("lecturer_id"),
    lecturers.first_name.label("lecturer_first_name"),
    lecturers.last_name.label("lecturer_last_name"),
    lectures.avg_rating,
    lectures.reviews_count,
    lectures.archived,
    lectures.created_at,
    lectures.updated_at,
).join_from(Lecture.__table__, LecturerProfile.__table__)
LECTURE_BY_ID = LECTURE_ROWS.where(lectures.id == bindparam("lecture_id"))


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
# is its lecturer's, asked of each lecture as it is read: a page in date order reads its
# index and stops at 20 lectures of the city, rather than sort all of the city's lectures.
FILTERS: dict[str, ColumnElement[bool]] = {
    "lecturer_id": lectures.lecturer_id == bindparam("lecturer_id"),
    "city_id": exists().where(
        contacts.profile_id == lectures.lecturer_id, contacts.city_id == bindparam("city_id")
    ),
    "q": or_(holds_search(lectures.title), holds_search(lectures.description)),
    "min_rating": lectures.avg_rating >= bindparam("min_rating"),
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
    if "min_rating" in params:
        params["min_rating"] = least_average_shown_as(params["min_rating"])
    rows, count = catalogue_statements(sort, frozenset(params))
    return rows, count, params


def catalogue_page(*, page: int, per_page: int, sort: str, **filters: float | str) -> dict:
    """A page of the catalogue (see catalogue()) and its total, in one statement."""
    rows, count, params = catalogue(sort=sort, **filters)
    return read_page(rows, count, page=page, per_page=per_page, params=params, connection=reads())


@functools.cache
def catalogue_statements(sort: str, filters: frozenset[str]) -> tuple[Select, Select]:
    """Built once for each sort and set of filters: a page of the catalogue, and the count
    of the lectures alone (no join to their lecturers) on the same conditions."""
    count = count_of(counted_lectures(filters))
    page = LECTURE_ROWS.where(*on_offer(filters)).order_by(*ORDERINGS[sort])
    return paged(page, count), count


def counted_lectures(filters: frozenset[str]) -> Select:
    """The ids of the lectures on offer that pass the filters, as the total counts them.

    A city's lectures are counted from the city's lecturers (their contact info's city
    index) to their lectures (the lecturer's index): the count then reads only the lectures
    it counts, where asking each lecture for its city reads all lectures, of every city,
    until it has counted enough.
    """
    if "city_id" not in filters:
        return select(lectures.id).where(*on_offer(filters))
    return (
        select(lectures.id)
        .select_from(LecturerContactInfo.__table__)
        .join(Lecture.__table__, lectures.lecturer_id == contacts.profile_id)
        .where(contacts.city_id == bindparam("city_id"), *on_offer(filters - {"city_id"}))
    )


def on_offer(filters: frozenset[str]) -> list[ColumnElement[bool]]:
    """The conditions of the lectures on offer that pass the filters named."""
    # `archived = false`, which an index can use; `IS false` cannot.
    return [lectures.archived == false(), *(FILTERS[name] for name in sorted(filters))]


def contains_pattern(q: str) -> str:
    """A LIKE pattern (ESCAPE '/') for q anywhere, in any case, its %, _ and / taken as they are."""
    escaped = q.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def show_lecture(lecture_id: int) -> Row:
    """A lecture as LectureOut dumps it, archived or not."""
    row = reads().execute(LECTURE_BY_ID, {"lecture_id": lecture_id}).first()
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
