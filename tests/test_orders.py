"""Section 6: orders, who may see and change them, and the workflow of their statuses."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Chat,
    ChatMessage,
    ChatReadMarker,
    CustomerProfile,
    Lecture,
    LecturerProfile,
    Order,
    OrderStatus,
    OrderStatusHistory,
    OrderTransition,
    User,
)
from app.models.base import utcnow
from app.orders import services as orders_services
from tests.factories import (
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    MessageFactory,
    OrderFactory,
)
from tests.helpers import JSON, MALFORMED_BODIES, assert_error

if TYPE_CHECKING:
    from tests.conftest import Account

ORDER_KEYS = {
    "id",
    "status",
    "lecture",
    "lecturer_id",
    "customer_id",
    "scheduled_at",
    "description",
    "chat_id",
    "allowed_transitions",
    "status_history",
    "created_at",
    "updated_at",
}
LIST_ITEM_KEYS = ORDER_KEYS - {"status_history"}
HISTORY_KEYS = {"from", "to", "by_user_id", "reason", "at"}
STATUS_KEYS = {"id", "code", "title", "final", "transitions"}
PAGE_KEYS = {"items", "page", "per_page", "total"}
UNKNOWN_ID = 999_999

NEXT_YEAR = utcnow().year + 1
FUTURE = f"{NEXT_YEAR}-06-01T15:00:00+03:00"
FUTURE_UTC = f"{NEXT_YEAR}-06-01T12:00:00+00:00"
LATER = f"{NEXT_YEAR}-07-10T09:30:00-02:00"
LATER_UTC = f"{NEXT_YEAR}-07-10T11:30:00+00:00"
A_DAY_AGO = utcnow() - timedelta(days=1)

STATUSES = ["created", "accepted", "refused", "canceled", "finished"]
FINAL = ["refused", "canceled", "finished"]
# The built-in workflow of API.md section 6: (from, to) -> (roles, reason required).
TABLE = {
    ("created", "accepted"): ({"lecturer"}, False),
    ("created", "refused"): ({"lecturer"}, True),
    ("created", "canceled"): ({"customer"}, True),
    ("accepted", "canceled"): ({"customer", "lecturer"}, True),
    ("accepted", "finished"): ({"customer", "lecturer"}, False),
}
BUILTIN_STATUSES = [
    {
        "code": "created",
        "title": "Created",
        "final": False,
        "transitions": [
            {"to": "accepted", "by": ["lecturer"], "reason_required": False},
            {"to": "refused", "by": ["lecturer"], "reason_required": True},
            {"to": "canceled", "by": ["customer"], "reason_required": True},
        ],
    },
    {
        "code": "accepted",
        "title": "Accepted",
        "final": False,
        "transitions": [
            {"to": "canceled", "by": ["customer", "lecturer"], "reason_required": True},
            {"to": "finished", "by": ["customer", "lecturer"], "reason_required": False},
        ],
    },
    {"code": "refused", "title": "Refused", "final": True, "transitions": []},
    {"code": "canceled", "title": "Canceled", "final": True, "transitions": []},
    {"code": "finished", "title": "Finished", "final": True, "transitions": []},
]


def allowed_for(role: str, source: str) -> list[str]:
    """The moves out of source that role may make, in the table's order."""
    return [
        target
        for (start, target), (roles, _) in TABLE.items()
        if start == source and (role == "admin" or role in roles)
    ]


# Callers of an order: its two parties, an admin, and someone who takes no part in it.
CALLERS = ["customer", "lecturer", "admin", "stranger"]
# Who takes no part in an order: (role, has a profile of that role).
STRANGERS = [
    pytest.param("customer", True, id="other-customer"),
    pytest.param("lecturer", True, id="other-lecturer"),
    pytest.param("customer", False, id="customer-without-profile"),
    pytest.param("lecturer", False, id="lecturer-without-profile"),
]
BAD_PATH_IDS = ["abc", "0", "-1", "1.5", "1e3", "1" + "0" * 18, "9" * 40]


def expected_move(source: str, target: str, caller: str) -> int:
    if caller == "stranger":
        return 404
    return 200 if target in allowed_for(caller, source) else 409


MOVES = [
    pytest.param(source, target, caller, expected_move(source, target, caller),
                 id=f"{source}-to-{target}-by-{caller}")
    for source in STATUSES
    for target in STATUSES
    for caller in CALLERS
]  # fmt: skip
REASON_REQUIRED = [
    pytest.param(source, target, caller, id=f"{source}-to-{target}-by-{caller}")
    for (source, target), (roles, reason_required) in TABLE.items()
    if reason_required
    for caller in sorted(roles | {"admin"})
]


# Helpers: rows built by factories, each in a short app context; only ids come back.


@dataclass(frozen=True)
class Parties:
    """A customer and a lecturer, each with a profile, and a lecture of the lecturer."""

    customer: "Account"
    lecturer: "Account"
    customer_profile_id: int
    lecturer_profile_id: int
    lecture_id: int


def add_profile(app, account, **fields) -> int:
    """A profile of the account's role, built by a factory; its id."""
    factory = CustomerProfileFactory if account.role == "customer" else LecturerProfileFactory
    with app.app_context():
        profile = factory(user=db.session.get(User, account.id), **fields)
        db.session.commit()
        return profile.id


def add_lecture(app, lecturer_profile_id: int, **fields) -> int:
    with app.app_context():
        lecture = LectureFactory(
            lecturer=db.session.get(LecturerProfile, lecturer_profile_id), **fields
        )
        db.session.commit()
        return lecture.id


def add_order(app, parties: Parties, status_code: str = "created", **fields) -> int:
    """An order of the parties' lecture, in a status, built by a factory; its id."""
    with app.app_context():
        order = OrderFactory(
            lecture=db.session.get(Lecture, parties.lecture_id),
            customer=db.session.get(CustomerProfile, parties.customer_profile_id),
            status_code=status_code,
            **fields,
        )
        db.session.commit()
        return order.id


def add_other_order(app, status_code: str = "created", **fields) -> int:
    """An order between a customer and a lecturer made up for it; its id."""
    with app.app_context():
        order = OrderFactory(status_code=status_code, **fields)
        db.session.commit()
        return order.id


def count_rows(app, model, *conditions) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def status_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(OrderStatus.id).where(OrderStatus.code == code))


def order_body(lecture_id: int, **fields) -> dict:
    return {"lecture_id": lecture_id, "scheduled_at": FUTURE, "description": "Hall B.", **fields}


def parse_time(value: str) -> datetime:
    """An ISO 8601 time of the API: in UTC, with the +00:00 offset."""
    assert value.endswith("+00:00"), value
    return datetime.fromisoformat(value)


def show(client, account, order_id: int) -> dict:
    response = client.get(f"/order/{order_id}", headers=account.headers)
    assert response.status_code == 200, response.json
    return response.json


def move(client, account, order_id: int, status, reason=None, **body):
    body = {"status": status, **({"reason": reason} if reason is not None else {}), **body}
    return client.put(f"/change_order_status/{order_id}", json=body, headers=account.headers)


def assert_refused_move(response, allowed: list[str]) -> None:
    """A 409 of the error shape that also carries the moves the caller may make now."""
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert set(response.json) == {"error"}
    assert set(error) == {"status", "code", "message", "allowed_transitions"}
    assert (error["status"], error["code"]) == (409, "conflict")
    assert error["message"]
    assert error["allowed_transitions"] == allowed


# Fixtures


@pytest.fixture
def parties(app, customer, lecturer) -> Parties:
    customer_profile_id = add_profile(app, customer)
    lecturer_profile_id = add_profile(app, lecturer)
    lecture_id = add_lecture(app, lecturer_profile_id, title="Rust for managers")
    return Parties(customer, lecturer, customer_profile_id, lecturer_profile_id, lecture_id)


@pytest.fixture
def deal(client, parties) -> dict:
    """An order of the parties' lecture, created through POST /create_order."""
    response = client.post(
        "/create_order", json=order_body(parties.lecture_id), headers=parties.customer.headers
    )
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def make_stranger(app, make_account):
    """An account that takes part in no order of the parties."""

    def make(role: str, with_profile: bool):
        account = make_account(role)
        if with_profile:
            add_profile(app, account)
        return account

    return make


@pytest.fixture
def stranger(make_stranger):
    return make_stranger("lecturer", True)


@pytest.fixture
def callers(parties, admin, stranger) -> dict:
    return {
        "customer": parties.customer,
        "lecturer": parties.lecturer,
        "admin": admin,
        "stranger": stranger,
    }


@pytest.fixture
def on_hold(client, admin) -> dict:
    """A custom status added through the API: accepted -> on_hold -> accepted."""
    body = {
        "code": "on_hold",
        "title": "On hold",
        "transitions": [
            {"from": "accepted", "to": "on_hold", "by": ["lecturer"]},
            {
                "from": "on_hold",
                "to": "accepted",
                "by": ["lecturer", "customer"],
                "reason_required": True,
            },
        ],
    }
    response = client.post("/add_order_status", json=body, headers=admin.headers)
    assert response.status_code == 201, response.json
    return response.json


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


# GET /order/<id>


def test_customer_sees_own_order(client, deal, parties):
    response = client.get(f"/order/{deal['id']}", headers=parties.customer.headers)
    assert response.status_code == 200
    assert set(response.json) == ORDER_KEYS
    assert response.json["id"] == deal["id"]


def test_lecturer_sees_the_order_with_its_moves(client, deal, parties):
    order = show(client, parties.lecturer, deal["id"])
    assert order["id"] == deal["id"]
    assert order["allowed_transitions"] == ["accepted", "refused"]


def test_admin_sees_every_move_of_the_table_from_the_status(client, deal, admin):
    order = show(client, admin, deal["id"])
    assert order["id"] == deal["id"]
    assert order["allowed_transitions"] == ["accepted", "refused", "canceled"]


def test_lecturer_sees_the_same_order_as_the_customer_but_for_its_moves(client, deal, parties):
    as_lecturer = show(client, parties.lecturer, deal["id"])
    as_customer = show(client, parties.customer, deal["id"])
    as_lecturer.pop("allowed_transitions")
    as_customer.pop("allowed_transitions")
    assert as_lecturer == as_customer


@pytest.mark.parametrize(("role", "with_profile"), STRANGERS)
def test_stranger_may_not_see_the_order(client, deal, make_stranger, role, with_profile):
    account = make_stranger(role, with_profile)
    response = client.get(f"/order/{deal['id']}", headers=account.headers)
    assert_error(response, 404, "not_found")


def test_anonymous_may_not_see_an_order(client, deal):
    assert_error(client.get(f"/order/{deal['id']}"), 401, "unauthorized")


def test_anonymous_gets_401_for_an_unknown_order(client):
    assert_error(client.get(f"/order/{UNKNOWN_ID}"), 401, "unauthorized")


def test_unknown_order_is_404(client, admin):
    assert_error(client.get(f"/order/{UNKNOWN_ID}", headers=admin.headers), 404, "not_found")


@pytest.mark.parametrize("path_id", BAD_PATH_IDS)
def test_order_with_a_bad_path_id_is_404(client, admin, path_id):
    assert_error(client.get(f"/order/{path_id}", headers=admin.headers), 404, "not_found")


def test_order_history_lists_every_move_oldest_first(client, deal, parties):
    assert move(client, parties.lecturer, deal["id"], "accepted").status_code == 200
    assert move(client, parties.customer, deal["id"], "finished", "Went well").status_code == 200
    history = show(client, parties.customer, deal["id"])["status_history"]
    assert [{name: entry[name] for name in HISTORY_KEYS - {"at"}} for entry in history] == [
        {"from": None, "to": "created", "by_user_id": parties.customer.id, "reason": None},
        {"from": "created", "to": "accepted", "by_user_id": parties.lecturer.id, "reason": None},
        {"from": "accepted", "to": "finished", "by_user_id": parties.customer.id,
         "reason": "Went well"},
    ]  # fmt: skip
    times = [parse_time(entry["at"]) for entry in history]
    assert times == sorted(times)


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


# GET /consumer_orders


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


@pytest.fixture
def crowd(app, parties) -> dict:
    """Orders of the parties in several statuses, and orders of other people.

    Created one hour apart, the newest last, so that their order is known.
    """
    start = utcnow() - timedelta(days=1)
    at = [start + timedelta(hours=hour) for hour in range(5)]
    ours = [
        add_order(app, parties, "created", created_at=at[0]),
        add_order(app, parties, "accepted", created_at=at[2]),
        add_order(app, parties, "finished", created_at=at[4]),
    ]
    with app.app_context():
        lecturer = db.session.get(LecturerProfile, parties.lecturer_profile_id)
        customer = db.session.get(CustomerProfile, parties.customer_profile_id)
        of_our_lecturer = OrderFactory(lecture__lecturer=lecturer, created_at=at[1]).id
        of_our_customer = OrderFactory(customer=customer, created_at=at[3]).id
        db.session.commit()
    unrelated = add_other_order(app, "accepted", created_at=start - timedelta(hours=1))
    return {
        "ours": ours,
        "of_our_lecturer": of_our_lecturer,
        "of_our_customer": of_our_customer,
        "unrelated": unrelated,
    }


def test_customer_lists_own_orders_newest_first(client, parties, crowd):
    response = client.get("/consumer_orders", headers=parties.customer.headers)
    ours = crowd["ours"]
    assert ids_of(response) == [ours[2], crowd["of_our_customer"], ours[1], ours[0]]


def test_lecturer_lists_the_orders_of_its_profile_newest_first(client, parties, crowd):
    response = client.get("/consumer_orders", headers=parties.lecturer.headers)
    ours = crowd["ours"]
    assert ids_of(response) == [ours[2], ours[1], crowd["of_our_lecturer"], ours[0]]


def test_admin_lists_every_order_newest_first(client, admin, crowd):
    response = client.get("/consumer_orders", headers=admin.headers)
    ours = crowd["ours"]
    assert ids_of(response) == [
        ours[2],
        crowd["of_our_customer"],
        ours[1],
        crowd["of_our_lecturer"],
        ours[0],
        crowd["unrelated"],
    ]


def test_orders_created_in_the_same_instant_come_newest_id_first(app, client, parties):
    same = utcnow() - timedelta(hours=1)
    first, second = (add_order(app, parties, created_at=same) for _ in range(2))
    response = client.get("/consumer_orders", headers=parties.customer.headers)
    assert ids_of(response) == [second, first]


def test_list_items_have_the_order_keys_without_history(client, parties, crowd):
    response = client.get("/consumer_orders", headers=parties.customer.headers)
    for item in response.json["items"]:
        assert set(item) == LIST_ITEM_KEYS


def test_list_items_carry_the_caller_s_moves(client, parties, crowd):
    response = client.get("/consumer_orders", headers=parties.lecturer.headers)
    moves = {item["status"]: item["allowed_transitions"] for item in response.json["items"]}
    assert moves == {
        "created": ["accepted", "refused"],
        "accepted": ["canceled", "finished"],
        "finished": [],
    }


def test_list_item_is_the_order_as_get_shows_it_without_history(client, deal, parties):
    [item] = client.get("/consumer_orders", headers=parties.customer.headers).json["items"]
    expected = show(client, parties.customer, deal["id"])
    del expected["status_history"]
    assert item == expected


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        pytest.param("customer", lambda crowd: [crowd["ours"][1]], id="customer"),
        pytest.param("lecturer", lambda crowd: [crowd["ours"][1]], id="lecturer"),
        pytest.param("admin", lambda crowd: [crowd["ours"][1], crowd["unrelated"]], id="admin"),
    ],
)
def test_status_filter_keeps_the_orders_in_that_status(client, callers, crowd, caller, expected):
    response = client.get("/consumer_orders?status=accepted", headers=callers[caller].headers)
    assert ids_of(response) == expected(crowd)


def test_status_filter_with_no_orders_in_it_is_empty(client, parties, crowd):
    response = client.get("/consumer_orders?status=refused", headers=parties.customer.headers)
    assert response.json == {"items": [], "page": 1, "per_page": 20, "total": 0}


BAD_LIST_QUERIES = [
    pytest.param("status=on_hold", id="unknown-status"),
    pytest.param("status=Accepted", id="status-wrong-case"),
    pytest.param("status=", id="status-empty"),
    pytest.param("status=" + "a" * 33, id="status-33"),
    pytest.param("page=0", id="page-0"),
    pytest.param("page=abc", id="page-abc"),
    pytest.param("per_page=0", id="per-page-0"),
    pytest.param("per_page=101", id="per-page-101"),
    pytest.param("per_page=1.5", id="per-page-float"),
]


@pytest.mark.parametrize("query", BAD_LIST_QUERIES)
def test_list_with_a_bad_query_is_400(client, parties, query):
    response = client.get(f"/consumer_orders?{query}", headers=parties.customer.headers)
    assert_error(response, 400, "bad_request")


def test_list_is_paginated(client, parties, crowd):
    response = client.get("/consumer_orders?page=2&per_page=3", headers=parties.customer.headers)
    assert response.status_code == 200
    assert set(response.json) == PAGE_KEYS
    assert {name: response.json[name] for name in PAGE_KEYS - {"items"}} == {
        "page": 2,
        "per_page": 3,
        "total": 4,
    }
    assert ids_of(response) == [crowd["ours"][0]]


def test_list_page_past_the_end_is_empty(client, parties, crowd):
    response = client.get("/consumer_orders?page=3&per_page=3", headers=parties.customer.headers)
    assert (ids_of(response), response.json["total"]) == ([], 4)


def test_anonymous_may_not_list_orders(client):
    assert_error(client.get("/consumer_orders"), 401, "unauthorized")


@pytest.mark.parametrize("role", ["customer", "lecturer"])
def test_user_without_a_profile_lists_no_orders(client, make_account, crowd, role):
    account = make_account(role)
    response = client.get("/consumer_orders", headers=account.headers)
    assert response.json == {"items": [], "page": 1, "per_page": 20, "total": 0}


# GET /consumer_orders/<consumer_id> and /lecturer_orders/<lecturer_id>


def test_customer_lists_its_profile_s_orders(client, parties, crowd):
    response = client.get(
        f"/consumer_orders/{parties.customer_profile_id}", headers=parties.customer.headers
    )
    ours = crowd["ours"]
    assert ids_of(response) == [ours[2], crowd["of_our_customer"], ours[1], ours[0]]


def test_admin_lists_a_customer_profile_s_orders(client, admin, parties, crowd):
    response = client.get(f"/consumer_orders/{parties.customer_profile_id}", headers=admin.headers)
    ours = crowd["ours"]
    assert ids_of(response) == [ours[2], crowd["of_our_customer"], ours[1], ours[0]]


def test_customer_profile_orders_are_list_items(client, parties, crowd):
    response = client.get(
        f"/consumer_orders/{parties.customer_profile_id}?per_page=2",
        headers=parties.customer.headers,
    )
    assert {name: response.json[name] for name in PAGE_KEYS - {"items"}} == {
        "page": 1,
        "per_page": 2,
        "total": 4,
    }
    assert all(set(item) == LIST_ITEM_KEYS for item in response.json["items"])


def test_customer_profile_orders_filtered_by_status(client, parties, crowd):
    response = client.get(
        f"/consumer_orders/{parties.customer_profile_id}?status=finished",
        headers=parties.customer.headers,
    )
    assert ids_of(response) == [crowd["ours"][2]]


def test_customer_profile_orders_with_an_unknown_status_is_400(client, parties):
    response = client.get(
        f"/consumer_orders/{parties.customer_profile_id}?status=nope",
        headers=parties.customer.headers,
    )
    assert_error(response, 400, "bad_request")


def test_lecturer_lists_its_profile_s_orders(client, parties, crowd):
    response = client.get(
        f"/lecturer_orders/{parties.lecturer_profile_id}", headers=parties.lecturer.headers
    )
    ours = crowd["ours"]
    assert ids_of(response) == [ours[2], ours[1], crowd["of_our_lecturer"], ours[0]]


def test_admin_lists_a_lecturer_profile_s_orders(client, admin, parties, crowd):
    response = client.get(f"/lecturer_orders/{parties.lecturer_profile_id}", headers=admin.headers)
    ours = crowd["ours"]
    assert ids_of(response) == [ours[2], ours[1], crowd["of_our_lecturer"], ours[0]]


def test_lecturer_profile_orders_filtered_by_status(client, parties, crowd):
    response = client.get(
        f"/lecturer_orders/{parties.lecturer_profile_id}?status=created",
        headers=parties.lecturer.headers,
    )
    assert ids_of(response) == [crowd["of_our_lecturer"], crowd["ours"][0]]


# Each profile's own list: (its path, the parties' attribute with its profile id, its side).
PROFILE_LISTS = {
    "customer": ("/consumer_orders", "customer_profile_id", "customer", "lecturer"),
    "lecturer": ("/lecturer_orders", "lecturer_profile_id", "lecturer", "customer"),
}


@pytest.mark.parametrize("side", PROFILE_LISTS)
@pytest.mark.parametrize(
    "who", ["same-role", "same-role-without-profile", "other-party", "other-role"]
)
def test_others_may_not_list_a_profile_s_orders(client, make_stranger, parties, crowd, side, who):
    path, profile_attribute, role, other_role = PROFILE_LISTS[side]
    account = {
        "same-role": lambda: make_stranger(role, True),
        "same-role-without-profile": lambda: make_stranger(role, False),
        "other-party": lambda: getattr(parties, other_role),
        "other-role": lambda: make_stranger(other_role, True),
    }[who]()
    response = client.get(f"{path}/{getattr(parties, profile_attribute)}", headers=account.headers)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("side", PROFILE_LISTS)
def test_unknown_profile_s_orders_are_404(client, admin, side):
    response = client.get(f"{PROFILE_LISTS[side][0]}/{UNKNOWN_ID}", headers=admin.headers)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("side", PROFILE_LISTS)
def test_anonymous_may_not_list_a_profile_s_orders(client, parties, side):
    path, profile_attribute, *_ = PROFILE_LISTS[side]
    response = client.get(f"{path}/{getattr(parties, profile_attribute)}")
    assert_error(response, 401, "unauthorized")


@pytest.mark.parametrize("side", PROFILE_LISTS)
@pytest.mark.parametrize("path_id", BAD_PATH_IDS)
def test_profile_orders_with_a_bad_path_id_is_404(client, admin, side, path_id):
    response = client.get(f"{PROFILE_LISTS[side][0]}/{path_id}", headers=admin.headers)
    assert_error(response, 404, "not_found")


# PUT /change_order_status/<id>: the workflow table, move by move


@pytest.mark.parametrize(("source", "target", "caller", "expected"), MOVES)
def test_move_answers_as_the_workflow_says(
    app, client, parties, callers, source, target, caller, expected
):
    order_id = add_order(app, parties, source)
    response = move(client, callers[caller], order_id, target, "Because.")
    assert response.status_code == expected, response.json


@pytest.mark.parametrize(("source", "target", "caller", "expected"), MOVES)
def test_order_is_in_the_status_the_move_left_it_in(
    app, client, parties, callers, source, target, caller, expected
):
    order_id = add_order(app, parties, source)
    move(client, callers[caller], order_id, target, "Because.")
    assert show(client, callers["admin"], order_id)["status"] == (
        target if expected == 200 else source
    )


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("caller", ["customer", "lecturer", "admin"])
def test_refused_move_tells_the_moves_the_caller_may_make(
    app, client, parties, callers, source, caller
):
    order_id = add_order(app, parties, source)
    allowed = allowed_for(caller, source)
    target = next(code for code in STATUSES if code not in allowed)
    response = move(client, callers[caller], order_id, target, "Because.")
    assert_refused_move(response, allowed)


@pytest.mark.parametrize("source", FINAL)
@pytest.mark.parametrize("caller", ["customer", "lecturer", "admin"])
@pytest.mark.parametrize("target", STATUSES)
def test_nothing_leaves_a_final_status(app, client, parties, callers, source, caller, target):
    order_id = add_order(app, parties, source)
    response = move(client, callers[caller], order_id, target, "Because.")
    assert_refused_move(response, [])


def test_stranger_gets_404_on_a_move(app, client, parties, stranger):
    order_id = add_order(app, parties)
    response = move(client, stranger, order_id, "accepted")
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(("role", "with_profile"), STRANGERS)
@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        pytest.param('{"status": "accepted"}', JSON, id="good-body"),
        pytest.param('{"status": "nope", "x": 1}', JSON, id="bad-body"),
        pytest.param("{", JSON, id="not-json"),
    ],
)
def test_stranger_gets_404_whatever_the_body(
    client, deal, make_stranger, role, with_profile, data, content_type
):
    account = make_stranger(role, with_profile)
    response = client.put(
        f"/change_order_status/{deal['id']}",
        data=data,
        content_type=content_type,
        headers=account.headers,
    )
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(("role", "with_profile"), STRANGERS)
@pytest.mark.parametrize(
    "status",
    [pytest.param("a" * 33, id="status-33-chars"), pytest.param("nope", id="unknown-status")],
)
def test_stranger_gets_404_whatever_the_query(
    client, deal, make_stranger, role, with_profile, status
):
    account = make_stranger(role, with_profile)
    response = client.put(
        f"/change_order_status/{deal['id']}?status={status}", headers=account.headers
    )
    assert_error(response, 404, "not_found")


def test_unknown_order_is_404_whatever_the_query(client, admin):
    response = client.put(f"/change_order_status/{UNKNOWN_ID}?status=", headers=admin.headers)
    assert_error(response, 404, "not_found")


def test_anonymous_may_not_move_an_order(client, deal):
    response = client.put(f"/change_order_status/{deal['id']}", json={"status": "accepted"})
    assert_error(response, 401, "unauthorized")


def test_move_of_an_unknown_order_is_404(client, admin):
    response = client.put(
        f"/change_order_status/{UNKNOWN_ID}", json={"status": "accepted"}, headers=admin.headers
    )
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("path_id", BAD_PATH_IDS)
def test_move_with_a_bad_path_id_is_404(client, admin, path_id):
    response = client.put(
        f"/change_order_status/{path_id}", json={"status": "accepted"}, headers=admin.headers
    )
    assert_error(response, 404, "not_found")


def test_move_answers_the_order_as_it_now_stands(client, deal, parties):
    response = move(client, parties.lecturer, deal["id"], "accepted")
    assert response.status_code == 200
    assert set(response.json) == ORDER_KEYS
    assert response.json == show(client, parties.lecturer, deal["id"])


def test_move_answers_the_caller_s_moves_from_the_new_status(client, deal, parties):
    response = move(client, parties.lecturer, deal["id"], "accepted")
    assert response.json["allowed_transitions"] == ["canceled", "finished"]


def test_move_moves_updated_at(app, client, parties):
    order_id = add_order(app, parties, created_at=A_DAY_AGO, updated_at=A_DAY_AGO)
    before = utcnow()
    response = move(client, parties.lecturer, order_id, "accepted")
    assert parse_time(response.json["updated_at"]) >= before - timedelta(seconds=1)


def test_move_writes_a_history_entry(client, deal, parties):
    before = utcnow()
    response = move(client, parties.lecturer, deal["id"], "refused", "Booked that day.")
    first, entry = response.json["status_history"]
    assert first == deal["status_history"][0]
    assert set(entry) == HISTORY_KEYS
    assert {name: entry[name] for name in HISTORY_KEYS - {"at"}} == {
        "from": "created",
        "to": "refused",
        "by_user_id": parties.lecturer.id,
        "reason": "Booked that day.",
    }
    assert before - timedelta(seconds=1) <= parse_time(entry["at"]) <= utcnow()


def test_move_answers_the_order_as_it_is_read_afterwards(client, deal, parties):
    """The answer of a move with a reason is the order as GET shows it, its entry included."""
    moved = move(client, parties.lecturer, deal["id"], "refused", "Booked that day.").json
    assert moved == show(client, parties.lecturer, deal["id"])


def test_admin_s_move_is_recorded_as_the_admin_s(client, deal, admin):
    response = move(client, admin, deal["id"], "accepted")
    assert response.json["status_history"][-1]["by_user_id"] == admin.id


def test_move_without_a_needed_reason_keeps_a_null_reason(client, deal, parties):
    response = move(client, parties.lecturer, deal["id"], "accepted")
    assert response.json["status_history"][-1]["reason"] is None


def test_reason_of_a_move_is_stored_as_sent(client, deal, parties):
    response = move(client, parties.lecturer, deal["id"], "accepted", "  Gladly!\n")
    assert response.json["status_history"][-1]["reason"] == "  Gladly!\n"


def test_a_move_from_a_status_left_since_it_was_read_is_refused(
    app, client, deal, parties, monkeypatch
):
    """The move is made only from the status the order was read in: when another move is
    committed in between, it is refused with the moves from the order's status now, and
    writes nothing."""
    get_order = orders_services.get_order

    def read_then_moved_meanwhile(user, order_id):
        order = get_order(user, order_id)
        monkeypatch.setattr(orders_services, "get_order", get_order)  # the other move's read
        assert move(app.test_client(), parties.lecturer, order_id, "accepted").status_code == 200
        return order

    monkeypatch.setattr(orders_services, "get_order", read_then_moved_meanwhile)
    response = move(client, parties.lecturer, deal["id"], "refused", "Booked that day.")
    assert_refused_move(response, ["canceled", "finished"])
    assert count_rows(app, OrderStatusHistory) == 2  # the creation and the accepting
    assert show(client, parties.lecturer, deal["id"])["status"] == "accepted"


def test_refused_move_writes_no_history(app, client, deal, parties):
    move(client, parties.customer, deal["id"], "accepted", "Please.")
    assert count_rows(app, OrderStatusHistory) == 1


# PUT /change_order_status/<id>: the reason


@pytest.mark.parametrize("reason", [None, "", "   ", "\n\t "])
@pytest.mark.parametrize(("source", "target", "caller"), REASON_REQUIRED)
def test_move_that_needs_a_reason_without_one_is_422_on_reason(
    app, client, parties, callers, source, target, caller, reason
):
    order_id = add_order(app, parties, source)
    body = {"status": target} if reason is None else {"status": target, "reason": reason}
    response = client.put(
        f"/change_order_status/{order_id}", json=body, headers=callers[caller].headers
    )
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"reason"}


def test_move_that_needs_a_reason_with_null_reason_is_422(client, deal, parties):
    response = client.put(
        f"/change_order_status/{deal['id']}",
        json={"status": "canceled", "reason": None},
        headers=parties.customer.headers,
    )
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"reason"}


def test_move_without_a_reason_leaves_the_order_where_it_was(client, deal, parties):
    move(client, parties.customer, deal["id"], "canceled", "   ")
    assert show(client, parties.customer, deal["id"])["status"] == "created"


def test_disallowed_move_without_a_reason_is_409_not_422(client, deal, parties):
    # created -> canceled needs a reason, but it is the customer's move, not the lecturer's.
    response = move(client, parties.lecturer, deal["id"], "canceled")
    assert_refused_move(response, ["accepted", "refused"])


def test_reason_over_2000_characters_is_422(client, deal, parties):
    response = move(client, parties.customer, deal["id"], "canceled", "r" * 2001)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"reason"}


# PUT /change_order_status/<id>: how the status is given


def test_status_in_the_query_with_no_body(client, deal, parties):
    response = client.put(
        f"/change_order_status/{deal['id']}?status=accepted", headers=parties.lecturer.headers
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "accepted"


def test_status_id_in_the_query_with_no_body(app, client, deal, parties):
    accepted = status_id(app, "accepted")
    response = client.put(
        f"/change_order_status/{deal['id']}?status={accepted}", headers=parties.lecturer.headers
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "accepted"


def test_status_in_the_query_with_the_reason_in_the_body(client, deal, parties):
    response = client.put(
        f"/change_order_status/{deal['id']}?status=refused",
        json={"reason": "Busy."},
        headers=parties.lecturer.headers,
    )
    assert response.status_code == 200, response.json
    assert response.json["status_history"][-1]["reason"] == "Busy."


def test_status_id_in_the_body(app, client, deal, parties):
    response = move(client, parties.lecturer, deal["id"], status_id(app, "accepted"))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "accepted"


@pytest.mark.parametrize(
    "status",
    [
        pytest.param("on_hold", id="unknown-code"),
        pytest.param("Accepted", id="wrong-case"),
        pytest.param(UNKNOWN_ID, id="unknown-id"),
        pytest.param(str(UNKNOWN_ID), id="unknown-id-string"),
        pytest.param("", id="empty"),
        pytest.param("a" * 33, id="too-long"),
        pytest.param(0, id="zero"),
        pytest.param(-2, id="negative"),
        pytest.param(True, id="bool"),
        pytest.param(2.0, id="float"),
        pytest.param(["accepted"], id="list"),
        pytest.param(None, id="null"),
    ],
)
def test_bad_status_in_the_body_is_422_on_status(client, deal, parties, status):
    response = client.put(
        f"/change_order_status/{deal['id']}",
        json={"status": status},
        headers=parties.lecturer.headers,
    )
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"status"}


@pytest.mark.parametrize("status", ["on_hold", str(UNKNOWN_ID), "", "a" * 33, "0"])
def test_bad_status_in_the_query_is_422_on_status(client, deal, parties, status):
    response = client.put(
        f"/change_order_status/{deal['id']}?status={status}", headers=parties.lecturer.headers
    )
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"status"}


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        pytest.param(None, None, id="no-body"),
        pytest.param("{}", JSON, id="empty-object"),
        pytest.param('{"reason": "Why not."}', JSON, id="reason-only"),
    ],
)
def test_move_without_a_status_is_422_on_status(client, deal, parties, data, content_type):
    response = client.put(
        f"/change_order_status/{deal['id']}",
        data=data,
        content_type=content_type,
        headers=parties.lecturer.headers,
    )
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"status"}


def test_move_with_an_unknown_field_is_422(client, deal, parties):
    response = move(client, parties.lecturer, deal["id"], "accepted", note="x")
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"note"}


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    MALFORMED_BODIES,
)
def test_move_refuses_malformed_bodies(client, deal, parties, data, content_type, status, code):
    response = client.put(
        f"/change_order_status/{deal['id']}",
        data=data,
        content_type=content_type,
        headers=parties.lecturer.headers,
    )
    assert_error(response, status, code)


# POST /add_order_status and a custom status in use


def test_add_status_answers_201_with_the_status(on_hold):
    assert set(on_hold) == STATUS_KEYS
    assert isinstance(on_hold["id"], int)
    assert {name: on_hold[name] for name in STATUS_KEYS - {"id"}} == {
        "code": "on_hold",
        "title": "On hold",
        "final": False,
        "transitions": [
            {"to": "accepted", "by": ["customer", "lecturer"], "reason_required": True}
        ],
    }


def test_added_status_is_listed_with_its_moves(client, on_hold):
    statuses = client.get("/order_statuses").json["items"]
    assert on_hold in statuses


def test_added_move_into_the_status_is_listed_on_its_source(client, on_hold):
    statuses = {item["code"]: item for item in client.get("/order_statuses").json["items"]}
    assert statuses["accepted"]["transitions"][-1] == {
        "to": "on_hold",
        "by": ["lecturer"],
        "reason_required": False,
    }


def test_added_status_adds_to_the_caller_s_moves(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    order = show(client, parties.lecturer, order_id)
    assert order["allowed_transitions"] == ["canceled", "finished", "on_hold"]


def test_custom_status_is_reached_through_its_move(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    response = move(client, parties.lecturer, order_id, "on_hold")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "on_hold"


def test_custom_move_is_refused_to_a_role_it_does_not_name(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    response = move(client, parties.customer, order_id, "on_hold", "Wait.")
    assert_refused_move(response, ["canceled", "finished"])


def test_custom_status_is_reached_by_its_id(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    response = client.put(
        f"/change_order_status/{order_id}?status={on_hold['id']}",
        headers=parties.lecturer.headers,
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "on_hold"


@pytest.mark.parametrize("caller", ["customer", "lecturer"])
def test_custom_status_is_left_through_its_move(app, client, parties, on_hold, callers, caller):
    order_id = add_order(app, parties, "accepted")
    assert move(client, parties.lecturer, order_id, "on_hold").status_code == 200
    response = move(client, callers[caller], order_id, "accepted", "Back on.")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "accepted"


def test_leaving_a_custom_status_without_its_reason_is_422(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    assert move(client, parties.lecturer, order_id, "on_hold").status_code == 200
    response = move(client, parties.customer, order_id, "accepted")
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"reason"}


def test_custom_status_allows_only_its_own_moves(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    assert move(client, parties.lecturer, order_id, "on_hold").status_code == 200
    response = move(client, parties.customer, order_id, "finished")
    assert_refused_move(response, ["accepted"])


def test_custom_status_round_trip_is_in_the_history(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    move(client, parties.lecturer, order_id, "on_hold")
    response = move(client, parties.customer, order_id, "accepted", "Back on.")
    moves = [(e["from"], e["to"], e["by_user_id"]) for e in response.json["status_history"][1:]]
    assert moves == [
        ("accepted", "on_hold", parties.lecturer.id),
        ("on_hold", "accepted", parties.customer.id),
    ]


def test_add_final_status_with_moves_into_it(client, admin):
    body = {
        "code": "archived",
        "title": "Archived",
        "final": True,
        "transitions": [
            {"from": "accepted", "to": "archived", "by": ["admin"], "reason_required": True}
        ],
    }
    response = client.post("/add_order_status", json=body, headers=admin.headers)
    assert response.status_code == 201, response.json
    assert (response.json["final"], response.json["transitions"]) == (True, [])


def test_add_status_without_moves(client, admin):
    response = client.post(
        "/add_order_status", json={"code": "draft", "title": "Draft"}, headers=admin.headers
    )
    assert response.status_code == 201, response.json
    assert (response.json["final"], response.json["transitions"]) == (False, [])


@pytest.mark.parametrize("code", ["ab", "a" * 32, "on_hold_2", "x9"])
def test_add_status_accepts_slug_codes(client, admin, code):
    response = client.post(
        "/add_order_status", json={"code": code, "title": "T"}, headers=admin.headers
    )
    assert response.status_code == 201, response.json
    assert response.json["code"] == code


def test_add_status_with_a_taken_code_is_409(client, admin):
    response = client.post(
        "/add_order_status", json={"code": "created", "title": "Again"}, headers=admin.headers
    )
    assert_error(response, 409, "conflict")


def test_add_status_with_a_code_added_before_is_409(client, admin, on_hold):
    response = client.post(
        "/add_order_status", json={"code": "on_hold", "title": "Again"}, headers=admin.headers
    )
    assert_error(response, 409, "conflict")


def moves(*transitions: tuple) -> dict:
    """A body adding "new" with the given (from, to, by) transitions."""
    return {
        "code": "new",
        "title": "New",
        "transitions": [{"from": f, "to": t, "by": by} for f, t, by in transitions],
    }


BAD_STATUS_BODIES = [
    pytest.param({"code": "On Hold", "title": "T"}, "code", id="code-with-space-and-capitals"),
    pytest.param({"code": "a", "title": "T"}, "code", id="code-1-char"),
    pytest.param({"code": "1abc", "title": "T"}, "code", id="code-starts-with-digit"),
    pytest.param({"code": "_abc", "title": "T"}, "code", id="code-starts-with-underscore"),
    pytest.param({"code": "a" * 33, "title": "T"}, "code", id="code-33"),
    pytest.param({"code": "on-hold", "title": "T"}, "code", id="code-with-hyphen"),
    pytest.param({"code": "onhold\n", "title": "T"}, "code", id="code-newline"),
    pytest.param({"code": "", "title": "T"}, "code", id="code-empty"),
    pytest.param({"code": 5, "title": "T"}, "code", id="code-number"),
    pytest.param({"title": "T"}, "code", id="code-missing"),
    pytest.param({"code": "on_hold"}, "title", id="title-missing"),
    pytest.param({"code": "on_hold", "title": ""}, "title", id="title-empty"),
    pytest.param({"code": "on_hold", "title": "t" * 101}, "title", id="title-101"),
    pytest.param({"code": "on_hold", "title": "T\x00"}, "title", id="title-nul"),
    pytest.param({"code": "on_hold", "title": "T", "final": "yes"}, "final", id="final-string"),
    pytest.param({"code": "on_hold", "title": "T", "transitions": {}}, "transitions",
                 id="transitions-object"),
    pytest.param({"code": "on_hold", "title": "T", "color": "red"}, "color", id="unknown-field"),
    pytest.param(moves(("accepted", "created", ["admin"])), "transitions",
                 id="move-not-touching-the-new-status"),
    pytest.param(moves(("new", "new", ["admin"])), "transitions", id="move-from-new-to-new"),
    pytest.param(moves(("accepted", "nowhere", ["admin"])), "transitions",
                 id="move-between-unknown-statuses"),
    pytest.param(moves(("new", "nowhere", ["admin"])), "transitions", id="move-to-unknown"),
    pytest.param(moves(("nowhere", "new", ["admin"])), "transitions", id="move-from-unknown"),
    pytest.param({**moves(("new", "accepted", ["admin"])), "final": True}, "transitions",
                 id="move-out-of-a-new-final-status"),
    pytest.param(moves(("finished", "new", ["admin"])), "transitions",
                 id="move-out-of-finished"),
    pytest.param(moves(("canceled", "new", ["customer"])), "transitions",
                 id="move-out-of-canceled"),
    pytest.param(moves(("accepted", "new", ["guest"])), "transitions", id="unknown-role"),
    pytest.param(moves(("accepted", "new", ["Admin"])), "transitions", id="role-wrong-case"),
    pytest.param(moves(("accepted", "new", [])), "transitions", id="by-empty"),
    pytest.param(moves(("accepted", "new", "admin")), "transitions", id="by-string"),
    pytest.param(moves(("accepted", "new", ["admin"]), ("accepted", "new", ["customer"])),
                 "transitions", id="same-move-twice"),
    pytest.param({**moves(), "transitions": [{"from": "accepted", "by": ["admin"]}]},
                 "transitions", id="move-without-to"),
    pytest.param({**moves(), "transitions": [{"from": "accepted", "to": "new"}]},
                 "transitions", id="move-without-by"),
    pytest.param({**moves(), "transitions": [
        {"from": "accepted", "to": "new", "by": ["admin"], "reason_required": "maybe"}]},
        "transitions", id="reason-required-not-a-bool"),
    pytest.param({**moves(), "transitions": [
        {"from": "accepted", "to": "new", "by": ["admin"], "when": "now"}]},
        "transitions", id="move-with-unknown-field"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "field"), BAD_STATUS_BODIES)
def test_add_status_with_a_bad_body_is_422_naming_the_field(client, admin, body, field):
    response = client.post("/add_order_status", json=body, headers=admin.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}


REFUSED_STATUS_BODIES = [
    *(pytest.param(param.values[0], 422, "validation_error", id=param.id)
      for param in BAD_STATUS_BODIES),
    pytest.param({"code": "created", "title": "Again"}, 409, "conflict", id="taken-code"),
    pytest.param(moves(("accepted", "new", ["lecturer"]), ("finished", "new", ["admin"])), 422,
                 "validation_error", id="good-move-then-bad-move"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "status", "code"), REFUSED_STATUS_BODIES)
def test_refused_status_adds_nothing(app, client, admin, body, status, code):
    before = count_rows(app, OrderStatus), count_rows(app, OrderTransition)
    response = client.post("/add_order_status", json=body, headers=admin.headers)
    assert_error(response, status, code)
    assert (count_rows(app, OrderStatus), count_rows(app, OrderTransition)) == before


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_add_status_refuses_malformed_bodies(client, admin, data, content_type, status, code):
    response = client.post(
        "/add_order_status", data=data, content_type=content_type, headers=admin.headers
    )
    assert_error(response, status, code)


@pytest.mark.parametrize("role", ["customer", "lecturer"])
def test_others_may_not_add_a_status(app, client, make_account, role):
    account = make_account(role)
    body = moves(("accepted", "new", ["admin"]))
    response = client.post("/add_order_status", json=body, headers=account.headers)
    assert_error(response, 403, "forbidden")
    assert count_rows(app, OrderStatus) == len(STATUSES)


def test_anonymous_may_not_add_a_status(app, client):
    response = client.post("/add_order_status", json={"code": "new", "title": "New"})
    assert_error(response, 401, "unauthorized")
    assert count_rows(app, OrderStatus) == len(STATUSES)


@pytest.mark.parametrize("role", ["customer", "lecturer"])
def test_others_get_403_before_the_status_body_is_judged(client, make_account, role):
    account = make_account(role)
    response = client.post(
        "/add_order_status", data="{", content_type=JSON, headers=account.headers
    )
    assert_error(response, 403, "forbidden")


# GET /order_statuses


def test_statuses_are_public_and_paginated(client):
    response = client.get("/order_statuses")
    assert response.status_code == 200
    assert set(response.json) == PAGE_KEYS
    assert {name: response.json[name] for name in PAGE_KEYS - {"items"}} == {
        "page": 1,
        "per_page": 20,
        "total": 5,
    }


def test_statuses_are_the_built_in_workflow(client):
    items = client.get("/order_statuses").json["items"]
    assert all(set(item) == STATUS_KEYS for item in items)
    assert [{name: item[name] for name in STATUS_KEYS - {"id"}} for item in items] == (
        BUILTIN_STATUSES
    )


def test_status_ids_are_distinct_positive_integers(client):
    ids = [item["id"] for item in client.get("/order_statuses").json["items"]]
    assert all(isinstance(value, int) and value > 0 for value in ids)
    assert len(set(ids)) == len(ids)


def test_statuses_page_through(client):
    response = client.get("/order_statuses?page=3&per_page=2")
    assert [item["code"] for item in response.json["items"]] == ["finished"]
    assert response.json["total"] == 5


@pytest.mark.parametrize("query", ["page=0", "per_page=101", "page=x", "per_page=-1"])
def test_statuses_with_a_bad_query_is_400(client, query):
    assert_error(client.get(f"/order_statuses?{query}"), 400, "bad_request")
