"""GET /lecturer_schedule/<lecturer_id>: a lecturer's hours and the spans they are booked."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import LecturerProfile
from app.models.base import utcnow
from tests.factories import CityFactory
from tests.helpers import assert_error
from tests.orders_helpers import BAD_PATH_IDS, UNKNOWN_ID, add_order, add_other_order

pytest_plugins = ["tests.orders_fixtures"]

HOURS = {"mon": [{"start": "09:00", "end": "13:00"}, {"start": "14:00", "end": "18:00"}]}
SOON = utcnow().replace(microsecond=0) + timedelta(days=3)


def iso(moment) -> str:
    return moment.isoformat()


def schedule(client, lecturer_id: int, **query):
    return client.get(f"/lecturer_schedule/{lecturer_id}", query_string=query)


@pytest.fixture
def berlin(app, parties) -> None:
    """The parties' lecturer works in Berlin, on Mondays."""
    with app.app_context():
        profile = db.session.get(LecturerProfile, parties.lecturer_profile_id)
        profile.contact_info.city = CityFactory(name="Berlin", timezone="Europe/Berlin")
        profile.working_hours = HOURS
        db.session.commit()


def held(app, parties, starts_in: timedelta, status: str = "accepted") -> tuple[str, str]:
    """An order of the parties in a status, starting SOON + starts_in; its span."""
    starts_at = SOON + starts_in
    add_order(app, parties, status, scheduled_at=starts_at)
    return iso(starts_at), iso(starts_at + timedelta(hours=1))


def test_anyone_sees_the_lecturer_s_zone_hours_and_held_spans_by_start(
    app, client, parties, berlin
):
    later = held(app, parties, timedelta(days=2))
    sooner = held(app, parties, timedelta(hours=1))
    response = schedule(client, parties.lecturer_profile_id)
    assert response.status_code == 200
    assert response.json == {
        "lecturer_id": parties.lecturer_profile_id,
        "timezone": "Europe/Berlin",
        "working_hours": HOURS,
        "busy": [{"start": s, "end": e} for s, e in (sooner, later)],
    }


@pytest.mark.parametrize("status", ["created", "refused", "canceled", "finished"])
def test_orders_that_hold_no_time_are_not_shown(app, client, parties, status):
    held(app, parties, timedelta(hours=1), status=status)
    assert schedule(client, parties.lecturer_profile_id).json["busy"] == []


def test_the_window_defaults_to_the_next_30_days(app, client, parties):
    inside = held(app, parties, timedelta(days=20))
    held(app, parties, timedelta(days=31))
    held(app, parties, -timedelta(days=5))
    busy = schedule(client, parties.lecturer_profile_id).json["busy"]
    assert busy == [{"start": inside[0], "end": inside[1]}]


def test_to_defaults_to_30_days_after_from(app, client, parties):
    inside = held(app, parties, timedelta(days=125))
    held(app, parties, timedelta(days=131))
    window = {"from": iso(SOON + timedelta(days=100))}
    busy = schedule(client, parties.lecturer_profile_id, **window).json["busy"]
    assert busy == [{"start": inside[0], "end": inside[1]}]


def test_only_the_lecturer_s_own_orders_are_shown(app, client, parties):
    own = held(app, parties, timedelta(hours=1))
    add_other_order(app, "accepted", scheduled_at=SOON + timedelta(hours=3))
    busy = schedule(client, parties.lecturer_profile_id).json["busy"]
    assert busy == [{"start": own[0], "end": own[1]}]


def test_a_span_that_crosses_an_edge_of_the_window_is_shown(app, client, parties):
    start, end = held(app, parties, timedelta(0))
    window = {"from": iso(SOON + timedelta(minutes=30)), "to": iso(SOON + timedelta(days=1))}
    assert schedule(client, parties.lecturer_profile_id, **window).json["busy"] == [
        {"start": start, "end": end}
    ]
    touching = {"from": end, "to": iso(SOON + timedelta(days=1))}
    assert schedule(client, parties.lecturer_profile_id, **touching).json["busy"] == []


def test_a_lecturer_with_no_city_and_no_hours(client, parties):
    response = schedule(client, parties.lecturer_profile_id)
    assert response.json["timezone"] == "UTC"
    assert response.json["working_hours"] is None


def test_the_schedule_is_read_in_one_statement(app, client, parties, berlin, sent_statements):
    for day in range(3):
        held(app, parties, timedelta(days=day))
    statements = sent_statements(lambda: schedule(client, parties.lecturer_profile_id))
    assert len(statements) == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        pytest.param({"from": "2031-01-02T00:00:00Z", "to": "2031-01-01T00:00:00Z"}, "to",
                     id="to-before-from"),
        pytest.param({"from": "2031-01-01T00:00:00Z", "to": "2031-01-01T00:00:00Z"}, "to",
                     id="to-at-from"),
        pytest.param({"from": "2031-01-01T00:00:00Z", "to": "2031-04-03T00:00:01Z"}, "to",
                     id="more-than-92-days"),
        pytest.param({"from": "2031-01-01T00:00:00"}, "from", id="from-without-offset"),
        pytest.param({"to": "soon"}, "to", id="to-not-a-time"),
        pytest.param({"from": "9999-12-31T00:00:00Z"}, "from", id="from-in-year-9999"),
        pytest.param({"from": "0001-01-01T00:30:00Z", "to": "1900-01-01T00:00:00Z"}, "from",
                     id="from-in-year-1"),
        pytest.param({"from": "1899-12-31T23:59:59Z", "to": "1900-01-01T00:00:00Z"}, "from",
                     id="from-before-1900"),
        pytest.param({"from": "2999-12-31T00:00:00Z", "to": "3000-01-01T00:00:00Z"}, "to",
                     id="to-in-year-3000"),
    ],
)  # fmt: skip
def test_a_window_the_api_does_not_serve_is_400_naming_it(client, parties, query, parameter):
    response = schedule(client, parties.lecturer_profile_id, **query)
    assert set(assert_error(response, 400, "bad_request")["fields"]) == {parameter}


def test_a_window_at_the_ends_of_the_times_taken_is_served(client, parties):
    for window in [
        {"from": "1900-01-01T00:00:00Z", "to": "1900-01-02T00:00:00Z"},
        {"from": "2999-12-31T00:00:00Z", "to": "2999-12-31T23:59:59Z"},
    ]:
        assert schedule(client, parties.lecturer_profile_id, **window).status_code == 200


def test_a_window_of_exactly_92_days_is_served(client, parties):
    window = {"from": "2031-01-01T00:00:00Z", "to": "2031-04-03T00:00:00Z"}
    assert schedule(client, parties.lecturer_profile_id, **window).status_code == 200


@pytest.mark.parametrize("path_id", [*BAD_PATH_IDS, str(UNKNOWN_ID)])
def test_no_such_lecturer_is_404(client, path_id):
    assert_error(client.get(f"/lecturer_schedule/{path_id}"), 404, "not_found")
