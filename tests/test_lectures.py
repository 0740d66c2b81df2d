"""Section 5: POST /create_lectures, and GET, PUT and DELETE /lecture/<id>.

GET /lectures, the catalogue: test_catalogue.py."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.lectures.schemas import LectureOut
from app.models import Lecture, LectureReview, LecturerProfile, Order
from tests.factories import LectureFactory, LecturerProfileFactory, OrderFactory, ReviewFactory
from tests.helpers import JSON, MALFORMED_BODIES, assert_error

LECTURE_KEYS = {
    "id",
    "title",
    "description",
    "duration_minutes",
    "price",
    "lecturer",
    "avg_rating",
    "reviews_count",
    "archived",
    "created_at",
    "updated_at",
}
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)

# Bodies that POST /create_lectures and PUT /lecture/<id> both refuse: (body, field).
BAD_FIELDS = [
    pytest.param({"title": ""}, "title", id="title-empty"),
    pytest.param({"title": "x" * 201}, "title", id="title-201"),
    pytest.param({"title": "я" * 201}, "title", id="title-201-cyrillic"),
    pytest.param({"title": 42}, "title", id="title-number"),
    pytest.param({"title": ["x"]}, "title", id="title-list"),
    pytest.param({"title": None}, "title", id="title-null"),
    pytest.param({"title": "Ti\x00tle"}, "title", id="title-nul"),
    pytest.param({"title": "Ti\ud800tle"}, "title", id="title-lone-surrogate"),
    pytest.param({"title": "x", "description": "d" * 10001}, "description", id="description-10001"),
    pytest.param({"title": "x", "description": "a\x00b"}, "description", id="description-nul"),
    pytest.param({"title": "x", "description": 5}, "description", id="description-number"),
    pytest.param({"title": "x", "duration_minutes": 14}, "duration_minutes", id="duration-14"),
    pytest.param({"title": "x", "duration_minutes": 1441}, "duration_minutes", id="duration-1441"),
    pytest.param({"title": "x", "duration_minutes": "60"}, "duration_minutes", id="duration-str"),
    pytest.param({"title": "x", "duration_minutes": 60.5}, "duration_minutes", id="duration-float"),
    pytest.param({"title": "x", "duration_minutes": True}, "duration_minutes", id="duration-bool"),
    pytest.param({"title": "x", "duration_minutes": -60}, "duration_minutes", id="duration-neg"),
    pytest.param({"title": "x", "price": -1}, "price", id="price-negative"),
    pytest.param({"title": "x", "price": -0.01}, "price", id="price-minus-cent"),
    pytest.param({"title": "x", "price": 10.999}, "price", id="price-3-decimals"),
    pytest.param({"title": "x", "price": 0.001}, "price", id="price-tenth-cent"),
    pytest.param({"title": "x", "price": "10"}, "price", id="price-str"),
    pytest.param({"title": "x", "price": True}, "price", id="price-bool"),
    pytest.param({"title": "x", "price": [10]}, "price", id="price-list"),
    pytest.param({"title": "x", "price": 1e30}, "price", id="price-1e30"),
    pytest.param({"title": "x", "lecturer_id": 1}, "lecturer_id", id="unknown-lecturer_id"),
    pytest.param({"title": "x", "archived": True}, "archived", id="unknown-archived"),
    pytest.param({"title": "x", "avg_rating": 5}, "avg_rating", id="unknown-avg_rating"),
    pytest.param({"title": "x", "reviews_count": 9}, "reviews_count", id="unknown-reviews_count"),
    pytest.param({"title": "x", "id": 7}, "id", id="unknown-id"),
    pytest.param({"title": "x", "created_at": "2026-01-01T00:00:00+00:00"}, "created_at",
                 id="unknown-created_at"),
]  # fmt: skip

# Raw JSON texts that are valid JSON but hold a number no field can take: (text, field).
RAW_BAD_FIELDS = [
    pytest.param('{"title": "x", "price": 1e400}', "price", id="price-1e400"),
    pytest.param('{"title": "x", "price": -1e400}', "price", id="price-minus-1e400"),
    pytest.param('{"title": "x", "duration_minutes": 1e400}', "duration_minutes",
                 id="duration-1e400"),
    # More decimals than a float keeps: read as written, not as the float nearest to it.
    pytest.param('{"title": "x", "price": 19.999999999999999999}', "price",
                 id="price-20-decimals-near-20"),
    pytest.param('{"title": "x", "price": 0.1000000000000000001}', "price",
                 id="price-19-decimals-near-0.1"),
    pytest.param('{"title": "x", "price": 1e-999}', "price", id="price-1e-999"),
    pytest.param('{"title": "x", "duration_minutes": 60.0000000000000001}', "duration_minutes",
                 id="duration-near-60"),
]  # fmt: skip

BAD_PATH_IDS = ["abc", "0", "-1", "99999999999", "2147483648", "1.5", "01", "1e3", "%20"]


# Helpers


def create_profile(client, account, first_name: str = "Ada", last_name: str = "Lovelace") -> int:
    """Give a lecturer account its profile through the real endpoint; returns its id."""
    response = client.post(
        "/create_lecture_profile",
        json={
            "first_name": first_name,
            "last_name": last_name,
            "contact_info": {"email": f"{account.username}@example.org"},
        },
        headers=account.headers,
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def add_lecture(app, profile_id: int | None = None, *, orders: int = 0, **fields) -> int:
    """A lecture (of that profile, or of a new lecturer) with some orders; returns its id."""
    with app.app_context():
        if profile_id is not None:
            fields["lecturer"] = db.session.get(LecturerProfile, profile_id)
        lecture = LectureFactory(**fields)
        for _ in range(orders):
            OrderFactory(lecture=lecture)
        db.session.commit()
        return lecture.id


def rate(lecture: Lecture, *grades: int) -> None:
    """Review finished orders of the lecture with these grades (inside an app context)."""
    for grade in grades:
        ReviewFactory(order__lecture=lecture, grade=grade)


def stored_lecture(app, lecture_id: int) -> dict | None:
    """The lecture's row as the database holds it, or None."""
    with app.app_context():
        query = select(Lecture.__table__).where(Lecture.id == lecture_id)
        row = db.session.execute(query).mappings().first()
        return dict(row) if row else None


def count_lectures(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Lecture))


def is_utc_iso(value: str) -> bool:
    return value.endswith("+00:00") and datetime.fromisoformat(value).utcoffset() == timedelta(0)


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.json["items"]]


# Fixtures


@pytest.fixture
def profile_id(client, lecturer) -> int:
    """The `lecturer` fixture's own lecturer profile."""
    return create_profile(client, lecturer)


@pytest.fixture
def lecture_id(app, profile_id) -> int:
    """A lecture of the `lecturer` fixture, with every field set and an old updated_at."""
    return add_lecture(
        app,
        profile_id,
        title="Original title",
        description="Original description.",
        duration_minutes=90,
        price_cents=250050,
        updated_at=LONG_AGO,
    )


@pytest.fixture
def archived_id(app, profile_id) -> int:
    """An archived lecture of the `lecturer` fixture, which has an order."""
    return add_lecture(app, profile_id, title="Archived title", archived=True, orders=1)


@pytest.fixture
def other_lecturer(client, make_account):
    """A lecturer with a profile of their own."""
    account = make_account("lecturer")
    create_profile(client, account, "Other", "Lecturer")
    return account


@pytest.fixture(params=["other-lecturer", "lecturer-without-profile", "customer"])
def outsider(request, client, make_account):
    """Someone logged in who may not change the `lecturer` fixture's lectures."""
    if request.param == "other-lecturer":
        return request.getfixturevalue("other_lecturer")
    return make_account("customer" if request.param == "customer" else "lecturer")


# POST /create_lectures: success


def test_lecturer_creates_lecture(app, client, lecturer, profile_id):
    body = {"title": "Rust", "description": "Ownership.", "duration_minutes": 90, "price": 19.99}
    response = client.post("/create_lectures", json=body, headers=lecturer.headers)
    assert response.status_code == 201
    assert set(response.json) == LECTURE_KEYS
    assert isinstance(response.json["id"], int) and response.json["id"] > 0
    assert response.json["title"] == "Rust"
    assert response.json["description"] == "Ownership."
    assert response.json["duration_minutes"] == 90
    assert response.json["price"] == 19.99
    assert response.json["lecturer"] == {
        "id": profile_id,
        "first_name": "Ada",
        "last_name": "Lovelace",
    }
    assert stored_lecture(app, response.json["id"])["lecturer_id"] == profile_id


def test_new_lecture_has_no_rating_and_is_not_archived(client, lecturer, profile_id):
    response = client.post("/create_lectures", json={"title": "Rust"}, headers=lecturer.headers)
    assert response.status_code == 201
    assert response.json["avg_rating"] is None
    assert response.json["reviews_count"] == 0
    assert response.json["archived"] is False


def test_new_lecture_times_are_utc_iso(client, lecturer, profile_id):
    response = client.post("/create_lectures", json={"title": "Rust"}, headers=lecturer.headers)
    assert response.status_code == 201
    assert is_utc_iso(response.json["created_at"])
    assert is_utc_iso(response.json["updated_at"])


def test_created_lecture_is_what_get_returns(client, lecturer, profile_id):
    body = {"title": "Rust", "description": "Ownership.", "duration_minutes": 90, "price": 19.99}
    created = client.post("/create_lectures", json=body, headers=lecturer.headers)
    assert created.status_code == 201
    assert client.get(f"/lecture/{created.json['id']}").json == created.json


def test_optional_fields_left_out_are_null(app, client, lecturer, profile_id):
    response = client.post("/create_lectures", json={"title": "Rust"}, headers=lecturer.headers)
    assert response.status_code == 201
    assert response.json["description"] is None
    assert response.json["duration_minutes"] is None
    assert response.json["price"] is None
    assert stored_lecture(app, response.json["id"])["price_cents"] is None


@pytest.mark.parametrize(
    ("price", "cents"),
    [(19.99, 1999), (0, 0), (0.01, 1), (0.1, 10), (10, 1000), (1500.5, 150050)],
)
def test_price_is_a_json_number_kept_to_the_cent(app, client, lecturer, profile_id, price, cents):
    response = client.post(
        "/create_lectures", json={"title": "Rust", "price": price}, headers=lecturer.headers
    )
    assert response.status_code == 201
    assert type(response.json["price"]) in (int, float)
    assert response.json["price"] == price
    assert stored_lecture(app, response.json["id"])["price_cents"] == cents


@pytest.mark.parametrize(
    "body",
    [
        {"title": "я" * 200},
        {"title": "x" * 200},
        {"title": "🎤" * 200},
        {"title": "x"},
        {"title": "  spaced out  "},
        {"title": "x", "description": "d" * 10000},
        {"title": "x", "description": ""},
        {"title": "x", "description": None},
        {"title": "x", "duration_minutes": 15},
        {"title": "x", "duration_minutes": 1440},
        {"title": "x", "duration_minutes": None},
        {"title": "x", "price": None},
    ],
    ids=[
        "title-200-cyrillic",
        "title-200",
        "title-200-emoji",
        "title-1",
        "title-spaces",
        "description-10000",
        "description-empty",
        "description-null",
        "duration-15",
        "duration-1440",
        "duration-null",
        "price-null",
    ],
)
def test_values_at_the_limits_are_stored_as_sent(app, client, lecturer, profile_id, body):
    response = client.post("/create_lectures", json=body, headers=lecturer.headers)
    assert response.status_code == 201, response.json
    for field, value in body.items():
        assert response.json[field] == value
    row = stored_lecture(app, response.json["id"])
    for field, value in body.items():
        if field != "price":
            assert row[field] == value


# POST /create_lectures: who may


def test_anonymous_may_not_create_lecture(app, client):
    assert_error(client.post("/create_lectures", json={"title": "Rust"}), 401, "unauthorized")
    assert count_lectures(app) == 0


@pytest.mark.parametrize("role", ["customer", "admin"])
def test_other_roles_may_not_create_lecture(app, client, make_account, role):
    account = make_account(role)
    response = client.post("/create_lectures", json={"title": "Rust"}, headers=account.headers)
    error = assert_error(response, 403, "forbidden")
    assert "lecturer" in error["message"].lower()
    assert count_lectures(app) == 0


def test_lecturer_without_profile_is_told_to_create_it(app, client, lecturer):
    response = client.post("/create_lectures", json={"title": "Rust"}, headers=lecturer.headers)
    error = assert_error(response, 403, "forbidden")
    assert "create" in error["message"].lower()
    assert "profile" in error["message"].lower()
    assert count_lectures(app) == 0


def test_lecturer_without_profile_gets_403_before_body_is_judged(app, client, lecturer):
    # API.md 1: role and profile (403) are checked before the rules of the body (422).
    response = client.post("/create_lectures", json={"title": 42}, headers=lecturer.headers)
    assert_error(response, 403, "forbidden")
    assert count_lectures(app) == 0


@pytest.mark.parametrize("role", ["customer", "admin"])
def test_other_roles_get_403_before_body_is_judged(app, client, make_account, role):
    account = make_account(role)
    response = client.post("/create_lectures", json={"title": 42}, headers=account.headers)
    assert_error(response, 403, "forbidden")


def test_anonymous_gets_401_before_body_is_judged(client):
    assert_error(client.post("/create_lectures", json={"title": 42}), 401, "unauthorized")


# POST /create_lectures: bad bodies


@pytest.mark.parametrize(("body", "field"), [*BAD_FIELDS, ({}, "title"), ({"price": 5}, "title")])
def test_bad_body_is_422_naming_the_field(app, client, lecturer, profile_id, body, field):
    response = client.post("/create_lectures", json=body, headers=lecturer.headers)
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"]
    assert count_lectures(app) == 0


@pytest.mark.parametrize(("text", "field"), RAW_BAD_FIELDS)
def test_number_a_double_cannot_hold_is_422(app, client, lecturer, profile_id, text, field):
    response = client.post(
        "/create_lectures", data=text, content_type=JSON, headers=lecturer.headers
    )
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"]
    assert count_lectures(app) == 0


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_malformed_body_is_refused(
    app, client, lecturer, profile_id, data, content_type, status, code
):
    headers = dict(lecturer.headers)
    if content_type:
        headers["Content-Type"] = content_type
    response = client.post("/create_lectures", data=data, headers=headers)
    assert_error(response, status, code)
    assert count_lectures(app) == 0


# GET /lecture/<id>


def test_anyone_sees_a_lecture(app, client):
    with app.app_context():
        lecturer = LecturerProfileFactory(first_name="Grace", last_name="Hopper")
        lecture = LectureFactory(
            lecturer=lecturer,
            title="COBOL",
            description="Business.",
            duration_minutes=45,
            price_cents=999,
        )
        db.session.commit()
        lecture_id, profile_id = lecture.id, lecturer.id
    response = client.get(f"/lecture/{lecture_id}")
    assert response.status_code == 200
    assert set(response.json) == LECTURE_KEYS
    assert response.json["id"] == lecture_id
    assert response.json["title"] == "COBOL"
    assert response.json["description"] == "Business."
    assert response.json["duration_minutes"] == 45
    assert response.json["price"] == 9.99
    assert response.json["lecturer"] == {
        "id": profile_id,
        "first_name": "Grace",
        "last_name": "Hopper",
    }
    assert response.json["archived"] is False


def test_answer_gives_fields_in_the_order_of_its_schema(client, archived_id):
    """id first, as LectureOut declares them, not sorted by name."""
    response = client.get(f"/lecture/{archived_id}")
    assert list(response.json) == [
        field.data_key or name for name, field in LectureOut().dump_fields.items()
    ]
    assert list(response.json["lecturer"]) == ["id", "first_name", "last_name"]


@pytest.mark.parametrize(("price_cents", "price"), [(250050, 2500.5), (1, 0.01), (None, None)])
def test_a_lecture_stored_in_cents_answers_its_price(client, app, price_cents, price):
    lecture_id = add_lecture(app, price_cents=price_cents, description=None)
    answer = client.get(f"/lecture/{lecture_id}").json
    assert (answer["price"], answer["description"]) == (price, None)


def test_archived_lecture_is_still_shown(client, archived_id):
    response = client.get(f"/lecture/{archived_id}")
    assert response.status_code == 200
    assert response.json["id"] == archived_id
    assert response.json["archived"] is True


def test_lecture_shows_its_rating_from_reviews(app, client):
    with app.app_context():
        lecture = LectureFactory()
        rate(lecture, 4, 5)
        db.session.commit()
        lecture_id = lecture.id
    response = client.get(f"/lecture/{lecture_id}")
    assert response.status_code == 200
    assert response.json["avg_rating"] == 4.5
    assert response.json["reviews_count"] == 2


def test_lecture_without_reviews_has_null_rating(app, client):
    lecture_id = add_lecture(app, orders=1)
    response = client.get(f"/lecture/{lecture_id}")
    assert response.status_code == 200
    assert response.json["avg_rating"] is None
    assert response.json["reviews_count"] == 0


def test_unknown_lecture_is_404(client, lecture_id):
    assert_error(client.get(f"/lecture/{lecture_id + 1000}"), 404, "not_found")


@pytest.mark.parametrize("path_id", BAD_PATH_IDS)
def test_bad_path_id_is_404_json(client, path_id):
    assert_error(client.get(f"/lecture/{path_id}"), 404, "not_found")


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("path_id", BAD_PATH_IDS)
def test_bad_path_id_is_404_json_for_changes(client, admin, method, path_id):
    response = getattr(client, method)(
        f"/lecture/{path_id}", json={"title": "x"}, headers=admin.headers
    )
    assert_error(response, 404, "not_found")


# PUT /lecture/<id>: what changes


def test_put_changes_only_the_fields_sent(app, client, lecturer, lecture_id):
    response = client.put(
        f"/lecture/{lecture_id}", json={"title": "New title"}, headers=lecturer.headers
    )
    assert response.status_code == 200
    assert set(response.json) == LECTURE_KEYS
    assert response.json["title"] == "New title"
    assert response.json["description"] == "Original description."
    assert response.json["duration_minutes"] == 90
    assert response.json["price"] == 2500.5
    row = stored_lecture(app, lecture_id)
    assert (row["title"], row["description"], row["duration_minutes"], row["price_cents"]) == (
        "New title",
        "Original description.",
        90,
        250050,
    )


def test_put_of_every_field(app, client, lecturer, lecture_id):
    body = {"title": "T", "description": "D", "duration_minutes": 15, "price": 0}
    response = client.put(f"/lecture/{lecture_id}", json=body, headers=lecturer.headers)
    assert response.status_code == 200
    assert {field: response.json[field] for field in body} == body
    assert stored_lecture(app, lecture_id)["price_cents"] == 0


@pytest.mark.parametrize(
    ("field", "column"),
    [("description", "description"), ("duration_minutes", "duration_minutes"),
     ("price", "price_cents")],
)  # fmt: skip
def test_put_null_clears_an_optional_field(app, client, lecturer, lecture_id, field, column):
    response = client.put(f"/lecture/{lecture_id}", json={field: None}, headers=lecturer.headers)
    assert response.status_code == 200
    assert response.json[field] is None
    assert response.json["title"] == "Original title"
    assert stored_lecture(app, lecture_id)[column] is None


def test_put_moves_updated_at_but_not_created_at(app, client, lecturer, lecture_id):
    created_at = stored_lecture(app, lecture_id)["created_at"]
    response = client.put(f"/lecture/{lecture_id}", json={"title": "New"}, headers=lecturer.headers)
    assert response.status_code == 200
    assert datetime.fromisoformat(response.json["updated_at"]) > LONG_AGO
    assert is_utc_iso(response.json["updated_at"])
    assert datetime.fromisoformat(response.json["created_at"]) == created_at
    assert stored_lecture(app, lecture_id)["updated_at"] > LONG_AGO


@pytest.mark.parametrize("body", [{"json": {}}, {}], ids=["empty object", "no body"])
def test_put_of_empty_body_changes_nothing(app, client, lecturer, lecture_id, body):
    before = stored_lecture(app, lecture_id)
    response = client.put(f"/lecture/{lecture_id}", headers=lecturer.headers, **body)
    assert response.status_code == 200
    assert response.json["title"] == "Original title"
    assert stored_lecture(app, lecture_id) == before


def test_put_keeps_rating(app, client, lecturer, profile_id):
    with app.app_context():
        lecture = LectureFactory(lecturer=db.session.get(LecturerProfile, profile_id))
        rate(lecture, 3, 4)
        db.session.commit()
        lecture_id = lecture.id
    response = client.put(f"/lecture/{lecture_id}", json={"title": "New"}, headers=lecturer.headers)
    assert response.status_code == 200
    assert (response.json["avg_rating"], response.json["reviews_count"]) == (3.5, 2)


# PUT /lecture/<id>: who may


def test_admin_may_update_any_lecture(app, client, admin, lecture_id):
    response = client.put(
        f"/lecture/{lecture_id}", json={"title": "By admin"}, headers=admin.headers
    )
    assert response.status_code == 200
    assert response.json["title"] == "By admin"
    assert stored_lecture(app, lecture_id)["title"] == "By admin"


def test_others_may_not_update_lecture(app, client, outsider, lecture_id):
    before = stored_lecture(app, lecture_id)
    response = client.put(
        f"/lecture/{lecture_id}", json={"title": "Hijacked"}, headers=outsider.headers
    )
    assert_error(response, 403, "forbidden")
    assert stored_lecture(app, lecture_id) == before


def test_anonymous_may_not_update_lecture(app, client, lecture_id):
    before = stored_lecture(app, lecture_id)
    assert_error(client.put(f"/lecture/{lecture_id}", json={"title": "x"}), 401, "unauthorized")
    assert stored_lecture(app, lecture_id) == before


def test_update_of_unknown_lecture_is_404(client, lecturer, lecture_id):
    response = client.put(
        f"/lecture/{lecture_id + 1000}", json={"title": "x"}, headers=lecturer.headers
    )
    assert_error(response, 404, "not_found")


def test_anonymous_update_of_unknown_lecture_is_401(client):
    assert_error(client.put("/lecture/12345", json={"title": "x"}), 401, "unauthorized")


def test_customer_update_of_unknown_lecture_is_403(client, customer):
    # API.md 1: the caller's role (403) is checked before what they may see (404).
    response = client.put("/lecture/12345", json={"title": "x"}, headers=customer.headers)
    assert_error(response, 403, "forbidden")


def test_update_of_archived_lecture_is_409(app, client, lecturer, archived_id):
    before = stored_lecture(app, archived_id)
    response = client.put(
        f"/lecture/{archived_id}", json={"title": "New"}, headers=lecturer.headers
    )
    assert_error(response, 409, "conflict")
    assert stored_lecture(app, archived_id) == before


def test_admin_update_of_archived_lecture_is_409(app, client, admin, archived_id):
    before = stored_lecture(app, archived_id)
    response = client.put(f"/lecture/{archived_id}", json={"title": "New"}, headers=admin.headers)
    assert_error(response, 409, "conflict")
    assert stored_lecture(app, archived_id) == before


def test_other_lecturer_update_of_archived_lecture_is_403(client, other_lecturer, archived_id):
    # 403 (may not change it at all) comes before 409 (the rules of the action).
    response = client.put(
        f"/lecture/{archived_id}", json={"title": "New"}, headers=other_lecturer.headers
    )
    assert_error(response, 403, "forbidden")


# PUT /lecture/<id>: bad bodies


@pytest.mark.parametrize(("body", "field"), BAD_FIELDS)
def test_put_of_bad_body_is_422_naming_the_field(app, client, lecturer, lecture_id, body, field):
    before = stored_lecture(app, lecture_id)
    response = client.put(f"/lecture/{lecture_id}", json=body, headers=lecturer.headers)
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"]
    assert stored_lecture(app, lecture_id) == before


@pytest.mark.parametrize(("text", "field"), RAW_BAD_FIELDS)
def test_put_of_number_a_double_cannot_hold_is_422(app, client, lecturer, lecture_id, text, field):
    before = stored_lecture(app, lecture_id)
    response = client.put(
        f"/lecture/{lecture_id}", data=text, content_type=JSON, headers=lecturer.headers
    )
    error = assert_error(response, 422, "validation_error")
    assert field in error["fields"]
    assert stored_lecture(app, lecture_id) == before


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_put_of_malformed_body_is_refused(
    app, client, lecturer, lecture_id, data, content_type, status, code
):
    before = stored_lecture(app, lecture_id)
    headers = dict(lecturer.headers)
    if content_type:
        headers["Content-Type"] = content_type
    response = client.put(f"/lecture/{lecture_id}", data=data, headers=headers)
    assert_error(response, status, code)
    assert stored_lecture(app, lecture_id) == before


def test_other_lecturer_gets_403_before_body_is_judged(app, client, other_lecturer, lecture_id):
    response = client.put(
        f"/lecture/{lecture_id}", json={"title": 42}, headers=other_lecturer.headers
    )
    assert_error(response, 403, "forbidden")


def test_customer_gets_403_before_body_is_judged(client, customer, lecture_id):
    response = client.put(f"/lecture/{lecture_id}", json={"title": 42}, headers=customer.headers)
    assert_error(response, 403, "forbidden")


def test_unknown_lecture_gets_404_before_body_is_judged(client, lecturer, lecture_id):
    response = client.put(
        f"/lecture/{lecture_id + 1000}", json={"title": 42}, headers=lecturer.headers
    )
    assert_error(response, 404, "not_found")


# DELETE /lecture/<id>


def test_delete_answers_204_with_no_body(client, lecturer, lecture_id):
    response = client.delete(f"/lecture/{lecture_id}", headers=lecturer.headers)
    assert response.status_code == 204
    assert response.data == b""


def test_deleted_lecture_without_orders_is_gone(app, client, lecturer, lecture_id):
    assert client.delete(f"/lecture/{lecture_id}", headers=lecturer.headers).status_code == 204
    assert_error(client.get(f"/lecture/{lecture_id}"), 404, "not_found")
    assert stored_lecture(app, lecture_id) is None


def test_deleted_lecture_with_an_order_is_archived(app, client, lecturer, profile_id):
    lecture_id = add_lecture(app, profile_id, orders=1)
    response = client.delete(f"/lecture/{lecture_id}", headers=lecturer.headers)
    assert response.status_code == 204
    assert response.data == b""
    shown = client.get(f"/lecture/{lecture_id}")
    assert shown.status_code == 200
    assert shown.json["archived"] is True
    assert stored_lecture(app, lecture_id)["archived"] is True


def test_archived_lecture_leaves_the_catalogue(app, client, lecturer, profile_id):
    kept = add_lecture(app, profile_id, title="Kept")
    lecture_id = add_lecture(app, profile_id, title="Ordered", orders=1)
    assert client.delete(f"/lecture/{lecture_id}", headers=lecturer.headers).status_code == 204
    response = client.get("/lectures")
    assert ids_of(response) == [kept]
    assert response.json["total"] == 1


def test_archived_lecture_keeps_its_orders_and_reviews(app, client, lecturer, profile_id):
    with app.app_context():
        lecture = LectureFactory(lecturer=db.session.get(LecturerProfile, profile_id))
        OrderFactory(lecture=lecture)
        rate(lecture, 5, 4)
        db.session.commit()
        lecture_id = lecture.id
    assert client.delete(f"/lecture/{lecture_id}", headers=lecturer.headers).status_code == 204
    with app.app_context():
        orders = db.session.scalar(
            select(func.count()).select_from(Order).where(Order.lecture_id == lecture_id)
        )
        reviews = db.session.scalar(
            select(func.count())
            .select_from(LectureReview)
            .where(LectureReview.lecture_id == lecture_id)
        )
    assert (orders, reviews) == (3, 2)
    shown = client.get(f"/lecture/{lecture_id}").json
    assert (shown["avg_rating"], shown["reviews_count"]) == (4.5, 2)


def test_lecture_archived_by_delete_refuses_put(app, client, lecturer, profile_id):
    lecture_id = add_lecture(app, profile_id, title="Before", orders=1)
    assert client.delete(f"/lecture/{lecture_id}", headers=lecturer.headers).status_code == 204
    response = client.put(
        f"/lecture/{lecture_id}", json={"title": "After"}, headers=lecturer.headers
    )
    assert_error(response, 409, "conflict")
    assert stored_lecture(app, lecture_id)["title"] == "Before"


def test_admin_may_delete_any_lecture(app, client, admin, lecture_id):
    response = client.delete(f"/lecture/{lecture_id}", headers=admin.headers)
    assert response.status_code == 204
    assert response.data == b""
    assert stored_lecture(app, lecture_id) is None


def test_others_may_not_delete_lecture(app, client, outsider, lecture_id):
    before = stored_lecture(app, lecture_id)
    assert_error(
        client.delete(f"/lecture/{lecture_id}", headers=outsider.headers), 403, "forbidden"
    )
    assert stored_lecture(app, lecture_id) == before


def test_others_may_not_archive_lecture(app, client, other_lecturer, profile_id):
    lecture_id = add_lecture(app, profile_id, orders=1)
    response = client.delete(f"/lecture/{lecture_id}", headers=other_lecturer.headers)
    assert_error(response, 403, "forbidden")
    assert stored_lecture(app, lecture_id)["archived"] is False


def test_anonymous_may_not_delete_lecture(app, client, lecture_id):
    assert_error(client.delete(f"/lecture/{lecture_id}"), 401, "unauthorized")
    assert stored_lecture(app, lecture_id) is not None


def test_delete_of_unknown_lecture_is_404(client, lecturer, lecture_id):
    response = client.delete(f"/lecture/{lecture_id + 1000}", headers=lecturer.headers)
    assert_error(response, 404, "not_found")


def test_anonymous_delete_of_unknown_lecture_is_401(client):
    assert_error(client.delete("/lecture/12345"), 401, "unauthorized")


def test_customer_delete_of_unknown_lecture_is_403(client, customer):
    # API.md 1: the caller's role (403) is checked before what they may see (404).
    assert_error(client.delete("/lecture/12345", headers=customer.headers), 403, "forbidden")
