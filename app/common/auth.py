"""Who the caller is (session cookie or bearer token) and what their role lets them do."""

from flask import Request
from flask_login import AnonymousUserMixin
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.errors import ApiError
from app.extensions import db, login_manager
from app.models import ApiToken, User
from app.models.base import utcnow

ROLE_NAMES = {"customer": "a customer", "lecturer": "a lecturer", "admin": "an admin"}


def _user_query():
    return select(User).options(
        joinedload(User.lecturer_profile), joinedload(User.customer_profile)
    )


@login_manager.user_loader
def load_user_from_session(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.scalars(_user_query().where(User.id == int(user_id))).first()


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@login_manager.request_loader
def load_user_from_token(request: Request) -> User | None:
    """The user of a valid bearer token: not expired, not revoked."""
    token = bearer_token(request)
    if token is None:
        return None
    return db.session.scalars(
        _user_query()
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == ApiToken.hash(token),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(),
        )
    ).first()


@login_manager.unauthorized_handler
def unauthorized() -> None:
    raise ApiError.unauthorized()


class AnonymousUser(AnonymousUserMixin):
    role = None


login_manager.anonymous_user = AnonymousUser


def ensure_role(user: User, *roles: str) -> None:
    """403 unless the user has one of the roles, saying which role the action needs."""
    if user.role not in roles:
        needed = " or ".join(ROLE_NAMES[role] for role in roles)
        raise ApiError.forbidden(f"Only {needed} may do this.")
