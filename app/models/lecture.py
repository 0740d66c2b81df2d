"""Lectures that lecturers offer."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.profile import LecturerProfile

MIN_MINUTES, MAX_MINUTES = 15, 24 * 60  # a lecture's duration, when it has one


class Lecture(db.Model):
    """A lecture on offer. Archived ones keep their orders but leave the catalogue.

    rating_sum, reviews_count and avg_rating are running totals that every review
    change moves in SQL, so the catalogue can filter and sort by rating on an index.
    """

    __tablename__ = "lectures"
    __table_args__ = (
        CheckConstraint(
            f"duration_minutes BETWEEN {MIN_MINUTES} AND {MAX_MINUTES}", name="duration_range"
        ),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        # Ending with id, as the catalogue's orders do, so that a page reads 20 entries in
        # order even where many lectures share a time or a title.
        Index("ix_lectures_archived_created_at", "archived", "created_at", "id"),
        Index("ix_lectures_archived_title", "archived", "title", "id"),
        # A lecturer's lectures on offer, counted on the index alone (?lecturer_id=, and
        # ?city_id= through the lecturers of the city); also the foreign key's index.
        Index("ix_lectures_lecturer_id_archived", "lecturer_id", "archived"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lecturer_id: Mapped[int] = mapped_column(ForeignKey("lecturer_profiles.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    duration_minutes: Mapped[int | None]
    price_cents: Mapped[int | None]
    archived: Mapped[bool] = mapped_column(default=False)
    rating_sum: Mapped[int] = mapped_column(default=0)
    reviews_count: Mapped[int] = mapped_column(default=0)
    avg_rating: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lecturer: Mapped[LecturerProfile] = relationship(back_populates="lectures")

    @property
    def price(self) -> Decimal | None:
        return None if self.price_cents is None else Decimal(self.price_cents) / 100

    @price.setter
    def price(self, value: Decimal | None) -> None:
        self.price_cents = None if value is None else int(value * 100)


# The catalogue's two orders by rating, unrated lectures last (app/lectures/services.py):
# best first and worst first. A page reads its rows straight off one of them, with no sort of
# the whole catalogue; one index cannot serve both, as reading it backwards would put the
# unrated lectures first.
_unrated_last = Lecture.avg_rating.is_(None)
Index(
    "ix_lectures_rating_order",
    Lecture.archived,
    _unrated_last,
    Lecture.avg_rating.desc(),
    Lecture.id.desc(),
)
Index(
    "ix_lectures_rating_ascending", Lecture.archived, _unrated_last, Lecture.avg_rating, Lecture.id
)


def _trigram_index(name: str, column) -> Index:
    """A PostgreSQL trigram index on lower(column), for `?q=`'s LIKE '%word%' (not SQLite)."""
    expression = func.lower(column).label(f"{column.key}_lower")
    return Index(
        name,
        expression,
        postgresql_using="gin",
        postgresql_ops={expression.name: "gin_trgm_ops"},
    ).ddl_if(dialect="postgresql")


_trigram_index("ix_lectures_title_trgm", Lecture.title)
_trigram_index("ix_lectures_description_trgm", Lecture.description)
