"""Lectures: the catalogue, and what a lecturer does with their own."""

import functools
import logging

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    Insert,
    Integer,
    LargeBinary,
    String,
    bindparam,
    case,
    cast,
    delete,
    exists,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from app.common.driver import DriverRead, page_of_rows
from app.common.pagination import paged
from app.errors import ApiError
from app.extensions import db
from app.models import (
    ADMIN,
    Caller,
    CatalogueTotal,
    City,
    Lecture,
    LecturerProfile,
    Order,
    SearchTotal,
)

log = logging.getLogger(__name__)

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


def search_pattern() -> BindParameter:
    """The search's LIKE pattern (see contains_pattern()), written into the statement's text
    at execution, escaped as SQLAlchemy writes a string literal for the database.

    As a parameter, PostgreSQL plans a prepared page for each pattern until it judges one
    plan for an unknown pattern no dearer: at 100,000 lectures, a common word's page was
    planned again at every execution (0.25 ms), and once a connection had searched for ten
    rare words, its one plan read the catalogue in date order for every pattern, about
    100 ms for a word that few lectures hold (1.5-2 ms before). Written in, each pattern's
    page is planned for that pattern, once per connection when psycopg prepares it.
    """
    return bindparam("q", type_=String, literal_execute=True)


class LoweredContains(ColumnElement[bool]):
    """`lower(column) LIKE pattern ESCAPE '/'`: the column's text, in lower case, holds the
    search's pattern (see contains_pattern()).

    On PostgreSQL the trigram indexes on lower(title) and lower(description) serve it. On
    SQLite, lower() is the app's, Python's (app/extensions.py): a call into Python for each
    text read. There SQLite's own LIKE, which folds ASCII letters only, answers for a text
    that is all ASCII (as many characters as bytes), and a search's page takes about half
    the time; a text with any other character still goes through lower().
    """

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[str], pattern: BindParameter) -> None:
        self.column, self.pattern = column, pattern

    @property
    def _from_objects(self) -> list:
        return self.column._from_objects

    def lowered(self) -> ColumnElement[bool]:
        return func.lower(self.column).like(self.pattern, escape="/")


@compiles(LoweredContains)
def _lowered_contains(element: LoweredContains, compiler: SQLCompiler, **kw) -> str:
    return compiler.process(element.lowered(), **kw)


@compiles(LoweredContains, "sqlite")
def _lowered_contains_on_sqlite(element: LoweredContains, compiler: SQLCompiler, **kw) -> str:
    column = element.column
    all_ascii = func.length(column) == func.length(cast(column, LargeBinary))
    plain = column.like(element.pattern, escape="/")
    return compiler.process(case((all_ascii, plain), else_=element.lowered()), **kw)


# The catalogue's filters, each bound at execution to the value of its name.
FILTERS: dict[str, ColumnElement[bool]] = {
    "lecturer_id": Lecture.lecturer_id == bindparam("lecturer_id"),
    "city_id": Lecture.city_id == bindparam("city_id"),
    "q": or_(
        LoweredContains(Lecture.title, search_pattern()),
        LoweredContains(Lecture.description, search_pattern()),
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
# A search alone (`?q=`, with no other filter) reads its total where it is kept, if it is
# (see catalogue_page()).
KEPT_SEARCH_TOTAL = (
    select(SearchTotal.total)
    .join(CatalogueTotal, CatalogueTotal.text_version == SearchTotal.catalogue_version)
    .where(SearchTotal.pattern == search_pattern())
)
# Patterns whose totals are kept, at most: beyond them, a search is counted every time.
MAX_KEPT_SEARCHES = 10_000


def create_lecture(lecturer: LecturerProfile, **fields) -> Lecture:
    lecture = Lecture(lecturer_id=lecturer.id, **fields)
    db.session.add(lecture)
    db.session.flush()
    return lecture


def catalogue(*, sort: str, **filters: float | str | None) -> tuple[DriverRead, DriverRead, dict]:
    """The lectures on offer (archived ones left out) that pass the filters given (not None),
    sorted: a page statement of LECTURE_ROWS (see paged()), a count of them all, and the
    values of their bound parameters."""
    params = {name: value for name, value in filters.items() if value is not None}
    if "q" in params:
        params["q"] = contains_pattern(str(params["q"]))
    rows, count = catalogue_statements(sort, frozenset(params))
    return rows, count, params


def catalogue_page(*, page: int, per_page: int, sort: str, **filters: float | str | None) -> dict:
    """A page of the catalogue (see catalogue()), its items as LectureOut reads them.

    A search alone whose total is not kept has none in its page's statement: it is counted
    and kept (see search_total()).
    """
    rows, count, params = catalogue(sort=sort, **filters)
    answer = page_of_rows(
        rows, count, params=params, page=page, per_page=per_page, item_of_row=lecture_out
    )
    if answer["total"] is None:
        answer["total"] = search_total(params["q"])
    return answer


@functools.cache
def catalogue_statements(sort: str, filters: frozenset[str]) -> tuple[DriverRead, DriverRead]:
    """Built once for each sort and set of filters: building them per request cost more than
    running them. Unfiltered or filtered by city alone, the count is a kept total
    (CatalogueTotal, City.lectures_on_offer); searched alone, the search's kept total, or
    null (see search_total()); else a count of the lectures alone (no join to their
    lecturers)."""
    conditions = on_offer(filters)
    if not filters:
        count = CATALOGUE_TOTAL
    elif filters == {"city_id"}:
        count = CITY_TOTAL
    elif filters == {"q"}:
        count = KEPT_SEARCH_TOTAL
    else:
        count = select(func.count()).select_from(Lecture).where(*conditions)
    rows = paged(LECTURE_ROWS.where(*conditions).order_by(*ORDERINGS[sort]), count)
    return DriverRead(rows), DriverRead(count)


def on_offer(filters: frozenset[str]) -> list[ColumnElement[bool]]:
    """The conditions of the lectures on offer that pass the filters named."""
    # `archived = false`, which an index can use; `IS false` cannot.
    return [Lecture.archived == false(), *(FILTERS[name] for name in sorted(filters))]


# The count and the version it stands for, read in one statement: they see the same lectures.
COUNTED_SEARCH = DriverRead(
    select(
        CatalogueTotal.text_version,
        select(func.count())
        .select_from(Lecture)
        .where(*on_offer(frozenset({"q"})))
        .scalar_subquery()
        .label("total"),
    )
)


FORGET_OLDER_SEARCHES = delete(SearchTotal).where(
    SearchTotal.catalogue_version < bindparam("version")
)


def search_total(pattern: str) -> int:
    """Count the lectures on offer that hold pattern (see contains_pattern()) in their title
    or description, and keep the count for the next search.

    Counting reads every lecture that matches, and a common word is in a tenth of the
    catalogue. So a count is kept (SearchTotal) with the catalogue's text_version it was made
    at, and serves the same search until a write to the lectures' text or offer moves that
    version; the first search after that counts again.
    """
    version, total = COUNTED_SEARCH.first({"q": pattern})
    keep_search_total(pattern, version, total)
    return total


def keep_search_total(pattern: str, version: int, total: int) -> None:
    """Keep a search's total, counted at version, for the next search of it.

    Totals of older versions go, and a new pattern is kept only while fewer than
    MAX_KEPT_SEARCHES are: an endless variety of searches cannot grow the table. Keeping is
    a courtesy to the next search: if the database cannot take the write now, the search
    goes on without it.
    """
    params = {"q": pattern, "version": version, "total": total, "most": MAX_KEPT_SEARCHES}
    try:
        with db.engine.begin() as connection:
            connection.execute(FORGET_OLDER_SEARCHES, params)
            connection.execute(keep_search_statement(connection.dialect.name), params)
    except OperationalError:
        log.warning("The total of a search was not kept.", exc_info=True)


@functools.cache
def keep_search_statement(dialect: str) -> Insert:
    """Insert or renew (if newer) a pattern's total, while the table has room for it."""
    upsert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    kept_count = select(func.count()).select_from(SearchTotal).scalar_subquery()
    values = select(
        bindparam("q", type_=String),
        bindparam("version", type_=Integer),
        bindparam("total", type_=Integer),
    ).where(kept_count < bindparam("most"))
    insert = upsert(SearchTotal).from_select(["pattern", "catalogue_version", "total"], values)
    return insert.on_conflict_do_update(
        index_elements=[SearchTotal.pattern],
        set_={
            "catalogue_version": insert.excluded.catalogue_version,
            "total": insert.excluded.total,
        },
        where=SearchTotal.catalogue_version < insert.excluded.catalogue_version,
    )


def lecture_out(row: tuple) -> dict:
    """A row of LECTURE_ROWS as LectureOut reads it."""
    cents = row.price_cents
    return {
        "id": row.id,
        "title": row.title,
        "description": row.description,
        "duration_minutes": row.duration_minutes,
        # The float nearest the exact amount, as float(money_of_cents(cents)) is.
        "price": None if cents is None else cents / 100,
        "avg_rating": row.avg_rating,
        "reviews_count": row.reviews_count,
        "archived": row.archived,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "lecturer": {
            "id": row.lecturer_id,
            "first_name": row.first_name,
            "last_name": row.last_name,
        },
    }


def contains_pattern(q: str) -> str:
    """A LIKE pattern (ESCAPE '/') for q anywhere, in any case, its %, _ and / taken as they are."""
    escaped = q.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


# Built once: the hottest read of the catalogue skips building its statement per request.
LECTURE_ROW_BY_ID = DriverRead(LECTURE_ROWS.where(Lecture.id == bindparam("id")))


def show_lecture(lecture_id: int) -> dict:
    """A lecture as LectureOut reads it, archived or not."""
    row = LECTURE_ROW_BY_ID.first({"id": lecture_id})
    if row is None:
        raise ApiError.not_found(NOT_FOUND)
    return lecture_out(row)


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
