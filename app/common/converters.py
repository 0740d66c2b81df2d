"""The `<id:...>` path converter: ids are positive integers."""

from werkzeug.routing import BaseConverter

# Ids beyond any row still fit a 64-bit integer, so lookups answer 404 and never overflow.
MAX_ID = 10**18 - 1


class IdConverter(BaseConverter):
    """Matches 1..MAX_ID; anything else (`abc`, `0`, `-1`, `1.5`, too long) is a 404."""

    regex = r"[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def id_param_schema(_converter: IdConverter) -> dict:
    """How the OpenAPI description shows an `<id:...>` path parameter."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
