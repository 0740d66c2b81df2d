"""Section 7: GET /chat/<id>, GET /chats, GET /sum_messages/<chat_id>, and the read
markers behind unread_count. The messages' own endpoints are in test_messages.py."""

from datetime import UTC, datetime

import pytest

from app.chats import services as chat_services
from tests.chats import (
    BAD_PATH_IDS,
    MESSAGE_KEYS,
    SIDES,
    STRANGERS,
    UNKNOWN_ID,
    ChatIds,
    add_messages,
    list_chats,
    listed,
    listed_ids,
    make_profiles,
    message_ids,
    message_total,
    open_chat,
    posted,
    read,
    read_ok,
    stranger_of,
    unread,
)
from tests.helpers import assert_error

CHAT_KEYS = {"id", "order_id", "participants", "messages", "messages_total", "unread_count"}
LIST_ITEM_KEYS = {"id", "order_id", "last_message", "unread_count", "messages_total"}


@pytest.fixture
def long_chat(app, chat) -> tuple[ChatIds, list[int]]:
    """`chat` with 130 messages from the lecturer; their ids, oldest first."""
    return chat, add_messages(app, chat, 130, from_lecturer=True)


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
def test_stranger_may_not_see_the_chat(client, chat, make_chat_stranger, make_account, role):
    stranger = stranger_of(make_chat_stranger, make_account, role)
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
def test_stranger_may_not_count_messages(client, chat, make_chat_stranger, make_account, role):
    stranger = stranger_of(make_chat_stranger, make_account, role)
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
def test_chat_list_has_only_the_callers_chats(app, client, chat, participant, make_chat_stranger):
    make_chat_stranger("customer")
    make_chat_stranger("lecturer")
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
    app, client, chat, make_chat_stranger, make_account, role, endpoint, status
):
    stranger = stranger_of(make_chat_stranger, make_account, role)
    existing, unknown = existing_and_unknown(app, chat)
    answers = []
    for method, path, body in (existing[endpoint], unknown[endpoint]):
        response = client.open(path, method=method, json=body, headers=stranger.headers)
        assert_error(response, status, "not_found" if status == 404 else "validation_error")
        answers.append(response.json)
    assert answers[0] == answers[1]
