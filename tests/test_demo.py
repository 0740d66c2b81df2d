"""`flask seed-demo` turns an empty database into a lively one that tells a story, and nothing
else: the demo's invariants, checked on the seeded database at two scales."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app import demo, demo_content
from app.extensions import db
from app.models import Chat, ChatMessage, City, Lecture, LectureReview, Order, OrderStatus, User
from app.models.base import utcnow
from app.profiles.hours import outside_hours
from tests.conftest import restore_builtin_rows, snapshot_rows
from tests.factories import UserFactory

COUNTED = {
    "cities": City,
    "users": User,
    "lectures": Lecture,
    "orders": Order,
    "messages": ChatMessage,
    "reviews": LectureReview,
}
HOLDS_TIME = {"accepted", "finished"}
NAME = re.compile(r"^[^\W\d_]+(?:[-' ][^\W\d_]+)*$")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# What a chat line says of a lecture's date and time.
DATES = "|".join([r"\d+", *(month for months in demo_content.MONTHS.values() for month in months)])


def printed_counts(output: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r"^\s*(\w+): (\d+)$", output, re.MULTILINE)}


@dataclass
class Demo:
    """The rows of a seeded database, read into plain data, with the lookups the tests need."""

    scale: int
    seeded_from: datetime  # before the seeding began
    seeded_by: datetime  # after it ended
    rows: dict[str, list[dict]]

    def by_id(self, table: str) -> dict[int, dict]:
        return {row["id"]: row for row in self.rows[table]}

    def grouped(self, table: str, key: str) -> dict[int, list[dict]]:
        """The table's rows by a column's value, each group in the order of the rows' ids."""
        groups = defaultdict(list)
        for row in sorted(self.rows[table], key=lambda row: row["id"]):
            groups[row[key]].append(row)
        return groups

    @cached_property
    def status(self) -> dict[int, str]:
        return {row["id"]: row["code"] for row in self.rows["order_statuses"]}

    @cached_property
    def users(self) -> dict[int, dict]:
        return self.by_id("users")

    @cached_property
    def lectures(self) -> dict[int, dict]:
        return self.by_id("lectures")

    @cached_property
    def history(self) -> dict[int, list[dict]]:
        return self.grouped("order_status_history", "order_id")

    @cached_property
    def sides(self) -> dict[int, tuple[int, int]]:
        """Each order's (customer user, lecturer user)."""
        customers = {row["id"]: row["user_id"] for row in self.rows["customer_profiles"]}
        lecturers = {row["id"]: row["user_id"] for row in self.rows["lecturer_profiles"]}
        return {
            order["id"]: (customers[order["customer_id"]], lecturers[order["lecturer_id"]])
            for order in self.rows["orders"]
        }

    def code(self, order: dict) -> str:
        return self.status[order["status_id"]]

    def orders(self, *codes: str) -> list[dict]:
        return [order for order in self.rows["orders"] if self.code(order) in codes]

    def ends_at(self, order: dict) -> datetime:
        return order["ends_at"]

    def moved_at(self, order: dict, code: str) -> datetime:
        return next(
            row["created_at"]
            for row in self.history[order["id"]]
            if self.status[row["to_status_id"]] == code
        )

    def lecturer_zone(self, profile_id: int) -> ZoneInfo:
        cities = self.by_id("cities")
        contact = next(
            row for row in self.rows["lecturer_contact_info"] if row["profile_id"] == profile_id
        )
        return ZoneInfo(cities[contact["city_id"]]["timezone"])

    def profile_of(self, username: str, table: str) -> dict:
        user = next(user for user in self.users.values() if user["username"] == username)
        return next(row for row in self.rows[table] if row["user_id"] == user["id"])


def seed_and_read(app, builtin_rows, scale: int) -> Demo:
    """Seed through the command, read every table, and empty the database again."""
    seeded_from = utcnow()
    result = app.test_cli_runner().invoke(args=["seed-demo", "--scale", str(scale)])
    assert result.exit_code == 0, result.output
    seeded_by = utcnow()
    with app.app_context():
        rows = snapshot_rows()
        restore_builtin_rows(builtin_rows)
        db.session.remove()
    for table in rows.values():
        table.sort(key=lambda row: row.get("id", 0))
    return Demo(scale, seeded_from, seeded_by, rows)


@pytest.fixture(scope="module", params=[1, 3], ids=lambda scale: f"scale-{scale}")
def seeded(request, base_app, builtin_rows) -> Demo:
    return seed_and_read(base_app, builtin_rows, request.param)


# --- the command -----------------------------------------------------------------------------


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


def test_the_same_stories_are_told_on_any_day(app, builtin_rows):
    """Two runs a week apart make the same people, lectures and lines; only times move."""

    def run(now: datetime) -> dict[str, list]:
        with app.app_context():
            demo.seed(1, lambda n: None, now=now)
            rows = {name: sorted(table, key=lambda row: row.get("id", 0))
                    for name, table in snapshot_rows().items()}  # fmt: skip
            restore_builtin_rows(builtin_rows)
        # Ids as places in their table: PostgreSQL's sequences go on from the first run.
        first = {name: table[0]["id"] for name, table in rows.items() if table and "id" in table[0]}
        return {
            "names": [(r["first_name"], r["last_name"]) for r in rows["lecturer_profiles"]],
            "titles": [(r["title"], r["price_cents"]) for r in rows["lectures"]],
            "orders": [
                (
                    r["customer_id"] - first["customer_profiles"],
                    r["lecture_id"] - first["lectures"],
                    r["status_id"],
                )
                for r in rows["orders"]
            ],  # fmt: skip
            "reviews": [(r["grade"], r["text"]) for r in rows["lecture_reviews"]],
            "lines": [re.sub(DATES, "#", r["text"]) for r in rows["chat_messages"]],
        }

    now = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    assert run(now) == run(now + timedelta(days=7))


# --- people and lectures ---------------------------------------------------------------------


def test_people_have_real_names_in_their_citys_language(seeded):
    cities = seeded.by_id("cities")
    for kind in ("lecturer", "consumer"):
        contacts = {row["profile_id"]: row for row in seeded.rows[f"{kind}_contact_info"]}
        table = "lecturer_profiles" if kind == "lecturer" else "customer_profiles"
        for profile in seeded.rows[table]:
            names = (profile["first_name"], profile["last_name"])
            assert all(NAME.match(name) for name in names), names
            russian = bool(CYRILLIC.search(cities[contacts[profile["id"]]["city_id"]]["name"]))
            assert all(bool(CYRILLIC.search(text)) == russian for text in names), names
            assert bool(CYRILLIC.search(profile["visit_card"])) == russian


@pytest.mark.parametrize("seeded", [1], indirect=True, ids=["scale-1"])
def test_first_names_are_not_shared_by_default(seeded):
    """So that a chat's two sides never greet each other by the same name."""
    profiles = seeded.rows["lecturer_profiles"] + seeded.rows["customer_profiles"]
    names = Counter(profile["first_name"] for profile in profiles)
    assert names.most_common(1)[0][1] == 1, names.most_common(3)


def test_visit_cards_and_lectures_are_not_numbered_copies(seeded):
    cards = [row["visit_card"] for row in seeded.rows["lecturer_profiles"]]
    assert not any(re.search(r"(?i)\b(?:lecturer|customer|number)\s*\d", c) for c in cards)
    descriptions = Counter(row["description"] for row in seeded.rows["lectures"])
    assert len(descriptions) >= min(len(seeded.rows["lectures"]), 40)


@pytest.mark.parametrize("seeded", [1], indirect=True, ids=["scale-1"])
def test_no_title_is_offered_more_than_twice_by_default(seeded):
    titles = Counter(row["title"] for row in seeded.rows["lectures"])
    assert max(titles.values()) <= 2, titles.most_common(3)
    descriptions = Counter(row["description"] for row in seeded.rows["lectures"])
    assert max(descriptions.values()) <= 2


def test_prices_and_durations_fit_the_lecture(seeded):
    ideas = {
        idea.title: idea
        for topic in demo_content.TOPICS
        for ideas in topic.lectures.values()
        for idea in ideas
    }
    for lecture in seeded.lectures.values():
        idea = ideas[re.sub(r" \([^)]*\)$", "", lecture["title"])]
        assert lecture["description"] == idea.description
        assert lecture["duration_minutes"] == idea.minutes
        assert 45 <= idea.minutes <= 180
        assert 0.85 * idea.price <= lecture["price_cents"] / 100 <= 1.25 * idea.price


# --- orders ----------------------------------------------------------------------------------


def test_every_status_is_used(seeded):
    used = {seeded.code(order) for order in seeded.rows["orders"]}
    assert used == {"created", "accepted", "refused", "canceled", "finished"}


def test_orders_lie_inside_their_lecturers_working_hours(seeded):
    """As the API checks a new order: the hours stored on the profile, in the lecturer's zone."""
    hours = {row["id"]: row["working_hours"] for row in seeded.rows["lecturer_profiles"]}
    for order in seeded.rows["orders"]:
        lecturer_hours = hours[order["lecturer_id"]]
        assert lecturer_hours is not None
        zone = seeded.lecturer_zone(order["lecturer_id"])
        problem = outside_hours(lecturer_hours, zone, order["scheduled_at"], seeded.ends_at(order))
        assert problem is None, (order, problem)


def test_each_order_ends_its_lecture_s_duration_after_its_start(seeded):
    for order in seeded.rows["orders"]:
        minutes = seeded.lectures[order["lecture_id"]]["duration_minutes"] or 60
        assert order["ends_at"] - order["scheduled_at"] == timedelta(minutes=minutes)


def test_orders_that_hold_a_lecturers_time_never_overlap(seeded):
    spans = defaultdict(list)
    for order in seeded.orders(*HOLDS_TIME):
        spans[order["lecturer_id"]].append((order["scheduled_at"], seeded.ends_at(order)))
    for lecturer_spans in spans.values():
        for (_, ends), (starts, _) in pairwise(sorted(lecturer_spans)):
            assert ends <= starts


def test_open_orders_lie_ahead_at_many_different_times(seeded):
    open_orders = seeded.orders("created", "accepted")
    assert all(
        order["scheduled_at"] > seeded.seeded_by + timedelta(hours=12) for order in open_orders
    )
    times = {order["scheduled_at"] for order in open_orders}
    assert len(times) >= 0.8 * len(open_orders)


def test_orders_are_spread_over_past_and_future_weeks(seeded):
    weeks = Counter(
        (order["scheduled_at"] - seeded.seeded_by).days // 7 for order in seeded.rows["orders"]
    )
    assert sum(1 for week in weeks if week < 0) >= 8
    assert sum(1 for week in weeks if week >= 0) >= 4


def test_finished_orders_were_given_in_the_past_and_finished_after(seeded):
    for order in seeded.orders("finished"):
        finished = seeded.moved_at(order, "finished")
        assert seeded.ends_at(order) < finished <= seeded.seeded_by


def test_each_order_moves_as_the_workflow_allows_and_in_time(seeded):
    rows = seeded.rows
    codes = seeded.status
    moves = {(t["from_status_id"], t["to_status_id"]): t for t in rows["order_transitions"]}
    roles = defaultdict(set)
    for row in rows["order_transition_roles"]:
        roles[row["transition_id"]].add(row["role"])
    for order in rows["orders"]:
        customer, lecturer = seeded.sides[order["id"]]
        first, *steps = seeded.history[order["id"]]
        assert (first["from_status_id"], codes[first["to_status_id"]]) == (None, "created")
        assert (first["by_user_id"], first["created_at"]) == (customer, order["created_at"])
        for step in steps:
            move = moves[(step["from_status_id"], step["to_status_id"])]
            assert step["by_user_id"] in (customer, lecturer)
            assert seeded.users[step["by_user_id"]]["role"] in roles[move["id"]]
            assert bool(step["reason"]) == move["reason_required"]
            if codes[step["to_status_id"]] != "finished":
                assert step["created_at"] < order["scheduled_at"]
        times = [row["created_at"] for row in seeded.history[order["id"]]]
        assert times == sorted(set(times)) and times[-1] == order["updated_at"]
        assert times[-1] <= seeded.seeded_by
        assert codes[seeded.history[order["id"]][-1]["to_status_id"]] == seeded.code(order)


def test_customer1_has_an_order_to_review_and_lecturer1_one_to_answer(seeded):
    customer = seeded.profile_of("customer1", "customer_profiles")
    lecturer = seeded.profile_of("lecturer1", "lecturer_profiles")
    reviewed = {row["order_id"] for row in seeded.rows["lecture_reviews"]}
    assert any(
        order["customer_id"] == customer["id"] and order["id"] not in reviewed
        for order in seeded.orders("finished")
    )
    assert any(order["lecturer_id"] == lecturer["id"] for order in seeded.orders("created"))


# --- chats -----------------------------------------------------------------------------------


def test_chat_lines_alternate_from_the_customer_in_time(seeded):
    chats = seeded.by_id("chats")
    for chat_id, lines in seeded.grouped("chat_messages", "chat_id").items():
        chat = chats[chat_id]
        customer, lecturer = seeded.sides[chat["order_id"]]
        senders = [line["sender_id"] for line in lines]
        assert senders == [(customer, lecturer)[turn % 2] for turn in range(len(lines))]
        assert all(
            {line["sender_id"], line["recipient_id"]} == {customer, lecturer} for line in lines
        )
        times = [chat["created_at"], *(line["created_at"] for line in lines)]
        assert all(a < b for a, b in pairwise(times)), times
        assert times[-1] <= seeded.seeded_by


def test_chat_lines_fit_the_orders_status(seeded):
    chats = {chat["order_id"]: chat["id"] for chat in seeded.rows["chats"]}
    lines = seeded.grouped("chat_messages", "chat_id")
    for order in seeded.rows["orders"]:
        chat = lines[chats[order["id"]]]
        customer, lecturer = seeded.sides[order["id"]]
        answered = any(line["sender_id"] == lecturer for line in chat)
        assert answered == (seeded.code(order) != "created"), order
        if seeded.code(order) != "created":
            # The last move is talked over: a confirmation, a refusal, a reason, a thank-you.
            last_move = seeded.history[order["id"]][-1]["created_at"]
            assert chat[-1]["created_at"] > last_move, order
        if seeded.code(order) == "finished":
            # The details were agreed ahead of the lecture.
            assert chat[1]["created_at"] < order["scheduled_at"]


def test_chats_are_as_recent_as_their_newest_line_and_read_up_to_ones_own(seeded):
    lines = seeded.grouped("chat_messages", "chat_id")
    for chat in seeded.rows["chats"]:
        assert chat["last_activity_at"] == lines[chat["id"]][-1]["created_at"]
    for marker in seeded.rows["chat_read_markers"]:
        own = [
            line["id"]
            for line in lines[marker["chat_id"]]
            if line["sender_id"] == marker["user_id"]
        ]
        assert marker["last_read_message_id"] == max(own, default=0)


def test_lecturers_have_unanswered_requests_to_read(seeded):
    waiting = {order["id"] for order in seeded.orders("created")}
    chats = {chat["id"]: chat["order_id"] for chat in seeded.rows["chats"]}
    unread = [
        marker for marker in seeded.rows["chat_read_markers"]
        if chats[marker["chat_id"]] in waiting and marker["last_read_message_id"] == 0
    ]  # fmt: skip
    assert len(unread) == len(waiting)


# --- reviews and ratings ---------------------------------------------------------------------


def test_reviews_follow_their_finished_order_and_vary(seeded):
    orders = seeded.by_id("orders")
    reviews = seeded.rows["lecture_reviews"]
    for review in reviews:
        order = orders[review["order_id"]]
        assert seeded.code(order) == "finished"
        assert (review["lecture_id"], review["lecturer_id"], review["customer_id"]) == (
            order["lecture_id"], order["lecturer_id"], order["customer_id"]
        )  # fmt: skip
        assert seeded.moved_at(order, "finished") < review["created_at"] <= seeded.seeded_by
        assert review["updated_at"] == review["created_at"]
    texts = Counter(review["text"] for review in reviews)
    assert texts.most_common(1)[0][1] <= max(2, len(reviews) // 10), texts.most_common(3)
    assert len({review["created_at"] for review in reviews}) == len(reviews)
    assert len({review["grade"] for review in reviews}) >= 3


def test_ratings_are_the_totals_of_the_reviews(seeded):
    for table, key in (("lectures", "lecture_id"), ("lecturer_profiles", "lecturer_id")):
        grades = defaultdict(list)
        for review in seeded.rows["lecture_reviews"]:
            grades[review[key]].append(review["grade"])
        for row in seeded.rows[table]:
            mine = grades[row["id"]]
            assert (row["rating_sum"], row["reviews_count"]) == (sum(mine), len(mine))
            if mine:
                assert row["avg_rating"] == pytest.approx(sum(mine) / len(mine))
            else:
                assert row["avg_rating"] is None
