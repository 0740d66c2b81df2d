"""Section 5: GET /lectures, the catalogue; and the OpenAPI description of the lecture
endpoints."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Lecture, LecturerContactInfo, LecturerProfile
from tests.factories import (
    CityFactory,
    LectureFactory,
    LecturerProfileFactory,
    OrderFactory,
    UserFactory,
)
from tests.helpers import assert_error
from tests.test_lectures import LECTURE_KEYS, add_lecture, ids_of, rate

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
SORTS = ["-created_at", "created_at", "title", "-rating", "rating"]
FILTERS = {"lecturer_id", "city_id", "q", "min_rating"}


def titles_of(response) -> list[str]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"] for item in response.json["items"]]


# GET /lectures: the envelope and paging


def test_empty_catalogue(client):
    response = client.get("/lectures")
    assert response.status_code == 200
    assert response.json == {"items": [], "page": 1, "per_page": 20, "total": 0}


def test_catalogue_envelope_and_defaults(app, client):
    ids = [add_lecture(app, created_at=T0 + timedelta(minutes=n)) for n in range(3)]
    response = client.get("/lectures")
    assert response.status_code == 200
    assert set(response.json) == {"items", "page", "per_page", "total"}
    assert (response.json["page"], response.json["per_page"], response.json["total"]) == (1, 20, 3)
    assert ids_of(response) == ids[::-1]
    for item in response.json["items"]:
        assert set(item) == LECTURE_KEYS
        assert set(item["lecturer"]) == {"id", "first_name", "last_name"}


def test_catalogue_shows_at_most_20_by_default(app, client):
    with app.app_context():
        LectureFactory.create_batch(21, lecturer=LecturerProfileFactory())
        db.session.commit()
    response = client.get("/lectures")
    assert len(response.json["items"]) == 20
    assert response.json["total"] == 21


@pytest.mark.parametrize(
    ("page", "per_page", "expected"),
    [(1, 2, [4, 3]), (2, 2, [2, 1]), (3, 2, [0]), (4, 2, []), (1, 100, [4, 3, 2, 1, 0])],
)
def test_catalogue_pages(app, client, page, per_page, expected):
    ids = [add_lecture(app, created_at=T0 + timedelta(minutes=n)) for n in range(5)]
    response = client.get(f"/lectures?page={page}&per_page={per_page}")
    assert ids_of(response) == [ids[n] for n in expected]
    assert (response.json["page"], response.json["per_page"], response.json["total"]) == (
        page,
        per_page,
        5,
    )


def test_catalogue_leaves_out_archived_lectures(app, client):
    shown = add_lecture(app, title="On offer")
    add_lecture(app, title="Archived", archived=True, orders=1)
    response = client.get("/lectures")
    assert ids_of(response) == [shown]
    assert response.json["total"] == 1


def assert_city_totals_count_the_lectures(app, client, city_ids: list[int]) -> None:
    """Each city's catalogue lists its lectures on offer (those whose lecturer's contact info
    is in the city) and counts them in its `total`."""
    with app.app_context():
        in_city = db.session.execute(
            select(LecturerContactInfo.city_id, Lecture.id)
            .join(Lecture, Lecture.lecturer_id == LecturerContactInfo.profile_id)
            .where(Lecture.archived.is_(False))
        ).all()
    expected = {city: sorted(id_ for at, id_ in in_city if at == city) for city in city_ids}
    pages = {city: client.get(f"/lectures?city_id={city}&per_page=100") for city in city_ids}
    shown = {city: (sorted(ids_of(page)), page.json["total"]) for city, page in pages.items()}
    assert shown == {city: (ids, len(ids)) for city, ids in expected.items()}


def test_city_catalogues_follow_the_lectures_and_their_lecturers_moves(app, client):
    """A lecture is in its lecturer's city: whatever writes the lectures or the contact info,
    through the ORM or in plain SQL, each city's catalogue lists and counts its lectures."""
    lectures, contacts = Lecture.__table__, LecturerContactInfo.__table__
    with app.app_context():
        first, second = CityFactory(), CityFactory()
        ada = LecturerProfileFactory(city=first)
        bob = LecturerProfileFactory(city=second)
        db.session.commit()
        cities, ada_id, bob_id = [first.id, second.id], ada.id, bob.id

    def at(profile_id):
        return contacts.c.profile_id == profile_id

    changes = [
        lambda: LectureFactory.create_batch(3, lecturer=db.session.get(LecturerProfile, ada_id)),
        lambda: LectureFactory(lecturer=db.session.get(LecturerProfile, bob_id)),
        lambda: LectureFactory(lecturer=db.session.get(LecturerProfile, bob_id), archived=True),
        lambda: db.session.execute(lectures.update().where(lectures.c.lecturer_id == bob_id)
                                   .values(archived=False)),
        lambda: db.session.execute(contacts.update().where(at(ada_id)).values(city_id=cities[1])),
        lambda: db.session.execute(contacts.update().where(at(bob_id)).values(city_id=None)),
        lambda: db.session.execute(lectures.update().where(lectures.c.lecturer_id == ada_id)
                                   .values(lecturer_id=bob_id)),
        lambda: db.session.execute(contacts.update().where(at(bob_id)).values(city_id=cities[0])),
        lambda: db.session.execute(contacts.delete().where(at(ada_id))),
        lambda: db.session.execute(lectures.update().values(archived=True)),
        lambda: db.session.execute(lectures.update().values(archived=False)),
        lambda: db.session.execute(contacts.delete()),
        lambda: db.session.execute(lectures.delete()),
    ]  # fmt: skip
    assert_city_totals_count_the_lectures(app, client, cities)
    for change in changes:
        with app.app_context():
            change()
            db.session.commit()
        assert_city_totals_count_the_lectures(app, client, cities)


def test_catalogue_items_show_ratings_from_reviews(app, client):
    with app.app_context():
        rated = LectureFactory(created_at=T0)
        rate(rated, 5, 4, 3)
        unrated = LectureFactory(created_at=T0 - timedelta(days=1))
        OrderFactory(lecture=unrated)
        db.session.commit()
        rated_id, unrated_id = rated.id, unrated.id
    items = client.get("/lectures").json["items"]
    assert [(i["id"], i["avg_rating"], i["reviews_count"]) for i in items] == [
        (rated_id, 4.0, 3),
        (unrated_id, None, 0),
    ]


# GET /lectures: filters


@pytest.fixture
def mixed(app) -> dict[str, int]:
    """Lecturers in cities with lectures of several ratings: names → ids.

    Two users made first, so that profile ids and user ids differ on every database.
    """
    with app.app_context():
        UserFactory.create_batch(2)
        moscow, kazan, empty = CityFactory(name="Moscow"), CityFactory(name="Kazan"), CityFactory()
        p1 = LecturerProfileFactory(city=moscow)
        p2 = LecturerProfileFactory(city=kazan)
        p3 = LecturerProfileFactory()
        lectures = [
            (p1, "Python basics", "A gentle start.", [5]),
            (p1, "Advanced Python", "Metaclasses.", [3]),
            (p1, "Cooking", "Recipes.", []),
            (p2, "Python for kids", "Turtles.", [4]),
            (p2, "Dance", "Salsa for snake charmers.", [5]),
            (p3, "No city python", "Anywhere.", [2]),
        ]
        for profile, title, description, grades in lectures:
            lecture = LectureFactory(lecturer=profile, title=title, description=description)
            rate(lecture, *grades)
        archived = LectureFactory(lecturer=p1, title="Python archive", archived=True)
        rate(archived, 5)
        db.session.commit()
        return {
            "p1": p1.id, "p2": p2.id, "p3": p3.id,
            "moscow": moscow.id, "kazan": kazan.id, "empty": empty.id,
        }  # fmt: skip


def query_of(params: dict, names: dict[str, int]) -> str:
    """A query string; a value that is a name of the fixture stands for its id."""
    return "&".join(f"{key}={names.get(value, value)}" for key, value in params.items())


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"lecturer_id": "p1"}, ["Advanced Python", "Cooking", "Python basics"]),
        ({"lecturer_id": "p2"}, ["Dance", "Python for kids"]),
        ({"lecturer_id": "p3"}, ["No city python"]),
        ({"lecturer_id": 99999}, []),
    ],
    ids=["p1", "p2", "p3", "nobody"],
)
def test_filter_by_lecturer(client, mixed, params, titles):
    response = client.get(f"/lectures?sort=title&{query_of(params, mixed)}")
    assert titles_of(response) == titles
    assert response.json["total"] == len(titles)


def test_filter_by_lecturer_takes_the_profile_id_not_the_user_id(app, client, mixed):
    with app.app_context():
        user_id = db.session.get(LecturerProfile, mixed["p2"]).user_id
    assert user_id != mixed["p2"]
    assert titles_of(client.get(f"/lectures?sort=title&lecturer_id={user_id}")) != [
        "Dance",
        "Python for kids",
    ]


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"city_id": "moscow"}, ["Advanced Python", "Cooking", "Python basics"]),
        ({"city_id": "kazan"}, ["Dance", "Python for kids"]),
        ({"city_id": "empty"}, []),
        ({"city_id": 99999}, []),
    ],
    ids=["moscow", "kazan", "city-without-lecturers", "unknown-city"],
)
def test_filter_by_lecturers_city(client, mixed, params, titles):
    response = client.get(f"/lectures?sort=title&{query_of(params, mixed)}")
    assert titles_of(response) == titles
    assert response.json["total"] == len(titles)


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"lecturer_id": "p1", "q": "python"}, ["Advanced Python", "Python basics"]),
        ({"city_id": "moscow", "min_rating": 4}, ["Python basics"]),
        ({"q": "PYTHON", "min_rating": 4}, ["Python basics", "Python for kids"]),
        ({"q": "snake", "city_id": "kazan"}, ["Dance"]),
        ({"city_id": "kazan", "q": "python", "min_rating": 4.5}, []),
        ({"lecturer_id": "p2", "city_id": "moscow"}, []),
        (
            {"lecturer_id": "p1", "city_id": "moscow", "q": "o", "min_rating": 3},
            ["Advanced Python", "Python basics"],
        ),
    ],  # fmt: skip
    ids=[
        "lecturer-q",
        "city-rating",
        "q-rating",
        "q-in-description-city",
        "nothing-left",
        "lecturer-in-other-city",
        "all-four",
    ],
)
def test_filters_combine(client, mixed, params, titles):
    response = client.get(f"/lectures?sort=title&{query_of(params, mixed)}")
    assert titles_of(response) == titles
    assert response.json["total"] == len(titles)


def test_filters_combine_with_sort_and_paging(client, mixed):
    response = client.get("/lectures?q=python&sort=-rating&per_page=2&page=1")
    assert titles_of(response) == ["Python basics", "Python for kids"]
    assert response.json["total"] == 4


@pytest.mark.parametrize("page", [2, 3])
def test_filtered_total_comes_with_any_page(client, mixed, page):
    """The total rides on the page's rows; a page past the last one counts on its own."""
    response = client.get(f"/lectures?q=python&sort=-rating&per_page=2&page={page}")
    assert len(titles_of(response)) == (2 if page == 2 else 0)
    assert response.json["total"] == 4


@pytest.fixture
def texts(app) -> None:
    """Lectures whose titles and descriptions the `q` filter is tried on."""
    with app.app_context():
        lecturer = LecturerProfileFactory()
        for title, description in [
            ("Python basics", "A gentle start."),
            ("Cooking", "Recipes for Python programmers."),
            ("лекция о космосе", "Звёзды и планеты."),
            ("ЛЕКЦИЯ О МОРЕ", None),
            ("100% practical", "Hands-on."),
            ("1000 practical tips", "Ten times more."),
            ("snake_case naming", "Style."),
            ("snakeXcase naming", "Style."),
            ("AC/DC on stage", "Rock."),
            ("Ёлки", "Новогодняя лекция."),
            ("Rock 'n' roll", "Loud."),
            ("Paths like C:\\temp", "Both %(q)s and %s."),
            ("Café für PYTHON", "Crème brûlée."),
        ]:
            LectureFactory(lecturer=lecturer, title=title, description=description)
        LectureFactory(lecturer=lecturer, title="Archived python", archived=True)
        db.session.commit()


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("Python", ["Café für PYTHON", "Cooking", "Python basics"]),
        ("python", ["Café für PYTHON", "Cooking", "Python basics"]),
        ("PYTHON", ["Café für PYTHON", "Cooking", "Python basics"]),
        ("CAFÉ FÜR", ["Café für PYTHON"]),
        ("BRÛLÉE", ["Café für PYTHON"]),
        ("gentle", ["Python basics"]),
        ("ЛЕКЦИЯ", ["Ёлки", "ЛЕКЦИЯ О МОРЕ", "лекция о космосе"]),
        ("лекция", ["Ёлки", "ЛЕКЦИЯ О МОРЕ", "лекция о космосе"]),
        ("Лекция о", ["ЛЕКЦИЯ О МОРЕ", "лекция о космосе"]),
        ("ЗВЁЗДЫ", ["лекция о космосе"]),
        ("ёлки", ["Ёлки"]),
        ("%", ["100% practical", "Paths like C:\\temp"]),
        ("0%", ["100% practical"]),
        ("e_c", ["snake_case naming"]),
        ("_", ["snake_case naming"]),
        ("/", ["AC/DC on stage"]),
        ("c/d", ["AC/DC on stage"]),
        ("\\", ["Paths like C:\\temp"]),
        ("c:\\temp", ["Paths like C:\\temp"]),
        ("'", ["Rock 'n' roll"]),
        ("'n'", ["Rock 'n' roll"]),
        ("%(q)s", ["Paths like C:\\temp"]),
        ("' or '1'='1", []),
        ("nothing like it", []),
    ],
    ids=[
        "title",
        "lower",
        "upper",
        "accented-upper",
        "accented-description",
        "description",
        "cyrillic-upper",
        "cyrillic-lower",
        "cyrillic-mixed",
        "cyrillic-description",
        "yo",
        "percent",
        "percent-after-digit",
        "underscore-between",
        "underscore",
        "slash",
        "slash-between",
        "backslash",
        "backslash-between",
        "quote",
        "quotes-around",
        "placeholder",
        "quote-injection",
        "no-match",
    ],
)
def test_filter_by_text(client, texts, q, titles):
    response = client.get("/lectures", query_string={"q": q})
    assert sorted(titles_of(response)) == sorted(titles)
    assert response.json["total"] == len(titles)


@pytest.fixture
def rated(app) -> dict[str, int]:
    """Lectures with average ratings 5, 4.5, 3 and none: names → ids."""
    return rated_lectures(app, five=[5], **{"four-half": [4, 5]}, three=[3, 3], none=[])


def rated_lectures(app, **grades_by_name: list[int]) -> dict[str, int]:
    """A lecture of one lecturer for each name, titled so, reviewed with its grades: ids."""
    with app.app_context():
        lecturer = LecturerProfileFactory()
        ids = {}
        for name, grades in grades_by_name.items():
            lecture = LectureFactory(lecturer=lecturer, title=name)
            rate(lecture, *grades)
            ids[name] = lecture.id
        db.session.commit()
        return ids


@pytest.mark.parametrize(
    ("min_rating", "names"),
    [
        ("4.5", ["five", "four-half"]),
        ("5", ["five"]),
        ("4.51", ["five"]),
        ("3", ["five", "four-half", "three"]),
        ("1", ["five", "four-half", "three"]),
        ("3.01", ["five", "four-half"]),
    ],
)
def test_filter_by_min_rating(client, rated, min_rating, names):
    response = client.get(f"/lectures?sort=-rating&min_rating={min_rating}")
    assert ids_of(response) == [rated[name] for name in names]
    assert response.json["total"] == len(names)


@pytest.fixture
def rounded(app) -> dict[str, int]:
    """Lectures whose averages are not shown as stored: 14/3 (4.67) and 33/8 (4.13, half up)."""
    return rated_lectures(app, **{"4.67": [5, 5, 4], "4.13": [5, 5, 4, 4, 4, 4, 4, 3]})


@pytest.mark.parametrize(
    ("min_rating", "names"),
    [
        ("4.67", ["4.67"]),
        ("4.665", ["4.67"]),
        ("4.671", []),
        ("4.13", ["4.67", "4.13"]),
        ("4.125", ["4.67", "4.13"]),
        ("4.131", ["4.67"]),
    ],
)
def test_min_rating_compares_the_average_as_shown(client, rounded, min_rating, names):
    """A lecture passes when the average its answer shows (2 decimals) is min_rating or more."""
    response = client.get(f"/lectures?sort=-rating&min_rating={min_rating}")
    assert ids_of(response) == [rounded[name] for name in names]
    assert [item["avg_rating"] for item in response.json["items"]] == [float(n) for n in names]


# GET /lectures: sorting


@pytest.fixture
def sortable(app) -> dict[str, int]:
    """Lectures whose title, age and rating orders all differ: titles → ids.

    Created in an order that is none of the sort orders, so that no sort passes by
    following the ids; only Astronomy is unrated.
    """
    with app.app_context():
        lecturer = LecturerProfileFactory()
        ids = {}
        for title, minutes, grades in [
            ("Cooking", 2, [4]),
            ("Astronomy", 0, []),
            ("Botany", 3, [5]),
            ("Dance", 1, [3, 2]),
            ("Economics", 4, [4, 5, 5, 5]),
        ]:
            lecture = LectureFactory(
                lecturer=lecturer, title=title, created_at=T0 + timedelta(minutes=minutes)
            )
            rate(lecture, *grades)
            ids[title] = lecture.id
        db.session.commit()
        return ids


@pytest.mark.parametrize(
    ("sort", "titles"),
    [
        ("-created_at", ["Economics", "Botany", "Cooking", "Dance", "Astronomy"]),
        ("created_at", ["Astronomy", "Dance", "Cooking", "Botany", "Economics"]),
        ("title", ["Astronomy", "Botany", "Cooking", "Dance", "Economics"]),
        ("-rating", ["Botany", "Economics", "Cooking", "Dance", "Astronomy"]),
        ("rating", ["Dance", "Cooking", "Economics", "Botany", "Astronomy"]),
    ],
)
def test_sort(client, sortable, sort, titles):
    response = client.get(f"/lectures?sort={sort}")
    assert ids_of(response) == [sortable[title] for title in titles]


def test_default_sort_is_newest_first(client, sortable):
    titles = ["Economics", "Botany", "Cooking", "Dance", "Astronomy"]
    assert ids_of(client.get("/lectures")) == [sortable[title] for title in titles]


@pytest.mark.parametrize("sort", ["-rating", "rating"])
def test_unrated_lectures_come_last(app, client, sort):
    with app.app_context():
        lecturer = LecturerProfileFactory()
        unrated = [LectureFactory(lecturer=lecturer).id for _ in range(2)]
        for grade in (1, 5):
            lecture = LectureFactory(lecturer=lecturer)
            rate(lecture, grade)
        db.session.commit()
    ids = ids_of(client.get(f"/lectures?sort={sort}"))
    assert set(ids[2:]) == set(unrated)


@pytest.mark.parametrize("name", ["lecturer_id", "city_id"])
def test_filter_by_an_id_no_row_has_finds_nothing(client, mixed, name):
    response = client.get(f"/lectures?{name}=2147483647")
    assert ids_of(response) == []
    assert response.json["total"] == 0


@pytest.mark.parametrize("name", ["lecturer_id", "city_id"])
@pytest.mark.parametrize("value", ["2147483648", "99999999999", "999999999999999999"])
def test_filter_by_an_id_past_the_id_range_is_400(client, name, value):
    assert_error(client.get(f"/lectures?{name}={value}"), 400, "bad_request")


# GET /lectures: bad query parameters


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=1.5",
        "per_page=0",
        "per_page=101",
        "per_page=x",
        "sort=price",
        "sort=",
        "sort=RATING",
        "sort=-title",
        "min_rating=0",
        "min_rating=0.99",
        "min_rating=5.5",
        "min_rating=5.01",
        "min_rating=-1",
        "min_rating=abc",
        "min_rating=nan",
        "min_rating=inf",
        "min_rating=",
        "lecturer_id=x",
        "lecturer_id=0",
        "lecturer_id=-1",
        "lecturer_id=1.5",
        "lecturer_id=",
        "lecturer_id=100000000000000000000",
        "city_id=-1",
        "city_id=0",
        "city_id=abc",
        "city_id=100000000000000000000",
        "q=" + "x" * 201,
        "q=a%00b",
    ],
)
def test_bad_query_parameter_is_400(client, query):
    response = client.get(f"/lectures?{query}")
    error = assert_error(response, 400, "bad_request")
    assert query.split("=")[0] in error["message"]


# The OpenAPI description


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json


def schema_of(spec: dict, ref: dict) -> dict:
    return spec["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("post", "/create_lectures", {"201", "400", "401", "403", "413", "415", "422"}),
        ("get", "/lectures", {"200", "400"}),
        ("get", "/lecture/{lecture_id}", {"200", "404"}),
        (
            "put",
            "/lecture/{lecture_id}",
            {"200", "400", "401", "403", "404", "409", "413", "415", "422"},
        ),
        ("delete", "/lecture/{lecture_id}", {"204", "401", "403", "404"}),
    ],  # fmt: skip
)
def test_spec_documents_each_operation_and_its_codes(spec, method, path, codes):
    operation = spec["paths"][path][method]
    assert set(operation["responses"]) == codes | {"default"}
    assert operation["summary"]


@pytest.mark.parametrize(
    ("method", "path", "protected"),
    [
        ("post", "/create_lectures", True),
        ("get", "/lectures", False),
        ("get", "/lecture/{lecture_id}", False),
        ("put", "/lecture/{lecture_id}", True),
        ("delete", "/lecture/{lecture_id}", True),
    ],
)
def test_spec_marks_protected_operations(spec, method, path, protected):
    security = spec["paths"][path][method].get("security", [])
    assert ({"bearerAuth": []} in security) is protected


def test_spec_documents_the_path_id(spec):
    [parameter] = spec["paths"]["/lecture/{lecture_id}"]["parameters"]
    assert parameter["in"] == "path"
    assert parameter["schema"]["type"] == "integer"
    assert parameter["schema"]["minimum"] == 1


def test_spec_documents_catalogue_parameters(spec):
    parameters = {p["name"]: p for p in spec["paths"]["/lectures"]["get"]["parameters"]}
    assert set(parameters) == {"page", "per_page", "sort", *FILTERS}
    assert all(p["in"] == "query" and not p["required"] for p in parameters.values())
    assert parameters["sort"]["schema"]["enum"] == SORTS
    assert parameters["sort"]["schema"]["default"] == "-created_at"
    assert parameters["min_rating"]["schema"]["type"] == "number"
    min_rating = parameters["min_rating"]["schema"]
    assert (min_rating["minimum"], min_rating["maximum"]) == (1, 5)
    assert parameters["q"]["schema"]["maxLength"] == 200
    assert parameters["lecturer_id"]["schema"]["type"] == "integer"
    assert parameters["city_id"]["schema"]["type"] == "integer"
    assert parameters["per_page"]["schema"]["maximum"] == 100


def test_spec_documents_the_create_body(spec):
    body = spec["paths"]["/create_lectures"]["post"]["requestBody"]
    assert body["required"] is True
    schema = schema_of(spec, body["content"]["application/json"]["schema"])
    assert set(schema["properties"]) == {"title", "description", "duration_minutes", "price"}
    assert schema["required"] == ["title"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["title"]["maxLength"] == 200
    assert schema["properties"]["description"]["maxLength"] == 10000
    duration = schema["properties"]["duration_minutes"]
    assert (duration["minimum"], duration["maximum"]) == (15, 1440)
    assert "number" in schema["properties"]["price"]["type"]
    assert schema["properties"]["price"]["minimum"] == 0


def test_spec_documents_the_update_body_as_partial(spec):
    body = spec["paths"]["/lecture/{lecture_id}"]["put"]["requestBody"]
    assert body["required"] is False  # no body at all is an update that changes nothing
    schema = schema_of(spec, body["content"]["application/json"]["schema"])
    assert set(schema["properties"]) == {"title", "description", "duration_minutes", "price"}
    assert "required" not in schema
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/create_lectures", "201"),
        ("get", "/lecture/{lecture_id}", "200"),
        ("put", "/lecture/{lecture_id}", "200"),
    ],
)
def test_spec_documents_the_lecture_answer(spec, method, path, status):
    response = spec["paths"][path][method]["responses"][status]
    schema = schema_of(spec, response["content"]["application/json"]["schema"])
    assert set(schema["properties"]) == LECTURE_KEYS
    assert set(schema["required"]) == LECTURE_KEYS
    lecturer = schema_of(spec, schema["properties"]["lecturer"])
    assert set(lecturer["properties"]) == {"id", "first_name", "last_name"}
    assert "null" in schema["properties"]["avg_rating"]["type"]
    assert "number" in schema["properties"]["price"]["type"]


def test_spec_documents_the_catalogue_envelope(spec):
    response = spec["paths"]["/lectures"]["get"]["responses"]["200"]
    schema = schema_of(spec, response["content"]["application/json"]["schema"])
    assert set(schema["properties"]) == {"items", "page", "per_page", "total"}
    item = schema_of(spec, schema["properties"]["items"]["items"])
    assert set(item["properties"]) == LECTURE_KEYS
