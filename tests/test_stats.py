"""Section 9: GET /get_avg_rating/<lecturer_id>[/<lecture_id>] and GET /orders_finished[/<id>]."""

from dataclasses import dataclass

import pytest

from app.extensions import db
from app.models import CustomerProfile, Lecture, LecturerProfile, User
from tests.factories import (
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    OrderFactory,
    ReviewFactory,
)
from tests.helpers import assert_error

UNKNOWN_ID = 999_999
BAD_PATH_IDS = ["abc", "0", "-1", "1.5", "1e3", "1" + "0" * 18, "9" * 40]
# Profile ids given by hand, far past what the sequences hand out during a test.
SHARED_ID = 900_001
CUSTOMER_ONLY_ID = 900_002
STATUSES = ["created", "accepted", "refused", "canceled", "finished"]
# The values of `type` that API.md section 9 takes, and what the answer calls each.
TYPES = {
    "lecturer": "lecturer",
    "Lecturer": "lecturer",
    "customer": "customer",
    "Customer": "customer",
    "consumer": "customer",
    "Consumer": "customer",
}
BAD_TYPES = ["admin", "", "lecturers", "lecture", "customer ", "consumers", "profile"]
# Spellings in a case API.md does not list ("`Lecturer`, `Customer`, `Consumer` and
# `consumer` are taken too"; any other value is a 400), nor does the OpenAPI document.
UNLISTED_CASES = ["LECTURER", "CUSTOMER", "CONSUMER", "lEcTuReR"]

# Grades of a lecture and the average the API answers, rounded to 2 decimals.
ROUNDING = [
    pytest.param([5, 4, 4], 4.33, id="4.33"),
    pytest.param([5, 5, 4], 4.67, id="4.67"),
    pytest.param([1, 1, 2], 1.33, id="1.33"),
    pytest.param([2, 2, 3], 2.33, id="2.33"),
    pytest.param([5, 5, 5, 4, 4, 4, 4], 4.43, id="4.43"),
    pytest.param([3], 3.0, id="single"),
    pytest.param([1, 2], 1.5, id="1.5"),
    pytest.param([5, 5, 5], 5.0, id="all-5"),
]


# Helpers: rows built by factories, each in a short app context; only ids come back.


def add_lecturer(app, **fields) -> int:
    with app.app_context():
        profile = LecturerProfileFactory(**fields)
        db.session.commit()
        return profile.id


def add_customer(app, **fields) -> int:
    with app.app_context():
        profile = CustomerProfileFactory(**fields)
        db.session.commit()
        return profile.id


def add_lecture(app, lecturer_id: int, **fields) -> int:
    with app.app_context():
        lecture = LectureFactory(lecturer=db.session.get(LecturerProfile, lecturer_id), **fields)
        db.session.commit()
        return lecture.id


def add_reviews(app, lecture_id: int, grades: list[int]) -> None:
    """A finished order and its review for each grade, moving the totals as the API does."""
    with app.app_context():
        lecture = db.session.get(Lecture, lecture_id)
        for grade in grades:
            ReviewFactory(order__lecture=lecture, grade=grade)
        db.session.commit()


def add_orders(
    app, codes: list[str], *, lecture_id: int | None = None, customer_id: int | None = None
) -> None:
    """Orders in the given statuses; lecture and customer are made up unless given."""
    with app.app_context():
        fields = {}
        if lecture_id is not None:
            fields["lecture"] = db.session.get(Lecture, lecture_id)
        if customer_id is not None:
            fields["customer"] = db.session.get(CustomerProfile, customer_id)
        for code in codes:
            OrderFactory(status_code=code, **fields)
        db.session.commit()


def get_json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


# Fixtures


@pytest.fixture
def lecturer_id(app) -> int:
    return add_lecturer(app)


@pytest.fixture
def lecture_id(app, lecturer_id) -> int:
    return add_lecture(app, lecturer_id)


# GET /get_avg_rating/<lecturer_id>/<lecture_id>


def test_lecture_rating_answers_exactly_its_keys(client, lecturer_id, lecture_id):
    body = get_json(client, f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert set(body) == {"lecturer_id", "lecture_id", "avg_rating", "reviews_count"}


def test_lecture_rating_names_the_lecturer_and_lecture(app, client, lecturer_id, lecture_id):
    add_reviews(app, lecture_id, [4])
    body = get_json(client, f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert (body["lecturer_id"], body["lecture_id"]) == (lecturer_id, lecture_id)


@pytest.mark.parametrize(("grades", "average"), ROUNDING)
def test_lecture_rating_is_the_average_rounded_to_2_decimals(
    app, client, lecturer_id, lecture_id, grades, average
):
    add_reviews(app, lecture_id, grades)
    body = get_json(client, f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (average, len(grades))


def test_lecture_rating_is_a_json_number(app, client, lecturer_id, lecture_id):
    add_reviews(app, lecture_id, [5, 4, 4])
    response = client.get(f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert '"avg_rating":4.33' in response.get_data(as_text=True).replace(" ", "")


def test_lecture_without_reviews_has_null_rating_and_count_0(client, lecturer_id, lecture_id):
    body = get_json(client, f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (None, 0)


def test_lecture_rating_counts_only_that_lecture(app, client, lecturer_id, lecture_id):
    add_reviews(app, lecture_id, [2])
    add_reviews(app, add_lecture(app, lecturer_id), [5, 5])
    body = get_json(client, f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (2.0, 1)


def test_lecture_rating_follows_reviews_made_through_the_api(
    app, client, make_account, lecturer_id, lecture_id
):
    account = make_account("customer")
    with app.app_context():
        profile = CustomerProfileFactory(user=db.session.get(User, account.id))
        order = OrderFactory(
            customer=profile, lecture=db.session.get(Lecture, lecture_id), status_code="finished"
        )
        db.session.commit()
        order_id = order.id
    add_reviews(app, lecture_id, [5])
    response = client.post(
        "/add_lecture_review", json={"order_id": order_id, "grade": 2}, headers=account.headers
    )
    assert response.status_code == 201
    body = get_json(client, f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (3.5, 2)


def test_lecture_rating_of_an_archived_lecture_is_answered(app, client, lecturer_id):
    lecture_id = add_lecture(app, lecturer_id, archived=True)
    add_reviews(app, lecture_id, [4, 5])
    body = get_json(client, f"/get_avg_rating/{lecturer_id}/{lecture_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (4.5, 2)


def test_lecture_rating_of_unknown_lecturer_is_404(app, client, lecture_id):
    add_reviews(app, lecture_id, [5])
    assert_error(client.get(f"/get_avg_rating/{UNKNOWN_ID}/{lecture_id}"), 404, "not_found")


def test_lecture_rating_of_unknown_lecture_is_404(client, lecturer_id, lecture_id):
    assert_error(client.get(f"/get_avg_rating/{lecturer_id}/{UNKNOWN_ID}"), 404, "not_found")


def test_lecture_rating_of_another_lecturer_s_lecture_is_404(app, client, lecturer_id):
    others_lecture_id = add_lecture(app, add_lecturer(app))
    add_reviews(app, others_lecture_id, [5])
    response = client.get(f"/get_avg_rating/{lecturer_id}/{others_lecture_id}")
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("bad_id", BAD_PATH_IDS)
@pytest.mark.parametrize("which", ["lecturer", "lecture"])
def test_lecture_rating_with_a_bad_path_id_is_404(client, lecturer_id, lecture_id, bad_id, which):
    path = (
        f"/get_avg_rating/{bad_id}/{lecture_id}"
        if which == "lecturer"
        else f"/get_avg_rating/{lecturer_id}/{bad_id}"
    )
    assert_error(client.get(path), 404, "not_found")


# GET /get_avg_rating/<lecturer_id>


def test_lecturer_rating_answers_exactly_its_keys(client, lecturer_id):
    body = get_json(client, f"/get_avg_rating/{lecturer_id}")
    assert set(body) == {"lecturer_id", "avg_rating", "reviews_count"}


def test_lecturer_rating_names_the_lecturer(client, lecturer_id):
    assert get_json(client, f"/get_avg_rating/{lecturer_id}")["lecturer_id"] == lecturer_id


def test_lecturer_rating_weighs_every_review_the_same(app, client, lecturer_id):
    """[5, 5, 5] and [1]: 16 / 4 = 4.0, not the average of the averages (3.0)."""
    add_reviews(app, add_lecture(app, lecturer_id), [5, 5, 5])
    add_reviews(app, add_lecture(app, lecturer_id), [1])
    body = get_json(client, f"/get_avg_rating/{lecturer_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (4.0, 4)


def test_lecturer_rating_is_rounded_to_2_decimals(app, client, lecturer_id):
    """[5, 4] and [4]: 13 / 3 = 4.333..."""
    add_reviews(app, add_lecture(app, lecturer_id), [5, 4])
    add_reviews(app, add_lecture(app, lecturer_id), [4])
    body = get_json(client, f"/get_avg_rating/{lecturer_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (4.33, 3)


def test_lecturer_rating_leaves_out_other_lecturers(app, client, lecturer_id, lecture_id):
    add_reviews(app, lecture_id, [3])
    add_reviews(app, add_lecture(app, add_lecturer(app)), [5, 5])
    body = get_json(client, f"/get_avg_rating/{lecturer_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (3.0, 1)


def test_lecturer_rating_counts_reviews_of_archived_lectures(app, client, lecturer_id):
    add_reviews(app, add_lecture(app, lecturer_id, archived=True), [2])
    add_reviews(app, add_lecture(app, lecturer_id), [4])
    body = get_json(client, f"/get_avg_rating/{lecturer_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (3.0, 2)


def test_lecturer_without_lectures_has_null_rating_and_count_0(client, lecturer_id):
    body = get_json(client, f"/get_avg_rating/{lecturer_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (None, 0)


def test_lecturer_with_unreviewed_lectures_has_null_rating_and_count_0(
    app, client, lecturer_id, lecture_id
):
    add_orders(app, ["finished", "accepted"], lecture_id=lecture_id)
    body = get_json(client, f"/get_avg_rating/{lecturer_id}")
    assert (body["avg_rating"], body["reviews_count"]) == (None, 0)


def test_lecturer_rating_of_unknown_lecturer_is_404(client, lecturer_id):
    assert_error(client.get(f"/get_avg_rating/{UNKNOWN_ID}"), 404, "not_found")


def test_lecturer_rating_of_a_customer_profile_id_is_404(app, client):
    add_customer(app, id=CUSTOMER_ONLY_ID)
    assert_error(client.get(f"/get_avg_rating/{CUSTOMER_ONLY_ID}"), 404, "not_found")


@pytest.mark.parametrize("bad_id", BAD_PATH_IDS)
def test_lecturer_rating_with_a_bad_path_id_is_404(client, lecturer_id, bad_id):
    assert_error(client.get(f"/get_avg_rating/{bad_id}"), 404, "not_found")


# GET /orders_finished/<profile_id>?type=


@dataclass(frozen=True)
class Market:
    """A lecturer and a customer with orders in every status, among other people's orders."""

    lecturer_id: int  # 2 finished with the customer + 1 with someone else = 3
    customer_id: int  # 2 finished with the lecturer + 2 with someone else = 4
    idle_lecturer_id: int  # orders in every status but finished
    idle_customer_id: int  # likewise
    total_finished: int


@pytest.fixture
def market(app) -> Market:
    lecturer_id, customer_id = add_lecturer(app), add_customer(app)
    lecture_id = add_lecture(app, lecturer_id)
    add_orders(app, STATUSES + ["finished"], lecture_id=lecture_id, customer_id=customer_id)
    add_orders(app, ["finished", "created"], lecture_id=lecture_id)
    add_orders(app, ["finished", "finished", "accepted"], customer_id=customer_id)
    idle_lecturer_id, idle_customer_id = add_lecturer(app), add_customer(app)
    unfinished = [code for code in STATUSES if code != "finished"]
    add_orders(
        app, unfinished, lecture_id=add_lecture(app, idle_lecturer_id), customer_id=idle_customer_id
    )
    add_orders(app, ["finished", "refused"])
    return Market(lecturer_id, customer_id, idle_lecturer_id, idle_customer_id, total_finished=6)


def finished_of(client, profile_id: int, kind: str) -> dict:
    return get_json(client, f"/orders_finished/{profile_id}?type={kind}")


def test_profile_finished_answers_exactly_its_keys(client, market):
    assert set(finished_of(client, market.lecturer_id, "lecturer")) == {
        "profile_id",
        "type",
        "finished",
    }


def test_profile_finished_names_the_profile(client, market):
    assert finished_of(client, market.customer_id, "customer")["profile_id"] == market.customer_id


def test_lecturer_finished_counts_only_the_lecturer_s_finished_orders(client, market):
    assert finished_of(client, market.lecturer_id, "lecturer")["finished"] == 3


def test_customer_finished_counts_only_the_customer_s_finished_orders(client, market):
    assert finished_of(client, market.customer_id, "customer")["finished"] == 4


@pytest.mark.parametrize("kind", ["lecturer", "customer"])
def test_profile_without_finished_orders_has_0(client, market, kind):
    profile_id = market.idle_lecturer_id if kind == "lecturer" else market.idle_customer_id
    assert finished_of(client, profile_id, kind)["finished"] == 0


@pytest.mark.parametrize(("kind", "answered"), TYPES.items())
def test_profile_finished_takes_each_spelling_of_type(client, market, kind, answered):
    profile_id = market.lecturer_id if answered == "lecturer" else market.customer_id
    body = finished_of(client, profile_id, kind)
    assert (body["type"], body["finished"]) == (answered, 3 if answered == "lecturer" else 4)


def test_profile_finished_without_type_is_400(client, market):
    assert_error(client.get(f"/orders_finished/{market.lecturer_id}"), 400, "bad_request")


@pytest.mark.parametrize("kind", BAD_TYPES)
def test_profile_finished_with_another_type_is_400(client, market, kind):
    """API.md section 9: `type` is lecturer or customer, and the four spellings it lists."""
    response = client.get(f"/orders_finished/{market.lecturer_id}", query_string={"type": kind})
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("kind", UNLISTED_CASES)
def test_profile_finished_with_a_type_in_an_unlisted_case_is_400(client, market, kind):
    response = client.get(f"/orders_finished/{market.lecturer_id}?type={kind}")
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize("kind", TYPES)
def test_profile_finished_of_unknown_profile_is_404(client, market, kind):
    assert_error(client.get(f"/orders_finished/{UNKNOWN_ID}?type={kind}"), 404, "not_found")


@pytest.mark.parametrize("bad_id", BAD_PATH_IDS)
def test_profile_finished_with_a_bad_path_id_is_404(client, market, bad_id):
    assert_error(client.get(f"/orders_finished/{bad_id}?type=lecturer"), 404, "not_found")


@pytest.fixture
def shared_id(app) -> int:
    """A lecturer profile and a customer profile with the same id, and no order between them.

    The lecturer has 2 finished orders (and a created one); the customer has 1.
    """
    lecturer_id = add_lecturer(app, id=SHARED_ID)
    customer_id = add_customer(app, id=SHARED_ID)
    add_orders(app, ["finished", "finished", "created"], lecture_id=add_lecture(app, lecturer_id))
    add_orders(app, ["finished", "accepted"], customer_id=customer_id)
    return SHARED_ID


@pytest.mark.parametrize(("kind", "finished"), [("lecturer", 2), ("customer", 1), ("Consumer", 1)])
def test_profile_finished_reads_the_id_in_the_space_of_its_type(client, shared_id, kind, finished):
    assert finished_of(client, shared_id, kind)["finished"] == finished


def test_customer_profile_id_with_type_lecturer_is_404_without_such_lecturer(app, client):
    add_orders(app, ["finished"], customer_id=add_customer(app, id=CUSTOMER_ONLY_ID))
    response = client.get(f"/orders_finished/{CUSTOMER_ONLY_ID}?type=lecturer")
    assert_error(response, 404, "not_found")


def test_lecturer_profile_id_with_type_customer_is_404_without_such_customer(app, client):
    lecturer_id = add_lecturer(app, id=CUSTOMER_ONLY_ID)
    add_orders(app, ["finished"], lecture_id=add_lecture(app, lecturer_id))
    response = client.get(f"/orders_finished/{CUSTOMER_ONLY_ID}?type=customer")
    assert_error(response, 404, "not_found")


# GET /orders_finished


def test_finished_answers_exactly_its_key(client, market):
    assert set(get_json(client, "/orders_finished")) == {"finished"}


def test_finished_counts_the_finished_orders_of_the_whole_system(client, market):
    assert get_json(client, "/orders_finished")["finished"] == market.total_finished


def test_finished_of_an_empty_system_is_0(client):
    assert get_json(client, "/orders_finished")["finished"] == 0


def test_finished_leaves_out_orders_in_other_statuses(app, client):
    add_orders(app, [code for code in STATUSES if code != "finished"] * 2)
    assert get_json(client, "/orders_finished")["finished"] == 0


# Public, and documented


@pytest.fixture
def stats_paths(app, market) -> list[str]:
    lecture_id = add_lecture(app, market.lecturer_id)
    return [
        f"/get_avg_rating/{market.lecturer_id}/{lecture_id}",
        f"/get_avg_rating/{market.lecturer_id}",
        f"/orders_finished/{market.lecturer_id}?type=lecturer",
        f"/orders_finished/{market.customer_id}?type=customer",
        "/orders_finished",
    ]


def test_statistics_need_no_login(client, stats_paths):
    assert [client.get(path).status_code for path in stats_paths] == [200] * len(stats_paths)


def test_statistics_answer_a_logged_in_caller_alike(client, make_account, stats_paths):
    headers = make_account("lecturer").headers
    assert [client.get(path, headers=headers).json for path in stats_paths] == [
        client.get(path).json for path in stats_paths
    ]


@pytest.mark.parametrize(("path", "codes"), [
    ("/get_avg_rating/{lecturer_id}/{lecture_id}", {"200", "404"}),
    ("/get_avg_rating/{lecturer_id}", {"200", "404"}),
    ("/orders_finished/{profile_id}", {"200", "400", "404"}),
    ("/orders_finished", {"200"}),
])  # fmt: skip
def test_statistics_are_documented_as_public_with_their_codes(client, path, codes):
    operation = client.get("/openapi.json").json["paths"][path]["get"]
    assert codes <= set(operation["responses"])
    assert not operation.get("security")


def test_orders_finished_documents_type_as_required_with_its_values(client):
    """The enum names the two a client should send; the description, the other spellings."""
    operation = client.get("/openapi.json").json["paths"]["/orders_finished/{profile_id}"]["get"]
    [parameter] = [p for p in operation["parameters"] if p["name"] == "type"]
    assert parameter["in"] == "query" and parameter["required"] is True
    assert parameter["schema"]["enum"] == ["lecturer", "customer"]
    assert all(spelling in parameter["description"] for spelling in TYPES)
