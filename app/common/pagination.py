"""The pagination envelope of every list: {"items", "page", "per_page", "total"}."""

from collections.abc import Callable
from functools import cache
from typing import Any

import marshmallow as ma
from sqlalchemy import Row, Select, func, select

from app.extensions import db, reading

MAX_PAGE = 2**31 - 1


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
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "page": ma.fields.Integer(required=True),
            "per_page": ma.fields.Integer(required=True),
            "total": ma.fields.Integer(required=True),
        },
    )


def paginate(
    query: Select,
    *,
    page: int,
    per_page: int,
    item_of_row: Callable[[Row], Any] | None = None,
    count: Select | None = None,
) -> dict:
    """Run one page of an ordered query, and a count of all its rows.

    The items are the query's first column (ORM objects, read in the session), or
    item_of_row of each row (plain rows, read outside it: see reading()).
    count, if given, is a leaner statement that counts the same rows.
    """
    if count is None:
        count = select(func.count()).select_from(query.order_by(None).subquery())
    query = query.limit(per_page).offset((page - 1) * per_page)
    if item_of_row is None:
        total, items = db.session.scalar(count), db.session.scalars(query).all()
    else:
        with reading() as connection:
            total = connection.scalar(count)
            items = [item_of_row(row) for row in connection.execute(query)]
    return {"items": items, "page": page, "per_page": per_page, "total": total}
