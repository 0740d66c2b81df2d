"""Two requests at the same moment, on separate connections: one winner, nothing doubled."""

import threading
from collections import Counter
from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    IdempotencyKey,
    Lecture,
    LectureReview,
    LecturerProfile,
    Order,
    OrderStatusHistory,
    User,
)
from tests.conftest import postgres_only
from tests.factories import (
    CustomerProfileFactory,
    LectureFactory,
    LecturerProfileFactory,
    OrderFactory,
)

ROUNDS = 20
WHEN = "2030-01-01T10:00:00+00:00"


def at_once(app, *requests: tuple[str, str, dict]) -> list:
    """Send each (method, path, options) from its own thread, all released together."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, method: str, path: str, options: dict) -> None:
        client = app.test_client()
        barrier.wait()
        results[index] = client.open(path, method=method, **options)

    threads = [
        threading.Thread(target=run, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def setup_deal(app, customer, lecturer) -> int:
    with app.app_context():
        CustomerProfileFactory(user=db.session.get(User, customer.id))
        lecture = LectureFactory(
            lecturer=LecturerProfileFactory(user=db.session.get(User, lecturer.id))
        )
        db.session.commit()
        return lecture.id


def new_order(client, customer, lecture_id, slot: float = 0) -> int:
    """An order at WHEN, or `slot` hours later (an accepted order holds its hour)."""
    when = datetime.fromisoformat(WHEN) + timedelta(hours=slot)
    body = {"lecture_id": lecture_id, "scheduled_at": when.isoformat()}
    response = client.post("/create_order", json=body, headers=customer.headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def move(order_id: int, account, status: str, reason: str | None = None) -> tuple:
    body = {"status": status, **({"reason": reason} if reason else {})}
    return ("PUT", f"/change_order_status/{order_id}", {"json": body, "headers": account.headers})


def history(app, order_id: int) -> list[tuple[int | None, int]]:
    with app.app_context():
        return db.session.execute(
            select(OrderStatusHistory.from_status_id, OrderStatusHistory.to_status_id)
            .where(OrderStatusHistory.order_id == order_id)
            .order_by(OrderStatusHistory.id)
        ).all()


@postgres_only
def test_conflicting_moves_have_exactly_one_winner(app, client, customer, lecturer):
    """Refuse and cancel both leave `created` for a final status: only one can happen."""
    lecture_id = setup_deal(app, customer, lecturer)
    for _ in range(ROUNDS):
        order_id = new_order(client, customer, lecture_id)
        answers = at_once(
            app,
            move(order_id, lecturer, "refused", "Busy that day"),
            move(order_id, customer, "canceled", "Changed plans"),
        )
        assert sorted(answer.status_code for answer in answers) == [200, 409]
        assert len(history(app, order_id)) == 2  # the creation and the one move


@postgres_only
def test_simultaneous_moves_never_both_leave_the_same_status(app, client, customer, lecturer):
    """Accept and cancel may both happen, but only one after the other: a valid path."""
    lecture_id = setup_deal(app, customer, lecturer)
    for round_ in range(ROUNDS):
        order_id = new_order(client, customer, lecture_id, slot=round_)
        at_once(
            app,
            move(order_id, lecturer, "accepted"),
            move(order_id, customer, "canceled", "Changed plans"),
        )
        path = history(app, order_id)
        assert all(later[0] == earlier[1] for earlier, later in pairwise(path))
        with app.app_context():
            assert db.session.get(Order, order_id).status_id == path[-1][1]


@postgres_only
def test_doubled_idempotency_key_creates_one_order(app, customer, lecturer):
    lecture_id = setup_deal(app, customer, lecturer)
    body = {"lecture_id": lecture_id, "scheduled_at": WHEN}
    for round_ in range(ROUNDS):
        headers = {**customer.headers, "Idempotency-Key": f"double-{round_}"}
        answers = at_once(app, *[("POST", "/create_order", {"json": body, "headers": headers})] * 2)
        codes = Counter(answer.status_code for answer in answers)
        assert codes[201] >= 1 and codes[201] + codes[409] == 2, codes
        created = {answer.json["id"] for answer in answers if answer.status_code == 201}
        assert len(created) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == ROUNDS
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == ROUNDS


PAIRS = 4


@postgres_only
def test_overlapping_accepts_book_the_lecturer_once(app, client, customer, lecturer):
    """PAIRS pairs of orders, the two of a pair half an hour apart, all accepted at once:
    exactly one of each pair holds the lecturer's time."""
    lecture_id = setup_deal(app, customer, lecturer)
    for round_ in range(ROUNDS // 2):
        slots = [round_ * 2 * PAIRS + 2 * pair for pair in range(PAIRS)]
        pairs = [
            tuple(new_order(client, customer, lecture_id, slot + half) for half in (0, 0.5))
            for slot in slots
        ]
        answers = at_once(
            app, *[move(order_id, lecturer, "accepted") for pair in pairs for order_id in pair]
        )
        codes = [answer.status_code for answer in answers]
        for index, pair in enumerate(pairs):
            assert sorted(codes[2 * index : 2 * index + 2]) == [200, 409], codes
            assert sum(len(history(app, order_id)) for order_id in pair) == 3


def reviewers(app, make_account, lecture_id: int, count: int) -> list[tuple]:
    """Customers, each with a finished order of the lecture: (account, order id)."""
    accounts = [make_account("customer") for _ in range(count)]
    with app.app_context():
        lecture = db.session.get(Lecture, lecture_id)
        orders = [
            OrderFactory(
                lecture=lecture,
                customer=CustomerProfileFactory(user=db.session.get(User, account.id)),
                status_code="finished",
            )
            for account in accounts
        ]
        db.session.commit()
        return list(zip(accounts, [order.id for order in orders], strict=True))


def assert_totals_match_reviews(app, lecture_id: int) -> None:
    with app.app_context():
        lecture = db.session.get(Lecture, lecture_id)
        for model, column, row_id in (
            (Lecture, LectureReview.lecture_id, lecture_id),
            (LecturerProfile, LectureReview.lecturer_id, lecture.lecturer_id),
        ):
            average, count = db.session.execute(
                select(func.avg(LectureReview.grade * 1.0), func.count()).where(column == row_id)
            ).one()
            row = db.session.get(model, row_id)
            assert row.reviews_count == count
            assert row.rating_sum == (db.session.scalar(
                select(func.coalesce(func.sum(LectureReview.grade), 0)).where(column == row_id)
            ))  # fmt: skip
            assert row.avg_rating == (None if average is None else pytest.approx(float(average)))


@postgres_only
def test_simultaneous_reviews_keep_the_rating_totals_exact(app, make_account, lecturer):
    with app.app_context():
        lecture_id = LectureFactory(
            lecturer=LecturerProfileFactory(user=db.session.get(User, lecturer.id))
        ).id
        db.session.commit()
    people = reviewers(app, make_account, lecture_id, 8)
    answers = at_once(app, *[
        ("POST", "/add_lecture_review",
         {"json": {"order_id": order_id, "grade": 1 + n % 5}, "headers": account.headers})
        for n, (account, order_id) in enumerate(people)
    ])  # fmt: skip
    assert {answer.status_code for answer in answers} == {201}
    assert_totals_match_reviews(app, lecture_id)
    changes = [
        ("PUT", f"/review_of_lecture/{answer.json['id']}",
         {"json": {"grade": 5 - n % 5}, "headers": account.headers}) if n % 2 else
        ("DELETE", f"/review_of_lecture/{answer.json['id']}", {"headers": account.headers})
        for n, ((account, _), answer) in enumerate(zip(people, answers, strict=True))
    ]  # fmt: skip
    assert {answer.status_code for answer in at_once(app, *changes)} == {200, 204}
    assert_totals_match_reviews(app, lecture_id)


@postgres_only
def test_two_reviews_of_one_order_at_once_give_one_review(app, make_account, lecturer):
    with app.app_context():
        lecture_id = LectureFactory().id
        db.session.commit()
    for account, order_id in reviewers(app, make_account, lecture_id, 5):
        body = {"order_id": order_id, "grade": 4}
        request = ("POST", "/add_lecture_review", {"json": body, "headers": account.headers})
        answers = at_once(app, request, request)
        assert sorted(answer.status_code for answer in answers) == [201, 409]
    assert_totals_match_reviews(app, lecture_id)
