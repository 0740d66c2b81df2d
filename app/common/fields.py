"""marshmallow fields for text a client sends."""

from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

import marshmallow as ma

from app.common.converters import MAX_ID


class Text(ma.fields.String):
    """A string the database can store: no NUL character, no lone surrogate."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError("Must not contain a NUL character.")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ma.ValidationError("Must be valid Unicode text.") from None
        return text


class Email(Text):
    """An email address, checked by marshmallow's validator."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=[ma.validate.Length(max=254), ma.validate.Email()],
            metadata={"format": "email"},
            **kwargs,
        )


class Money(ma.fields.Decimal):
    """An amount as a JSON number, at least 0, with at most 2 decimals."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=ma.validate.Range(min=0, max=10_000_000),
            metadata={"type": "number", "minimum": 0, "maximum": 10_000_000, "multipleOf": 0.01},
            **kwargs,
        )

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str | bool):
            raise self.make_error("invalid")
        amount = super()._deserialize(value, attr, data, **kwargs)
        if amount.normalize().as_tuple().exponent < -2:
            raise ma.ValidationError("At most 2 decimals.")
        return amount

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)


class Inline(ma.fields.Nested):
    """A nested object whose values are columns of the row dumped: the nested schema reads
    them from that row, each field naming its column with `attribute=`."""

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return obj


class Integer(ma.fields.Integer):
    """An integer that must come as a JSON integer, not as a string, float or boolean."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)


class HttpUrl(ma.fields.Url):
    """An http(s) URL of at most 2048 characters."""

    def __init__(self, **kwargs):
        super().__init__(schemes={"http", "https"}, validate=ma.validate.Length(max=2048), **kwargs)


RATING_STEP = Decimal("0.01")  # an average is shown to 2 decimals


class Rating(ma.fields.Float):
    """An average grade, rounded to 2 decimals; null when nothing was graded."""

    def __init__(self, **kwargs):
        super().__init__(required=True, allow_none=True, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return float(Decimal(str(value)).quantize(RATING_STEP, ROUND_HALF_UP))


def least_average_shown_as(at_least: float) -> float:
    """The least stored average that Rating shows as at_least or more: a filter on the
    stored value then keeps what the answers show (4.665 shows as 4.67)."""
    shown = Decimal(str(at_least)).quantize(RATING_STEP, ROUND_CEILING)
    return float(shown - RATING_STEP / 2)


class FullMatch(ma.validate.Regexp):
    """A pattern the whole value must match (also as written in the OpenAPI document)."""

    def __init__(self, pattern: str, error: str | None = None):
        super().__init__(f"^(?:{pattern})$", error=error)

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ma.ValidationError(self._format_error(value))
        return value


class Trimmed(Text):
    """Text stored without the white space around it."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


ID_RANGE = ma.validate.Range(min=1, max=MAX_ID)


class Boolean(ma.fields.Boolean):
    """A boolean that must come as JSON true or false, not as a string or a number."""

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


TIME_HINT = "Give a date and time with its UTC offset, e.g. 2030-03-01T15:00:00+03:00."


# The times taken: far enough inside what Python's datetime holds that the days added to a
# time (a span, a schedule's window) stay inside it too.
EARLIEST, LATEST = datetime(1900, 1, 1, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC)
TIME_RANGE = f"From {EARLIEST:%Y-%m-%d} to before {LATEST:%Y-%m-%d} (UTC)."


class UtcDateTime(ma.fields.AwareDateTime):
    """A time with an offset, loaded as UTC, in [EARLIEST, LATEST)."""

    default_error_messages = {
        "invalid": TIME_HINT,
        "invalid_awareness": TIME_HINT,
        "format": TIME_HINT,
    }

    def __init__(self, *, metadata: dict | None = None, **kwargs):
        metadata = metadata or {}
        description = " ".join(filter(None, [metadata.get("description"), TIME_RANGE]))
        super().__init__(metadata={**metadata, "description": description}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = moment.astimezone(UTC)
        except OverflowError:
            raise ma.ValidationError(TIME_RANGE) from None
        if not EARLIEST <= moment < LATEST:
            raise ma.ValidationError(TIME_RANGE)
        return moment
