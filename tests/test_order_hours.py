"""Section 12: orders, and new order times, inside the lecturer's working hours.

The lecturer works in Europe/Berlin unless a test says otherwise: UTC+1 in winter, UTC+2 in
summer, the change on the last Sunday of March at 01:00 UTC (02:00 local becomes 03:00).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import Chat, Order, User
from tests.factories import CityFactory, LecturerProfileFactory
from tests.helpers import assert_error
from tests.orders_helpers import (
    NEXT_YEAR,
    Parties,
    add_lecture,
    add_order,
    add_profile,
    count_rows,
    show,
)

BERLIN = "Europe/Berlin"
MONDAY, SATURDAY, SUNDAY = 0, 5, 6


def interval(start: str, end: str) -> dict:
    return {"start": start, "end": end}


MORNING, AFTERNOON = interval("09:00", "13:00"), interval("14:00", "18:00")
WORKING_WEEK = {
    **{day: [MORNING, AFTERNOON] for day in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [interval("20:00", "24:00")],
}  # Sundays off
ON_MONDAYS = (
    "Outside the lecturer's working hours: on Mondays they work 09:00–13:00 and "
    "14:00–18:00 (Europe/Berlin)."
)


def day_in(month: int, weekday: int) -> date:
    """The first such weekday (0: Monday) from the 8th of that month, next year."""
    eighth = date(NEXT_YEAR, month, 8)
    return eighth + timedelta(days=(weekday - eighth.weekday()) % 7)


def last_sunday_of_march() -> date:
    last = date(NEXT_YEAR, 3, 31)
    return last - timedelta(days=(last.weekday() - SUNDAY) % 7)


def utc(day: date, hh_mm: str) -> str:
    return f"{day.isoformat()}T{hh_mm}:00+00:00"


@pytest.fixture
def lecturer_at_work(app, customer, lecturer):
    """make(working_hours, timezone=BERLIN, duration_minutes=60) -> Parties: the lecturer's
    profile with those hours, in a city of that zone (none if None), and a lecture of that
    duration; the customer's profile."""

    def make(
        working_hours: dict | None, timezone: str | None = BERLIN, duration_minutes: int | None = 60
    ) -> Parties:
        with app.app_context():
            profile = LecturerProfileFactory(
                user=db.session.get(User, lecturer.id),
                city=CityFactory(timezone=timezone) if timezone else None,
                working_hours=working_hours,
            )
            db.session.commit()
            lecturer_profile_id = profile.id
        lecture_id = add_lecture(app, lecturer_profile_id, duration_minutes=duration_minutes)
        customer_profile_id = add_profile(app, customer)
        return Parties(customer, lecturer, customer_profile_id, lecturer_profile_id, lecture_id)

    return make


def order_at(client, parties: Parties, scheduled_at: str, account=None):
    body = {"lecture_id": parties.lecture_id, "scheduled_at": scheduled_at}
    return client.post("/create_order", json=body, headers=(account or parties.customer).headers)


def assert_outside(response, message: str | None = None) -> None:
    """A 422 on scheduled_at alone; with that message, if one is given."""
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"scheduled_at"}, error
    if message is not None:
        assert error["fields"]["scheduled_at"] == [message]


def assert_made_or_outside(response, status: int, message: str | None = None) -> None:
    """The order made (201), or refused as outside the hours (422, with that message)."""
    if status == 201:
        assert response.status_code == 201, response.json
    else:
        assert status == 422
        assert_outside(response, message)


# POST /create_order: the span [scheduled_at, + the lecture's duration) inside one interval


@pytest.mark.parametrize(
    ("month", "start", "status"),
    [
        pytest.param(1, "08:00", 201, id="january-08-00-utc-is-09-00"),
        pytest.param(1, "07:00", 422, id="january-07-00-utc-is-08-00"),
        pytest.param(1, "16:00", 201, id="january-16-00-utc-is-17-00-to-18-00"),
        pytest.param(7, "07:00", 201, id="july-07-00-utc-is-09-00"),
        pytest.param(7, "06:30", 422, id="july-06-30-utc-is-08-30"),
        pytest.param(7, "16:00", 422, id="july-16-00-utc-is-18-00"),
    ],
)
def test_the_hours_are_local_time_in_winter_and_in_summer(
    client, lecturer_at_work, month, start, status
):
    parties = lecturer_at_work(WORKING_WEEK)
    response = order_at(client, parties, utc(day_in(month, MONDAY), start))
    assert_made_or_outside(response, status, ON_MONDAYS)


@pytest.mark.parametrize(
    ("hours", "start", "duration", "status"),
    [
        # 01:30 CET to 03:30 CEST: one hour, from 01:30 to 03:30 on the clock.
        pytest.param("01:00–04:00", "00:30", 60, 201, id="hour-across-the-change"),
        pytest.param("01:00–03:00", "00:30", 60, 422, id="ends-03-30-after-03-00"),
        # 01:30 CET to 04:30 CEST: two hours, three on the clock.
        pytest.param("01:00–04:00", "00:30", 120, 422, id="two-hours-end-04-30"),
        # 03:00 CEST, just after the change, to 04:00.
        pytest.param("01:00–04:00", "01:00", 60, 201, id="starts-03-00-after-the-change"),
        pytest.param("03:00–04:00", "00:59", 60, 422, id="starts-01-59-before-the-change"),
    ],
)
def test_a_span_across_the_change_to_summer_time_is_read_on_the_clock(
    client, lecturer_at_work, hours, start, duration, status
):
    sunday = last_sunday_of_march()
    at_0_and_2_utc = (datetime.combine(sunday, time(hour), UTC) for hour in (0, 2))
    offsets = [moment.astimezone(ZoneInfo(BERLIN)).utcoffset() for moment in at_0_and_2_utc]
    assert offsets == [timedelta(hours=1), timedelta(hours=2)]  # the change is that night
    begin, end = hours.split("–")
    parties = lecturer_at_work({"sun": [interval(begin, end)]}, duration_minutes=duration)
    response = order_at(client, parties, utc(sunday, start))
    message = f"Outside the lecturer's working hours: on Sundays they work {hours} ({BERLIN})."
    assert_made_or_outside(response, status, message)


@pytest.mark.parametrize(
    ("start", "status"),
    [
        pytest.param("11:00", 201, id="12-00-to-13-00-ends-as-the-gap-starts"),
        pytest.param("11:30", 422, id="12-30-to-13-30-crosses-the-gap"),
        pytest.param("12:00", 422, id="13-00-to-14-00-is-the-gap"),
        pytest.param("12:30", 422, id="13-30-to-14-30-starts-in-the-gap"),
        pytest.param("13:00", 201, id="14-00-to-15-00-starts-as-the-gap-ends"),
    ],
)
def test_a_span_may_not_cross_the_lunch_gap(client, lecturer_at_work, start, status):
    parties = lecturer_at_work(WORKING_WEEK)
    response = order_at(client, parties, utc(day_in(1, MONDAY), start))
    assert_made_or_outside(response, status, ON_MONDAYS)


def test_a_day_left_out_is_a_day_off(client, lecturer_at_work):
    parties = lecturer_at_work(WORKING_WEEK)
    response = order_at(client, parties, utc(day_in(1, SUNDAY), "10:00"))
    assert_outside(response, "The lecturer does not work on Sundays (Europe/Berlin).")


@pytest.mark.parametrize(
    ("start", "status"),
    [
        pytest.param("22:00", 201, id="23-00-to-24-00"),
        pytest.param("22:30", 422, id="23-30-to-00-30-the-next-day"),
        pytest.param("18:30", 422, id="19-30-before-20-00"),
    ],
)
def test_an_interval_may_end_at_24_00(client, lecturer_at_work, start, status):
    parties = lecturer_at_work(WORKING_WEEK)
    response = order_at(client, parties, utc(day_in(1, SATURDAY), start))
    message = "Outside the lecturer's working hours: on Saturdays they work 20:00–24:00 "
    assert_made_or_outside(response, status, message + "(Europe/Berlin).")


@pytest.mark.parametrize(
    ("start", "status", "day_named"),
    [
        # Sunday 23:30 UTC is Monday 00:30 in Berlin: a working day there.
        pytest.param("23:30", 201, None, id="monday-00-30-local"),
        # Sunday 22:30 UTC is Sunday 23:30 in Berlin, ending on Monday: the day it starts.
        pytest.param("22:30", 422, "Sundays", id="sunday-23-30-local"),
    ],
)
def test_the_day_is_the_local_day_the_span_starts_on(
    client, lecturer_at_work, start, status, day_named
):
    parties = lecturer_at_work({"mon": [interval("00:00", "02:00")]})
    response = order_at(client, parties, utc(day_in(1, SUNDAY), start))
    assert response.status_code == status, response.json
    if day_named:
        assert_outside(response, f"The lecturer does not work on {day_named} (Europe/Berlin).")


@pytest.mark.parametrize(
    ("start", "status"),
    [
        pytest.param("10:00", 201, id="11-00-to-12-00-berlin"),
        pytest.param("11:00", 201, id="12-00-to-13-00-berlin"),
        pytest.param("10:30", 422, id="11-30-to-12-30-berlin-across-both"),
    ],
)
def test_a_span_lies_inside_one_interval_even_of_two_that_touch(
    client, lecturer_at_work, start, status
):
    parties = lecturer_at_work({"mon": [interval("09:00", "12:00"), interval("12:00", "18:00")]})
    response = order_at(client, parties, utc(day_in(1, MONDAY), start))
    assert response.status_code == status, response.json


@pytest.mark.parametrize(
    ("start", "status"),
    [
        pytest.param("09:00", 201, id="09-00-utc"),
        pytest.param("12:00", 201, id="12-00-to-13-00-utc"),
        pytest.param("08:30", 422, id="08-30-utc"),
    ],
)
def test_a_lecturer_without_a_city_works_in_utc(client, lecturer_at_work, start, status):
    parties = lecturer_at_work({"mon": [MORNING]}, timezone=None)
    response = order_at(client, parties, utc(day_in(7, MONDAY), start))
    message = "Outside the lecturer's working hours: on Mondays they work 09:00–13:00 (UTC)."
    assert_made_or_outside(response, status, message)


@pytest.mark.parametrize(
    ("when", "start"),
    [
        pytest.param(day_in(1, SUNDAY), "03:00", id="sunday-night"),
        pytest.param(last_sunday_of_march(), "00:30", id="across-the-change"),
        pytest.param(day_in(7, SATURDAY), "23:30", id="across-midnight"),
    ],
)
def test_a_lecturer_with_null_hours_works_any_time(client, lecturer_at_work, when, start):
    parties = lecturer_at_work(None)
    response = order_at(client, parties, utc(when, start))
    assert response.status_code == 201, response.json


@pytest.mark.parametrize(
    ("duration", "start", "status"),
    [
        pytest.param(None, "11:00", 201, id="none-is-60-minutes-12-00-to-13-00"),
        pytest.param(None, "11:01", 422, id="none-is-60-minutes-12-01-to-13-01"),
        pytest.param(90, "10:30", 201, id="90-minutes-11-30-to-13-00"),
        pytest.param(90, "10:31", 422, id="90-minutes-11-31-to-13-01"),
        pytest.param(240, "08:00", 201, id="240-minutes-09-00-to-13-00"),
    ],
)
def test_the_span_is_the_lecture_s_duration(client, lecturer_at_work, duration, start, status):
    parties = lecturer_at_work(WORKING_WEEK, duration_minutes=duration)
    response = order_at(client, parties, utc(day_in(1, MONDAY), start))
    assert_made_or_outside(response, status)


def test_an_order_inside_the_hours_is_made_at_the_time_asked(client, lecturer_at_work):
    parties = lecturer_at_work(WORKING_WEEK)
    response = order_at(client, parties, f"{day_in(7, MONDAY).isoformat()}T09:00:00+02:00")
    assert response.status_code == 201, response.json
    assert response.json["scheduled_at"] == utc(day_in(7, MONDAY), "07:00")


def test_an_order_outside_the_hours_creates_nothing(app, client, lecturer_at_work):
    parties = lecturer_at_work(WORKING_WEEK)
    assert_outside(order_at(client, parties, utc(day_in(1, SUNDAY), "10:00")))
    assert (count_rows(app, Order), count_rows(app, Chat)) == (0, 0)


def test_an_unknown_lecture_is_named_before_the_hours(client, lecturer_at_work):
    parties = lecturer_at_work(WORKING_WEEK)
    body = {"lecture_id": 999_999, "scheduled_at": utc(day_in(1, SUNDAY), "10:00")}
    response = client.post("/create_order", json=body, headers=parties.customer.headers)
    error = assert_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"lecture_id"}


def test_an_archived_lecture_is_409_before_the_hours(app, client, lecturer_at_work):
    parties = lecturer_at_work(WORKING_WEEK)
    add_order(app, parties)
    response = client.delete(f"/lecture/{parties.lecture_id}", headers=parties.lecturer.headers)
    assert response.status_code == 204  # archived: it has an order
    assert_error(order_at(client, parties, utc(day_in(1, SUNDAY), "10:00")), 409, "conflict")


def test_a_lecturer_is_403_before_the_hours(client, lecturer_at_work):
    parties = lecturer_at_work(WORKING_WEEK)
    response = order_at(client, parties, utc(day_in(1, SUNDAY), "10:00"), parties.lecturer)
    assert_error(response, 403, "forbidden")


def test_hours_set_through_the_api_apply_to_new_orders(client, lecturer_at_work):
    parties = lecturer_at_work(None)
    response = client.put(
        f"/lecture_profile/{parties.lecturer_profile_id}",
        json={"working_hours": {"mon": [MORNING]}},
        headers=parties.lecturer.headers,
    )
    assert response.status_code == 200, response.json
    assert_outside(order_at(client, parties, utc(day_in(1, MONDAY), "13:00")))
    assert order_at(client, parties, utc(day_in(1, MONDAY), "08:00")).status_code == 201


# PUT /order/<id> with a new scheduled_at


@pytest.fixture
def booked(client, lecturer_at_work) -> tuple[Parties, dict]:
    """The parties, the lecturer working WORKING_WEEK, and an order of Monday 09:00 local."""
    parties = lecturer_at_work(WORKING_WEEK)
    response = order_at(client, parties, utc(day_in(1, MONDAY), "08:00"))
    assert response.status_code == 201, response.json
    return parties, response.json


def put_order(client, account, order_id: int, **body):
    return client.put(f"/order/{order_id}", json=body, headers=account.headers)


@pytest.mark.parametrize(
    "scheduled_at",
    [
        pytest.param(utc(day_in(1, MONDAY), "13:00"), id="same-day-14-00"),
        pytest.param(utc(day_in(7, MONDAY), "15:00"), id="summer-17-00"),
        pytest.param(utc(day_in(1, SATURDAY), "22:00"), id="saturday-23-00"),
    ],
)
def test_a_new_time_inside_the_hours_is_taken(client, booked, scheduled_at):
    parties, order = booked
    response = put_order(client, parties.customer, order["id"], scheduled_at=scheduled_at)
    assert response.status_code == 200, response.json
    assert response.json["scheduled_at"] == scheduled_at


@pytest.mark.parametrize(
    ("scheduled_at", "message"),
    [
        pytest.param(utc(day_in(1, MONDAY), "11:30"), ON_MONDAYS, id="across-the-lunch-gap"),
        pytest.param(utc(day_in(7, MONDAY), "16:00"), ON_MONDAYS, id="summer-18-00"),
        pytest.param(
            utc(day_in(1, SUNDAY), "10:00"),
            "The lecturer does not work on Sundays (Europe/Berlin).",
            id="day-off",
        ),
    ],
)
def test_a_new_time_outside_the_hours_is_422_and_changes_nothing(
    client, booked, scheduled_at, message
):
    parties, order = booked
    response = put_order(
        client, parties.customer, order["id"], scheduled_at=scheduled_at, description="New."
    )
    assert_outside(response, message)
    assert show(client, parties.customer, order["id"]) == order


def test_an_admin_s_new_time_must_also_lie_inside_the_hours(client, admin, booked):
    parties, order = booked
    response = put_order(client, admin, order["id"], scheduled_at=utc(day_in(1, SUNDAY), "10:00"))
    assert_outside(response)


def test_an_order_keeps_its_time_when_the_hours_change(client, booked):
    """Hours changed after the order was made: the order may still be edited, as long as its
    time stays (also sent again as it is)."""
    parties, order = booked
    response = client.put(
        f"/lecture_profile/{parties.lecturer_profile_id}",
        json={"working_hours": {"sun": [MORNING]}},
        headers=parties.lecturer.headers,
    )
    assert response.status_code == 200, response.json
    response = put_order(client, parties.customer, order["id"], description="Hall C.")
    assert response.status_code == 200, response.json
    same_time = f"{day_in(1, MONDAY).isoformat()}T09:00:00+01:00"
    response = put_order(client, parties.customer, order["id"], scheduled_at=same_time)
    assert response.status_code == 200, response.json
    assert response.json["scheduled_at"] == order["scheduled_at"]
    later = utc(day_in(1, MONDAY), "09:00")
    assert_outside(put_order(client, parties.customer, order["id"], scheduled_at=later))


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        pytest.param("stranger", 404, "not_found", id="stranger-404"),
        pytest.param("lecturer", 403, "forbidden", id="its-lecturer-403"),
    ],
)
def test_who_may_not_change_the_order_learns_that_before_the_hours(
    client, make_account, booked, who, status, code
):
    parties, order = booked
    account = make_account("customer") if who == "stranger" else parties.lecturer
    response = put_order(client, account, order["id"], scheduled_at=utc(day_in(1, SUNDAY), "10:00"))
    assert_error(response, status, code)


def test_an_order_no_longer_created_is_409_before_the_hours(app, client, booked):
    parties, _ = booked
    order_id = add_order(
        app, parties, "accepted", scheduled_at=datetime(NEXT_YEAR, 1, 20, 8, tzinfo=UTC)
    )
    response = put_order(
        client, parties.customer, order_id, scheduled_at=utc(day_in(1, SUNDAY), "10:00")
    )
    assert_error(response, 409, "conflict")
