"""Section 7: GET /chat/<id>, GET /chats, POST /create_message, DELETE /delete_message/<id>,
GET /sum_messages/<chat_id>, and the read markers behind unread_count."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.chats import services as chat_services
from app.extensions import db
from app.models import ChatMessage, CustomerProfile, LecturerProfile, Order, User
from tests.factories import (
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    MessageFactory,
    OrderFactory,
)
from tests.helpers import JSON, MALFORMED_BODIES, assert_error

CHAT_KEYS = {"id", "order_id", "participants", "messages", "messages_total", "unread_count"}
MESSAGE_KEYS = {"id", "chat_id", "sender_id", "recipient_id", "text", "created_at"}
LIST_ITEM_KEYS = {"id", "order_id", "last_message", "unread_count", "messages_total"}
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


def count_messages(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ChatMessage))


def message_exists(app, message_id: int) -> bool:
    with app.app_context():
        return db.session.get(ChatMessage, message_id) is not None


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
def make_stranger(app, make_account):
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
def long_chat(app, chat) -> tuple[ChatIds, list[int]]:
    """`chat` with 130 messages from the lecturer; their ids, oldest first."""
    return chat, add_messages(app, chat, 130, from_lecturer=True)


@pytest.fixture
def participant(request, customer, lecturer):
    """The customer or the lecturer of `chat`, as the parameter names."""
    return {"customer": customer, "lecturer": lecturer}[request.param]


SIDES = pytest.mark.parametrize("participant", ["customer", "lecturer"], indirect=True)
STRANGERS = pytest.mark.parametrize(
    "role", ["customer", "lecturer", "customer-without-profile", "lecturer-without-profile"]
)


def stranger_of(make_stranger, make_account, role: str):
    if role.endswith("-without-profile"):
        return make_account(role.removesuffix("-without-profile"))
    return make_stranger(role)


# GET /chat/<id>: who may read it


@SIDES
def test_participant_reads_the_chat(client, chat, participant):
    body = read_ok(client, participant, chat.id)
    assert (body["id"], body["order_id"]) == (chat.id, chat.order_id)


def test_chat_has_exactly_the_contract_keys(client, chat, customer):
    assert set(read_ok(client, customer, chat.id)) == CHAT_KEYS


def test_participants_are_both_sides_with_their_roles(client, chat, customer, lecturer):
    assert read_ok(client, customer, chat.id)["participants"] == [
        {"user_id": customer.id, "role": "customer"},
        {"user_id": lecturer.id, "role": "lecturer"},
    ]


def test_empty_chat_has_no_messages_and_nothing_unread(client, chat, customer):
    body = read_ok(client, customer, chat.id)
    assert (body["messages"], body["messages_total"], body["unread_count"]) == ([], 0, 0)


def test_admin_reads_any_chat(client, chat, admin):
    body = read_ok(client, admin, chat.id)
    assert (body["id"], body["order_id"]) == (chat.id, chat.order_id)


@STRANGERS
def test_stranger_may_not_see_the_chat(client, chat, make_stranger, make_account, role):
    stranger = stranger_of(make_stranger, make_account, role)
    assert_error(read(client, stranger, chat.id), 404, "not_found")


def test_anonymous_may_not_read_a_chat(client, chat):
    assert_error(client.get(f"/chat/{chat.id}"), 401, "unauthorized")


def test_anonymous_gets_401_even_for_an_unknown_chat(client):
    assert_error(client.get(f"/chat/{UNKNOWN_ID}"), 401, "unauthorized")


def test_unknown_chat_is_404(client, chat, customer):
    assert_error(read(client, customer, UNKNOWN_ID), 404, "not_found")


@pytest.mark.parametrize("chat_id", BAD_PATH_IDS)
def test_chat_path_id_that_is_not_an_id_is_404(client, customer, chat_id):
    assert_error(client.get(f"/chat/{chat_id}", headers=customer.headers), 404, "not_found")


# GET /chat/<id>: which messages


def test_messages_are_oldest_first_with_the_message_keys(app, client, chat, customer, lecturer):
    first = add_messages(app, chat)
    second = add_messages(app, chat, from_lecturer=True)
    body = read_ok(client, customer, chat.id)
    assert message_ids(body) == first + second
    assert body["messages"][0]["sender_id"] == customer.id
    assert body["messages"][1]["sender_id"] == lecturer.id
    assert all(set(message) == MESSAGE_KEYS for message in body["messages"])


def test_default_window_is_the_latest_100(client, long_chat, customer):
    chat, ids = long_chat
    assert message_ids(read_ok(client, customer, chat.id)) == ids[30:]


def test_messages_total_counts_the_whole_chat_not_the_window(client, long_chat, customer):
    chat, _ = long_chat
    assert read_ok(client, customer, chat.id, limit=5)["messages_total"] == 130


@pytest.mark.parametrize("limit", [1, 7, 100, 129])
def test_limit_gives_the_latest_limit_messages(client, long_chat, customer, limit):
    chat, ids = long_chat
    assert message_ids(read_ok(client, customer, chat.id, limit=limit)) == ids[-limit:]


def test_limit_500_gives_every_message_of_a_smaller_chat(client, long_chat, customer):
    chat, ids = long_chat
    assert message_ids(read_ok(client, customer, chat.id, limit=500)) == ids


def test_after_id_gives_the_first_limit_messages_after_it(client, long_chat, customer):
    chat, ids = long_chat
    body = read_ok(client, customer, chat.id, after_id=ids[9], limit=5)
    assert message_ids(body) == ids[10:15]


def test_after_id_with_the_default_limit_gives_100_after_it(client, long_chat, customer):
    chat, ids = long_chat
    assert message_ids(read_ok(client, customer, chat.id, after_id=ids[0])) == ids[1:101]


def test_after_id_polls_only_newer_messages(app, client, chat, customer):
    seen = add_messages(app, chat, 3, from_lecturer=True)
    read_ok(client, customer, chat.id)
    newer = add_messages(app, chat, 2, from_lecturer=True)
    assert message_ids(read_ok(client, customer, chat.id, after_id=seen[-1])) == newer


def test_after_the_newest_message_there_is_nothing(client, long_chat, customer):
    chat, ids = long_chat
    assert read_ok(client, customer, chat.id, after_id=ids[-1])["messages"] == []


def test_an_empty_window_still_has_the_chats_counts(client, long_chat, customer, lecturer, admin):
    """A window with no message carries no counts of its own: they are read alone."""
    chat, ids = long_chat
    past_the_newest = {"after_id": ids[-1]}
    unread = read_ok(client, customer, chat.id, **past_the_newest)
    assert (unread["messages"], unread["messages_total"], unread["unread_count"]) == ([], 130, 130)
    own = read_ok(client, lecturer, chat.id, **past_the_newest)
    assert (own["messages_total"], own["unread_count"]) == (130, 0)
    as_admin = read_ok(client, admin, chat.id, **past_the_newest)
    assert (as_admin["messages_total"], as_admin["unread_count"]) == (130, None)


def test_before_id_gives_the_last_limit_messages_before_it(client, long_chat, customer):
    chat, ids = long_chat
    body = read_ok(client, customer, chat.id, before_id=ids[50], limit=5)
    assert message_ids(body) == ids[45:50]


def test_before_id_near_the_start_gives_what_there_is(client, long_chat, customer):
    chat, ids = long_chat
    assert message_ids(read_ok(client, customer, chat.id, before_id=ids[3])) == ids[:3]


def test_cursors_do_not_reach_into_another_chat(app, client, chat, customer):
    mine = add_messages(app, chat, 2)
    other = open_chat(app, chat.customer_profile_id, chat.lecturer_profile_id)
    add_messages(app, other, 3)
    assert message_ids(read_ok(client, customer, chat.id, after_id=mine[0])) == mine[1:]


def test_after_id_and_before_id_together_are_400(client, long_chat, customer):
    chat, ids = long_chat
    response = read(client, customer, chat.id, after_id=ids[0], before_id=ids[5])
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 0},
        {"limit": 501},
        {"limit": -1},
        {"limit": "x"},
        {"limit": "1.5"},
        {"limit": ""},
        {"after_id": 0},
        {"after_id": -1},
        {"after_id": "x"},
        {"after_id": ""},
        {"before_id": 0},
        {"before_id": "x"},
        {"after_id": 10**18},
    ],
    ids=repr,
)
def test_bad_window_parameter_is_400(client, chat, customer, query):
    assert_error(read(client, customer, chat.id, **query), 400, "bad_request")


# Read state: unread_count and the read marker


@SIDES
def test_unread_counts_the_other_sides_messages(app, client, chat, participant, lecturer):
    from_lecturer = participant is not lecturer
    add_messages(app, chat, 3, from_lecturer=from_lecturer)
    add_messages(app, chat, 2, from_lecturer=not from_lecturer)
    assert read_ok(client, participant, chat.id)["unread_count"] == 3


@SIDES
def test_own_messages_are_never_unread(app, client, chat, participant, lecturer):
    add_messages(app, chat, 4, from_lecturer=participant is lecturer)
    assert read_ok(client, participant, chat.id)["unread_count"] == 0


@SIDES
def test_a_second_read_has_nothing_unread(app, client, chat, participant, lecturer):
    add_messages(app, chat, 3, from_lecturer=participant is not lecturer)
    read_ok(client, participant, chat.id)
    assert read_ok(client, participant, chat.id)["unread_count"] == 0


def test_reading_shows_in_the_chat_list(app, client, chat, customer):
    add_messages(app, chat, 3, from_lecturer=True)
    read_ok(client, customer, chat.id)
    assert unread(client, customer, chat.id) == 0


def test_reading_marks_read_only_for_the_reader(app, client, chat, customer, lecturer):
    add_messages(app, chat, 2, from_lecturer=True)
    add_messages(app, chat, 3)
    read_ok(client, customer, chat.id)
    assert read_ok(client, lecturer, chat.id)["unread_count"] == 3


def test_new_messages_of_the_other_side_are_unread_again(app, client, chat, customer):
    add_messages(app, chat, 2, from_lecturer=True)
    read_ok(client, customer, chat.id)
    add_messages(app, chat, 4, from_lecturer=True)
    assert read_ok(client, customer, chat.id)["unread_count"] == 4


def test_unread_is_zero_again_after_reading_the_new_ones(app, client, chat, customer):
    add_messages(app, chat, 2, from_lecturer=True)
    read_ok(client, customer, chat.id)
    add_messages(app, chat, 4, from_lecturer=True)
    read_ok(client, customer, chat.id)
    assert unread(client, customer, chat.id) == 0


def test_messages_sent_through_the_api_are_unread_to_the_other_side(
    client, chat, customer, lecturer
):
    posted(client, lecturer, chat.id, "One")
    posted(client, lecturer, chat.id, "Two")
    assert read_ok(client, customer, chat.id)["unread_count"] == 2


def test_the_marker_moves_to_the_newest_message_returned(app, client, chat, customer):
    ids = add_messages(app, chat, 6, from_lecturer=True)
    read_ok(client, customer, chat.id, after_id=ids[0], limit=2)
    assert unread(client, customer, chat.id) == 3


def test_reading_the_latest_window_reads_everything_before_it(client, long_chat, customer):
    chat, _ = long_chat
    read_ok(client, customer, chat.id, limit=10)
    assert unread(client, customer, chat.id) == 0


def test_a_read_with_before_id_answers_the_unread_count(client, long_chat, customer):
    chat, ids = long_chat
    assert read_ok(client, customer, chat.id, before_id=ids[-1])["unread_count"] == 130


def test_a_read_with_before_id_leaves_the_marker(client, long_chat, customer):
    chat, ids = long_chat
    read_ok(client, customer, chat.id, before_id=ids[-1])
    assert unread(client, customer, chat.id) == 130


def test_a_read_with_before_id_after_a_partial_read_leaves_the_marker(client, long_chat, customer):
    chat, ids = long_chat
    read_ok(client, customer, chat.id, after_id=ids[0], limit=9)
    read_ok(client, customer, chat.id, before_id=ids[-1], limit=5)
    assert unread(client, customer, chat.id) == 120


def test_the_marker_never_moves_back(client, long_chat, customer):
    chat, ids = long_chat
    read_ok(client, customer, chat.id)
    assert read_ok(client, customer, chat.id, after_id=ids[0], limit=2)["unread_count"] == 0
    assert unread(client, customer, chat.id) == 0


def test_admin_has_no_unread_count(app, client, chat, admin):
    add_messages(app, chat, 3, from_lecturer=True)
    assert read_ok(client, admin, chat.id)["unread_count"] is None


@SIDES
def test_admin_reading_moves_no_participants_marker(app, client, chat, admin, participant):
    add_messages(app, chat, 2, from_lecturer=True)
    add_messages(app, chat, 2)
    read_ok(client, admin, chat.id)
    assert unread(client, participant, chat.id) == 2


# POST /create_message


@SIDES
def test_create_message_answers_201_with_exactly_the_message(client, chat, participant):
    response = post_message(client, participant, chat.id, "Hello")
    assert response.status_code == 201, response.json
    assert set(response.json) == MESSAGE_KEYS


def test_customer_writes_to_the_lecturer(client, chat, customer, lecturer):
    message = posted(client, customer, chat.id)
    assert (message["chat_id"], message["sender_id"], message["recipient_id"]) == (
        chat.id,
        customer.id,
        lecturer.id,
    )


def test_lecturer_writes_to_the_customer(client, chat, customer, lecturer):
    message = posted(client, lecturer, chat.id)
    assert (message["chat_id"], message["sender_id"], message["recipient_id"]) == (
        chat.id,
        lecturer.id,
        customer.id,
    )


def test_created_message_has_a_utc_time(client, chat, customer):
    assert posted(client, customer, chat.id)["created_at"].endswith("+00:00")


def test_created_message_is_in_the_chat_as_answered(client, chat, customer, lecturer):
    message = posted(client, customer, chat.id, "See you on Monday")
    assert read_ok(client, lecturer, chat.id)["messages"] == [message]


def test_created_message_counts_in_the_sum(client, chat, customer):
    posted(client, customer, chat.id)
    posted(client, customer, chat.id)
    assert message_total(client, customer, chat.id) == 2


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("  hi  ", "hi"),
        ("\n\thi there\r\n ", "hi there"),
        ("line one\nline two", "line one\nline two"),
        ("  a  b  ", "a  b"),
    ],
    ids=["spaces", "newlines-and-tabs", "inner-newline-kept", "inner-spaces-kept"],
)
def test_text_is_stored_trimmed(client, chat, customer, lecturer, sent, stored):
    assert posted(client, customer, chat.id, sent)["text"] == stored
    assert read_ok(client, lecturer, chat.id)["messages"][0]["text"] == stored


@pytest.mark.parametrize(
    "text",
    ["x" * 5000, "  " + "x" * 5000 + "  ", "я" * 5000, "😀" * 5000, "x"],
    ids=["5000", "5000-after-trimming", "5000-cyrillic", "5000-emoji", "1"],
)
def test_text_of_1_to_5000_characters_is_accepted(client, chat, customer, text):
    assert posted(client, customer, chat.id, text)["text"] == text.strip()


class ChatId:
    """Stands in a body table for the id of the test's chat (as sent: int, or text)."""

    def __init__(self, as_text: bool = False):
        self.as_text = as_text

    def __repr__(self) -> str:
        return "ChatId(text)" if self.as_text else "ChatId()"


CHAT, CHAT_TEXT = ChatId(), ChatId(as_text=True)


def filled(body: dict, chat_id: int) -> dict:
    """The body with the test's chat id put in place of CHAT and CHAT_TEXT."""
    return {
        name: (str(chat_id) if value.as_text else chat_id) if isinstance(value, ChatId) else value
        for name, value in body.items()
    }


# Bodies of POST /create_message that a participant of the chat sends and gets a 422 for.
BAD_MESSAGE_BODIES = [
    pytest.param({"text": "hi"}, "chat_id", id="chat_id-missing"),
    pytest.param({"chat_id": None, "text": "hi"}, "chat_id", id="chat_id-null"),
    pytest.param({"chat_id": CHAT_TEXT, "text": "hi"}, "chat_id", id="chat_id-string"),
    pytest.param({"chat_id": "1", "text": "hi"}, "chat_id", id="chat_id-string-1"),
    pytest.param({"chat_id": 1.5, "text": "hi"}, "chat_id", id="chat_id-float"),
    pytest.param({"chat_id": True, "text": "hi"}, "chat_id", id="chat_id-bool"),
    pytest.param({"chat_id": 0, "text": "hi"}, "chat_id", id="chat_id-0"),
    pytest.param({"chat_id": -1, "text": "hi"}, "chat_id", id="chat_id-negative"),
    pytest.param({"chat_id": 10**30, "text": "hi"}, "chat_id", id="chat_id-huge"),
    pytest.param({"chat_id": [1], "text": "hi"}, "chat_id", id="chat_id-list"),
    pytest.param({"chat_id": UNKNOWN_ID, "text": "hi"}, "chat_id", id="chat_id-unknown"),
    pytest.param({"chat_id": 2**31, "text": "hi"}, "chat_id", id="chat_id-2**31"),
    pytest.param({"chat_id": 10**18 - 1, "text": "hi"}, "chat_id", id="chat_id-10**18-1"),
    pytest.param({"chat_id": CHAT}, "text", id="text-missing"),
    pytest.param({"chat_id": CHAT, "text": None}, "text", id="text-null"),
    pytest.param({"chat_id": CHAT, "text": ""}, "text", id="text-empty"),
    pytest.param({"chat_id": CHAT, "text": "   "}, "text", id="text-spaces"),
    pytest.param({"chat_id": CHAT, "text": "\n\t \r"}, "text", id="text-white-space"),
    pytest.param({"chat_id": CHAT, "text": "x" * 5001}, "text", id="text-5001"),
    pytest.param({"chat_id": CHAT, "text": " " + "x" * 5001 + " "}, "text",
                 id="text-5001-after-trimming"),
    pytest.param({"chat_id": CHAT, "text": "я" * 5001}, "text", id="text-5001-cyrillic"),
    pytest.param({"chat_id": CHAT, "text": "a\x00b"}, "text", id="text-nul"),
    pytest.param({"chat_id": CHAT, "text": "\x00"}, "text", id="text-only-nul"),
    pytest.param({"chat_id": CHAT, "text": "a\ud800b"}, "text", id="text-lone-surrogate"),
    pytest.param({"chat_id": CHAT, "text": 42}, "text", id="text-number"),
    pytest.param({"chat_id": CHAT, "text": ["hi"]}, "text", id="text-list"),
    pytest.param({"chat_id": CHAT, "text": {"hi": 1}}, "text", id="text-object"),
    pytest.param({"chat_id": CHAT, "text": "hi", "sender_id": 1}, "sender_id",
                 id="unknown-sender_id"),
    pytest.param({"chat_id": CHAT, "text": "hi", "recipient_id": 1}, "recipient_id",
                 id="unknown-recipient_id"),
    pytest.param({"chat_id": CHAT, "text": "hi", "id": 1}, "id", id="unknown-id"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "field"), BAD_MESSAGE_BODIES)
def test_bad_message_body_is_422_naming_only_that_field(client, chat, customer, body, field):
    response = client.post("/create_message", json=filled(body, chat.id), headers=customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}


@pytest.mark.parametrize(("body", "field"), BAD_MESSAGE_BODIES)
def test_bad_message_body_creates_nothing(app, client, chat, customer, body, field):
    client.post("/create_message", json=filled(body, chat.id), headers=customer.headers)
    assert count_messages(app) == 0


def test_empty_body_names_both_fields(client, chat, customer):
    response = client.post("/create_message", json={}, headers=customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"chat_id", "text"}


@STRANGERS
def test_chat_the_caller_is_not_in_is_422_on_chat_id(
    app, client, chat, make_stranger, make_account, role
):
    stranger = stranger_of(make_stranger, make_account, role)
    error = assert_error(post_message(client, stranger, chat.id), 422, "validation_error")
    assert set(error["fields"]) == {"chat_id"}
    assert count_messages(app) == 0


def test_admin_may_not_write_in_a_chat(app, client, chat, admin):
    assert_error(post_message(client, admin, chat.id), 403, "forbidden")
    assert count_messages(app) == 0


def test_admin_with_a_bad_body_is_still_403(client, chat, admin):
    response = client.post("/create_message", json={"text": ""}, headers=admin.headers)
    assert_error(response, 403, "forbidden")


def test_anonymous_may_not_write(app, client, chat):
    response = client.post("/create_message", json={"chat_id": chat.id, "text": "hi"})
    assert_error(response, 401, "unauthorized")
    assert count_messages(app) == 0


def test_anonymous_with_a_bad_body_is_still_401(client):
    response = client.post("/create_message", data="{", content_type=JSON)
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_malformed_message_body_is_refused_and_creates_nothing(
    app, client, chat, customer, data, content_type, status, code
):
    headers = {**customer.headers, **({"Content-Type": content_type} if content_type else {})}
    assert_error(client.post("/create_message", data=data, headers=headers), status, code)
    assert count_messages(app) == 0


def test_message_with_a_repeated_idempotency_key_is_created_once(app, client, chat, customer):
    headers = {**customer.headers, "Idempotency-Key": "message-1"}
    body = {"chat_id": chat.id, "text": "Once"}
    first = client.post("/create_message", json=body, headers=headers)
    again = client.post("/create_message", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert count_messages(app) == 1


def test_idempotency_key_with_another_message_is_409(app, client, chat, customer):
    headers = {**customer.headers, "Idempotency-Key": "message-1"}
    client.post("/create_message", json={"chat_id": chat.id, "text": "One"}, headers=headers)
    response = client.post(
        "/create_message", json={"chat_id": chat.id, "text": "Two"}, headers=headers
    )
    assert_error(response, 409, "conflict")
    assert count_messages(app) == 1


# DELETE /delete_message/<id>


def delete(client, account, message_id):
    return client.delete(f"/delete_message/{message_id}", headers=account.headers)


@SIDES
def test_sender_deletes_their_message(app, client, chat, participant, lecturer):
    [message_id] = add_messages(app, chat, from_lecturer=participant is lecturer)
    response = delete(client, participant, message_id)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert not message_exists(app, message_id)


def test_deleted_message_leaves_the_chat(app, client, chat, customer):
    kept, gone = add_messages(app, chat, 2)
    delete(client, customer, gone)
    assert message_ids(read_ok(client, customer, chat.id)) == [kept]


def test_deleting_lowers_the_sum(app, client, chat, customer):
    _, gone = add_messages(app, chat, 2)
    delete(client, customer, gone)
    assert message_total(client, customer, chat.id) == 1


@SIDES
def test_admin_deletes_any_message(app, client, chat, admin, participant, lecturer):
    [message_id] = add_messages(app, chat, from_lecturer=participant is lecturer)
    assert delete(client, admin, message_id).status_code == 204
    assert not message_exists(app, message_id)


@SIDES
def test_other_participant_may_not_delete(app, client, chat, participant, lecturer):
    [message_id] = add_messages(app, chat, from_lecturer=participant is not lecturer)
    assert_error(delete(client, participant, message_id), 403, "forbidden")
    assert message_exists(app, message_id)


@STRANGERS
def test_stranger_may_not_see_a_message_to_delete(
    app, client, chat, make_stranger, make_account, role
):
    stranger = stranger_of(make_stranger, make_account, role)
    [message_id] = add_messages(app, chat)
    assert_error(delete(client, stranger, message_id), 404, "not_found")
    assert message_exists(app, message_id)


def test_anonymous_may_not_delete(app, client, chat):
    [message_id] = add_messages(app, chat)
    assert_error(client.delete(f"/delete_message/{message_id}"), 401, "unauthorized")
    assert message_exists(app, message_id)


def test_unknown_message_is_404(client, customer):
    assert_error(delete(client, customer, UNKNOWN_ID), 404, "not_found")


def test_deleted_message_is_404_the_second_time(app, client, chat, customer):
    [message_id] = add_messages(app, chat)
    delete(client, customer, message_id)
    assert_error(delete(client, customer, message_id), 404, "not_found")


@pytest.mark.parametrize("message_id", BAD_PATH_IDS)
def test_delete_path_id_that_is_not_an_id_is_404(client, customer, message_id):
    assert_error(delete(client, customer, message_id), 404, "not_found")


def test_deleting_keeps_the_chats_place_in_the_list(app, client, customer):
    profiles = make_profiles(app, customer)
    older, newer = open_chat(app, *profiles), open_chat(app, *profiles)
    posted(client, customer, older.id)
    message = posted(client, customer, newer.id)
    delete(client, customer, message["id"])
    assert listed_ids(client, customer) == [newer.id, older.id]


def test_deleting_the_last_message_shows_the_one_before(app, client, chat, customer):
    earlier = posted(client, customer, chat.id, "Earlier")
    latest = posted(client, customer, chat.id, "Latest")
    delete(client, customer, latest["id"])
    assert listed(client, customer, chat.id)["last_message"] == earlier


# GET /sum_messages/<chat_id>


@pytest.mark.parametrize("who", ["customer", "lecturer", "admin"])
def test_sum_is_the_chats_message_count(app, client, chat, customer, lecturer, admin, who):
    add_messages(app, chat, 2)
    add_messages(app, chat, 3, from_lecturer=True)
    account = {"customer": customer, "lecturer": lecturer, "admin": admin}[who]
    response = client.get(f"/sum_messages/{chat.id}", headers=account.headers)
    assert response.status_code == 200
    assert response.json == {"chat_id": chat.id, "messages": 5}


def test_sum_of_an_empty_chat_is_zero(client, chat, customer):
    assert message_total(client, customer, chat.id) == 0


def test_sum_counts_only_that_chat(app, client, chat, customer):
    add_messages(app, chat, 2)
    add_messages(app, open_chat(app, chat.customer_profile_id, chat.lecturer_profile_id), 4)
    assert message_total(client, customer, chat.id) == 2


@STRANGERS
def test_stranger_may_not_count_messages(client, chat, make_stranger, make_account, role):
    stranger = stranger_of(make_stranger, make_account, role)
    response = client.get(f"/sum_messages/{chat.id}", headers=stranger.headers)
    assert_error(response, 404, "not_found")


def test_anonymous_may_not_count_messages(client, chat):
    assert_error(client.get(f"/sum_messages/{chat.id}"), 401, "unauthorized")


def test_sum_of_an_unknown_chat_is_404(client, customer):
    response = client.get(f"/sum_messages/{UNKNOWN_ID}", headers=customer.headers)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("chat_id", BAD_PATH_IDS)
def test_sum_path_id_that_is_not_an_id_is_404(client, customer, chat_id):
    response = client.get(f"/sum_messages/{chat_id}", headers=customer.headers)
    assert_error(response, 404, "not_found")


# GET /chats


def test_chat_list_is_the_paginated_envelope(client, chat, customer):
    body = list_chats(client, customer, per_page=20)
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 1)


def test_chat_list_item_has_exactly_the_contract_keys(client, chat, customer):
    [item] = list_chats(client, customer)["items"]
    assert set(item) == LIST_ITEM_KEYS
    assert (item["id"], item["order_id"]) == (chat.id, chat.order_id)


@SIDES
def test_chat_list_has_only_the_callers_chats(app, client, chat, participant, make_stranger):
    make_stranger("customer")
    make_stranger("lecturer")
    open_chat(app, *make_profiles(app))
    assert listed_ids(client, participant) == [chat.id]


def test_chat_list_has_every_chat_of_the_caller(app, client, chat, customer):
    _, other_lecturer_profile_id = make_profiles(app)
    second = open_chat(app, chat.customer_profile_id, other_lecturer_profile_id)
    assert sorted(listed_ids(client, customer)) == sorted([chat.id, second.id])


def test_admin_lists_every_chat(app, client, chat, admin):
    others = [open_chat(app, *make_profiles(app)).id for _ in range(2)]
    assert sorted(listed_ids(client, admin)) == sorted([chat.id, *others])


def test_admin_list_has_no_unread_counts(app, client, chat, admin):
    add_messages(app, chat, 2)
    assert [item["unread_count"] for item in list_chats(client, admin)["items"]] == [None]


def test_account_with_no_profile_has_no_chats(client, chat, make_account):
    body = list_chats(client, make_account("customer"))
    assert (body["items"], body["total"]) == ([], 0)


def test_chat_without_messages_has_no_last_message(client, chat, customer):
    item = listed(client, customer, chat.id)
    assert (item["last_message"], item["messages_total"], item["unread_count"]) == (None, 0, 0)


def test_last_message_is_the_newest_message(client, chat, customer, lecturer):
    posted(client, customer, chat.id, "First")
    newest = posted(client, lecturer, chat.id, "Second")
    assert listed(client, customer, chat.id)["last_message"] == newest


def test_chat_list_counts_each_chats_messages(app, client, chat, customer):
    other = open_chat(app, chat.customer_profile_id, chat.lecturer_profile_id)
    add_messages(app, chat, 2)
    add_messages(app, other, 5, from_lecturer=True)
    totals = {item["id"]: item["messages_total"] for item in list_chats(client, customer)["items"]}
    assert totals == {chat.id: 2, other.id: 5}


def test_chat_list_counts_unread_per_chat_for_the_caller(app, client, chat, customer, lecturer):
    other = open_chat(app, chat.customer_profile_id, chat.lecturer_profile_id)
    add_messages(app, chat, 2, from_lecturer=True)
    add_messages(app, other, 5, from_lecturer=True)
    add_messages(app, other, 1)
    read_ok(client, customer, chat.id)
    unread_of = {item["id"]: item["unread_count"] for item in list_chats(client, customer)["items"]}
    assert unread_of == {chat.id: 0, other.id: 5}


def test_chat_list_counts_unread_for_the_other_side_too(app, client, chat, customer, lecturer):
    add_messages(app, chat, 2, from_lecturer=True)
    add_messages(app, chat, 3)
    assert unread(client, lecturer, chat.id) == 3


def test_chats_without_messages_are_newest_created_first(app, client, customer):
    profiles = make_profiles(app, customer)
    ids = [open_chat(app, *profiles).id for _ in range(3)]
    assert listed_ids(client, customer) == ids[::-1]


def test_chat_with_a_newer_message_comes_first(app, client, customer):
    profiles = make_profiles(app, customer)
    first, second, third = (open_chat(app, *profiles) for _ in range(3))
    posted(client, customer, first.id)
    assert listed_ids(client, customer) == [first.id, third.id, second.id]


def test_chat_created_after_a_message_elsewhere_comes_first(app, client, customer):
    profiles = make_profiles(app, customer)
    talked = open_chat(app, *profiles)
    posted(client, customer, talked.id)
    new = open_chat(app, *profiles)
    assert listed_ids(client, customer) == [new.id, talked.id]


def test_the_latest_message_decides_the_order(app, client, customer, lecturer):
    profiles = make_profiles(app, customer, lecturer)
    first, second = open_chat(app, *profiles), open_chat(app, *profiles)
    posted(client, customer, second.id)
    posted(client, lecturer, first.id)
    assert listed_ids(client, customer) == [first.id, second.id]


def test_reading_a_chat_does_not_change_its_place(app, client, customer):
    profiles = make_profiles(app, customer)
    first, second = open_chat(app, *profiles), open_chat(app, *profiles)
    read_ok(client, customer, first.id)
    assert listed_ids(client, customer) == [second.id, first.id]


def test_a_message_older_than_the_last_activity_does_not_move_it_back(
    app, client, customer, monkeypatch
):
    """Of two messages written at once, the one written last may carry the earlier time."""
    profiles = make_profiles(app, customer)
    first, second = open_chat(app, *profiles), open_chat(app, *profiles)
    posted(client, customer, first.id)
    posted(client, customer, second.id)
    monkeypatch.setattr(chat_services, "utcnow", lambda: datetime(2020, 1, 1, tzinfo=UTC))
    posted(client, customer, second.id)
    assert listed_ids(client, customer) == [second.id, first.id]


def test_chat_list_pages_through_the_chats(app, client, customer):
    profiles = make_profiles(app, customer)
    ids = [open_chat(app, *profiles).id for _ in range(3)]
    body = list_chats(client, customer, page=2, per_page=2)
    assert ([item["id"] for item in body["items"]], body["total"]) == ([ids[0]], 3)


def test_anonymous_may_not_list_chats(client):
    assert_error(client.get("/chats"), 401, "unauthorized")


@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page": -1},
        {"page": "x"},
        {"page": ""},
        {"per_page": 0},
        {"per_page": 101},
        {"per_page": "x"},
        {"per_page": "1.5"},
    ],
    ids=repr,
)
def test_bad_paging_is_400(client, customer, query):
    response = client.get("/chats", query_string=query, headers=customer.headers)
    assert_error(response, 400, "bad_request")


# Privacy: a stranger gets the answer an id that does not exist gets


def existing_and_unknown(app, chat: ChatIds) -> tuple[dict, dict]:
    """For each private endpoint: (the request about this chat, the same about nothing)."""
    [message_id] = add_messages(app, chat)
    return (
        {
            "chat": ("GET", f"/chat/{chat.id}", None),
            "sum": ("GET", f"/sum_messages/{chat.id}", None),
            "delete": ("DELETE", f"/delete_message/{message_id}", None),
            "write": ("POST", "/create_message", {"chat_id": chat.id, "text": "hi"}),
        },
        {
            "chat": ("GET", f"/chat/{UNKNOWN_ID}", None),
            "sum": ("GET", f"/sum_messages/{UNKNOWN_ID}", None),
            "delete": ("DELETE", f"/delete_message/{UNKNOWN_ID}", None),
            "write": ("POST", "/create_message", {"chat_id": UNKNOWN_ID, "text": "hi"}),
        },
    )


@STRANGERS
@pytest.mark.parametrize(
    ("endpoint", "status"), [("chat", 404), ("sum", 404), ("delete", 404), ("write", 422)]
)
def test_stranger_gets_the_answer_of_an_id_that_does_not_exist(
    app, client, chat, make_stranger, make_account, role, endpoint, status
):
    stranger = stranger_of(make_stranger, make_account, role)
    existing, unknown = existing_and_unknown(app, chat)
    answers = []
    for method, path, body in (existing[endpoint], unknown[endpoint]):
        response = client.open(path, method=method, json=body, headers=stranger.headers)
        assert_error(response, status, "not_found" if status == 404 else "validation_error")
        answers.append(response.json)
    assert answers[0] == answers[1]
