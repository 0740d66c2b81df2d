"""Demo data for `flask seed-demo`: a marketplace whose every order tells a story, in bulk.

app.demo_content holds the words; this module decides who lives where, who orders what and
when. Each order is asked for a time inside its lecturer's working hours, answered, talked
over in its chat, given, finished and reviewed, each step after the one before and all of it
relative to now, so that "past" and "future" hold whenever it runs. Two random generators with
fixed seeds make it reproducible: one picks the people, words and stories, the other the
times, so that a run on another day tells the same stories at other times.
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby, islice
from statistics import mean
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update
from werkzeug.security import generate_password_hash

from app import demo_content as content
from app.demo_content import CITIES, EN, RU, TOPICS, WORKING_WEEKS, Idea, Lines, Topic
from app.extensions import db
from app.models import (
    ADMIN,
    CUSTOMER,
    LECTURER,
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
from app.profiles.hours import DAYS

PASSWORD = "demo-pass-123"
CHUNK = 5000
SEED = 20261127
# Per unit of --scale.
LECTURERS, CUSTOMERS, LECTURES_EACH, ORDERS = 10, 20, 2, 100

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
EITHER = "either"
T = TypeVar("T")


@dataclass(frozen=True)
class Story:
    """How an order goes: the moves after `created`, who makes each, how often it happens,
    and on which days from today its lecture is (in the lecturer's city)."""

    name: str  # the key of its chat lines and reasons in app.demo_content
    moves: tuple[str, ...]
    by: tuple[str, ...]
    weight: int
    days: tuple[int, int]

    @property
    def future(self) -> bool:
        return self.days[0] > 0

    @property
    def past(self) -> bool:
        return self.days[1] < 0


STORIES = {
    story.name: story
    for story in (
        Story("waiting", (), (), 20, (2, 42)),
        Story("accepted", ("accepted",), (LECTURER,), 20, (2, 70)),
        Story("refused", ("refused",), (LECTURER,), 8, (-56, 42)),
        Story("canceled", ("canceled",), (CUSTOMER,), 7, (-56, 42)),
        Story("called_off_by_customer", ("accepted", "canceled"), (LECTURER, CUSTOMER), 3,
              (-56, 56)),
        Story("called_off_by_lecturer", ("accepted", "canceled"), (LECTURER, LECTURER), 2,
              (-56, 56)),
        Story("finished", ("accepted", "finished"), (LECTURER, EITHER), 40, (-140, -2)),
    )
}  # fmt: skip
CITY_WEIGHTS = [city.weight for city in CITIES]
STORY_WEIGHTS = [story.weight for story in STORIES.values()]
# The first orders: customer1's to lecturer1, so that the demo logins have one of each thing
# to try. The first finished one waits for customer1's review.
FEATURED = ("waiting", "finished", "accepted", "finished")
# Every review text of a language and grade: a verdict and a detail.
REVIEW_TEXTS = {
    (language, grade): tuple(f"{verdict} {detail}"
                             for verdict in review.verdicts for detail in review.details)
    for language, grades in content.REVIEWS.items()
    for grade, review in grades.items()
}  # fmt: skip
# A lecturer's grades: most are liked, a few are uneven. (tier weight, grade weights 1..5)
TIERS = ((5, (0, 0, 1, 4, 12)), (4, (0, 1, 2, 8, 8)), (2, (1, 2, 4, 5, 4)))


def working_hours(number: int) -> dict[str, list[dict[str, str]]]:
    """The weekly working hours of `lecturer<number>`, in the shape of API.md section 12."""
    return WORKING_WEEKS[(number - 1) % len(WORKING_WEEKS)]


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _intervals(hours: dict[str, list[dict[str, str]]]) -> dict[int, list[tuple[int, int]]]:
    """Working hours as minutes of the day, by weekday number (Monday 0)."""
    return {
        DAYS.index(day): [(_minutes(span["start"]), _minutes(span["end"])) for span in spans]
        for day, spans in hours.items()
    }


def _expected_lines() -> float:
    """How many chat lines an order has on average, for the progress bar."""
    weights = sum(story.weight for story in STORIES.values())
    return sum(
        story.weight / weights * mean(1 + len(lines) for lines in content.CHATS[name][RU])
        for name, story in STORIES.items()
    )


def sizes(scale: int) -> dict[str, int]:
    """About how many rows of each kind --scale makes (the chats' lines vary with stories)."""
    return {
        "cities": len(CITIES),
        "users": 1 + (LECTURERS + CUSTOMERS) * scale,
        "lectures": LECTURERS * LECTURES_EACH * scale,
        "orders": ORDERS * scale,
        "messages": round(ORDERS * scale * _expected_lines()),
    }


@dataclass(slots=True)
class Person:
    """A lecturer or a customer, as the builder plans them before they have ids."""

    number: int  # as in the username: lecturer1, customer1
    language: str
    city: int  # an index of CITIES
    first_name: str
    last_name: str
    phone: str
    zone: ZoneInfo
    joined: datetime | None = None  # when their user was made
    user_id: int = 0
    profile_id: int = 0


@dataclass(slots=True)
class Lecturer(Person):
    """A lecturer, with their field, how they are graded, their hours and booked times."""

    topic: Topic | None = None
    round: int = 0  # how many lecturers of the language had taken every topic before
    grades: tuple[int, ...] = ()
    years: int = 0
    hours: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    booked: list[tuple[datetime, datetime]] = field(default_factory=list)

    def free(self, start: datetime, end: datetime) -> bool:
        return all(end <= begun or ended <= start for begun, ended in self.booked)


@dataclass(slots=True)
class Customer(Person):
    """A customer and the company they order for."""

    company: str = ""
    role: str = ""
    said: set = field(default_factory=set)  # the chat lines they have used


@dataclass(slots=True)
class Offer:
    """A lecture on offer, with what the orders need of it."""

    lecturer: Lecturer
    title: str
    minutes: int
    id: int = 0


@dataclass(slots=True)
class Plan:
    """An order's story: who, what, when, and the chat lines that go with it."""

    story: Story
    offer: Offer
    customer: Customer
    start: datetime
    events: list[tuple[str, datetime]]  # ("created", at), then each move
    movers: list[int]  # the user who made each event
    lines: Lines  # after the customer's request, content.ASKS
    ask: str
    audience: str
    people: int
    note: str
    reason: str | None
    reviewed: bool
    id: int = 0

    @property
    def status(self) -> str:
        return self.events[-1][0]

    def at(self, event: str) -> datetime:
        return next(moment for name, moment in self.events if name == event)


class DemoBuilder:
    """Builds the demo table by table, with Core bulk inserts in chunks."""

    def __init__(self, scale: int, advance: Callable[[int], None], now: datetime | None = None):
        self.scale = scale
        self.advance = advance
        self.rng = random.Random(SEED)  # people, words, stories
        self.clock = random.Random(SEED + 1)  # times
        self.now = (now or utcnow()).replace(microsecond=0)

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
        self.people()
        self.users()
        self.profiles()
        self.lectures()
        self.orders()
        messages = self.chats()
        reviews = self.reviews()
        recount_totals()
        mark_read()
        return {**sizes(self.scale), "messages": messages, "reviews": reviews}

    # --- random picks ---------------------------------------------------------------------

    def _between(self, low: timedelta, high: timedelta) -> timedelta:
        """A random whole number of seconds from low to high, so that times stay round."""
        seconds = self.clock.randint(int(low.total_seconds()), int(high.total_seconds()))
        return timedelta(seconds=seconds)

    def _digits(self, pattern: str) -> str:
        return "".join(str(self.rng.randrange(10)) if c == "#" else c for c in pattern)

    # --- cities and people ----------------------------------------------------------------

    def cities(self) -> None:
        rows = (
            dict(name=city.name, timezone=city.timezone, created_at=self.now - 800 * DAY)
            for city in CITIES
        )
        self.city_ids = self.insert(City, rows, ids=True)
        self.zones = [ZoneInfo(city.timezone) for city in CITIES]

    def _city(self, index: int) -> int:
        """Each city has one of the first people of a kind (lecturer1 and customer1 live in
        the first); the rest live where most people do."""
        if index < len(CITIES):
            return index
        return self.rng.choices(range(len(CITIES)), CITY_WEIGHTS)[0]

    def _name(self, language: str) -> tuple[str, str]:
        """A first and last name of the language: a first name no one has yet while such are
        left, else a full name no one has yet while such are left (a few tries each)."""
        names = content.NAMES[language]
        firsts = self.firsts_taken[language]
        fresh_first = len(firsts) < len(names.male) + len(names.female)
        for _ in range(10):
            female = self.rng.random() < 0.5
            first = self.rng.choice(names.female if female else names.male)
            last = self.rng.choice(names.surnames)
            last = _feminine(last) if female and language == RU else last
            if first not in firsts if fresh_first else (first, last) not in self.names_taken:
                break
        firsts.add(first)
        self.names_taken.add((first, last))
        return first, last

    def _person(self, kind: type[Person], index: int) -> Person:
        city = self._city(index)
        language = CITIES[city].language
        first, last = self._name(language)
        return kind(
            number=index + 1, language=language, city=city, first_name=first, last_name=last,
            phone=self._digits(CITIES[city].phone), zone=self.zones[city],
        )  # fmt: skip

    def people(self) -> None:
        self.firsts_taken: dict[str, set[str]] = {RU: set(), EN: set()}
        self.names_taken: set[tuple[str, str]] = set()
        # Lecturers of a language take its topics in turn, so that a title comes round again
        # only once every topic has its lecturer.
        self.topics = {language: self.rng.sample(TOPICS, len(TOPICS)) for language in (RU, EN)}
        self.turns = {RU: 0, EN: 0}
        self.lecturers = [self._lecturer(index) for index in range(LECTURERS * self.scale)]
        self.customers = [self._customer(index) for index in range(CUSTOMERS * self.scale)]

    def _lecturer(self, index: int) -> Lecturer:
        lecturer = self._person(Lecturer, index)
        turn = self.turns[lecturer.language]
        self.turns[lecturer.language] += 1
        lecturer.topic = self.topics[lecturer.language][turn % len(TOPICS)]
        lecturer.round = turn // len(TOPICS)
        lecturer.grades = self.rng.choices([g for _, g in TIERS], [w for w, _ in TIERS])[0]
        lecturer.years = self.rng.randint(5, 25)
        lecturer.hours = _intervals(working_hours(lecturer.number))
        return lecturer

    def _customer(self, index: int) -> Customer:
        customer = self._person(Customer, index)
        customer.company = self.rng.choice(content.COMPANIES[customer.language])
        customer.role = self.rng.choice(content.CUSTOMER_ROLES[customer.language])
        return customer

    def _accounts(self) -> Iterator[tuple[str, str, Person | None]]:
        yield "admin", ADMIN, None
        yield from ((f"lecturer{p.number}", LECTURER, p) for p in self.lecturers)
        yield from ((f"customer{p.number}", CUSTOMER, p) for p in self.customers)

    def users(self) -> None:
        password_hash = generate_password_hash(PASSWORD)  # one hash: every demo user shares it
        accounts = list(self._accounts())
        for _, _, person in accounts[1:]:
            person.joined = self.now - self._between(400 * DAY, 760 * DAY)
        rows = (
            dict(username=name, email=f"{name}@demo.example", role=role,
                 password_hash=password_hash,
                 created_at=person.joined if person else self.now - 800 * DAY)
            for name, role, person in accounts
        )  # fmt: skip
        ids = self.insert(User, rows, ids=True)
        for (_, _, person), user_id in zip(accounts[1:], ids[1:], strict=True):
            person.user_id = user_id

    def _profile(self, person: Person, visit_card: str) -> dict:
        made = person.joined + self._between(10 * MINUTE, 3 * DAY)
        return dict(
            user_id=person.user_id, first_name=person.first_name, last_name=person.last_name,
            visit_card=visit_card, created_at=made, updated_at=made,
        )  # fmt: skip

    def _lecturer_profile(self, lecturer: Lecturer) -> dict:
        years = _years(lecturer.language, lecturer.years)
        card = lecturer.topic.visit_card[lecturer.language].format(years=years)
        experience = self.rng.choice(content.EXPERIENCE[lecturer.language])
        talks = 10 * self.rng.randint(5, 40)
        return dict(
            self._profile(lecturer, card),
            experience=experience.format(years=years, talks=talks),
            working_hours=working_hours(lecturer.number),
        )

    def _customer_profile(self, customer: Customer) -> dict:
        card = content.CUSTOMER_CARD[customer.language]
        return self._profile(customer, card.format(role=customer.role, company=customer.company))

    def _insert_profiles(self, model, people: list[Person], rows: Iterable[dict]) -> None:
        for person, profile_id in zip(people, self.insert(model, rows, ids=True), strict=True):
            person.profile_id = profile_id

    def profiles(self) -> None:
        self._insert_profiles(
            LecturerProfile, self.lecturers, map(self._lecturer_profile, self.lecturers)
        )
        self._insert_profiles(
            CustomerProfile, self.customers, map(self._customer_profile, self.customers)
        )
        self.insert(LecturerContactInfo, (
            dict(profile_id=p.profile_id, email=f"lecturer{p.number}@demo.example",
                 phone=p.phone, city_id=self.city_ids[p.city])
            for p in self.lecturers
        ))  # fmt: skip
        self.insert(ConsumerContactInfo, (
            dict(profile_id=p.profile_id, email=f"customer{p.number}@demo.example",
                 phone=p.phone, company=p.company, city_id=self.city_ids[p.city])
            for p in self.customers
        ))  # fmt: skip

    # --- lectures -------------------------------------------------------------------------

    def _lecture(self, lecturer: Lecturer, turn: int) -> tuple[Offer, dict]:
        """The lecturer's turn-th lecture: the ideas of their topic in turn, each given a
        format once all of them are taken."""
        ideas = lecturer.topic.lectures[lecturer.language]
        number = lecturer.round * LECTURES_EACH + turn
        idea, again = ideas[number % len(ideas)], number // len(ideas)
        title = _titled(idea.title, lecturer.language, again)
        made = lecturer.joined + self._between(4 * DAY, 90 * DAY)
        row = dict(
            lecturer_id=lecturer.profile_id, title=title, description=idea.description,
            duration_minutes=idea.minutes, price_cents=_price(idea, lecturer.years) * 100,
            archived=False, rating_sum=0, reviews_count=0, created_at=made, updated_at=made,
        )  # fmt: skip
        return Offer(lecturer, title, idea.minutes), row

    def lectures(self) -> None:
        made = [
            self._lecture(lecturer, turn)
            for lecturer in self.lecturers
            for turn in range(LECTURES_EACH)
        ]
        self.offers = [offer for offer, _ in made]
        ids = self.insert(Lecture, (row for _, row in made), ids=True)
        for offer, lecture_id in zip(self.offers, ids, strict=True):
            offer.id = lecture_id
        self.offers_in = {
            language: [offer for offer in self.offers if offer.lecturer.language == language]
            for language in (RU, EN)
        }

    # --- orders ---------------------------------------------------------------------------

    def orders(self) -> None:
        self.status_id = dict(db.session.execute(select(OrderStatus.code, OrderStatus.id)).all())
        self.plans = [self._plan(index) for index in range(ORDERS * self.scale)]
        ids = self.insert(Order, (self._order_row(plan) for plan in self.plans), ids=True)
        for plan, order_id in zip(self.plans, ids, strict=True):
            plan.id = order_id
        self.insert(OrderStatusHistory, self._history())

    def _plan(self, index: int) -> Plan:
        """The index-th order: a featured one of customer1 to lecturer1, else a customer's
        order of a lecture in their language, in a story picked by weight."""
        if index < len(FEATURED):
            name = FEATURED[index]
            offer = self.rng.choice(self.offers[:LECTURES_EACH])
            reviewed = index != FEATURED.index("finished")
            return self._story(STORIES[name], offer, self.customers[0], reviewed)
        customer = self.rng.choice(self.customers)
        offer = self.rng.choice(self.offers_in[customer.language])
        story = self.rng.choices(list(STORIES.values()), STORY_WEIGHTS)[0]
        return self._story(story, offer, customer, reviewed=self.rng.random() < 0.7)

    def _story(self, story: Story, offer: Offer, customer: Customer, reviewed: bool) -> Plan:
        language = customer.language
        reasons = content.REASONS.get(story.name)
        lecturer = offer.lecturer
        sides = [self.rng.choice((CUSTOMER, LECTURER)) if by == EITHER else by for by in story.by]
        makers = [customer if side == CUSTOMER else lecturer for side in (CUSTOMER, *sides)]
        start = self._slot(lecturer, offer.minutes, story)
        return Plan(
            story=story, offer=offer, customer=customer, start=start,
            events=self._timeline(
                story, start, start + offer.minutes * MINUTE, [p.zone for p in makers]
            ),
            movers=[p.user_id for p in makers],
            lines=self._fresh(customer.said, content.CHATS[story.name][language]),
            ask=self._fresh(customer.said, content.ASKS[language]),
            audience=self.rng.choice(content.AUDIENCES[language]),
            people=self.rng.choice(content.PEOPLE),
            note=self.rng.choice(content.ORDER_NOTES[language]),
            reason=self.rng.choice(reasons[language]) if reasons else None,
            reviewed=reviewed,
        )  # fmt: skip

    def _fresh(self, said: set, options: tuple[T, ...]) -> T:
        """One of the options not in `said` yet, all of them over again once they all are:
        nobody writes the same chat twice in a row, no review repeats while others are left."""
        unused = [option for option in options if option not in said]
        if not unused:
            said.difference_update(options)
            unused = list(options)
        choice = self.rng.choice(unused)
        said.add(choice)
        return choice

    def _slot(self, lecturer: Lecturer, minutes: int, story: Story) -> datetime:
        """A start inside the lecturer's hours on one of the story's days, whose span crosses
        none of the lecturer's other orders."""
        today = self.now.astimezone(lecturer.zone).date()
        length = minutes * MINUTE
        for _ in range(1000):
            day = today + self.clock.randint(*story.days) * DAY
            start = self._start_on(day, lecturer, minutes)
            if start is None or not self._fits(story, start, start + length):
                continue
            if lecturer.free(start, start + length):
                lecturer.booked.append((start, start + length))
                return start
        raise RuntimeError(f"No free time left for lecturer{lecturer.number}.")

    def _start_on(self, day: date, lecturer: Lecturer, minutes: int) -> datetime | None:
        """A start on the local day whose span lies inside one of its working intervals, both
        ends read as wall-clock times; None on a day off (a holiday too) or across a change of
        the clocks."""
        hours = lecturer.hours.get(day.weekday(), ())
        fitting = [(a, b) for a, b in hours if b - a >= minutes]
        if not fitting or (day.month, day.day) in content.DAYS_OFF[lecturer.language]:
            return None
        begin, end = self.clock.choice(fitting)
        at = begin + 30 * self.clock.randint(0, (end - begin - minutes) // 30)
        wall = datetime.combine(day, time()) + at * MINUTE
        start = wall.replace(tzinfo=lecturer.zone).astimezone(UTC)
        end = start + minutes * MINUTE
        if _wall(start, lecturer.zone) != wall or _wall(end, lecturer.zone) != wall + (end - start):
            return None
        return start

    def _fits(self, story: Story, start: datetime, end: datetime) -> bool:
        """Open orders lie at least a day ahead, finished ones ended at least a day ago."""
        ahead = not story.future or start >= self.now + DAY
        behind = not story.past or end <= self.now - DAY
        return ahead and behind

    def _timeline(
        self, story: Story, start: datetime, end: datetime, zones: list[ZoneInfo]
    ) -> list[tuple[str, datetime]]:
        """When the order was made and moved (zones: where the maker of each step lives): the
        moves before the lecture a day ahead of it and an hour before now at the latest, the
        finish after the lecture's end; each in the daytime where it can be."""
        latest = min(self.now - HOUR, start - DAY)
        before = [move for move in story.moves if move != "finished"]
        age = (2 * DAY, 30 * DAY) if before else (HOUR, 5 * DAY)
        created = latest - self._between(*age)
        created = self._daytime(created, zones[0], latest - (DAY if before else HOUR))
        events = [("created", created)]
        # Each move has its share of the time up to `latest`, and comes early in it.
        share = timedelta(seconds=(latest - created).total_seconds() // max(len(before), 1))
        for turn, move in enumerate(before, 1):
            wait = self._between(HOUR, max(HOUR, min(3 * DAY, share * 0.6)))
            at = created + (turn - 1) * share + wait
            events.append((move, self._daytime(at, zones[turn], created + turn * share - HOUR)))
        if "finished" in story.moves:
            at = end + self._between(15 * MINUTE, 20 * HOUR)
            events.append(("finished", self._daytime(at, zones[-1], self.now - 2 * HOUR)))
        return events

    def _daytime(self, at: datetime, zone: ZoneInfo, bound: datetime) -> datetime:
        """`at`, or when it falls at night where the writer lives, the next morning if that
        comes before `bound`: people write and press buttons by day."""
        local = at.astimezone(zone)
        if 8 <= local.hour < 22:
            return at
        day = local.date() + (DAY if local.hour >= 22 else timedelta())
        morning = datetime.combine(day, time(8), zone).astimezone(UTC)
        morning += self._between(timedelta(), 2 * HOUR)
        return morning if morning < bound else at

    def _order_row(self, plan: Plan) -> dict:
        return dict(
            lecture_id=plan.offer.id, lecturer_id=plan.offer.lecturer.profile_id,
            customer_id=plan.customer.profile_id, status_id=self.status_id[plan.status],
            scheduled_at=plan.start, ends_at=plan.start + plan.offer.minutes * MINUTE,
            description=plan.note.format(audience=plan.audience, people=plan.people),
            created_at=plan.events[0][1], updated_at=plan.events[-1][1],
        )  # fmt: skip

    def _history(self) -> Iterator[dict]:
        """Each order's creation, then its moves, by the side that made them."""
        for plan in self.plans:
            previous = None
            for (status, at), by in zip(plan.events, plan.movers, strict=True):
                yield dict(
                    order_id=plan.id,
                    from_status_id=previous and self.status_id[previous],
                    to_status_id=self.status_id[status],
                    by_user_id=by,
                    reason=_sentence(plan.reason) if status in ("refused", "canceled") else None,
                    created_at=at,
                )
                previous = status

    # --- chats and reviews ----------------------------------------------------------------

    def chats(self) -> int:
        """A chat for each order, its two read markers and its lines; returns how many lines."""
        rows = (
            dict(order_id=plan.id, created_at=plan.events[0][1],
                 last_activity_at=plan.events[0][1])
            for plan in self.plans
        )  # fmt: skip
        chat_ids = self.insert(Chat, rows, ids=True)
        self.insert(ChatReadMarker, (
            dict(chat_id=chat, user_id=user, last_read_message_id=0)
            for chat, plan in zip(chat_ids, self.plans, strict=True)
            for user in (plan.customer.user_id, plan.offer.lecturer.user_id)
        ))  # fmt: skip
        self.insert(ChatMessage, self._messages(chat_ids))
        return sum(1 + len(plan.lines) for plan in self.plans)

    def _messages(self, chat_ids: list[int]) -> Iterator[dict]:
        """Each chat's lines, the customer's request first, then the two sides in turn."""
        for chat_id, plan in zip(chat_ids, self.plans, strict=True):
            sides = (plan.customer.user_id, plan.offer.lecturer.user_id)
            words = self._words(plan)
            texts = [plan.ask, *(text for _, text in plan.lines)]
            for turn, (text, at) in enumerate(zip(texts, self._line_times(plan), strict=True)):
                yield dict(
                    chat_id=chat_id, sender_id=sides[turn % 2], recipient_id=sides[1 - turn % 2],
                    text=text.format(**words), created_at=at,
                )  # fmt: skip

    def _words(self, plan: Plan) -> dict[str, str | int]:
        """What a chat line fills in."""
        lecturer = plan.offer.lecturer
        return dict(
            lecturer=lecturer.first_name, customer=plan.customer.first_name,
            title=plan.offer.title, when=_when(plan.start, lecturer.zone, plan.customer.language),
            people=plan.people, audience=plan.audience, reason=plan.reason or "",
        )  # fmt: skip

    def _line_times(self, plan: Plan) -> list[datetime]:
        """When each line was written: the lines that follow an event come after it, before
        the next event, before the lecture while it is ahead, and before now."""
        zones = (plan.customer.zone, plan.offer.lecturer.zone)
        follows = ["created", *(event for event, _ in plan.lines)]
        times: list[datetime] = []
        for event, group in groupby(follows):
            count = len(list(group))
            low = plan.at(event)
            ends = [at for _, at in plan.events if at > low] + [self.now]
            if plan.start > low:
                ends.append(plan.start)
            writers = [zones[turn % 2] for turn in range(len(times), len(times) + count)]
            times += self._spread(low, min(ends), writers)
        return times

    def _spread(self, low: datetime, high: datetime, writers: list[ZoneInfo]) -> list[datetime]:
        """A time strictly between low and high for each writer's line, as a conversation
        goes: the first a few minutes after low, then pauses of minutes to hours, by day where
        there is time, squeezed where there is little."""
        gaps = [self.clock.randint(60, 1800)]
        gaps += [self.clock.randint(300, 6 * 3600) for _ in writers[1:]]
        room, total = int((high - low).total_seconds()) - 1, sum(gaps)
        if total > room:
            gaps = [1 + gap * (room - len(gaps)) // total for gap in gaps]
        times, at = [], low
        for turn, (gap, zone) in enumerate(zip(gaps, writers, strict=True)):
            # A line moved to the morning leaves room for the gaps of the lines after it.
            bound = high - timedelta(seconds=sum(gaps[turn + 1 :]))
            at = self._daytime(at + timedelta(seconds=gap), zone, bound)
            times.append(at)
        return times

    def reviews(self) -> int:
        """Reviews of about 70% of the finished orders, graded as their lecturer goes."""
        reviewed = [plan for plan in self.plans if plan.status == "finished" and plan.reviewed]
        self.reviews_said: set[str] = set()
        self.insert(LectureReview, (self._review(plan) for plan in reviewed))
        return len(reviewed)

    def _review(self, plan: Plan) -> dict:
        grade = self.rng.choices(range(1, 6), plan.offer.lecturer.grades)[0]
        text = self._fresh(self.reviews_said, REVIEW_TEXTS[plan.customer.language, grade])
        finished = plan.at("finished")
        at = finished + self._between(HOUR, min(7 * DAY, self.now - finished - HOUR))
        at = self._daytime(at, plan.customer.zone, self.now)
        return dict(
            order_id=plan.id, lecture_id=plan.offer.id,
            lecturer_id=plan.offer.lecturer.profile_id, customer_id=plan.customer.profile_id,
            grade=grade, text=text, created_at=at, updated_at=at,
        )  # fmt: skip


def _feminine(surname: str) -> str:
    """A Russian surname as a woman's: Иванов → Иванова, Вишневский → Вишневская; Черных and
    Кравченко stay as they are."""
    if surname.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return surname + "а"
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    return surname


def _years(language: str, years: int) -> str:
    """ "12 years", "12 лет", "21 год", "23 года"."""
    if language == EN:
        return f"{years} years"
    if years % 10 == 1 and years % 100 != 11:
        return f"{years} год"
    if 2 <= years % 10 <= 4 and not 12 <= years % 100 <= 14:
        return f"{years} года"
    return f"{years} лет"


def _titled(title: str, language: str, again: int) -> str:
    """The title, with a format in brackets when it comes round again."""
    formats = content.TITLE_FORMATS[language]
    return f"{title} ({formats[(again - 1) % len(formats)]})" if again else title


def _price(idea: Idea, years: int) -> int:
    """The idea's price in rubles, a little higher the longer the lecturer's experience, in
    whole thousands."""
    return round(idea.price * (0.8 + 0.02 * min(years, 20)) / 1000) * 1000


def _sentence(clause: str) -> str:
    return clause[0].upper() + clause[1:] + "."


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    """The moment as a clock on the wall in the zone shows it."""
    return moment.astimezone(zone).replace(tzinfo=None)


def _when(moment: datetime, zone: ZoneInfo, language: str) -> str:
    """A lecture's local date and time as a chat line names it: "14 марта в 15:00"."""
    local = moment.astimezone(zone)
    month = content.MONTHS[language][local.month - 1]
    return content.WHEN[language].format(day=local.day, month=month, time=f"{local:%H:%M}")


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


def mark_read() -> None:
    """Each participant has read their chat up to their own newest line: what the other side
    wrote after it is unread (a request the lecturer has not answered, a thank-you)."""
    own_newest = (
        select(func.coalesce(func.max(ChatMessage.id), 0))
        .where(
            ChatMessage.chat_id == ChatReadMarker.chat_id,
            ChatMessage.sender_id == ChatReadMarker.user_id,
        )
        .scalar_subquery()
    )
    db.session.execute(update(ChatReadMarker).values(last_read_message_id=own_newest))


def seed(scale: int, advance: Callable[[int], None], now: datetime | None = None) -> dict[str, int]:
    """Fill an empty database; returns how many rows of each kind it made."""
    return DemoBuilder(scale, advance, now).build()
