"""`flask seed-demo` turns an empty database into a lively one, and nothing else."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Chat, ChatMessage, City, Lecture, LectureReview, Order, OrderStatus, User
from tests.factories import UserFactory

COUNTED = {
    "cities": City,
    "users": User,
    "lectures": Lecture,
    "orders": Order,
    "messages": ChatMessage,
    "reviews": LectureReview,
}


def printed_counts(output: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r"^\s*(\w+): (\d+)$", output, re.MULTILINE)}


def test_seed_demo_prints_the_counts_it_made(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    counts = printed_counts(result.output)
    assert set(counts) == set(COUNTED)
    with app.app_context():
        for name, model in COUNTED.items():
            assert db.session.scalar(select(func.count()).select_from(model)) == counts[name]


def test_seed_demo_spreads_orders_over_every_status_and_rates_them(app, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        used = set(db.session.scalars(select(OrderStatus.code).join(Order).distinct()))
    assert used == {"created", "accepted", "refused", "canceled", "finished"}
    rated = client.get("/lectures?sort=-rating&per_page=1").json["items"][0]
    assert rated["reviews_count"] > 0 and 1 <= rated["avg_rating"] <= 5


def test_demo_logins_work(app, client):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    for name in ("admin", "lecturer1", "customer1"):
        response = client.post("/login", json={"username": name, "password": "demo-pass-123"})
        assert response.status_code == 200, name


def test_seed_demo_refuses_a_database_with_users(app):
    with app.app_context():
        UserFactory()
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "only fills an empty database" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_scale_multiplies_the_sizes(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--scale", "2"])
    assert result.exit_code == 0, result.output
    assert printed_counts(result.output)["orders"] == 200


def test_each_chat_is_as_recent_as_its_newest_message(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    newest = (
        select(func.max(ChatMessage.created_at)).where(ChatMessage.chat_id == Chat.id)
    ).scalar_subquery()
    with app.app_context():
        stale = db.session.scalar(
            select(func.count())
            .select_from(Chat)
            .where(Chat.last_activity_at != func.coalesce(newest, Chat.created_at))
        )
    assert stale == 0
