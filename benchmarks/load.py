"""Load benchmark: each endpoint's throughput and latency, as a ratio to a bare Flask ceiling.

    python benchmarks/load.py --database sqlite --scale 20 --seconds 10 --rounds 3
    python benchmarks/load.py --database postgres --only lecture lectures create_message
    python benchmarks/load.py --database postgres --scale-run 20 5000 --seconds 5

It makes a fresh database (a temporary SQLite file or a fresh PostgreSQL database), migrates
it, fills it with `flask seed-demo --scale N`, serves the API and the ceiling
(benchmarks/ceiling.py) with gunicorn and the project's gunicorn.conf.py, and drives each
endpoint with wrk (benchmarks/wrk/requests.lua), alternating with the ceiling round by round.
The machine may be shared, so absolute figures are noisy; the ratio to the ceiling measured
just before, in the same round, is the figure to compare.

`--scale-run SMALL LARGE` serves the API over a small and a large database at once and runs
each read endpoint, and the booking move, on both in every round, right after the ceiling,
then reports how much slower (p50) each gets on the large one: the median of the rounds'
large/small ratios, each taken from two runs a few seconds apart. `--database-url` (for a
scale run, the small side; `--large-url`, the large side) uses an existing seeded database
instead: nothing is dropped then, but `change_order_status` adds orders to it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, MetaData, create_engine, insert, select, text  # noqa: E402
from sqlalchemy.exc import SAWarning  # noqa: E402

from benchmarks import harness  # noqa: E402

LUA = harness.ROOT / "benchmarks" / "wrk" / "requests.lua"
PASSWORD = "demo-pass-123"
THREADS = 2
SAMPLE = 1000  # random ids drawn from the database for each endpoint
PUT_RATE_CAP = 1500  # fresh orders made per second of a change_order_status run
FAR_AHEAD = datetime(datetime.now(UTC).year + 5, 1, 1, tzinfo=UTC)  # fresh orders from here
# The least ratio to the ceiling each database's API must serve, by endpoint.
TARGETS = {
    "sqlite": {"lecture": 0.45, "lectures": 0.22, "create_message": 0.18},
    "postgres": {"lecture": 0.35, "lectures": 0.18, "create_message": 0.14},
}
P99_TARGET_MS = 50.0
SCALE_TARGET = 1.5  # a read's p50 at scale, against the small database's


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- what is measured -----------------------------------------------------------------------

Line = tuple[str, str, str, str]  # method, path, bearer token, JSON body


@dataclass
class Endpoint:
    name: str
    label: str
    lines: Callable[[int], list[Line]]  # given the seconds of a run, the requests to draw from
    mode: str = "random"  # or "walk": each line once, in order, per thread
    write: bool = False
    note: str = ""
    scaled: bool | None = None  # measured in a scale run; default: the reads

    def __post_init__(self) -> None:
        if self.scaled is None:
            self.scaled = not self.write


@dataclass
class Fixture:
    """Tokens and ids read from the seeded database, for the requests."""

    engine: Engine
    lectures: list[int]
    lecturers: list[int]
    cities: list[int]
    words: list[str]
    customers: list[str]  # bearer tokens
    read_chats: list[tuple[str, int]]  # (token of a participant, chat id)
    write_chats: list[tuple[str, int]]
    mover: str  # token of the lecturer whose fresh orders change_order_status accepts
    new_order: Callable[[int], list[int]] = field(repr=False)


def endpoints(fx: Fixture) -> list[Endpoint]:
    def get(paths: list[str], token: str = "") -> list[Line]:
        return [("GET", path, token, "") for path in paths]

    def message(pair: tuple[str, int]) -> Line:
        body = json.dumps({"chat_id": pair[1], "text": "Benchmark message, please ignore."})
        return ("POST", "/create_message", pair[0], body)

    def accept(seconds: int) -> list[Line]:
        body = json.dumps({"status": "accepted"})
        ids = fx.new_order(seconds * PUT_RATE_CAP)
        return [("PUT", f"/change_order_status/{i}", fx.mover, body) for i in ids]

    return [
        Endpoint("lecture", "GET /lecture/<id>",
                 lambda _: get([f"/lecture/{i}" for i in fx.lectures])),
        Endpoint("lectures", "GET /lectures", lambda _: get(["/lectures"])),
        Endpoint("lectures_q", "GET /lectures?q=<word>",
                 lambda _: get([f"/lectures?q={w}" for w in fx.words])),
        Endpoint("lectures_rating", "GET /lectures?sort=-rating",
                 lambda _: get(["/lectures?sort=-rating"])),
        Endpoint("lectures_city", "GET /lectures?city_id=<id>",
                 lambda _: get([f"/lectures?city_id={i}" for i in fx.cities])),
        Endpoint("lecture_profile", "GET /lecture_profile/<id>",
                 lambda _: get([f"/lecture_profile/{i}" for i in fx.lecturers])),
        Endpoint("lecturer_schedule", "GET /lecturer_schedule/<id>",
                 lambda _: get([f"/lecturer_schedule/{i}" for i in fx.lecturers])),
        Endpoint("avg_rating", "GET /get_avg_rating/<lecturer_id>",
                 lambda _: get([f"/get_avg_rating/{i}" for i in fx.lecturers])),
        Endpoint("orders_finished", "GET /orders_finished/<id>?type=lecturer",
                 lambda _: get([f"/orders_finished/{i}?type=lecturer" for i in fx.lecturers])),
        Endpoint("chat", "GET /chat/<id>",
                 lambda _: [("GET", f"/chat/{c}", t, "") for t, c in fx.read_chats]),
        Endpoint("consumer_orders", "GET /consumer_orders",
                 lambda _: [("GET", "/consumer_orders", t, "") for t in fx.customers]),
        Endpoint("create_message", "POST /create_message",
                 lambda _: [message(pair) for pair in fx.write_chats], write=True),
        Endpoint("change_order_status", "PUT /change_order_status/<id>", accept,
                 mode="walk", write=True, scaled=True,
                 note="each request books a distinct fresh order (created -> accepted, "
                      "as its lecturer), each in a span of its own"),
    ]  # fmt: skip


# --- the database ---------------------------------------------------------------------------


@contextlib.contextmanager
def seeded_database(kind: str, scale: int, timings: dict) -> Iterator[str]:
    """A fresh database of that kind, migrated and seeded at that scale; dropped afterwards."""
    with _empty_database(kind, scale) as url:
        harness.flask(url, "db", "upgrade")
        log(f"seeding at scale {scale} ...")
        started = time.monotonic()
        harness.flask(url, "seed-demo", "--scale", str(scale))
        timings[f"seed_{kind}_{scale}_s"] = round(time.monotonic() - started, 1)
        log(f"seeded in {timings[f'seed_{kind}_{scale}_s']} s")
        analyze(url)
        yield url


def analyze(url: str) -> None:
    """Give the planner the statistics that a database in use has (autovacuum's, on PostgreSQL).

    Without them, the plans of a freshly seeded database are guesses, until autovacuum
    happens to analyse it in the middle of a run. On PostgreSQL the vacuum also marks the
    seeded pages all-visible, as autovacuum does, so that index-only scans stay in the index.
    """
    statement = "ANALYZE" if url.startswith("sqlite") else "VACUUM (ANALYZE)"
    engine = engine_for(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(statement)
    engine.dispose()


@contextlib.contextmanager
def _empty_database(kind: str, scale: int) -> Iterator[str]:
    if kind == "postgres":
        with harness.postgres_database(f"bench_load_{os.getpid()}_{scale}") as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        yield f"sqlite:///{directory}/bench.db"


def engine_for(url: str) -> Engine:
    args = {"timeout": 15} if url.startswith("sqlite") else {}
    return create_engine(url, connect_args=args, pool_pre_ping=True)  # survives a db restart


def column(engine: Engine, sql: str, **params) -> list:
    with engine.connect() as connection:
        return list(connection.execute(text(sql), params).scalars())


def sample(engine: Engine, table: str, where: str = "1 = 1") -> list[int]:
    return column(engine, f"SELECT id FROM {table} WHERE {where} ORDER BY random() LIMIT {SAMPLE}")


def user_id(engine: Engine, username: str) -> int:
    return column(engine, "SELECT id FROM users WHERE username = :u", u=username)[0]


def chats_of(engine: Engine, username: str) -> list[int]:
    return column(
        engine,
        "SELECT c.id FROM chats c JOIN orders o ON o.id = c.order_id"
        " JOIN customer_profiles p ON p.id = o.customer_id WHERE p.user_id = :u ORDER BY c.id",
        u=user_id(engine, username),
    )


def title_words(engine: Engine) -> list[str]:
    """Words of 4 letters or more from 50 titles, in any script, quoted for a query string."""
    titles = column(engine, "SELECT title FROM lectures ORDER BY random() LIMIT 50")
    words = {w.lower() for title in titles for w in re.findall(r"[^\W\d_]{4,}", title)}
    return sorted(urllib.parse.quote(word) for word in words)


class OrderMaker:
    """Makes fresh orders in status `created`, with their history row, chat and read markers.

    They copy an order of the demo in status created, given to one lecturer and one customer,
    each in a span of its own years ahead, so that `PUT /change_order_status` has a real
    booking to make for every request, which checks the lecturer's held time.
    """

    def __init__(self, engine: Engine, lecturer: str, customer: str):
        self.engine = engine
        meta = MetaData()
        with warnings.catch_warnings():  # expression indexes on users: not needed here
            warnings.simplefilter("ignore", SAWarning)
            meta.reflect(
                engine, only=["orders", "order_status_history", "chats", "chat_read_markers"]
            )
        self.tables = meta.tables
        self.users = (user_id(engine, lecturer), user_id(engine, customer))
        self.template = self._template()
        self.minutes = column(
            engine, "SELECT coalesce(duration_minutes, 60) FROM lectures WHERE id = :l",
            l=self.template["lecture_id"],
        )[0]  # fmt: skip
        self.made = 0

    def _template(self) -> dict:
        orders = self.tables["orders"]
        lecturer = column(self.engine, "SELECT id FROM lecturer_profiles WHERE user_id = :u",
                          u=self.users[0])[0]  # fmt: skip
        customer = column(self.engine, "SELECT id FROM customer_profiles WHERE user_id = :u",
                          u=self.users[1])[0]  # fmt: skip
        lecture = column(self.engine, "SELECT id FROM lectures WHERE lecturer_id = :l LIMIT 1",
                         l=lecturer)[0]  # fmt: skip
        created = column(self.engine, "SELECT id FROM order_statuses WHERE code = 'created'")[0]
        query = select(orders).where(orders.c.status_id == created).limit(1)
        with self.engine.connect() as connection:
            row = dict(connection.execute(query).mappings().one())
        del row["id"]
        return {**row, "lecture_id": lecture, "lecturer_id": lecturer, "customer_id": customer}

    def __call__(self, count: int) -> list[int]:
        orders = self.tables["orders"]
        rows = [self._in_slot(self.made + n) for n in range(count)]
        self.made += count
        with self.engine.begin() as connection:
            statement = insert(orders).returning(orders.c.id, sort_by_parameter_order=True)
            ids = list(connection.execute(statement, rows).scalars())
            self._companions(connection, ids)
        return ids

    def _in_slot(self, slot: int) -> dict:
        """The template in the `slot`-th span of its lecture's length from the start of a year
        well ahead: fresh orders never overlap."""
        length = timedelta(minutes=self.minutes)
        start = FAR_AHEAD + slot * length
        return {**self.template, "scheduled_at": start, "ends_at": start + length}

    def _companions(self, connection, ids: list[int]) -> None:
        t, row = self.tables, self.template
        connection.execute(insert(t["order_status_history"]), [
            dict(order_id=i, from_status_id=None, to_status_id=row["status_id"],
                 by_user_id=self.users[1], created_at=row["created_at"]) for i in ids
        ])  # fmt: skip
        chats = insert(t["chats"]).returning(t["chats"].c.id, sort_by_parameter_order=True)
        chat_ids = connection.execute(chats, [
            dict(order_id=i, created_at=row["created_at"], last_activity_at=row["created_at"])
            for i in ids
        ]).scalars()  # fmt: skip
        connection.execute(insert(t["chat_read_markers"]), [
            dict(chat_id=c, user_id=u, last_read_message_id=0)
            for c in chat_ids for u in self.users
        ])  # fmt: skip


def fixture(url: str, port: int) -> Fixture:
    """Log in as demo users and read the ids the requests need."""
    engine = engine_for(url)
    log("logging in and reading ids ...")
    customers = [f"customer{n}" for n in range(1, 9)]
    tokens = {name: harness.log_in(port, name, PASSWORD) for name in [*customers, "lecturer1"]}
    pairs = [(tokens[name], chat) for name in customers for chat in chats_of(engine, name)]
    readers = {tokens[name] for name in customers[:4]}
    return Fixture(
        engine=engine,
        lectures=sample(engine, "lectures"),
        lecturers=sample(engine, "lecturer_profiles"),
        cities=column(engine, "SELECT id FROM cities"),
        words=title_words(engine),
        customers=[tokens[name] for name in customers],
        read_chats=[pair for pair in pairs if pair[0] in readers],
        write_chats=[pair for pair in pairs if pair[0] not in readers],
        mover=tokens["lecturer1"],
        new_order=OrderMaker(engine, "lecturer1", "customer1"),
    )


# --- running wrk ----------------------------------------------------------------------------


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def wrk(port: int, lines: list[Line], seconds: float, mode: str, connections: int) -> Run:
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as file:
        file.write("".join("\t".join(map(str, line)) + "\n" for line in lines))
    threads = min(THREADS, connections)
    env = {**os.environ, "BENCH_REQUESTS": file.name, "BENCH_MODE": mode,
           "BENCH_THREADS": str(threads)}  # fmt: skip
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
               "-s", str(LUA), f"http://127.0.0.1:{port}"]  # fmt: skip
    try:
        output = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    finally:
        os.unlink(file.name)
    return _parse(output.stdout)


def _parse(output: str) -> Run:
    match = re.search(r"^BENCH_RESULT (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"no result in wrk's output:\n{output}")
    r = json.loads(match.group(1))
    errors = sum(r[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Run(
        rps=r["requests"] / (r["duration_us"] / 1e6),
        p50_ms=r["p50_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        errors=errors,
        requests=r["requests"],
    )


@dataclass
class Result:
    endpoint: Endpoint
    runs: list[Run]
    ceilings: list[Run]

    def median(self, name: str, runs: list[Run] | None = None) -> float:
        return statistics.median(getattr(run, name) for run in (runs or self.runs))

    @property
    def ratio(self) -> float:
        pairs = zip(self.runs, self.ceilings, strict=True)
        return statistics.median(run.rps / ceiling.rps for run, ceiling in pairs)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)

    def as_dict(self) -> dict:
        return {
            "label": self.endpoint.label, "note": self.endpoint.note,
            "rps": round(self.median("rps"), 1),
            "ceiling_rps": round(self.median("rps", self.ceilings), 1),
            "ratio": round(self.ratio, 3), "p50_ms": round(self.median("p50_ms"), 2),
            "p99_ms": round(self.median("p99_ms"), 2), "errors": self.errors,
            "rounds": [vars(run) for run in self.runs],
            "ceiling_rounds": [vars(run) for run in self.ceilings],
        }  # fmt: skip


@dataclass
class Bench:
    ceiling: int
    seconds: float
    rounds: int
    connections: int

    def measure(self, sides: dict[str, tuple[int, Endpoint]]) -> dict[str, Result]:
        """Warm up, then in each round run the ceiling and the endpoint on each side.

        A side is an API server over one database with its version of the endpoint (a scale
        run has two). The sides run in turn right after the ceiling, in the opposite order
        from one round to the next, so that none of them always meets the machine later.
        """
        ceiling = [("GET", "/ping", "", "")]
        self._run(self.ceiling, ceiling, 1, "random")
        for port, endpoint in sides.values():
            self._run(port, endpoint.lines(1), 1, endpoint.mode)
        runs: dict[str, list[Run]] = {side: [] for side in sides}
        ceilings = []
        for n in range(1, self.rounds + 1):
            ceilings.append(self._run(self.ceiling, ceiling, self.seconds, "random"))
            order = list(sides) if n % 2 else list(reversed(sides))
            for side in order:
                port, endpoint = sides[side]
                lines = endpoint.lines(int(self.seconds + 1))
                run = self._run(port, lines, self.seconds, endpoint.mode)
                _check_supply(endpoint, run, len(lines))
                runs[side].append(run)
                log(f"  {endpoint.name}{_tag(side, sides)} round {n}: {run.rps:.0f} rps "
                    f"(ceiling {ceilings[-1].rps:.0f}), p50 {run.p50_ms:.1f} ms, "
                    f"p99 {run.p99_ms:.1f} ms, errors {run.errors}")  # fmt: skip
        return {side: Result(sides[side][1], runs[side], ceilings) for side in sides}

    def _run(self, port: int, lines: list[Line], seconds: float, mode: str) -> Run:
        if not lines:
            raise RuntimeError("no requests to make: is the database seeded?")
        return wrk(port, lines, seconds, mode, self.connections)


def _tag(side: str, sides: dict) -> str:
    return f" ({side})" if len(sides) > 1 else ""


def _check_supply(endpoint: Endpoint, run: Run, supplied: int) -> None:
    if endpoint.mode == "walk" and run.requests > supplied:
        log(f"  warning: {run.requests} requests but only {supplied} fresh orders: "
            "raise PUT_RATE_CAP")  # fmt: skip


@contextlib.contextmanager
def server(app: str, url: str, workers: int | None) -> Iterator[int]:
    """app under gunicorn with the project's settings, over that database; yields its port."""
    port = harness.free_port()
    log(f"starting {app} on :{port} ...")
    with harness.gunicorn(app, url, port, *(["-w", str(workers)] if workers else [])):
        yield port
    # its log, kept only when something failed
    (harness.ROOT / "benchmarks" / f"gunicorn-{port}.log").unlink(missing_ok=True)


def chosen_endpoints(fx: Fixture, only: list[str] | None, scale_run: bool) -> dict[str, Endpoint]:
    """The endpoints named by --only (all by default), by name; in a scale run, the reads and
    the booking move."""
    return {
        endpoint.name: endpoint
        for endpoint in endpoints(fx)
        if (endpoint.scaled or not scale_run) and (not only or endpoint.name in only)
    }


def run_suite(
    urls: dict[str, str], args: argparse.Namespace, scale_run: bool = False
) -> dict[str, dict[str, Result]]:
    """Each endpoint on each side (an API over one of the databases), beside the ceiling."""
    with contextlib.ExitStack() as stack:
        any_url = next(iter(urls.values()))  # the ceiling reads no database
        ceiling = stack.enter_context(server("benchmarks.ceiling:app", any_url, args.workers))
        apis = {
            side: stack.enter_context(server("app:create_app()", url, args.workers))
            for side, url in urls.items()
        }
        chosen = {
            side: chosen_endpoints(fixture(urls[side], port), args.only, scale_run)
            for side, port in apis.items()
        }
        bench = Bench(ceiling, args.seconds, args.rounds, args.connections)
        results: dict[str, dict[str, Result]] = {side: {} for side in urls}
        for name, endpoint in next(iter(chosen.values())).items():
            log(f"{endpoint.label} ...")
            measured = bench.measure({side: (apis[side], chosen[side][name]) for side in urls})
            for side, result in measured.items():
                results[side][name] = result
        return results


# --- reports --------------------------------------------------------------------------------


def target_of(result: Result, kind: str) -> str:
    name = result.endpoint.name
    goal = TARGETS[kind].get("lectures" if name.startswith("lectures") else name)
    verdicts = []
    if goal is not None:
        verdicts.append(f">={goal:.2f}x {'ok' if result.ratio >= goal else 'MISS'}")
    p99_ok = result.median("p99_ms") < P99_TARGET_MS
    verdicts.append(f"p99 {'ok' if p99_ok else 'MISS'}")
    if result.errors:
        verdicts.append("INVALID")
    return ", ".join(verdicts)


def print_table(title: str, kind: str, results: dict[str, Result]) -> None:
    print(f"\n{title}")
    header = (f"{'endpoint':<40} {'rps':>8} {'ceiling':>8} {'ratio':>6} {'p50 ms':>8} "
              f"{'p99 ms':>8} {'errors':>6}  target")  # fmt: skip
    print(header)
    print("-" * len(header))
    for result in results.values():
        print(f"{result.endpoint.label:<40} {result.median('rps'):>8.0f} "
              f"{result.median('rps', result.ceilings):>8.0f} {result.ratio:>6.2f} "
              f"{result.median('p50_ms'):>8.1f} {result.median('p99_ms'):>8.1f} "
              f"{result.errors:>6}  {target_of(result, kind)}")  # fmt: skip
    for result in results.values():
        if result.endpoint.note:
            print(f"note: {result.endpoint.label}: {result.endpoint.note}")
    print("rps, p50, p99: medians over the rounds; ratio: median of rps / ceiling rps per round;"
          " errors: non-2xx answers and socket errors, summed (must be 0)")  # fmt: skip


def print_scale_table(small: int, large: int, results: dict[str, dict[str, Result]]) -> None:
    print(f"\nScale run: scale {large} against scale {small} (p50 latency)")
    header = (f"{'endpoint':<40} {'p50 small':>10} {'p50 large':>10} {'large/small':>12} "
              f"{'ratio small':>12} {'ratio large':>12}  target <={SCALE_TARGET}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for name, a in results["small"].items():
        b = results["large"][name]
        growth = statistics.median(
            large.p50_ms / small.p50_ms for small, large in zip(a.runs, b.runs, strict=True)
        )
        verdict = "ok" if growth <= SCALE_TARGET else "MISS"
        invalid = " INVALID" if a.errors + b.errors else ""
        print(
            f"{a.endpoint.label:<40} {a.median('p50_ms'):>10.1f} {b.median('p50_ms'):>10.1f} "
            f"{growth:>12.2f} {a.ratio:>12.2f} {b.ratio:>12.2f}  {verdict}{invalid}"
        )
    print("p50: medians over the rounds; large/small: median of the rounds' p50 large / p50 "
          "small, each round running both right after the ceiling")  # fmt: skip


# --- the command ----------------------------------------------------------------------------


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scale", type=int, default=20, help="seed-demo --scale")
    parser.add_argument("--seconds", type=float, default=10, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, help="gunicorn -w (default: gunicorn.conf.py)")
    parser.add_argument("--database-url", help="an existing seeded database: no seeding")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="endpoint names, e.g. lecture")
    parser.add_argument("--scale-run", nargs=2, type=int, metavar=("SMALL", "LARGE"),
                        help="reads and bookings at two scales, and large/small p50")  # fmt: skip
    parser.add_argument("--large-url", help="with --scale-run: an existing large database")
    parser.add_argument("--json", type=Path, help="save the results here")
    return parser.parse_args(argv)


@contextlib.contextmanager
def database(args: argparse.Namespace, scale: int, url: str | None, timings: dict):
    if url:
        yield url
    else:
        with seeded_database(args.database, scale, timings) as fresh:
            yield fresh


def database_kind(args: argparse.Namespace) -> str:
    """The kind of database the run measures: that of --database-url when one is given."""
    if args.database_url:
        return "sqlite" if args.database_url.startswith("sqlite") else "postgres"
    return args.database


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    kind = database_kind(args)
    timings: dict = {}
    if args.scale_run:
        small, large = args.scale_run
        sides = (("small", small, args.database_url), ("large", large, args.large_url))
        with contextlib.ExitStack() as stack:
            urls = {
                side: stack.enter_context(database(args, scale, url, timings))
                for side, scale, url in sides
            }
            results = run_suite(urls, args, scale_run=True)
        for side, scale in (("small", small), ("large", large)):
            print_table(f"{kind}, scale {scale} ({side})", kind, results[side])
        print_scale_table(small, large, results)
        flat = {side: {k: r.as_dict() for k, r in rs.items()} for side, rs in results.items()}
    else:
        with database(args, args.scale, args.database_url, timings) as url:
            results = run_suite({"api": url}, args)["api"]
        title = f"{kind}, scale {args.scale}, {args.seconds:g} s x {args.rounds} rounds"
        print_table(title, kind, results)
        flat = {k: r.as_dict() for k, r in results.items()}
    if args.json:
        args.json.write_text(json.dumps({"options": vars(args) | {"json": str(args.json)},
                                         "timings": timings, "results": flat}, indent=2,
                                        default=str))  # fmt: skip
    failed = any(r.errors for r in _all_results(results, bool(args.scale_run)))
    return 1 if failed else 0


def _all_results(results: dict, nested: bool) -> list[Result]:
    return [r for rs in results.values() for r in rs.values()] if nested else list(results.values())


if __name__ == "__main__":
    sys.exit(main())
