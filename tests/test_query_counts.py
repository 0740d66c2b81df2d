"""Lists and pages load what they show in a fixed number of SQL statements."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.factories import (
    CityFactory,
    LectureFactory,
    LecturerProfileFactory,
    MessageFactory,
    OrderFactory,
    ReviewFactory,
)


@pytest.fixture
def count_statements(app):
    """count_statements(request) -> how many SQL statements the request ran."""
    with app.app_context():
        engine = db.engine

    def count(send) -> int:
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            response = send()
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert response.status_code == 200, response.json
        return len(statements)

    return count


@contextmanager
def rows(app) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.commit()


def test_lecture_list_statements_do_not_grow_with_page_size(app, client, count_statements):
    with rows(app):
        city = CityFactory()
        for _ in range(105):  # each lecture by a lecturer of its own, each with a review
            ReviewFactory(order__lecture=LectureFactory(lecturer__city=city))
        city_id = city.id
    one = count_statements(lambda: client.get("/lectures?per_page=1"))
    hundred = count_statements(lambda: client.get("/lectures?per_page=100&sort=-rating"))
    assert one == hundred
    filtered = count_statements(
        lambda: client.get(f"/lectures?per_page=100&city_id={city_id}&q=lecture&min_rating=1")
    )
    assert filtered == one


def test_lecturer_profile_statements_do_not_grow_with_its_lectures(app, client, count_statements):
    with rows(app):
        small = LecturerProfileFactory(city=CityFactory())
        large = LecturerProfileFactory(city=CityFactory())
        ReviewFactory(order__lecture=LectureFactory(lecturer=small))
        for _ in range(40):
            ReviewFactory(order__lecture=LectureFactory(lecturer=large))
        small_id, large_id = small.id, large.id
    assert count_statements(lambda: client.get(f"/lecture_profile/{small_id}")) == (
        count_statements(lambda: client.get(f"/lecture_profile/{large_id}"))
    )


def test_city_list_statements_do_not_grow_with_page_size(app, client, count_statements):
    with rows(app):
        CityFactory.create_batch(30)
    assert count_statements(lambda: client.get("/cities?per_page=1")) == count_statements(
        lambda: client.get("/cities?per_page=100")
    )


def test_order_list_statements_do_not_grow_with_page_size(app, client, admin, count_statements):
    with rows(app):
        for _ in range(30):
            MessageFactory(order=OrderFactory())
    one = count_statements(lambda: client.get("/consumer_orders?per_page=1", headers=admin.headers))
    many = count_statements(
        lambda: client.get("/consumer_orders?per_page=100", headers=admin.headers)
    )
    assert one == many


def test_chat_list_statements_do_not_grow_with_page_size(app, client, admin, count_statements):
    with rows(app):
        for _ in range(30):
            MessageFactory(order=OrderFactory())
    one = count_statements(lambda: client.get("/chats?per_page=1", headers=admin.headers))
    many = count_statements(lambda: client.get("/chats?per_page=100", headers=admin.headers))
    assert one == many


def test_order_statuses_statements_do_not_grow_with_page_size(client, count_statements):
    one = count_statements(lambda: client.get("/order_statuses?per_page=1"))
    assert one == count_statements(lambda: client.get("/order_statuses?per_page=100"))
