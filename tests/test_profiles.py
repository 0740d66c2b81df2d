"""Section 4: lecturer and customer profiles, their contact info and who may see it."""

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta

import factory
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    City,
    ConsumerContactInfo,
    CustomerProfile,
    Lecture,
    LecturerContactInfo,
    LecturerProfile,
    User,
)
from app.models.base import utcnow
from tests.factories import (
    CityFactory,
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    OrderFactory,
    ReviewFactory,
)
from tests.helpers import MALFORMED_BODIES, assert_error

PROFILE_KEYS = {
    "id",
    "user_id",
    "first_name",
    "last_name",
    "photo_url",
    "visit_card",
    "contact_info",
    "finished_orders",
    "created_at",
    "updated_at",
}
CITY_KEYS = {"id", "name", "timezone", "utc_offset"}
MISSING = object()
UNKNOWN_ID = 999_999


@dataclass(frozen=True)
class Kind:
    """What differs between the two kinds of profile."""

    role: str
    create_path: str
    path: str
    model: type
    contact_model: type
    factory: type[factory.Factory]
    keys: frozenset[str]
    contact_keys: frozenset[str]
    login_key: str

    def url(self, profile_id: int | str) -> str:
        return f"{self.path}/{profile_id}"


LECTURER = Kind(
    role="lecturer",
    create_path="/create_lecture_profile",
    path="/lecture_profile",
    model=LecturerProfile,
    contact_model=LecturerContactInfo,
    factory=LecturerProfileFactory,
    keys=frozenset(
        PROFILE_KEYS | {"experience", "working_hours", "lectures", "avg_rating", "reviews_count"}
    ),
    contact_keys=frozenset({"email", "phone", "city"}),
    login_key="lecturer_profile_id",
)
CUSTOMER = Kind(
    role="customer",
    create_path="/create_customer_profile",
    path="/customer_profile",
    model=CustomerProfile,
    contact_model=ConsumerContactInfo,
    factory=CustomerProfileFactory,
    keys=frozenset(PROFILE_KEYS),
    contact_keys=frozenset({"email", "phone", "city", "company"}),
    login_key="customer_profile_id",
)
BOTH = [pytest.param(LECTURER, id="lecturer"), pytest.param(CUSTOMER, id="customer")]


def valid_body(kind: Kind) -> dict:
    """A full, valid creation body for a profile of kind."""
    body = {
        "first_name": "Anna",
        "last_name": "Petrova",
        "photo_url": "https://example.com/anna.png",
        "visit_card": "Speaker and author.",
        "contact_info": {"email": "anna@example.com", "phone": "+7 (999) 123-45-67"},
    }
    if kind is LECTURER:
        body["experience"] = "Ten years on stage."
    else:
        body["contact_info"]["company"] = "Acme"
    return body


def changed(body: dict, path: tuple[str, ...], value) -> dict:
    """A copy of body with the field at path set to value, or removed if value is MISSING."""
    body = copy.deepcopy(body)
    *parents, name = path
    target = body
    for parent in parents:
        target = target[parent]
    if value is MISSING:
        del target[name]
    else:
        target[name] = value
    return body


def count_rows(app, kind: Kind) -> tuple[int, int]:
    """How many profiles of kind, and how many contact infos of kind, are stored."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (kind.model, kind.contact_model)
        )


def make_city(app, name: str = "Moscow", timezone: str = "Europe/Moscow") -> int:
    with app.app_context():
        city = CityFactory(name=name, timezone=timezone)
        db.session.commit()
        return city.id


def make_profile(app, kind: Kind, account=None, *, city_id: int | None = None, **fields) -> int:
    """A profile of kind (for account's user, else a new user), built by a factory; its id."""
    with app.app_context():
        if account is not None:
            fields["user"] = db.session.get(User, account.id)
        if city_id is not None:
            fields["city"] = db.session.get(City, city_id)
        profile = kind.factory(**fields)
        db.session.commit()
        return profile.id


def make_lecture(app, lecturer_profile_id: int, **fields) -> int:
    with app.app_context():
        lecture = LectureFactory(
            lecturer=db.session.get(LecturerProfile, lecturer_profile_id), **fields
        )
        db.session.commit()
        return lecture.id


def make_order(
    app, lecturer_profile_id: int, customer_profile_id: int, status_code: str = "created"
) -> None:
    """An order from the customer profile for a new lecture of the lecturer profile."""
    with app.app_context():
        OrderFactory(
            lecture=LectureFactory(lecturer=db.session.get(LecturerProfile, lecturer_profile_id)),
            customer=db.session.get(CustomerProfile, customer_profile_id),
            status_code=status_code,
        )
        db.session.commit()


def make_reviews(app, lecture_id: int, *grades: int) -> None:
    """A review of a finished order of the lecture for each grade."""
    with app.app_context():
        for grade in grades:
            ReviewFactory(order__lecture=db.session.get(Lecture, lecture_id), grade=grade)
        db.session.commit()


def parse_time(value: str) -> datetime:
    """An ISO 8601 time of the API: with the +00:00 offset."""
    assert value.endswith("+00:00"), value
    return datetime.fromisoformat(value)


@pytest.fixture
def other_customer(make_account):
    return make_account("customer")


@pytest.fixture
def other_lecturer(make_account):
    return make_account("lecturer")


@pytest.fixture
def moscow(app) -> int:
    return make_city(app)


# POST /create_lecture_profile and /create_customer_profile: success


@pytest.mark.parametrize("kind", BOTH)
def test_create_answers_201_with_exactly_the_profile_keys(client, make_account, kind):
    account = make_account(kind.role)
    response = client.post(kind.create_path, json=valid_body(kind), headers=account.headers)
    assert response.status_code == 201
    assert set(response.json) == kind.keys
    assert set(response.json["contact_info"]) == kind.contact_keys


@pytest.mark.parametrize("kind", BOTH)
def test_create_answers_the_fields_as_sent(client, make_account, kind):
    account = make_account(kind.role)
    body = valid_body(kind)
    profile = client.post(kind.create_path, json=body, headers=account.headers).json
    assert isinstance(profile["id"], int) and profile["id"] > 0
    assert profile["user_id"] == account.id
    for name in set(body) - {"contact_info"}:
        assert profile[name] == body[name], name
    assert profile["contact_info"] == {**body["contact_info"], "city": None}


def test_new_lecturer_profile_has_no_lectures_rating_or_orders(client, lecturer):
    body = valid_body(LECTURER)
    profile = client.post(LECTURER.create_path, json=body, headers=lecturer.headers).json
    assert profile["lectures"] == []
    assert profile["avg_rating"] is None
    assert profile["reviews_count"] == 0
    assert profile["finished_orders"] == 0


def test_new_customer_profile_has_no_finished_orders(client, customer):
    body = valid_body(CUSTOMER)
    profile = client.post(CUSTOMER.create_path, json=body, headers=customer.headers).json
    assert profile["finished_orders"] == 0


@pytest.mark.parametrize("kind", BOTH)
def test_create_answers_utc_times(client, make_account, kind):
    account = make_account(kind.role)
    before = utcnow()
    profile = client.post(kind.create_path, json=valid_body(kind), headers=account.headers).json
    created_at = parse_time(profile["created_at"])
    assert before - timedelta(seconds=1) <= created_at <= utcnow() + timedelta(seconds=1)
    assert created_at <= parse_time(profile["updated_at"]) <= created_at + timedelta(seconds=1)


@pytest.mark.parametrize("kind", BOTH)
def test_create_with_only_required_fields_leaves_the_rest_null(client, make_account, kind):
    account = make_account(kind.role)
    body = {"first_name": "Ivan", "last_name": "Ivanov", "contact_info": {"email": "i@ex.com"}}
    profile = client.post(kind.create_path, json=body, headers=account.headers).json
    optional = {"photo_url", "visit_card"} | ({"experience"} if kind is LECTURER else set())
    assert {name: profile[name] for name in optional} == dict.fromkeys(optional)
    assert profile["contact_info"] == {
        "email": "i@ex.com",
        **dict.fromkeys(kind.contact_keys - {"email"}),
    }


@pytest.mark.parametrize("kind", BOTH)
def test_create_with_a_city_answers_the_city_object(app, client, make_account, moscow, kind):
    account = make_account(kind.role)
    body = changed(valid_body(kind), ("contact_info", "city_id"), moscow)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    assert response.status_code == 201
    city = response.json["contact_info"]["city"]
    assert set(city) == CITY_KEYS
    assert city == {"id": moscow, "name": "Moscow", "timezone": "Europe/Moscow",
                    "utc_offset": "+03:00"}  # fmt: skip


@pytest.mark.parametrize("kind", BOTH)
def test_create_with_null_city_id_has_no_city(client, make_account, kind):
    account = make_account(kind.role)
    body = changed(valid_body(kind), ("contact_info", "city_id"), None)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    assert response.status_code == 201
    assert response.json["contact_info"]["city"] is None


@pytest.mark.parametrize("kind", BOTH)
def test_create_then_login_shows_the_profile_id(client, make_account, kind):
    account = make_account(kind.role)
    profile = client.post(kind.create_path, json=valid_body(kind), headers=account.headers).json
    user = client.get("/login", headers=account.headers).json["user"]
    assert user[kind.login_key] == profile["id"]


@pytest.mark.parametrize("kind", BOTH)
def test_created_profile_is_what_get_shows(client, make_account, kind):
    account = make_account(kind.role)
    created = client.post(kind.create_path, json=valid_body(kind), headers=account.headers).json
    assert client.get(kind.url(created["id"]), headers=account.headers).json == created


def test_customer_sees_own_contact_info_in_the_create_answer(client, customer):
    body = valid_body(CUSTOMER)
    profile = client.post(CUSTOMER.create_path, json=body, headers=customer.headers).json
    assert profile["contact_info"]["email"] == "anna@example.com"
    assert profile["contact_info"]["company"] == "Acme"


@pytest.mark.parametrize("kind", BOTH)
def test_create_stores_text_as_sent_without_trimming(client, make_account, kind):
    account = make_account(kind.role)
    body = {**valid_body(kind), "first_name": "  Anna ", "visit_card": "\n  Line one\n"}
    profile = client.post(kind.create_path, json=body, headers=account.headers).json
    assert profile["first_name"] == "  Anna "
    assert profile["visit_card"] == "\n  Line one\n"


ACCEPTED_EDGES = [
    pytest.param(("first_name",), "я" * 100, id="100-cyrillic-first-name"),
    pytest.param(("first_name",), "🙂" * 100, id="100-emoji-first-name"),
    pytest.param(("last_name",), "x", id="1-char-last-name"),
    pytest.param(("visit_card",), "ж" * 5000, id="5000-cyrillic-visit-card"),
    pytest.param(("visit_card",), "", id="empty-visit-card"),
    pytest.param(("photo_url",), "http://example.com/a.png", id="http-photo"),
    pytest.param(("photo_url",), None, id="null-photo"),
    pytest.param(("contact_info", "phone"), "12345", id="5-char-phone"),
    pytest.param(("contact_info", "phone"), "+7 (999) 123-45-678", id="19-char-phone"),
    pytest.param(("contact_info", "phone"), "1" * 20, id="20-char-phone"),
    pytest.param(("contact_info", "phone"), None, id="null-phone"),
]


@pytest.mark.parametrize(("path", "value"), ACCEPTED_EDGES)
@pytest.mark.parametrize("kind", BOTH)
def test_create_accepts_edge_values(client, make_account, kind, path, value):
    account = make_account(kind.role)
    body = changed(valid_body(kind), path, value)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    assert response.status_code == 201, response.json
    answer = response.json
    for name in path[:-1]:
        answer = answer[name]
    assert answer[path[-1]] == value


@pytest.mark.parametrize(
    ("kind", "path", "value"),
    [
        pytest.param(LECTURER, ("experience",), "э" * 5000, id="lecturer-5000-experience"),
        pytest.param(CUSTOMER, ("contact_info", "company"), "к" * 200, id="customer-200-company"),
        pytest.param(CUSTOMER, ("contact_info", "company"), None, id="customer-null-company"),
    ],
)
def test_create_accepts_kind_specific_edge_values(client, make_account, kind, path, value):
    account = make_account(kind.role)
    body = changed(valid_body(kind), path, value)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    assert response.status_code == 201, response.json
    answer = response.json
    for name in path[:-1]:
        answer = answer[name]
    assert answer[path[-1]] == value


# POST /create_*_profile: who may


@pytest.mark.parametrize("kind", BOTH)
def test_anonymous_may_not_create_a_profile(app, client, kind):
    response = client.post(kind.create_path, json=valid_body(kind))
    assert_error(response, 401, "unauthorized")
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize(
    ("kind", "role"),
    [(LECTURER, "customer"), (LECTURER, "admin"), (CUSTOMER, "lecturer"), (CUSTOMER, "admin")],
    ids=["lecturer-by-customer", "lecturer-by-admin", "customer-by-lecturer", "customer-by-admin"],
)
def test_other_role_may_not_create_a_profile(app, client, make_account, kind, role):
    account = make_account(role)
    response = client.post(kind.create_path, json=valid_body(kind), headers=account.headers)
    error = assert_error(response, 403, "forbidden")
    assert kind.role in error["message"].lower()
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize("kind", BOTH)
def test_second_profile_is_409_and_leaves_the_first(app, client, make_account, kind):
    account = make_account(kind.role)
    first = client.post(kind.create_path, json=valid_body(kind), headers=account.headers).json
    second = {**valid_body(kind), "first_name": "Other"}
    response = client.post(kind.create_path, json=second, headers=account.headers)
    assert_error(response, 409, "conflict")
    assert count_rows(app, kind) == (1, 1)
    assert client.get(kind.url(first["id"]), headers=account.headers).json == first


@pytest.mark.parametrize("kind", BOTH)
def test_profile_made_by_factory_also_blocks_a_second(app, client, make_account, kind):
    account = make_account(kind.role)
    make_profile(app, kind, account)
    response = client.post(kind.create_path, json=valid_body(kind), headers=account.headers)
    assert_error(response, 409, "conflict")
    assert count_rows(app, kind) == (1, 1)


# POST /create_*_profile: the order of the checks (401, 403, 404/422 for a body id, 409/422)


@pytest.mark.parametrize("kind", BOTH)
def test_anonymous_with_a_bad_body_is_still_401(app, client, kind):
    response = client.post(kind.create_path, json={"first_name": ""})
    assert_error(response, 401, "unauthorized")
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize("kind", BOTH)
def test_other_role_with_a_bad_body_is_still_403(app, client, admin, kind):
    response = client.post(kind.create_path, json={"first_name": ""}, headers=admin.headers)
    assert_error(response, 403, "forbidden")
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize("kind", BOTH)
def test_unknown_city_id_is_422_on_that_field(app, client, make_account, kind):
    account = make_account(kind.role)
    body = changed(valid_body(kind), ("contact_info", "city_id"), UNKNOWN_ID)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"contact_info"}
    assert set(error["fields"]["contact_info"]) == {"city_id"}
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize("kind", BOTH)
def test_unknown_city_id_comes_before_the_409(app, client, make_account, kind):
    """A body id that names nothing (422) is checked before the rules of the action (409)."""
    account = make_account(kind.role)
    make_profile(app, kind, account)
    body = changed(valid_body(kind), ("contact_info", "city_id"), UNKNOWN_ID)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]["contact_info"]) == {"city_id"}
    assert count_rows(app, kind) == (1, 1)


# POST /create_*_profile: bad bodies


BAD_FIELDS = [
    pytest.param(("first_name",), "", id="first-name-empty"),
    pytest.param(("first_name",), "x" * 101, id="first-name-101"),
    pytest.param(("first_name",), "я" * 101, id="first-name-101-cyrillic"),
    pytest.param(("first_name",), MISSING, id="first-name-missing"),
    pytest.param(("first_name",), 42, id="first-name-number"),
    pytest.param(("first_name",), None, id="first-name-null"),
    pytest.param(("first_name",), ["Anna"], id="first-name-list"),
    pytest.param(("first_name",), "An\x00na", id="first-name-nul"),
    pytest.param(("first_name",), "An\ud800na", id="first-name-lone-surrogate"),
    pytest.param(("last_name",), MISSING, id="last-name-missing"),
    pytest.param(("last_name",), "", id="last-name-empty"),
    pytest.param(("photo_url",), "ftp://x.org/a.png", id="photo-ftp"),
    pytest.param(("photo_url",), "not a url", id="photo-not-url"),
    pytest.param(("photo_url",), "javascript:alert(1)", id="photo-javascript"),
    pytest.param(("photo_url",), 42, id="photo-number"),
    pytest.param(("photo_url",), "https://example.com/" + "a" * 2029, id="photo-2049"),
    pytest.param(("visit_card",), "x" * 5001, id="visit-card-5001"),
    pytest.param(("visit_card",), "a\x00b", id="visit-card-nul"),
    pytest.param(("contact_info",), MISSING, id="contact-missing"),
    pytest.param(("contact_info",), "anna@example.com", id="contact-string"),
    pytest.param(("contact_info",), ["anna@example.com"], id="contact-list"),
    pytest.param(("contact_info",), None, id="contact-null"),
    pytest.param(("contact_info", "email"), "not-an-email", id="email-invalid"),
    pytest.param(("contact_info", "email"), MISSING, id="email-missing"),
    pytest.param(("contact_info", "email"), None, id="email-null"),
    pytest.param(("contact_info", "email"), "a" * 243 + "@example.com", id="email-255"),
    pytest.param(("contact_info", "phone"), "12", id="phone-too-short"),
    pytest.param(("contact_info", "phone"), "123456789012345678901", id="phone-21"),
    pytest.param(("contact_info", "phone"), "abc12345", id="phone-letters"),
    pytest.param(("contact_info", "phone"), "12345\n", id="phone-newline"),
    pytest.param(("contact_info", "phone"), 1234567, id="phone-number"),
    pytest.param(("contact_info", "city_id"), "1", id="city-string"),
    pytest.param(("contact_info", "city_id"), 0, id="city-zero"),
    pytest.param(("contact_info", "city_id"), -1, id="city-negative"),
    pytest.param(("contact_info", "city_id"), 1.5, id="city-float"),
    pytest.param(("contact_info", "city_id"), True, id="city-boolean"),
    pytest.param(("nickname",), "anna", id="unknown-top"),
    pytest.param(("user_id",), 1, id="user-id-top"),
    pytest.param(("contact_info", "fax"), "12345", id="unknown-in-contact"),
]


def assert_names_only(error: dict, path: tuple[str, ...]) -> None:
    """The 422's fields name the field at path and nothing else."""
    fields = error["fields"]
    assert set(fields) == {path[0]}, fields
    if len(path) == 2:
        assert set(fields[path[0]]) == {path[1]}, fields


@pytest.mark.parametrize(("path", "value"), BAD_FIELDS)
@pytest.mark.parametrize("kind", BOTH)
def test_bad_field_is_422_naming_it_and_creates_nothing(
    app, client, make_account, kind, path, value
):
    account = make_account(kind.role)
    body = changed(valid_body(kind), path, value)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    assert_names_only(assert_error(response, 422, "validation_error"), path)
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize(
    ("kind", "path", "value"),
    [
        pytest.param(LECTURER, ("experience",), "x" * 5001, id="lecturer-experience-5001"),
        pytest.param(LECTURER, ("experience",), 5, id="lecturer-experience-number"),
        pytest.param(LECTURER, ("contact_info", "company"), "Acme", id="lecturer-company"),
        pytest.param(CUSTOMER, ("contact_info", "company"), "x" * 201, id="customer-company-201"),
        pytest.param(CUSTOMER, ("contact_info", "company"), "Ac\x00me", id="customer-company-nul"),
        pytest.param(CUSTOMER, ("experience",), "Ten years.", id="customer-experience"),
    ],
)
def test_kind_specific_bad_field_is_422_naming_it(app, client, make_account, kind, path, value):
    account = make_account(kind.role)
    body = changed(valid_body(kind), path, value)
    response = client.post(kind.create_path, json=body, headers=account.headers)
    assert_names_only(assert_error(response, 422, "validation_error"), path)
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize("kind", BOTH)
def test_empty_object_names_every_required_field(app, client, make_account, kind):
    account = make_account(kind.role)
    response = client.post(kind.create_path, json={}, headers=account.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"first_name", "last_name", "contact_info"}
    assert count_rows(app, kind) == (0, 0)


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_malformed_body_is_rejected_and_creates_nothing(
    app, client, lecturer, data, content_type, status, code
):
    headers = {**lecturer.headers, **({"Content-Type": content_type} if content_type else {})}
    response = client.post(LECTURER.create_path, data=data, headers=headers)
    assert_error(response, status, code)
    assert count_rows(app, LECTURER) == (0, 0)


# GET /create_lecture_profile


def test_own_profile_is_the_lecturers_profile(app, client, lecturer):
    created = client.post(
        LECTURER.create_path, json=valid_body(LECTURER), headers=lecturer.headers
    ).json
    response = client.get(LECTURER.create_path, headers=lecturer.headers)
    assert response.status_code == 200
    assert response.json == created


def test_own_profile_is_the_callers_and_not_another(app, client, lecturer, other_lecturer):
    make_profile(app, LECTURER, other_lecturer, first_name="Other")
    own_id = make_profile(app, LECTURER, lecturer, first_name="Mine")
    response = client.get(LECTURER.create_path, headers=lecturer.headers)
    assert response.json["id"] == own_id
    assert response.json["first_name"] == "Mine"


def test_own_profile_before_creation_is_404(client, lecturer):
    assert_error(client.get(LECTURER.create_path, headers=lecturer.headers), 404, "not_found")


@pytest.mark.parametrize("role", ["customer", "admin"])
def test_own_lecturer_profile_of_other_role_is_403(client, make_account, role):
    account = make_account(role)
    response = client.get(LECTURER.create_path, headers=account.headers)
    assert_error(response, 403, "forbidden")


def test_own_lecturer_profile_of_anonymous_is_401(client):
    assert_error(client.get(LECTURER.create_path), 401, "unauthorized")


# GET /lecture_profile/<id> and /customer_profile/<id>: anyone


@pytest.mark.parametrize("viewer", ["anonymous", "customer", "lecturer", "admin"])
def test_anyone_may_see_a_lecturer_profile_with_its_contacts(
    app, client, make_account, moscow, viewer
):
    profile_id = make_profile(app, LECTURER, city_id=moscow, first_name="Lena")
    headers = {} if viewer == "anonymous" else make_account(viewer).headers
    response = client.get(LECTURER.url(profile_id), headers=headers)
    assert response.status_code == 200
    assert set(response.json) == LECTURER.keys
    assert response.json["first_name"] == "Lena"
    assert response.json["contact_info"]["email"] == "lecturer-Lena@example.com"
    assert response.json["contact_info"]["city"]["id"] == moscow


@pytest.mark.parametrize("kind", BOTH)
def test_unknown_profile_id_is_404(app, client, kind):
    make_profile(app, kind)
    assert_error(client.get(kind.url(UNKNOWN_ID)), 404, "not_found")


BAD_PATH_IDS = ["abc", "0", "-1", "99999999999", "2147483648", "1.5", "1e3", "%201"]


@pytest.mark.parametrize("profile_id", BAD_PATH_IDS)
@pytest.mark.parametrize("kind", BOTH)
def test_path_id_that_is_not_an_id_is_404(app, client, kind, profile_id):
    make_profile(app, kind)
    assert_error(client.get(kind.url(profile_id)), 404, "not_found")


@pytest.mark.parametrize("profile_id", BAD_PATH_IDS)
@pytest.mark.parametrize("kind", BOTH)
def test_put_on_a_path_id_that_is_not_an_id_is_404(app, client, admin, kind, profile_id):
    make_profile(app, kind)
    response = client.put(kind.url(profile_id), json={"first_name": "X"}, headers=admin.headers)
    assert_error(response, 404, "not_found")


# GET /lecture_profile/<id>: lectures and totals


def test_lectures_are_id_and_title_leaving_out_archived(app, client):
    profile_id = make_profile(app, LECTURER)
    first = make_lecture(app, profile_id, title="Stars")
    make_lecture(app, profile_id, title="Old talk", archived=True)
    second = make_lecture(app, profile_id, title="Planets")
    make_lecture(app, make_profile(app, LECTURER), title="Someone else's")
    lectures = client.get(LECTURER.url(profile_id)).json["lectures"]
    assert sorted(lectures, key=lambda lecture: lecture["id"]) == [
        {"id": first, "title": "Stars"},
        {"id": second, "title": "Planets"},
    ]


def test_profile_with_only_archived_lectures_lists_none(app, client):
    profile_id = make_profile(app, LECTURER)
    make_lecture(app, profile_id, archived=True)
    assert client.get(LECTURER.url(profile_id)).json["lectures"] == []


@pytest.mark.parametrize(
    ("grades_by_lecture", "avg_rating", "reviews_count"),
    [
        ([[4], [5]], 4.5, 2),
        ([[5, 4, 4]], 4.33, 3),
        ([[5], [4, 4]], 4.33, 3),
        ([[1, 2]], 1.5, 2),
        ([[2, 2, 3]], 2.33, 3),
        ([[5, 5, 4]], 4.67, 3),
        ([[3]], 3, 1),
    ],
    ids=["4-and-5-two-lectures", "5-4-4", "5-4-4-two-lectures", "1-2", "2-2-3", "5-5-4", "3"],
)
def test_rating_is_the_mean_of_the_reviews_to_2_decimals(
    app, client, grades_by_lecture, avg_rating, reviews_count
):
    profile_id = make_profile(app, LECTURER)
    for grades in grades_by_lecture:
        make_reviews(app, make_lecture(app, profile_id), *grades)
    make_reviews(app, make_lecture(app, make_profile(app, LECTURER)), 1)  # another lecturer's
    profile = client.get(LECTURER.url(profile_id)).json
    assert profile["avg_rating"] == avg_rating
    assert profile["reviews_count"] == reviews_count


def test_reviews_of_archived_lectures_still_count(app, client):
    profile_id = make_profile(app, LECTURER)
    lecture_id = make_lecture(app, profile_id, archived=True)
    make_reviews(app, lecture_id, 2, 3)
    profile = client.get(LECTURER.url(profile_id)).json
    assert (profile["avg_rating"], profile["reviews_count"]) == (2.5, 2)


def test_lecturer_finished_orders_counts_only_finished(app, client):
    lecturer_id = make_profile(app, LECTURER)
    customer_id = make_profile(app, CUSTOMER)
    for status in ["created", "accepted", "finished", "finished", "canceled", "refused"]:
        make_order(app, lecturer_id, customer_id, status)
    make_order(app, make_profile(app, LECTURER), customer_id, "finished")
    assert client.get(LECTURER.url(lecturer_id)).json["finished_orders"] == 2


def test_customer_finished_orders_counts_only_finished(app, client):
    lecturer_id = make_profile(app, LECTURER)
    customer_id = make_profile(app, CUSTOMER)
    for status in ["created", "accepted", "finished", "canceled", "finished", "finished"]:
        make_order(app, lecturer_id, customer_id, status)
    make_order(app, lecturer_id, make_profile(app, CUSTOMER), "finished")
    assert client.get(CUSTOMER.url(customer_id)).json["finished_orders"] == 3


# GET /customer_profile/<id>: who sees the contact info


@pytest.fixture
def customer_profile(app, customer, moscow) -> int:
    """The id of the `customer` account's profile, in Moscow."""
    return make_profile(app, CUSTOMER, customer, city_id=moscow, first_name="Olga")


def contact_info_seen(client, profile_id: int, headers: dict) -> dict | None:
    """The customer profile's contact_info as a caller sees it, after checking the rest."""
    response = client.get(CUSTOMER.url(profile_id), headers=headers)
    assert response.status_code == 200
    assert set(response.json) == CUSTOMER.keys
    assert response.json["first_name"] == "Olga"
    return response.json["contact_info"]


def test_anonymous_does_not_see_customer_contacts(client, customer_profile):
    assert contact_info_seen(client, customer_profile, {}) is None


def test_another_customer_does_not_see_customer_contacts(
    app, client, customer_profile, other_customer
):
    make_profile(app, CUSTOMER, other_customer)
    assert contact_info_seen(client, customer_profile, other_customer.headers) is None


def test_lecturer_without_a_profile_does_not_see_customer_contacts(
    client, customer_profile, lecturer
):
    assert contact_info_seen(client, customer_profile, lecturer.headers) is None


def test_lecturer_without_an_order_from_the_customer_does_not_see_contacts(
    app, client, customer_profile, lecturer
):
    lecturer_profile = make_profile(app, LECTURER, lecturer)
    make_order(app, lecturer_profile, make_profile(app, CUSTOMER))  # from another customer
    make_order(app, make_profile(app, LECTURER), customer_profile)  # to another lecturer
    assert contact_info_seen(client, customer_profile, lecturer.headers) is None


def test_owner_sees_own_contacts(client, customer_profile, customer, moscow):
    contact_info = contact_info_seen(client, customer_profile, customer.headers)
    assert set(contact_info) == CUSTOMER.contact_keys
    assert contact_info["email"] == "customer-Olga@example.com"
    assert contact_info["phone"] == "+7 999 000-00-00"
    assert contact_info["company"] == "Acme"
    assert contact_info["city"]["id"] == moscow


def test_admin_sees_customer_contacts(client, customer_profile, admin):
    contact_info = contact_info_seen(client, customer_profile, admin.headers)
    assert contact_info["email"] == "customer-Olga@example.com"


@pytest.mark.parametrize("status", ["created", "accepted", "finished", "canceled", "refused"])
def test_lecturer_with_an_order_from_the_customer_sees_contacts(
    app, client, customer_profile, lecturer, status
):
    make_order(app, make_profile(app, LECTURER, lecturer), customer_profile, status)
    contact_info = contact_info_seen(client, customer_profile, lecturer.headers)
    assert contact_info["email"] == "customer-Olga@example.com"
