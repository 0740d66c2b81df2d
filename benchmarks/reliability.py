"""Reliability runs against real gunicorn servers over PostgreSQL, with checks of the data.

    python benchmarks/reliability.py load --seconds 60 --clients 16
    python benchmarks/reliability.py fault --seconds 60 --clients 16 --outage 5
    python benchmarks/reliability.py two-servers
    python benchmarks/reliability.py slow-clients --seconds 30 [--direct]
    python benchmarks/reliability.py all

load: concurrent customers and lecturers order, repeat orders with the same Idempotency-Key,
chat, move orders (with deliberate conflicting moves) and review; then the database is checked.
fault: the same load while PostgreSQL is stopped for --outage seconds and started again;
an order answered 503 is sent again with its key until it is created.
two-servers: two servers over one database, login throttling in Redis, and Redis down.
slow-clients: nginx (deploy/nginx.conf) before gunicorn with 2 sync workers; --slow clients
trickle requests they never finish while GET /healthz and GET /lecture/<id> are timed through
nginx; its last line is `slow-clients: N requests, 5xx K, p99 X ms`, and it fails on any
answer but 200 or a p99 over 100 ms. --direct aims it at bare gunicorn instead.
The exit status is 1 if any check fails. Databases and servers are removed at the end;
gunicorn's workers follow GUNICORN_WORKERS (default: one per core, gunicorn.conf.py).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import edge, harness  # noqa: E402

PASSWORD = "demo-pass-123"
REASON = "Plans changed."
# Moves sent at the same instant on a fresh order: the lecturer's, then the customer's.
DUELS = (("accepted", "canceled"), ("refused", "canceled"))
KEY_PREFIX = "Reliability order "
REPEAT_SHARE = 0.25  # orders sent a second time with the same key after their 201
STILL_RUNNING = "still running"  # in the 409 for a key whose first call has no answer yet
RESEND_PAUSE = 1.0  # seconds between the sends of an order answered 503
RESEND_FOR = 45.0  # seconds after the 503 to keep sending; the server takes a key over at 30
ANSWER_BOUND = 8.0  # slowest answer during the outage: DB_POOL_TIMEOUT + DB_CONNECT_TIMEOUT
RECOVERY_BOUND = 5.0  # seconds from PostgreSQL ready to the first 2xx
CONTESTED = 50  # two-servers: orders for each pair of moves
REDIS_DB = 11  # two-servers: the Redis database counting failed logins, flushed around it
DEAD_REDIS = "redis://127.0.0.1:6399/0"  # nothing listens there
FALLBACK_WARNING = "falling back to in-memory storage"
SLOW_REDIS_DB = 13  # slow-clients: the limits of its servers, flushed around the run
SLOW_EVERY = 5.0  # seconds between two bytes of a slow client: under nginx's 10 s timeouts
SLOW_BODY_LENGTH = 100
SLOW_BODY_HEAD = (
    b"POST /signup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: %d\r\n\r\n{"
)
SLOW_HEADER_HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
PROBES = 2  # threads timing GET /healthz and GET /lecture/<id>
PROBE_EVERY = 0.05  # seconds between two requests of a probe thread: 40 requests/s in all
PROBE_TIMEOUT = 5.0  # a probe waiting longer has failed
BASELINE = 5.0  # seconds of probes before the slow clients come
P99_BOUND_MS = 100.0
# What each kind of request may answer when all is well; anything else is a failure.
EXPECTED = {
    "login": {200},
    "create_order": {201},
    "repeat_order": {201},
    "order_after_503": {201, 409},
    "message": {201},
    "review": {201, 409},
    **{kind: {200, 409} for kind in ("accept", "refuse", "cancel", "finish")},
    **{f"duel_{move}": {200, 409} for move in ("accepted", "refused", "canceled")},
}


# --- Recording what the clients saw -------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    kind: str
    status: int  # 0: no HTTP answer at all
    start: float  # seconds since the run began
    end: float

    @property
    def elapsed(self) -> float:
        return self.end - self.start


@dataclass
class Recorder:
    """Every answer the clients got, and lists of notes (acknowledged ids, duels...).

    notes: "orders", "chat_messages", "lecture_reviews" (ids answered 201), "repeats"
    (first order id, status, order id), "duels" (Duel) and "resends" (Resend).
    """

    started: float = field(default_factory=time.monotonic)
    outcomes: list[Outcome] = field(default_factory=list)
    notes: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.started

    def call(
        self, client: harness.Client, kind: str, method: str, path: str,
        body: dict | None = None, **headers: str,
    ) -> tuple[int, dict | None]:  # fmt: skip
        """Send one request and record its status and timing (status 0 if none came)."""
        start = self.now()
        try:
            status, answer = client.call(method, path, body, **headers)
        except (OSError, http.client.HTTPException, ValueError):
            status, answer = 0, None
        with self.lock:
            self.outcomes.append(Outcome(kind, status, start, self.now()))
        return status, answer

    def note(self, name: str, item: object) -> None:
        with self.lock:
            self.notes[name].append(item)

    def snapshot(self) -> list[Outcome]:
        with self.lock:
            return list(self.outcomes)


# --- The marketplace as the clients know it -----------------------------------------------


@dataclass
class OrderRef:
    id: int
    chat_id: int
    customer: str
    lecturer: str
    status: str = "created"
    reviewed: bool = False


class Board:
    """The orders the clients made, with the status last seen; shared by all client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_user: dict[str, list[OrderRef]] = defaultdict(list)

    def add(self, order: OrderRef) -> None:
        with self.lock:
            self.by_user[order.customer].append(order)
            self.by_user[order.lecturer].append(order)

    def pick(
        self, user: str, rng: random.Random, status: str | None = None, reviewed: bool | None = None
    ) -> OrderRef | None:
        """A random order of the user's, in that status and review state (None: any)."""
        with self.lock:
            found = [
                o for o in self.by_user[user]
                if status in (None, o.status) and reviewed in (None, o.reviewed)
            ]  # fmt: skip
        return rng.choice(found) if found else None

    def update(self, order: OrderRef, **changes: object) -> None:
        with self.lock:
            for name, value in changes.items():
                setattr(order, name, value)


@dataclass(frozen=True)
class Cast:
    """Who plays: the tokens of the logged-in users and the lectures customers may order."""

    port: int
    tokens: dict[str, str]
    lectures: list[tuple[int, str]]  # (lecture id, its lecturer's username)


# Each order its own two days, years ahead: no two orders of a run (nor the demo's) overlap,
# so that only the workflow, never the lecturer's booked time, refuses a move or an order.
ORDER_SLOTS = itertools.count()
FIRST_SLOT = datetime.now(UTC).replace(hour=0, minute=0, second=0) + timedelta(days=2 * 365)


def order_body(lecture_id: int, key: str, rng: random.Random) -> dict:
    when = FIRST_SLOT + timedelta(days=2 * next(ORDER_SLOTS), hours=rng.randint(0, 23))
    return {
        "lecture_id": lecture_id,
        "scheduled_at": when.replace(microsecond=0).isoformat(),
        "description": KEY_PREFIX + key,
    }


@dataclass(frozen=True)
class Duel:
    """Two moves of a fresh order sent at the same instant: the lecturer's, the customer's."""

    order_id: int
    moves: tuple[str, str]
    statuses: tuple[int, int]

    @property
    def winners(self) -> list[str]:
        return [m for m, status in zip(self.moves, self.statuses, strict=True) if status == 200]

    @property
    def undecided(self) -> bool:
        """An answer other than 200/409 (a 503 in an outage): no verdict either way."""
        return any(status not in (200, 409) for status in self.statuses)


def duel(
    recorder: Recorder, lecturer: harness.Client, customer: harness.Client, order_id: int,
    moves: tuple[str, str],
) -> Duel:  # fmt: skip
    """Send the lecturer's and the customer's move, released together by a barrier."""
    barrier = threading.Barrier(2)
    statuses = [0, 0]

    def move(side: int, client: harness.Client) -> None:
        status = moves[side]
        body = {"status": status} | ({"reason": REASON} if status != "accepted" else {})
        barrier.wait()
        path = f"/change_order_status/{order_id}"
        statuses[side] = recorder.call(client, f"duel_{status}", "PUT", path, body)[0]

    run_all([lambda side=side, c=c: move(side, c) for side, c in enumerate((lecturer, customer))])
    result = Duel(order_id, moves, (statuses[0], statuses[1]))
    recorder.note("duels", result)
    return result


def run_all(targets: list[Callable[[], object]]) -> None:
    """Run each target in its own thread and wait for all of them."""
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# --- Client threads -----------------------------------------------------------------------


class Actor:
    """One logged-in user doing weighted random actions until the deadline."""

    actions: dict[str, int] = {}

    def __init__(self, user: str, cast: Cast, board: Board, recorder: Recorder, seed: int):
        self.user, self.cast, self.board, self.recorder = user, cast, board, recorder
        self.rng = random.Random(seed)
        self.client = harness.Client(cast.port, cast.tokens[user])

    def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if not self.step():
                time.sleep(0.02)  # nothing to do that way: idle a moment
        self.wind_down()
        self.client.close()

    def step(self) -> bool:
        """One action drawn by weight; False if there was nothing to do that way."""
        names, weights = zip(*self.actions.items(), strict=True)
        return getattr(self, self.rng.choices(names, weights)[0])()

    def wind_down(self) -> None:
        """What is left to do after the deadline."""

    def call(self, kind: str, method: str, path: str, body: dict | None = None, **headers):
        status, answer = self.recorder.call(self.client, kind, method, path, body, **headers)
        if status == 503:
            time.sleep(0.2)  # a polite client backs off while the service is down
        return status, answer

    def message(self) -> bool:
        order = self.board.pick(self.user, self.rng)
        if order is None:
            return False
        body = {"chat_id": order.chat_id, "text": f"From {self.user} at {time.time():.3f}"}
        status, answer = self.call("message", "POST", "/create_message", body)
        if status == 201:
            self.recorder.note("chat_messages", answer["id"])
        return True

    def move(self, source: str, kind: str, to: str) -> bool:
        """Move one of the user's orders in the source status to another status."""
        order = self.board.pick(self.user, self.rng, source)
        if order is None:
            return False
        body = {"status": to} | ({"reason": REASON} if to in ("canceled", "refused") else {})
        code, answer = self.call(kind, "PUT", f"/change_order_status/{order.id}", body)
        if code == 200:
            self.board.update(order, status=answer["status"])
        return True

    def finish(self) -> bool:
        return self.move("accepted", "finish", "finished")


@dataclass
class Resend:
    """An order answered 503, sent again with its key and body until it is answered 201."""

    key: str
    body: dict
    lecturer: str
    failed_at: float  # run time of the 503
    due: float  # run time of the next send
    status: int = 503  # the last answer
    still_running: int = 0  # 409 "still running" answers so far
    waited: float | None = None  # from the 503 to the 201


class Customer(Actor):
    actions = {"order": 25, "message": 25, "cancel": 8, "finish": 15, "review": 15, "duel": 12}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending: list[Resend] = []  # by due time

    def step(self) -> bool:
        """An order answered 503 is sent again as soon as it is due, before anything else."""
        if self.pending and self.pending[0].due <= self.recorder.now():
            self.resend(self.pending.pop(0))
            return True
        return super().step()

    def order(self, publish: bool = True) -> OrderRef | None:
        """Order a lecture; publish=False keeps the order from the other actors for now."""
        lecture_id, lecturer = self.rng.choice(self.cast.lectures)
        key = uuid.uuid4().hex
        body = order_body(lecture_id, key, self.rng)
        status, answer = self.call(
            "create_order", "POST", "/create_order", body, Idempotency_Key=key
        )
        if status == 503:
            now = self.recorder.now()
            self.pending.append(Resend(key, body, lecturer, now, now + RESEND_PAUSE))
            self.recorder.note("resends", self.pending[-1])
        if status != 201:
            return None
        if self.rng.random() < REPEAT_SHARE:
            again = self.call("repeat_order", "POST", "/create_order", body, Idempotency_Key=key)
            self.recorder.note("repeats", (answer["id"], again[0], (again[1] or {}).get("id")))
        return self.made(answer, lecturer, publish)

    def resend(self, resend: Resend) -> OrderRef | None:
        """Send an order answered 503 again, with its key, as a client should.

        A 409 "still running" means the server still holds the key of the call that failed;
        it gives it up 30 s after that call, so the client keeps trying a while longer.
        """
        resend.status, answer = self.call(
            "order_after_503", "POST", "/create_order", resend.body, Idempotency_Key=resend.key
        )
        now = self.recorder.now()
        if resend.status == 201:
            resend.waited = now - resend.failed_at
            return self.made(answer, resend.lecturer)
        running = resend.status == 409 and STILL_RUNNING in error_message(answer)
        resend.still_running += running
        if (running or resend.status == 503) and now - resend.failed_at < RESEND_FOR:
            resend.due = now + RESEND_PAUSE
            self.pending.append(resend)
        return None

    def wind_down(self) -> None:
        """The run ends only when every order answered 503 is settled, one way or the other."""
        while self.pending:
            time.sleep(max(0.0, self.pending[0].due - self.recorder.now()))
            self.resend(self.pending.pop(0))

    def made(self, answer: dict, lecturer: str, publish: bool = True) -> OrderRef:
        self.recorder.note("orders", answer["id"])
        order = OrderRef(answer["id"], answer["chat_id"], self.user, lecturer)
        if publish:
            self.board.add(order)
        return order

    def cancel(self) -> bool:
        return self.move("created", "cancel", "canceled")

    def review(self) -> bool:
        order = self.board.pick(self.user, self.rng, "finished", reviewed=False)
        if order is None:
            return False
        body = {"order_id": order.id, "grade": self.rng.choice([1, 2, 3, 4, 4, 5, 5, 5])}
        status, answer = self.call("review", "POST", "/add_lecture_review", body)
        if status == 201:
            self.recorder.note("lecture_reviews", answer["id"])
        if status in (201, 409):
            self.board.update(order, reviewed=True)
        return True

    def duel(self) -> bool:
        """A new order, then the lecturer's and this customer's moves on it at once."""
        order = self.order(publish=False)
        if order is None:
            return True
        lecturer = harness.Client(self.cast.port, self.cast.tokens[order.lecturer])
        result = duel(self.recorder, lecturer, self.client, order.id, self.rng.choice(DUELS))
        if result.winners:
            order.status = result.winners[-1]
        self.board.add(order)
        return True


def error_message(answer: dict | None) -> str:
    return ((answer or {}).get("error") or {}).get("message", "")


class Lecturer(Actor):
    actions = {"accept": 38, "refuse": 7, "message": 30, "finish": 20, "cancel": 5}

    def accept(self) -> bool:
        return self.move("created", "accept", "accepted")

    def refuse(self) -> bool:
        return self.move("created", "refuse", "refused")

    def cancel(self) -> bool:
        return self.move("accepted", "cancel", "canceled")


# --- Setting up and driving the load -------------------------------------------------------


@contextlib.contextmanager
def connect(url: str) -> Iterator[sa.Connection]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


@contextlib.contextmanager
def demo_database(run: str) -> Iterator[str]:
    """A fresh PostgreSQL database with the schema and the demo data; dropped afterwards.

    Its lecturers work at any hour: the runs order lectures at random times, which the demo's
    working hours would mostly refuse (the tests check the hours).
    """
    with harness.postgres_database(f"reliability_{run}_{os.getpid()}") as url:
        harness.flask(url, "db", "upgrade")
        harness.flask(url, "seed-demo")
        with connect(url) as connection:
            connection.execute(sa.text("UPDATE lecturer_profiles SET working_hours = NULL"))
            connection.commit()
        yield url


LECTURES = (
    "SELECT l.id, u.username FROM lectures l JOIN lecturer_profiles p ON p.id = l.lecturer_id "
    "JOIN users u ON u.id = p.user_id ORDER BY l.id"
)
DEMO_ORDERS = (
    "SELECT o.id, c.id, cu.username, lu.username, s.code, r.id IS NOT NULL "
    "FROM orders o JOIN chats c ON c.order_id = o.id "
    "JOIN order_statuses s ON s.id = o.status_id "
    "JOIN customer_profiles cp ON cp.id = o.customer_id JOIN users cu ON cu.id = cp.user_id "
    "JOIN lecturer_profiles lp ON lp.id = o.lecturer_id JOIN users lu ON lu.id = lp.user_id "
    "LEFT JOIN lecture_reviews r ON r.order_id = o.id WHERE cu.username = ANY(:customers)"
)


def actors_for(url: str, port: int, clients: int, recorder: Recorder) -> list[Actor]:
    """A quarter of the clients log in as lecturers, the rest as customers.

    The board starts with the demo orders of the customers who play, so reviews start at once.
    """
    with connect(url) as connection:
        users = connection.execute(sa.text("SELECT username, role FROM users ORDER BY id")).all()
        lectures = [tuple(row) for row in connection.execute(sa.text(LECTURES))]
        lecturers = [name for name, role in users if role == "lecturer"][: max(1, clients // 4)]
        customers = [name for name, role in users if role == "customer"]
        customers = customers[: clients - len(lecturers)]
        demo = connection.execute(sa.text(DEMO_ORDERS), {"customers": customers}).all()
    board, tokens = Board(), {}
    for row in demo:
        board.add(OrderRef(*row))
    for user in lecturers + customers:
        body = {"username": user, "password": PASSWORD}
        status, answer = recorder.call(harness.Client(port), "login", "POST", "/login", body)
        if status != 200:
            raise RuntimeError(f"login as {user} answered {status}: {answer}")
        tokens[user] = answer["token"]
    cast = Cast(port, tokens, [(lec, owner) for lec, owner in lectures if owner in lecturers])
    return [
        *(Lecturer(user, cast, board, recorder, n) for n, user in enumerate(lecturers)),
        *(Customer(user, cast, board, recorder, 100 + n) for n, user in enumerate(customers)),
    ]


def drive(actors: list[Actor], recorder: Recorder, seconds: float, every: float = 5) -> None:
    """Run every actor in its own thread until the deadline and its wind-down, with progress."""
    deadline = time.monotonic() + seconds

    def progress() -> str:
        outcomes = recorder.snapshot()
        statuses = Counter(outcome.status for outcome in outcomes)
        recent = sum(o.end > recorder.now() - every for o in outcomes)
        return (
            f"  t={recorder.now():5.1f}s requests={len(outcomes)} rate={recent / every:.0f}/s "
            f"2xx={count(statuses, 200, 300)} 409={statuses[409]} 503={statuses[503]} "
            f"other5xx={count(statuses, 500, 600) - statuses[503]} none={statuses[0]}"
        )

    with printing_every(every, progress):
        run_all([lambda actor=actor: actor.run(deadline) for actor in actors])


@contextlib.contextmanager
def printing_every(seconds: float, line: Callable[[], str]) -> Iterator[None]:
    """Print line() every so many seconds while the block runs: a long run's progress."""
    done = threading.Event()

    def report() -> None:
        while not done.wait(seconds):
            print(line(), flush=True)

    threading.Thread(target=report, daemon=True).start()
    try:
        yield
    finally:
        done.set()


def count(statuses: Counter, low: int, high: int) -> int:
    return sum(n for status, n in statuses.items() if low <= status < high)


# --- PostgreSQL outage ---------------------------------------------------------------------


def pg_cluster(action: str) -> list[str]:
    """The command that stops or starts the local PostgreSQL cluster."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]


def pg_ready() -> bool:
    command = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]
    return subprocess.run(command, check=False).returncode == 0


@dataclass
class Outage:
    """Stops PostgreSQL at a moment, keeps it down a while, starts it; times it all."""

    recorder: Recorder
    at: float
    down_for: float
    times: dict[str, float] = field(default_factory=dict)  # run time of each phase
    error: BaseException | None = None

    def run(self) -> None:
        try:
            time.sleep(max(0.0, self.at - self.recorder.now()))
            self.mark("stop command")
            subprocess.run(pg_cluster("stop"), check=True)
            self.mark("stopped")
            time.sleep(self.down_for)
            self.mark("start command")
            starting = subprocess.Popen(pg_cluster("start"))
            while not pg_ready():  # polled meanwhile: the start command returns later
                time.sleep(0.05)
            self.mark("ready")
            if starting.wait() != 0:
                raise RuntimeError(f"pg_ctlcluster start exited with {starting.returncode}")
        except BaseException as error:  # reported by the caller, which restarts PostgreSQL
            self.error = error

    def mark(self, phase: str) -> None:
        self.times[phase] = self.recorder.now()
        print(f"  t={self.times[phase]:5.1f}s PostgreSQL: {phase}", flush=True)


@contextlib.contextmanager
def postgres_back_up() -> Iterator[None]:
    """Whatever happens, leave PostgreSQL running."""
    try:
        yield
    finally:
        if not pg_ready():
            print("starting PostgreSQL again", flush=True)
            subprocess.run(pg_cluster("start"), check=False)
            while not pg_ready():
                time.sleep(0.2)


# --- Checks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


def report(title: str, checks: list[Check], ports: list[int]) -> bool:
    """Print the checks; keep the server logs only if one failed, to find out why."""
    print(f"\n== {title}: checks")
    for check in checks:
        print(f"  {'PASS' if check.passed else 'FAIL'}  {check.name}: {check.detail}")
    passed = all(check.passed for check in checks)
    for port in ports:
        if passed:
            server_log(port).unlink(missing_ok=True)
        else:
            print(f"  server log kept: {server_log(port)}")
    return passed


def answer_checks(recorder: Recorder, fault: bool) -> list[Check]:
    """No 5xx (in the fault run: none but 503), and every answer one expected for its kind."""
    outcomes = recorder.snapshot()
    statuses = Counter(outcome.status for outcome in outcomes)
    tolerated = {503} if fault else set()
    odd = Counter((o.kind, o.status) for o in outcomes if o.status not in EXPECTED[o.kind])
    odd = {pair: n for pair, n in odd.items() if pair[1] not in tolerated}
    server_errors = count(statuses, 500, 600) - (statuses[503] if fault else 0)
    return [
        Check("requests sent", bool(outcomes), f"{len(outcomes)}"),
        Check(
            "no 5xx other than 503" if fault else "no 5xx at all",
            server_errors == 0,
            f"{count(statuses, 500, 600)} 5xx, of them {statuses[503]} 503; "
            f"{statuses[0]} without any answer",
        ),
        Check(
            "every answer as expected for its kind",
            not odd,
            ", ".join(f"{kind} {status}: {n}" for (kind, status), n in odd.items()) or "none",
        ),
    ]


def idempotency_checks(recorder: Recorder) -> list[Check]:
    """Repeats after a 201 answer the first order; orders answered 503 end up created."""
    repeats = recorder.notes["repeats"]
    answered = [(first, again) for first, status, again in repeats if status == 201]
    differing = sum(first != again for first, again in answered)
    resends: list[Resend] = recorder.notes["resends"]
    created = [resend for resend in resends if resend.status == 201]
    waited = [resend for resend in created if resend.still_running]
    unsettled = Counter(resend.status for resend in resends if resend.status != 201)
    longest = max((resend.waited or 0 for resend in created), default=0.0)
    longest_taken = max((resend.waited or 0 for resend in waited), default=0.0)
    return [
        Check(
            "a repeated key answers the same order",
            not differing,
            f"{len(repeats)} repeats after a 201, {len(repeats) - len(answered)} not answered "
            f"201 (a 503 in an outage), {differing} with another order",
        ),
        Check(
            "every order answered 503 is created when sent again with its key",
            not unsettled,
            f"{len(resends)} orders answered 503, {len(created)} then answered 201; "
            f"{len(waited)} got 409 '{STILL_RUNNING}' first and waited for the take-over "
            f"(longest {longest_taken:.1f} s from the 503 to the 201; all: {longest:.1f} s); "
            f"not created: {dict(unsettled) or 'none'}",
        ),
    ]


def duel_verdict(winners: list[str], moves: list[str], exact: bool) -> str | None:
    """What came of a duel ("refused won"), or None if it is wrong or the history disagrees."""
    if winners == ["accepted", "canceled"]:
        verdict = "accepted, then canceled"
    elif len(winners) == 1:
        verdict = f"{winners[0]} won"
    else:
        return None
    return verdict if (moves if exact else moves[: len(winners)]) == winners else None


def duel_check(histories: dict[int, list[tuple]], duels: list[Duel], exact: bool) -> Check:
    """Of two simultaneous moves exactly one wins, and the order's history agrees.

    The exception: the lecturer's accept and then the customer's cancel are two legal moves
    in turn (accepted -> canceled is allowed to the customer).
    exact: nothing else touched the orders, so their histories hold just these moves.
    """
    decided = [duel for duel in duels if not duel.undecided]
    verdicts: Counter = Counter()
    wrong = []
    for duel in decided:
        moves = [target for source, target, _ in histories[duel.order_id] if source is not None]
        verdict = duel_verdict(duel.winners, moves, exact)
        verdicts[(" vs ".join(duel.moves), verdict or "WRONG")] += 1
        if verdict is None:
            wrong.append(f"order {duel.order_id}: {duel.statuses}, moves {moves}")
    summary = "; ".join(f"{pair}: {verdict} {n}" for (pair, verdict), n in sorted(verdicts.items()))
    return Check(
        "simultaneous moves: one wins (or accept then cancel, in turn), history agrees",
        not wrong,
        f"{len(duels)} duels, {len(duels) - len(decided)} hit by a 503; "
        f"{summary} {'; '.join(wrong[:3])}".rstrip(),
    )


def acked_checks(connection: sa.Connection, recorder: Recorder) -> list[Check]:
    """Every 201 the clients were given is in the database."""
    checks = []
    for table in ("orders", "chat_messages", "lecture_reviews"):
        ids = sorted(set(recorder.notes[table]))
        found = connection.scalar(
            sa.text(f"SELECT count(*) FROM {table} WHERE id = ANY(:ids)"), {"ids": ids}
        )
        detail = f"{len(ids)} acknowledged, {found} found"
        checks.append(Check(f"every 201 is in {table}", found == len(ids), detail))
    return checks


def duplicate_check(connection: sa.Connection) -> Check:
    """Each order carries its Idempotency-Key in its description: one order per key."""
    keys, doubled = connection.execute(
        sa.text(
            "SELECT count(*), count(*) FILTER (WHERE n > 1) FROM (SELECT count(*) AS n "
            "FROM orders WHERE description LIKE :prefix GROUP BY description) k"
        ),
        {"prefix": KEY_PREFIX + "%"},
    ).one()
    return Check("one order per Idempotency-Key", not doubled, f"{keys} keys, {doubled} doubled")


def load_histories(connection: sa.Connection) -> dict[int, list[tuple]]:
    """Each order's moves in order: (from status or None, to status, role of the mover)."""
    histories: dict[int, list[tuple]] = defaultdict(list)
    for order_id, *move in connection.execute(
        sa.text(
            "SELECT h.order_id, f.code, t.code, u.role FROM order_status_history h "
            "LEFT JOIN order_statuses f ON f.id = h.from_status_id "
            "JOIN order_statuses t ON t.id = h.to_status_id "
            "JOIN users u ON u.id = h.by_user_id ORDER BY h.order_id, h.id"
        )
    ):
        histories[order_id].append(tuple(move))
    return histories


def invalid_history(moves: list[tuple], current: str, workflow: dict, finals: set) -> str | None:
    """Why an order's history is not a path through the workflow, or None if it is."""
    first_from, first_to, _ = moves[0]
    if first_from is not None or first_to != "created":
        return f"starts with {first_from} -> {first_to}"
    for (_, before, _), (source, target, role) in zip(moves, moves[1:], strict=False):
        if source != before:
            return f"{source} -> {target} after reaching {before}"
        if before in finals:
            return f"a move after the final {before}"
        roles = workflow.get((source, target))
        if roles is None or (role != "admin" and role not in roles):
            return f"{source} -> {target} by {role} is not in the workflow"
    return None if moves[-1][1] == current else f"ends at {moves[-1][1]}, order is {current}"


def history_check(connection: sa.Connection, histories: dict[int, list[tuple]]) -> Check:
    workflow: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, target, role in connection.execute(
        sa.text(
            "SELECT f.code, t.code, r.role FROM order_transitions m "
            "JOIN order_statuses f ON f.id = m.from_status_id "
            "JOIN order_statuses t ON t.id = m.to_status_id "
            "JOIN order_transition_roles r ON r.transition_id = m.id"
        )
    ):
        workflow[(source, target)].add(role)
    finals = set(connection.scalars(sa.text("SELECT code FROM order_statuses WHERE final")))
    current = connection.execute(
        sa.text("SELECT o.id, s.code FROM orders o JOIN order_statuses s ON s.id = o.status_id")
    ).all()
    bad = {}
    for order_id, status in current:
        moves = histories.get(order_id) or [(None, None, None)]
        if why := invalid_history(moves, status, workflow, finals):
            bad[order_id] = why
    sample = "; ".join(f"order {k}: {v}" for k, v in list(bad.items())[:3])
    return Check(
        "every status history is a path through the workflow",
        not bad,
        f"{len(current)} orders, {len(bad)} invalid {sample}".rstrip(),
    )


RATING_MISMATCHES = (
    "SELECT x.id FROM {table} x LEFT JOIN (SELECT {column} AS id, sum(grade) AS total, "
    "count(*) AS n, avg(grade::float) AS average FROM lecture_reviews GROUP BY {column}) r "
    "ON r.id = x.id WHERE x.rating_sum <> coalesce(r.total, 0) "
    "OR x.reviews_count <> coalesce(r.n, 0) OR (x.avg_rating IS NULL) <> (r.average IS NULL) "
    "OR abs(x.avg_rating - r.average) > 1e-9"
)


def aggregate_check(connection: sa.Connection) -> Check:
    """rating_sum, reviews_count and avg_rating against a recount of the reviews."""
    rows, mismatches = 0, []
    for table, column in (("lectures", "lecture_id"), ("lecturer_profiles", "lecturer_id")):
        rows += connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
        query = RATING_MISMATCHES.format(table=table, column=column)
        mismatches += [f"{table} {row_id}" for row_id in connection.scalars(sa.text(query))]
    return Check(
        "rating totals equal a recount of the reviews",
        not mismatches,
        f"{rows} rows, {len(mismatches)} mismatches {', '.join(mismatches[:5])}".rstrip(),
    )


def database_checks(url: str, recorder: Recorder) -> list[Check]:
    with connect(url) as connection:
        histories = load_histories(connection)
        return [
            *acked_checks(connection, recorder),
            duplicate_check(connection),
            duel_check(histories, recorder.notes["duels"], exact=False),
            history_check(connection, histories),
            aggregate_check(connection),
        ]


def outage_checks(recorder: Recorder, outage: Outage) -> list[Check]:
    """How the API behaved from the stop of PostgreSQL until it answered 2xx again."""
    if outage.error or "ready" not in outage.times:
        return [Check("PostgreSQL stopped and started", False, repr(outage.error))]
    stopped, ready = outage.times["stop command"], outage.times["ready"]
    outcomes = recorder.snapshot()
    unavailable = [o.end for o in outcomes if o.status == 503] or [stopped]
    during = [o for o in outcomes if o.start < ready and o.end > stopped]
    slowest = max((o.elapsed for o in during), default=0.0)
    back = [o.end for o in outcomes if 200 <= o.status < 300 and o.end >= ready]
    recovery = (min(back) - ready) if back else float("inf")
    phases = ", ".join(f"{phase} t={at:.2f}s" for phase, at in outage.times.items())
    return [
        Check("PostgreSQL outage", True, f"{ready - stopped:.2f} s to pg_isready; {phases}"),
        Check(
            "503 window",
            True,
            f"{max(unavailable) - min(unavailable):.2f} s, {len(unavailable)} answers 503, "
            f"the first {min(unavailable) - stopped:+.2f} s after the stop command, "
            f"the last {max(unavailable) - ready:+.2f} s after ready",
        ),
        Check(
            f"slowest answer during the outage under {ANSWER_BOUND:.0f} s",
            slowest < ANSWER_BOUND,
            f"{slowest * 1000:.0f} ms over {len(during)} requests",
        ),
        Check(
            f"recovery: a 2xx within {RECOVERY_BOUND:.0f} s of PostgreSQL being ready",
            recovery < RECOVERY_BOUND,
            f"{recovery:.3f} s",
        ),
    ]


def print_figures(recorder: Recorder) -> None:
    """Requests by kind: how many, what they answered, how long they took."""
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in recorder.snapshot():
        by_kind[outcome.kind].append(outcome)
    print(f"\n{'kind':<16}{'sent':>7}  {'p50 ms':>7}{'p95 ms':>8}{'max ms':>8}  answers")
    for kind, outcomes in sorted(by_kind.items()):
        times = sorted(o.elapsed * 1000 for o in outcomes)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        answers = Counter(o.status for o in outcomes)
        print(
            f"{kind:<16}{len(outcomes):>7}  {statistics.median(times):>7.0f}{p95:>8.0f}"
            f"{times[-1]:>8.0f}  {', '.join(f'{s}: {n}' for s, n in sorted(answers.items()))}"
        )


# --- Slow clients --------------------------------------------------------------------------


@dataclass
class Trickle:
    """One slow client: a request sent a byte at a time and never finished.

    kind "body": the headers whole, then a body of SLOW_BODY_LENGTH bytes, one byte per
    interval; kind "headers": the request line, then a header a byte per interval, never
    the blank line that ends the headers. Either stops one byte short of the end.
    """

    kind: str
    port: int
    sock: socket.socket | None = None
    due: float = 0.0
    left: int = 0  # bytes it may still send

    def open(self, now: float, every: float, rng: random.Random) -> None:
        if self.kind == "body":
            head = SLOW_BODY_HEAD % SLOW_BODY_LENGTH
            self.left = SLOW_BODY_LENGTH - 2  # one byte sent with the head, one never
        else:
            head, self.left = SLOW_HEADER_HEAD, 4000  # a header line under nginx's 8 kB
        self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self.sock.sendall(head)
        self.sock.setblocking(False)
        self.due = now + rng.uniform(0, every)  # spread the trickles over the interval

    def dropped(self) -> bool:
        """Whether the server is done with it: it closed the connection or answered."""
        try:
            self.sock.recv(4096)  # b"" (closed) or an answer to a request never finished
        except BlockingIOError:
            return False
        except OSError:
            pass
        return True

    def trickle(self, now: float, every: float) -> bool:
        """Send the next byte when it is due; False if the connection is gone."""
        if now >= self.due and self.left > 0:
            try:
                self.sock.send(b" " if self.kind == "body" else b"a")
            except BlockingIOError:
                pass
            except OSError:
                return False
            self.left -= 1
            self.due = now + every
        return True

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@dataclass
class SlowClients:
    """count slow clients held open against a port until stopped; a dropped one is opened
    again, so that the server always has count of them."""

    port: int
    count: int
    every: float  # seconds between two bytes of one client
    opened: int = 0
    dropped: int = 0
    failed_opens: int = 0
    ready: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        rng = random.Random(5)
        clients = [Trickle(("body", "headers")[n % 2], self.port) for n in range(self.count)]
        try:
            for client in clients:
                self.open(client, rng)
            self.ready.set()
            while not self.stop.wait(0.05):
                now = time.monotonic()
                for client in clients:
                    if client.sock is None:
                        self.open(client, rng)
                    elif client.dropped() or not client.trickle(now, self.every):
                        self.dropped += 1
                        client.close()  # opened again on the next round
        finally:
            self.ready.set()
            for client in clients:
                client.close()

    def open(self, client: Trickle, rng: random.Random) -> None:
        try:
            client.open(time.monotonic(), self.every, rng)
            self.opened += 1
        except OSError:
            client.close()
            self.failed_opens += 1

    def held(self) -> str:
        return f"{self.opened} connections opened, {self.dropped} closed by the server"


def probe(recorder: Recorder, port: int, paths: list[str], deadline: float) -> None:
    """GET the paths in turn, one every PROBE_EVERY seconds, until the deadline."""
    client = harness.Client(port, timeout=PROBE_TIMEOUT)
    for n in itertools.count():
        started = time.monotonic()
        if started >= deadline:
            break
        path = paths[n % len(paths)]
        recorder.call(client, path, "GET", path)
        time.sleep(max(0.0, PROBE_EVERY - (time.monotonic() - started)))
    client.close()


def probe_for(port: int, paths: list[str], seconds: float, slow: SlowClients | None) -> Recorder:
    """PROBES threads probing the paths for that long, with progress every 5 s."""
    recorder, deadline = Recorder(), time.monotonic() + seconds

    def progress() -> str:
        outcomes = recorder.snapshot()
        held = f" slow clients: {slow.held()}" if slow else ""
        return (
            f"  t={recorder.now():5.1f}s requests={len(outcomes)} "
            f"not-200={sum(o.status != 200 for o in outcomes)} "
            f"p99={percentile(outcomes, 0.99):.0f}ms{held}"
        )

    with printing_every(5, progress):
        run_all([lambda: probe(recorder, port, paths, deadline) for _ in range(PROBES)])
    return recorder


def percentile(outcomes: list[Outcome], share: float) -> float:
    """The answer time (ms) under which that share of the answers came (nearest rank)."""
    times = sorted(o.elapsed * 1000 for o in outcomes)
    return times[max(0, math.ceil(share * len(times)) - 1)] if times else 0.0


def probe_figures(title: str, recorder: Recorder) -> tuple[int, int, float]:
    """Print a phase's probes by path; answer its requests, 5xx and p99 in ms."""
    outcomes = recorder.snapshot()
    print(f"  {title}:")
    for kind in sorted({o.kind for o in outcomes}):
        mine = [o for o in outcomes if o.kind == kind]
        answers = Counter(o.status for o in mine)
        print(
            f"    GET {kind:<12}{len(mine):>6} requests  p50 {percentile(mine, 0.5):6.1f} ms  "
            f"p99 {percentile(mine, 0.99):7.1f} ms  max {percentile(mine, 1):7.1f} ms  "
            f"{', '.join(f'{s}: {n}' for s, n in sorted(answers.items()))}"
        )
    server_errors = sum(500 <= o.status < 600 for o in outcomes)
    return len(outcomes), server_errors, percentile(outcomes, 0.99)


# --- The runs ------------------------------------------------------------------------------


@contextlib.contextmanager
def serve(url: str, port: int, **env: str) -> Iterator[None]:
    """The app under gunicorn on that port, its workers booted."""
    with harness.gunicorn("app:create_app()", url, port, **env):
        warm_up(port)
        yield


def warm_up(port: int, calls: int = 4, seconds: float = 60) -> None:
    """Wait for the workers: gunicorn listens before they have booted and loaded the app."""
    deadline, healthy = time.monotonic() + seconds, 0
    while healthy < calls:
        status = 0
        with contextlib.suppress(OSError, http.client.HTTPException, ValueError):
            status = harness.Client(port).call("GET", "/healthz")[0]
        healthy += status == 200
        if status != 200:
            time.sleep(0.1)
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server on port {port} is not healthy after {seconds} s")


def server_log(port: int) -> Path:
    """Where harness.gunicorn() wrote the server's output."""
    return harness.ROOT / "benchmarks" / f"gunicorn-{port}.log"


def run_load(args: argparse.Namespace, *, fault: bool = False) -> bool:
    """Concurrent load over one gunicorn, optionally with a PostgreSQL outage, then checks."""
    name = "fault" if fault else "load"
    print(f"\n== {name}: {args.seconds} s, {args.clients} clients", flush=True)
    port = harness.free_port()
    with demo_database(name) as url:
        with serve(url, port), postgres_back_up():
            recorder = Recorder()
            actors = actors_for(url, port, args.clients, recorder)
            outage = Outage(recorder, recorder.now() + args.seconds / 3, args.outage)
            injector = threading.Thread(target=outage.run, daemon=True)
            if fault:
                injector.start()
            drive(actors, recorder, args.seconds)  # returns once every resend is settled
            if fault:
                injector.join()
        print_figures(recorder)
        checks = answer_checks(recorder, fault) + idempotency_checks(recorder)
        checks += database_checks(url, recorder)
        if fault:
            checks += outage_checks(recorder, outage)
    return report(name, checks, [port])


def login(port: int, user: str, password: str, recorder: Recorder) -> int:
    body = {"username": user, "password": password}
    return recorder.call(harness.Client(port), "login", "POST", "/login", body)[0]


def token_checks(url: str, a: int, b: int, recorder: Recorder) -> list[Check]:
    """A token from A works on B, and logging out on A revokes it on B."""
    on_b = harness.Client(b, harness.log_in(a, "customer1", PASSWORD))
    before = on_b.call("GET", "/login")[0]
    logout = harness.Client(a, on_b.token).call("POST", "/logout")[0]
    after = on_b.call("GET", "/login")[0]
    return [
        Check("a token from A works on B", before == 200, f"GET /login on B: {before}"),
        Check(
            "logout on A revokes the token on B",
            (logout, after) == (204, 401),
            f"POST /logout on A: {logout}, then GET /login on B: {after}",
        ),
    ]


def cross_duel_checks(url: str, a: int, b: int, recorder: Recorder) -> list[Check]:
    """Orders by customer1; for each, the lecturer moves it through A, the customer through B."""
    with connect(url) as connection:
        lecture_id, owner = connection.execute(sa.text(LECTURES)).first()
    token = harness.log_in(a, "customer1", PASSWORD)
    customers = harness.Client(a, token), harness.Client(b, token)
    lecturer = harness.Client(a, harness.log_in(a, owner, PASSWORD))
    rng, order_ids = random.Random(7), []
    for n in range(CONTESTED * len(DUELS)):
        key = uuid.uuid4().hex
        body = order_body(lecture_id, key, rng)
        status, answer = recorder.call(
            customers[n % 2], "create_order", "POST", "/create_order", body, Idempotency_Key=key
        )
        if status == 201:
            order_ids.append(answer["id"])
    duels = [
        duel(recorder, lecturer, customers[1], order_id, DUELS[n % len(DUELS)])
        for n, order_id in enumerate(order_ids)
    ]
    with connect(url) as connection:
        histories = load_histories(connection)
    made = Check("orders made", len(order_ids) == CONTESTED * len(DUELS), f"{len(order_ids)}")
    return [made, duel_check(histories, duels, exact=True)]


def throttle_checks(url: str, a: int, b: int, recorder: Recorder, limit: int = 10) -> list[Check]:
    """Failed logins alternate between A and B; the count is one, so both start refusing."""
    codes = [login((a, b)[n % 2], "customer2", "wrong-password", recorder) for n in range(limit)]
    after = [
        login(a, "customer2", "wrong-password", recorder),
        login(b, "customer2", "wrong-password", recorder),
        login(b, "customer2", PASSWORD, recorder),
    ]
    return [
        Check(
            f"{limit} failures in all, split over A and B, then 429 on either",
            codes == [401] * limit and after == [429, 429, 429],
            f"first {limit}: {dict(Counter(codes))}; then A wrong, B wrong, B right: {after}",
        )
    ]


def redis_down_checks(url: str, port: int, recorder: Recorder) -> list[Check]:
    """A server whose Redis does not answer still logs people in, and says so in its log."""
    with serve(url, port, RATELIMIT_STORAGE_URI=DEAD_REDIS):
        sent = len(recorder.snapshot())
        for password in (PASSWORD, "wrong-password") * 3:
            login(port, "customer3", password, recorder)
    answers = recorder.snapshot()[sent:]
    codes = [outcome.status for outcome in answers]
    times = ", ".join(f"{outcome.elapsed * 1000:.0f}" for outcome in answers)
    found = server_log(port).read_text().count(FALLBACK_WARNING)
    return [
        Check(
            "logins with Redis down answer 200/401, never 5xx",
            codes == [200, 401] * 3,
            f"{codes}, in {times} ms",
        ),
        Check(
            "the server log has the fallback warning",
            found > 0,
            f"'{FALLBACK_WARNING}' found {found} time(s)",
        ),
    ]


def run_two_servers(args: argparse.Namespace) -> bool:
    """Servers A and B share a database and a Redis; a third one's Redis does not answer."""
    print(f"\n== two-servers: Redis db {REDIS_DB}, {CONTESTED} orders per pair", flush=True)
    shared = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    storage = f"redis://127.0.0.1:6379/{REDIS_DB}"
    a, b, c = harness.free_port(), harness.free_port(), harness.free_port()
    recorder, checks = Recorder(), []
    shared.flushdb()
    try:
        with (
            demo_database("two_servers") as url,
            serve(url, a, RATELIMIT_STORAGE_URI=storage),
            serve(url, b, RATELIMIT_STORAGE_URI=storage),
        ):
            for title, step in (
                ("tokens", token_checks),
                ("contested orders", cross_duel_checks),
                ("shared login throttling", throttle_checks),
            ):
                print(f"  {title}...", flush=True)
                checks += step(url, a, b, recorder)
            print("  Redis down...", flush=True)
            checks += redis_down_checks(url, c, recorder)
            print_figures(recorder)
    finally:
        shared.flushdb()
    return report("two-servers", checks, [a, b, c])


def front(stack: contextlib.ExitStack, upstream: int, direct: bool) -> int:
    """The port the clients call: nginx from deploy/nginx.conf before gunicorn, or gunicorn."""
    if direct:
        return upstream
    port = harness.free_port()
    stack.enter_context(edge.nginx(port, f"127.0.0.1:{upstream}"))
    warm_up(port)
    return port


def slow_client_checks(slow: SlowClients, during: Recorder, timeouts: int) -> list[Check]:
    outcomes = during.snapshot()
    answers = Counter(o.status for o in outcomes)
    p99 = percentile(outcomes, 0.99)
    return [
        Check(
            f"{slow.count} slow clients held open",
            slow.failed_opens == 0,
            f"{slow.held()}, {slow.failed_opens} could not connect; gunicorn killed "
            f"{timeouts} worker(s) stuck past its timeout",
        ),
        Check(
            "every probe answered 200",
            set(answers) == {200},
            ", ".join(f"{s or 'no answer'}: {n}" for s, n in sorted(answers.items())),
        ),
        Check(f"p99 under {P99_BOUND_MS:.0f} ms", p99 < P99_BOUND_MS, f"{p99:.1f} ms"),
    ]


def run_slow_clients(args: argparse.Namespace) -> bool:
    """Slow clients held open through nginx (or at bare gunicorn, --direct) while GET
    /healthz and GET /lecture/<id> are timed through the same port."""
    through = "bare gunicorn (--direct)" if args.direct else "nginx"
    print(f"\n== slow-clients: {args.slow} slow clients at {through}, {args.seconds} s", flush=True)
    limits = redis.Redis(host="127.0.0.1", port=6379, db=SLOW_REDIS_DB)
    env = {"RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:6379/{SLOW_REDIS_DB}"}
    if not args.direct:
        env["TRUSTED_PROXIES"] = "1"
    upstream, slow = harness.free_port(), SlowClients(0, args.slow, SLOW_EVERY)
    limits.flushdb()
    try:
        with (
            demo_database("slow_clients") as url,
            harness.gunicorn("app:create_app()", url, upstream, "-w", "2", **env),
            contextlib.ExitStack() as stack,
        ):
            warm_up(upstream)
            port = slow.port = front(stack, upstream, args.direct)
            with connect(url) as connection:
                lecture = connection.scalar(sa.text("SELECT min(id) FROM lectures"))
            paths = ["/healthz", f"/lecture/{lecture}"]
            print(f"  {BASELINE:.0f} s of probes alone ...", flush=True)
            before = probe_for(port, paths, BASELINE, None)
            trickling = threading.Thread(target=slow.run, daemon=True)
            trickling.start()
            slow.ready.wait()
            print(f"  {args.slow} slow clients open; probes for {args.seconds} s ...", flush=True)
            during = probe_for(port, paths, args.seconds, slow)
            slow.stop.set()
            trickling.join()
    finally:
        limits.flushdb()
    timeouts = server_log(upstream).read_text().count("WORKER TIMEOUT")
    print(f"\n{through}, probes every {PROBE_EVERY * 1000:.0f} ms in {PROBES} threads")
    probe_figures("before the slow clients", before)
    requests, server_errors, p99 = probe_figures("with the slow clients", during)
    FIGURES["slow-clients"] = (
        f"slow-clients: {requests} requests, 5xx {server_errors}, p99 {p99:.0f} ms"
    )
    return report("slow-clients", slow_client_checks(slow, during, timeouts), [upstream])


RUNS: dict[str, Callable[[argparse.Namespace], bool]] = {
    "load": run_load,
    "fault": lambda args: run_load(args, fault=True),
    "two-servers": run_two_servers,
    "slow-clients": run_slow_clients,
}
# A run's figures in one line, printed last in place of its PASS or FAIL.
FIGURES: dict[str, str] = {}


def slow_count(text: str) -> int:
    """--slow: bounded, as each slow client is a socket of this process and of the server."""
    count = int(text)
    if not 1 <= count <= 1000:
        raise argparse.ArgumentTypeError("give 1 to 1000 slow clients")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("run", choices=[*RUNS, "all"])
    parser.add_argument("--seconds", type=float, default=60, help="length of the load")
    parser.add_argument("--clients", type=int, default=16, help="client threads")
    parser.add_argument("--outage", type=float, default=5, help="fault: seconds PostgreSQL is down")
    parser.add_argument(
        "--slow", type=slow_count, default=200, help="slow-clients: how many, 1 to 1000"
    )
    parser.add_argument(
        "--direct", action="store_true", help="slow-clients: at bare gunicorn, without nginx"
    )
    args = parser.parse_args()
    # So that a kill runs the finally blocks: servers stopped, databases dropped, PG started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    runs = list(RUNS) if args.run == "all" else [args.run]
    results = {run: RUNS[run](args) for run in runs}
    verdicts = (
        FIGURES.get(run, f"{run}: {'PASS' if ok else 'FAIL'}") for run, ok in results.items()
    )
    print("\n" + "  ".join(verdicts))
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
