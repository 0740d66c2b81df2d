"""GET /order/<id> and the order lists: who sees which orders, and how."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    CustomerProfile,
    LecturerProfile,
)
from app.models.base import utcnow
from tests.factories import OrderFactory
from tests.helpers import assert_error
from tests.orders_helpers import (
    BAD_PATH_IDS,
    HISTORY_KEYS,
    LIST_ITEM_KEYS,
    ORDER_KEYS,
    PAGE_KEYS,
    STRANGERS,
    UNKNOWN_ID,
    add_order,
    add_other_order,
    let_time_come,
    move,
    parse_time,
    show,
)

pytest_plugins = ["tests.orders_fixtures"]


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


def test_order_history_lists_every_move_oldest_first(app, client, deal, parties):
    assert move(client, parties.lecturer, deal["id"], "accepted").status_code == 200
    let_time_come(app, deal["id"])
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
        "accepted": ["canceled"],  # finished: once its time has come
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
    error = assert_error(response, 400, "bad_request")
    assert set(error["fields"]) == {query.split("=")[0]}


def test_a_status_filter_that_names_none_lists_the_statuses(client, parties):
    response = client.get("/consumer_orders?status=on_hold", headers=parties.customer.headers)
    (message,) = assert_error(response, 400, "bad_request")["fields"]["status"]
    statuses = "created, accepted, refused, canceled, finished"
    assert message == f"No status 'on_hold'; the statuses are {statuses}."


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
