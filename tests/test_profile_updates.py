"""Section 4: PUT /lecture_profile/<id> and /customer_profile/<id>, partial updates."""

from datetime import timedelta

import pytest

from app.models.base import utcnow
from tests.helpers import MALFORMED_BODIES, assert_error
from tests.test_profiles import (
    BOTH,
    CUSTOMER,
    LECTURER,
    UNKNOWN_ID,
    Kind,
    assert_names_only,
    changed,
    make_city,
    make_profile,
    parse_time,
    valid_body,
)


def profile_as_admin(client, admin, kind: Kind, profile_id: int) -> dict:
    response = client.get(kind.url(profile_id), headers=admin.headers)
    assert response.status_code == 200
    return response.json


def owner_of(kind: Kind, lecturer, customer):
    return lecturer if kind is LECTURER else customer


@pytest.fixture
def full_profile(app, lecturer, customer):
    """For a kind: its owner and the id of a profile with every optional field set.

    Created and updated a day ago, so that a change shows in updated_at.
    """
    moscow = make_city(app)

    def make(kind: Kind) -> tuple:
        owner = owner_of(kind, lecturer, customer)
        a_day_ago = utcnow() - timedelta(days=1)
        extra = {"experience": "Ten years."} if kind is LECTURER else {}
        profile_id = make_profile(
            app,
            kind,
            owner,
            city_id=moscow,
            photo_url="https://example.com/me.png",
            visit_card="Card.",
            created_at=a_day_ago,
            updated_at=a_day_ago,
            **extra,
        )
        return owner, profile_id

    return make


# PUT /lecture_profile/<id> and /customer_profile/<id>: partial update


@pytest.mark.parametrize("kind", BOTH)
def test_owner_puts_one_field_and_the_rest_stays(client, admin, full_profile, kind):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    response = client.put(kind.url(profile_id), json={"first_name": "Maria"}, headers=owner.headers)
    assert response.status_code == 200
    expected = {**before, "first_name": "Maria", "updated_at": response.json["updated_at"]}
    assert response.json == expected
    assert profile_as_admin(client, admin, kind, profile_id) == expected


@pytest.mark.parametrize("kind", BOTH)
def test_put_of_the_phone_alone_keeps_email_and_city(client, admin, full_profile, kind):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    body = {"contact_info": {"phone": "+1 555 0100"}}
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert response.status_code == 200
    assert response.json["contact_info"] == {**before["contact_info"], "phone": "+1 555 0100"}
    assert (
        profile_as_admin(client, admin, kind, profile_id)["contact_info"]
        == (response.json["contact_info"])
    )


@pytest.mark.parametrize("kind", BOTH)
def test_put_of_every_field_changes_them_all(app, client, admin, full_profile, kind):
    owner, profile_id = full_profile(kind)
    kazan = make_city(app, "Kazan")
    body = changed(valid_body(kind), ("contact_info", "city_id"), kazan)
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert response.status_code == 200
    for name in set(body) - {"contact_info"}:
        assert response.json[name] == body[name], name
    contact_info = response.json["contact_info"]
    assert contact_info["city"]["id"] == kazan
    assert {name: contact_info[name] for name in kind.contact_keys - {"city"}} == {
        name: body["contact_info"][name] for name in kind.contact_keys - {"city"}
    }
    assert profile_as_admin(client, admin, kind, profile_id) == response.json


NULLABLE = [
    pytest.param(LECTURER, ("photo_url",), id="lecturer-photo"),
    pytest.param(LECTURER, ("visit_card",), id="lecturer-visit-card"),
    pytest.param(LECTURER, ("experience",), id="lecturer-experience"),
    pytest.param(LECTURER, ("contact_info", "phone"), id="lecturer-phone"),
    pytest.param(CUSTOMER, ("photo_url",), id="customer-photo"),
    pytest.param(CUSTOMER, ("visit_card",), id="customer-visit-card"),
    pytest.param(CUSTOMER, ("contact_info", "phone"), id="customer-phone"),
    pytest.param(CUSTOMER, ("contact_info", "company"), id="customer-company"),
]


@pytest.mark.parametrize(("kind", "path"), NULLABLE)
def test_put_null_clears_an_optional_field(client, admin, full_profile, kind, path):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    body = changed({}, path, None) if len(path) == 1 else {path[0]: {path[1]: None}}
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert response.status_code == 200
    expected = changed(before, path, None)
    expected["updated_at"] = response.json["updated_at"]
    assert response.json == expected
    assert profile_as_admin(client, admin, kind, profile_id) == expected


@pytest.mark.parametrize("kind", BOTH)
def test_put_null_city_id_clears_the_city(client, admin, full_profile, kind):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    assert before["contact_info"]["city"] is not None
    body = {"contact_info": {"city_id": None}}
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert response.status_code == 200
    assert response.json["contact_info"] == {**before["contact_info"], "city": None}
    assert profile_as_admin(client, admin, kind, profile_id)["contact_info"]["city"] is None


@pytest.mark.parametrize("kind", BOTH)
def test_put_city_id_sets_the_city_object(app, client, full_profile, kind):
    owner, profile_id = full_profile(kind)
    kazan = make_city(app, "Kazan", "Asia/Kolkata")
    body = {"contact_info": {"city_id": kazan}}
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert response.status_code == 200
    assert response.json["contact_info"]["city"] == {
        "id": kazan,
        "name": "Kazan",
        "timezone": "Asia/Kolkata",
        "utc_offset": "+05:30",
    }


@pytest.mark.parametrize(
    "body",
    [{"last_name": "Smirnova"}, {"contact_info": {"email": "new@example.com"}}],
    ids=["profile-field", "contact-field-only"],
)
@pytest.mark.parametrize("kind", BOTH)
def test_put_moves_updated_at_and_keeps_created_at(client, admin, full_profile, kind, body):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    start = utcnow()
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert response.status_code == 200
    updated_at = parse_time(response.json["updated_at"])
    assert start - timedelta(seconds=1) <= updated_at <= utcnow() + timedelta(seconds=1)
    assert updated_at > parse_time(before["updated_at"])
    assert response.json["created_at"] == before["created_at"]


@pytest.mark.parametrize("body", [{}, {"contact_info": {}}], ids=["empty", "empty-contact"])
@pytest.mark.parametrize("kind", BOTH)
def test_put_of_nothing_changes_nothing(client, admin, full_profile, kind, body):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert response.status_code == 200
    assert response.json == before
    assert profile_as_admin(client, admin, kind, profile_id) == before


@pytest.mark.parametrize("kind", BOTH)
def test_admin_may_put_any_profile(client, admin, full_profile, kind):
    _owner, profile_id = full_profile(kind)
    body = {"first_name": "Fixed", "contact_info": {"phone": "8 800 555-35-35"}}
    response = client.put(kind.url(profile_id), json=body, headers=admin.headers)
    assert response.status_code == 200
    assert response.json["first_name"] == "Fixed"
    assert response.json["contact_info"]["phone"] == "8 800 555-35-35"
    assert profile_as_admin(client, admin, kind, profile_id) == response.json


def test_put_answer_shows_customer_contacts_to_the_owner(client, full_profile):
    owner, profile_id = full_profile(CUSTOMER)
    response = client.put(CUSTOMER.url(profile_id), json={"first_name": "O"}, headers=owner.headers)
    assert response.json["contact_info"]["company"] == "Acme"


def test_put_answer_shows_customer_contacts_to_an_admin(client, admin, full_profile):
    _owner, profile_id = full_profile(CUSTOMER)
    response = client.put(CUSTOMER.url(profile_id), json={"first_name": "O"}, headers=admin.headers)
    assert response.status_code == 200
    assert set(response.json["contact_info"]) == CUSTOMER.contact_keys
    assert response.json["contact_info"]["company"] == "Acme"


# PUT: who may


@pytest.mark.parametrize(
    ("kind", "intruder_role", "intruder_has_profile"),
    [
        (LECTURER, "lecturer", True),
        (LECTURER, "lecturer", False),
        (LECTURER, "customer", True),
        (CUSTOMER, "customer", True),
        (CUSTOMER, "customer", False),
        (CUSTOMER, "lecturer", True),
    ],
    ids=[
        "lecturer-by-other-lecturer", "lecturer-by-lecturer-without-profile",
        "lecturer-by-customer", "customer-by-other-customer",
        "customer-by-customer-without-profile", "customer-by-lecturer",
    ],
)  # fmt: skip
def test_put_by_someone_else_is_403_and_changes_nothing(
    app, client, admin, make_account, full_profile, kind, intruder_role, intruder_has_profile
):
    _owner, profile_id = full_profile(kind)
    intruder = make_account(intruder_role)
    if intruder_has_profile:
        make_profile(app, LECTURER if intruder_role == "lecturer" else CUSTOMER, intruder)
    before = profile_as_admin(client, admin, kind, profile_id)
    response = client.put(kind.url(profile_id), json={"first_name": "X"}, headers=intruder.headers)
    assert_error(response, 403, "forbidden")
    assert profile_as_admin(client, admin, kind, profile_id) == before


@pytest.mark.parametrize("kind", BOTH)
def test_put_by_anonymous_is_401_and_changes_nothing(client, admin, full_profile, kind):
    _owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    assert_error(client.put(kind.url(profile_id), json={"first_name": "X"}), 401, "unauthorized")
    assert profile_as_admin(client, admin, kind, profile_id) == before


@pytest.mark.parametrize("kind", BOTH)
def test_put_of_an_unknown_profile_is_404(app, client, admin, kind):
    make_profile(app, kind)
    response = client.put(kind.url(UNKNOWN_ID), json={"first_name": "X"}, headers=admin.headers)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("kind", BOTH)
def test_put_of_an_unknown_profile_by_anonymous_is_401(app, client, kind):
    response = client.put(kind.url(UNKNOWN_ID), json={"first_name": "X"})
    assert_error(response, 401, "unauthorized")


# PUT: the order of the checks


@pytest.mark.parametrize("kind", BOTH)
def test_put_by_someone_else_with_a_bad_body_is_still_403(
    app, client, admin, make_account, full_profile, kind
):
    """The role and ownership check (403) comes before the body's validation (422)."""
    _owner, profile_id = full_profile(kind)
    intruder = make_account(kind.role)
    make_profile(app, kind, intruder)
    before = profile_as_admin(client, admin, kind, profile_id)
    body = {"first_name": "", "user_id": intruder.id}
    response = client.put(kind.url(profile_id), json=body, headers=intruder.headers)
    assert_error(response, 403, "forbidden")
    assert profile_as_admin(client, admin, kind, profile_id) == before


@pytest.mark.parametrize("kind", BOTH)
def test_put_by_someone_else_with_an_unknown_city_is_still_403(
    app, client, admin, make_account, full_profile, kind
):
    _owner, profile_id = full_profile(kind)
    intruder = make_account(kind.role)
    body = {"contact_info": {"city_id": UNKNOWN_ID}}
    response = client.put(kind.url(profile_id), json=body, headers=intruder.headers)
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("kind", BOTH)
def test_put_of_an_unknown_profile_with_a_bad_body_is_still_404(app, client, admin, kind):
    """What the caller may see (404) comes before the body's validation (422)."""
    make_profile(app, kind)
    response = client.put(kind.url(UNKNOWN_ID), json={"first_name": ""}, headers=admin.headers)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("kind", BOTH)
def test_put_by_anonymous_with_a_bad_body_is_still_401(client, full_profile, kind):
    _owner, profile_id = full_profile(kind)
    assert_error(client.put(kind.url(profile_id), json={"first_name": ""}), 401, "unauthorized")


# PUT: bad bodies


@pytest.mark.parametrize("kind", BOTH)
def test_put_unknown_city_id_is_422_and_changes_nothing(client, admin, full_profile, kind):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    body = {"first_name": "Changed", "contact_info": {"phone": "11111", "city_id": UNKNOWN_ID}}
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"contact_info"}
    assert set(error["fields"]["contact_info"]) == {"city_id"}
    assert profile_as_admin(client, admin, kind, profile_id) == before


NOT_TAKEN = [
    pytest.param("user_id", 1, id="user-id"),
    pytest.param("id", 1, id="id"),
    pytest.param("avg_rating", 5, id="avg-rating"),
    pytest.param("reviews_count", 100, id="reviews-count"),
    pytest.param("finished_orders", 100, id="finished-orders"),
    pytest.param("role", "admin", id="role"),
    pytest.param("created_at", "2020-01-01T00:00:00+00:00", id="created-at"),
    pytest.param("updated_at", "2020-01-01T00:00:00+00:00", id="updated-at"),
    pytest.param("lectures", [], id="lectures"),
]


@pytest.mark.parametrize(("name", "value"), NOT_TAKEN)
@pytest.mark.parametrize("kind", BOTH)
def test_put_of_a_field_not_taken_is_422_naming_it(client, admin, full_profile, kind, name, value):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    body = {"first_name": "Changed", name: value}
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert_names_only(assert_error(response, 422, "validation_error"), (name,))
    assert profile_as_admin(client, admin, kind, profile_id) == before


@pytest.mark.parametrize("kind", BOTH)
def test_put_of_several_fields_not_taken_names_them_all(client, full_profile, kind):
    owner, profile_id = full_profile(kind)
    body = {"user_id": 1, "id": 2, "avg_rating": 5, "reviews_count": 9, "role": "admin",
            "created_at": "2020-01-01T00:00:00+00:00"}  # fmt: skip
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == set(body)


PUT_BAD_FIELDS = [
    pytest.param(("first_name",), None, id="first-name-null"),
    pytest.param(("first_name",), "", id="first-name-empty"),
    pytest.param(("first_name",), "x" * 101, id="first-name-101"),
    pytest.param(("last_name",), None, id="last-name-null"),
    pytest.param(("photo_url",), "javascript:alert(1)", id="photo-javascript"),
    pytest.param(("visit_card",), "x" * 5001, id="visit-card-5001"),
    pytest.param(("contact_info",), None, id="contact-null"),
    pytest.param(("contact_info",), "x", id="contact-string"),
    pytest.param(("contact_info", "email"), None, id="email-null"),
    pytest.param(("contact_info", "email"), "nope", id="email-invalid"),
    pytest.param(("contact_info", "phone"), "12", id="phone-too-short"),
    pytest.param(("contact_info", "phone"), "12345\n", id="phone-newline"),
    pytest.param(("contact_info", "city_id"), "1", id="city-string"),
    pytest.param(("contact_info", "city_id"), 0, id="city-zero"),
    pytest.param(("contact_info", "fax"), "12345", id="unknown-in-contact"),
    pytest.param(("contact_info", "city"), {"id": 1}, id="city-object"),
]


@pytest.mark.parametrize(("path", "value"), PUT_BAD_FIELDS)
@pytest.mark.parametrize("kind", BOTH)
def test_put_bad_field_is_422_naming_it_and_changes_nothing(
    client, admin, full_profile, kind, path, value
):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    body = changed({"contact_info": {}}, path, value)
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert_names_only(assert_error(response, 422, "validation_error"), path)
    assert profile_as_admin(client, admin, kind, profile_id) == before


@pytest.mark.parametrize(
    ("kind", "path", "value"),
    [
        pytest.param(LECTURER, ("experience",), "x" * 5001, id="lecturer-experience-5001"),
        pytest.param(LECTURER, ("contact_info", "company"), "Acme", id="lecturer-company"),
        pytest.param(CUSTOMER, ("experience",), "Ten years.", id="customer-experience"),
        pytest.param(CUSTOMER, ("contact_info", "company"), "x" * 201, id="customer-company-201"),
    ],
)
def test_put_kind_specific_bad_field_is_422_naming_it(
    client, admin, full_profile, kind, path, value
):
    owner, profile_id = full_profile(kind)
    before = profile_as_admin(client, admin, kind, profile_id)
    body = changed({"contact_info": {}}, path, value)
    response = client.put(kind.url(profile_id), json=body, headers=owner.headers)
    assert_names_only(assert_error(response, 422, "validation_error"), path)
    assert profile_as_admin(client, admin, kind, profile_id) == before


@pytest.mark.parametrize(("data", "content_type", "status", "code"), MALFORMED_BODIES)
def test_put_malformed_body_is_rejected_and_changes_nothing(
    client, admin, full_profile, data, content_type, status, code
):
    owner, profile_id = full_profile(LECTURER)
    before = profile_as_admin(client, admin, LECTURER, profile_id)
    headers = {**owner.headers, **({"Content-Type": content_type} if content_type else {})}
    response = client.put(LECTURER.url(profile_id), data=data, headers=headers)
    assert_error(response, status, code)
    assert profile_as_admin(client, admin, LECTURER, profile_id) == before
