"""What the scripts in benchmarks/ share: databases, gunicorn servers and JSON calls."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
SECRET_KEY = "benchmark-secret-key-" + "x" * 16
# Where the servers count the limits unless the environment names a storage: with several
# workers gunicorn.conf.py refuses memory://. Nothing else uses this Redis database, which
# is emptied as each server starts, so that every run counts from zero as memory:// did.
RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/12"
# The load runs call far past the API's limits on purpose (one user writes hundreds of
# messages a second): raised through the variables an operator sets, unless the environment
# sets them.
RAISED_LIMITS = {
    name: "1000000/minute"
    for name in (
        "LIMIT_LOGIN_FAILURES_PER_ADDRESS",
        "LIMIT_LOGIN_FAILURES_PER_ACCOUNT",
        "LIMIT_LOGINS_PER_ADDRESS",
        "LIMIT_SIGNUPS_PER_ADDRESS",
        "LIMIT_ORDERS_PER_USER",
        "LIMIT_MESSAGES_PER_USER",
    )
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like server or `flask` command over that database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "DATABASE_"))}
    env.setdefault("RATELIMIT_STORAGE_URI", RATELIMIT_STORAGE_URI)
    return {**RAISED_LIMITS, **env, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY, **extra}


def flask(database_url: str, *args: str, **extra: str) -> None:
    """Run a `flask` command (e.g. `db upgrade`, `seed-demo`) against the database."""
    subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT, env=server_env(database_url, **extra), check=True,
    )  # fmt: skip


@contextlib.contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards; yields its URL."""
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    try:
        yield f"{POSTGRES}/{name}"
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


@contextlib.contextmanager
def gunicorn(
    app: str, database_url: str, port: int, *args: str, **extra: str
) -> Iterator[subprocess.Popen]:
    """gunicorn serving `app` (e.g. "app:create_app()") with the project's gunicorn.conf.py."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
               "-b", f"127.0.0.1:{port}", *args, app]  # fmt: skip
    env = server_env(database_url, **extra)
    if env["RATELIMIT_STORAGE_URI"] == RATELIMIT_STORAGE_URI:
        with contextlib.suppress(redis.RedisError):  # Redis down: the limiter uses memory
            redis.Redis.from_url(RATELIMIT_STORAGE_URI).flushdb()
    log = open(ROOT / "benchmarks" / f"gunicorn-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        wait_until_up(port, process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def wait_until_up(
    port: int,
    process: subprocess.Popen,
    seconds: float = 30,
    name: str = "gunicorn",
    log: Path | None = None,
) -> None:
    """Wait until the server `process` listens on the port; if it exits first, say so, with
    its log when one is given."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            details = f": {log.read_text(errors='replace')}" if log else ""
            raise RuntimeError(f"{name} on port {port} exited with {process.returncode}{details}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        time.sleep(0.05)
    raise RuntimeError(f"{name} on port {port} did not start in {seconds} s")


class Client:
    """One keep-alive HTTP connection to a server; calls answer (status, JSON body or None)."""

    def __init__(self, port: int, token: str | None = None, timeout: float = 30):
        self.port, self.token, self.timeout = port, token, timeout
        self.connection: http.client.HTTPConnection | None = None

    def call(
        self, method: str, path: str, body: dict | None = None, **headers: str
    ) -> tuple[int, dict | None]:
        headers = {k.replace("_", "-"): v for k, v in headers.items()}
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            return self._send(method, path, data, headers)
        except (OSError, http.client.HTTPException):
            self.close()
            raise

    def _send(self, method: str, path: str, data: bytes | None, headers: dict):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, self.timeout)
        self.connection.request(method, path, data, headers)
        response = self.connection.getresponse()
        raw = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, json.loads(raw) if raw else None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def log_in(port: int, username: str, password: str) -> str:
    """Log in and answer the bearer token."""
    status, body = Client(port).call("POST", "/login", {"username": username, "password": password})
    if status != 200:
        raise RuntimeError(f"login as {username} answered {status}: {body}")
    return body["token"]


def query(path: str, **params) -> str:
    return f"{path}?{urllib.parse.urlencode(params)}" if params else path
