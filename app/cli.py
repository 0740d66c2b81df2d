"""Command-line tools: `flask create-admin`, `flask seed-demo`."""

import click
import marshmallow as ma
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app import demo
from app.auth import services
from app.auth.schemas import SignupIn
from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN, User


@click.command("create-admin")
@click.argument("username")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin(username: str, email: str, password: str) -> None:
    """Create an admin account (asks for the password when --password is not given)."""
    try:
        data = SignupIn().load(
            {"username": username, "email": email, "password": password, "role": "customer"}
        )
        user = services.create_user(**{**data, "role": ADMIN})
    except ma.ValidationError as error:
        for field, messages in error.messages.items():
            click.echo(f"error: {field}: {' '.join(messages)}", err=True)
        raise SystemExit(1) from None
    except ApiError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Admin {user.username} created (id {user.id}).")


@click.command("seed-demo")
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1, 100_000),
              help="Multiply every size by this.")  # fmt: skip
@with_appcontext
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


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)
