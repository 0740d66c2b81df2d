"""Bodies of the auth endpoints."""

import marshmallow as ma
from marshmallow import validate

from app.auth.passwords import MIN_LENGTH, Password, password_problem
from app.common.fields import Email, FullMatch, Text
from app.common.schemas import Out
from app.models import SIGNUP_ROLES

PASSWORD_MIN_LENGTH = MIN_LENGTH


class SignupIn(ma.Schema):
    username = Text(
        required=True,
        validate=[validate.Length(3, 64), FullMatch(r"[A-Za-z0-9_.-]+")],
        metadata={"description": "3–64 of A-Za-z0-9_.-"},
    )
    email = Email(required=True)
    password = Password(required=True)
    role = ma.fields.String(required=True, validate=validate.OneOf(SIGNUP_ROLES))

    @ma.validates_schema(skip_on_field_errors=False)
    def password_is_not_the_name(self, data: dict, **kwargs) -> None:
        """The password must not be the username or the email (those of them that are valid)."""
        if "password" in data:
            problem = password_problem(
                data["password"], username=data.get("username"), email=data.get("email")
            )
            if problem:
                raise ma.ValidationError(problem, "password")


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


class ChangePasswordIn(ma.Schema):
    current_password = Text(required=True, validate=validate.Length(1, 128))
    new_password = Password(required=True)


class TokenOut(Out):
    id = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)
    expires_at = ma.fields.DateTime(required=True)
    current = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "Whether this request uses the token: as its bearer token, or "
            "behind its session cookie (a session belongs to the token of its login)."
        },
    )
