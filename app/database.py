"""Engine set-up: what each database needs so that the same code runs on both."""

import sqlite3
import time

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.pool import ConnectionPoolEntry

from app.extensions import db


def set_up_engines(app: Flask) -> None:
    """On PostgreSQL, ping a pooled connection that has idled (see ping_after_idle())."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            ping_after_idle(engine, app.config["DB_PING_AFTER_IDLE_SECONDS"])


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
