"""Section 8: POST /add_lecture_review, GET/PUT/DELETE /review_of_lecture/<id>, GET /reviews."""

from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CustomerProfile, Lecture, LectureReview, LecturerProfile, Order, User
from tests.factories import (
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    OrderFactory,
    ReviewFactory,
)
from tests.helpers import JSON, MALFORMED_BODIES, assert_error

REVIEW_KEYS = {
    "id",
    "order_id",
    "lecture_id",
    "lecturer_id",
    "customer_id",
    "grade",
    "text",
    "created_at",
    "updated_at",
}
UNKNOWN_ID = 999_999
BAD_PATH_IDS = ["abc", "0", "-1", "1.5", "1e3", "1" + "0" * 18, "9" * 40]
UNFINISHED = ["created", "accepted", "canceled", "refused"]
MISSING = object()  # in a table of body changes: leave the field out

# Changes to a valid POST body, each making one field bad: (changes, field).
BAD_POST_FIELDS = [
    pytest.param({"grade": 0}, "grade", id="grade-0"),
    pytest.param({"grade": 6}, "grade", id="grade-6"),
    pytest.param({"grade": -1}, "grade", id="grade-minus-1"),
    pytest.param({"grade": 10**30}, "grade", id="grade-huge"),
    pytest.param({"grade": 4.5}, "grade", id="grade-4.5"),
    pytest.param({"grade": "5"}, "grade", id="grade-string"),
    pytest.param({"grade": True}, "grade", id="grade-true"),
    pytest.param({"grade": [5]}, "grade", id="grade-list"),
    pytest.param({"grade": None}, "grade", id="grade-null"),
    pytest.param({"grade": MISSING}, "grade", id="grade-missing"),
    pytest.param({"text": "x" * 5001}, "text", id="text-5001"),
    pytest.param({"text": "я" * 5001}, "text", id="text-5001-cyrillic"),
    pytest.param({"text": "Go\x00od"}, "text", id="text-nul"),
    pytest.param({"text": "Go\ud800od"}, "text", id="text-lone-surrogate"),
    pytest.param({"text": 5}, "text", id="text-number"),
    pytest.param({"order_id": "1"}, "order_id", id="order_id-string"),
    pytest.param({"order_id": 0}, "order_id", id="order_id-0"),
    pytest.param({"order_id": -1}, "order_id", id="order_id-minus-1"),
    pytest.param({"order_id": 1.5}, "order_id", id="order_id-float"),
    pytest.param({"order_id": True}, "order_id", id="order_id-true"),
    pytest.param({"order_id": 10**30}, "order_id", id="order_id-huge"),
    pytest.param({"order_id": None}, "order_id", id="order_id-null"),
    pytest.param({"order_id": MISSING}, "order_id", id="order_id-missing"),
    pytest.param({"lecture_id": 1}, "lecture_id", id="unknown-lecture_id"),
    pytest.param({"customer_id": 1}, "customer_id", id="unknown-customer_id"),
    pytest.param({"lecturer_id": 1}, "lecturer_id", id="unknown-lecturer_id"),
    pytest.param({"id": 1}, "id", id="unknown-id"),
    pytest.param({"created_at": "2026-01-01T00:00:00+00:00"}, "created_at",
                 id="unknown-created_at"),
]  # fmt: skip

# Changes that PUT /review_of_lecture/<id> refuses: (changes, field).
BAD_PUT_FIELDS = [
    pytest.param({"grade": 0}, "grade", id="grade-0"),
    pytest.param({"grade": 6}, "grade", id="grade-6"),
    pytest.param({"grade": 4.5}, "grade", id="grade-4.5"),
    pytest.param({"grade": "3"}, "grade", id="grade-string"),
    pytest.param({"grade": True}, "grade", id="grade-true"),
    pytest.param({"grade": None}, "grade", id="grade-null"),
    pytest.param({"grade": 3, "text": "x" * 5001}, "text", id="text-5001"),
    pytest.param({"grade": 3, "text": "a\x00b"}, "text", id="text-nul"),
    pytest.param({"text": 7}, "text", id="text-number"),
    pytest.param({"grade": 3, "order_id": 1}, "order_id", id="unknown-order_id"),
    pytest.param({"grade": 3, "lecture_id": 1}, "lecture_id", id="unknown-lecture_id"),
    pytest.param({"grade": 3, "customer_id": 1}, "customer_id", id="unknown-customer_id"),
    pytest.param({"grade": 3, "lecturer_id": 1}, "lecturer_id", id="unknown-lecturer_id"),
    pytest.param({"grade": 3, "id": 1}, "id", id="unknown-id"),
]  # fmt: skip

# Helpers: rows built by factories, each in a short app context; only ids come back.


@dataclass(frozen=True)
class Deal:
    """A finished (or other) order, with the ids a review takes from it."""

    order_id: int
    lecture_id: int
    lecturer_id: int  # a lecturer profile id
    customer_id: int  # a customer profile id


def add_customer_profile(app, account) -> int:
    with app.app_context():
        profile = CustomerProfileFactory(user=db.session.get(User, account.id))
        db.session.commit()
        return profile.id


def add_lecturer_profile(app, account) -> int:
    with app.app_context():
        profile = LecturerProfileFactory(user=db.session.get(User, account.id))
        db.session.commit()
        return profile.id


def add_lecture(app, lecturer_id: int | None = None) -> int:
    with app.app_context():
        fields = {"lecturer": db.session.get(LecturerProfile, lecturer_id)} if lecturer_id else {}
        lecture = LectureFactory(**fields)
        db.session.commit()
        return lecture.id


def add_order(
    app, *, customer_id: int | None = None, lecture_id: int | None = None, status_code="finished"
) -> Deal:
    """An order built by a factory; customer and lecture are made up unless given."""
    with app.app_context():
        fields = {}
        if customer_id is not None:
            fields["customer"] = db.session.get(CustomerProfile, customer_id)
        if lecture_id is not None:
            fields["lecture"] = db.session.get(Lecture, lecture_id)
        order = OrderFactory(status_code=status_code, **fields)
        db.session.commit()
        return Deal(order.id, order.lecture_id, order.lecturer_id, order.customer_id)


def add_review(app, order_id: int, grade: int = 5, **fields) -> int:
    """A review of the order, moving the rating totals as the API does; its id."""
    with app.app_context():
        review = ReviewFactory(order=db.session.get(Order, order_id), grade=grade, **fields)
        db.session.commit()
        return review.id


def add_review_of_lecture(app, lecture_id: int, grade: int, **fields) -> int:
    """A review of a finished order of the lecture by a customer made up for it."""
    return add_review(app, add_order(app, lecture_id=lecture_id).order_id, grade, **fields)


def count_reviews(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LectureReview))


def stored_review(app, review_id: int) -> dict | None:
    with app.app_context():
        review = db.session.get(LectureReview, review_id)
        if review is None:
            return None
        return {
            column.key: getattr(review, column.key) for column in LectureReview.__mapper__.columns
        }


def totals(client, deal: Deal) -> dict:
    """avg_rating and reviews_count of the deal's lecture and lecturer, as the API shows them."""
    lecture = client.get(f"/lecture/{deal.lecture_id}")
    profile = client.get(f"/lecture_profile/{deal.lecturer_id}")
    assert lecture.status_code == profile.status_code == 200
    return {
        "lecture": (lecture.json["avg_rating"], lecture.json["reviews_count"]),
        "lecturer": (profile.json["avg_rating"], profile.json["reviews_count"]),
    }


def both(avg_rating, reviews_count) -> dict:
    return {"lecture": (avg_rating, reviews_count), "lecturer": (avg_rating, reviews_count)}


def body_with(base: dict, changes: dict) -> dict:
    body = dict(base)
    for name, value in changes.items():
        if value is MISSING:
            body.pop(name, None)
        else:
            body[name] = value
    return body


def parse_time(value: str) -> datetime:
    assert value.endswith("+00:00"), value
    return datetime.fromisoformat(value)


def post_review(client, account, order_id: int, grade: int = 4, **fields):
    body = {"order_id": order_id, "grade": grade, **fields}
    return client.post("/add_lecture_review", json=body, headers=account.headers)


def raw_headers(account, content_type: str | None) -> dict:
    headers = dict(account.headers) if account else {}
    if content_type:
        headers["Content-Type"] = content_type
    return headers


# Fixtures


@pytest.fixture
def customer_profile_id(app, customer) -> int:
    return add_customer_profile(app, customer)


@pytest.fixture
def deal(app, customer_profile_id) -> Deal:
    """A finished order of the `customer` fixture's profile, with no review yet."""
    return add_order(app, customer_id=customer_profile_id)


@pytest.fixture
def review_id(app, deal) -> int:
    """The `customer`'s review of the deal: grade 5, text "Great."."""
    return add_review(app, deal.order_id, grade=5, text="Great.")


@pytest.fixture
def make_caller(app, make_account, customer):
    """Callers by name, made when asked for; None is anonymous, "author" the `customer`."""

    def make(name: str):
        if name == "anonymous":
            return None
        if name == "author":
            return customer
        if name == "admin":
            return make_account("admin")
        if name == "other-customer":
            account = make_account("customer")
            add_customer_profile(app, account)
            return account
        if name == "customer-without-profile":
            return make_account("customer")
        if name == "lecturer":
            account = make_account("lecturer")
            add_lecturer_profile(app, account)
            return account
        if name == "lecturer-without-profile":
            return make_account("lecturer")
        raise AssertionError(name)

    return make


def headers_of(account) -> dict:
    return account.headers if account else {}


# POST /add_lecture_review: what it creates


def test_add_review_answers_201_with_exactly_the_review_keys(client, customer, deal):
    response = post_review(client, customer, deal.order_id)
    assert response.status_code == 201
    assert set(response.json) == REVIEW_KEYS


def test_add_review_takes_lecture_lecturer_and_customer_from_the_order(client, customer, deal):
    review = post_review(client, customer, deal.order_id).json
    taken = (review["order_id"], review["lecture_id"], review["lecturer_id"], review["customer_id"])
    assert taken == (deal.order_id, deal.lecture_id, deal.lecturer_id, deal.customer_id)


def test_add_review_answers_grade_and_text_as_sent(client, customer, deal):
    review = post_review(client, customer, deal.order_id, grade=3, text="  Solid, bit long.  ").json
    assert (review["grade"], review["text"]) == (3, "  Solid, bit long.  ")


def test_add_review_without_text_has_text_null(client, customer, deal):
    review = post_review(client, customer, deal.order_id).json
    assert review["text"] is None


def test_add_review_answers_times_in_utc(client, customer, deal):
    review = post_review(client, customer, deal.order_id).json
    assert [review["created_at"][-6:], review["updated_at"][-6:]] == ["+00:00", "+00:00"]


def test_add_review_stores_what_it_answers(app, client, customer, deal):
    review = post_review(client, customer, deal.order_id, grade=2, text="Meh.").json
    assert client.get(f"/review_of_lecture/{review['id']}").json == review


@pytest.mark.parametrize("grade", [1, 5])
def test_add_review_takes_the_grades_at_the_ends_of_the_range(client, customer, deal, grade):
    response = post_review(client, customer, deal.order_id, grade=grade)
    assert response.status_code == 201
    assert response.json["grade"] == grade


@pytest.mark.parametrize("text", ["x" * 5000, "я" * 5000, "😀" * 5000, ""], ids=[
    "5000-ascii", "5000-cyrillic", "5000-emoji", "empty"
])  # fmt: skip
def test_add_review_takes_text_up_to_5000_code_points(client, customer, deal, text):
    response = post_review(client, customer, deal.order_id, text=text)
    assert response.status_code == 201
    assert response.json["text"] == text


def test_add_review_moves_the_lecture_s_rating(app, client, customer, deal):
    add_review_of_lecture(app, deal.lecture_id, grade=5)
    post_review(client, customer, deal.order_id, grade=2)
    assert totals(client, deal)["lecture"] == (3.5, 2)


def test_add_review_moves_the_lecturer_profile_s_rating(app, client, customer, deal):
    other_lecture_id = add_lecture(app, deal.lecturer_id)
    add_review_of_lecture(app, other_lecture_id, grade=5)
    post_review(client, customer, deal.order_id, grade=4)
    assert totals(client, deal)["lecturer"] == (4.5, 2)


def test_first_review_gives_the_lecture_and_lecturer_a_rating(client, customer, deal):
    post_review(client, customer, deal.order_id, grade=4)
    assert totals(client, deal) == both(4.0, 1)


# POST /add_lecture_review: who may


def test_add_review_anonymous_is_401(app, client, deal):
    response = client.post("/add_lecture_review", json={"order_id": deal.order_id, "grade": 5})
    assert_error(response, 401, "unauthorized")
    assert count_reviews(app) == 0


@pytest.mark.parametrize("role", ["lecturer", "admin"])
def test_add_review_by_another_role_is_403(app, client, make_account, deal, role):
    response = post_review(client, make_account(role), deal.order_id)
    assert_error(response, 403, "forbidden")
    assert count_reviews(app) == 0


def test_add_review_by_the_order_s_lecturer_is_403(app, client, make_account, deal):
    account = make_account("lecturer")
    with app.app_context():
        profile = db.session.get(LecturerProfile, deal.lecturer_id)
        profile.user = db.session.get(User, account.id)
        db.session.commit()
    response = post_review(client, account, deal.order_id)
    assert_error(response, 403, "forbidden")
    assert count_reviews(app) == 0


def test_add_review_by_customer_without_profile_is_403(app, client, make_account, deal):
    """API.md section 1: a caller without the profile an action needs gets 403."""
    response = post_review(client, make_account("customer"), deal.order_id)
    assert_error(response, 403, "forbidden")
    assert count_reviews(app) == 0


@pytest.mark.parametrize("status_code", ["finished", "created"])
def test_add_review_of_another_customer_s_order_is_422_on_order_id(
    app, client, customer, customer_profile_id, status_code
):
    order_id = add_order(app, status_code=status_code).order_id
    response = post_review(client, customer, order_id)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"order_id"}
    assert count_reviews(app) == 0


@pytest.mark.parametrize("order_id", [UNKNOWN_ID, 2**31 - 1])
def test_add_review_of_unknown_order_is_422_on_order_id(
    app, client, customer, customer_profile_id, order_id
):
    response = post_review(client, customer, order_id)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"order_id"}
    assert count_reviews(app) == 0


# POST /add_lecture_review: the rules of the action


@pytest.mark.parametrize("status_code", UNFINISHED)
def test_add_review_of_unfinished_order_is_409(
    app, client, customer, customer_profile_id, status_code
):
    order_id = add_order(app, customer_id=customer_profile_id, status_code=status_code).order_id
    response = post_review(client, customer, order_id)
    assert_error(response, 409, "conflict")
    assert count_reviews(app) == 0


@pytest.mark.parametrize("status_code", UNFINISHED)
def test_add_review_of_unfinished_order_moves_no_rating(
    app, client, customer, customer_profile_id, status_code
):
    deal = add_order(app, customer_id=customer_profile_id, status_code=status_code)
    post_review(client, customer, deal.order_id)
    assert totals(client, deal) == both(None, 0)


def test_second_review_of_the_same_order_is_409(app, client, customer, deal):
    assert post_review(client, customer, deal.order_id, grade=5).status_code == 201
    response = post_review(client, customer, deal.order_id, grade=1)
    assert_error(response, 409, "conflict")
    assert count_reviews(app) == 1


def test_second_review_of_the_same_order_leaves_the_totals(client, customer, deal):
    post_review(client, customer, deal.order_id, grade=5)
    post_review(client, customer, deal.order_id, grade=1)
    assert totals(client, deal) == both(5.0, 1)


def test_customer_may_review_each_of_their_finished_orders(
    app, client, customer, customer_profile_id, deal
):
    second = add_order(app, customer_id=customer_profile_id, lecture_id=deal.lecture_id)
    post_review(client, customer, deal.order_id, grade=5)
    assert post_review(client, customer, second.order_id, grade=2).status_code == 201
    assert totals(client, deal) == both(3.5, 2)


# POST /add_lecture_review: bad bodies


@pytest.mark.parametrize(("changes", "field"), BAD_POST_FIELDS)
def test_add_review_with_a_bad_field_is_422_naming_it(app, client, customer, deal, changes, field):
    body = body_with({"order_id": deal.order_id, "grade": 5, "text": "Fine."}, changes)
    response = client.post("/add_lecture_review", json=body, headers=customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}
    assert count_reviews(app) == 0


@pytest.mark.parametrize(("changes", "field"), BAD_POST_FIELDS)
def test_add_review_with_a_bad_field_moves_no_rating(client, customer, deal, changes, field):
    body = body_with({"order_id": deal.order_id, "grade": 5, "text": "Fine."}, changes)
    client.post("/add_lecture_review", json=body, headers=customer.headers)
    assert totals(client, deal) == both(None, 0)


@pytest.mark.parametrize(
    "raw", ['{"order_id": %d, "grade": 1e400}', '{"order_id": %d, "grade": 5.0}']
)
def test_add_review_with_a_grade_that_is_not_an_integer_is_422(app, client, customer, deal, raw):
    headers = raw_headers(customer, JSON)
    response = client.post("/add_lecture_review", data=raw % deal.order_id, headers=headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"grade"}
    assert count_reviews(app) == 0


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_add_review_with_a_malformed_body_is_refused(
    app, client, customer, deal, data, content_type, status, code
):
    headers = raw_headers(customer, content_type)
    response = client.post("/add_lecture_review", data=data, headers=headers)
    assert_error(response, status, code)
    assert count_reviews(app) == 0


# The order of the checks: 401, then role and profile (403), then the body.
@pytest.mark.parametrize(("caller", "status", "code"), [
    pytest.param("anonymous", 401, "unauthorized", id="anonymous"),
    pytest.param("lecturer", 403, "forbidden", id="lecturer"),
    pytest.param("admin", 403, "forbidden", id="admin"),
    pytest.param("customer-without-profile", 403, "forbidden", id="customer-without-profile"),
])  # fmt: skip
def test_add_review_checks_the_caller_before_the_body(
    app, client, make_caller, deal, caller, status, code
):
    account = make_caller(caller)
    response = client.post(
        "/add_lecture_review", json={"order_id": deal.order_id, "grade": 9, "x": 1},
        headers=headers_of(account),
    )  # fmt: skip
    assert_error(response, status, code)
    assert count_reviews(app) == 0


# GET /review_of_lecture/<id>


@pytest.mark.parametrize("caller", ["anonymous", "author", "other-customer", "lecturer", "admin"])
def test_show_review_is_public(client, make_caller, review_id, caller):
    response = client.get(
        f"/review_of_lecture/{review_id}", headers=headers_of(make_caller(caller))
    )
    assert response.status_code == 200
    assert response.json["id"] == review_id


def test_show_review_answers_exactly_the_review(client, deal, customer_profile_id, review_id):
    review = client.get(f"/review_of_lecture/{review_id}").json
    assert set(review) == REVIEW_KEYS
    assert {key: review[key] for key in REVIEW_KEYS - {"created_at", "updated_at"}} == {
        "id": review_id,
        "order_id": deal.order_id,
        "lecture_id": deal.lecture_id,
        "lecturer_id": deal.lecturer_id,
        "customer_id": customer_profile_id,
        "grade": 5,
        "text": "Great.",
    }


def test_show_unknown_review_is_404(client, review_id):
    assert_error(client.get(f"/review_of_lecture/{UNKNOWN_ID}"), 404, "not_found")


@pytest.mark.parametrize("bad_id", BAD_PATH_IDS)
def test_show_review_with_a_bad_path_id_is_404(client, review_id, bad_id):
    assert_error(client.get(f"/review_of_lecture/{bad_id}"), 404, "not_found")


# PUT /review_of_lecture/<id>


@pytest.mark.parametrize("caller", ["author", "admin"])
def test_update_review_by_author_or_admin_is_200_with_the_review(
    client, make_caller, review_id, caller
):
    response = client.put(
        f"/review_of_lecture/{review_id}", json={"grade": 3, "text": "On second thought."},
        headers=make_caller(caller).headers,
    )  # fmt: skip
    assert response.status_code == 200
    assert set(response.json) == REVIEW_KEYS
    assert (response.json["grade"], response.json["text"]) == (3, "On second thought.")


@pytest.mark.parametrize("caller", ["author", "admin"])
def test_update_review_is_stored(client, make_caller, review_id, caller):
    client.put(
        f"/review_of_lecture/{review_id}", json={"grade": 2, "text": "Changed."},
        headers=make_caller(caller).headers,
    )  # fmt: skip
    review = client.get(f"/review_of_lecture/{review_id}").json
    assert (review["grade"], review["text"]) == (2, "Changed.")


def test_update_review_of_text_only_keeps_the_grade(client, customer, review_id):
    response = client.put(
        f"/review_of_lecture/{review_id}", json={"text": "Reworded."}, headers=customer.headers
    )
    assert (response.json["grade"], response.json["text"]) == (5, "Reworded.")


def test_update_review_of_grade_only_keeps_the_text(client, customer, review_id):
    response = client.put(
        f"/review_of_lecture/{review_id}", json={"grade": 4}, headers=customer.headers
    )
    assert (response.json["grade"], response.json["text"]) == (4, "Great.")


def test_update_review_with_an_empty_body_changes_nothing(app, client, customer, review_id):
    before = stored_review(app, review_id)
    response = client.put(f"/review_of_lecture/{review_id}", json={}, headers=customer.headers)
    assert response.status_code == 200
    assert stored_review(app, review_id) == before


def test_update_review_keeps_order_lecture_lecturer_customer_and_created_at(
    app, client, customer, review_id
):
    before = client.get(f"/review_of_lecture/{review_id}").json
    after = client.put(
        f"/review_of_lecture/{review_id}", json={"grade": 1}, headers=customer.headers
    ).json
    keys = ["id", "order_id", "lecture_id", "lecturer_id", "customer_id", "created_at"]
    assert {key: after[key] for key in keys} == {key: before[key] for key in keys}


def test_update_review_moves_updated_at(client, customer, review_id):
    before = client.get(f"/review_of_lecture/{review_id}").json
    after = client.put(
        f"/review_of_lecture/{review_id}", json={"text": "Later."}, headers=customer.headers
    ).json
    assert parse_time(after["updated_at"]) > parse_time(before["updated_at"])


@pytest.mark.parametrize("caller", ["author", "admin"])
def test_update_review_grade_moves_the_averages_exactly(
    app, client, make_caller, deal, review_id, caller
):
    add_review_of_lecture(app, deal.lecture_id, grade=4)
    assert totals(client, deal) == both(4.5, 2)
    client.put(
        f"/review_of_lecture/{review_id}", json={"grade": 3}, headers=make_caller(caller).headers
    )
    assert totals(client, deal) == both(3.5, 2)


def test_update_review_to_the_same_grade_leaves_the_averages(
    app, client, customer, deal, review_id
):
    add_review_of_lecture(app, deal.lecture_id, grade=2)
    client.put(
        f"/review_of_lecture/{review_id}", json={"grade": 5, "text": "Same."},
        headers=customer.headers,
    )  # fmt: skip
    assert totals(client, deal) == both(3.5, 2)


def test_update_review_text_leaves_the_averages(client, customer, deal, review_id):
    client.put(f"/review_of_lecture/{review_id}", json={"text": "x"}, headers=customer.headers)
    assert totals(client, deal) == both(5.0, 1)


# PUT /review_of_lecture/<id>: who may, in the order of the checks (the body is bad throughout)


@pytest.mark.parametrize(("caller", "target", "status", "code"), [
    pytest.param("anonymous", "review", 401, "unauthorized", id="anonymous"),
    pytest.param("anonymous", "unknown", 401, "unauthorized", id="anonymous-unknown"),
    pytest.param("lecturer", "review", 403, "forbidden", id="lecturer"),
    pytest.param("lecturer-without-profile", "review", 403, "forbidden",
                 id="lecturer-without-profile"),
    pytest.param("lecturer", "unknown", 403, "forbidden", id="lecturer-unknown"),
    pytest.param("other-customer", "review", 403, "forbidden", id="other-customer"),
    pytest.param("customer-without-profile", "review", 403, "forbidden",
                 id="customer-without-profile"),
    pytest.param("author", "unknown", 404, "not_found", id="author-unknown"),
    pytest.param("admin", "unknown", 404, "not_found", id="admin-unknown"),
])  # fmt: skip
@pytest.mark.parametrize("body", [{"grade": 1}, {"grade": 0, "x": 1}], ids=["good", "bad"])
def test_update_review_refused(
    app, client, make_caller, review_id, caller, target, status, code, body
):
    before = stored_review(app, review_id)
    path_id = review_id if target == "review" else UNKNOWN_ID
    response = client.put(
        f"/review_of_lecture/{path_id}", json=body, headers=headers_of(make_caller(caller))
    )
    assert_error(response, status, code)
    assert stored_review(app, review_id) == before


@pytest.mark.parametrize("caller", ["lecturer", "other-customer"])
def test_update_review_refused_moves_no_rating(client, make_caller, deal, review_id, caller):
    client.put(
        f"/review_of_lecture/{review_id}", json={"grade": 1}, headers=make_caller(caller).headers
    )
    assert totals(client, deal) == both(5.0, 1)


@pytest.mark.parametrize("bad_id", BAD_PATH_IDS)
def test_update_review_with_a_bad_path_id_is_404(client, customer, review_id, bad_id):
    response = client.put(
        f"/review_of_lecture/{bad_id}", json={"grade": 1}, headers=customer.headers
    )
    assert_error(response, 404, "not_found")


# PUT /review_of_lecture/<id>: bad bodies


@pytest.mark.parametrize(("changes", "field"), BAD_PUT_FIELDS)
def test_update_review_with_a_bad_field_is_422_naming_it(
    app, client, customer, review_id, changes, field
):
    before = stored_review(app, review_id)
    response = client.put(f"/review_of_lecture/{review_id}", json=changes, headers=customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}
    assert stored_review(app, review_id) == before


@pytest.mark.parametrize(("changes", "field"), BAD_PUT_FIELDS)
def test_update_review_with_a_bad_field_moves_no_rating(
    client, customer, deal, review_id, changes, field
):
    client.put(f"/review_of_lecture/{review_id}", json=changes, headers=customer.headers)
    assert totals(client, deal) == both(5.0, 1)


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_update_review_with_a_malformed_body_is_refused(
    app, client, customer, review_id, data, content_type, status, code
):
    before = stored_review(app, review_id)
    headers = raw_headers(customer, content_type)
    response = client.put(f"/review_of_lecture/{review_id}", data=data, headers=headers)
    assert_error(response, status, code)
    assert stored_review(app, review_id) == before


# DELETE /review_of_lecture/<id>


@pytest.mark.parametrize("caller", ["author", "admin"])
def test_delete_review_by_author_or_admin_is_204_without_body(
    client, make_caller, review_id, caller
):
    response = client.delete(f"/review_of_lecture/{review_id}", headers=make_caller(caller).headers)
    assert response.status_code == 204
    assert response.get_data() == b""


@pytest.mark.parametrize("caller", ["author", "admin"])
def test_deleted_review_is_gone(app, client, make_caller, review_id, caller):
    client.delete(f"/review_of_lecture/{review_id}", headers=make_caller(caller).headers)
    assert_error(client.get(f"/review_of_lecture/{review_id}"), 404, "not_found")
    assert count_reviews(app) == 0


@pytest.mark.parametrize("caller", ["author", "admin"])
def test_delete_only_review_leaves_no_rating(client, make_caller, deal, review_id, caller):
    client.delete(f"/review_of_lecture/{review_id}", headers=make_caller(caller).headers)
    assert totals(client, deal) == both(None, 0)


def test_delete_review_takes_its_grade_out_of_the_averages(app, client, customer, deal, review_id):
    add_review_of_lecture(app, deal.lecture_id, grade=2)
    add_review_of_lecture(app, deal.lecture_id, grade=3)
    client.delete(f"/review_of_lecture/{review_id}", headers=customer.headers)
    assert totals(client, deal) == both(2.5, 2)


def test_delete_review_leaves_other_lectures_of_the_lecturer(
    app, client, customer, deal, review_id
):
    other_lecture_id = add_lecture(app, deal.lecturer_id)
    add_review_of_lecture(app, other_lecture_id, grade=1)
    client.delete(f"/review_of_lecture/{review_id}", headers=customer.headers)
    assert totals(client, deal) == {"lecture": (None, 0), "lecturer": (1.0, 1)}


def test_delete_review_leaves_its_order(app, client, customer, deal, review_id):
    client.delete(f"/review_of_lecture/{review_id}", headers=customer.headers)
    with app.app_context():
        assert db.session.get(Order, deal.order_id) is not None


def test_order_may_be_reviewed_again_after_its_review_is_deleted(client, customer, deal, review_id):
    client.delete(f"/review_of_lecture/{review_id}", headers=customer.headers)
    response = post_review(client, customer, deal.order_id, grade=2)
    assert response.status_code == 201
    assert totals(client, deal) == both(2.0, 1)


def test_delete_review_twice_is_404(client, customer, review_id):
    client.delete(f"/review_of_lecture/{review_id}", headers=customer.headers)
    response = client.delete(f"/review_of_lecture/{review_id}", headers=customer.headers)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(("caller", "target", "status", "code"), [
    pytest.param("anonymous", "review", 401, "unauthorized", id="anonymous"),
    pytest.param("anonymous", "unknown", 401, "unauthorized", id="anonymous-unknown"),
    pytest.param("lecturer", "review", 403, "forbidden", id="lecturer"),
    pytest.param("lecturer", "unknown", 403, "forbidden", id="lecturer-unknown"),
    pytest.param("other-customer", "review", 403, "forbidden", id="other-customer"),
    pytest.param("customer-without-profile", "review", 403, "forbidden",
                 id="customer-without-profile"),
    pytest.param("author", "unknown", 404, "not_found", id="author-unknown"),
    pytest.param("admin", "unknown", 404, "not_found", id="admin-unknown"),
])  # fmt: skip
def test_delete_review_refused(app, client, make_caller, review_id, caller, target, status, code):
    path_id = review_id if target == "review" else UNKNOWN_ID
    response = client.delete(
        f"/review_of_lecture/{path_id}", headers=headers_of(make_caller(caller))
    )
    assert_error(response, status, code)
    assert stored_review(app, review_id) is not None


@pytest.mark.parametrize("caller", ["lecturer", "other-customer"])
def test_delete_review_refused_moves_no_rating(client, make_caller, deal, review_id, caller):
    client.delete(f"/review_of_lecture/{review_id}", headers=make_caller(caller).headers)
    assert totals(client, deal) == both(5.0, 1)


@pytest.mark.parametrize("bad_id", BAD_PATH_IDS)
def test_delete_review_with_a_bad_path_id_is_404(client, customer, review_id, bad_id):
    response = client.delete(f"/review_of_lecture/{bad_id}", headers=customer.headers)
    assert_error(response, 404, "not_found")


# /openapi.json


@pytest.mark.parametrize(("path", "method", "codes", "secured"), [
    ("/add_lecture_review", "post", {"201", "401", "403", "409", "422"}, True),
    ("/review_of_lecture/{review_id}", "get", {"200", "404"}, False),
    ("/review_of_lecture/{review_id}", "put", {"200", "401", "403", "404", "422"}, True),
    ("/review_of_lecture/{review_id}", "delete", {"204", "401", "403", "404"}, True),
    ("/reviews", "get", {"200", "400"}, False),
])  # fmt: skip
def test_review_endpoints_are_documented(client, path, method, codes, secured):
    operation = client.get("/openapi.json").json["paths"][path][method]
    assert codes <= set(operation["responses"])
    assert bool(operation.get("security")) is secured
