"""factory_boy factories; they flush into db.session, the caller commits."""

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from app.models import City, User

PASSWORD = "correct-horse-42"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    role = "customer"
    password_hash = ""

    @factory.post_generation
    def password(user, create, value, **kwargs):
        user.set_password(value or PASSWORD)


class CityFactory(BaseFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    timezone = "Europe/Moscow"
