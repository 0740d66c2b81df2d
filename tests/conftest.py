"""Fixtures: a migrated database, a fresh app per test, users made by factories.

The schema and its built-in rows (roles, workflow) come from the migrations, applied once
per run; after each test every table is emptied and the built-in rows are put back, which
gives each test a fresh database at a fraction of the cost of migrating again.
Set TEST_DATABASE_URL to run the suite on PostgreSQL.
"""

import os
from dataclasses import dataclass
from typing import NamedTuple

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import MetaData, event, insert, select
from sqlalchemy.engine import Engine

from app import create_app
from app.extensions import db, limiter
from config import TestConfig, engine_options
from tests.factories import PASSWORD, UserFactory

# The fixtures shared by test_chats.py and test_messages.py.
pytest_plugins = ["tests.chats"]


def make_config(database_url: str, **overrides) -> type:
    url = overrides.pop("SQLALCHEMY_DATABASE_URI", database_url)
    return type(
        "RunConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url),
            **overrides,
        },
    )


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def needs_postgres(why: str) -> pytest.MarkDecorator:
    """Skip the test unless the suite runs on PostgreSQL, saying why."""
    return pytest.mark.skipif(
        not is_postgres(os.environ.get("TEST_DATABASE_URL", "")),
        reason=f"needs PostgreSQL: {why}",
    )


postgres_only = needs_postgres("SQLite runs one writer at a time")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )


@pytest.fixture
def unreachable_database_url(database_url, tmp_path) -> str:
    """A database of the same kind that cannot be reached."""
    if is_postgres(database_url):
        return "postgresql+psycopg://postgres@127.0.0.1:9/none"
    return f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}"


def migrate_from_scratch(app: Flask) -> None:
    """Drop every table the database has (the models' and any an older schema left), then
    apply the migrations."""
    with app.app_context():
        tables = MetaData()
        tables.reflect(db.engine)
        tables.drop_all(db.engine)
        upgrade()


def snapshot_rows() -> dict[str, list[dict]]:
    return {
        table.name: [dict(row) for row in db.session.execute(select(table)).mappings()]
        for table in db.metadata.sorted_tables
    }


@pytest.fixture(scope="session")
def builtin_rows(database_url) -> dict[str, list[dict]]:
    """Migrate once; the rows the migrations created, to restore after each test."""
    app = create_app(make_config(database_url))
    migrate_from_scratch(app)
    with app.app_context():
        rows = snapshot_rows()
        close_database()
    return rows


def close_database() -> None:
    """Return the session's connection and close the pools, leaving no connection open."""
    db.session.remove()
    for engine in db.engines.values():
        engine.dispose()


def restore_builtin_rows(rows: dict[str, list[dict]]) -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    for table in db.metadata.sorted_tables:
        if rows[table.name]:
            db.session.execute(insert(table), rows[table.name])
    db.session.commit()


@pytest.fixture(scope="session")
def base_app(database_url, builtin_rows) -> Flask:
    """The app most tests use; building one per test would only add time."""
    app = create_app(make_config(database_url))
    yield app
    with app.app_context():
        close_database()


@pytest.fixture
def make_app(base_app, database_url, builtin_rows):
    """Give the test's app (called bare) or an app with other settings, same database.

    After the test the database is reset and the extra apps' connections are closed.
    """
    extra: list[Flask] = []

    def make(**overrides) -> Flask:
        if not overrides:
            return base_app
        extra.append(create_app(make_config(database_url, **overrides)))
        return extra[-1]

    yield make
    for app in extra:
        with app.app_context():
            close_database()
    # The limiter is one object for every app: give it back the base app's setting.
    limiter.enabled = base_app.config["RATELIMIT_ENABLED"]
    with base_app.app_context():
        restore_builtin_rows(builtin_rows)
        db.session.remove()


@pytest.fixture
def app(make_app) -> Flask:
    return make_app()


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@dataclass
class Account:
    id: int
    username: str
    email: str
    password: str
    role: str
    token: str | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def login(client: FlaskClient, account: Account) -> Account:
    """Log in through the real endpoint; the account gets its bearer token."""
    response = client.post(
        "/login", json={"username": account.username, "password": account.password}
    )
    assert response.status_code == 200, response.json
    account.token = response.json["token"]
    return account


@pytest.fixture
def make_account(app):
    """Create a user of a role with a factory and log them in for a bearer token.

    The login goes through a client of its own, so that the test's `client` carries no
    session cookie and is anonymous unless a test sends a token.
    """

    def make(role: str = "customer", **fields) -> Account:
        with app.app_context():
            user = UserFactory(role=role, **fields)
            db.session.commit()
            account = Account(user.id, user.username, user.email, PASSWORD, role)
        return login(app.test_client(), account)

    return make


@pytest.fixture
def customer(make_account) -> Account:
    return make_account("customer")


@pytest.fixture
def lecturer(make_account) -> Account:
    return make_account("lecturer")


@pytest.fixture
def admin(make_account) -> Account:
    return make_account("admin")


class Sent(NamedTuple):
    """A statement a request sent (its SQL text), or a commit (statement None)."""

    engine: Engine
    statement: str | None


@pytest.fixture
def sent(app):
    """sent(send, status=200) -> what the request (send()) sent, in order, on every engine of
    the app: its statements and its commits. The request must answer that status."""
    with app.app_context():
        engines = list(db.engines.values())  # on PostgreSQL, reads have an engine of their own

    def capture(send, status: int = 200) -> list[Sent]:
        events: list[Sent] = []

        def record_statement(conn, cursor, statement, *args):
            events.append(Sent(conn.engine, statement))

        def record_commit(conn):
            events.append(Sent(conn.engine, None))

        listeners = [("before_cursor_execute", record_statement), ("commit", record_commit)]
        for engine in engines:
            for name, listener in listeners:
                event.listen(engine, name, listener)
        try:
            response = send()
        finally:
            for engine in engines:
                for name, listener in listeners:
                    event.remove(engine, name, listener)
        assert response.status_code == status, response.json
        return events

    return capture


@pytest.fixture
def sent_statements(sent):
    """sent_statements(send) -> the SQL text of each statement the request sent (see sent)."""
    return lambda send: [each.statement for each in sent(send) if each.statement is not None]
