"""PUT and DELETE /order/<id>: changes of an order still in status created."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    Chat,
    ChatMessage,
    ChatReadMarker,
    Order,
    OrderStatusHistory,
)
from app.models.base import utcnow
from tests.factories import MessageFactory
from tests.helpers import JSON, MALFORMED_BODIES, assert_error
from tests.orders_helpers import (
    A_DAY_AGO,
    LATER,
    LATER_UTC,
    NEXT_YEAR,
    ORDER_KEYS,
    STATUSES,
    STRANGERS,
    UNKNOWN_ID,
    add_order,
    count_rows,
    move,
    parse_time,
    show,
)

pytest_plugins = ["tests.orders_fixtures"]


# PUT /order/<id>


def test_customer_changes_the_time(client, deal, parties):
    response = client.put(
        f"/order/{deal['id']}", json={"scheduled_at": LATER}, headers=parties.customer.headers
    )
    assert response.status_code == 200, response.json
    assert set(response.json) == ORDER_KEYS
    assert response.json["scheduled_at"] == LATER_UTC


def test_change_of_the_time_leaves_the_description(client, deal, parties):
    response = client.put(
        f"/order/{deal['id']}", json={"scheduled_at": LATER}, headers=parties.customer.headers
    )
    assert response.json["description"] == deal["description"]


def test_change_of_the_description_leaves_the_time(client, deal, parties):
    response = client.put(
        f"/order/{deal['id']}", json={"description": "Hall C."}, headers=parties.customer.headers
    )
    assert response.status_code == 200, response.json
    assert response.json["description"] == "Hall C."
    assert response.json["scheduled_at"] == deal["scheduled_at"]


def test_description_can_be_cleared_with_null(client, deal, parties):
    response = client.put(
        f"/order/{deal['id']}", json={"description": None}, headers=parties.customer.headers
    )
    assert response.status_code == 200, response.json
    assert response.json["description"] is None


def test_admin_changes_an_order(client, deal, admin):
    body = {"scheduled_at": LATER, "description": "Moved."}
    response = client.put(f"/order/{deal['id']}", json=body, headers=admin.headers)
    assert response.status_code == 200, response.json
    assert (response.json["scheduled_at"], response.json["description"]) == (LATER_UTC, "Moved.")


def test_change_is_what_get_shows_afterwards(client, deal, parties):
    changed = client.put(
        f"/order/{deal['id']}", json={"scheduled_at": LATER}, headers=parties.customer.headers
    ).json
    assert show(client, parties.customer, deal["id"]) == changed


def test_change_moves_updated_at(app, client, parties):
    order_id = add_order(app, parties, created_at=A_DAY_AGO, updated_at=A_DAY_AGO)
    before = utcnow()
    response = client.put(
        f"/order/{order_id}", json={"description": "New."}, headers=parties.customer.headers
    )
    assert parse_time(response.json["updated_at"]) >= before - timedelta(seconds=1)


def test_change_writes_no_history(client, deal, parties):
    response = client.put(
        f"/order/{deal['id']}", json={"description": "New."}, headers=parties.customer.headers
    )
    assert response.json["status_history"] == deal["status_history"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"description": "Mine now."}, id="good-body"),
        pytest.param({"status": "accepted"}, id="bad-body"),
    ],
)
def test_the_order_s_lecturer_may_not_change_it(client, deal, parties, body):
    response = client.put(f"/order/{deal['id']}", json=body, headers=parties.lecturer.headers)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize(("role", "with_profile"), STRANGERS)
@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        pytest.param('{"description": "Mine now."}', JSON, id="good-body"),
        pytest.param('{"status": "accepted"}', JSON, id="unknown-field"),
        pytest.param("{", JSON, id="not-json"),
        pytest.param("x", "text/plain", id="text-plain"),
    ],
)
def test_stranger_gets_404_on_change(
    client, deal, make_stranger, role, with_profile, data, content_type
):
    account = make_stranger(role, with_profile)
    response = client.put(
        f"/order/{deal['id']}", data=data, content_type=content_type, headers=account.headers
    )
    assert_error(response, 404, "not_found")


def test_anonymous_may_not_change_an_order(client, deal):
    response = client.put(f"/order/{deal['id']}", json={"description": "x"})
    assert_error(response, 401, "unauthorized")


def test_change_of_an_unknown_order_is_404(client, admin):
    response = client.put(f"/order/{UNKNOWN_ID}", json={"description": "x"}, headers=admin.headers)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("status_code", STATUSES[1:])
@pytest.mark.parametrize("caller", ["customer", "admin"])
def test_change_after_the_order_left_created_is_409(
    app, client, parties, callers, status_code, caller
):
    order_id = add_order(app, parties, status_code)
    response = client.put(
        f"/order/{order_id}", json={"description": "Late."}, headers=callers[caller].headers
    )
    assert_error(response, 409, "conflict")


BAD_UPDATE_BODIES = [
    pytest.param({"status": "accepted"}, "status", id="status"),
    pytest.param({"lecture_id": 1}, "lecture_id", id="lecture-id"),
    pytest.param({"customer_id": 1}, "customer_id", id="customer-id"),
    pytest.param({"scheduled_at": "2020-01-01T10:00:00+00:00"}, "scheduled_at", id="past"),
    pytest.param({"scheduled_at": f"{NEXT_YEAR}-01-01T10:00:00"}, "scheduled_at", id="no-offset"),
    pytest.param({"scheduled_at": "soon"}, "scheduled_at", id="not-a-date"),
    pytest.param({"scheduled_at": None}, "scheduled_at", id="null-time"),
    pytest.param({"description": "d" * 5001}, "description", id="description-5001"),
    pytest.param({"description": "a\x00b"}, "description", id="description-nul"),
    pytest.param({"scheduled_at": "9999-12-31T23:00:00-05:00"}, "scheduled_at",
                 id="beyond-year-9999-in-utc"),
    pytest.param({"scheduled_at": "9999-12-31T23:30:00+00:00"}, "scheduled_at",
                 id="year-9999"),
    pytest.param({"scheduled_at": "3000-01-01T00:00:00+00:00"}, "scheduled_at",
                 id="year-3000"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "field"), BAD_UPDATE_BODIES)
def test_change_with_a_bad_field_is_422_naming_it(client, deal, parties, body, field):
    response = client.put(f"/order/{deal['id']}", json=body, headers=parties.customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}


@pytest.mark.parametrize(("body", "field"), BAD_UPDATE_BODIES)
def test_refused_change_leaves_the_order_as_it_was(client, deal, parties, body, field):
    client.put(
        f"/order/{deal['id']}",
        json={"description": "Changed?", **body},
        headers=parties.customer.headers,
    )
    assert show(client, parties.customer, deal["id"]) == deal


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_change_refuses_malformed_bodies(client, deal, parties, data, content_type, status, code):
    response = client.put(
        f"/order/{deal['id']}",
        data=data,
        content_type=content_type,
        headers=parties.customer.headers,
    )
    assert_error(response, status, code)


# DELETE /order/<id>


def test_customer_deletes_the_order(client, deal, parties):
    response = client.delete(f"/order/{deal['id']}", headers=parties.customer.headers)
    assert response.status_code == 204
    assert response.get_data() == b""


def test_deleted_order_is_gone(client, deal, parties):
    client.delete(f"/order/{deal['id']}", headers=parties.customer.headers)
    response = client.get(f"/order/{deal['id']}", headers=parties.customer.headers)
    assert_error(response, 404, "not_found")


def test_deleted_order_s_chat_is_gone(client, deal, parties):
    client.delete(f"/order/{deal['id']}", headers=parties.customer.headers)
    response = client.get(f"/chat/{deal['chat_id']}", headers=parties.customer.headers)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("model", "column"),
    [
        pytest.param(Chat, Chat.id, id="chat"),
        pytest.param(ChatReadMarker, ChatReadMarker.chat_id, id="read-markers"),
        pytest.param(ChatMessage, ChatMessage.chat_id, id="messages"),
    ],
)
def test_deleting_an_order_deletes_its_chat_rows(app, client, parties, model, column):
    order_id = add_order(app, parties)
    with app.app_context():
        order = db.session.get(Order, order_id)
        MessageFactory(order=order)
        MessageFactory(order=order, from_lecturer=True)
        db.session.commit()
        chat_id = order.chat.id
    client.delete(f"/order/{order_id}", headers=parties.customer.headers)
    assert count_rows(app, model, column == chat_id) == 0


def test_deleting_an_order_deletes_its_history(app, client, deal, parties):
    client.delete(f"/order/{deal['id']}", headers=parties.customer.headers)
    assert count_rows(app, OrderStatusHistory, OrderStatusHistory.order_id == deal["id"]) == 0


def test_deleting_an_order_leaves_other_orders(app, client, deal, parties):
    other_id = add_order(app, parties)
    client.delete(f"/order/{deal['id']}", headers=parties.customer.headers)
    assert show(client, parties.customer, other_id)["id"] == other_id


def test_admin_deletes_an_order(app, client, deal, admin):
    response = client.delete(f"/order/{deal['id']}", headers=admin.headers)
    assert response.status_code == 204
    assert count_rows(app, Order) == 0


def test_the_order_s_lecturer_may_not_delete_it(app, client, deal, parties):
    response = client.delete(f"/order/{deal['id']}", headers=parties.lecturer.headers)
    assert_error(response, 403, "forbidden")
    assert count_rows(app, Order) == 1


@pytest.mark.parametrize(("role", "with_profile"), STRANGERS)
def test_stranger_gets_404_on_delete(app, client, deal, make_stranger, role, with_profile):
    account = make_stranger(role, with_profile)
    response = client.delete(f"/order/{deal['id']}", headers=account.headers)
    assert_error(response, 404, "not_found")
    assert count_rows(app, Order) == 1


def test_anonymous_may_not_delete_an_order(app, client, deal):
    assert_error(client.delete(f"/order/{deal['id']}"), 401, "unauthorized")
    assert count_rows(app, Order) == 1


def test_delete_of_an_unknown_order_is_404(client, admin):
    assert_error(client.delete(f"/order/{UNKNOWN_ID}", headers=admin.headers), 404, "not_found")


def test_delete_after_accept_is_409(app, client, deal, parties):
    assert move(client, parties.lecturer, deal["id"], "accepted").status_code == 200
    response = client.delete(f"/order/{deal['id']}", headers=parties.customer.headers)
    assert_error(response, 409, "conflict")
    assert count_rows(app, Order) == 1


@pytest.mark.parametrize("status_code", STATUSES[1:])
def test_admin_may_not_delete_an_order_that_left_created(app, client, parties, admin, status_code):
    order_id = add_order(app, parties, status_code)
    response = client.delete(f"/order/{order_id}", headers=admin.headers)
    assert_error(response, 409, "conflict")
    assert count_rows(app, Order) == 1
