"""The application factory."""

import sys
from pathlib import Path

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import cli, errors
from app.common.auth import CookieSessionInterface, forbid_storing
from app.common.converters import IdConverter, id_param_schema
from app.common.json_provider import OrjsonProvider
from app.database import add_read_engine, set_up_engines
from app.extensions import api, db, limiter, login_manager, migrate
from app.service.headers import wrap_requests
from config import NO_SECRET_KEY

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_app(config: type | None = None) -> Flask:
    """Build the app from a config class (default: config.Config, from the environment)."""
    app = Flask(__name__, static_folder=None)
    if config is None:
        from config import Config as config
    app.config.from_object(config)
    app.json = OrjsonProvider(app)
    if would_serve_without_a_key(app):
        sys.exit(NO_SECRET_KEY)
    app.session_interface = CookieSessionInterface()
    register_extensions(app)
    register_blueprints(app)
    errors.register_error_handlers(app)
    cli.register_commands(app)
    wrap_requests(app)
    trust_proxies(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies (nginx: 1), take the client's address, scheme and host
    from the X-Forwarded-* headers they set; the limits count clients by that address."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def would_serve_without_a_key(app: Flask) -> bool:
    """Whether the app is about to serve requests, outside debug, with no SECRET_KEY to sign
    its session cookies. The `flask` commands other than `flask run` (and `--help`) need no
    key: they serve nothing."""
    if app.config.get("SECRET_KEY") or app.debug or app.testing:
        return False
    command = click.get_current_context(silent=True)
    return command is None or command.info_name == "run"


def register_extensions(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    add_read_engine(app)
    db.init_app(app)
    set_up_engines(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    login_manager.init_app(app)
    app.after_request(forbid_storing)
    limiter.init_app(app)
    api.init_app(app)
    api.register_converter(IdConverter, id_param_schema)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.components.security_scheme(
        "sessionCookie", {"type": "apiKey", "in": "cookie", "name": "session"}
    )


def register_blueprints(app: Flask) -> None:
    from app.auth.routes import blp as auth
    from app.chats.routes import blp as chats
    from app.lectures.routes import blp as lectures
    from app.orders.routes import blp as orders
    from app.profiles.routes import blp as profiles
    from app.reviews.routes import blp as reviews
    from app.service.routes import blp as service
    from app.service.routes import register_docs
    from app.stats.routes import blp as stats

    for blueprint in (auth, profiles, lectures, orders, chats, reviews, stats, service):
        api.register_blueprint(blueprint)
    register_docs(app)
