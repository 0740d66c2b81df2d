"""A lecturer's working hours (API.md section 12): what they may be, and whether a span of
time lies inside them.

Working hours are a JSON object of days (`mon` … `sun`; a day left out: not working), each a
list of 1–4 intervals `{"start": "HH:MM", "end": "HH:MM"}` of local 24-hour time, in order
and not overlapping; `end` may be `24:00`. None stands for any time.
"""

from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import marshmallow as ma
from marshmallow import validate

from app.common.fields import FullMatch
from app.errors import ApiError
from app.models import LecturerProfile

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # in the order of date.weekday()
DAY_NAMES = {
    "mon": "Mondays",
    "tue": "Tuesdays",
    "wed": "Wednesdays",
    "thu": "Thursdays",
    "fri": "Fridays",
    "sat": "Saturdays",
    "sun": "Sundays",
}

HH_MM = r"([01][0-9]|2[0-3]):[0-5][0-9]"
START = FullMatch(HH_MM, error="A local time as HH:MM, from 00:00 to 23:59.")
END = FullMatch(f"{HH_MM}|24:00", error="A local time as HH:MM, from 00:00 to 24:00.")


class WorkingInterval(ma.Schema):
    """A stretch of a working day, from `start` up to `end`, local 24-hour times."""

    error_messages = {
        "type": 'An interval is an object {"start": "HH:MM", "end": "HH:MM"}.',
        "unknown": "An interval has only start and end.",
    }

    start = ma.fields.String(required=True, validate=START, metadata={"example": "09:00"})
    end = ma.fields.String(
        required=True,
        validate=END,
        metadata={"description": "After start; 24:00 is the end of the day.", "example": "13:00"},
    )

    @ma.validates_schema
    def start_before_end(self, data: dict, **kwargs) -> None:
        if data["start"] >= data["end"]:  # HH:MM strings sort as the times they name
            raise ma.ValidationError("Must be after start.", "end")


def _day(name: str) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Nested(WorkingInterval),
        validate=validate.Length(1, 4, error="From 1 to 4 intervals; leave out a day off."),
        error_messages={
            "invalid": "A list of 1 to 4 intervals.",
            "null": "Leave out a day off rather than giving null.",
        },
        metadata={"description": f"The hours on {name}: in order, not overlapping."},
    )


class WorkingHours(ma.Schema):
    """The days a lecturer works, each with its hours; a day left out is a day off."""

    error_messages = {
        "type": "An object whose keys are days (mon … sun), or null.",
        "unknown": "Not a day: the days are mon, tue, wed, thu, fri, sat and sun.",
    }

    mon = _day(DAY_NAMES["mon"])
    tue = _day(DAY_NAMES["tue"])
    wed = _day(DAY_NAMES["wed"])
    thu = _day(DAY_NAMES["thu"])
    fri = _day(DAY_NAMES["fri"])
    sat = _day(DAY_NAMES["sat"])
    sun = _day(DAY_NAMES["sun"])

    @ma.validates_schema
    def intervals_in_order(self, data: dict, **kwargs) -> None:
        """Each day's intervals in order, none starting before the one before it ends
        (one may start when the one before ends)."""
        errors = {}
        for day, intervals in data.items():
            problems = [_order_problem(*pair) for pair in pairwise(intervals)]
            if any(problems):
                errors[day] = [problem for problem in problems if problem]
        if errors:
            raise ma.ValidationError(errors)


def _order_problem(before: dict, after: dict) -> str | None:
    if after["start"] < before["start"]:
        return f"Give the intervals in order: {_span(after)} comes before {_span(before)}."
    if after["start"] < before["end"]:
        return f"The intervals overlap: {_span(after)} starts before {_span(before)} ends."
    return None


class WorkingHoursField(ma.fields.Nested):
    """`working_hours` of a body or an answer: WorkingHours or null.

    Loaded whole even in a partial update, whose `partial` marshmallow would otherwise pass
    down to the intervals: a PUT replaces the hours, it never merges them.
    """

    def __init__(self, **kwargs):
        description = (
            "The days and local hours (in the lecturer's city's time zone) in which orders "
            "may take place; a day left out is a day off; null: any time. An order's span lies "
            "inside one interval of the local day on which it starts."
        )
        example = {"mon": [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]}
        super().__init__(
            WorkingHours,
            allow_none=True,
            metadata={"description": description, "example": example},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, partial=None, **kwargs) -> dict:
        return super()._deserialize(value, attr, data, partial=False, **kwargs)


def _span(interval: dict) -> str:
    return f"{interval['start']}–{interval['end']}"


def _time_of_day(hh_mm: str) -> timedelta:
    hours, minutes = hh_mm.split(":")
    return timedelta(hours=int(hours), minutes=int(minutes))


def _wall_clock(moment: datetime, day: date) -> timedelta:
    """The local time of a moment, counted from the start of `day` (so the next midnight
    is 24:00)."""
    time = moment.time()
    return (moment.date() - day) + timedelta(
        hours=time.hour, minutes=time.minute, seconds=time.second, microseconds=time.microsecond
    )


def _ranges(intervals: list[dict]) -> list[tuple[timedelta, timedelta]]:
    """A day's intervals as (start, end) times."""
    return [(_time_of_day(each["start"]), _time_of_day(each["end"])) for each in intervals]


def outside_hours(
    working_hours: dict | None, zone: ZoneInfo, starts_at: datetime, ends_at: datetime
) -> str | None:
    """None when the span [starts_at, ends_at) lies inside the working hours, else why not.

    The span must lie inside one interval of the local day on which it starts: both ends,
    read as wall-clock times in `zone` at those instants, within the interval (an end at the
    next midnight is 24:00). The reason names that day's hours, for a 422 on scheduled_at.
    """
    if working_hours is None:
        return None
    start = starts_at.astimezone(zone)
    day = DAYS[start.weekday()]
    intervals = working_hours.get(day)
    if not intervals:
        return f"The lecturer does not work on {DAY_NAMES[day]} ({zone.key})."
    begins = _wall_clock(start, start.date())
    ends = _wall_clock(ends_at.astimezone(zone), start.date())
    if any(low <= begins < high and low <= ends <= high for low, high in _ranges(intervals)):
        return None
    *most, last = [_span(interval) for interval in intervals]
    listed = f"{', '.join(most)} and {last}" if most else last
    return (
        f"Outside the lecturer's working hours: on {DAY_NAMES[day]} they work {listed} "
        f"({zone.key})."
    )


def lecturer_zone(profile: LecturerProfile) -> ZoneInfo:
    """The lecturer's time zone: their contact info's city's; UTC without a city."""
    contact = profile.contact_info
    if contact is None or contact.city is None:
        return ZoneInfo("UTC")
    return ZoneInfo(contact.city.timezone)


def ensure_inside_hours(lecturer: LecturerProfile, starts_at: datetime, ends_at: datetime) -> None:
    """422 on scheduled_at unless the span [starts_at, ends_at) lies inside the lecturer's
    working hours."""
    if lecturer.working_hours is None:
        return  # any time, and no need to read the city
    reason = outside_hours(lecturer.working_hours, lecturer_zone(lecturer), starts_at, ends_at)
    if reason:
        raise ApiError.invalid("scheduled_at", reason)
