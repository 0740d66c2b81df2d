"""Section 7: POST /create_message and DELETE /delete_message/<id>."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ChatMessage
from tests.chats import (
    BAD_PATH_IDS,
    MESSAGE_KEYS,
    SIDES,
    STRANGERS,
    UNKNOWN_ID,
    add_messages,
    listed,
    listed_ids,
    make_profiles,
    message_ids,
    message_total,
    open_chat,
    post_message,
    posted,
    read_ok,
    stranger_of,
)
from tests.helpers import JSON, MALFORMED_BODIES, assert_error


def count_messages(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ChatMessage))


def message_exists(app, message_id: int) -> bool:
    with app.app_context():
        return db.session.get(ChatMessage, message_id) is not None


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
    app, client, chat, make_chat_stranger, make_account, role
):
    stranger = stranger_of(make_chat_stranger, make_account, role)
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
    app, client, chat, make_chat_stranger, make_account, role
):
    stranger = stranger_of(make_chat_stranger, make_account, role)
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
