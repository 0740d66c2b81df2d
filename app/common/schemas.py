"""Schemas every blueprint uses: the base of partial updates, and the error shape."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import marshmallow as ma
import orjson
from marshmallow.decorators import POST_DUMP, PRE_DUMP


class ErrorBodySchema(ma.Schema):
    status = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "Only on 422: what is wrong with each field."},
    )
    allowed_transitions = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Only on a refused status move: the moves the caller may make."},
    )


class ErrorSchema(ma.Schema):
    """The shape of every error answer (documentation only)."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class Partial(ma.Schema):
    """Base of the PUT bodies: every field optional (a partial update)."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)


# TEMPORARY: removed once every blueprint dumps rows with its schemas.
MISSING = ma.missing

# The field classes whose value a row already holds in its JSON type, and that type.
PLAIN_TYPES: dict[type[ma.fields.Field], type] = {
    ma.fields.Integer: int,
    ma.fields.String: str,
    ma.fields.Boolean: bool,
}


class DictOut(ma.Schema):
    """Base of the answers built as dicts of values read from SQL rows.

    A field of a plain class whose value already has its JSON type (or is None) is copied as
    it is; a time in ISO format, or a nested answer (or a list of them) of another DictOut,
    is converted directly (see _conversion()); every other field (money, a rating, a value of
    another type) is serialized by the field itself, given the value already read.
    marshmallow's own way, a lookup and a chain of calls per field, took a fifth of the time
    of a page of 20 lectures.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._dump_plan = [
            (
                field.data_key or name,
                field.attribute or name,
                field,
                PLAIN_TYPES.get(type(field)),
                _conversion(field),
            )
            for name, field in self.dump_fields.items()
        ]

    def _serialize(self, obj: dict | Iterable[dict], *, many: bool = False) -> dict | list[dict]:
        if many:
            return [self._serialize(item) for item in obj]
        answer = {}
        for key, attr, field, plain_type, convert in self._dump_plan:
            value = obj.get(attr, MISSING)
            if plain_type is not None and (value is None or type(value) is plain_type):
                answer[key] = value
            elif convert is not None and value is not MISSING:
                answer[key] = None if value is None else convert(value)
            elif value is not MISSING and field._CHECK_ATTRIBUTE:
                answer[key] = field._serialize(value, attr, obj)
            else:  # a default to dump, or a field that reads no attribute
                value = field.serialize(attr, obj, accessor=self.get_attribute)
                if value is not MISSING:
                    answer[key] = value
        return answer

    def get_attribute(self, obj: dict, attr: str, default: object) -> object:
        return obj.get(attr, default)


def iso_time(moment: datetime) -> str:
    """moment in ISO 8601, as moment.isoformat() writes it; a time in UTC, as every time
    read from the database is, written by orjson in a third of isoformat()'s time (two per
    item of a page of lectures)."""
    if moment.tzinfo is UTC:
        return orjson.dumps(moment)[1:-1].decode()
    return moment.isoformat()


def _conversion(field: ma.fields.Field) -> Callable[[object], object] | None:
    """What the field's own serialization does to a value other than None, as one call, for
    the fields whose serialization is no more than that: a time in ISO format, a nested
    DictOut with no hooks, or a list of them. None for any other field."""
    if type(field) is ma.fields.DateTime and field.format in (None, "iso"):
        return iso_time
    if type(field) is ma.fields.Nested and _is_plain_dict_out(field):
        return field.schema._serialize
    inner = getattr(field, "inner", None)
    if (
        type(field) is ma.fields.List
        and type(inner) is ma.fields.Nested
        and _is_plain_dict_out(inner)
    ):
        item = inner.schema._serialize
        return lambda values: [None if value is None else item(value) for value in values]
    return None


def _is_plain_dict_out(field: ma.fields.Nested) -> bool:
    """Whether the nested schema is one DictOut (not many) with no pre- or post-dump hook."""
    schema = field.schema
    return (
        isinstance(schema, DictOut)
        and not (field.many or schema.many)
        and not (schema._hooks[PRE_DUMP] or schema._hooks[POST_DUMP])
    )
