"""Who the caller is (session cookie or bearer token) and what their role lets them do."""

from flask import Flask, Request, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import AnonymousUserMixin, login_user
from sqlalchemy import Select, bindparam, select

from app.errors import ApiError
from app.extensions import db, login_manager
from app.models import ApiToken, CustomerProfile, LecturerProfile, User
from app.models.base import utcnow

SESSION_TOKEN_ID = "token_id"
ROLE_NAMES = {"customer": "a customer", "lecturer": "a lecturer", "admin": "an admin"}


def _live_token_user(*conditions) -> Select:
    """The user (with both profiles) and the id of a token neither revoked nor expired."""
    return (
        select(User, ApiToken.id)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.revoked_at.is_(None), ApiToken.expires_at > bindparam("now"), *conditions)
    )


# Built once, as every authenticated request runs one of them.
USER_OF_TOKEN_HASH = _live_token_user(ApiToken.token_hash == bindparam("token_hash"))
USER_OF_SESSION = _live_token_user(
    ApiToken.id == bindparam("token_id"), User.id == bindparam("user_id")
)


def _user_of_live_token(statement: Select, **params) -> User | None:
    """The user a live token lets in; g.token_id remembers the token."""
    row = db.session.execute(statement, {"now": utcnow(), **params}).first()
    if row is None:
        return None
    user, g.token_id = row
    return user


@login_manager.user_loader
def load_user_from_session(user_id: str) -> User | None:
    """The session's user, while the login that opened the session stands.

    A session cookie is tied to the token its login issued, so that logging out (or the
    token's expiry) ends it for good, even for a copy of the cookie kept from before.
    A request that names a bearer token is judged by that token alone.
    """
    if bearer_token(request):
        return None
    token_id = session.get(SESSION_TOKEN_ID)
    if not user_id.isdigit() or not isinstance(token_id, int):
        return None
    return _user_of_live_token(USER_OF_SESSION, token_id=token_id, user_id=int(user_id))


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


@login_manager.request_loader
def load_user_from_token(request: Request) -> User | None:
    token = bearer_token(request)
    if token is None:
        return None
    return _user_of_live_token(USER_OF_TOKEN_HASH, token_hash=ApiToken.hash(token))


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed session cookie, with no signer built for a request that sends none.

    Most calls carry a bearer token or nothing; Flask would build the signer for each.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def start_session(user: User, api_token: ApiToken) -> None:
    """Log the user in with the session cookie, tied to the token of this login."""
    login_user(user)
    session[SESSION_TOKEN_ID] = api_token.id


def tokens_in_use() -> set[int]:
    """The token this request was let in with, and the one behind its session cookie."""
    return {g.get("token_id"), session.get(SESSION_TOKEN_ID)} - {None}


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


def lecturer_profile_of(user: User) -> LecturerProfile:
    """The user's lecturer profile; 403 saying to create it first when there is none."""
    if user.lecturer_profile is None:
        raise ApiError.forbidden(
            "Create your lecturer profile first (POST /create_lecture_profile)."
        )
    return user.lecturer_profile


def customer_profile_of(user: User) -> CustomerProfile:
    """The user's customer profile; 403 saying to create it first when there is none."""
    if user.customer_profile is None:
        raise ApiError.forbidden(
            "Create your customer profile first (POST /create_customer_profile)."
        )
    return user.customer_profile
