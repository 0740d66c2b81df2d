"""Section 11: `flask create-admin USERNAME EMAIL [--password PASSWORD]`."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User

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
    assert line.startswith("error: password: ")
    assert problem in line
    assert count_users(app) == 0


def test_a_prompted_common_password_fails_and_creates_nothing(app):
    result = create_admin(app, "boss", "boss@example.com", stdin="12345678\n12345678\n")
    assert result.exit_code == 1
    assert "commonly used" in result.output
    assert count_users(app) == 0
