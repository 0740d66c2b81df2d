"""Strict reading of JSON request bodies: JSON objects only, nothing a database cannot hold."""

import json
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask import request

from app.errors import ApiError

MAX_DEPTH = 32


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _depth(value: Any) -> int:
    """How deeply a parsed JSON value nests, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def json_body() -> dict:
    """The request's JSON object: 415 for another type, 400 for anything but an object.

    A request with neither a body nor a Content-Type reads as `{}`. Numbers with a fraction
    or an exponent are read as Decimals, exactly as written: as floats, 19.999999999999999999
    would arrive as 20.0, and a price with more than 2 decimals would pass for one with none.
    """
    if not request.content_type and not request.content_length and not request.get_data():
        return {}
    if not request.is_json:
        raise ApiError(415)
    raw = request.get_data(cache=True)  # Werkzeug raises 413 past MAX_CONTENT_LENGTH
    if request.content_length is None and len(raw) >= request.max_content_length:
        # A streamed (chunked) body has no length to check beforehand, and Werkzeug stops
        # reading it at the limit without a word: one that reaches the limit is refused.
        raise ApiError(413)
    try:
        data = json.loads(raw, parse_constant=_reject_constant, parse_float=Decimal)
    except (ValueError, RecursionError):
        raise ApiError.bad_request("The body is not valid JSON.") from None
    if _depth(data) > MAX_DEPTH:
        raise ApiError.bad_request(f"JSON nested deeper than {MAX_DEPTH} levels.")
    if not isinstance(data, dict):
        raise ApiError.bad_request("The body must be a JSON object.")
    return data


class Body:
    """Input loaded with its schema only when the view asks for it (422 when invalid).

    Views load it after the checks of who may do what and what the caller may see, so
    that a caller learns 401, 403 and 404 before anything about the body. Usually the
    JSON body; `in_query` for query parameters that stand for body fields.
    """

    def __init__(self, schema: ma.Schema, *, in_query: bool = False):
        self.schema = schema
        self.in_query = in_query

    def load(self) -> dict:
        data = request.args.to_dict() if self.in_query else json_body()
        try:
            return self.schema.load(data)
        except ma.ValidationError as error:
            raise ApiError(422, fields=error.messages) from None
