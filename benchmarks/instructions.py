"""Instructions per request, counted by valgrind's callgrind: a figure the machine's load
does not move, to compare the code before and after a change.

    python benchmarks/instructions.py --database-url sqlite:////tmp/bench.db lecture create_message

For each endpoint named (the names of load.py; create_message writes messages), it runs the
API in a process of its own under callgrind twice, sending the request 40 and then 240
times after a warm-up, and prints the difference per request: the start-up and the warm-up
cancel out. With Python's hash seed fixed, two runs of the same code agree within about
1 %, where timings on a shared machine move by 10 % or more. The count covers this process,
SQLite included, but not a PostgreSQL server's work, nor the time spent waiting. Needs
valgrind (Debian's `valgrind` package); each endpoint takes a minute or two.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask.testing import FlaskClient  # noqa: E402

from benchmarks.inprocess import (  # noqa: E402
    Call,
    argument_parser,
    calls_named,
    cookieless_client,
    make_app,
)

FEW, MANY = 40, 240
WARM_UP = 30


def send(call: Call, client: FlaskClient, count: int) -> None:
    """Warm up, then send the request `count` times (the run under callgrind)."""
    for _ in range(WARM_UP):
        assert call.send(client).status_code < 400
    for _ in range(count):
        call.send(client)


def instructions(database_url: str, name: str, count: int) -> int:
    """The instructions a process of its own runs to start and send `count` requests."""
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "callgrind.log"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out",
                   f"--log-file={log}", sys.executable, __file__,
                   "--database-url", database_url, "--send", str(count), name]  # fmt: skip
        # A fixed hash seed: the seed moves dict and set work, and with it the count, by 1-4 %.
        environment = {**os.environ, "PYTHONHASHSEED": "0"}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        subprocess.run(command, env=environment, check=True, **quiet)
        collected = re.search(r"Collected : (\d+)", log.read_text())
    if collected is None:
        raise RuntimeError(f"callgrind reported no count for {name}")
    return int(collected.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser(__doc__)
    parser.add_argument("--send", type=int, help=argparse.SUPPRESS)  # the run under callgrind
    parser.add_argument("names", nargs="+", help="e.g. lecture lectures create_message")
    args = parser.parse_args(argv)
    if args.send is None and shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (Debian: apt-get install valgrind)")
    client = cookieless_client(make_app(args.database_url))
    chosen = calls_named(parser, args.database_url, client, args.names)
    if args.send is not None:
        send(chosen[0], client, args.send)
        return 0
    for name in args.names:
        print(f"{name}: counting {FEW} and {MANY} requests under callgrind ...", flush=True)
        few, many = (instructions(args.database_url, name, count) for count in (FEW, MANY))
        print(f"{name}: {(many - few) // (MANY - FEW):,} instructions per request", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
