"""POST /add_order_status, a custom status in use, and GET /order_statuses."""

import pytest

from app.models import (
    OrderStatus,
    OrderTransition,
)
from tests.helpers import JSON, MALFORMED_BODIES, assert_error
from tests.orders_helpers import (
    A_DAY_AGO,
    PAGE_KEYS,
    STATUSES,
    add_order,
    assert_refused_move,
    count_rows,
    move,
    show,
)

pytest_plugins = ["tests.orders_fixtures"]


STATUS_KEYS = {"id", "code", "title", "final", "holds_time", "transitions"}
BUILTIN_STATUSES = [
    {
        "code": "created",
        "title": "Created",
        "final": False,
        "holds_time": False,
        "transitions": [
            {"to": "accepted", "by": ["lecturer"], "reason_required": False, "after_start": False},
            {"to": "refused", "by": ["lecturer"], "reason_required": True, "after_start": False},
            {"to": "canceled", "by": ["customer"], "reason_required": True, "after_start": False},
        ],
    },
    {
        "code": "accepted",
        "title": "Accepted",
        "final": False,
        "holds_time": True,
        "transitions": [
            {"to": "canceled", "by": ["customer", "lecturer"], "reason_required": True,
             "after_start": False},
            {"to": "finished", "by": ["customer", "lecturer"], "reason_required": False,
             "after_start": True},
        ],
    },
    {"code": "refused", "title": "Refused", "final": True, "holds_time": False, "transitions": []},
    {"code": "canceled", "title": "Canceled", "final": True, "holds_time": False,
     "transitions": []},
    {"code": "finished", "title": "Finished", "final": True, "holds_time": False,
     "transitions": []},
]  # fmt: skip


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


# POST /add_order_status and a custom status in use


def test_add_status_answers_201_with_the_status(on_hold):
    assert set(on_hold) == STATUS_KEYS
    assert isinstance(on_hold["id"], int)
    assert {name: on_hold[name] for name in STATUS_KEYS - {"id"}} == {
        "code": "on_hold",
        "title": "On hold",
        "final": False,
        "holds_time": False,
        "transitions": [
            {
                "to": "accepted",
                "by": ["customer", "lecturer"],
                "reason_required": True,
                "after_start": False,
            }
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
        "after_start": False,
    }


def test_added_status_adds_to_the_caller_s_moves(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted", scheduled_at=A_DAY_AGO)
    order = show(client, parties.lecturer, order_id)
    assert order["allowed_transitions"] == ["canceled", "finished", "on_hold"]


def test_custom_status_is_reached_through_its_move(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted")
    response = move(client, parties.lecturer, order_id, "on_hold")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "on_hold"


def test_custom_move_is_refused_to_a_role_it_does_not_name(app, client, parties, on_hold):
    order_id = add_order(app, parties, "accepted", scheduled_at=A_DAY_AGO)
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
