"""Every error has the one JSON shape, and a failed request changes nothing."""

import io

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError, PendingRollbackError

from app.errors import ApiError
from app.extensions import db
from app.models import City
from tests.helpers import MALFORMED_BODIES, assert_error


def count_cities(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(City))


def test_unknown_path_is_json_404(client):
    assert_error(client.get("/no/such/thing"), 404, "not_found")


def test_wrong_method_is_405_with_allow_header(client):
    response = client.delete("/signup")
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_bad_body_is_rejected_before_anything_changes(
    app, client, admin, data, content_type, status, code
):
    headers = {**admin.headers, **({"Content-Type": content_type} if content_type else {})}
    assert_error(client.post("/add_city", data=data, headers=headers), status, code)
    assert count_cities(app) == 0


def test_json_nested_32_deep_is_accepted_then_validated(client, admin):
    body = '{"name": "X", "timezone": "UTC", "extra": ' + "[" * 31 + "]" * 31 + "}"
    response = client.post(
        "/add_city", data=body, headers={**admin.headers, "Content-Type": "application/json"}
    )
    assert assert_error(response, 422, "validation_error")["fields"] == {
        "extra": ["Unknown field."]
    }


def test_validation_error_names_every_bad_field(client, admin):
    response = client.post(
        "/add_city", json={"name": 5, "timezone": "Nowhere/Land", "size": 1}, headers=admin.headers
    )
    fields = assert_error(response, 422, "validation_error")["fields"]
    assert set(fields) == {"name", "timezone", "size"}


def post_streamed(client, headers: dict, body: bytes):
    """A body sent as a stream with no Content-Length, as a chunked request reaches the app."""
    return client.post(
        "/add_city",
        input_stream=io.BytesIO(body),
        headers={**headers, "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_a_streamed_body_over_1_mib_is_413_and_changes_nothing(app, client, admin):
    body = b'{"name": "' + b"x" * (1024 * 1024) + b'"}'
    assert_error(post_streamed(client, admin.headers, body), 413, "payload_too_large")
    assert count_cities(app) == 0


def test_a_small_streamed_body_is_read_in_full(client, admin):
    response = post_streamed(client, admin.headers, b'{"name": "Kazan"}')
    assert response.status_code == 201


def test_charset_parameter_is_still_json(client, admin):
    response = client.post(
        "/add_city",
        data='{"name": "Kazan"}',
        headers={**admin.headers, "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201


@pytest.fixture
def faulty_app(make_app):
    """An app, not in testing mode, with routes that fail after writing a row (POSTs, as
    writes are: a GET runs without a transaction)."""
    app = make_app(TESTING=False)

    def add_city_then(failure: Exception):
        db.session.add(City(name="Ghost town", timezone="UTC"))
        db.session.flush()
        raise failure

    post = {"methods": ["POST"]}
    app.add_url_rule("/boom", "boom", lambda: add_city_then(RuntimeError("secret detail")), **post)
    app.add_url_rule("/refuse", "refuse", lambda: add_city_then(ApiError.conflict("No.")), **post)
    app.add_url_rule(
        "/duplicate",
        "duplicate",
        lambda: (
            [db.session.add(City(name="Twin", timezone="UTC")) for _ in range(2)]
            and db.session.flush()
        ),
        **post,
    )
    app.add_url_rule("/lost", "lost", lose_the_connection_then_use_it, **post)
    return app


def lose_the_connection_then_use_it():
    """As a statement after one whose connection the server cut: the second raises
    PendingRollbackError while the first's OperationalError is being handled."""
    try:
        raise OperationalError("SELECT 1", {}, Exception("terminating connection"))
    except OperationalError as lost:
        raise PendingRollbackError(
            "Can't reconnect until invalid transaction is rolled back."
        ) from lost


def test_a_statement_after_a_lost_connection_is_503(faulty_app):
    assert_error(faulty_app.test_client().post("/lost"), 503, "service_unavailable")


def test_unexpected_error_is_generic_500_and_rolls_back(faulty_app):
    response = faulty_app.test_client().post("/boom")
    error = assert_error(response, 500, "internal_error")
    assert "secret detail" not in response.get_data(as_text=True)
    assert "Traceback" not in error["message"]
    assert count_cities(faulty_app) == 0


def test_service_error_rolls_back(faulty_app):
    assert_error(faulty_app.test_client().post("/refuse"), 409, "conflict")
    assert count_cities(faulty_app) == 0


def test_database_constraint_is_409_not_500(faulty_app):
    assert_error(faulty_app.test_client().post("/duplicate"), 409, "conflict")
    assert count_cities(faulty_app) == 0


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/cities", {}),  # through SQLAlchemy's session
        ("/lecture/1", {}),
        ("/lectures?q=python", {}),
        ("/consumer_orders", {"Authorization": "Bearer some-token"}),  # the caller, by driver
    ],
)
def test_database_that_does_not_answer_is_503(make_app, unreachable_database_url, path, headers):
    broken = make_app(SQLALCHEMY_DATABASE_URI=unreachable_database_url)
    response = broken.test_client().get(path, headers=headers)
    assert_error(response, 503, "service_unavailable")


def test_errors_never_are_html(client):
    for response in (client.get("/nope"), client.put("/cities"), client.get("/docs/nope.js")):
        assert response.mimetype == "application/json"
        assert "<html" not in response.get_data(as_text=True).lower()


def test_sqlite_lower_is_unicode_aware(app):
    """PostgreSQL's lower() folds non-ASCII letters; SQLite is given one that does too."""
    with app.app_context():
        assert db.session.scalar(text("SELECT lower('МОСКВА')")) == "москва"


def test_sqlite_files_use_the_write_ahead_log(app):
    """Readers go on while a worker writes; foreign keys are enforced as on PostgreSQL."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite only")
    with app.app_context():
        assert db.session.scalar(text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(text("PRAGMA synchronous")) == 1  # NORMAL
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
