"""The pagination envelope of every list: {"items", "page", "per_page", "total"}."""

from functools import cache

import marshmallow as ma
from sqlalchemy import BindParameter, Connection, Integer, Select, bindparam, func, select

from app.common.schemas import Out
from app.extensions import db

MAX_PAGE = 2**31 - 1
TOTAL = "page_total"
# A list's total counts its items up to this many: a total of MAX_TOTAL means as many or more.
MAX_TOTAL = 1_000


def count_of(rows: Select) -> Select:
    """The count of rows' rows, up to MAX_TOTAL: a list's total.

    Counting reads an index entry for every row counted, so an exact total would cost a list
    of a large table more than its page; bounded, it costs the same at any size.
    """
    return select(func.count()).select_from(rows.order_by(None).limit(MAX_TOTAL).subquery())


class PageArgs(ma.Schema):
    """Paging parameters; list endpoints extend it with their filters."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


@cache
def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The envelope schema around a list of item_schema."""
    name = item_schema.__name__.removesuffix("Schema").removesuffix("Out") + "Page"
    return type(
        name,
        (Out,),
        {
            "items": ma.fields.Nested(item_schema, many=True, required=True),
            "page": ma.fields.Integer(required=True),
            "per_page": ma.fields.Integer(required=True),
            "total": ma.fields.Integer(
                required=True,
                metadata={
                    "description": f"How many items the list has, counted up to {MAX_TOTAL:,}: "
                    f"a total of {MAX_TOTAL:,} means as many or more."
                },
            ),
        },
    )


def page_bound(name: str) -> BindParameter:
    """A LIMIT or OFFSET given at execution and written into the statement's text.

    As a parameter, PostgreSQL would plan a prepared statement for an unknown bound, which on
    a large table is a worse plan than one made for the values, so the statement would be
    planned again at every execution. Written in, the first
    page's statement is one text, planned once per connection; SQLAlchemy still compiles the
    statement once.
    """
    return bindparam(name, type_=Integer, literal_execute=True)


def paged(query: Select, count: Select) -> Select:
    """One page of query, its LIMIT and OFFSET given at execution, each row with the count of
    all of query's rows (a column page_total, count's answer): built once, it serves every
    page, and a page and its total come in one round trip (see read_page())."""
    limit, offset = page_bound("page_limit"), page_bound("page_offset")
    total = count.correlate(None).scalar_subquery().label(TOTAL)
    return query.add_columns(total).limit(limit).offset(offset)


def _bounds(page: int, per_page: int) -> dict[str, int]:
    return {"page_limit": per_page, "page_offset": (page - 1) * per_page}


def paginate(query: Select, *, page: int, per_page: int) -> dict:
    """One page of an ordered query of ORM objects built for this request, and the count of
    all its rows."""
    count = count_of(query)
    return read_page(paged(query, count), count, page=page, per_page=per_page, objects=True)


def read_page(
    query: Select,
    count: Select,
    *,
    page: int,
    per_page: int,
    params: dict | None = None,
    objects: bool = False,
    connection: Connection | None = None,
) -> dict:
    """One page of query's rows (of the ORM objects of its first column, if `objects`), run
    on the connection given (app.database.reads()) or else in the session.

    query is built with paged() from count, and both run with params: count alone only when
    the page is past the last one, which has no row to carry the total.
    """
    params = params or {}
    run = connection or db.session
    rows = run.execute(query, {**params, **_bounds(page, per_page)}).all()
    total = getattr(rows[0], TOTAL) if rows else run.scalar(count, params)
    items = [row[0] for row in rows] if objects else rows
    return {"items": items, "page": page, "per_page": per_page, "total": total}
