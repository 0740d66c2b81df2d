"""Where the time of a request goes: pyinstrument over the app's test client in a loop.

    python benchmarks/profiling.py --database-url sqlite:///path/bench.db lecture lectures
    python benchmarks/profiling.py --database-url ... --requests 500 --tree create_message
    python benchmarks/profiling.py --database-url ... --requests 200 --time chat lecture_profile

For each endpoint named (the names of load.py; create_message writes messages), it sends the
request --requests times in this process, then prints the time per request, the share of the
time spent in each package (self time, given to the nearest caller that belongs to a known
package: the standard library counts for its caller), and with --tree pyinstrument's call tree.
With --time it profiles nothing: it prints the time per request of the fastest of 15 blocks
of --requests requests, the figure to compare before and after a change.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyinstrument import Profiler  # noqa: E402
from pyinstrument.frame import Frame  # noqa: E402

from benchmarks.inprocess import (  # noqa: E402
    Call,
    argument_parser,
    calls_named,
    cookieless_client,
    make_app,
)

# Most specific first: a path containing the key belongs to that package.
PACKAGES = [
    ("/psycopg", "SQL: driver (psycopg)"), ("sqlite3", "SQL: driver (sqlite3)"),
    ("/sqlalchemy/orm/", "SQLAlchemy ORM"), ("/sqlalchemy/", "SQLAlchemy core"),
    ("/flask_sqlalchemy/", "SQLAlchemy core"), ("/marshmallow/", "marshmallow"),
    ("/flask_smorest/", "flask-smorest / webargs"), ("/webargs/", "flask-smorest / webargs"),
    ("/apispec/", "flask-smorest / webargs"), ("/flask_login/", "Flask-Login"),
    ("/flask_limiter/", "Flask-Limiter"), ("/limits/", "Flask-Limiter"),
    ("/werkzeug/", "Flask / Werkzeug"), ("/flask/", "Flask / Werkzeug"),
    (f"{ROOT / 'app'}/", "the app's own code"), ("/benchmarks/", "test client"),
]  # fmt: skip


def package_of(frame: Frame) -> str | None:
    path = frame.file_path or ""
    if "[self]" in (frame.identifier or "") or not path:
        return None
    return next((name for key, name in PACKAGES if key in path), None)


def shares(root: Frame) -> Counter:
    """Self time per package, each frame counted for its nearest known package."""
    totals: Counter = Counter()

    def walk(frame: Frame, owner: str) -> None:
        owner = package_of(frame) or owner
        totals[owner] += frame.time - sum(child.time for child in frame.children)
        for child in frame.children:
            walk(child, owner)

    walk(root, "other")
    return totals


def hot_functions(root: Frame, count: int = 12) -> list[tuple[float, str]]:
    """The functions with the most self time."""
    totals: Counter = Counter()

    def walk(frame: Frame, name: str) -> None:
        if "[self]" not in (frame.identifier or ""):
            name = f"{frame.function} {frame.file_path_short}:{frame.line_no}"
        totals[name] += frame.time - sum(child.time for child in frame.children)
        for child in frame.children:
            walk(child, name)

    walk(root, "?")
    return [(seconds, name) for name, seconds in totals.most_common(count)]


def inclusive(root: Frame, key: str) -> float:
    """Time under the outermost frames of a package (its callees included)."""
    if key in (root.file_path or ""):
        return root.time
    return sum(inclusive(child, key) for child in root.children)


def profile(call: Call, client, count: int, tree: bool) -> None:
    for _ in range(20):  # warm caches and the connection pool first
        assert call.send(client).status_code < 400
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for _ in range(count):
            call.send(client)
    per_request = (time.perf_counter() - started) / count * 1000
    root = profiler.last_session.root_frame()
    print(f"\n=== {call.name}: {call.method} {call.path}: {per_request:.2f} ms per request "
          f"in process ({count} requests, profiled)")  # fmt: skip
    print_shares(root)
    if tree:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


def time_requests(call: Call, client, count: int, blocks: int = 15) -> None:
    """The time per request of the fastest block: the least disturbed by the machine."""
    for _ in range(20):
        assert call.send(client).status_code < 400
    fastest = float("inf")
    for _ in range(blocks):
        started = time.perf_counter()
        for _ in range(count):
            call.send(client)
        fastest = min(fastest, time.perf_counter() - started)
    print(f"{call.name}: {call.method} {call.path}: {fastest / count * 1e6:.0f} µs per request "
          f"in process (fastest of {blocks} blocks of {count})")  # fmt: skip


def print_shares(root: Frame) -> None:
    total = root.time or 1
    for name, seconds in shares(root).most_common():
        print(f"  {100 * seconds / total:5.1f}%  {name}")
    print("  under (inclusive):", ", ".join(
        f"{label} {100 * inclusive(root, key) / total:.0f}%"
        for label, key in [("sqlalchemy", "/sqlalchemy/"), ("marshmallow", "/marshmallow/"),
                           ("flask_login", "/flask_login/"), ("flask_smorest", "/flask_smorest/"),
                           ("webargs", "/webargs/")]
    ))  # fmt: skip
    print("  most self time:")
    for seconds, name in hot_functions(root):
        print(f"  {100 * seconds / total:5.1f}%  {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--tree", action="store_true", help="print pyinstrument's call tree")
    parser.add_argument("--time", action="store_true", help="time the requests, unprofiled")
    parser.add_argument("names", nargs="+", help="e.g. lecture lectures create_message")
    args = parser.parse_args(argv)
    app = make_app(args.database_url)
    client = cookieless_client(app)
    for call in calls_named(parser, args.database_url, client, args.names):
        if args.time:
            time_requests(call, client, args.requests)
        else:
            profile(call, client, args.requests, args.tree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
