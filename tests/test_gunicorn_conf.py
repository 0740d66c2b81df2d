"""gunicorn.conf.py: several workers start only with a shared storage for the limits."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on Unix only")

ROOT = Path(__file__).resolve().parent.parent
APP = "app:create_app()"
GUNICORN = [sys.executable, "-m", "gunicorn"]
# gunicorn with the config file's own default, one worker per core, on a two-core machine.
TWO_CORES = [
    sys.executable,
    "-c",
    "import multiprocessing, sys; multiprocessing.cpu_count = lambda: 2; "
    "from gunicorn.app.wsgiapp import run; sys.argv[0] = 'gunicorn'; run()",
]
REDIS = "redis://127.0.0.1:6379/14"  # the limiter falls back to memory if Redis is down


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """A production environment over a SQLite file, with no worker count or storage set."""
    unset = ("FLASK_", "GUNICORN_", "RATELIMIT_", "WEB_CONCURRENCY", "SECRET_KEY", "DATABASE_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    return {**clean, "SECRET_KEY": "k" * 32, "DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}"}


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    """gunicorn from the project's root, where it reads gunicorn.conf.py by itself."""
    return subprocess.Popen(
        [*command, "-b", f"127.0.0.1:{port}", APP],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def healthz(port: int) -> int:
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status if json.load(response)["status"] == "ok" else 0
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def refusal_of(command: list[str], env: dict[str, str]) -> str:
    """What gunicorn printed as it refused to start (it must exit by itself, and fail)."""
    process = start(command, env, free_port())
    try:
        output = process.communicate(timeout=20)[0]
    finally:
        process.kill()
    assert process.returncode != 0, output
    return output


@pytest.mark.parametrize(
    ("way", "command", "extra"),
    [
        ("GUNICORN_WORKERS", GUNICORN, {"GUNICORN_WORKERS": "2"}),
        ("--workers", [*GUNICORN, "--workers", "2"], {"GUNICORN_WORKERS": "1"}),
        ("GUNICORN_CMD_ARGS", GUNICORN, {"GUNICORN_CMD_ARGS": "--workers 2"}),
        ("the config file's default", TWO_CORES, {}),
        ("memory:// named", [*GUNICORN, "-w", "2"], {"RATELIMIT_STORAGE_URI": "memory://"}),
    ],
)
def test_two_workers_counting_limits_in_memory_refuse_to_start(env, way, command, extra):
    """However the count is given, the server exits at once with one line naming the fix."""
    output = refusal_of(command, {**env, **extra})
    refusal = [line for line in output.splitlines() if "RATELIMIT_STORAGE_URI" in line]
    assert len(refusal) == 1, output
    assert "with 2 workers and memory://" in refusal[0]
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("case", "workers", "extra"),
    [
        ("one worker", "1", {}),
        ("a shared storage", "2", {"RATELIMIT_STORAGE_URI": REDIS}),
        ("debug", "2", {"FLASK_DEBUG": "1"}),
    ],
)
def test_the_server_starts_when_the_count_is_one(env, case, workers, extra):
    """One worker, limits in Redis, or a developer's debug server: nothing is refused."""
    assert_serves([*GUNICORN, "-w", workers], {**env, **extra}, case)


def test_settings_given_with_gunicorns_env_option_are_read(env):
    """`-e NAME=value` sets the environment after gunicorn has read its config file."""
    unset = {k: v for k, v in env.items() if k != "SECRET_KEY"}
    options = ["-w", "2", "-e", "SECRET_KEY=" + "k" * 32, "-e", f"RATELIMIT_STORAGE_URI={REDIS}"]
    assert_serves([*GUNICORN, *options], unset, "-e")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_no_secret_key_refuses_to_start(env, workers):
    """In the master, before any worker: one line, and gunicorn exits."""
    unset = {k: v for k, v in env.items() if k != "SECRET_KEY"}
    command = [*GUNICORN, "-w", workers, "-e", f"RATELIMIT_STORAGE_URI={REDIS}"]
    output = refusal_of(command, unset)
    refusal = [line for line in output.splitlines() if "SECRET_KEY" in line]
    assert refusal == ["error: SECRET_KEY is not set; export SECRET_KEY=<a long random string>."]
    assert "Booting worker" not in output


def assert_serves(command: list[str], env: dict[str, str], case: str) -> None:
    port = free_port()
    process = start(command, env, port)
    try:
        deadline = time.monotonic() + 30
        while (status := healthz(port)) != 200 and process.poll() is None:
            assert time.monotonic() < deadline, f"{case}: no answer from /healthz"
            time.sleep(0.1)
        assert status == 200, f"{case}: {process.communicate(timeout=5)[0]}"
    finally:
        process.terminate()
        process.communicate(timeout=20)
