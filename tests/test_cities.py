"""Section 3: POST /add_city and GET /cities."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import City
from tests.factories import CityFactory
from tests.helpers import assert_error

CITY_KEYS = {"id", "name", "timezone", "utc_offset"}


def stored_cities(app) -> list[tuple[str, str]]:
    """(name, timezone) of every city in the database, by id."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(select(City.name, City.timezone).order_by(City.id))
        ]


def count_cities(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(City))


def make_cities(app, *names: str) -> None:
    with app.app_context():
        for name in names:
            CityFactory(name=name)
        db.session.commit()


def names_of(response) -> list[str]:
    return [city["name"] for city in response.json["items"]]


# POST /add_city: success


def test_admin_adds_city_and_gets_it_back(app, client, admin):
    response = client.post(
        "/add_city", json={"name": "Moscow", "timezone": "Europe/Moscow"}, headers=admin.headers
    )
    assert response.status_code == 201
    assert set(response.json) == CITY_KEYS
    assert isinstance(response.json["id"], int) and response.json["id"] > 0
    assert response.json["name"] == "Moscow"
    assert response.json["timezone"] == "Europe/Moscow"
    assert stored_cities(app) == [("Moscow", "Europe/Moscow")]


@pytest.mark.parametrize(
    ("timezone", "utc_offset"),
    [
        ("Europe/Moscow", "+03:00"),
        ("UTC", "+00:00"),
        ("America/Sao_Paulo", "-03:00"),
        ("Asia/Kolkata", "+05:30"),
        ("Asia/Kathmandu", "+05:45"),
        ("Etc/GMT+3", "-03:00"),
    ],
)
def test_utc_offset_is_the_zones_offset_now(client, admin, timezone, utc_offset):
    response = client.post(
        "/add_city", json={"name": "Somewhere", "timezone": timezone}, headers=admin.headers
    )
    assert response.status_code == 201
    assert response.json["timezone"] == timezone
    assert response.json["utc_offset"] == utc_offset


def test_timezone_defaults_to_utc(app, client, admin):
    response = client.post("/add_city", json={"name": "Greenwich"}, headers=admin.headers)
    assert response.status_code == 201
    assert response.json["timezone"] == "UTC"
    assert response.json["utc_offset"] == "+00:00"
    assert stored_cities(app) == [("Greenwich", "UTC")]


@pytest.mark.parametrize(
    "name",
    ["  Saint-PETERSBURG ", "Нижний Новгород", "São Paulo", "x", "я" * 100, "🏙" * 100],
    ids=["spaces-and-case", "cyrillic", "accents", "one-char", "100-cyrillic", "100-emoji"],
)
def test_name_is_stored_as_sent(app, client, admin, name):
    response = client.post("/add_city", json={"name": name}, headers=admin.headers)
    assert response.status_code == 201
    assert response.json["name"] == name
    assert stored_cities(app) == [(name, "UTC")]


# POST /add_city: who may


def test_anonymous_may_not_add_city(app, client):
    response = client.post("/add_city", json={"name": "Moscow"})
    assert_error(response, 401, "unauthorized")
    assert set(response.json["error"]) == {"status", "code", "message"}
    assert count_cities(app) == 0


@pytest.mark.parametrize("role", ["customer", "lecturer"])
def test_non_admin_may_not_add_city(app, client, make_account, role):
    account = make_account(role)
    response = client.post("/add_city", json={"name": "Moscow"}, headers=account.headers)
    assert_error(response, 403, "forbidden")
    assert set(response.json["error"]) == {"status", "code", "message"}
    assert count_cities(app) == 0


# POST /add_city: conflicts


@pytest.mark.parametrize(
    ("existing", "sent"),
    [("Moscow", "Moscow"), ("Moscow", "MOSCOW"), ("Москва", "МОСКВА"), ("ёлкино", "ЁЛКИНО")],
    ids=["same", "ascii-case", "cyrillic-case", "yo-case"],
)
def test_name_already_there_in_any_case_is_409(app, client, admin, existing, sent):
    make_cities(app, existing)
    response = client.post("/add_city", json={"name": sent}, headers=admin.headers)
    assert_error(response, 409, "conflict")
    assert [name for name, _ in stored_cities(app)] == [existing]


# POST /add_city: bad bodies


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "я" * 101}, "name"),
        ({"name": 42}, "name"),
        ({"name": ["Moscow"]}, "name"),
        ({"name": None}, "name"),
        ({"timezone": "UTC"}, "name"),
        ({}, "name"),
        ({"name": "Mos\x00cow"}, "name"),
        ({"name": "Mos\ud800cow"}, "name"),
        ({"name": "Base", "timezone": "Mars/Base"}, "timezone"),
        ({"name": "Base", "timezone": "../etc/passwd"}, "timezone"),
        ({"name": "Base", "timezone": ""}, "timezone"),
        ({"name": "Base", "timezone": 3}, "timezone"),
        ({"name": "Base", "timezone": None}, "timezone"),
        ({"name": "Base", "country": "RU"}, "country"),
    ],
    ids=[
        "empty-name", "101-name", "101-cyrillic-name", "name-number", "name-list", "name-null",
        "name-missing", "empty-object", "name-nul", "name-lone-surrogate", "tz-unknown",
        "tz-path", "tz-empty", "tz-number", "tz-null", "unknown-field",
    ],
)  # fmt: skip
def test_bad_body_is_422_naming_the_field(app, client, admin, body, field):
    response = client.post("/add_city", json=body, headers=admin.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {field}
    assert count_cities(app) == 0


# GET /cities


def test_empty_list_has_the_envelope_and_defaults(client):
    response = client.get("/cities")
    assert response.status_code == 200
    assert response.json == {"items": [], "page": 1, "per_page": 20, "total": 0}


def test_list_items_are_cities(app, client):
    make_cities(app, "Moscow")
    response = client.get("/cities")
    assert response.status_code == 200
    [city] = response.json["items"]
    assert set(city) == CITY_KEYS
    assert city["name"] == "Moscow"
    assert city["timezone"] == "Europe/Moscow"
    assert city["utc_offset"] == "+03:00"


def test_list_defaults_to_first_page_of_twenty(app, client):
    make_cities(app, *(f"City {n:02d}" for n in range(25)))
    response = client.get("/cities")
    assert response.status_code == 200
    assert response.json["page"] == 1
    assert response.json["per_page"] == 20
    assert response.json["total"] == 25
    assert names_of(response) == [f"City {n:02d}" for n in range(20)]


def test_list_is_sorted_by_name_ignoring_case(app, client):
    make_cities(app, "cherry", "Date", "banana", "Apple", "ёлкино", "Абакан")
    response = client.get("/cities")
    assert names_of(response) == ["Apple", "banana", "cherry", "Date", "Абакан", "ёлкино"]


@pytest.mark.parametrize(
    ("page", "per_page", "expected"),
    [
        (1, 1, ["Apple"]),
        (2, 1, ["banana"]),
        (3, 1, ["cherry"]),
        (2, 2, ["cherry"]),
        (1, 100, ["Apple", "banana", "cherry"]),
        (4, 1, []),
        (2, 100, []),
    ],
)
def test_list_pages(app, client, page, per_page, expected):
    make_cities(app, "cherry", "banana", "Apple")
    response = client.get("/cities", query_string={"page": page, "per_page": per_page})
    assert response.status_code == 200
    assert response.json == {
        "items": response.json["items"],
        "page": page,
        "per_page": per_page,
        "total": 3,
    }
    assert names_of(response) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("mos", ["Moscow"]),
        ("MOSC", ["Moscow"]),
        ("oScO", ["Moscow"]),
        ("моск", ["Москва"]),
        ("МОСКВ", ["Москва"]),
        ("an", ["Kazan"]),
        ("ань", ["Казань"]),
        ("nowhere", []),
    ],
)
def test_q_filters_by_part_of_name_ignoring_case(app, client, q, expected):
    make_cities(app, "Moscow", "Москва", "Kazan", "Казань")
    response = client.get("/cities", query_string={"q": q})
    assert response.status_code == 200
    assert names_of(response) == expected
    assert response.json["total"] == len(expected)


@pytest.mark.parametrize(
    ("q", "names", "expected"),
    [
        ("%", ["Moscow", "Kazan"], []),
        ("%", ["Moscow", "100% Town"], ["100% Town"]),
        ("_", ["Moscow", "AxB"], []),
        ("_", ["A_B", "AxB"], ["A_B"]),
        ("a%b", ["aXYb", "a%b city"], ["a%b city"]),
        ("/", ["Rostov/Don", "Rostov"], ["Rostov/Don"]),
        ("\\", ["Back\\slash", "Back"], ["Back\\slash"]),
    ],
    ids=["percent-none", "percent", "underscore-none", "underscore", "pattern", "slash", "bslash"],
)
def test_q_wildcards_match_literally(app, client, q, names, expected):
    make_cities(app, *names)
    response = client.get("/cities", query_string={"q": q})
    assert response.status_code == 200
    assert names_of(response) == expected
    assert response.json["total"] == len(expected)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "0"),
        ("page", "-1"),
        ("page", "abc"),
        ("page", "1.5"),
        ("per_page", "0"),
        ("per_page", "101"),
        ("per_page", "x"),
    ],
)
def test_bad_paging_parameter_is_400(client, name, value):
    response = client.get("/cities", query_string={name: value})
    assert_error(response, 400, "bad_request")
