"""Bodies and query parameters of the review endpoints."""

import marshmallow as ma
from marshmallow import validate

from app.common.fields import ID_RANGE, Integer, Text
from app.common.pagination import PageArgs
from app.common.schemas import Out, Partial


class ReviewIn(ma.Schema):
    order_id = Integer(required=True, validate=ID_RANGE)
    grade = Integer(required=True, validate=validate.Range(1, 5))
    text = Text(validate=validate.Length(max=5000), allow_none=True)


class ReviewUpdate(Partial, ma.Schema):
    grade = Integer(required=True, validate=validate.Range(1, 5))
    text = Text(validate=validate.Length(max=5000), allow_none=True)


class ReviewOut(Out):
    id = ma.fields.Integer(required=True)
    order_id = ma.fields.Integer(required=True)
    lecture_id = ma.fields.Integer(required=True)
    lecturer_id = ma.fields.Integer(required=True, metadata={"description": "A profile id."})
    customer_id = ma.fields.Integer(required=True, metadata={"description": "A profile id."})
    grade = ma.fields.Integer(required=True)
    text = ma.fields.String(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class ReviewArgs(PageArgs):
    lecture_id = ma.fields.Integer(validate=ID_RANGE)
    lecturer_id = ma.fields.Integer(validate=ID_RANGE)
