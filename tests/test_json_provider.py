"""The JSON of every answer, written by orjson (app.common.json_provider)."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from tests.test_lectures import add_lecture


def test_an_answer_is_compact_utf8_json_in_the_schemas_order_with_a_final_newline(app, client):
    lecture_id = add_lecture(app, title="Лекция о море", description="Über «ünicode» ✓")

    response = client.get(f"/lecture/{lecture_id}")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.data.endswith(b"}\n")
    assert "Лекция о море".encode() in response.data  # not \u escapes
    assert b'":' in response.data and b'": ' not in response.data and b", " not in response.data
    body = json.loads(response.data)
    assert body["title"] == "Лекция о море"
    assert body["description"] == "Über «ünicode» ✓"
    assert list(body)[:3] == ["id", "title", "description"]


def test_an_error_answer_is_written_the_same_way(client):
    response = client.get("/lecture/999999")

    assert response.status_code == 404
    assert response.data.startswith(b'{"error":{"status":404,')
    assert response.data.endswith(b"\n")


def test_values_json_lacks_are_converted_as_flasks_own_encoder_converts_them(app):
    @dataclass
    class Point:
        x: int

    value = {
        1: Decimal("2.50"),
        "when": datetime(2026, 12, 2, 8, 30, tzinfo=UTC),
        "point": Point(3),
        "many": (1, None, True),
    }
    written = json.loads(app.json.dumps(value))

    assert written == {
        "1": "2.50",
        "when": "Wed, 02 Dec 2026 08:30:00 GMT",
        "point": {"x": 3},
        "many": [1, None, True],
    }


def test_what_orjson_refuses_is_written_by_the_standard_library(app):
    value = {"text": "a\ud800b", "big": 2**70}

    written = app.json.dumps(value)

    assert json.loads(written) == value
    assert "\\ud800" in written


def test_sort_keys_and_indent_are_honoured(app):
    assert app.json.dumps({"b": 1, "a": [2]}) == '{"b":1,"a":[2]}'
    assert app.json.dumps({"b": 1, "a": 2}, sort_keys=True) == '{"a":2,"b":1}'
    assert app.json.dumps({"a": [1]}, indent=2) == '{\n  "a": [\n    1\n  ]\n}'


def test_a_debug_app_answers_indented_json(app):
    app.debug = True
    with app.test_request_context():
        response = app.json.response({"a": 1})

    assert response.get_data() == b'{\n  "a": 1\n}\n'
