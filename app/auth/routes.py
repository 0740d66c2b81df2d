"""HTTP endpoints of section 2: /signup, /login, /logout, and the caller's password and
tokens."""

from flask import session
from flask_login import current_user

from app.auth import services
from app.auth.schemas import (
    PASSWORD_MIN_LENGTH,
    ChangePasswordIn,
    CurrentUserOut,
    LoginIn,
    LoginOut,
    SignupFormOut,
    SignupIn,
    TokenOut,
    UserOut,
)
from app.common.auth import (
    SESSION_TOKEN_ID,
    end_session,
    request_token_id,
    start_session,
    tokens_in_use,
)
from app.common.blueprint import ApiBlueprint
from app.common.body import Body
from app.common.limits import (
    caller,
    failed_login,
    failed_logins_per_account,
    failed_logins_per_address,
    login_account,
    names_no_account,
    naming_login_account,
    per_address,
    wrong_current_password,
)
from app.common.pagination import PageArgs, page_of
from app.extensions import db
from app.models import SIGNUP_ROLES, User

blp = ApiBlueprint(
    "auth", __name__, description="Sign up, log in, log out; the caller's password and tokens."
)


@blp.route("/signup", methods=["GET"])
@blp.response(200, SignupFormOut)
def describe_signup():
    """Tell a sign-up form what it needs."""
    return {"roles": list(SIGNUP_ROLES), "password_min_length": PASSWORD_MIN_LENGTH}


@blp.route("/signup", methods=["POST"])
@per_address("LIMIT_SIGNUPS_PER_ADDRESS", "sign-ups")
@blp.body(SignupIn)
@blp.response(201, UserOut)
@blp.errors(409, 429)
def sign_up(body: Body):
    """Create an account (not logged in yet)."""
    user = services.create_user(**body.load())
    db.session.commit()
    return user


@blp.route("/login", methods=["POST"])
@naming_login_account
@per_address("LIMIT_LOGINS_PER_ADDRESS", "logins")
@failed_logins_per_address(failed_login)
@failed_logins_per_account(login_account, failed_login, exempt_when=names_no_account)
@blp.body(LoginIn)
@blp.response(200, LoginOut)
@blp.errors(401, 429)
def log_in(body: Body):
    """Log in with username or email: sets the session cookie and returns a bearer token."""
    user = services.authenticate(**body.load())
    token, api_token = services.issue_token(user)
    db.session.commit()
    start_session(user, api_token)
    return {"user": user, "token": token, "token_expires_at": api_token.expires_at}


@blp.route("/login", methods=["GET"])
@blp.auth()
@blp.response(200, CurrentUserOut)
def show_current_user():
    """Return the logged-in user."""
    return {"user": db.session.get(User, current_user.id)}


@blp.route("/logout", methods=["POST"])
@blp.auth()
@blp.response(204)
def log_out():
    """End the session and revoke the token in use (and the one behind the cookie)."""
    services.revoke_tokens(current_user, tokens_in_use())
    db.session.commit()
    end_session()


@blp.route("/change_password", methods=["POST"])
@blp.auth()
@failed_logins_per_address(wrong_current_password)
@failed_logins_per_account(caller, wrong_current_password)
@blp.body(ChangePasswordIn)
@blp.response(204)
@blp.errors(429)
def change_password(body: Body):
    """Change the caller's password; every other token and session of theirs is revoked."""
    data = body.load()
    user = db.session.get(User, current_user.id)
    services.check_current_password(user, data["current_password"])
    services.change_password(user, data["new_password"], keep_token_id=request_token_id())
    db.session.commit()


@blp.route("/tokens", methods=["GET"])
@blp.auth()
@blp.query(PageArgs)
@blp.response(200, page_of(TokenOut))
def list_tokens(args: dict):
    """List the caller's live tokens, newest first (never the tokens themselves)."""
    return services.list_tokens(current_user, request_token_id(), **args)


@blp.route("/token/<id:token_id>", methods=["DELETE"])
@blp.auth()
@blp.response(204)
@blp.errors(404)
def revoke_token(token_id: int):
    """Revoke one of the caller's live tokens, and so the session of its login."""
    services.revoke_token(current_user, token_id)
    db.session.commit()
    if session.get(SESSION_TOKEN_ID) == token_id:
        end_session()


@blp.route("/logout_all", methods=["POST"])
@blp.auth()
@blp.response(204)
def log_out_everywhere():
    """Revoke every token and session of the caller, the ones in use included."""
    services.revoke_all_tokens(current_user)
    db.session.commit()
    end_session()
