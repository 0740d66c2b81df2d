"""Cities, which contact info points at."""

from datetime import datetime

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import UTCDateTime, utcnow


class City(db.Model):
    """A city. lectures_on_offer, the catalogue's total for `?city_id=`, counts the lectures
    on offer whose own city (Lecture.city_id, their lecturer's) is this one; triggers on
    `lectures` (migration f3a9c2e7b8d1) keep it, as CatalogueTotal is kept."""

    __tablename__ = "cities"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lectures_on_offer: Mapped[int] = mapped_column(default=0, server_default="0")


# Unique whatever the case; also the index that sorts the list by name.
Index("uq_cities_name_lower", func.lower(City.name), unique=True)
