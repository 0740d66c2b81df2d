"""The `<id:...>` path converter: ids are positive 32-bit integers, as the id columns are."""

from werkzeug.routing import BaseConverter

MAX_ID = 2**31 - 1


class IdConverter(BaseConverter):
    """Matches 1..2147483647 and nothing else, so `abc`, `0`, `1.5` or a larger number is a 404.

    The bound is in the pattern itself: a value refused later, in to_python, would make
    Werkzeug answer 405 on paths that have other methods.
    """

    regex = (
        r"(?:[1-9][0-9]{0,8}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}"
        r"|2147[0-3][0-9]{5}|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}"
        r"|21474836[0-3][0-9]|214748364[0-7])"
    )

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def id_param_schema(_converter: IdConverter) -> dict:
    """How the OpenAPI description shows an `<id:...>` path parameter."""
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
