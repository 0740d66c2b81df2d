"""The password rule, and what a logged-in user does with their password and tokens."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import User
from tests.helpers import assert_error


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


# The password rule, at sign-up


def signup_body(**changes) -> dict:
    body = {
        "username": "alice",
        "email": "alice@example.com",
        "password": "s3cret-pass",
        "role": "customer",
    }
    return {**body, **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password": "password"}, "commonly used"),
        ({"password": "12345678"}, "commonly used"),
        ({"password": "qwertyuiop"}, "commonly used"),
        ({"password": "PassWord1"}, "commonly used"),
        ({"password": "SUNSHINE"}, "commonly used"),
        ({"username": "alice.smith", "password": "alice.smith"}, "username"),
        ({"username": "alice.smith", "password": "Alice.SMITH"}, "username"),
        ({"email": "al@example.com", "password": "al@example.com"}, "email"),
        ({"email": "al@example.com", "password": "AL@Example.com"}, "email"),
    ],
    ids=[
        "password",
        "12345678",
        "qwertyuiop",
        "common-in-another-case",
        "common-in-upper-case",
        "the-username",
        "the-username-in-another-case",
        "the-email",
        "the-email-in-another-case",
    ],
)
def test_signup_with_a_weak_password_is_422_on_password(app, client, changes, message):
    response = client.post("/signup", json=signup_body(**changes))
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"password"}
    assert message in " ".join(error["fields"]["password"])
    assert count_users(app) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"password": "password-for-alice"},
        {"username": "alice.smith", "password": "alice.smith!"},
        {"email": "al@example.com", "password": "al@example.co"},
    ],
    ids=["common-with-more", "username-with-more", "email-with-less"],
)
def test_signup_takes_a_password_that_only_contains_a_weak_one(client, changes):
    response = client.post("/signup", json=signup_body(**changes))
    assert response.status_code == 201, response.json


def test_a_common_password_is_named_beside_other_bad_fields(app, client):
    response = client.post("/signup", json=signup_body(email="not-an-email", password="password"))
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"email", "password"}
    assert count_users(app) == 0


def test_signup_form_still_gives_the_minimum_length(client):
    assert client.get("/signup").json["password_min_length"] == 8
