"""Accounts, passwords and tokens."""

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import ColumnElement, bindparam, delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.passwords import password_problem
from app.common.pagination import count_of, paged, read_page
from app.database import reads
from app.errors import ApiError
from app.extensions import db
from app.models import ApiToken, Caller, User
from app.models.base import utcnow

WRONG_LOGIN = "Wrong username or password."


def create_user(*, username: str, email: str, password: str, role: str) -> User:
    """A new account; 409 if the username or the email is taken, whatever its case."""
    if db.session.scalar(select(User.id).where(func.lower(User.username) == func.lower(username))):
        raise ApiError.conflict("That username is taken.")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == func.lower(email))):
        raise ApiError.conflict("That email is already registered.")
    user = User(username=username, email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(*, username: str, password: str) -> User:
    """The user whose username or email and password match; one message for every miss."""
    user = db.session.scalars(select(User).where(User.named(username))).first()
    if user is None:
        # Hash anyway, so that an unknown name takes as long as a wrong password.
        check_password_hash(_dummy_hash(), password)
        raise ApiError.unauthorized(WRONG_LOGIN)
    if not user.check_password(password):
        raise ApiError.unauthorized(WRONG_LOGIN)
    return user


def _dummy_hash() -> str:
    config = current_app.config
    if "_DUMMY_PASSWORD_HASH" not in config:
        config["_DUMMY_PASSWORD_HASH"] = generate_password_hash(
            secrets.token_hex(8), method=config["PASSWORD_HASH_METHOD"]
        )
    return config["_DUMMY_PASSWORD_HASH"]


def issue_token(user: User) -> tuple[str, ApiToken]:
    """A new bearer token for user; the database keeps only its hash."""
    token = secrets.token_urlsafe(32)
    ttl = timedelta(days=current_app.config["TOKEN_TTL_DAYS"])
    api_token = ApiToken(
        user_id=user.id, token_hash=ApiToken.hash(token), expires_at=utcnow() + ttl
    )
    db.session.add(api_token)
    db.session.flush()
    return token, api_token


def revoke_tokens(user: Caller, token_ids: set[int]) -> None:
    _revoke(ApiToken.id.in_(token_ids), ApiToken.user_id == user.id)


def check_current_password(user: User, password: str) -> None:
    """422 on current_password unless it is the user's password.

    A wrong one is a failed login try (API.md section 2): this is the one place that finds it.
    """
    if not user.check_password(password):
        raise ApiError.invalid("current_password", "Wrong password.")


def change_password(user: User, new_password: str, *, keep_token_id: int) -> None:
    """Give the user a new password (422 on new_password if the rule refuses it) and revoke
    every token of theirs but keep_token_id, which ends the sessions of their logins too."""
    problem = password_problem(new_password, username=user.username, email=user.email)
    if problem:
        raise ApiError.invalid("new_password", problem)
    user.set_password(new_password)
    _revoke(ApiToken.user_id == user.id, ApiToken.id != keep_token_id)


def revoke_token(user: Caller, token_id: int) -> None:
    """Revoke one of the user's live tokens; 404 for any other id."""
    if not _revoke(
        ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.expires_at > utcnow()
    ):
        raise ApiError.not_found("You have no live token with this id.")


def revoke_all_tokens(user: Caller) -> None:
    _revoke(ApiToken.user_id == user.id)


def _revoke(*where: ColumnElement[bool]) -> int:
    """Revoke the tokens not yet revoked that match; how many."""
    return db.session.execute(
        update(ApiToken)
        .where(ApiToken.revoked_at.is_(None), *where)
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


# A user's live tokens, newest first; `current` marks the token given as the parameter.
LIVE_TOKENS = (
    select(
        ApiToken.id,
        ApiToken.created_at,
        ApiToken.expires_at,
        (ApiToken.id == bindparam("current")).label("current"),
    )
    .where(
        ApiToken.user_id == bindparam("user_id"),
        ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > bindparam("now"),
    )
    .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
)
LIVE_TOKEN_COUNT = count_of(LIVE_TOKENS)
LIVE_TOKEN_PAGE = paged(LIVE_TOKENS, LIVE_TOKEN_COUNT)


def list_tokens(user: Caller, current_token_id: int, *, page: int, per_page: int) -> dict:
    """A page of the user's live tokens, newest first, marking current_token_id's."""
    params = {"user_id": user.id, "now": utcnow(), "current": current_token_id}
    return read_page(
        LIVE_TOKEN_PAGE,
        LIVE_TOKEN_COUNT,
        page=page,
        per_page=per_page,
        params=params,
        connection=reads(),
    )


def purge_tokens() -> int:
    """Delete the tokens that can let nobody in any more, revoked or expired; how many.

    The token of the largest id stays, whatever its state: SQLite gives a new row the
    largest id plus one, so deleting it would give its id to the next token, and a session
    cookie kept from the deleted token's login (it names its token by id) would let its
    holder in again if that user were the next to log in.
    """
    newest = select(func.max(ApiToken.id)).scalar_subquery()
    return db.session.execute(
        delete(ApiToken)
        .where(
            or_(ApiToken.revoked_at.is_not(None), ApiToken.expires_at <= utcnow()),
            ApiToken.id < newest,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
