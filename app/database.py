"""Engine set-up: what each database needs so that the same code runs on both."""

import sqlite3
import time

from flask import Flask, current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.pool import ConnectionPoolEntry

READS = "reads"  # the bind key of PostgreSQL's engine for reads
READ_METHODS = frozenset({"GET", "HEAD"})


def engines() -> dict[str | None, Engine]:
    """The app's engines by bind key (None: the default), as Flask-SQLAlchemy made them."""
    return current_app.extensions["sqlalchemy"].engines


class RequestSession(Session):
    """Flask-SQLAlchemy's session, which runs the statements of a GET or HEAD request on
    the engine for reads where there is one (PostgreSQL: AUTOCOMMIT, see
    add_read_engine()).

    Such a request writes at most one statement (GET /chat's read marker), which commits on
    its own. In a transaction, it would end with a rollback, and psycopg forgets the
    connection's prepared statements at every rollback: each read would be planned again
    at each request.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs) -> Engine | Connection:
        if bind is None and has_request_context() and request.method in READ_METHODS:
            bind = engines().get(READS)
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def add_read_engine(app: Flask) -> None:
    """On PostgreSQL, bind a second engine, for reads(), whose connections run each statement
    on its own (AUTOCOMMIT): under READ COMMITTED each statement sees a snapshot of its own
    anyway, and a read spares the round trips of BEGIN and ROLLBACK. Its connections stay in
    that mode, so a connection goes back to the pool with no transaction to end. (SQLite's
    driver begins no transaction for a read.) Called before Flask-SQLAlchemy makes engines.
    """
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        reads = {
            "url": url,
            "isolation_level": "AUTOCOMMIT",
            "pool_reset_on_return": None,
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }
        app.config["SQLALCHEMY_BINDS"] = {**app.config.get("SQLALCHEMY_BINDS", {}), READS: reads}


def set_up_engines(app: Flask) -> None:
    """Close the request's connection for reads after it (see reads()); on PostgreSQL, ping a
    pooled connection that has idled (see ping_after_idle())."""
    app.teardown_appcontext(close_reads)
    with app.app_context():
        for engine in engines().values():
            if engine.dialect.name == "postgresql":
                ping_after_idle(engine, app.config["DB_PING_AFTER_IDLE_SECONDS"])


def reads() -> Connection:
    """The request's Core connection for its busiest reads, of what is committed.

    The session wraps each statement in work of its own (a transaction of the session, the
    ORM's execution, its closing at the end of the request), which for a short read costs
    as much as the read. A read of what is committed needs none of it: the caller of a
    request, a lecture, a page of the catalogue, a rating. What a request writes, and what
    it reads to write, goes through the session.
    """
    if "reads" not in g:
        by_key = engines()
        g.reads = by_key.get(READS, by_key[None]).connect()
    return g.reads


def close_reads(_error: BaseException | None = None) -> None:
    connection = g.pop("reads", None)
    if connection is not None:
        connection.close()


def ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before it is used if it has idled for `idle_seconds` or more.

    The pool's own pre-ping costs a round trip at every checkout, as much as a read by id.
    A connection used a moment ago is alive unless the server went away since. A database
    that was down for `idle_seconds` or more was down after each connection's last use, so
    every connection is pinged before its next use; a failed ping replaces the connections
    of the pool, and the request goes on with a new one. A connection cut while it idled
    for less (a backend killed by hand) fails its request with a 503, and the pool is
    renewed for the next one.
    """

    @event.listens_for(engine, "checkin")
    def note_idle_since(_dbapi_connection, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record: ConnectionPoolEntry, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise InvalidatePoolError() from error


def _sqlite_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """Give SQLite foreign keys and a Unicode-aware lower(), as PostgreSQL has.

    The write-ahead log lets readers go on while one worker writes, and with it a commit
    need not wait for the disk: a power cut may lose the last commits, an app crash none.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        dbapi_connection.execute("PRAGMA journal_mode = WAL")
        dbapi_connection.execute("PRAGMA synchronous = NORMAL")
        dbapi_connection.create_function("lower", 1, _sqlite_lower, deterministic=True)
