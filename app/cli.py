"""Command-line tools: `flask create-admin`."""

import click
import marshmallow as ma
from flask import Flask
from flask.cli import with_appcontext

from app.auth import services
from app.auth.schemas import SignupIn
from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN


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


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
