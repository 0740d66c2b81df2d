"""The extension singletons, bound to the app in create_app()."""

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from app.common.schemas import ErrorSchema
from app.database import RequestSession

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# Objects keep their values through a commit, so that a route that writes can read its answer
# first and end with the commit: a transaction opened after it would cost round trips of its
# own, and on PostgreSQL the rollback that closes it drops the connection's prepared
# statements (psycopg forgets them at every rollback).
db = SQLAlchemy(
    model_class=Base, session_options={"class_": RequestSession, "expire_on_commit": False}
)
migrate = Migrate()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)

# The views that carry limits (`@limiter.limit`). The app has no default limits, so the filter
# lets every other request past the limiter before it looks for limits that are not there.
LIMITED_ENDPOINTS = frozenset(
    {
        "auth.log_in",
        "auth.sign_up",
        "auth.change_password",
        "orders.create_order",
        "chats.create_message",
    }
)


@limiter.request_filter
def has_no_limits() -> bool:
    return request.endpoint not in LIMITED_ENDPOINTS


class JsonApi(Api):
    """flask-smorest's Api, documenting errors with this API's shape (app.errors)."""

    ERROR_SCHEMA = ErrorSchema


api = JsonApi()
