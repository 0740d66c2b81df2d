"""Rows, bodies and checks shared by the order test modules (API.md section 6)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CustomerProfile, Lecture, LecturerProfile, Order, OrderStatus, User
from app.models.base import utcnow
from tests.factories import (
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    OrderFactory,
)

if TYPE_CHECKING:
    from tests.conftest import Account


ORDER_KEYS = {
    "id",
    "status",
    "lecture",
    "lecturer_id",
    "customer_id",
    "scheduled_at",
    "ends_at",
    "description",
    "chat_id",
    "allowed_transitions",
    "status_history",
    "created_at",
    "updated_at",
}
LIST_ITEM_KEYS = ORDER_KEYS - {"status_history"}
HISTORY_KEYS = {"from", "to", "by_user_id", "reason", "at"}
PAGE_KEYS = {"items", "page", "per_page", "total"}
UNKNOWN_ID = 999_999

NEXT_YEAR = utcnow().year + 1
FUTURE = f"{NEXT_YEAR}-06-01T15:00:00+03:00"
FUTURE_UTC = f"{NEXT_YEAR}-06-01T12:00:00+00:00"
LATER = f"{NEXT_YEAR}-07-10T09:30:00-02:00"
LATER_UTC = f"{NEXT_YEAR}-07-10T11:30:00+00:00"
A_DAY_AGO = utcnow() - timedelta(days=1)

STATUSES = ["created", "accepted", "refused", "canceled", "finished"]

# Who takes no part in an order: (role, has a profile of that role).
STRANGERS = [
    pytest.param("customer", True, id="other-customer"),
    pytest.param("lecturer", True, id="other-lecturer"),
    pytest.param("customer", False, id="customer-without-profile"),
    pytest.param("lecturer", False, id="lecturer-without-profile"),
]
BAD_PATH_IDS = ["abc", "0", "-1", "1.5", "1e3", "1" + "0" * 18, "9" * 40]


# Helpers: rows built by factories, each in a short app context; only ids come back.


@dataclass(frozen=True)
class Parties:
    """A customer and a lecturer, each with a profile, and a lecture of the lecturer."""

    customer: "Account"
    lecturer: "Account"
    customer_profile_id: int
    lecturer_profile_id: int
    lecture_id: int


def add_profile(app, account, **fields) -> int:
    """A profile of the account's role, built by a factory; its id."""
    factory = CustomerProfileFactory if account.role == "customer" else LecturerProfileFactory
    with app.app_context():
        profile = factory(user=db.session.get(User, account.id), **fields)
        db.session.commit()
        return profile.id


def add_lecture(app, lecturer_profile_id: int, **fields) -> int:
    with app.app_context():
        lecture = LectureFactory(
            lecturer=db.session.get(LecturerProfile, lecturer_profile_id), **fields
        )
        db.session.commit()
        return lecture.id


def add_order(app, parties: Parties, status_code: str = "created", **fields) -> int:
    """An order of the parties' lecture, in a status, built by a factory; its id."""
    with app.app_context():
        order = OrderFactory(
            lecture=db.session.get(Lecture, parties.lecture_id),
            customer=db.session.get(CustomerProfile, parties.customer_profile_id),
            status_code=status_code,
            **fields,
        )
        db.session.commit()
        return order.id


def add_other_order(app, status_code: str = "created", **fields) -> int:
    """An order between a customer and a lecturer made up for it; its id."""
    with app.app_context():
        order = OrderFactory(status_code=status_code, **fields)
        db.session.commit()
        return order.id


def let_time_come(app, order_id: int) -> None:
    """Move an order's span into the past, as if its time had come."""
    with app.app_context():
        order = db.session.get(Order, order_id)
        length = order.ends_at - order.scheduled_at
        order.scheduled_at = utcnow() - timedelta(hours=2)
        order.ends_at = order.scheduled_at + length
        db.session.commit()


def count_rows(app, model, *conditions) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def status_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(OrderStatus.id).where(OrderStatus.code == code))


def order_body(lecture_id: int, **fields) -> dict:
    return {"lecture_id": lecture_id, "scheduled_at": FUTURE, "description": "Hall B.", **fields}


def parse_time(value: str) -> datetime:
    """An ISO 8601 time of the API: in UTC, with the +00:00 offset."""
    assert value.endswith("+00:00"), value
    return datetime.fromisoformat(value)


def show(client, account, order_id: int) -> dict:
    response = client.get(f"/order/{order_id}", headers=account.headers)
    assert response.status_code == 200, response.json
    return response.json


def move(client, account, order_id: int, status, reason=None, **body):
    body = {"status": status, **({"reason": reason} if reason is not None else {}), **body}
    return client.put(f"/change_order_status/{order_id}", json=body, headers=account.headers)


def assert_refused_move(response, allowed: list[str]) -> None:
    """A 409 of the error shape that also carries the moves the caller may make now."""
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert set(response.json) == {"error"}
    assert set(error) == {"status", "code", "message", "allowed_transitions"}
    assert (error["status"], error["code"]) == (409, "conflict")
    assert error["message"]
    assert error["allowed_transitions"] == allowed
