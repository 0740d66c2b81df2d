"""The password rule of sign-up, /change_password and `flask create-admin` (API.md section 2)."""

import marshmallow as ma
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from app.common.fields import Text

MIN_LENGTH, MAX_LENGTH = 8, 128
# The 30,000 passwords people use most, as zxcvbn ranks them from leaked password lists.
COMMON_PASSWORDS = frozenset(password.lower() for password in FREQUENCY_LISTS["passwords"])

TOO_COMMON = "This password is too commonly used; choose one that is harder to guess."
IS_USERNAME = "The password must not be the username."
IS_EMAIL = "The password must not be the email."


def password_problem(
    password: str, *, username: str | None = None, email: str | None = None
) -> str | None:
    """What makes a password of the right length unfit, or None: being a commonly used
    password, or the account's username or email, whatever the case of either."""
    folded = password.lower()
    if folded in COMMON_PASSWORDS:
        return TOO_COMMON
    if username is not None and folded == username.lower():
        return IS_USERNAME
    if email is not None and folded == email.lower():
        return IS_EMAIL
    return None


def _not_common(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise ma.ValidationError(problem)


class Password(Text):
    """A new password: 8–128 characters, not a commonly used one. A schema that knows the
    account's username and email checks the password against them too (password_problem)."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=[ma.validate.Length(MIN_LENGTH, MAX_LENGTH), _not_common],
            metadata={
                "description": f"{MIN_LENGTH}–{MAX_LENGTH} characters; not a commonly used "
                "password, nor the username or the email."
            },
            **kwargs,
        )
