"""Roles, users and their API tokens."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ColumnElement, ForeignKey, Index, String, func, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.profile import CustomerProfile, LecturerProfile

CUSTOMER, LECTURER, ADMIN = "customer", "lecturer", "admin"
SIGNUP_ROLES = (CUSTOMER, LECTURER)


class Role(db.Model):
    """A role a user has; the migrations create the three of them."""

    __tablename__ = "roles"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(ForeignKey("roles.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lecturer_profile: Mapped[Optional["LecturerProfile"]] = relationship(back_populates="user")
    customer_profile: Mapped[Optional["CustomerProfile"]] = relationship(back_populates="user")
    # Also lecturer_profile_id and customer_profile_id, read with the user (app.models.profile).

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(
            password, method=current_app.config["PASSWORD_HASH_METHOD"]
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @classmethod
    def named(cls, login: str) -> ColumnElement[bool]:
        """The user whose username or email is `login`, whatever the case (a login may name
        either); found on the lower() indexes below."""
        folded = func.lower(login)
        return or_(func.lower(cls.username) == folded, func.lower(cls.email) == folded)


@dataclass(frozen=True, eq=False)
class Caller(UserMixin):
    """The logged-in user of a request, as app.common.auth reads them with their token.

    A plain row of what most requests need, rather than the user as an ORM object; the
    user's record and profiles are loaded by id where a request needs them.
    """

    id: int
    role: str
    lecturer_profile_id: int | None
    customer_profile_id: int | None


# Usernames and emails are unique whatever their case.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a leaked table reveals none."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
