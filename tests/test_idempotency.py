"""Safe retries with Idempotency-Key on POST /create_order and POST /create_message."""

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import OperationalError

from app.chats import services as chats_services
from app.extensions import db
from app.models import ChatMessage, IdempotencyKey, Order, User
from app.models.base import utcnow
from app.orders import services as orders_services
from tests.factories import CustomerProfileFactory, LectureFactory, LecturerProfileFactory
from tests.helpers import assert_error

WHEN = "2030-01-01T10:00:00+00:00"


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def lecture_id(app, customer, lecturer) -> int:
    """A lecture of `lecturer`, and a profile for `customer`."""
    with app.app_context():
        CustomerProfileFactory(user=db.session.get(User, customer.id))
        profile = LecturerProfileFactory(user=db.session.get(User, lecturer.id))
        lecture = LectureFactory(lecturer=profile)
        db.session.commit()
        return lecture.id


def order(client, account, lecture_id, key, **changes):
    body = {"lecture_id": lecture_id, "scheduled_at": WHEN, **changes}
    return client.post(
        "/create_order", json=body, headers={**account.headers, "Idempotency-Key": key}
    )


def test_repeat_answers_as_the_first_call_and_creates_nothing(app, client, customer, lecture_id):
    first = order(client, customer, lecture_id, "key-1")
    again = order(client, customer, lecture_id, "key-1")
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert count(app, Order) == 1


def test_repeat_gets_the_stored_answer_even_after_the_order_changed(
    app, client, customer, lecturer, lecture_id
):
    first = order(client, customer, lecture_id, "key-1")
    moved = client.put(
        f"/change_order_status/{first.json['id']}", json={"status": "accepted"},
        headers=lecturer.headers,
    )  # fmt: skip
    assert moved.status_code == 200
    assert order(client, customer, lecture_id, "key-1").json["status"] == "created"


def test_same_key_with_another_body_is_409(app, client, customer, lecture_id):
    order(client, customer, lecture_id, "key-1")
    assert_error(order(client, customer, lecture_id, "key-1", description="x"), 409, "conflict")
    assert count(app, Order) == 1


def test_without_a_key_each_call_creates(app, client, customer, lecture_id):
    body = {"lecture_id": lecture_id, "scheduled_at": WHEN}
    for _ in range(2):
        assert client.post("/create_order", json=body, headers=customer.headers).status_code == 201
    assert count(app, Order) == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "ключ", "tab\there"])
def test_malformed_key_is_400(app, client, customer, lecture_id, key):
    assert_error(order(client, customer, lecture_id, key), 400, "bad_request")
    assert count(app, Order) == 0


def test_key_of_255_visible_characters_is_fine(client, customer, lecture_id):
    assert order(client, customer, lecture_id, "~" * 255).status_code == 201


def test_failed_call_is_not_remembered(app, client, customer, lecture_id):
    assert_error(order(client, customer, lecture_id, "k", scheduled_at="2000-01-01T00:00:00Z"),
                 422, "validation_error")  # fmt: skip
    assert order(client, customer, lecture_id, "k").status_code == 201
    assert count(app, IdempotencyKey) == 1


def test_keys_are_kept_per_user(app, client, make_account, customer, lecture_id):
    other = make_account("customer")
    with app.app_context():
        CustomerProfileFactory(user=db.session.get(User, other.id))
        db.session.commit()
    first = order(client, customer, lecture_id, "shared")
    second = order(client, other, lecture_id, "shared")
    assert second.status_code == 201 and second.json["id"] != first.json["id"]
    assert count(app, Order) == 2


def test_keys_are_kept_per_endpoint(app, client, customer, lecture_id):
    chat_id = order(client, customer, lecture_id, "same").json["chat_id"]
    message = client.post(
        "/create_message", json={"chat_id": chat_id, "text": "hi"},
        headers={**customer.headers, "Idempotency-Key": "same"},
    )  # fmt: skip
    assert message.status_code == 201 and set(message.json) >= {"text", "sender_id"}


def test_message_repeat_creates_one_message(app, client, customer, lecture_id):
    chat_id = order(client, customer, lecture_id, "o").json["chat_id"]
    headers = {**customer.headers, "Idempotency-Key": "m"}
    answers = [
        client.post("/create_message", json={"chat_id": chat_id, "text": "hi"}, headers=headers)
        for _ in range(3)
    ]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json["id"] for a in answers}) == 1
    assert count(app, ChatMessage) == 1


def test_key_older_than_a_day_creates_anew(app, client, customer, lecture_id):
    first = order(client, customer, lecture_id, "old")
    with app.app_context():
        db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
    again = order(client, customer, lecture_id, "old")
    assert again.status_code == 201 and again.json["id"] != first.json["id"]
    assert count(app, Order) == 2


def test_key_is_documented_on_both_endpoints(client):
    paths = client.get("/openapi.json").json["paths"]
    for path in ("/create_order", "/create_message"):
        names = [p["name"] for p in paths[path]["post"]["parameters"]]
        assert names == ["Idempotency-Key"]


def test_a_users_expired_keys_are_cleared_when_they_send_a_new_one(
    app, client, customer, lecture_id
):
    order(client, customer, lecture_id, "old-1")
    order(client, customer, lecture_id, "old-2")
    with app.app_context():
        db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
        db.session.commit()
    order(client, customer, lecture_id, "new")
    with app.app_context():
        assert db.session.scalars(select(IdempotencyKey.key)).all() == ["new"]


def test_a_call_that_fails_after_creating_stores_neither_the_order_nor_the_key(
    app, client, customer, lecture_id, monkeypatch
):
    def database_gone(user, order_id):
        raise OperationalError("SELECT", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(orders_services, "visible_order", database_gone)
    assert_error(order(client, customer, lecture_id, "k"), 503, "service_unavailable")
    assert (count(app, Order), count(app, IdempotencyKey)) == (0, 0)
    monkeypatch.undo()
    assert order(client, customer, lecture_id, "k").status_code == 201
    assert count(app, Order) == 1


def test_a_message_whose_call_fails_after_creating_stores_neither_it_nor_the_key(
    app, client, customer, lecture_id, monkeypatch
):
    """Under a key the message is written in the session's transaction, not on its own."""
    chat_id = order(client, customer, lecture_id, "o").json["chat_id"]
    create_message = chats_services.create_message

    def then_database_gone(*args, **kwargs):
        create_message(*args, **kwargs)
        raise OperationalError("SELECT", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(chats_services, "create_message", then_database_gone)
    headers = {**customer.headers, "Idempotency-Key": "m"}
    body = {"chat_id": chat_id, "text": "hi"}
    answer = client.post("/create_message", json=body, headers=headers)
    assert_error(answer, 503, "service_unavailable")
    assert (count(app, ChatMessage), count(app, IdempotencyKey)) == (0, 1)  # the order's key
    monkeypatch.undo()
    assert client.post("/create_message", json=body, headers=headers).status_code == 201
    assert count(app, ChatMessage) == 1


def forget_the_answer(app, seconds_ago: int) -> None:
    """Leave the key as a call that died before it answered leaves it."""
    with app.app_context():
        db.session.execute(
            update(IdempotencyKey).values(
                status_code=None,
                response_body=None,
                created_at=utcnow() - timedelta(seconds=seconds_ago),
            )
        )
        db.session.execute(delete(Order))
        db.session.commit()


def test_a_key_whose_call_may_still_run_is_409(app, client, customer, lecture_id):
    order(client, customer, lecture_id, "k")
    forget_the_answer(app, seconds_ago=5)
    response = order(client, customer, lecture_id, "k")
    assert "still running" in assert_error(response, 409, "conflict")["message"]
    assert count(app, Order) == 0


def test_a_key_left_without_an_answer_for_30_seconds_is_taken_over(
    app, client, customer, lecture_id
):
    order(client, customer, lecture_id, "k")
    forget_the_answer(app, seconds_ago=31)
    again = order(client, customer, lecture_id, "k")
    assert again.status_code == 201
    assert order(client, customer, lecture_id, "k").json == again.json
    assert (count(app, Order), count(app, IdempotencyKey)) == (1, 1)
