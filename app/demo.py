"""Demo data for `flask seed-demo`: a lively marketplace, inserted in bulk."""

import random
from collections.abc import Callable, Iterable
from datetime import timedelta
from itertools import islice

from sqlalchemy import func, insert, select, update
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import (
    Chat,
    ChatMessage,
    ChatReadMarker,
    City,
    ConsumerContactInfo,
    CustomerProfile,
    Lecture,
    LecturerContactInfo,
    LectureReview,
    LecturerProfile,
    Order,
    OrderStatus,
    OrderStatusHistory,
    User,
)
from app.models.base import utcnow

PASSWORD = "demo-pass-123"
CHUNK = 5000
# Per unit of --scale.
LECTURERS, CUSTOMERS, LECTURES_EACH, ORDERS, MESSAGES = 10, 20, 2, 100, 200

CITIES = [
    ("Moscow", "Europe/Moscow"), ("Saint Petersburg", "Europe/Moscow"),
    ("Kazan", "Europe/Moscow"), ("Novosibirsk", "Asia/Novosibirsk"),
    ("Yekaterinburg", "Asia/Yekaterinburg"), ("Berlin", "Europe/Berlin"),
    ("London", "Europe/London"), ("New York", "America/New_York"),
    ("Tokyo", "Asia/Tokyo"), ("São Paulo", "America/Sao_Paulo"),
]  # fmt: skip
FIRST_NAMES = ["Anna", "Boris", "Clara", "Denis", "Elena", "Fedor", "Galina", "Igor"]
TOPICS = [
    "Machine learning", "Public speaking", "Product management", "Databases", "Negotiation",
    "Cloud costs", "Design systems", "Team leadership", "Security basics", "Data storytelling",
]  # fmt: skip
FORMATS = ["in practice", "for beginners", "deep dive", "workshop", "case studies"]
# How an order came to where it is (the moves after `created`), and how often.
PATHS = [
    ((), 20), (("accepted",), 20), (("refused",), 8), (("canceled",), 7),
    (("accepted", "canceled"), 5), (("accepted", "finished"), 40),
]  # fmt: skip
LINES = [
    "Hello! Is the date still free?", "Yes, it works for us.", "How many people will attend?",
    "About forty.", "Could you send the outline?", "Sent it by email.", "Thanks, see you then!",
]  # fmt: skip


def sizes(scale: int) -> dict[str, int]:
    return {
        "cities": len(CITIES),
        "users": 1 + (LECTURERS + CUSTOMERS) * scale,
        "lectures": LECTURERS * LECTURES_EACH * scale,
        "orders": ORDERS * scale,
        "messages": MESSAGES * scale,
    }


class DemoBuilder:
    """Builds the demo table by table, with Core bulk inserts in chunks."""

    def __init__(self, scale: int, advance: Callable[[int], None]):
        self.scale = scale
        self.advance = advance
        self.rng = random.Random(20261127)
        self.now = utcnow()

    def insert(self, model, rows: Iterable[dict], *, ids: bool = False) -> list[int]:
        """Insert rows in chunks; with ids, return the new ids in the rows' order."""
        table, rows, new_ids = model.__table__, iter(rows), []
        statement = insert(table)
        if ids:
            statement = statement.returning(table.c.id, sort_by_parameter_order=True)
        while chunk := list(islice(rows, CHUNK)):
            result = db.session.execute(statement, chunk)
            new_ids += result.scalars().all() if ids else []
            self.advance(len(chunk))
        return new_ids

    def build(self) -> dict[str, int]:
        self.cities()
        self.users()
        self.profiles()
        self.lectures()
        self.orders()
        self.chats()
        reviews = self.reviews()
        recount_totals()
        return {**sizes(self.scale), "reviews": reviews}

    def cities(self) -> None:
        rows = (dict(name=name, timezone=zone, created_at=self.now) for name, zone in CITIES)
        self.city_ids = self.insert(City, rows, ids=True)

    def users(self) -> None:
        password_hash = generate_password_hash(PASSWORD)  # one hash: every demo user shares it
        names = [("admin", "admin")]
        names += [(f"lecturer{n}", "lecturer") for n in range(1, LECTURERS * self.scale + 1)]
        names += [(f"customer{n}", "customer") for n in range(1, CUSTOMERS * self.scale + 1)]
        rows = (
            dict(username=name, email=f"{name}@demo.example", role=role,
                 password_hash=password_hash, created_at=self.now - timedelta(days=400))
            for name, role in names
        )  # fmt: skip
        ids = self.insert(User, rows, ids=True)
        split = 1 + LECTURERS * self.scale
        self.lecturer_users, self.customer_users = ids[1:split], ids[split:]

    def _profile(self, user_id: int, n: int, kind: str) -> dict:
        return dict(
            user_id=user_id, first_name=self.rng.choice(FIRST_NAMES), last_name=f"{kind}{n}",
            visit_card=f"{kind} number {n}.", created_at=self.now - timedelta(days=390),
            updated_at=self.now,
        )  # fmt: skip

    def profiles(self) -> None:
        lecturers = (
            dict(self._profile(user, n, "Lecturer"), experience=f"{n % 25 + 1} years of talks.")
            for n, user in enumerate(self.lecturer_users, 1)
        )
        self.lecturer_ids = self.insert(LecturerProfile, lecturers, ids=True)
        customers = (self._profile(u, n, "Customer") for n, u in enumerate(self.customer_users, 1))
        self.customer_ids = self.insert(CustomerProfile, customers, ids=True)
        self.insert(LecturerContactInfo, (
            dict(profile_id=profile, email=f"lecturer{n}@demo.example",
                 phone=f"+7 900 {n:07d}", city_id=self.rng.choice(self.city_ids))
            for n, profile in enumerate(self.lecturer_ids, 1)
        ))  # fmt: skip
        self.insert(ConsumerContactInfo, (
            dict(profile_id=profile, email=f"customer{n}@demo.example", company=f"Company {n}",
                 city_id=self.rng.choice(self.city_ids))
            for n, profile in enumerate(self.customer_ids, 1)
        ))  # fmt: skip
        self.user_of = dict(zip(self.lecturer_ids, self.lecturer_users, strict=True))
        self.customer_user_of = dict(zip(self.customer_ids, self.customer_users, strict=True))

    def lectures(self) -> None:
        owners = [lecturer for lecturer in self.lecturer_ids for _ in range(LECTURES_EACH)]
        rows = []
        for lecturer in owners:
            created = self.now - timedelta(days=self.rng.randint(30, 380))
            rows.append(dict(
                lecturer_id=lecturer,
                title=f"{self.rng.choice(TOPICS)}: {self.rng.choice(FORMATS)}",
                description="A talk with examples and time for questions.",
                duration_minutes=self.rng.choice([45, 60, 90, 120]),
                price_cents=self.rng.randint(50, 500) * 1000,
                archived=False, rating_sum=0, reviews_count=0,
                created_at=created, updated_at=created,
            ))  # fmt: skip
        self.lecture_ids = self.insert(Lecture, rows, ids=True)
        self.lecturer_of = dict(zip(self.lecture_ids, owners, strict=True))

    def orders(self) -> None:
        self.status_id = dict(db.session.execute(select(OrderStatus.code, OrderStatus.id)).all())
        paths, weights = zip(*PATHS, strict=True)
        self.order_rows = []
        for _ in range(ORDERS * self.scale):
            lecture = self.rng.choice(self.lecture_ids)
            path = self.rng.choices(paths, weights)[0]
            created = self.now - timedelta(days=self.rng.randint(1, 300))
            days_ahead = self.rng.randint(-20, -1) if path[-1:] == ("finished",) else 365
            self.order_rows.append(dict(
                lecture_id=lecture, lecturer_id=self.lecturer_of[lecture],
                customer_id=self.rng.choice(self.customer_ids),
                status_id=self.status_id[path[-1] if path else "created"],
                scheduled_at=self.now + timedelta(days=days_ahead),
                description="We would like this for our team.",
                created_at=created, updated_at=created,
            ))  # fmt: skip
            self.order_rows[-1]["path"] = path
        rows = ({k: v for k, v in row.items() if k != "path"} for row in self.order_rows)
        self.order_ids = self.insert(Order, rows, ids=True)
        self.insert(OrderStatusHistory, self._history())

    def _history(self) -> Iterable[dict]:
        """Each order's creation, then its moves, by the side that makes them."""
        for order_id, order in zip(self.order_ids, self.order_rows, strict=True):
            customer = self.customer_user_of[order["customer_id"]]
            lecturer = self.user_of[order["lecturer_id"]]
            previous, at = None, order["created_at"]
            for step in ("created", *order["path"]):
                yield dict(
                    order_id=order_id,
                    from_status_id=previous and self.status_id[previous],
                    to_status_id=self.status_id[step],
                    by_user_id=lecturer if step in ("accepted", "refused") else customer,
                    reason="Plans changed." if step in ("refused", "canceled") else None,
                    created_at=at,
                )
                previous, at = step, at + timedelta(hours=self.rng.randint(1, 72))

    def chats(self) -> None:
        chats = (
            dict(order_id=order_id, created_at=row["created_at"],
                 last_activity_at=row["created_at"])
            for order_id, row in zip(self.order_ids, self.order_rows, strict=True)
        )  # fmt: skip
        chat_ids = self.insert(Chat, chats, ids=True)
        sides = [
            (self.customer_user_of[row["customer_id"]], self.user_of[row["lecturer_id"]], row)
            for row in self.order_rows
        ]
        self.insert(ChatReadMarker, (
            dict(chat_id=chat, user_id=user, last_read_message_id=0)
            for chat, (customer, lecturer, _) in zip(chat_ids, sides, strict=True)
            for user in (customer, lecturer)
        ))  # fmt: skip
        self.insert(ChatMessage, self._messages(chat_ids, sides))

    def _messages(self, chat_ids: list[int], sides: list[tuple]) -> Iterable[dict]:
        for n in range(MESSAGES * self.scale):
            index = self.rng.randrange(len(chat_ids))
            customer, lecturer, order = sides[index]
            sender, recipient = (customer, lecturer) if n % 2 == 0 else (lecturer, customer)
            yield dict(
                chat_id=chat_ids[index], sender_id=sender, recipient_id=recipient,
                text=self.rng.choice(LINES),
                created_at=order["created_at"] + timedelta(minutes=self.rng.randint(1, 10000)),
            )  # fmt: skip

    def reviews(self) -> int:
        """Reviews of about 70% of the finished orders, mostly good ones."""
        finished = [
            (order_id, row)
            for order_id, row in zip(self.order_ids, self.order_rows, strict=True)
            if row["path"][-1:] == ("finished",) and self.rng.random() < 0.7
        ]
        self.insert(LectureReview, (
            dict(order_id=order_id, lecture_id=row["lecture_id"], lecturer_id=row["lecturer_id"],
                 customer_id=row["customer_id"],
                 grade=self.rng.choices([1, 2, 3, 4, 5], [1, 1, 3, 8, 12])[0],
                 text="Clear and useful.", created_at=self.now - timedelta(days=1),
                 updated_at=self.now)
            for order_id, row in finished
        ))  # fmt: skip
        return len(finished)


def recount_totals() -> None:
    """Set the rating totals and each chat's last activity from the rows made in bulk, as the
    API's writes keep them one by one."""
    newest_message = (
        select(func.max(ChatMessage.created_at)).where(ChatMessage.chat_id == Chat.id)
    ).scalar_subquery()
    db.session.execute(
        update(Chat).values(last_activity_at=func.coalesce(newest_message, Chat.created_at))
    )
    for model, column in (
        (Lecture, LectureReview.lecture_id),
        (LecturerProfile, LectureReview.lecturer_id),
    ):
        reviews = select(LectureReview.grade).where(column == model.id)
        total = reviews.with_only_columns(func.coalesce(func.sum(LectureReview.grade), 0))
        count = reviews.with_only_columns(func.count())
        average = reviews.with_only_columns(func.avg(LectureReview.grade * 1.0))
        db.session.execute(
            update(model).values(
                rating_sum=total.scalar_subquery(), reviews_count=count.scalar_subquery(),
                avg_rating=average.scalar_subquery(), updated_at=model.updated_at,
            )
        )  # fmt: skip


def seed(scale: int, advance: Callable[[int], None]) -> dict[str, int]:
    """Fill an empty database; returns how many rows of each kind it made."""
    return DemoBuilder(scale, advance).build()
