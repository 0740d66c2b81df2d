"""Security headers on every answer, a request id that ties an answer to its log line, and
`Cache-Control: no-store` on what is a logged-in caller's or carries passwords and tokens."""

import logging
import re

import pytest

from tests.helpers import assert_error


@pytest.mark.parametrize("path", ["/healthz", "/cities", "/nope", "/openapi.json"])
def test_json_answers_forbid_sniffing_and_any_content(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_docs_page_may_run_its_own_scripts_only(client):
    policy = client.get("/docs").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "http" not in policy


def test_request_id_is_made_when_none_is_given(client):
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz").headers["X-Request-ID"])


def test_request_id_of_the_caller_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["X-Request-ID"] == "abc-123"


@pytest.mark.parametrize("given", ["x" * 129, "has space", "new\\nline"])
def test_odd_request_id_is_replaced(client, given):
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] != given


def test_each_request_logs_one_line_with_its_id_and_no_secret(client, caplog):
    with caplog.at_level(logging.INFO, logger="app.requests"):
        client.post(
            "/login", json={"username": "who", "password": "hunter2-secret"},
            headers={"X-Request-ID": "req-42"},
        )  # fmt: skip
    lines = [r.getMessage() for r in caplog.records if r.name == "app.requests"]
    assert lines == ["req-42 POST /login 401 " + lines[0].rsplit(" ", 1)[1]]
    assert "hunter2-secret" not in caplog.text


def test_a_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="app.requests"):
        client.get("/lecture/1%0a2026-12-01 INFO app.requests: forged%0d%1b[31m")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "app.requests"]
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert "/lecture/1\\x0a2026-12-01 INFO app.requests: forged\\x0d\\x1b[31m 404" in line


# Cache-Control: no-store (API.md section 1)


def no_store(response) -> bool:
    return response.headers.get("Cache-Control") == "no-store"


def cookie_client(app, account):
    client = app.test_client()
    login = client.post("/login", json={"username": account.username, "password": account.password})
    assert login.status_code == 200
    return client


@pytest.mark.parametrize(
    ("path", "status"),
    [("/login", 200), ("/tokens", 200), ("/cities", 200), ("/lectures", 200),
     ("/lecture/999999", 404), ("/cities?page=0", 400), ("/nope", 404)],
)  # fmt: skip
def test_every_answer_to_a_caller_with_a_token_is_no_store(client, customer, path, status):
    response = client.get(path, headers=customer.headers)
    assert response.status_code == status
    assert no_store(response)


@pytest.mark.parametrize(("path", "status"), [("/login", 200), ("/cities", 200), ("/nope", 404)])
def test_every_answer_to_a_caller_with_a_session_is_no_store(app, customer, path, status):
    response = cookie_client(app, customer).get(path)
    assert response.status_code == status
    assert no_store(response)


@pytest.mark.parametrize("path", ["/cities", "/lectures", "/healthz", "/openapi.json", "/nope"])
def test_answers_to_anonymous_callers_may_be_cached(client, path):
    assert "Cache-Control" not in client.get(path).headers


def test_a_token_that_lets_nobody_in_leaves_a_public_answer_cacheable(client):
    response = client.get("/cities", headers={"Authorization": "Bearer garbage"})
    assert response.status_code == 200
    assert "Cache-Control" not in response.headers


def test_the_answers_that_log_the_caller_out_are_no_store(app, client, customer, lecturer):
    assert no_store(client.post("/logout", headers=customer.headers))
    assert no_store(client.post("/logout_all", headers=lecturer.headers))
    assert no_store(cookie_client(app, customer).post("/logout"))


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", "/signup", None, 200),
        ("POST", "/signup", {"username": "alice", "email": "alice@example.com",
                             "password": "s3cret-pass", "role": "customer"}, 201),
        ("POST", "/signup", {"username": "alice"}, 422),
        ("PUT", "/signup", None, 405),
        ("POST", "/login", {"username": "nobody", "password": "s3cret-pass"}, 401),
        ("POST", "/login", {"username": "nobody"}, 422),
        ("GET", "/login", None, 401),
        ("POST", "/change_password", {}, 401),
    ],
    ids=["signup-form", "signup", "signup-422", "signup-405", "login-401", "login-422",
         "current-user-401", "change-password-401"],
)  # fmt: skip
def test_every_answer_about_passwords_and_tokens_is_no_store(client, method, path, body, status):
    response = client.open(path, method=method, json=body)
    assert response.status_code == status
    assert no_store(response)


def test_a_login_and_a_taken_username_are_no_store(client, customer):
    login = client.post(
        "/login", json={"username": customer.username, "password": customer.password}
    )
    assert login.status_code == 200
    assert no_store(login)
    body = {"username": customer.username, "email": "x@example.com", "password": "s3cret-pass",
            "role": "customer"}  # fmt: skip
    taken = client.post("/signup", json=body)
    assert_error(taken, 409, "conflict")
    assert no_store(taken)


@pytest.mark.parametrize(
    ("body", "status"),
    [({"current_password": "correct-horse-42", "new_password": "a-new-pass-42"}, 204),
     ({"current_password": "not-the-one", "new_password": "a-new-pass-42"}, 422)],
    ids=["changed", "wrong-current-password"],
)  # fmt: skip
def test_change_password_answers_are_no_store(client, customer, body, status):
    response = client.post("/change_password", json=body, headers=customer.headers)
    assert response.status_code == status
    assert no_store(response)


def test_a_throttled_login_is_no_store(make_app):
    client = make_app(RATELIMIT_ENABLED=True).test_client()
    for _ in range(100):
        response = client.post("/login", json={"username": "nobody", "password": "s3cret-pass"})
        if response.status_code == 429:
            break
    assert_error(response, 429, "rate_limited")
    assert no_store(response)


def test_a_server_error_to_a_token_caller_of_a_public_endpoint_stays_a_503(
    make_app, unreachable_database_url
):
    broken = make_app(SQLALCHEMY_DATABASE_URI=unreachable_database_url)
    response = broken.test_client().get("/cities", headers={"Authorization": "Bearer some-token"})
    assert_error(response, 503, "service_unavailable")
