"""A change of an order made by another request between a request's check and its write:
the write is judged on the order as it then stands (API.md sections 6 and 12)."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Connection, update

from app.extensions import db
from app.models import Order
from app.orders import services
from tests.helpers import assert_error
from tests.orders_helpers import NEXT_YEAR, add_order, count_rows, move, show, status_id

pytest_plugins = ["tests.orders_fixtures"]

NOON = datetime.fromisoformat(f"{NEXT_YEAR}-06-01T12:00:00+00:00")


@pytest.fixture
def meanwhile(app, monkeypatch):
    """meanwhile(name, *changes): once the request's services.<name> has read what it reads,
    make the changes on a connection of their own and commit them, as another request would."""

    def arrange(name: str, *changes: Callable[[Connection], None]) -> None:
        real = getattr(services, name)

        def then_another_request(*args, **kwargs):
            result = real(*args, **kwargs)
            with db.engine.begin() as connection:
                for change in changes:
                    change(connection)
            return result

        monkeypatch.setattr(services, name, then_another_request)

    return arrange


def set_order(order_id: int, **values) -> Callable[[Connection], None]:
    def change(connection: Connection) -> None:
        connection.execute(update(Order.__table__).where(Order.id == order_id).values(**values))

    return change


def span(start: datetime, minutes: int = 60) -> dict:
    return {"scheduled_at": start, "ends_at": start + timedelta(minutes=minutes)}


def test_a_change_after_the_order_was_accepted_meanwhile_is_409(
    app, client, parties, deal, meanwhile
):
    meanwhile("get_order", set_order(deal["id"], status_id=status_id(app, "accepted")))
    response = client.put(
        f"/order/{deal['id']}", json={"description": "Changed"}, headers=parties.customer.headers
    )
    assert_error(response, 409, "conflict")
    order = show(client, parties.customer, deal["id"])
    assert (order["status"], order["description"]) == ("accepted", deal["description"])


def test_a_deletion_after_the_order_was_accepted_meanwhile_is_409(
    app, client, parties, deal, meanwhile
):
    meanwhile("get_order", set_order(deal["id"], status_id=status_id(app, "accepted")))
    response = client.delete(f"/order/{deal['id']}", headers=parties.customer.headers)
    assert_error(response, 409, "conflict")
    assert count_rows(app, Order, Order.id == deal["id"]) == 1


def test_an_acceptance_checks_the_time_the_order_has_when_it_is_accepted(
    app, client, parties, meanwhile
):
    """B was read at 15:00; meanwhile B moved to 12:30 and A (12:00–13:00) was accepted."""
    first = add_order(app, parties, **span(NOON))
    second = add_order(app, parties, **span(NOON + timedelta(hours=3)))
    accepted = status_id(app, "accepted")
    meanwhile(
        "get_order",
        set_order(second, **span(NOON + timedelta(minutes=30))),
        set_order(first, status_id=accepted),
    )
    response = move(client, parties.lecturer, second, "accepted")
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert (error["message"], error["conflicting_order_id"]) == (
        "The lecturer is booked then.",
        first,
    )
    assert show(client, parties.lecturer, second)["status"] == "created"
