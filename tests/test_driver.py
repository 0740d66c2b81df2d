"""Reads through the driver (app/common/driver.py) answer as SQLAlchemy's execution would."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Integer, bindparam, event, func, insert, literal, select, text
from sqlalchemy.exc import DBAPIError, InvalidRequestError

from app.common import driver
from app.common.driver import DriverRead, DriverWrite
from app.common.pagination import paged
from app.extensions import db, read_engine
from app.models import City, Lecture, LecturerProfile
from tests.conftest import is_postgres
from tests.factories import CityFactory, LectureFactory

LECTURES = select(
    Lecture.id,
    Lecture.title,
    Lecture.price_cents,
    Lecture.avg_rating,
    Lecture.archived,
    Lecture.created_at,
    LecturerProfile.first_name,
).join(Lecture.lecturer)


@pytest.fixture
def lectures(app) -> list[int]:
    """Three committed lectures, one rated, one archived, created a minute apart."""
    with app.app_context():
        start = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
        kinds = [(None, False), (4.25, False), (None, True)]
        made = [
            LectureFactory(created_at=start + timedelta(minutes=n), avg_rating=rated, archived=gone)
            for n, (rated, gone) in enumerate(kinds)
        ]
        db.session.commit()
        return [lecture.id for lecture in made]


def test_rows_are_sqlalchemys_rows_as_named_tuples(app, lectures):
    statement = LECTURES.where(Lecture.id.in_(lectures)).order_by(Lecture.id)
    with app.app_context():
        expected = db.session.execute(statement).all()
        rows = DriverRead(statement).all({})
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    assert [row._asdict() for row in rows] == [row._asdict() for row in expected]
    first = rows[0]
    assert first.created_at == datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert first.created_at.tzinfo is UTC
    assert first.archived is False and rows[2].archived is True
    assert rows[1].avg_rating == 4.25 and isinstance(rows[1].avg_rating, float)


def test_the_columns_are_described_once(app, lectures, monkeypatch):
    """The driver's description of the columns, built anew at each call (an object per
    column in psycopg), is asked for until their conversions are known, then no more."""
    asked = []
    fetch_all = driver.fetch_all

    def recording(*args, describe: bool, **kwargs):
        asked.append(describe)
        return fetch_all(*args, describe=describe, **kwargs)

    monkeypatch.setattr(driver, "fetch_all", recording)
    read = DriverRead(LECTURES.where(Lecture.id == bindparam("id")))
    with app.app_context():
        rows = [read.first({"id": lecture}) for lecture in lectures]
    assert asked == [True, False, False]
    assert rows[0].created_at.tzinfo is UTC and rows[2].created_at.tzinfo is UTC


def test_a_pooled_connection_keeps_one_cursor_for_its_reads(app, lectures):
    """A new psycopg cursor looks up every conversion again: the driver keeps one cursor
    per pooled connection, and the pool hands its connections out again and again."""
    cursors = []
    read = DriverRead(LECTURES.where(Lecture.id == bindparam("id")))
    with app.app_context():
        engine = read_engine()

        def record(_connection, cursor, *_):
            cursors.append(cursor)

        event.listen(engine, "before_cursor_execute", record)
        try:
            rows = [read.first({"id": lecture}) for lecture in lectures * 3]
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert [row.id for row in rows] == lectures * 3
    connections = {id(cursor.connection) for cursor in cursors}
    assert len({id(cursor) for cursor in cursors}) == len(connections) < len(cursors)


def test_parameters_are_converted_by_their_types(app, lectures):
    """A timestamp parameter is bound as SQLAlchemy binds it (as text in UTC on SQLite)."""
    after = DriverRead(select(Lecture.id).where(Lecture.created_at > bindparam("after")))
    start = datetime(2026, 1, 2, 5, 5, tzinfo=timezone(timedelta(hours=2)))  # 03:05 UTC
    with app.app_context():
        found = [row.id for row in after.all({"after": start})]
    assert sorted(set(found) & set(lectures)) == lectures[1:]


def test_a_parameter_name_the_driver_could_not_take_is_refused(app):
    read = DriverRead(select(City.id).where(City.id == bindparam("city.id")))
    with app.app_context(), pytest.raises(ValueError, match="plain"):
        read.all({"city.id": 1})


def test_first_is_none_without_a_row(app):
    city_by_id = DriverRead(select(City.id).where(City.id == bindparam("id")))
    with app.app_context():
        assert city_by_id.first({"id": -1}) is None
        assert city_by_id.scalar({"id": -1}) is None


def test_a_paged_statement_writes_its_bounds_into_the_text(app, lectures):
    """LIMIT and OFFSET given at execution (see paged()) are written in, per execution."""
    query = select(Lecture.id).where(Lecture.id.in_(lectures)).order_by(Lecture.id)
    count = select(func.count()).select_from(Lecture).where(Lecture.id.in_(lectures))
    page = DriverRead(paged(query, count))
    with app.app_context():
        first = page.all({"page_limit": 2, "page_offset": 0})
        second = page.all({"page_limit": 2, "page_offset": 2})
    assert [row.id for row in first] == lectures[:2]
    assert [(row.id, row.page_total) for row in second] == [(lectures[2], 3)]


def test_a_missing_parameter_is_refused_before_the_database(app):
    with app.app_context(), pytest.raises(InvalidRequestError, match="bind parameter 'id'"):
        DriverRead(select(City.id).where(City.id == bindparam("id"))).first({})


def test_reads_see_what_is_committed_on_a_connection_of_their_own(app, database_url):
    """Outside the session's transaction; on PostgreSQL in autocommit, sparing BEGIN."""
    uncommitted = DriverRead(select(func.count()).where(City.name == "Uncommitted"))
    with app.app_context():
        CityFactory(name="Uncommitted")
        db.session.flush()
        assert uncommitted.scalar({}) == 0
        connection = read_engine().raw_connection()
        autocommit = getattr(connection.driver_connection, "autocommit", None) is True
        connection.close()
        db.session.rollback()
    assert autocommit == is_postgres(database_url)


def test_the_engines_listeners_hear_each_statement(app):
    heard = []
    read = DriverRead(select(literal(7, Integer).label("seven")))
    with app.app_context():
        engine = read_engine()

        def record(_connection, _cursor, statement, parameters, *_):
            heard.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert read.first({}).seven == 7
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert len(heard) == 1 and heard[0].startswith("SELECT")


def test_a_database_error_is_raised_as_sqlalchemy_raises_it(app):
    with app.app_context():
        with pytest.raises(DBAPIError) as raised:
            DriverRead(select(text("no_such_column")).select_from(City)).all({})
        assert not raised.value.connection_invalidated
        assert DriverRead(select(literal(1, Integer))).first({})[0] == 1  # the pool goes on


# Every column with a default computed in Python is given (see the last test).
ADD_CITY = DriverWrite(
    insert(City.__table__)
    .values(
        name=bindparam("name"),
        timezone=bindparam("timezone"),
        lectures_on_offer=0,
        created_at=bindparam("created_at"),
    )
    .returning(City.id, City.name, City.created_at)
)


def test_a_write_is_committed_before_its_rows_come_back(app):
    made = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with app.app_context():
        row = ADD_CITY.first({"name": "Tartu", "timezone": "UTC", "created_at": made})
        assert row.name == "Tartu" and row.created_at == made
    with app.app_context():  # another connection sees it
        assert db.session.get(City, row.id).name == "Tartu"


def test_a_write_the_database_refuses_writes_nothing(app):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(City))
        with pytest.raises(DBAPIError):
            ADD_CITY.first({"name": None, "timezone": "UTC", "created_at": datetime.now(UTC)})
        db.session.remove()
        assert db.session.scalar(select(func.count()).select_from(City)) == before


def test_a_write_whose_defaults_sqlalchemy_would_compute_is_refused(app):
    """A default computed in Python is set by SQLAlchemy's execution, not by the driver."""
    add_city = DriverWrite(insert(City.__table__).values(name=bindparam("name")).returning(City.id))
    with app.app_context(), pytest.raises(ValueError, match="defaults Python computes"):
        add_city.first({"name": "Narva"})
