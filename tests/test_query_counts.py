"""Lists and reads whose size depends on data run a fixed number of SQL statements.

Each case is one request, counted three times: on a small database with the biggest page,
then on a database where every kind of row has grown past a page, with the smallest and with
the biggest page. The three counts must be equal. Each row has related rows of its own
(another customer, another lecturer, a message from the other side) so that a query per row
would show. Both databases are built once and restored before each count.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, Order, OrderStatus, OrderStatusHistory, User
from app.models.base import utcnow
from tests.conftest import Account, login, restore_builtin_rows, snapshot_rows
from tests.factories import (
    PASSWORD,
    CityFactory,
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    MessageFactory,
    ReviewFactory,
    UserFactory,
)

LARGE = 105  # rows of each kind that grow() adds: more than the biggest page (100)


@pytest.fixture
def count_statements(sent_statements):
    """count_statements(request) -> how many SQL statements the request ran."""

    def count(send) -> int:
        statements = sent_statements(send)
        assert statements, "no statement seen: is one of the app's engines not watched?"
        return len(statements)

    return count


@contextmanager
def rows(app) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.commit()


def build(users: dict[str, User]) -> dict[str, int]:
    """Profiles for the customer and the lecturer, and a reviewed order between them with a
    message from each; the ids the requests point at."""
    city = CityFactory()
    customer = CustomerProfileFactory(user=users["customer"], city=city)
    lecturer = LecturerProfileFactory(user=users["lecturer"], city=city)
    order = ReviewFactory(order__customer=customer, order__lecture__lecturer=lecturer).order
    MessageFactory(order=order)
    MessageFactory(order=order, from_lecturer=True)
    return {
        "customer": customer.id,
        "lecturer": lecturer.id,
        "city": city.id,
        "lecture": order.lecture_id,
        "order": order.id,
        "chat": order.chat.id,
    }


def grow(order: Order) -> None:
    """Add LARGE of each: reviewed orders of the lecturer's lecture, and of new lectures of
    the lecturer, each from a new customer in a city of their own; reviewed orders of the
    customer, each of a lecture by a new lecturer; a message in each of those orders; messages
    from both sides and status moves in `order`."""
    statuses = db.session.scalars(select(OrderStatus.id)).all()
    users = [order.customer.user_id, order.lecturer.user_id]
    city = order.lecturer.contact_info.city
    for i in range(LARGE):
        for review in (
            ReviewFactory(order__lecture=order.lecture, order__customer__city=CityFactory()),
            ReviewFactory(
                order__lecture=LectureFactory(lecturer=order.lecturer),
                order__customer__city=CityFactory(),
            ),
            ReviewFactory(order__customer=order.customer, order__lecture__lecturer__city=city),
        ):
            MessageFactory(order=review.order, from_lecturer=i % 2)
        MessageFactory(order=order, from_lecturer=i % 2)
        order.history.append(
            OrderStatusHistory(
                from_status_id=statuses[i % len(statuses)],
                to_status_id=statuses[(i + 1) % len(statuses)],
                by_user_id=users[i % 2],
                reason=f"Move {i}",
            )
        )
        db.session.add(
            ApiToken(
                user_id=users[0],
                token_hash=ApiToken.hash(f"grown-{i}"),
                expires_at=utcnow() + timedelta(days=1),
            )
        )


@dataclass
class World:
    ids: dict[str, int]
    headers: dict[str, dict[str, str]]
    small: dict[str, list[dict]]  # every table's rows, as snapshot_rows() gives them
    large: dict[str, list[dict]]


@pytest.fixture(scope="module")
def world(base_app, builtin_rows) -> World:
    """Build the small database and grow it once for the module; leave the built-in rows."""
    roles = ("customer", "lecturer", "admin")
    with rows(base_app):
        users = {role: UserFactory(role=role) for role in roles}
        accounts = [Account(u.id, u.username, u.email, PASSWORD, u.role) for u in users.values()]
        ids = build(users)
    headers = {a.role: login(base_app.test_client(), a).headers for a in accounts}
    with rows(base_app):
        small = snapshot_rows()
        grow(db.session.get(Order, ids["order"]))
    with rows(base_app):
        large = snapshot_rows()
        restore_builtin_rows(builtin_rows)
    return World(ids, {"anyone": {}, **headers}, small, large)


# (who calls, path): {per_page} and {limit} are the page size, the other fields World.ids.
CASES = [
    ("anyone", "/lectures?per_page={per_page}"),
    ("anyone", "/lectures?per_page={per_page}&q=lecture"),
    ("anyone", "/lectures?per_page={per_page}&sort=-rating&city_id={city}&q=lecture&min_rating=1"),
    ("anyone", "/lecture_profile/{lecturer}"),
    ("anyone", "/lecturer_schedule/{lecturer}"),
    ("lecturer", "/create_lecture_profile"),
    ("anyone", "/customer_profile/{customer}"),
    ("lecturer", "/customer_profile/{customer}"),
    ("customer", "/customer_profile/{customer}"),
    ("anyone", "/cities?per_page={per_page}"),
    ("anyone", "/order_statuses?per_page={per_page}"),
    ("customer", "/consumer_orders?per_page={per_page}"),
    ("lecturer", "/consumer_orders?per_page={per_page}"),
    ("admin", "/consumer_orders?per_page={per_page}"),
    ("admin", "/consumer_orders?per_page={per_page}&status=finished"),
    ("customer", "/consumer_orders/{customer}?per_page={per_page}"),
    ("customer", "/consumer_orders/{customer}?per_page={per_page}&status=finished"),
    ("admin", "/consumer_orders/{customer}?per_page={per_page}"),
    ("lecturer", "/lecturer_orders/{lecturer}?per_page={per_page}"),
    ("lecturer", "/lecturer_orders/{lecturer}?per_page={per_page}&status=finished"),
    ("admin", "/lecturer_orders/{lecturer}?per_page={per_page}"),
    ("customer", "/order/{order}"),
    ("lecturer", "/order/{order}"),
    ("admin", "/order/{order}"),
    ("customer", "/chats?per_page={per_page}"),
    ("lecturer", "/chats?per_page={per_page}"),
    ("admin", "/chats?per_page={per_page}"),
    ("customer", "/chat/{chat}?limit={limit}"),
    ("lecturer", "/chat/{chat}?limit={limit}"),
    ("admin", "/chat/{chat}?limit={limit}"),
    ("customer", "/sum_messages/{chat}"),
    ("anyone", "/reviews?per_page={per_page}"),
    ("anyone", "/reviews?per_page={per_page}&lecture_id={lecture}"),
    ("anyone", "/reviews?per_page={per_page}&lecturer_id={lecturer}"),
    ("anyone", "/get_avg_rating/{lecturer}"),
    ("anyone", "/get_avg_rating/{lecturer}/{lecture}"),
    ("anyone", "/orders_finished/{lecturer}?type=lecturer"),
    ("anyone", "/orders_finished/{customer}?type=customer"),
    ("anyone", "/orders_finished"),
    ("customer", "/tokens?per_page={per_page}"),
]


@pytest.mark.parametrize(("who", "path"), CASES, ids=[" ".join(case) for case in CASES])
def test_statements_do_not_grow_with_page_size_or_data(
    app, client, world, count_statements, who, path
):
    def count(data: dict[str, list[dict]], smallest_page: bool) -> int:
        with app.app_context():
            restore_builtin_rows(data)
        per_page, limit = (1, 1) if smallest_page else (100, 500)
        url = path.format(per_page=per_page, limit=limit, **world.ids)
        return count_statements(lambda: client.get(url, headers=world.headers[who]))

    small_data = count(world.small, smallest_page=False)
    large_data = [count(world.large, smallest_page=page) for page in (True, False)]
    assert large_data == [small_data, small_data]
