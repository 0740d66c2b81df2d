"""Sign-up, login, logout and the login throttle."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import limits.storage.memory
import pytest
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import ApiToken, User
from config import Config
from tests.helpers import MALFORMED_BODIES, MIB, MISSING, assert_error, signup_body

USER_KEYS = {
    "id",
    "username",
    "email",
    "role",
    "lecturer_profile_id",
    "customer_profile_id",
    "created_at",
}


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def parse_time(value: str) -> datetime:
    """An ISO 8601 time of the API: with the +00:00 offset."""
    assert value.endswith("+00:00"), value
    return datetime.fromisoformat(value)


def session_cookie(response: TestResponse) -> dict[str, str]:
    """The attributes of the session cookie a response sets, lower-cased names."""
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    attributes = {}
    for part in header.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        attributes[name.lower()] = value
    return attributes


def expire_tokens(app, user_id: int) -> None:
    with app.app_context():
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user_id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()


def credentials(account, **changes) -> dict:
    return {"username": account.username, "password": account.password, **changes}


# GET /signup


def test_signup_form_lists_roles_and_password_length(client):
    response = client.get("/signup")
    assert response.status_code == 200
    assert response.json == {"roles": ["customer", "lecturer"], "password_min_length": 8}


# POST /signup: success


@pytest.mark.parametrize("role", ["customer", "lecturer"])
def test_signup_answers_201_with_the_user(client, role):
    response = client.post("/signup", json=signup_body(role=role))
    assert response.status_code == 201, response.json
    user = response.json
    assert set(user) == USER_KEYS
    assert isinstance(user["id"], int) and user["id"] > 0
    assert user["username"] == "alice"
    assert user["email"] == "alice@example.com"
    assert user["role"] == role
    assert user["lecturer_profile_id"] is None
    assert user["customer_profile_id"] is None
    created_at = parse_time(user["created_at"])
    assert abs(datetime.now(UTC) - created_at) < timedelta(minutes=1)


def test_signup_answer_has_no_password_or_hash(client):
    response = client.post("/signup", json=signup_body())
    assert response.status_code == 201
    text = response.get_data(as_text=True)
    assert "s3cret-pass" not in text
    assert "password" not in text
    assert "hash" not in text
    assert "pbkdf2" not in text and "scrypt" not in text


def test_signup_stores_the_password_hashed(app, client):
    response = client.post("/signup", json=signup_body())
    assert response.status_code == 201
    with app.app_context():
        user = db.session.get(User, response.json["id"])
        assert user.password_hash != "s3cret-pass"
        assert "s3cret-pass" not in user.password_hash
        assert check_password_hash(user.password_hash, "s3cret-pass")


def test_same_password_gives_different_salted_hashes(app, client):
    first = client.post("/signup", json=signup_body())
    second = client.post("/signup", json=signup_body(username="bob", email="bob@example.com"))
    assert first.status_code == second.status_code == 201
    with app.app_context():
        hashes = {db.session.get(User, r.json["id"]).password_hash for r in (first, second)}
    assert len(hashes) == 2


def test_signup_stores_the_fields_as_sent(app, client):
    body = signup_body(username="Alice.B-c_9", email="Alice@Example.com", role="lecturer")
    response = client.post("/signup", json=body)
    assert response.status_code == 201
    with app.app_context():
        user = db.session.get(User, response.json["id"])
        assert (user.username, user.email, user.role) == (
            "Alice.B-c_9",
            "Alice@Example.com",
            "lecturer",
        )


@pytest.mark.parametrize(
    "changes",
    [
        {"username": "abc"},
        {"username": "a" * 64},
        {"username": "..."},
        {"username": "A-Z_a.z-0_9"},
        {"password": "p" * 8},
        {"password": "p" * 128},
        {"password": "é" * 128},
        {"password": "😀" * 8},
        {"password": "  spaced  "},
    ],
    ids=[
        "username-3",
        "username-64",
        "username-dots",
        "username-all-classes",
        "password-8",
        "password-128",
        "password-128-code-points",
        "password-8-astral",
        "password-with-spaces",
    ],
)
def test_signup_accepts_the_bounds_and_login_then_works(client, changes):
    body = signup_body(**changes)
    assert client.post("/signup", json=body).status_code == 201
    response = client.post(
        "/login", json={"username": body["username"], "password": body["password"]}
    )
    assert response.status_code == 200, response.json


def test_signup_accepts_json_with_a_charset(client):
    response = client.post(
        "/signup",
        data=client.application.json.dumps(signup_body()),
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 201, response.json


def test_signup_does_not_log_in(client):
    response = client.post("/signup", json=signup_body())
    assert response.status_code == 201
    assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert_error(client.get("/login"), 401, "unauthorized")


# POST /signup: conflicts


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"username": "Alice"}, {"username": "alice", "email": "other@example.com"}),
        ({"username": "alice"}, {"username": "ALICE", "email": "other@example.com"}),
        ({"email": "Bob@Example.com"}, {"username": "other", "email": "bob@example.COM"}),
        ({"email": "bob@example.com"}, {"username": "other", "email": "bob@example.com"}),
    ],
    ids=["username-other-case", "username-upper", "email-other-case", "email-same"],
)
def test_signup_with_a_taken_username_or_email_is_409(app, client, first, second):
    assert client.post("/signup", json=signup_body(**first)).status_code == 201
    assert_error(client.post("/signup", json=signup_body(**second)), 409, "conflict")
    assert count_users(app) == 1


# POST /signup: bad bodies


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "a" * 65}, "username"),
        ({"username": ""}, "username"),
        ({"username": "bad name"}, "username"),
        ({"username": "alice@example.com"}, "username"),
        ({"username": "naïve"}, "username"),
        ({"username": "alice\n"}, "username"),
        ({"username": " alice"}, "username"),
        ({"username": "al\x00ice"}, "username"),
        ({"username": "al\ud800ice"}, "username"),
        ({"username": 12345}, "username"),
        ({"username": None}, "username"),
        ({"username": MISSING}, "username"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "alice@"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 250 + "@example.com"}, "email"),
        ({"email": "alice\x00@example.com"}, "email"),
        ({"email": ["alice@example.com"]}, "email"),
        ({"email": MISSING}, "email"),
        ({"password": "p" * 7}, "password"),
        ({"password": "é" * 7}, "password"),
        ({"password": "p" * 129}, "password"),
        ({"password": "pass\x00word"}, "password"),
        ({"password": "pass\ud800word"}, "password"),
        ({"password": 12345678}, "password"),
        ({"password": None}, "password"),
        ({"password": MISSING}, "password"),
        ({"role": "admin"}, "role"),
        ({"role": "Customer"}, "role"),
        ({"role": ""}, "role"),
        ({"role": True}, "role"),
        ({"role": MISSING}, "role"),
        ({"is_admin": True}, "is_admin"),
        ({"id": 1}, "id"),
    ],
    ids=[
        "username-2",
        "username-65",
        "username-empty",
        "username-space",
        "username-at",
        "username-non-ascii",
        "username-trailing-newline",
        "username-leading-space",
        "username-nul",
        "username-lone-surrogate",
        "username-number",
        "username-null",
        "username-missing",
        "email-invalid",
        "email-no-domain",
        "email-empty",
        "email-too-long",
        "email-nul",
        "email-list",
        "email-missing",
        "password-7",
        "password-7-code-points",
        "password-129",
        "password-nul",
        "password-lone-surrogate",
        "password-number",
        "password-null",
        "password-missing",
        "role-admin",
        "role-wrong-case",
        "role-empty",
        "role-bool",
        "role-missing",
        "unknown-field",
        "unknown-field-id",
    ],
)
def test_bad_signup_is_422_naming_the_field(app, client, changes, field):
    error = assert_error(
        client.post("/signup", json=signup_body(**changes)), 422, "validation_error"
    )
    assert field in error["fields"]
    assert count_users(app) == 0


def test_signup_with_an_empty_object_names_every_field(app, client):
    error = assert_error(client.post("/signup", json={}), 422, "validation_error")
    assert set(error["fields"]) == {"username", "email", "password", "role"}
    assert count_users(app) == 0


NESTED_32 = '{"username": ' + "[" * 31 + "]" * 31 + "}"


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_malformed_signup_body_is_rejected(app, client, data, content_type, status, code):
    response = client.post("/signup", data=data, content_type=content_type)
    assert_error(response, status, code)
    assert count_users(app) == 0


def test_signup_nested_32_deep_is_parsed_then_422(client):
    error = assert_error(
        client.post("/signup", data=NESTED_32, content_type="application/json"),
        422,
        "validation_error",
    )
    assert "username" in error["fields"]


def test_signup_body_of_exactly_1_mib_is_read_then_422(client):
    prefix, suffix = '{"username": "', '"}'
    data = prefix + "a" * (MIB - len(prefix) - len(suffix)) + suffix
    assert len(data.encode()) == MIB
    error = assert_error(
        client.post("/signup", data=data, content_type="application/json"),
        422,
        "validation_error",
    )
    assert "username" in error["fields"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("put", "/signup"), ("delete", "/login"), ("get", "/logout"), ("put", "/logout")],
)
def test_other_methods_are_405_json_with_allow(client, method, path):
    response = getattr(client, method)(path)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"]


# POST /login


@pytest.mark.parametrize(
    "login_as",
    [
        lambda account: account.username,
        lambda account: account.username.upper(),
        lambda account: account.email,
        lambda account: account.email.upper(),
    ],
    ids=["username", "username-upper-case", "email", "email-upper-case"],
)
def test_login_by_username_or_email_in_any_case(client, customer, login_as):
    response = client.post("/login", json=credentials(customer, username=login_as(customer)))
    assert response.status_code == 200, response.json
    assert response.json["user"]["id"] == customer.id


def test_login_answers_user_token_and_expiry(client, customer):
    response = client.post("/login", json=credentials(customer))
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"user", "token", "token_expires_at"}
    assert set(body["user"]) == USER_KEYS
    assert body["user"]["username"] == customer.username
    assert body["user"]["email"] == customer.email
    assert body["user"]["role"] == "customer"
    assert isinstance(body["token"], str) and len(body["token"]) >= 32
    assert customer.password not in response.get_data(as_text=True)


def test_login_token_expires_in_30_days(client, customer):
    response = client.post("/login", json=credentials(customer))
    expires_at = parse_time(response.json["token_expires_at"])
    assert abs(expires_at - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=1)


def test_login_gives_the_same_user_as_signup(client):
    created = client.post("/signup", json=signup_body())
    response = client.post("/login", json={"username": "alice", "password": "s3cret-pass"})
    assert response.status_code == 200
    assert response.json["user"] == created.json


def test_each_login_gives_a_new_token(client, customer):
    first = client.post("/login", json=credentials(customer))
    second = client.post("/login", json=credentials(customer))
    assert len({first.json["token"], second.json["token"], customer.token}) == 3


def test_login_token_works_as_bearer(client, customer):
    token = client.post("/login", json=credentials(customer)).json["token"]
    other = client.application.test_client()
    response = other.get("/login", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json["user"]["id"] == customer.id


def test_login_session_cookie_works_without_a_header(client, customer):
    assert client.post("/login", json=credentials(customer)).status_code == 200
    response = client.get("/login")
    assert response.status_code == 200
    assert response.json["user"]["id"] == customer.id


def test_answers_that_read_the_caller_from_the_cookie_vary_with_it(client, customer):
    assert client.post("/login", json=credentials(customer)).status_code == 200
    assert client.get("/login").headers["Vary"] == "Cookie"


def test_a_bearer_token_is_judged_alone_beside_a_session_cookie(client, customer, lecturer):
    assert client.post("/login", json=credentials(customer)).status_code == 200
    as_lecturer = client.get("/login", headers=lecturer.headers)
    assert as_lecturer.status_code == 200
    assert as_lecturer.json["user"]["id"] == lecturer.id
    bad_token = client.get("/login", headers={"Authorization": "Bearer garbage"})
    assert_error(bad_token, 401, "unauthorized")
    assert client.get("/login").json["user"]["id"] == customer.id


def test_public_answers_set_no_cookie(client, customer):
    anonymous = client.get("/cities")
    assert client.post("/login", json=credentials(customer)).status_code == 200
    logged_in = client.get("/cities")
    for response in (anonymous, logged_in):
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers


def test_no_remember_me_cookie_is_ever_set(client, customer):
    response = client.post("/login", json=credentials(customer))
    assert "remember_token" not in response.headers.get("Set-Cookie", "")
    client.set_cookie("remember_token", "1|forged")
    assert client.post("/logout").status_code == 204
    assert client.get("/login").status_code == 401


def test_login_session_cookie_is_httponly_and_samesite_lax(client, customer):
    attributes = session_cookie(client.post("/login", json=credentials(customer)))
    assert "httponly" in attributes
    assert attributes["samesite"] == "Lax"


def test_session_cookie_is_secure_with_production_settings(make_app, customer):
    if not Config.SESSION_COOKIE_SECURE:
        pytest.skip("SESSION_COOKIE_SECURE=0 is set in the environment")
    app = make_app(SESSION_COOKIE_SECURE=Config.SESSION_COOKIE_SECURE)
    response = app.test_client().post("/login", json=credentials(customer))
    assert "secure" in session_cookie(response)


def test_token_is_stored_hashed(app, customer):
    with app.app_context():
        hashes = db.session.scalars(
            select(ApiToken.token_hash).where(ApiToken.user_id == customer.id)
        ).all()
    assert len(hashes) == 1
    assert hashes[0] != customer.token
    assert customer.token not in hashes[0]


def test_unknown_user_and_wrong_password_answer_alike(client, customer):
    wrong_password = client.post("/login", json=credentials(customer, password="not-the-one"))
    unknown_user = client.post("/login", json={"username": "nobody", "password": customer.password})
    assert_error(wrong_password, 401, "unauthorized")
    assert_error(unknown_user, 401, "unauthorized")
    assert wrong_password.json == unknown_user.json


@pytest.mark.parametrize(
    "password",
    [
        lambda password: password.upper(),
        lambda password: password + " ",
        lambda password: password[:-1],
    ],
    ids=["other-case", "trailing-space", "truncated"],
)
def test_login_with_a_near_miss_password_is_401(client, customer, password):
    response = client.post(
        "/login", json=credentials(customer, password=password(customer.password))
    )
    assert_error(response, 401, "unauthorized")


def test_failed_login_sets_no_session(client, customer):
    client.post("/login", json=credentials(customer, password="not-the-one"))
    assert_error(client.get("/login"), 401, "unauthorized")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"username": MISSING}, "username"),
        ({"password": MISSING}, "password"),
        ({"username": ""}, "username"),
        ({"password": ""}, "password"),
        ({"username": 42}, "username"),
        ({"password": 12345678}, "password"),
        ({"username": None}, "username"),
        ({"username": "us\x00er"}, "username"),
        ({"password": "pass\x00word"}, "password"),
        ({"remember": True}, "remember"),
        ({"role": "admin"}, "role"),
    ],
    ids=[
        "username-missing",
        "password-missing",
        "username-empty",
        "password-empty",
        "username-number",
        "password-number",
        "username-null",
        "username-nul",
        "password-nul",
        "unknown-field",
        "role-is-unknown",
    ],
)
def test_bad_login_body_is_422_naming_the_field(client, customer, changes, field):
    body = {
        name: value
        for name, value in credentials(customer, **changes).items()
        if value is not MISSING
    }
    error = assert_error(client.post("/login", json=body), 422, "validation_error")
    assert field in error["fields"]


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_malformed_login_body_is_rejected(client, data, content_type, status, code):
    assert_error(client.post("/login", data=data, content_type=content_type), status, code)


# GET /login


def test_current_user_with_a_token(client, lecturer):
    response = client.get("/login", headers=lecturer.headers)
    assert response.status_code == 200
    assert set(response.json) == {"user"}
    user = response.json["user"]
    assert set(user) == USER_KEYS
    assert (user["id"], user["username"], user["email"], user["role"]) == (
        lecturer.id,
        lecturer.username,
        lecturer.email,
        "lecturer",
    )
    parse_time(user["created_at"])


def test_current_user_without_credentials_is_401_json(client):
    assert_error(client.get("/login"), 401, "unauthorized")


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer garbage",
        "Bearer ",
        "Bearer",
        "garbage",
        "Bearer " + "x" * 10_000,
    ],
    ids=["garbage-token", "empty-token", "scheme-only", "no-scheme", "huge-token"],
)
def test_current_user_with_a_bad_authorization_is_401(client, customer, authorization):
    response = client.get("/login", headers={"Authorization": authorization})
    assert_error(response, 401, "unauthorized")


def test_a_real_token_under_another_scheme_is_401(client, customer):
    response = client.get("/login", headers={"Authorization": f"Token {customer.token}"})
    assert_error(response, 401, "unauthorized")


def test_current_user_with_a_revoked_token_is_401(client, customer):
    assert client.post("/logout", headers=customer.headers).status_code == 204
    assert_error(client.get("/login", headers=customer.headers), 401, "unauthorized")


def test_current_user_with_an_expired_token_is_401(app, client, customer):
    expire_tokens(app, customer.id)
    assert_error(client.get("/login", headers=customer.headers), 401, "unauthorized")


def test_an_expired_token_cannot_log_out(app, client, customer):
    expire_tokens(app, customer.id)
    assert_error(client.post("/logout", headers=customer.headers), 401, "unauthorized")


# POST /logout


def test_logout_answers_204_with_no_body(client, customer):
    response = client.post("/logout", headers=customer.headers)
    assert response.status_code == 204
    assert response.data == b""


def test_logout_revokes_the_token_used(app, client, customer):
    client.post("/logout", headers=customer.headers)
    with app.app_context():
        revoked_at = db.session.scalar(
            select(ApiToken.revoked_at).where(ApiToken.token_hash == ApiToken.hash(customer.token))
        )
    assert revoked_at is not None


def test_logout_keeps_the_users_other_tokens(client, customer):
    other = client.application.test_client()
    other_token = other.post("/login", json=credentials(customer)).json["token"]
    assert client.post("/logout", headers=customer.headers).status_code == 204
    response = client.get("/login", headers={"Authorization": f"Bearer {other_token}"})
    assert response.status_code == 200


def test_logout_keeps_other_users_tokens(client, customer, lecturer):
    assert client.post("/logout", headers=customer.headers).status_code == 204
    assert client.get("/login", headers=lecturer.headers).status_code == 200


def test_logout_twice_with_the_same_token_is_401(client, customer):
    assert client.post("/logout", headers=customer.headers).status_code == 204
    assert_error(client.post("/logout", headers=customer.headers), 401, "unauthorized")


def test_logout_ends_a_cookie_session(client, customer):
    assert client.post("/login", json=credentials(customer)).status_code == 200
    response = client.post("/logout")
    assert response.status_code == 204
    assert response.data == b""
    assert client.get_cookie("session") is None  # the cookie is deleted, not left half full
    assert_error(client.get("/login"), 401, "unauthorized")


def test_a_cookie_kept_from_before_logout_no_longer_works(app, client, customer):
    assert client.post("/login", json=credentials(customer)).status_code == 200
    stolen = client.get_cookie("session").value
    assert client.post("/logout").status_code == 204
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert_error(replay.get("/login"), 401, "unauthorized")


def test_logout_of_a_cookie_session_keeps_the_users_tokens(client, customer):
    assert client.post("/login", json=credentials(customer)).status_code == 200
    assert client.post("/logout").status_code == 204
    assert client.get("/login", headers=customer.headers).status_code == 200


def test_logout_with_cookie_and_token_ends_both(app, client, customer):
    assert client.post("/login", json=credentials(customer)).status_code == 200
    stolen = client.get_cookie("session").value
    assert client.post("/logout", headers=customer.headers).status_code == 204
    assert_error(client.get("/login", headers=customer.headers), 401, "unauthorized")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert_error(replay.get("/login"), 401, "unauthorized")


def test_logout_without_credentials_is_401(client):
    assert_error(client.post("/logout"), 401, "unauthorized")


def test_logout_with_a_garbage_token_is_401(client):
    response = client.post("/logout", headers={"Authorization": "Bearer garbage"})
    assert_error(response, 401, "unauthorized")


# The login throttle


@pytest.fixture
def throttled(customer, make_app):
    """A client of an app that throttles failed logins; the customer exists before it."""
    return make_app(RATELIMIT_ENABLED=True).test_client()


def fail_logins(client, account, times: int, address: str = "10.0.0.1") -> None:
    """Fail to log in `times` times, alternating a wrong password and a malformed body."""
    for attempt in range(times):
        if attempt % 2:
            response = client.post(
                "/login",
                json={"username": account.username},
                environ_overrides={"REMOTE_ADDR": address},
            )
            assert response.status_code == 422
        else:
            response = client.post(
                "/login",
                json=credentials(account, password="not-the-one"),
                environ_overrides={"REMOTE_ADDR": address},
            )
            assert response.status_code == 401


def login_from(client, account, address: str = "10.0.0.1") -> TestResponse:
    return client.post(
        "/login", json=credentials(account), environ_overrides={"REMOTE_ADDR": address}
    )


def test_eleventh_login_after_ten_failures_is_429(throttled, customer):
    fail_logins(throttled, customer, 10)
    response = login_from(throttled, customer)
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_throttle_answers_malformed_bodies_with_429_too(throttled, customer):
    fail_logins(throttled, customer, 10)
    response = throttled.post(
        "/login",
        data="{",
        content_type="application/json",
        environ_overrides={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert_error(response, 429, "rate_limited")


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("{", "application/json"), ("{}", "text/plain"), ("[]", "application/json")],
    ids=["invalid-json", "wrong-type", "array"],
)
def test_every_malformed_body_counts_as_a_failure(throttled, customer, data, content_type):
    for _ in range(10):
        throttled.post(
            "/login",
            data=data,
            content_type=content_type,
            environ_overrides={"REMOTE_ADDR": "10.0.0.1"},
        )
    assert_error(login_from(throttled, customer), 429, "rate_limited")


def test_nine_failures_do_not_block_the_right_password(throttled, customer):
    fail_logins(throttled, customer, 9)
    assert login_from(throttled, customer).status_code == 200


def test_successful_logins_do_not_count(throttled, customer):
    for _ in range(15):
        assert login_from(throttled, customer).status_code == 200


def test_throttle_is_per_address(throttled, customer):
    fail_logins(throttled, customer, 10, address="10.0.0.1")
    assert login_from(throttled, customer, address="10.0.0.2").status_code == 200


def test_throttle_leaves_get_login_alone(throttled, customer):
    fail_logins(throttled, customer, 10)
    response = throttled.get(
        "/login", headers=customer.headers, environ_overrides={"REMOTE_ADDR": "10.0.0.1"}
    )
    assert response.status_code == 200


def test_throttle_lifts_after_a_minute(throttled, customer, monkeypatch):
    fail_logins(throttled, customer, 10)
    assert login_from(throttled, customer).status_code == 429
    # The in-memory limit storage reads its clock from its own `time` import.
    later = limits.storage.memory.time.time() + 61
    monkeypatch.setattr(limits.storage.memory, "time", SimpleNamespace(time=lambda: later))
    assert login_from(throttled, customer).status_code == 200
