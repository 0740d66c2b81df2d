"""Section 11: `flask create-admin USERNAME EMAIL [--password PASSWORD]`, `flask purge`."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import ApiToken, IdempotencyKey, User
from app.models.base import utcnow
from tests.conftest import login

PASSWORD = "pw12345678"


def create_admin(app, *args: str, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=["create-admin", *args], input=stdin)


def users(app) -> list[tuple[str, str, str]]:
    """(username, email, role) of every user, by id."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(User.username, User.email, User.role).order_by(User.id)
            )
        ]


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_create_admin_with_password_option(app):
    result = create_admin(app, "boss", "boss@example.com", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "boss" in result.output
    assert users(app) == [("boss", "boss@example.com", "admin")]


def test_created_admin_logs_in_and_adds_a_city(app, client):
    result = create_admin(app, "boss", "boss@example.com", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    login = client.post("/login", json={"username": "boss", "password": PASSWORD})
    assert login.status_code == 200
    assert login.json["user"]["role"] == "admin"
    response = client.post(
        "/add_city",
        json={"name": "Moscow", "timezone": "Europe/Moscow"},
        headers={"Authorization": f"Bearer {login.json['token']}"},
    )
    assert response.status_code == 201


def test_create_admin_prompts_for_password(app, client):
    result = create_admin(app, "boss", "boss@example.com", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert PASSWORD not in result.output
    assert users(app) == [("boss", "boss@example.com", "admin")]
    login = client.post("/login", json={"username": "boss", "password": PASSWORD})
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("username", "email", "message"),
    [
        ("boss", "other@example.com", "username"),
        ("BOSS", "other@example.com", "username"),
        ("Boss", "other@example.com", "username"),
        ("other", "boss@example.com", "email"),
        ("other", "BOSS@Example.COM", "email"),
    ],
)
def test_taken_username_or_email_fails_and_creates_nothing(
    app, make_account, username, email, message
):
    make_account("customer", username="boss", email="boss@example.com")
    before = users(app)
    result = create_admin(app, username, email, "--password", PASSWORD)
    assert result.exit_code != 0
    assert message in result.output.lower()
    assert "taken" in result.output.lower() or "registered" in result.output.lower()
    assert users(app) == before


@pytest.mark.parametrize(
    ("username", "email", "password", "problem"),
    [
        ("boss", "not-an-email", PASSWORD, "email"),
        ("boss", "boss@", PASSWORD, "email"),
        ("boss", "boss@example.com", "short", "password"),
        ("boss", "boss@example.com", "x" * 7, "password"),
        ("b", "boss@example.com", PASSWORD, "username"),
        ("big boss", "boss@example.com", PASSWORD, "username"),
    ],
    ids=["email-no-at", "email-no-domain", "password-5", "password-7", "username-short",
         "username-space"],
)  # fmt: skip
def test_invalid_input_fails_naming_the_problem(app, username, email, password, problem):
    result = create_admin(app, username, email, "--password", password)
    assert result.exit_code != 0
    assert problem in result.output.lower()
    assert count_users(app) == 0


def test_prompted_short_password_fails_and_creates_nothing(app):
    result = create_admin(app, "boss", "boss@example.com", stdin="short\nshort\n")
    assert result.exit_code != 0
    assert "password" in result.output.lower()
    assert count_users(app) == 0


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("password", "commonly used"),
        ("Qwertyuiop", "commonly used"),
        ("boss.admin", "username"),
        ("BOSS.Admin", "username"),
        ("boss@example.com", "email"),
        ("Boss@Example.com", "email"),
    ],
    ids=["common", "common-in-another-case", "the-username", "the-username-in-another-case",
         "the-email", "the-email-in-another-case"],
)  # fmt: skip
def test_a_password_the_rule_refuses_fails_in_one_line(app, password, problem):
    result = create_admin(app, "boss.admin", "boss@example.com", "--password", password)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: password: ")
    assert problem in line
    assert count_users(app) == 0


def test_a_prompted_common_password_fails_and_creates_nothing(app):
    result = create_admin(app, "boss", "boss@example.com", stdin="12345678\n12345678\n")
    assert result.exit_code == 1
    assert "commonly used" in result.output
    assert count_users(app) == 0


# flask purge


def purge(app):
    return app.test_cli_runner().invoke(args=["purge"])


def token_rows(app) -> list[tuple[int, str]]:
    """(id, token_hash) of every token, by id."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(ApiToken.id, ApiToken.token_hash).order_by(ApiToken.id)
            )
        ]


def add_key(app, user_id: int, key: str, age: timedelta) -> None:
    with app.app_context():
        db.session.add(
            IdempotencyKey(
                user_id=user_id, endpoint="orders.create_order", key=key, request_hash="0" * 64,
                status_code=201, response_body="{}", created_at=utcnow() - age,
            )
        )  # fmt: skip
        db.session.commit()


def keys(app) -> list[str]:
    with app.app_context():
        return db.session.scalars(select(IdempotencyKey.key).order_by(IdempotencyKey.key)).all()


def test_purge_deletes_revoked_and_expired_tokens_and_expired_keys(app, client, make_account):
    customer = make_account("customer")
    revoked = login(app.test_client(), replace(customer)).token
    expired = login(app.test_client(), replace(customer)).token
    live = login(app.test_client(), replace(customer)).token
    assert client.post("/logout", headers={"Authorization": f"Bearer {revoked}"}).status_code == 204
    with app.app_context():
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == ApiToken.hash(expired))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    add_key(app, customer.id, "old", timedelta(hours=24, seconds=1))
    add_key(app, customer.id, "older", timedelta(days=3))
    add_key(app, customer.id, "recent", timedelta(hours=23, minutes=59))

    result = purge(app)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Deleted 2 revoked or expired tokens and 2 expired idempotency keys.\n"
    )
    assert [hash for _, hash in token_rows(app)] == [
        ApiToken.hash(customer.token),
        ApiToken.hash(live),
    ]
    assert keys(app) == ["recent"]
    for token in (customer.token, live):
        assert client.get("/login", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_purge_with_nothing_to_delete_says_so(app, make_account):
    make_account("customer")
    before = token_rows(app)
    result = purge(app)
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Deleted 0 revoked or expired tokens and 0 expired idempotency keys.\n"
    )
    assert token_rows(app) == before


def test_purge_counts_one_of_each_in_the_singular(app, client, make_account):
    customer = make_account("customer")
    login(app.test_client(), replace(customer))  # the newest token, which purge keeps
    assert client.post("/logout", headers=customer.headers).status_code == 204
    add_key(app, customer.id, "old", timedelta(days=2))
    result = purge(app)
    assert result.output == "Deleted 1 revoked or expired token and 1 expired idempotency key.\n"


def test_purge_keeps_the_newest_token_even_revoked(app, client, make_account):
    customer = make_account("customer")
    assert client.post("/logout", headers=customer.headers).status_code == 204
    before = token_rows(app)
    assert purge(app).exit_code == 0
    assert token_rows(app) == before


def test_a_session_ended_before_a_purge_stays_ended_after_the_next_login(app, make_account):
    """On SQLite a deleted newest row gives its id to the next; the cookie names its token by
    id."""
    customer = make_account("customer")
    browser = app.test_client()
    login(browser, replace(customer))
    stolen = browser.get_cookie("session").value
    assert browser.post("/logout").status_code == 204
    assert purge(app).exit_code == 0
    assert login(app.test_client(), replace(customer)).token
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/login").status_code == 401


def test_purge_of_a_database_with_no_schema_fails_in_one_line(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'empty.db'}")
    result = purge(app)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert "flask db upgrade" in line


def test_purge_of_a_database_that_does_not_answer_fails_in_one_line(
    make_app, unreachable_database_url
):
    result = purge(make_app(SQLALCHEMY_DATABASE_URI=unreachable_database_url))
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert "DATABASE_URL" in line
