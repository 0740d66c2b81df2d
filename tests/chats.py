"""Helpers and fixtures of the chat tests (test_chats.py and test_messages.py); conftest.py
loads this module as a plugin for its fixtures."""

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import CustomerProfile, LecturerProfile, Order, User
from tests.factories import (
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    MessageFactory,
    OrderFactory,
)

MESSAGE_KEYS = {"id", "chat_id", "sender_id", "recipient_id", "text", "created_at"}
UNKNOWN_ID = 2_000_000_000
# Ids of the right form but too large for any row (past a 32-bit key).
TOO_LARGE_IDS = [2**31, 10**18 - 1]
BAD_PATH_IDS = ["abc", "0", "-1", "1.5", "01", "1e3", "%20", "9" * 19] + [
    str(number) for number in TOO_LARGE_IDS
]


# Helpers


@dataclass
class ChatIds:
    """A chat of an order between a customer profile and a lecturer profile."""

    id: int
    order_id: int
    customer_profile_id: int
    lecturer_profile_id: int


def make_profiles(app, customer=None, lecturer=None) -> tuple[int, int]:
    """A customer and a lecturer profile (for those accounts, else new users); their ids."""
    with app.app_context():
        customer_fields = {"user": db.session.get(User, customer.id)} if customer else {}
        lecturer_fields = {"user": db.session.get(User, lecturer.id)} if lecturer else {}
        ids = (
            CustomerProfileFactory(**customer_fields).id,
            LecturerProfileFactory(**lecturer_fields).id,
        )
        db.session.commit()
        return ids


def open_chat(app, customer_profile_id: int, lecturer_profile_id: int) -> ChatIds:
    """A new order (of a new lecture) between the two profiles; its chat."""
    with app.app_context():
        order = OrderFactory(
            lecture=LectureFactory(lecturer=db.session.get(LecturerProfile, lecturer_profile_id)),
            customer=db.session.get(CustomerProfile, customer_profile_id),
        )
        db.session.commit()
        return ChatIds(order.chat.id, order.id, customer_profile_id, lecturer_profile_id)


def add_messages(app, chat: ChatIds, count: int = 1, *, from_lecturer: bool = False) -> list[int]:
    """Messages made by the factory, oldest first; their ids."""
    with app.app_context():
        order = db.session.get(Order, chat.order_id)
        ids = [MessageFactory(order=order, from_lecturer=from_lecturer).id for _ in range(count)]
        db.session.commit()
        return ids


def read(client, account, chat_id: int, **query):
    return client.get(f"/chat/{chat_id}", query_string=query, headers=account.headers)


def read_ok(client, account, chat_id: int, **query) -> dict:
    response = read(client, account, chat_id, **query)
    assert response.status_code == 200, response.json
    return response.json


def message_ids(body: dict) -> list[int]:
    return [message["id"] for message in body["messages"]]


def post_message(client, account, chat_id, text="Hello"):
    return client.post(
        "/create_message", json={"chat_id": chat_id, "text": text}, headers=account.headers
    )


def posted(client, account, chat_id: int, text: str = "Hello") -> dict:
    response = post_message(client, account, chat_id, text)
    assert response.status_code == 201, response.json
    return response.json


def list_chats(client, account, **query) -> dict:
    response = client.get(
        "/chats", query_string={"per_page": 100, **query}, headers=account.headers
    )
    assert response.status_code == 200, response.json
    return response.json


def listed_ids(client, account) -> list[int]:
    return [item["id"] for item in list_chats(client, account)["items"]]


def listed(client, account, chat_id: int) -> dict:
    """The chat's item in the caller's GET /chats; reading the list moves no marker."""
    [item] = [item for item in list_chats(client, account)["items"] if item["id"] == chat_id]
    return item


def unread(client, account, chat_id: int) -> int | None:
    return listed(client, account, chat_id)["unread_count"]


def message_total(client, account, chat_id: int) -> int:
    response = client.get(f"/sum_messages/{chat_id}", headers=account.headers)
    assert response.status_code == 200, response.json
    return response.json["messages"]


# Fixtures


@pytest.fixture
def chat(app, customer, lecturer) -> ChatIds:
    """The chat of an order between `customer` and `lecturer`, with no message yet."""
    return open_chat(app, *make_profiles(app, customer, lecturer))


@pytest.fixture
def make_chat_stranger(app, make_account):
    """An account of a role with its profile and a chat of its own, but not in `chat`."""

    def make(role: str):
        account = make_account(role)
        if role == "customer":
            open_chat(app, *make_profiles(app, customer=account))
        elif role == "lecturer":
            open_chat(app, *make_profiles(app, lecturer=account))
        return account

    return make


@pytest.fixture
def participant(request, customer, lecturer):
    """The customer or the lecturer of `chat`, as the parameter names."""
    return {"customer": customer, "lecturer": lecturer}[request.param]


SIDES = pytest.mark.parametrize("participant", ["customer", "lecturer"], indirect=True)
STRANGERS = pytest.mark.parametrize(
    "role", ["customer", "lecturer", "customer-without-profile", "lecturer-without-profile"]
)


def stranger_of(make_chat_stranger, make_account, role: str):
    if role.endswith("-without-profile"):
        return make_account(role.removesuffix("-without-profile"))
    return make_chat_stranger(role)
