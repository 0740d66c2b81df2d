"""API.md section 12: an order's span, statuses that hold the lecturer's time, and moves
that wait for the order's start."""

from datetime import timedelta

from sqlalchemy import update

from app.extensions import db
from app.models import Lecture
from tests.helpers import assert_error
from tests.orders_helpers import (
    NEXT_YEAR,
    add_lecture,
    add_profile,
    assert_refused_move,
    let_time_come,
    move,
    parse_time,
    show,
)

pytest_plugins = ["tests.orders_fixtures"]

NOON = f"{NEXT_YEAR}-06-01T12:00:00+00:00"
HALF_PAST_NOON = f"{NEXT_YEAR}-06-01T12:30:00+00:00"
ONE_PM = f"{NEXT_YEAR}-06-01T13:00:00+00:00"
BOOKED = "The lecturer is booked then."


def order_at(client, account, lecture_id: int, when: str) -> dict:
    body = {"lecture_id": lecture_id, "scheduled_at": when}
    response = client.post("/create_order", json=body, headers=account.headers)
    assert response.status_code == 201, response.json
    return response.json


def accept(client, parties, order_id: int):
    return move(client, parties.lecturer, order_id, "accepted")


def assert_booked(response, conflicting_order_id: int | None) -> None:
    """A 409 of the error shape, naming the order that holds the time only when given."""
    assert response.status_code == 409, response.json
    expected = {"status": 409, "code": "conflict", "message": BOOKED}
    if conflicting_order_id is not None:
        expected["conflicting_order_id"] = conflicting_order_id
    assert response.json == {"error": expected}


# The span


def test_an_order_ends_its_lecture_s_duration_after_its_start(app, client, parties):
    lecture_id = add_lecture(app, parties.lecturer_profile_id, duration_minutes=90)
    order = order_at(client, parties.customer, lecture_id, NOON)
    assert parse_time(order["ends_at"]) - parse_time(order["scheduled_at"]) == timedelta(minutes=90)


def test_a_lecture_without_a_duration_takes_an_hour(app, client, parties):
    lecture_id = add_lecture(app, parties.lecturer_profile_id, duration_minutes=None)
    order = order_at(client, parties.customer, lecture_id, NOON)
    assert order["ends_at"] == ONE_PM


def test_a_new_time_takes_the_lecture_s_duration_as_it_now_stands(app, client, parties):
    order = order_at(client, parties.customer, parties.lecture_id, NOON)
    with app.app_context():
        db.session.execute(update(Lecture).values(duration_minutes=45))
        db.session.commit()
    response = client.put(
        f"/order/{order['id']}", json={"scheduled_at": ONE_PM}, headers=parties.customer.headers
    )
    assert response.status_code == 200, response.json
    assert response.json["ends_at"] == f"{NEXT_YEAR}-06-01T13:45:00+00:00"
    assert show(client, parties.customer, order["id"])["ends_at"] == response.json["ends_at"]


# Statuses that hold time


def test_accepting_an_order_that_overlaps_a_held_one_is_409(client, parties):
    first = order_at(client, parties.customer, parties.lecture_id, NOON)
    second = order_at(client, parties.customer, parties.lecture_id, HALF_PAST_NOON)
    assert accept(client, parties, first["id"]).status_code == 200
    assert_booked(accept(client, parties, second["id"]), first["id"])
    after = show(client, parties.lecturer, second["id"])
    assert after["status"] == "created"
    assert len(after["status_history"]) == 1


def test_spans_that_touch_do_not_overlap(client, parties):
    first = order_at(client, parties.customer, parties.lecture_id, NOON)
    second = order_at(client, parties.customer, parties.lecture_id, ONE_PM)
    assert accept(client, parties, first["id"]).status_code == 200
    assert accept(client, parties, second["id"]).status_code == 200


def test_canceling_releases_the_time(client, parties):
    first = order_at(client, parties.customer, parties.lecture_id, NOON)
    second = order_at(client, parties.customer, parties.lecture_id, HALF_PAST_NOON)
    assert accept(client, parties, first["id"]).status_code == 200
    canceled = move(client, parties.customer, first["id"], "canceled", "Plans changed.")
    assert canceled.status_code == 200
    assert accept(client, parties, second["id"]).status_code == 200


def test_orders_that_hold_no_time_may_overlap(client, parties):
    first = order_at(client, parties.customer, parties.lecture_id, NOON)
    second = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert move(client, parties.lecturer, first["id"], "refused", "Busy.").status_code == 200
    assert accept(client, parties, second["id"]).status_code == 200


def test_an_admin_may_not_double_book_either(client, parties, admin):
    first = order_at(client, parties.customer, parties.lecture_id, NOON)
    second = order_at(client, parties.customer, parties.lecture_id, HALF_PAST_NOON)
    assert accept(client, parties, first["id"]).status_code == 200
    assert_booked(move(client, admin, second["id"], "accepted"), first["id"])


def test_a_new_order_over_held_time_is_409_naming_the_caller_s_own_order(client, parties):
    held = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, held["id"]).status_code == 200
    body = {"lecture_id": parties.lecture_id, "scheduled_at": HALF_PAST_NOON}
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    assert_booked(response, held["id"])


def test_another_customer_is_not_told_which_order_holds_the_time(
    app, client, parties, make_account
):
    held = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, held["id"]).status_code == 200
    other = make_account("customer")
    add_profile(app, other)
    body = {"lecture_id": parties.lecture_id, "scheduled_at": HALF_PAST_NOON}
    assert_booked(client.post("/create_order", json=body, headers=other.headers), None)


def test_a_new_time_over_held_time_is_409_and_changes_nothing(client, parties):
    held = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, held["id"]).status_code == 200
    later = order_at(client, parties.customer, parties.lecture_id, ONE_PM)
    response = client.put(
        f"/order/{later['id']}",
        json={"scheduled_at": HALF_PAST_NOON},
        headers=parties.customer.headers,
    )
    assert_booked(response, held["id"])
    assert show(client, parties.customer, later["id"])["scheduled_at"] == ONE_PM


# Moves that wait for the start


def test_finishing_before_the_order_s_time_is_409(client, parties):
    order = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, order["id"]).status_code == 200
    for account in (parties.customer, parties.lecturer):
        response = move(client, account, order["id"], "finished")
        assert_refused_move(response, ["canceled"])
        assert "waits for the order's time" in response.json["error"]["message"]
    assert show(client, parties.customer, order["id"])["status"] == "accepted"


def test_a_waiting_move_is_listed_once_the_time_has_come(app, client, parties, admin):
    order = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, order["id"]).status_code == 200
    assert show(client, parties.lecturer, order["id"])["allowed_transitions"] == ["canceled"]
    assert show(client, admin, order["id"])["allowed_transitions"] == ["canceled", "finished"]
    let_time_come(app, order["id"])
    moves = show(client, parties.lecturer, order["id"])["allowed_transitions"]
    assert moves == ["canceled", "finished"]
    assert move(client, parties.lecturer, order["id"], "finished").status_code == 200


def test_an_admin_may_finish_before_the_time(client, parties, admin):
    order = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, order["id"]).status_code == 200
    assert move(client, admin, order["id"], "finished").status_code == 200


def test_no_review_before_the_lecture_s_time(client, parties):
    order = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, order["id"]).status_code == 200
    move(client, parties.customer, order["id"], "finished")
    body = {"order_id": order["id"], "grade": 5}
    response = client.post("/add_lecture_review", json=body, headers=parties.customer.headers)
    assert assert_error(response, 409, "conflict")["message"] == (
        "Only a finished order can be reviewed."
    )
    assert show(client, parties.customer, order["id"])["status"] == "accepted"


# Custom statuses and moves


def add_status(client, admin, **body):
    response = client.post("/add_order_status", json=body, headers=admin.headers)
    assert response.status_code == 201, response.json
    return response.json


def test_a_custom_status_that_holds_time_is_booked_against_accepted(client, parties, admin):
    status = add_status(
        client, admin, code="pencilled", title="Pencilled in", holds_time=True,
        transitions=[{"from": "created", "to": "pencilled", "by": ["lecturer"]}],
    )  # fmt: skip
    assert status["holds_time"] is True
    first = order_at(client, parties.customer, parties.lecture_id, NOON)
    second = order_at(client, parties.customer, parties.lecture_id, HALF_PAST_NOON)
    assert accept(client, parties, first["id"]).status_code == 200
    assert_booked(move(client, parties.lecturer, second["id"], "pencilled"), first["id"])


def test_a_custom_move_that_waits_is_refused_before_the_start(app, client, parties, admin):
    status = add_status(
        client, admin, code="no_show", title="No show", final=True,
        transitions=[{"from": "accepted", "to": "no_show", "by": ["lecturer"],
                      "after_start": True}],
    )  # fmt: skip
    assert status["holds_time"] is False
    order = order_at(client, parties.customer, parties.lecture_id, NOON)
    assert accept(client, parties, order["id"]).status_code == 200
    assert_refused_move(move(client, parties.lecturer, order["id"], "no_show"), ["canceled"])
    let_time_come(app, order["id"])
    assert move(client, parties.lecturer, order["id"], "no_show").status_code == 200


def test_new_statuses_and_moves_neither_hold_nor_wait_by_default(client, admin):
    status = add_status(
        client, admin, code="on_hold", title="On hold",
        transitions=[{"from": "accepted", "to": "on_hold", "by": ["lecturer"]}],
    )  # fmt: skip
    statuses = {item["code"]: item for item in client.get("/order_statuses").json["items"]}
    assert status["holds_time"] is False
    assert statuses["accepted"]["transitions"][-1]["after_start"] is False
