"""Bodies and query parameters of the lecture endpoints."""

import marshmallow as ma
from marshmallow import validate

from app.common.fields import ID_RANGE, Inline, Integer, Money, Rating, Text
from app.common.pagination import PageArgs
from app.common.schemas import Out, Partial
from app.models.lecture import MAX_MINUTES, MIN_MINUTES

SORTS = ("-created_at", "created_at", "title", "-rating", "rating")


class LectureIn(ma.Schema):
    title = Text(required=True, validate=validate.Length(1, 200))
    description = Text(validate=validate.Length(max=10000), allow_none=True)
    duration_minutes = Integer(validate=validate.Range(MIN_MINUTES, MAX_MINUTES), allow_none=True)
    price = Money(allow_none=True)


class LectureUpdate(Partial, LectureIn):
    pass


class Cents(ma.fields.Float):
    """An amount stored in cents (an integer), as a JSON number of currency units; null when
    there is none."""

    def _serialize(self, value, attr, obj, **kwargs) -> float | None:
        # The float nearest the exact amount: Python divides two integers exactly, then rounds.
        return None if value is None else value / 100


class LecturerRefOut(Out):
    """A lecture's lecturer, read from the lecture's row (see Inline)."""

    id = ma.fields.Integer(attribute="lecturer_id", required=True)
    first_name = ma.fields.String(attribute="lecturer_first_name", required=True)
    last_name = ma.fields.String(attribute="lecturer_last_name", required=True)


class LectureOut(Out):
    """A lecture: a row of app.lectures.services.LECTURE_ROWS."""

    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True, allow_none=True)
    duration_minutes = ma.fields.Integer(required=True, allow_none=True)
    price = Cents(
        attribute="price_cents",
        required=True,
        allow_none=True,
        metadata={"minimum": 0, "maximum": 10_000_000, "multipleOf": 0.01},
    )
    lecturer = Inline(LecturerRefOut, required=True)
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)
    archived = ma.fields.Boolean(required=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class LectureArgs(PageArgs):
    lecturer_id = ma.fields.Integer(validate=ID_RANGE)
    city_id = ma.fields.Integer(validate=ID_RANGE, metadata={"description": "The lecturer's city."})
    q = Text(
        validate=validate.Length(1, 200),
        metadata={"description": "Part of the title or the description, in any case."},
    )
    min_rating = ma.fields.Float(validate=validate.Range(1, 5))
    sort = ma.fields.String(load_default="-created_at", validate=validate.OneOf(SORTS))
