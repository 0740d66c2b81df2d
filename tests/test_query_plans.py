"""The busiest filters, sorts, counts and checks read indexes (benchmarks/ times them)."""

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Select, func, select, text

from app.common.pagination import MAX_PAGE
from app.extensions import db
from app.lectures.services import FILTERS, catalogue, contains_pattern
from app.models import Lecture
from app.orders.booking import HELD_OVERLAP, LONGEST_SPAN, SCHEDULE
from app.orders.services import ORDER_WITH_HISTORY
from tests.conftest import is_postgres
from tests.factories import (
    CityFactory,
    LectureFactory,
    LecturerProfileFactory,
    MessageFactory,
)


def plan_of(statement: Select, params: dict) -> str:
    """The database's plan for the statement with its parameters (a first page of 20), with
    sequential scans ruled out on PostgreSQL.

    The test tables are tiny, so PostgreSQL would rightly scan them: ruling scans out shows
    whether an index can serve the query at all.
    """
    statement = statement.params(page_limit=20, page_offset=0, **params)
    sql = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        rows = db.session.execute(text(f"EXPLAIN {sql}")).scalars()
    else:
        rows = (row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    return "\n".join(rows)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("-rating", "ix_lectures_rating_order"),
        ("rating", "ix_lectures_rating_ascending"),
        ("-created_at", "ix_lectures_archived_created_at"),
        ("created_at", "ix_lectures_archived_created_at"),
        ("title", "ix_lectures_archived_title"),
    ],
)
def test_catalogue_orders_read_their_index_in_order(app, sort, index):
    with app.app_context():
        rows, _, params = catalogue(sort=sort)
        plan = plan_of(rows, params)
        db.session.rollback()
    assert index in plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan  # no sort of the whole catalogue


def count_plan(app, **filters) -> str:
    """The plan of the catalogue's total with these filters."""
    _, count, params = catalogue(sort="-created_at", **filters)
    with app.app_context():
        plan = plan_of(count, params)
        db.session.rollback()
    return plan


@pytest.mark.parametrize(
    "filters",
    [{}, {"min_rating": 1}, {"lecturer_id": 1}, {"city_id": 1}, {"q": "python"}],
    ids=["none", "min_rating", "lecturer_id", "city_id", "q"],
)
def test_catalogue_total_counts_lectures_without_joining_their_lecturers(app, filters):
    plan = count_plan(app, **filters)
    assert "lectures" in plan
    assert "lecturer_profiles" not in plan


@pytest.mark.parametrize(
    ("filters", "indexes"),
    [
        ({}, ["ix_lectures_"]),
        ({"min_rating": 1}, ["ix_lectures_"]),
        ({"lecturer_id": 1}, ["ix_lectures_lecturer_id_archived"]),
    ],
    ids=["none", "min_rating", "lecturer_id"],
)
def test_catalogue_total_is_counted_on_indexes(app, filters, indexes):
    plan = count_plan(app, **filters)
    assert all(index in plan for index in indexes), plan


def test_a_city_s_total_is_counted_from_its_lecturers_to_their_lectures(app):
    """Not by asking each lecture of the catalogue for its city: once the statistics
    (ANALYZE) show that a city holds a part of the lecturers, the count reads the city's
    lecturers on their city index and their lectures on the lecturer index."""
    with app.app_context():
        cities = CityFactory.create_batch(5)
        for city in cities:
            for lecturer in LecturerProfileFactory.create_batch(4, city=city):
                LectureFactory.create_batch(3, lecturer=lecturer)
        db.session.commit()
        db.session.execute(text("ANALYZE"))  # read by this connection's next plans
        _, count, params = catalogue(sort="-created_at", city_id=cities[0].id)
        plan = plan_of(count, params)
        db.session.rollback()
    assert "ix_lecturer_contact_info_city_id" in plan, plan
    assert "ix_lectures_lecturer_id_archived" in plan, plan


def test_catalogue_text_search_reads_the_trigram_indexes(app, database_url):
    if not is_postgres(database_url):
        pytest.skip("PostgreSQL only: SQLite has no trigram index")
    search = select(func.count(Lecture.id)).where(FILTERS["q"])
    with app.app_context():
        plan = plan_of(search, {"q": contains_pattern("python")})
        db.session.rollback()
    assert "ix_lectures_title_trgm" in plan
    assert "ix_lectures_description_trgm" in plan


@pytest.mark.parametrize(
    "path",
    [
        "/lectures?per_page=7&page=3",
        "/lectures?per_page=7&page=3&city_id=1",
        "/cities?per_page=7&page=3",
        "/reviews?per_page=7&page=3",
        "/consumer_orders?per_page=7&page=3",
        "/chats?per_page=7&page=3",
    ],
)
def test_a_page_is_sent_with_its_bounds_written_in(app, client, admin, sent_statements, path):
    """A LIMIT or OFFSET sent as a parameter makes PostgreSQL plan a prepared statement for
    a tenth of the rows; on a large table it then plans the statement again at every
    execution (app.common.pagination.page_bound)."""
    statements = sent_statements(lambda: client.get(path, headers=admin.headers))
    assert any("LIMIT 7 OFFSET 14" in statement for statement in statements), statements


def test_a_chats_window_is_sent_with_its_limit_written_in(app, client, admin, sent_statements):
    with app.app_context():
        chat_id = MessageFactory().chat_id
        db.session.commit()
    statements = sent_statements(
        lambda: client.get(f"/chat/{chat_id}?limit=7", headers=admin.headers)
    )
    assert any("LIMIT 7" in statement for statement in statements), statements


@pytest.mark.parametrize("path", ["/lectures?q=it's", "/lectures?q=it's&city_id=1"])
def test_a_search_is_sent_with_its_pattern_written_in(client, sent_statements, path):
    """As a parameter, PostgreSQL would come to plan a prepared page for an unknown pattern
    after some rare words on a connection, and then read the whole catalogue for every rare
    word (app.lectures.services.search_pattern). Its quote is escaped as SQL writes it."""
    statements = sent_statements(lambda: client.get(path))
    searches = [statement for statement in statements if " LIKE " in statement]
    assert searches and all("it''s" in statement for statement in searches), statements


@pytest.mark.parametrize("path", ["/lectures", "/cities", "/consumer_orders", "/chats"])
def test_the_farthest_page_is_empty_not_an_error(client, admin, path):
    """Its OFFSET, written into the statement, is past a 32-bit integer."""
    response = client.get(f"{path}?page={MAX_PAGE}&per_page=100", headers=admin.headers)
    assert response.status_code == 200, response.json
    assert response.json["items"] == []
    assert response.json["page"] == MAX_PAGE


def test_an_order_reads_its_history_on_the_history_index(app):
    """The order shown reads its own history entries, not the whole history."""
    with app.app_context():
        plan = plan_of(ORDER_WITH_HISTORY, {"order_id": 1})
        db.session.rollback()
    assert "order_status_history" in plan
    history_lines = [line for line in plan.splitlines() if "order_status_history" in line]
    assert all("SCAN order_status_history" not in line for line in history_lines)
    assert "Seq Scan on order_status_history" not in plan


START = datetime(2031, 1, 1, tzinfo=UTC)
NEAR = {"lecturer_id": 1, "earliest_start": START - LONGEST_SPAN}


def test_the_booking_check_reads_the_lecturer_s_orders_near_the_span(app):
    """Not all of the lecturer's orders before or after it: both bounds on the index."""
    params = {**NEAR, "starts_at": START, "ends_at": START + timedelta(hours=1), "order_id": 0}
    with app.app_context():
        plan = plan_of(HELD_OVERLAP, params)
        db.session.rollback()
    assert "ix_orders_lecturer_id_scheduled_at" in plan, plan
    assert re.search(r"scheduled_at ?>.*scheduled_at ?<", plan), plan


@pytest.mark.skipif(
    is_postgres(os.environ.get("TEST_DATABASE_URL", "")),
    reason="PostgreSQL's planner weighs this join by the tables' statistics, which the "
    "test tables do not have (benchmarks/ measures it at scale)",
)
def test_the_schedule_reads_the_lecturer_s_orders_in_its_window(app):
    params = {**NEAR, "from_": START, "to": START + timedelta(days=30)}
    with app.app_context():
        plan = plan_of(SCHEDULE, params)
        db.session.rollback()
    assert "ix_orders_lecturer_id_scheduled_at" in plan, plan
    assert re.search(r"scheduled_at ?>.*scheduled_at ?<", plan), plan
