"""Assertions shared by the test modules."""

import pytest
from werkzeug.test import TestResponse

MIB = 1024 * 1024
JSON = "application/json"

# Bodies every JSON endpoint refuses before reading a field: (data, content type, status, code).
MALFORMED_BODIES = [
    pytest.param('{"name": "x"}', "text/plain", 415, "unsupported_media_type", id="text-plain"),
    pytest.param("name=x", "application/x-www-form-urlencoded", 415, "unsupported_media_type",
                 id="form"),
    pytest.param('{"name": "x"}', None, 415, "unsupported_media_type", id="no-content-type"),
    pytest.param('{"name": ', JSON, 400, "bad_request", id="truncated"),
    pytest.param("", JSON, 400, "bad_request", id="empty"),
    pytest.param(b"\xff\xfe{}", JSON, 400, "bad_request", id="not-utf8"),
    pytest.param('[{"name": "x"}]', JSON, 400, "bad_request", id="array"),
    pytest.param('"x"', JSON, 400, "bad_request", id="string"),
    pytest.param("null", JSON, 400, "bad_request", id="null"),
    pytest.param('{"name": NaN}', JSON, 400, "bad_request", id="nan"),
    pytest.param('{"name": Infinity}', JSON, 400, "bad_request", id="infinity"),
    pytest.param('{"name": -Infinity}', JSON, 400, "bad_request", id="minus-infinity"),
    pytest.param('{"a":' * 33 + "1" + "}" * 33, JSON, 400, "bad_request", id="nested-33"),
    pytest.param("[" * 100_000, JSON, 400, "bad_request", id="nested-100000"),
    pytest.param('{"name": "' + "x" * MIB + '"}', JSON, 413, "payload_too_large", id="over-1-mib"),
]  # fmt: skip


def assert_error(response: TestResponse, status: int, code: str) -> dict:
    """The answer is an error of the API's one shape; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert "Location" not in response.headers
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    shape = {"status", "code", "message"}
    # fields: always on a 422, and on a 400 for query parameters
    shapes = [{*shape, "fields"}] if status == 422 else [shape, {*shape, "fields"}]
    assert set(error) in shapes
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if "fields" in error:
        assert error["fields"] and isinstance(error["fields"], dict)
    return error


MISSING = object()


def signup_body(**changes) -> dict:
    """A valid sign-up body, with fields changed, or dropped when set to MISSING."""
    body = {
        "username": "alice",
        "email": "alice@example.com",
        "password": "s3cret-pass",
        "role": "customer",
    }
    body.update(changes)
    return {name: value for name, value in body.items() if value is not MISSING}
