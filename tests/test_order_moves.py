"""PUT /change_order_status/<id>: moves through the workflow, their reasons and history."""

from datetime import timedelta

import pytest

from app.models import (
    OrderStatusHistory,
)
from app.models.base import utcnow
from app.orders import services as orders_services
from tests.helpers import JSON, MALFORMED_BODIES, assert_error
from tests.orders_helpers import (
    A_DAY_AGO,
    BAD_PATH_IDS,
    HISTORY_KEYS,
    ORDER_KEYS,
    STATUSES,
    STRANGERS,
    UNKNOWN_ID,
    add_order,
    assert_refused_move,
    count_rows,
    move,
    parse_time,
    show,
    status_id,
)

pytest_plugins = ["tests.orders_fixtures"]


FINAL = ["refused", "canceled", "finished"]
# The built-in workflow of API.md section 6: (from, to) -> (roles, reason required).
TABLE = {
    ("created", "accepted"): ({"lecturer"}, False),
    ("created", "refused"): ({"lecturer"}, True),
    ("created", "canceled"): ({"customer"}, True),
    ("accepted", "canceled"): ({"customer", "lecturer"}, True),
    ("accepted", "finished"): ({"customer", "lecturer"}, False),
}


def allowed_for(role: str, source: str) -> list[str]:
    """The moves out of source that role may make, in the table's order."""
    return [
        target
        for (start, target), (roles, _) in TABLE.items()
        if start == source and (role == "admin" or role in roles)
    ]


# Callers of an order: its two parties, an admin, and someone who takes no part in it.
CALLERS = ["customer", "lecturer", "admin", "stranger"]


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


# PUT /change_order_status/<id>: the workflow table, move by move, on orders whose time has
# come (test_order_timing.py: the moves that wait for it)


@pytest.mark.parametrize(("source", "target", "caller", "expected"), MOVES)
def test_move_answers_as_the_workflow_says(
    app, client, parties, callers, source, target, caller, expected
):
    order_id = add_order(app, parties, source, scheduled_at=A_DAY_AGO)
    response = move(client, callers[caller], order_id, target, "Because.")
    assert response.status_code == expected, response.json


@pytest.mark.parametrize(("source", "target", "caller", "expected"), MOVES)
def test_order_is_in_the_status_the_move_left_it_in(
    app, client, parties, callers, source, target, caller, expected
):
    order_id = add_order(app, parties, source, scheduled_at=A_DAY_AGO)
    move(client, callers[caller], order_id, target, "Because.")
    assert show(client, callers["admin"], order_id)["status"] == (
        target if expected == 200 else source
    )


@pytest.mark.parametrize("source", STATUSES)
@pytest.mark.parametrize("caller", ["customer", "lecturer", "admin"])
def test_refused_move_tells_the_moves_the_caller_may_make(
    app, client, parties, callers, source, caller
):
    order_id = add_order(app, parties, source, scheduled_at=A_DAY_AGO)
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
    assert response.json["allowed_transitions"] == ["canceled"]  # finished: once it starts


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
    assert_refused_move(response, ["canceled"])
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


@pytest.mark.parametrize("status", ["on_hold", UNKNOWN_ID])
def test_a_status_that_names_none_lists_the_statuses(client, deal, parties, status):
    response = move(client, parties.lecturer, deal["id"], status)
    (message,) = assert_error(response, 422, "validation_error")["fields"]["status"]
    statuses = "created, accepted, refused, canceled, finished"
    assert message == f"No status {status!r}; the statuses are {statuses}."


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


def after_last_commit(events: list) -> list[str]:
    """The statements sent after the last commit of a request's events (see sent)."""
    commits = [index for index, each in enumerate(events) if each.statement is None]
    assert commits, "no commit seen"
    return [each.statement for each in events[commits[-1] + 1 :]]


def test_a_move_reads_its_answer_before_it_commits(client, deal, parties, sent):
    """Nothing after the commit: a new transaction would cost its round trips, and on
    PostgreSQL the rollback that ends it drops the connection's prepared statements."""
    events = sent(lambda: move(client, parties.lecturer, deal["id"], "accepted"))
    assert after_last_commit(events) == []


def test_an_order_change_reads_its_answer_before_it_commits(client, deal, parties, sent):
    path, body = f"/order/{deal['id']}", {"description": "Room 4."}
    events = sent(lambda: client.put(path, json=body, headers=parties.customer.headers))
    assert after_last_commit(events) == []
