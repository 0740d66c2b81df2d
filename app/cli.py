"""Command-line tools: `flask create-admin`, `flask seed-demo`, `flask purge`."""

from collections.abc import Callable
from functools import wraps

import click
import marshmallow as ma
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from app import demo
from app.auth import services
from app.auth.schemas import SignupIn
from app.common.idempotency import purge_expired_keys
from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN, User


def needs_database(command: Callable) -> Callable:
    """One line naming the fix, not a traceback, when the database cannot be reached or has
    no schema yet."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            db.session.rollback()
            reason = (str(error.orig).strip().splitlines() or ["unknown error"])[0]
            raise click.ClickException(
                f"The database is not ready ({reason}); check DATABASE_URL, "
                "then run `flask db upgrade`."
            ) from None

    return wrapper


@click.command("create-admin")
@click.argument("username")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
@needs_database
def create_admin(username: str, email: str, password: str) -> None:
    """Create an admin account (asks for the password when --password is not given)."""
    try:
        data = SignupIn().load(
            {"username": username, "email": email, "password": password, "role": "customer"}
        )
        user = services.create_user(**{**data, "role": ADMIN})
    except ma.ValidationError as error:
        problems = (f"{field}: {' '.join(messages)}" for field, messages in error.messages.items())
        raise click.ClickException("; ".join(problems)) from None
    except ApiError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Admin {user.username} created (id {user.id}).")


@click.command("seed-demo")
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1, 100_000),
              help="Multiply every size by this.")  # fmt: skip
@with_appcontext
@needs_database
def seed_demo(scale: int) -> None:
    """Fill an empty database with demo cities, users, lectures, orders, chats and reviews."""
    if db.session.scalar(select(func.count()).select_from(User)):
        raise click.ClickException(
            "The database has users already; seed-demo only fills an empty database."
        )
    total = sum(demo.sizes(scale).values()) * 3  # rows of every table, roughly
    with click.progressbar(length=total, label="Seeding", show_percent=True) as bar:
        counts = demo.seed(scale, bar.update)
        db.session.commit()
        bar.update(total)
    for name, count in counts.items():
        click.echo(f"{name:>9}: {count}")
    click.echo(f"Log in as admin, lecturer1 or customer1 with the password {demo.PASSWORD!r}.")


@click.command("purge")
@with_appcontext
@needs_database
def purge() -> None:
    """Delete revoked and expired tokens and expired idempotency keys (run it daily)."""
    tokens = services.purge_tokens()
    keys = purge_expired_keys()
    db.session.commit()
    click.echo(
        f"Deleted {_count(tokens, 'revoked or expired token')} and "
        f"{_count(keys, 'expired idempotency key')}."
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
    app.cli.add_command(purge)
