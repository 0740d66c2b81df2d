"""The limits of API.md section 2 other than failed logins per address (test_auth.py), each
set small through its setting, as an operator sets it through the environment."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.common import auth, limits
from app.extensions import db
from app.models import ChatMessage, Order, User
from tests.chats import make_profiles, open_chat
from tests.factories import LectureFactory
from tests.helpers import assert_error

WHEN = "2030-01-01T10:00:00+00:00"
ROOT = Path(__file__).resolve().parent.parent


def limited_client(make_app, **limits):
    """A client of an app that counts the given limits (in memory, fresh for the test)."""
    return make_app(RATELIMIT_ENABLED=True, **limits).test_client()


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def assert_limited(response, message: str, window: int) -> None:
    assert_error(response, 429, "rate_limited")
    assert response.json["error"]["message"].startswith(message)
    assert 1 <= int(response.headers["Retry-After"]) <= window


def log_in(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/login",
        json={"username": username, "password": password},
        environ_overrides={"REMOTE_ADDR": address},
    )


# Failed logins per account


def test_failures_naming_one_account_stop_it_from_every_address(make_app, customer):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ACCOUNT="3/10 minutes")
    for n in range(3):
        assert log_in(client, customer.username, "wrong-password", f"10.0.1.{n}").status_code == 401
    right = log_in(client, customer.username, customer.password, "10.0.2.1")
    assert_limited(right, "Too many failed logins for this account", 600)


def test_the_username_and_the_email_count_as_one_account(make_app, customer):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ACCOUNT="2/10 minutes")
    assert log_in(client, customer.username, "wrong-password", "10.0.1.1").status_code == 401
    assert log_in(client, customer.email.upper(), "wrong-password", "10.0.1.2").status_code == 401
    assert log_in(client, customer.username, customer.password, "10.0.1.3").status_code == 429


def test_a_name_with_no_account_is_counted_alike(make_app):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ACCOUNT="2/10 minutes")
    codes = [
        log_in(client, "Nobody", "wrong-password", f"10.0.1.{n}").status_code for n in range(3)
    ]
    assert codes == [401, 401, 429]


def test_an_account_past_its_limit_leaves_the_others_alone(make_app, customer, lecturer):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ACCOUNT="2/10 minutes")
    for n in range(2):
        log_in(client, customer.username, "wrong-password", f"10.0.1.{n}")
    assert log_in(client, lecturer.username, lecturer.password, "10.0.1.1").status_code == 200


def test_successful_logins_do_not_count_against_the_account(make_app, customer):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ACCOUNT="2/10 minutes")
    for n in range(4):
        assert (
            log_in(client, customer.username, customer.password, f"10.0.1.{n}").status_code == 200
        )


def test_a_login_body_nested_past_python_s_limit_is_a_counted_400_in_the_limiter_s_storage(
    make_app, customer, caplog
):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ADDRESS="1/minute")
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        nested = client.post("/login", data="[" * 100_000, content_type="application/json")
        assert_error(nested, 400, "bad_request")
        right = log_in(client, customer.username, customer.password, address="127.0.0.1")
    assert_limited(right, "Too many failed logins from this address", 60)
    assert [r.getMessage() for r in caplog.records if r.name == "flask-limiter"] == []


# Every login per address


def test_every_login_from_an_address_is_counted(make_app, customer):
    client = limited_client(make_app, LIMIT_LOGINS_PER_ADDRESS="3/minute")
    for _ in range(3):
        assert log_in(client, customer.username, customer.password).status_code == 200
    assert_limited(
        log_in(client, customer.username, customer.password), "Too many logins from this", 60
    )
    other = log_in(client, customer.username, customer.password, address="10.0.0.2")
    assert other.status_code == 200


# Sign-ups per address


def sign_up(client, n: int, address: str = "10.0.0.1"):
    body = {
        "username": f"newcomer{n}",
        "email": f"newcomer{n}@example.com",
        "password": "a-long-passphrase-9",
        "role": "customer",
    }
    return client.post("/signup", json=body, environ_overrides={"REMOTE_ADDR": address})


def test_sign_ups_from_an_address_are_limited_and_the_refused_one_creates_nothing(app, make_app):
    client = limited_client(make_app, LIMIT_SIGNUPS_PER_ADDRESS="2/hour")
    assert [sign_up(client, n).status_code for n in range(2)] == [201, 201]
    assert_limited(sign_up(client, 2), "Too many sign-ups from this address", 3600)
    assert count(app, User) == 2
    assert sign_up(client, 3, address="10.0.0.2").status_code == 201


# New orders per user


@pytest.fixture
def lecture_id(app, customer, lecturer) -> int:
    make_profiles(app, customer, lecturer)
    with app.app_context():
        lecture = LectureFactory(lecturer=db.session.get(User, lecturer.id).lecturer_profile)
        db.session.commit()
        return lecture.id


def create_order(client, account, lecture_id, key: str | None = None, **changes):
    headers = {**account.headers, **({"Idempotency-Key": key} if key else {})}
    body = {"lecture_id": lecture_id, "scheduled_at": WHEN, **changes}
    return client.post("/create_order", json=body, headers=headers)


def test_new_orders_of_a_user_are_limited_and_the_refused_one_creates_nothing(
    app, make_app, customer, lecture_id
):
    client = limited_client(make_app, LIMIT_ORDERS_PER_USER="2/hour")
    assert [create_order(client, customer, lecture_id).status_code for _ in range(2)] == [201] * 2
    assert_limited(create_order(client, customer, lecture_id), "Too many new orders", 3600)
    assert count(app, Order) == 2


def test_a_repeat_with_its_key_and_a_refused_order_count_for_nothing(
    app, make_app, customer, lecture_id
):
    client = limited_client(make_app, LIMIT_ORDERS_PER_USER="2/hour")
    first = create_order(client, customer, lecture_id, key="first")
    assert create_order(client, customer, lecture_id, key="first").json == first.json
    assert create_order(client, customer, lecture_id, scheduled_at="soon").status_code == 422
    assert create_order(client, customer, lecture_id).status_code == 201
    assert create_order(client, customer, lecture_id).status_code == 429
    assert count(app, Order) == 2


def test_a_repeat_with_its_key_at_the_order_limit_answers_as_the_first_call(
    app, make_app, customer, lecture_id
):
    client = limited_client(make_app, LIMIT_ORDERS_PER_USER="1/hour")
    first = create_order(client, customer, lecture_id, key="first")
    repeat = create_order(client, customer, lecture_id, key="first")
    assert (repeat.status_code, repeat.json) == (201, first.json)
    assert_limited(create_order(client, customer, lecture_id, key="second"), "Too many", 3600)
    assert count(app, Order) == 1


def test_the_order_limit_is_per_user(app, make_app, make_account, customer, lecture_id):
    other = make_account("customer")
    make_profiles(app, other)
    client = limited_client(make_app, LIMIT_ORDERS_PER_USER="1/hour")
    assert create_order(client, customer, lecture_id).status_code == 201
    assert create_order(client, other, lecture_id).status_code == 201
    assert create_order(client, customer, lecture_id).status_code == 429


def test_an_anonymous_order_is_401_not_counted(make_app, lecture_id):
    client = limited_client(make_app, LIMIT_ORDERS_PER_USER="1/hour")
    for _ in range(2):
        response = client.post("/create_order", json={"lecture_id": lecture_id})
        assert_error(response, 401, "unauthorized")


# New messages per user


def test_new_messages_of_a_user_are_limited_and_the_refused_one_creates_nothing(
    app, make_app, customer, lecturer
):
    chat = open_chat(app, *make_profiles(app, customer, lecturer))
    client = limited_client(make_app, LIMIT_MESSAGES_PER_USER="2/minute")

    def post(account):
        body = {"chat_id": chat.id, "text": "Hello"}
        return client.post("/create_message", json=body, headers=account.headers)

    assert [post(customer).status_code for _ in range(2)] == [201, 201]
    assert_limited(post(customer), "Too many new messages", 60)
    assert post(lecturer).status_code == 201
    assert count(app, ChatMessage) == 3


def test_a_repeat_with_its_key_at_the_message_limit_answers_as_the_first_call(
    app, make_app, customer, lecturer
):
    chat = open_chat(app, *make_profiles(app, customer, lecturer))
    client = limited_client(make_app, LIMIT_MESSAGES_PER_USER="1/minute")

    def post(key: str):
        headers = {**customer.headers, "Idempotency-Key": key}
        return client.post(
            "/create_message", json={"chat_id": chat.id, "text": "Hi"}, headers=headers
        )

    first = post("first")
    repeat = post("first")
    assert (repeat.status_code, repeat.json) == (201, first.json)
    assert_limited(post("second"), "Too many new messages", 60)
    assert count(app, ChatMessage) == 1


@pytest.mark.parametrize("path", ["/create_order", "/create_message", "/change_password", "/login"])
def test_a_database_error_before_a_limit_is_keyed_is_a_503_the_limiter_does_not_take_for_its_own(
    make_app, customer, monkeypatch, caplog, path
):
    """The caller (or the account a login names) is looked up before the limits key on it:
    Flask-Limiter takes an error raised while it keys a limit for its storage failing, and
    counts in memory after it."""

    def database_gone(*args, **kwargs):
        raise OperationalError("SELECT", {}, ConnectionError("server closed the connection"))

    client = limited_client(make_app)
    monkeypatch.setattr(auth, "_caller_of_live_token", database_gone)
    monkeypatch.setattr(limits, "_account_key", database_gone)
    body = {"username": customer.username, "password": customer.password}
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        response = client.post(path, json=body, headers=customer.headers)
    assert_error(response, 503, "service_unavailable")
    assert [r.getMessage() for r in caplog.records if r.name == "flask-limiter"] == []


# The client's address behind proxies


def fail_from(client, address: str, forwarded_for: str):
    return client.post(
        "/login",
        json={"username": "nobody", "password": "wrong-password"},
        environ_overrides={"REMOTE_ADDR": address},
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_behind_a_trusted_proxy_clients_are_told_apart_by_x_forwarded_for(make_app):
    client = make_app(
        RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1, LIMIT_LOGIN_FAILURES_PER_ADDRESS="2/minute"
    ).test_client()
    codes = [fail_from(client, "127.0.0.1", "203.0.113.7").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    assert fail_from(client, "127.0.0.1", "203.0.113.8").status_code == 401


def test_without_trusted_proxies_x_forwarded_for_is_ignored(make_app):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ADDRESS="2/minute")
    codes = [fail_from(client, "10.0.0.1", f"203.0.113.{n}").status_code for n in range(3)]
    assert codes == [401, 401, 429]


# A wrong current password in POST /change_password is a failed login


def change_password(client, account, current: str, new: str, address: str = "10.0.0.1"):
    return client.post(
        "/change_password",
        json={"current_password": current, "new_password": new},
        headers=account.headers,
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_a_wrong_current_password_counts_for_the_address(make_app, customer):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ADDRESS="2/minute")
    for _ in range(2):
        response = change_password(client, customer, "not-mine-9", "a-new-passphrase-7")
        assert_error(response, 422, "validation_error")
    right = log_in(client, customer.username, customer.password)
    assert_limited(right, "Too many failed logins from this address", 60)


def test_a_wrong_current_password_counts_for_the_account(make_app, customer):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ACCOUNT="2/10 minutes")
    for n in range(2):
        change_password(client, customer, "not-mine-9", "a-new-passphrase-7", f"10.0.3.{n}")
    right = log_in(client, customer.username, customer.password, "10.0.4.1")
    assert_limited(right, "Too many failed logins for this account", 600)
    again = change_password(client, customer, customer.password, "a-new-passphrase-7")
    assert_limited(again, "Too many failed logins for this account", 600)


def test_a_refused_new_password_does_not_count(make_app, customer):
    client = limited_client(make_app, LIMIT_LOGIN_FAILURES_PER_ADDRESS="2/minute")
    for _ in range(3):
        response = change_password(client, customer, customer.password, "password")
        assert set(assert_error(response, 422, "validation_error")["fields"]) == {"new_password"}
    assert log_in(client, customer.username, customer.password).status_code == 200


# The defaults of API.md section 2


def test_each_limit_defaults_to_the_value_api_md_gives():
    """config.py read in a fresh process with no LIMIT_* variable set."""
    defaults = {
        "LIMIT_LOGIN_FAILURES_PER_ADDRESS": "10/minute",
        "LIMIT_LOGIN_FAILURES_PER_ACCOUNT": "20/10 minutes",
        "LIMIT_LOGINS_PER_ADDRESS": "60/minute",
        "LIMIT_SIGNUPS_PER_ADDRESS": "20/hour",
        "LIMIT_ORDERS_PER_USER": "30/hour",
        "LIMIT_MESSAGES_PER_USER": "60/minute",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIMIT_")}
    code = f"import config; print([getattr(config.Config, name) for name in {list(defaults)}])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == str(list(defaults.values()))
