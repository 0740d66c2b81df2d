"""Schemas every blueprint uses: the base of partial updates, and the error shape."""

import marshmallow as ma


class ErrorBodySchema(ma.Schema):
    status = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={
            "description": "On a 422, and on a 400 for query parameters: what is wrong with each."
        },
    )
    allowed_transitions = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Only on a refused status move: the moves the caller may make."},
    )


class ErrorSchema(ma.Schema):
    """The shape of every error answer (documentation only)."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


class Out(ma.Schema):
    """Base of the answers: a value is read as an attribute of the row, object or ViewOf
    dumped (a dict's as its key, a dotted path as marshmallow reads it).

    marshmallow's own lookup first tries a row's item by name, which for a row raises and is
    caught for every field of every row dumped.
    """

    def get_attribute(self, obj: object, attr: str, default: object) -> object:
        if isinstance(obj, dict) or "." in attr:
            return super().get_attribute(obj, attr, default)
        return getattr(obj, attr, default)


class Partial(ma.Schema):
    """Base of the PUT bodies: every field optional (a partial update)."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)
