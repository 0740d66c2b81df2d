"""End to end: the real servers, started as an operator starts them."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, method="POST" if body is not None else "GET")
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read())


def server_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL")}
    return {**env, **extra}


@contextmanager
def serving(
    command: list[str], env: dict[str, str], port: int, output: list[str] | None = None
) -> Iterator[str]:
    """Start a server, wait until /healthz answers, and stop it afterwards; what it printed
    goes to `output` when one is given."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if call(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            process.kill()
            pytest.fail(process.communicate()[0].decode())
        yield base
    finally:
        process.terminate()
        printed = process.communicate(timeout=20)[0].decode()
        if output is not None:
            output.append(printed)


def sign_up_and_log_in(base: str, name: str) -> str:
    account = {"username": name, "email": f"{name}@example.com", "password": "served-pass-123"}
    status, user = call(f"{base}/signup", {**account, "role": "lecturer"})
    assert status == 201, user
    status, login = call(f"{base}/login", {"username": name, "password": "served-pass-123"})
    assert status == 200, login
    return login["token"]


@pytest.fixture
def database_file(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'served.db'}"


def test_run_py_migrates_and_serves_without_a_secret_key(database_file):
    port = free_port()
    env = server_env(PORT=str(port), DATABASE_URL=database_file)
    with serving([sys.executable, "run.py"], env, port) as base:
        token = sign_up_and_log_in(base, "runner")
        status, body = call(f"{base}/login", token=token)
        assert (status, body["user"]["role"]) == (200, "lecturer")
        assert call(f"{base}/openapi.json")[0] == 200


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on Unix only")
def test_gunicorn_serves_the_factory(database_file):
    port = free_port()
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=server_env(DATABASE_URL=database_file, SECRET_KEY="k" * 32),
        check=True,
        capture_output=True,
    )
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}"]
    # Two workers need a shared storage for the limits (gunicorn.conf.py); Redis may be
    # down: the limiter then falls back to memory, and this test counts no limits.
    env = server_env(
        DATABASE_URL=database_file,
        SECRET_KEY="k" * 32,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/14",
    )
    output: list[str] = []
    with serving([*command, "app:create_app()"], env, port, output) as base:
        token = sign_up_and_log_in(base, "gunner")
        # Any worker accepts the token: nothing lives in a worker's memory.
        assert all(call(f"{base}/login", token=token)[0] == 200 for _ in range(6))
    # Its log, to the workers' exit, is in lines of its own: no error of the logging.
    assert "Worker exiting" in output[0]
    assert "Traceback" not in output[0] and "Logging error" not in output[0]


def test_missing_secret_key_stops_the_start_with_one_line():
    result = subprocess.run(
        [sys.executable, "-c", "from app import create_app; create_app()"],
        cwd=ROOT,
        env=server_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "SECRET_KEY" in result.stderr
