"""Pooled connections: their session's time zone; and those that died while they idled,
pinged and replaced, or one 503."""

from datetime import UTC

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from app.database import READS, ping_after_idle
from app.extensions import db
from config import engine_options
from tests.conftest import needs_postgres
from tests.helpers import assert_error

APP_NAME = "marketplace-ping-test"
postgres_only = needs_postgres("the test kills its server processes")


@pytest.fixture
def engine(database_url) -> Engine:
    engine = create_engine(database_url, **engine_options(database_url))
    yield engine
    engine.dispose()


@needs_postgres("SQLite has no session settings")
def test_postgres_sessions_read_times_in_utc_and_plan_for_solid_state_storage(app):
    """random_page_cost 1.1: a search reads the trigram indexes (config.engine_options)."""
    with app.app_context():
        for engine in db.engines.values():
            with engine.connect() as connection:
                assert connection.scalar(text("SHOW TimeZone")) == "UTC"
                now = connection.scalar(text("SELECT now()"))
                assert now.tzinfo is UTC
                assert connection.scalar(text("SHOW random_page_cost")) == "1.1"


def kill_pooled_connection(engine: Engine) -> None:
    """Close the connection the pool holds under its feet, as a server restart would."""
    with engine.connect() as connection:
        connection.scalar(text("SELECT 1"))
        dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.close()


def test_connection_idle_long_enough_is_pinged_and_replaced(engine):
    ping_after_idle(engine, idle_seconds=0)
    kill_pooled_connection(engine)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT 1")) == 1


def test_connection_used_a_moment_ago_is_not_pinged(engine):
    ping_after_idle(engine, idle_seconds=3600)
    kill_pooled_connection(engine)
    with pytest.raises(DBAPIError) as failure, engine.connect() as connection:
        connection.scalar(text("SELECT 1"))
    assert failure.value.connection_invalidated
    with engine.connect() as connection:  # the failure renewed the pool
        assert connection.scalar(text("SELECT 1")) == 1


def app_with_named_connections(make_app, database_url, idle_seconds: float):
    options = engine_options(database_url)
    options["connect_args"] = {**options["connect_args"], "application_name": APP_NAME}
    return make_app(SQLALCHEMY_ENGINE_OPTIONS=options, DB_PING_AFTER_IDLE_SECONDS=idle_seconds)


def terminate_app_backends(engine: Engine) -> int:
    """Kill the app's server processes, waiting until each is gone."""
    with engine.connect() as connection:
        pids = connection.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
            {"name": APP_NAME},
        ).all()
        for pid in pids:
            connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
    return len(pids)


def client_after_killed_backends(make_app, database_url, engine, idle_seconds: float, path: str):
    """A client of an app that served a request to path, whose server processes were then
    killed."""
    app = app_with_named_connections(make_app, database_url, idle_seconds)
    client = app.test_client()
    assert client.get(path).status_code < 500
    assert terminate_app_backends(engine) >= 1
    return client


# A read of the service, a lecture by id, and a list.
PATHS = [("/healthz", 200), ("/lecture/1", 404), ("/lectures", 200)]


@postgres_only
@pytest.mark.parametrize(("path", "status"), PATHS)
def test_app_recovers_from_killed_backends_without_an_error(
    make_app, database_url, engine, path, status
):
    client = client_after_killed_backends(make_app, database_url, engine, 0, path)
    assert client.get(path).status_code == status


@postgres_only
@pytest.mark.parametrize(("path", "status"), PATHS)
def test_app_answers_503_once_for_a_backend_killed_right_after_use(
    make_app, database_url, engine, path, status
):
    client = client_after_killed_backends(make_app, database_url, engine, 3600, path)
    assert_error(client.get(path), 503, "service_unavailable")
    assert client.get(path).status_code == status


@postgres_only
def test_a_read_on_a_killed_backend_renews_the_whole_pool(make_app, database_url, engine):
    """Every pooled connection died with the server: one 503, not one per connection."""
    app = app_with_named_connections(make_app, database_url, idle_seconds=3600)
    with app.app_context():
        reads_engine = db.engines[READS]  # a lecture's read (app.database.reads())
        pooled = [reads_engine.raw_connection() for _ in range(3)]
        for connection in pooled:
            connection.close()
    assert terminate_app_backends(engine) >= 3
    client = app.test_client()
    assert_error(client.get("/lecture/1"), 503, "service_unavailable")
    assert client.get("/lecture/1").status_code == 404


@needs_postgres("SQLite has one engine")
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_a_get_runs_the_session_on_the_engine_for_reads(app, client, customer, sent, method):
    """A GET's statements run outside a transaction (AUTOCOMMIT): no rollback ends it, which
    would make psycopg drop the connection's prepared statements (app.database.RequestSession).
    A POST's run in a transaction on the default engine, but for the lookup of its caller."""
    with app.app_context():
        reads_engine = db.engines[READS]
    if method == "GET":
        events = sent(lambda: client.get("/consumer_orders", headers=customer.headers))
    else:
        body = {"first_name": "A", "last_name": "B", "contact_info": {"email": "a@example.com"}}
        send = lambda: client.post("/create_customer_profile", json=body, headers=customer.headers)  # noqa: E731
        events = sent(send, status=201)
    on_reads = [each.engine is reads_engine for each in events if each.statement is not None]
    assert len(on_reads) > 1
    assert all(on_reads) if method == "GET" else on_reads.count(True) == 1
