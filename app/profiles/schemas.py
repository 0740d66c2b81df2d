"""Bodies and answers of the profile and city endpoints."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import marshmallow as ma
from marshmallow import validate

from app.common.fields import ID_RANGE, Email, FullMatch, HttpUrl, Integer, Rating, Text
from app.common.pagination import PageArgs
from app.common.schemas import Out, Partial
from app.models import City
from app.profiles.hours import WorkingHoursField


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


class CityOut(Out):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    utc_offset = ma.fields.Method(
        "format_utc_offset",
        required=True,
        metadata={"type": "string", "description": "The offset now.", "example": "+03:00"},
    )

    def format_utc_offset(self, city: City) -> str:
        minutes = int(datetime.now(ZoneInfo(city.timezone)).utcoffset().total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


class CityArgs(PageArgs):
    q = Text(validate=validate.Length(1, 100), metadata={"description": "Part of the name."})


# Profiles. A field that may be empty takes null to clear it.

PHONE = FullMatch(r"[0-9 +()\-]{5,20}", error="5–20 digits, spaces or +()-.")
NAME = validate.Length(1, 100)
LONG_TEXT = validate.Length(max=5000)


class LecturerContactIn(ma.Schema):
    email = Email(required=True)
    phone = Text(validate=PHONE, allow_none=True)
    city_id = Integer(allow_none=True, validate=ID_RANGE)


class CustomerContactIn(LecturerContactIn):
    company = Text(validate=validate.Length(max=200), allow_none=True)


class ProfileIn(ma.Schema):
    first_name = Text(required=True, validate=NAME)
    last_name = Text(required=True, validate=NAME)
    photo_url = HttpUrl(allow_none=True)
    visit_card = Text(validate=LONG_TEXT, allow_none=True)


class LecturerProfileIn(ProfileIn):
    experience = Text(validate=LONG_TEXT, allow_none=True)
    contact_info = ma.fields.Nested(LecturerContactIn, required=True)
    working_hours = WorkingHoursField()


class CustomerProfileIn(ProfileIn):
    contact_info = ma.fields.Nested(CustomerContactIn, required=True)


class LecturerContactUpdate(Partial, LecturerContactIn):
    pass


class CustomerContactUpdate(Partial, CustomerContactIn):
    pass


class LecturerProfileUpdate(Partial, LecturerProfileIn):
    contact_info = ma.fields.Nested(LecturerContactUpdate)


class CustomerProfileUpdate(Partial, CustomerProfileIn):
    contact_info = ma.fields.Nested(CustomerContactUpdate)


class ContactOut(Out):
    email = ma.fields.String(required=True)
    phone = ma.fields.String(required=True, allow_none=True)
    city = ma.fields.Nested(CityOut, required=True, allow_none=True)


class CustomerContactOut(ContactOut):
    company = ma.fields.String(required=True, allow_none=True)


class LectureRefOut(Out):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)


class ProfileOut(Out):
    id = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(required=True)
    first_name = ma.fields.String(required=True)
    last_name = ma.fields.String(required=True)
    photo_url = ma.fields.String(required=True, allow_none=True)
    visit_card = ma.fields.String(required=True, allow_none=True)
    finished_orders = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class LecturerProfileOut(ProfileOut):
    experience = ma.fields.String(required=True, allow_none=True)
    contact_info = ma.fields.Nested(ContactOut, required=True)
    working_hours = WorkingHoursField(required=True)
    lectures = ma.fields.List(
        ma.fields.Nested(LectureRefOut),
        required=True,
        attribute="lectures_on_offer",
        metadata={"description": "Its lectures in the catalogue (archived ones left out)."},
    )
    avg_rating = Rating()
    reviews_count = ma.fields.Integer(required=True)


class CustomerProfileOut(ProfileOut):
    contact_info = ma.fields.Nested(
        CustomerContactOut,
        required=True,
        allow_none=True,
        metadata={
            "description": "null unless the caller is the owner, an admin, or a lecturer "
            "who has an order from this customer."
        },
    )
