"""Assertions shared by the test modules."""

from werkzeug.test import TestResponse


def assert_error(response: TestResponse, status: int, code: str) -> dict:
    """The answer is an error of the API's one shape; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert "Location" not in response.headers
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message"} | ({"fields"} if status == 422 else set())
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if status == 422:
        assert error["fields"] and isinstance(error["fields"], dict)
    return error
