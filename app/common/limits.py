"""The limits of API.md section 2, as Flask-Limiter decorators.

Each limit's value comes from the config (`LIMIT_*`, in the limiter's notation), so that the
environment, the tests and the benchmarks set it the same way. The counts live in the
limiter's storage (`RATELIMIT_STORAGE_URI`), shared by every worker and server.
"""

from collections.abc import Callable
from functools import wraps

from flask import Response, current_app, g
from flask_limiter import RouteLimit
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app.auth.schemas import LoginIn
from app.common.body import json_body
from app.errors import ApiError
from app.extensions import db, limiter
from app.models import User

LOGIN_NAME = LoginIn(only=("username",))


def configured(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def caller() -> str:
    """The logged-in caller. A limit keyed by it goes under `@blp.auth`, which loads the
    caller first: Flask-Limiter takes any error raised while it keys a limit for its storage
    failing, and would count in each worker's memory after a database error."""
    return f"user:{current_user.id}"


def login_account() -> str | None:
    """The account a login names, by username or email, whichever is given: the user's id
    when there is one, else the name itself, so that guessing at a name that does not
    exist is counted and answered as any other. None for a body that names nothing."""
    if "login_account" not in g:
        name = _login_name()
        g.login_account = _account_key(name.lower()) if name is not None else None
    return g.login_account


def _login_name() -> str | None:
    """The username of the login, read as the view reads it: a body or a name it refuses
    (400, 413, 415, 422) names no account."""
    try:
        return LOGIN_NAME.load({"username": json_body().get("username")})["username"]
    except (ApiError, HTTPException, ValidationError):
        return None


def naming_login_account(view: Callable) -> Callable:
    """Look up the account a login names before its limits key on it (see caller()): put
    above the limits."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        login_account()
        return view(*args, **kwargs)

    return wrapper


def _account_key(name: str) -> str:
    user_id = db.session.scalar(select(User.id).where(User.named(name)))
    return f"user:{user_id}" if user_id is not None else f"name:{name}"


def names_no_account() -> bool:
    return login_account() is None


def failed_login(response: Response) -> bool:
    """A login that did not let the caller in: any answer but 200, and 429 (refused
    before the try)."""
    return response.status_code not in (200, 429)


def wrong_current_password(response: Response) -> bool:
    """A password change refused for its current password: a 422 that names it."""
    if response.status_code != 422:
        return False
    return "current_password" in response.get_json()["error"]["fields"]


def created(response: Response) -> bool:
    """A record made by this call."""
    return response.status_code == 201


def failed_logins_per_address(deduct_when: Callable[[Response], bool]) -> RouteLimit:
    """Failed logins from one address, counted alike by every view that tries a password."""
    return limiter.shared_limit(
        configured("LIMIT_LOGIN_FAILURES_PER_ADDRESS"),
        scope="login-failures-per-address",
        deduct_when=deduct_when,
        error_message="Too many failed logins from this address",
    )


def failed_logins_per_account(
    account: Callable[[], str | None],
    deduct_when: Callable[[Response], bool],
    exempt_when: Callable[[], bool] | None = None,
) -> RouteLimit:
    """Failed logins naming one account, from any address."""
    return limiter.shared_limit(
        configured("LIMIT_LOGIN_FAILURES_PER_ACCOUNT"),
        scope="login-failures-per-account",
        key_func=account,
        exempt_when=exempt_when,
        deduct_when=deduct_when,
        error_message="Too many failed logins for this account",
    )


def per_address(setting: str, what: str) -> RouteLimit:
    """Every call of the view from one address."""
    return limiter.limit(
        configured(setting), scope=setting, error_message=f"Too many {what} from this address"
    )


def created_per_user(setting: str, what: str) -> RouteLimit:
    """Records one user creates. Put under `@blp.idempotent`: a repeated call answered from
    its Idempotency-Key answers as the first did, at the limit too, and counts for nothing."""
    return limiter.limit(
        configured(setting),
        key_func=caller,
        deduct_when=created,
        error_message=f"Too many {what}",
    )
