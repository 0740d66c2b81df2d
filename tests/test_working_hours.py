"""Section 12: a lecturer profile's working_hours, as POST and PUT take them and answers show."""

import pytest

from tests.helpers import assert_error
from tests.test_profiles import CUSTOMER, LECTURER, count_rows, make_profile, valid_body

MORNING = {"start": "09:00", "end": "13:00"}
AFTERNOON = {"start": "14:00", "end": "18:00"}
WEEKDAYS = {"mon": [MORNING, AFTERNOON], "wed": [MORNING], "fri": [AFTERNOON]}


def interval(start: str, end: str) -> dict:
    return {"start": start, "end": end}


def create(client, account, working_hours) -> object:
    body = {**valid_body(LECTURER), "working_hours": working_hours}
    return client.post(LECTURER.create_path, json=body, headers=account.headers)


def put(client, account, profile_id: int, body: dict) -> object:
    return client.put(LECTURER.url(profile_id), json=body, headers=account.headers)


def shown(client, profile_id: int) -> dict:
    response = client.get(LECTURER.url(profile_id))
    assert response.status_code == 200
    return response.json


@pytest.fixture
def profile_id(app, lecturer) -> int:
    """The lecturer's profile, working WEEKDAYS."""
    return make_profile(app, LECTURER, lecturer, working_hours=WEEKDAYS)


# What is valid, and how it shows


@pytest.mark.parametrize(
    "working_hours",
    [
        pytest.param(WEEKDAYS, id="weekdays"),
        pytest.param({"sun": [interval("00:00", "24:00")]}, id="whole-day-to-24-00"),
        pytest.param({"sat": [interval("20:00", "24:00")]}, id="evening-to-24-00"),
        pytest.param({"mon": [interval("23:59", "24:00")]}, id="last-minute"),
        pytest.param({"tue": [interval("09:00", "12:00"), interval("12:00", "18:00")]},
                     id="touching"),
        pytest.param({"thu": [interval(f"{h:02d}:00", f"{h:02d}:30") for h in (8, 10, 12, 14)]},
                     id="4-intervals"),
        pytest.param({day: [MORNING] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                     id="every-day"),
        pytest.param({}, id="no-day-at-all"),
        pytest.param(None, id="null"),
    ],
)  # fmt: skip
def test_create_takes_working_hours_and_shows_them(client, lecturer, working_hours):
    response = create(client, lecturer, working_hours)
    assert response.status_code == 201, response.json
    assert response.json["working_hours"] == working_hours
    assert shown(client, response.json["id"])["working_hours"] == working_hours


def test_a_profile_created_without_hours_works_any_time(client, lecturer):
    body = valid_body(LECTURER)
    response = client.post(LECTURER.create_path, json=body, headers=lecturer.headers)
    assert response.status_code == 201, response.json
    assert response.json["working_hours"] is None


def test_days_are_shown_in_the_order_of_the_week(client, lecturer):
    response = create(client, lecturer, {"sun": [MORNING], "mon": [AFTERNOON], "wed": [MORNING]})
    assert list(response.json["working_hours"]) == ["mon", "wed", "sun"]


def test_the_own_profile_shows_the_hours(client, lecturer, profile_id):
    response = client.get(LECTURER.create_path, headers=lecturer.headers)
    assert response.status_code == 200
    assert response.json["working_hours"] == WEEKDAYS


def test_the_public_profile_shows_the_hours(client, profile_id):
    assert shown(client, profile_id)["working_hours"] == WEEKDAYS


def test_a_customer_profile_takes_no_working_hours(app, client, customer):
    body = {**valid_body(CUSTOMER), "working_hours": WEEKDAYS}
    response = client.post(CUSTOMER.create_path, json=body, headers=customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"working_hours"}
    assert count_rows(app, CUSTOMER) == (0, 0)


# PUT /lecture_profile/<id>: replaces the hours whole, null clears them, leaving out keeps them


def test_put_replaces_the_hours_whole(client, lecturer, profile_id):
    response = put(client, lecturer, profile_id, {"working_hours": {"tue": [AFTERNOON]}})
    assert response.status_code == 200, response.json
    assert response.json["working_hours"] == {"tue": [AFTERNOON]}
    assert shown(client, profile_id)["working_hours"] == {"tue": [AFTERNOON]}


def test_put_null_clears_the_hours(client, lecturer, profile_id):
    response = put(client, lecturer, profile_id, {"working_hours": None})
    assert response.status_code == 200, response.json
    assert response.json["working_hours"] is None
    assert shown(client, profile_id)["working_hours"] is None


def test_put_without_the_hours_keeps_them(client, lecturer, profile_id):
    response = put(client, lecturer, profile_id, {"first_name": "Olga"})
    assert response.status_code == 200, response.json
    assert response.json["working_hours"] == WEEKDAYS


def test_an_admin_may_set_the_hours(client, admin, profile_id):
    response = put(client, admin, profile_id, {"working_hours": {"sat": [MORNING]}})
    assert response.status_code == 200, response.json
    assert shown(client, profile_id)["working_hours"] == {"sat": [MORNING]}


def test_put_by_another_lecturer_is_403_and_changes_nothing(client, make_account, profile_id):
    other = make_account("lecturer")
    response = put(client, other, profile_id, {"working_hours": {"mon": "bad"}})
    assert_error(response, 403, "forbidden")
    assert shown(client, profile_id)["working_hours"] == WEEKDAYS


# What is not valid: 422 on working_hours, and nothing created or changed

BAD_HOURS = [
    pytest.param([MORNING], "An object whose keys are days", id="a-list"),
    pytest.param("mon 09:00-13:00", "An object whose keys are days", id="a-string"),
    pytest.param(5, "An object whose keys are days", id="a-number"),
    pytest.param({"monday": [MORNING]}, "Not a day", id="unknown-day"),
    pytest.param({"Mon": [MORNING]}, "Not a day", id="day-in-capitals"),
    pytest.param({"mon": []}, "From 1 to 4 intervals", id="empty-day"),
    pytest.param({"mon": None}, "Leave out a day off", id="null-day"),
    pytest.param({"mon": MORNING}, "A list of 1 to 4 intervals", id="day-not-a-list"),
    pytest.param({"mon": [interval(f"{h:02d}:00", f"{h:02d}:30") for h in (8, 10, 12, 14, 16)]},
                 "From 1 to 4 intervals", id="5-intervals"),
    pytest.param({"mon": ["09:00-13:00"]}, "An interval is an object", id="interval-a-string"),
    pytest.param({"mon": [interval("9:00", "13:00")]}, "HH:MM", id="one-digit-hour"),
    pytest.param({"mon": [interval("09:00", "25:00")]}, "HH:MM", id="hour-25"),
    pytest.param({"mon": [interval("09:00", "12:60")]}, "HH:MM", id="minute-60"),
    pytest.param({"mon": [interval("24:00", "24:00")]}, "HH:MM", id="start-24-00"),
    pytest.param({"mon": [interval("09:00", "24:01")]}, "HH:MM", id="end-24-01"),
    pytest.param({"mon": [interval("09:00:00", "13:00")]}, "HH:MM", id="with-seconds"),
    pytest.param({"mon": [interval("09:00 ", "13:00")]}, "HH:MM", id="trailing-space"),
    pytest.param({"mon": [interval("０９:00", "13:00")]}, "HH:MM", id="wide-digits"),
    pytest.param({"mon": [{"start": 9, "end": 13}]}, "Not a valid string", id="numbers"),
    pytest.param({"mon": [{"start": "09:00"}]}, "Missing data", id="no-end"),
    pytest.param({"mon": [{**MORNING, "note": "x"}]}, "only start and end", id="extra-key"),
    pytest.param({"mon": [interval("13:00", "09:00")]}, "after start", id="start-after-end"),
    pytest.param({"mon": [interval("09:00", "09:00")]}, "after start", id="start-is-end"),
    pytest.param({"mon": [AFTERNOON, MORNING]}, "in order", id="out-of-order"),
    pytest.param({"mon": [interval("09:00", "13:00"), interval("12:00", "18:00")]},
                 "overlap", id="overlapping"),
    pytest.param({"mon": [interval("09:00", "18:00"), interval("10:00", "11:00")]},
                 "overlap", id="one-inside-another"),
]  # fmt: skip


def messages(tree) -> list[str]:
    """Every message in a (possibly nested) `fields` entry."""
    if isinstance(tree, list):
        return tree
    return [message for child in tree.values() for message in messages(child)]


def assert_bad_hours(response, hint: str) -> None:
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"working_hours"}, error
    assert any(hint in message for message in messages(error["fields"]["working_hours"])), error


@pytest.mark.parametrize(("working_hours", "hint"), BAD_HOURS)
def test_create_with_bad_hours_is_422_and_creates_nothing(
    app, client, lecturer, working_hours, hint
):
    assert_bad_hours(create(client, lecturer, working_hours), hint)
    assert count_rows(app, LECTURER) == (0, 0)


@pytest.mark.parametrize(("working_hours", "hint"), BAD_HOURS)
def test_put_of_bad_hours_is_422_and_changes_nothing(
    client, lecturer, profile_id, working_hours, hint
):
    before = shown(client, profile_id)
    body = {"first_name": "Olga", "working_hours": working_hours}
    assert_bad_hours(put(client, lecturer, profile_id, body), hint)
    assert shown(client, profile_id) == before


def test_the_422_says_where_in_the_hours_the_fault_is(client, lecturer):
    response = create(client, lecturer, {"mon": [MORNING, interval("14:00", "12:60")]})
    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {
        "working_hours": {"mon": {"1": {"end": ["A local time as HH:MM, from 00:00 to 24:00."]}}}
    }


def test_the_422_names_the_overlapping_intervals(client, lecturer):
    response = create(client, lecturer, {"fri": [MORNING, interval("12:00", "15:00")]})
    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {
        "working_hours": {
            "fri": ["The intervals overlap: 12:00–15:00 starts before 09:00–13:00 ends."]
        }
    }
