"""POST /create_order: what it creates, who may, and what it refuses."""

from datetime import timedelta

import pytest

from app.models import (
    Chat,
    Order,
    OrderStatusHistory,
)
from app.models.base import utcnow
from tests.helpers import JSON, MALFORMED_BODIES, assert_error
from tests.orders_helpers import (
    FUTURE,
    FUTURE_UTC,
    HISTORY_KEYS,
    NEXT_YEAR,
    ORDER_KEYS,
    UNKNOWN_ID,
    Parties,
    add_lecture,
    count_rows,
    order_body,
    parse_time,
    show,
)

pytest_plugins = ["tests.orders_fixtures"]


# POST /create_order: what it creates


def test_create_order_answers_201_with_exactly_the_order_keys(client, parties):
    body = order_body(parties.lecture_id)
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    assert response.status_code == 201
    assert set(response.json) == ORDER_KEYS


def test_create_order_starts_in_status_created(deal):
    assert deal["status"] == "created"


def test_create_order_names_the_lecture(deal, parties):
    assert deal["lecture"] == {"id": parties.lecture_id, "title": "Rust for managers"}


def test_create_order_goes_to_the_lecture_s_lecturer_profile(deal, parties):
    assert deal["lecturer_id"] == parties.lecturer_profile_id


def test_create_order_belongs_to_the_caller_s_customer_profile(deal, parties):
    assert deal["customer_id"] == parties.customer_profile_id


def test_create_order_answers_scheduled_at_in_utc(deal):
    assert deal["scheduled_at"] == FUTURE_UTC


def test_create_order_keeps_the_description_as_sent(client, parties):
    body = order_body(parties.lecture_id, description="  Hall B,\n2nd floor  ")
    order = client.post("/create_order", json=body, headers=parties.customer.headers).json
    assert order["description"] == "  Hall B,\n2nd floor  "


def test_create_order_without_description_has_null(client, parties):
    body = {"lecture_id": parties.lecture_id, "scheduled_at": FUTURE}
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    assert response.status_code == 201
    assert response.json["description"] is None


def test_create_order_takes_z_as_utc(client, parties):
    body = order_body(parties.lecture_id, scheduled_at=f"{NEXT_YEAR}-06-01T12:00:00Z")
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    assert response.status_code == 201, response.json
    assert response.json["scheduled_at"] == FUTURE_UTC


def test_create_order_accepts_a_5000_character_description(client, parties):
    body = order_body(parties.lecture_id, description="я" * 5000)
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    assert response.status_code == 201, response.json
    assert response.json["description"] == "я" * 5000


def test_create_order_answers_utc_creation_times(client, parties):
    before = utcnow()
    body = order_body(parties.lecture_id)
    order = client.post("/create_order", json=body, headers=parties.customer.headers).json
    created_at = parse_time(order["created_at"])
    assert before - timedelta(seconds=1) <= created_at <= utcnow() + timedelta(seconds=1)
    assert created_at <= parse_time(order["updated_at"]) <= created_at + timedelta(seconds=1)


def test_create_order_history_starts_with_the_creation(deal, parties):
    [entry] = deal["status_history"]
    assert set(entry) == HISTORY_KEYS
    assert {name: entry[name] for name in HISTORY_KEYS - {"at"}} == {
        "from": None,
        "to": "created",
        "by_user_id": parties.customer.id,
        "reason": None,
    }
    gap = parse_time(entry["at"]) - parse_time(deal["created_at"])
    assert abs(gap) < timedelta(seconds=1)


def test_create_order_lets_the_customer_only_cancel(deal):
    assert deal["allowed_transitions"] == ["canceled"]


def test_create_order_opens_its_chat(client, deal, parties):
    response = client.get(f"/chat/{deal['chat_id']}", headers=parties.customer.headers)
    assert response.status_code == 200
    assert response.json["order_id"] == deal["id"]


def test_create_order_chat_is_between_the_customer_and_the_lecturer(client, deal, parties):
    chat = client.get(f"/chat/{deal['chat_id']}", headers=parties.lecturer.headers).json
    assert sorted(chat["participants"], key=lambda p: p["role"]) == [
        {"user_id": parties.customer.id, "role": "customer"},
        {"user_id": parties.lecturer.id, "role": "lecturer"},
    ]


def test_created_order_is_what_get_shows(client, deal, parties):
    assert show(client, parties.customer, deal["id"]) == deal


def test_create_order_stores_one_order_with_one_chat(app, deal):
    assert count_rows(app, Order) == 1
    assert count_rows(app, Chat, Chat.order_id == deal["id"]) == 1


# POST /create_order: who may


def test_anonymous_may_not_create_order(client, parties):
    response = client.post("/create_order", json=order_body(parties.lecture_id))
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("role", ["lecturer", "admin"])
def test_other_roles_may_not_create_order(client, make_account, parties, role):
    account = make_account(role)
    response = client.post(
        "/create_order", json=order_body(parties.lecture_id), headers=account.headers
    )
    assert_error(response, 403, "forbidden")


def test_customer_without_profile_is_told_to_create_it(client, make_account, parties):
    account = make_account("customer")
    response = client.post(
        "/create_order", json=order_body(parties.lecture_id), headers=account.headers
    )
    error = assert_error(response, 403, "forbidden")
    assert "customer profile" in error["message"]
    assert "/create_customer_profile" in error["message"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param('{"lecture_id": "x"}', JSON, id="bad-field"),
        pytest.param("{}", JSON, id="empty-object"),
        pytest.param("{", JSON, id="not-json"),
        pytest.param('{"lecture_id": 1}', "text/plain", id="text-plain"),
    ],
)
def test_customer_without_profile_gets_403_before_the_body_is_judged(
    client, make_account, body, content_type
):
    account = make_account("customer")
    response = client.post(
        "/create_order", data=body, content_type=content_type, headers=account.headers
    )
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ["lecturer", "admin"])
def test_other_roles_get_403_before_the_body_is_judged(client, make_account, role):
    account = make_account(role)
    response = client.post("/create_order", json={"status": 1}, headers=account.headers)
    assert_error(response, 403, "forbidden")


def test_anonymous_gets_401_before_the_body_is_judged(client):
    response = client.post("/create_order", data="{", content_type=JSON)
    assert_error(response, 401, "unauthorized")


# POST /create_order: what it refuses


def test_create_order_of_an_unknown_lecture_is_422_on_lecture_id(client, parties):
    body = order_body(UNKNOWN_ID)
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"lecture_id"}


def test_create_order_of_an_archived_lecture_is_409(app, client, parties):
    archived = add_lecture(app, parties.lecturer_profile_id, archived=True)
    body = order_body(archived)
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    assert_error(response, 409, "conflict")


@pytest.mark.parametrize(
    "when",
    [f"{NEXT_YEAR}-01-01T10:00:00", "tomorrow", 1_900_000_000],
    ids=["naive", "word", "number"],
)
def test_a_time_the_api_cannot_read_gets_a_plain_words_hint(client, parties, when):
    body = order_body(parties.lecture_id, scheduled_at=when)
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    fields = assert_error(response, 422, "validation_error")["fields"]
    hint = "Give a date and time with its UTC offset, e.g. 2030-03-01T15:00:00+03:00."
    assert fields == {"scheduled_at": [hint]}


BAD_CREATE_BODIES = [
    pytest.param({"scheduled_at": "2020-01-01T10:00:00+00:00"}, "scheduled_at", id="past"),
    pytest.param({"scheduled_at": "PAST"}, "scheduled_at", id="a-minute-ago"),
    pytest.param({"scheduled_at": f"{NEXT_YEAR}-01-01T10:00:00"}, "scheduled_at", id="no-offset"),
    pytest.param({"scheduled_at": "tomorrow"}, "scheduled_at", id="not-a-date"),
    pytest.param({"scheduled_at": f"{NEXT_YEAR}-02-30T10:00:00+00:00"}, "scheduled_at",
                 id="february-30"),
    pytest.param({"scheduled_at": 1_900_000_000}, "scheduled_at", id="timestamp-number"),
    pytest.param({"scheduled_at": None}, "scheduled_at", id="null-time"),
    pytest.param({"scheduled_at": ""}, "scheduled_at", id="empty-time"),
    pytest.param({"lecture_id": "1"}, "lecture_id", id="lecture-id-string"),
    pytest.param({"lecture_id": 1.5}, "lecture_id", id="lecture-id-float"),
    pytest.param({"lecture_id": True}, "lecture_id", id="lecture-id-bool"),
    pytest.param({"lecture_id": 0}, "lecture_id", id="lecture-id-0"),
    pytest.param({"lecture_id": -1}, "lecture_id", id="lecture-id-negative"),
    pytest.param({"lecture_id": 10**30}, "lecture_id", id="lecture-id-huge"),
    pytest.param({"lecture_id": None}, "lecture_id", id="lecture-id-null"),
    pytest.param({"description": "d" * 5001}, "description", id="description-5001"),
    pytest.param({"description": "a\x00b"}, "description", id="description-nul"),
    pytest.param({"description": 5}, "description", id="description-number"),
    pytest.param({"description": "a\ud800b"}, "description", id="description-lone-surrogate"),
    pytest.param({"scheduled_at": "9999-12-31T23:00:00-05:00"}, "scheduled_at",
                 id="beyond-year-9999-in-utc"),
    pytest.param({"scheduled_at": "9999-12-31T23:30:00+00:00"}, "scheduled_at",
                 id="year-9999"),
    pytest.param({"scheduled_at": "3000-01-01T00:00:00+00:00"}, "scheduled_at",
                 id="year-3000"),
    pytest.param({"status": "accepted"}, "status", id="unknown-status"),
    pytest.param({"lecturer_id": 1}, "lecturer_id", id="unknown-lecturer-id"),
    pytest.param({"customer_id": 1}, "customer_id", id="unknown-customer-id"),
    pytest.param({"chat_id": 1}, "chat_id", id="unknown-chat-id"),
]  # fmt: skip
MISSING_FIELDS = ["lecture_id", "scheduled_at"]


def create_body(parties: Parties, changes: dict) -> dict:
    """A valid creation body with changes; "PAST" stands for a minute ago."""
    body = {**order_body(parties.lecture_id), **changes}
    if body["scheduled_at"] == "PAST":
        body["scheduled_at"] = (utcnow() - timedelta(minutes=1)).isoformat()
    return body


@pytest.mark.parametrize(("changes", "field"), BAD_CREATE_BODIES)
def test_create_order_with_a_bad_field_is_422_naming_it(client, parties, changes, field):
    body = create_body(parties, changes)
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}


@pytest.mark.parametrize("field", MISSING_FIELDS)
def test_create_order_without_a_required_field_is_422_naming_it(client, parties, field):
    body = order_body(parties.lecture_id)
    del body[field]
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_create_order_refuses_malformed_bodies(client, parties, data, content_type, status, code):
    response = client.post(
        "/create_order", data=data, content_type=content_type, headers=parties.customer.headers
    )
    assert_error(response, status, code)


def _refused_creation(app, make_account, parties) -> dict:
    """Ways a creation is refused, each as (account, body)."""
    archived = add_lecture(app, parties.lecturer_profile_id, archived=True)
    return {
        "lecturer": (parties.lecturer, order_body(parties.lecture_id)),
        "admin": (make_account("admin"), order_body(parties.lecture_id)),
        "no-profile": (make_account("customer"), order_body(parties.lecture_id)),
        "unknown-lecture": (parties.customer, order_body(UNKNOWN_ID)),
        "archived-lecture": (parties.customer, order_body(archived)),
        "past": (parties.customer, create_body(parties, {"scheduled_at": "PAST"})),
        "unknown-field": (parties.customer, order_body(parties.lecture_id, status="created")),
        "long-description": (parties.customer,
                             order_body(parties.lecture_id, description="d" * 5001)),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("lecturer", 403, "forbidden"),
        ("admin", 403, "forbidden"),
        ("no-profile", 403, "forbidden"),
        ("unknown-lecture", 422, "validation_error"),
        ("archived-lecture", 409, "conflict"),
        ("past", 422, "validation_error"),
        ("unknown-field", 422, "validation_error"),
        ("long-description", 422, "validation_error"),
    ],
)
def test_refused_creation_stores_nothing(app, client, make_account, parties, case, status, code):
    account, body = _refused_creation(app, make_account, parties)[case]
    response = client.post("/create_order", json=body, headers=account.headers)
    assert_error(response, status, code)
    assert [count_rows(app, model) for model in (Order, Chat, OrderStatusHistory)] == [0, 0, 0]
