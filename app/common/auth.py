"""Who the caller is (session cookie or bearer token) and what their role lets them do."""

from flask import Flask, Request, Response, current_app, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import AnonymousUserMixin, current_user, login_user, logout_user
from sqlalchemy import ScalarSelect, Select, bindparam, select

from app.database import reads
from app.errors import ApiError
from app.extensions import db, login_manager
from app.models import ApiToken, Caller, CustomerProfile, LecturerProfile, User
from app.models.base import utcnow

SESSION_TOKEN_ID = "token_id"
ROLE_NAMES = {"customer": "a customer", "lecturer": "a lecturer", "admin": "an admin"}

users, tokens = User.__table__.c, ApiToken.__table__.c


def _profile_id(model: type[LecturerProfile | CustomerProfile]) -> ScalarSelect:
    profiles = model.__table__.c
    return select(profiles.id).where(profiles.user_id == users.id).scalar_subquery()


# The caller's columns (see Caller) and the id of a token neither revoked nor expired. Every
# authenticated request runs one of these: they are built on the tables, which the session
# executes without the ORM's work around a statement of mapped attributes.
LIVE_TOKEN_CALLER = (
    select(
        users.id,
        users.role,
        _profile_id(LecturerProfile),
        _profile_id(CustomerProfile),
        tokens.id.label("token_id"),
    )
    .join_from(User.__table__, ApiToken.__table__)
    .where(tokens.revoked_at.is_(None), tokens.expires_at > bindparam("now"))
)
CALLER_OF_TOKEN_HASH = LIVE_TOKEN_CALLER.where(tokens.token_hash == bindparam("token_hash"))
CALLER_OF_SESSION = LIVE_TOKEN_CALLER.where(
    tokens.id == bindparam("token_id"), users.id == bindparam("user_id")
)


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _caller_of_live_token(query: Select, **params) -> Caller | None:
    """The user a live token lets in; g.token_id remembers the token."""
    row = reads().execute(query, {"now": utcnow(), **params}).first()
    if row is None:
        return None
    *columns, g.token_id = row
    return Caller(*columns)


@login_manager.user_loader
def load_user_from_session(user_id: str) -> Caller | None:
    """The session's user, while the login that opened the session stands.

    A session cookie is tied to the token its login issued, so that logging out (or the
    token's expiry) ends it for good, even for a copy of the cookie kept from before.
    A request that names a bearer token is judged by that token alone (the request loader
    below), even beside a valid session cookie.
    """
    token_id = session.get(SESSION_TOKEN_ID)
    if bearer_token(request) or not user_id.isdigit() or type(token_id) is not int:
        return None
    return _caller_of_live_token(CALLER_OF_SESSION, token_id=token_id, user_id=int(user_id))


@login_manager.request_loader
def load_user_from_token(request: Request) -> Caller | None:
    token = bearer_token(request)
    if token is None:
        return None
    return _caller_of_live_token(CALLER_OF_TOKEN_HASH, token_hash=ApiToken.hash(token))


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed session cookie, with no work for a request that neither sends one nor
    touches its session.

    Most calls carry a bearer token or nothing: Flask would build the signer for each, and
    look up the cookie's seven settings after each to find nothing to set.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        cookie_name = self.get_cookie_name(app)
        if "HTTP_COOKIE" not in request.environ or not request.cookies.get(cookie_name):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SecureCookieSession, response: Response) -> None:
        if session or session.modified or session.accessed:
            super().save_session(app, session, response)


def start_session(user: User, api_token: ApiToken) -> None:
    """Log the user in with the session cookie, tied to the token of this login."""
    login_user(user)
    session[SESSION_TOKEN_ID] = api_token.id


def tokens_in_use() -> set[int]:
    """The token this request was let in with, and the one behind its session cookie."""
    return {g.get("token_id"), session.get(SESSION_TOKEN_ID)} - {None}


def request_token_id() -> int | None:
    """The token this request was let in with: its bearer token, or the token of the login
    behind its session cookie."""
    return g.get("token_id")


def end_session() -> None:
    """Log the session cookie's user out and forget its token: the cookie is deleted."""
    logout_user()
    session.pop(SESSION_TOKEN_ID, None)


# Their answers carry passwords or tokens, whoever the caller and whatever the status.
NO_STORE_PATHS = frozenset({"/signup", "/login", "/change_password"})


def forbid_storing(response: Response) -> Response:
    """`Cache-Control: no-store` on every answer of NO_STORE_PATHS and on every answer to a
    logged-in caller (API.md section 1), so that no cache keeps what is theirs."""
    if request.path in NO_STORE_PATHS or _answers_a_logged_in_caller(response):
        response.headers["Cache-Control"] = "no-store"
    return response


def _answers_a_logged_in_caller(response: Response) -> bool:
    """Whether a token let the caller in, asked of the database only for a request that
    sent credentials and was not asked for its caller (a public endpoint): an anonymous
    request costs nothing. After a server error the database is not asked again (it may be
    what failed)."""
    if "token_id" in g:  # let in by a token, even if the request logged out since
        return True
    sent = "HTTP_AUTHORIZATION" in request.environ or request.cookies.get(
        current_app.config["SESSION_COOKIE_NAME"]
    )
    return bool(sent) and response.status_code < 500 and current_user.is_authenticated


@login_manager.unauthorized_handler
def unauthorized() -> None:
    raise ApiError.unauthorized()


class AnonymousUser(AnonymousUserMixin):
    role = None


login_manager.anonymous_user = AnonymousUser


def ensure_role(user: Caller, *roles: str) -> None:
    """403 unless the user has one of the roles, saying which role the action needs."""
    if user.role not in roles:
        needed = " or ".join(ROLE_NAMES[role] for role in roles)
        raise ApiError.forbidden(f"Only {needed} may do this.")


def lecturer_profile_of(user: Caller) -> LecturerProfile:
    """The user's lecturer profile; 403 saying to create it first when there is none."""
    if user.lecturer_profile_id is None:
        raise ApiError.forbidden(
            "Create your lecturer profile first (POST /create_lecture_profile)."
        )
    return db.session.get(LecturerProfile, user.lecturer_profile_id)


def customer_profile_of(user: Caller) -> CustomerProfile:
    """The user's customer profile; 403 saying to create it first when there is none."""
    if user.customer_profile_id is None:
        raise ApiError.forbidden(
            "Create your customer profile first (POST /create_customer_profile)."
        )
    return db.session.get(CustomerProfile, user.customer_profile_id)
