"""Bodies of the profile and city endpoints."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import marshmallow as ma
from marshmallow import validate

from app.common.fields import Text
from app.common.pagination import PageArgs


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> None:
    if name not in _timezones():
        raise ma.ValidationError("Not an IANA time zone name, such as Europe/Moscow.")


class CityIn(ma.Schema):
    name = Text(required=True, validate=validate.Length(1, 100))
    timezone = ma.fields.String(
        load_default="UTC",
        validate=validate_timezone,
        metadata={"description": "An IANA time zone name, such as Europe/Moscow."},
    )


class CityOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    utc_offset = ma.fields.Method(
        "format_utc_offset",
        required=True,
        metadata={"type": "string", "description": "The offset now.", "example": "+03:00"},
    )

    def format_utc_offset(self, city) -> str:
        minutes = int(datetime.now(ZoneInfo(city.timezone)).utcoffset().total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class CityArgs(PageArgs):
    q = Text(validate=validate.Length(1, 100), metadata={"description": "Part of the name."})
