"""Two requests at the same moment, on separate connections: one winner, nothing doubled."""

import threading
from collections import Counter
from itertools import pairwise

from sqlalchemy import func, select

from app.extensions import db
from app.models import IdempotencyKey, Order, OrderStatusHistory, User
from tests.conftest import postgres_only
from tests.factories import CustomerProfileFactory, LectureFactory, LecturerProfileFactory

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


def new_order(client, customer, lecture_id) -> int:
    body = {"lecture_id": lecture_id, "scheduled_at": WHEN}
    return client.post("/create_order", json=body, headers=customer.headers).json["id"]


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
    for _ in range(ROUNDS):
        order_id = new_order(client, customer, lecture_id)
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
