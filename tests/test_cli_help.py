"""Section 11: the `flask` commands explain themselves with no settings, and an expected
failure is one line that names the fix, with exit status 1."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ["create-admin", "seed-demo", "purge", "db"]


def flask(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`flask ...` from the project's root in an environment with no settings of the app."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL"} and not k.startswith("FLASK_")
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_flask_help_lists_the_commands_with_no_settings():
    result = flask("--help")
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert f"  {command} " in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_s_help_works_with_no_settings(command):
    result = flask(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: python -m flask {command} ")


def test_flask_run_without_a_secret_key_refuses_to_serve():
    result = flask("run", "--port", "1")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: SECRET_KEY is not set; export SECRET_KEY=<a long random string>."
    )


@pytest.mark.parametrize(
    "args",
    [["seed-demo"], ["create-admin", "boss", "boss@example.com", "--password", "boss-pass-123"]],
    ids=["seed-demo", "create-admin"],
)
def test_a_database_never_migrated_is_one_line_naming_the_upgrade(tmp_path, args):
    result = flask(*args, DATABASE_URL=f"sqlite:///{tmp_path / 'new.db'}")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "no such table: users" in line and "run `flask db upgrade`" in line
    assert result.stdout == ""
