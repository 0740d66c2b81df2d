"""The floor: a bare Flask app that reads one lecture by id, and nothing else.

Served like the ceiling, over a seeded database, and driven by wrk beside it:

    DATABASE_URL=postgresql+psycopg://... gunicorn -c gunicorn.conf.py benchmarks.floor:app
    wrk -t2 -c16 -d4s http://127.0.0.1:8000/sqlalchemy/5

it shows what one read of the database costs on this machine before any of the API's own
work. `/sqlalchemy/<id>` reads through SQLAlchemy Core and its pool; `/driver/<id>` through
the driver alone, on a connection each worker keeps open. (The API's busiest reads take a
connection of the pool and send their statement through the driver: app/common/driver.py.)
"""

import os

from flask import Flask, abort
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, create_engine, select

engine = create_engine(os.environ["DATABASE_URL"])
if engine.dialect.name == "postgresql":  # as the API's engine for reads
    engine = engine.execution_options(isolation_level="AUTOCOMMIT")
lectures = Table(
    "lectures",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("title", String),
    Column("price_cents", Integer),
)
LECTURE = select(lectures.c.id, lectures.c.title, lectures.c.price_cents).where(
    lectures.c.id == bindparam("id")
)
PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}[engine.dialect.paramstyle]
DRIVER_SQL = f"SELECT id, title, price_cents FROM lectures WHERE id = {PLACEHOLDER}"

app = Flask(__name__)
_driver_connection = None


def _answer(row) -> dict:
    if row is None:
        abort(404)
    return {"id": row[0], "title": row[1], "price_cents": row[2]}


@app.get("/sqlalchemy/<int:lecture_id>")
def through_sqlalchemy(lecture_id: int) -> dict:
    with engine.connect() as connection:
        return _answer(connection.execute(LECTURE, {"id": lecture_id}).first())


@app.get("/driver/<int:lecture_id>")
def through_the_driver(lecture_id: int) -> dict:
    global _driver_connection
    if _driver_connection is None:  # opened in the worker, after gunicorn's fork
        _driver_connection = engine.raw_connection()
        _driver_connection.detach()  # the worker's own, out of the pool
        if engine.dialect.name == "postgresql":
            _driver_connection.dbapi_connection.autocommit = True
    cursor = _driver_connection.cursor()
    cursor.execute(DRIVER_SQL, (lecture_id,))
    return _answer(cursor.fetchone())
