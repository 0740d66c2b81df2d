"""The extension singletons, bound to the app in create_app()."""

import sqlite3
import time
from collections.abc import Callable, Mapping
from functools import partial, wraps

import flask_sqlalchemy.session
from flask import Flask, Request, after_this_request, has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql import Executable

from app.common.schemas import ErrorSchema

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READS = "reads"  # the bind key of the engine for reads, on PostgreSQL


def add_read_engine(app: Flask) -> None:
    """On PostgreSQL, bind a second engine whose connections run each statement on its own.

    A read needs no transaction around its statements: under READ COMMITTED, PostgreSQL's
    level, each statement sees a snapshot of its own either way, and a GET writes at most one
    statement (a chat's read marker). Without BEGIN and ROLLBACK, a read makes two round trips
    to the database fewer. The connections of its pool stay in autocommit, where switching a
    pooled connection in and out of it would cost every read about a tenth of its time.
    Having no transaction to end, a connection goes back to the pool without the rollback
    that the pool otherwise asks of it. A write of one statement (DriverWrite) commits by
    itself there. (SQLite's driver begins no transaction for a read anyway.)
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


def read_engine() -> Engine:
    """The engine that a read runs on: on PostgreSQL the engine for reads, else the one."""
    return _read_engine(db.engines)


def _read_engine(engines: Mapping[str | None, Engine]) -> Engine:
    return engines.get(READS, engines[None])


class Session(flask_sqlalchemy.session.Session):
    """Flask-SQLAlchemy's session, in which a GET on PostgreSQL runs on the engine for reads."""

    def get_bind(self, *args, **kwargs) -> Engine | Connection:
        bind = super().get_bind(*args, **kwargs)
        if has_request_context() and request.method in SAFE_METHODS:
            engines = db.engines
            if bind is engines[None]:
                return _read_engine(engines)
        return bind


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})


def execute_plain(statement: Executable, params: dict | None = None) -> CursorResult:
    """Run a statement of plain columns (or a Core update) on the session's connection.

    In the session's transaction, as Session.execute() would run it, but without the ORM's
    work around each statement, which for a short read costs as much as the read itself. It
    does not flush: for statements that need not see objects pending in the session.
    """
    return db.session.connection().execute(statement, params)


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


def commit_keeping_loaded() -> None:
    """Commit, and keep what the session has loaded rather than expire it.

    For a write whose answer is in hand and up to date: after a plain commit, building the
    answer would load every object of it again.
    """
    if not db.session.registry.has():  # no session: nothing was written through one
        return
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


migrate = Migrate()


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if there is one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class ApiLoginManager(LoginManager):
    """Flask-Login for callers that send a bearer token or the session cookie.

    A request that names a bearer token is judged by that token alone: only the request
    loader runs. Its session is neither read nor checked by Flask-Login's session
    protection, so its answer does not vary with the cookie, and it is spared that work
    (8 % of the instructions of `POST /create_message`).

    Flask-Login's remember-me cookie, which this API never sets, is left out: the hook that
    looked for its work after every request read the session, so that every answer, a
    public one too, said `Vary: Cookie`, and it cost about 4 % of a read by id. An answer
    varies with the cookie only where the request read the session.
    """

    def init_app(self, app: Flask, add_context_processor: bool = True) -> None:
        super().init_app(app, add_context_processor)
        app.after_request_funcs[None].remove(self._update_remember_cookie)

    def _load_user(self) -> None:
        if bearer_token(request) is None:
            super()._load_user()
        else:
            self._update_request_context_with_user(self._load_user_from_request(request))


login_manager = ApiLoginManager()


class ViewLimiter(Limiter):
    """Flask-Limiter for the views it decorates, and no others.

    The app has no default limits, so the hooks Flask-Limiter runs around every request
    find nothing to do but after a decorated view; run for every request, they cost about
    6 % of the work of a read by id. They are dropped: a decorated view checks its limits
    itself, and asks for the hook that counts its answer (`deduct_when`) after its own
    request only. (The third hook cleared the limiter's state, which goes with the request.)
    """

    def init_app(self, app: Flask) -> None:
        hooks = [app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs]
        kept = [list(each[None]) for each in hooks]
        super().init_app(app)
        for each, before in zip(hooks, kept, strict=True):
            each[None] = before

    def limit(self, *args, **kwargs) -> Callable[[Callable], Callable]:
        check_limits = super().limit(*args, **kwargs)
        count_answer = partial(Limiter._Limiter__inject_headers, self)  # its after-request hook

        def decorate(view: Callable) -> Callable:
            checked = check_limits(view)

            @wraps(view)
            def limited(*view_args, **view_kwargs):
                after_this_request(count_answer)
                return checked(*view_args, **view_kwargs)

            return limited

        return decorate


limiter = ViewLimiter(key_func=get_remote_address)


class JsonApi(Api):
    """flask-smorest's Api, documenting errors with this API's shape (app.errors)."""

    ERROR_SCHEMA = ErrorSchema


api = JsonApi()


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
