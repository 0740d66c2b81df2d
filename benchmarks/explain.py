"""The query plans behind each read endpoint, over a given (large) database.

    python benchmarks/explain.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/big

Runs each endpoint of the load benchmark once in this process (the app's test client, bearer
tokens from logging in as demo users), captures every SQL statement it sends with its
parameters, and prints EXPLAIN of each SELECT. A sequential scan of a table larger than
--min-rows rows is flagged: at scale it makes the endpoint slower the more data there is.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, text  # noqa: E402

from benchmarks.inprocess import Call, argument_parser, calls, cookieless_client, make_app  # noqa: E402


@dataclass
class Statement:
    sql: str
    parameters: object


@dataclass
class Capture:
    """Collects what the engine sends while on."""

    on: bool = False
    statements: list[Statement] = field(default_factory=list)

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.on:
            self.statements.append(Statement(statement, parameters))


def table_sizes(connection, dialect: str) -> dict[str, int]:
    """Exact row counts of every table."""
    if dialect == "postgresql":
        names = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        )
    else:
        names = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
    return {
        name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
        for (name,) in names.all()
    }


def explain(connection, dialect: str, statement: Statement, analyze: bool) -> list[str]:
    prefix = (
        "EXPLAIN QUERY PLAN "
        if dialect == "sqlite"
        else "EXPLAIN (ANALYZE) "
        if analyze
        else "EXPLAIN "
    )
    rows = connection.exec_driver_sql(prefix + statement.sql, statement.parameters).all()
    return [row[-1] for row in rows]


SCANS = {
    "postgresql": re.compile(r"Seq Scan on (\w+)"),
    "sqlite": re.compile(r"^SCAN (\w+)(?! USING)"),  # SCAN t USING INDEX ... is an index scan
}


def flagged(plan: list[str], dialect: str, sizes: dict[str, int], min_rows: int) -> list[str]:
    scans = {m.group(1) for line in plan if (m := SCANS[dialect].search(line.strip()))}
    return sorted(f"{t} ({sizes[t]} rows)" for t in scans if sizes.get(t, 0) > min_rows)


def report(call: Call, status: int, ms: float, statements: list[Statement], plans: list) -> list:
    print(f"\n=== {call.name}: {call.method} {call.path} -> {status} in {ms:.1f} ms, "
          f"{len(statements)} statements")  # fmt: skip
    findings = []
    for n, (statement, plan, flags) in enumerate(plans, 1):
        print(f"\n--- {n}. {statement.sql}\n    parameters: {statement.parameters}")
        print("\n".join(f"    {line}" for line in plan))
        if flags:
            print(f"    !!! sequential scan of a large table: {', '.join(flags)}")
            findings.append((call, statement, flags))
    return findings


def run(call: Call, client, capture: Capture) -> tuple[int, float, list[Statement]]:
    capture.statements, capture.on = [], True
    started = time.perf_counter()
    answer = call.send(client)
    elapsed = (time.perf_counter() - started) * 1000
    capture.on = False
    return answer.status_code, elapsed, capture.statements


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__doc__)
    parser.add_argument("--min-rows", type=int, default=5000)
    parser.add_argument("--analyze", action="store_true", help="EXPLAIN ANALYZE (runs the query)")
    parser.add_argument("--writes", action="store_true", help="POST /create_message too")
    parser.add_argument("--only", nargs="+", metavar="NAME")
    args = parser.parse_args(argv)
    app = make_app(args.database_url)
    with app.app_context():  # not around the requests: each must have its own `g`
        from app.extensions import db

        engine, engines = db.engine, list(db.engines.values())  # PostgreSQL: one for reads
    capture, dialect = Capture(), engine.dialect.name
    for each in engines:
        event.listen(each, "before_cursor_execute", capture)
    with engine.connect() as connection:
        sizes = table_sizes(connection, dialect)
    client, findings = cookieless_client(app), []
    for call in calls(args.database_url, client, writes=args.writes):
        if args.only and call.name not in args.only:
            continue
        status, ms, statements = run(call, client, capture)
        with engine.connect() as connection:
            plans = [
                (s, plan := explain(connection, dialect, s, args.analyze),
                 flagged(plan, dialect, sizes, args.min_rows))
                for s in statements if s.sql.lstrip().upper().startswith("SELECT")
            ]  # fmt: skip
        findings += report(call, status, ms, statements, plans)
    summarize(findings, args.min_rows)
    return 0


def summarize(findings: list, min_rows: int) -> None:
    print(f"\n=== Sequential scans of tables over {min_rows} rows: {len(findings)}")
    for call, statement, flags in findings:
        print(f"- {call.name} ({call.method} {call.path}): {', '.join(flags)}")
        print(f"  {' '.join(statement.sql.split())}")


if __name__ == "__main__":
    sys.exit(main())
