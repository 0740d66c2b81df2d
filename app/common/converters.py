"""The `<id:...>` path converter: ids are positive integers a row can have."""

from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2**31 - 1


class IdConverter(BaseConverter):
    """Matches 1..2**31-1; anything else (`abc`, `0`, `-1`, too large) is a 404."""

    regex = r"[1-9][0-9]{0,9}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValidationError()
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def id_param_schema(_converter: IdConverter) -> dict:
    """How the OpenAPI description shows an `<id:...>` path parameter."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
