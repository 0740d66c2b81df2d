"""Answers encoded by orjson, in Flask's JSON provider: the same JSON as the standard
library's encoder writes, in a fraction of its time."""

from typing import Any

import orjson
from flask import Response, current_app
from flask.json.provider import DefaultJSONProvider

# Keys that are not strings are written as strings, as the standard library writes them;
# times and dataclasses go to Flask's own conversions (`default`), as with its encoder.
OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's provider, writing JSON with orjson: text as UTF-8 rather than `\\u` escapes,
    keys in the order given unless sort_keys, and an indent of two spaces if any is asked.
    What orjson refuses (a lone surrogate in a text, an integer beyond 64 bits) is written by
    the standard library's encoder, as Flask writes it. Reading JSON stays with the standard
    library (app.common.body reads bodies)."""

    sort_keys = False  # fields in the order the schemas declare them, id first

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        indent, sort_keys = bool(kwargs.get("indent")), kwargs.get("sort_keys", self.sort_keys)
        return self._encode(obj, indent=indent, sort_keys=sort_keys).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        """As Flask's: one argument is the value; several, or keywords, a list or an object."""
        if args and kwargs:
            raise TypeError("give positional or keyword arguments, not both")
        obj = args[0] if len(args) == 1 else args or kwargs or None
        indent = self.compact is False or (self.compact is None and current_app.debug)
        body = self._encode(obj, indent=indent, sort_keys=self.sort_keys)
        return current_app.response_class(body + b"\n", mimetype=self.mimetype)

    def _encode(self, obj: Any, *, indent: bool, sort_keys: bool) -> bytes:
        option = OPTIONS
        if indent:
            option |= orjson.OPT_INDENT_2
        if sort_keys:
            option |= orjson.OPT_SORT_KEYS
        try:
            return orjson.dumps(obj, default=self.default, option=option)
        except orjson.JSONEncodeError:
            indented = {"indent": 2} if indent else {"separators": (",", ":")}
            return super().dumps(obj, sort_keys=sort_keys, **indented).encode()
