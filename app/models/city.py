"""Cities, which contact info points at."""

from datetime import datetime

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class City(db.Model):
    """A city, where a lecturer's or a customer's contact info puts them."""

    __tablename__ = "cities"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Unique whatever the case; also the index that sorts the list by name.
Index("uq_cities_name_lower", func.lower(City.name), unique=True)
