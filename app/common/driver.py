"""The busiest reads, sent through the database's driver beside SQLAlchemy's execution.

Executing a statement through SQLAlchemy (its cache lookup, its execution context, its
result) costs a read by id more than the database takes to answer it: in process, a lecture
by id took 58 µs through SQLAlchemy and 24 µs here on SQLite, 167 and 119 µs on PostgreSQL
(its round trip included). A DriverRead is compiled by SQLAlchemy once for each database,
then sent by the driver on a connection of the engine's pool, its parameters and rows
converted by their types, as SQLAlchemy would convert them.

It reads what is committed, on a connection of its own, outside the ORM session: for a GET,
or for what a request reads before it writes. On PostgreSQL the connection comes from the
engine for reads (see add_read_engine()), as a GET's session does.

A DriverWrite is one statement that writes and returns its rows (INSERT or UPDATE …
RETURNING), sent the same way in a transaction of its own, committed before its rows are
returned: on PostgreSQL the engine for reads runs it alone, without BEGIN and COMMIT.
"""

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Insert, Select, Update
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeEngine

from app.extensions import db


def read_engine() -> Engine:
    return db.engine


def execute_plain(statement, params=None):
    return db.session.connection().execute(statement, params)


Convert = Callable[[Any], Any]
Statement = Select | Insert | Update
CURSOR = "driver_cursor"  # the key of a pooled connection's kept cursor in its info


@dataclass
class Compiled:
    """A statement as one database's driver takes it."""

    compiled: SQLCompiler
    expands: bool  # has bounds to write into its text at execution (a LIMIT, an OFFSET)
    bind_converters: tuple[tuple[str, Convert], ...]
    column_types: tuple[TypeEngine, ...]
    row_type: type[tuple]
    # Known from the first rows: a column's conversion may depend on the type that the
    # database says it holds (PostgreSQL's numbers).
    column_converters: tuple[tuple[int, Convert], ...] | None = None

    @classmethod
    def of(cls, statement: Statement, dialect: Dialect) -> "Compiled":
        compiled = statement.compile(dialect=dialect)
        if compiled.escaped_bind_names:  # the driver would see names other than the binds'
            raise ValueError(f"parameter names must be plain: {list(compiled.escaped_bind_names)}")
        if compiled.insert_prefetch or compiled.update_prefetch:  # set by SQLAlchemy's execution
            raise ValueError("give the values of the columns whose defaults Python computes")
        binds = ((name, bind.type.dialect_impl(dialect)) for name, bind in compiled.binds.items())
        return cls(
            compiled=compiled,
            expands=bool(compiled.literal_execute_params or compiled.post_compile_params),
            bind_converters=tuple(
                (name, convert)
                for name, impl in binds
                if (convert := impl.bind_processor(dialect)) is not None
            ),
            column_types=tuple(
                column.type.dialect_impl(dialect) for column in statement.exported_columns
            ),
            row_type=namedtuple("Row", statement.exported_columns.keys(), rename=True),
        )

    def sql_and_parameters(self, params: Mapping[str, Any]) -> tuple[str, dict | list]:
        """The statement's text (its bounds written in) and its parameters, as the driver
        takes them."""
        compiled = self.compiled
        if self.expands:
            expanded = compiled.construct_expanded_state(params)
            sql, values, order = expanded.statement, expanded.parameters, expanded.positiontup
        else:
            sql, values = compiled.string, compiled.construct_params(params)
            order = compiled.positiontup
        for name, convert in self.bind_converters:
            if name in values:  # not a bound written into the text
                values[name] = convert(values[name])
        if order is not None:
            return sql, [values[name] for name in order]
        return sql, values

    def rows(self, description: Sequence[Sequence] | None, rows: list[Sequence]) -> list[tuple]:
        """The driver's rows as named tuples, each value converted by its column's type.

        The description of the columns is needed until their conversions are known.
        """
        if self.column_converters is None:
            dialect = self.compiled.dialect
            types = zip(self.column_types, (column[1] for column in description), strict=True)
            self.column_converters = tuple(
                (index, convert)
                for index, (impl, database_type) in enumerate(types)
                if (convert := impl.result_processor(dialect, database_type)) is not None
            )
        make = self.row_type._make
        if not self.column_converters:
            return [make(values) for values in rows]
        return [make(self._converted(values)) for values in rows]

    def _converted(self, values: Sequence) -> list:
        values = list(values)
        for index, convert in self.column_converters:
            values[index] = convert(values[index])
        return values


class DriverRead:
    """A select statement of plain columns, read through the driver (see the module)."""

    commits = False

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        self._compiled: dict[str, Compiled] = {}

    def all(self, params: Mapping[str, Any]) -> list[tuple]:
        """Every row, each a named tuple of the statement's columns."""
        engine = read_engine()
        compiled = self._compiled_for(engine.dialect)
        sql, parameters = compiled.sql_and_parameters(params)
        # The driver describes the columns anew at each call (psycopg: an object per column).
        describe = compiled.column_converters is None
        description, rows = fetch_all(
            engine, sql, parameters, describe=describe, commit=self.commits
        )
        return compiled.rows(description, rows)

    def first(self, params: Mapping[str, Any]) -> tuple | None:
        rows = self.all(params)
        return rows[0] if rows else None

    def scalar(self, params: Mapping[str, Any]) -> Any:
        """The first column of the first row, or None without a row."""
        row = self.first(params)
        return None if row is None else row[0]

    def _compiled_for(self, dialect: Dialect) -> Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = Compiled.of(self.statement, dialect)
        return compiled


class DriverWrite(DriverRead):
    """An INSERT or UPDATE … RETURNING of plain columns, committed on its own (see the
    module)."""

    commits = True


def fetch_all(
    engine: Engine,
    sql: str,
    parameters: dict | list,
    *,
    describe: bool,
    commit: bool,
) -> tuple[Sequence[Sequence] | None, list[Sequence]]:
    """The columns' description (None unless `describe`) and the rows of sql, run by the
    driver on a connection of engine's pool, and committed if `commit`.

    The engine's listeners before a statement hear of it, as they would from SQLAlchemy
    (with no Connection of SQLAlchemy's to show them). A database error, a failure to
    connect among them, is raised as SQLAlchemy raises it, and a lost connection renews the
    pool, as SQLAlchemy does.
    """
    try:
        connection = engine.raw_connection()
    except engine.dialect.loaded_dbapi.Error as error:  # the database cannot be reached
        raise database_error(engine, None, error, sql, parameters) from error
    try:
        cursor = kept_cursor(connection)
        if engine.dispatch.before_cursor_execute:
            engine.dispatch.before_cursor_execute(None, cursor, sql, parameters, None, False)
        cursor.execute(sql, parameters)
        description, rows = (cursor.description if describe else None), cursor.fetchall()
        if commit:
            connection.commit()
        return description, rows
    except engine.dialect.loaded_dbapi.Error as error:
        raise database_error(engine, connection, error, sql, parameters) from error
    finally:
        connection.close()


def kept_cursor(connection: PoolProxiedConnection) -> Any:
    """The driver's cursor kept with a pooled connection, for as long as the connection lives.

    A new psycopg cursor looks up its parameters' and columns' conversions anew: a read by id
    took 13 µs longer with a new cursor than with the one kept (about 40 µs in all). The pool
    clears a connection's info when it opens a new one in its place.
    """
    cursor = connection.info.get(CURSOR)
    if cursor is None:
        cursor = connection.info[CURSOR] = connection.dbapi_connection.cursor()
    return cursor


def database_error(
    engine: Engine,
    connection: PoolProxiedConnection | None,
    error: Exception,
    sql: str,
    parameters: dict | list,
) -> DBAPIError:
    """The driver's error as SQLAlchemy raises it (an OperationalError for a database that
    cannot be reached: a 503); a connection lost is dropped with the rest of the pool."""
    lost = connection is not None and engine.dialect.is_disconnect(
        error, connection.dbapi_connection, None
    )
    if lost:
        connection.invalidate(error)
        engine.dispose()
    return DBAPIError.instance(
        sql,
        parameters,
        error,
        engine.dialect.loaded_dbapi.Error,
        connection_invalidated=lost,
        dialect=engine.dialect,
    )


def idempotency_key_given() -> bool:
    return True


def page_of_rows(query, count, *, params, page, per_page, item_of_row):
    rows = query.all({**params, "page_limit": per_page, "page_offset": (page - 1) * per_page})
    total = rows[0].page_total if rows else count.scalar(params)
    items = [item_of_row(row) for row in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total}
