"""Bodies of the auth endpoints."""

import marshmallow as ma
from marshmallow import validate

from app.common.fields import Email, FullMatch, Text
from app.common.schemas import Out
from app.models import SIGNUP_ROLES

PASSWORD_MIN_LENGTH = 8


class SignupIn(ma.Schema):
    username = Text(
        required=True,
        validate=[validate.Length(3, 64), FullMatch(r"[A-Za-z0-9_.-]+")],
        metadata={"description": "3–64 of A-Za-z0-9_.-"},
    )
    email = Email(required=True)
    password = Text(required=True, validate=validate.Length(PASSWORD_MIN_LENGTH, 128))
    role = ma.fields.String(required=True, validate=validate.OneOf(SIGNUP_ROLES))


class SignupFormOut(Out):
    roles = ma.fields.List(ma.fields.String(), required=True)
    password_min_length = ma.fields.Integer(required=True)


class UserOut(Out):
    id = ma.fields.Integer(required=True)
    username = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    lecturer_profile_id = ma.fields.Integer(required=True, allow_none=True)
    customer_profile_id = ma.fields.Integer(required=True, allow_none=True)
    created_at = ma.fields.DateTime(required=True)


class LoginIn(ma.Schema):
    username = Text(
        required=True,
        validate=validate.Length(1, 254),
        metadata={"description": "The username or the email."},
    )
    password = Text(required=True, validate=validate.Length(1, 128))


class CurrentUserOut(Out):
    user = ma.fields.Nested(UserOut, required=True)


class LoginOut(CurrentUserOut):
    token = ma.fields.String(
        required=True, metadata={"description": "Send it as `Authorization: Bearer <token>`."}
    )
    token_expires_at = ma.fields.DateTime(required=True)
