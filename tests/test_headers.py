"""Security headers on every answer, and a request id that ties an answer to its log line."""

import logging
import re

import pytest


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
