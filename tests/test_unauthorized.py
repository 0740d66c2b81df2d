"""A 401 says how to log in (WWW-Authenticate), and whether a token sent was refused."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import ApiToken
from tests.helpers import assert_error

CHALLENGE = 'Bearer realm="api"'
REFUSED_TOKEN = 'Bearer realm="api", error="invalid_token"'


def assert_asked_to_log_in(response) -> None:
    error = assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    assert "token" not in error["message"]


def assert_token_refused(response) -> None:
    error = assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == REFUSED_TOKEN
    assert error["message"].startswith("The token is unknown, revoked or expired")


@pytest.mark.parametrize(("method", "path"), [("get", "/login"), ("post", "/logout")])
def test_no_credentials_ask_to_log_in(client, method, path):
    assert_asked_to_log_in(client.open(path, method=method))


def test_a_wrong_password_asks_to_log_in(client, customer):
    response = client.post("/login", json={"username": customer.username, "password": "nope-9"})
    assert_asked_to_log_in(response)


@pytest.mark.parametrize("authorization", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer "])
def test_no_bearer_token_asks_to_log_in(client, authorization):
    assert_asked_to_log_in(client.get("/login", headers={"Authorization": authorization}))


def test_an_unknown_token_is_refused(client):
    assert_token_refused(client.get("/login", headers={"Authorization": "Bearer garbage"}))


def test_a_revoked_token_is_refused(client, customer):
    assert client.post("/logout", headers=customer.headers).status_code == 204
    assert_token_refused(client.get("/consumer_orders", headers=customer.headers))


def test_an_expired_token_is_refused(app, client, customer):
    with app.app_context():
        db.session.execute(
            update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
    assert_token_refused(client.post("/logout", headers=customer.headers))


def test_a_live_token_is_let_in_with_no_challenge(client, customer):
    response = client.get("/login", headers=customer.headers)
    assert response.status_code == 200
    assert "WWW-Authenticate" not in response.headers
