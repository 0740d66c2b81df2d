"""Lectures that lecturers offer."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.profile import LecturerProfile


def money_of_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


class Lecture(db.Model):
    """A lecture on offer. Archived ones keep their orders but leave the catalogue.

    rating_sum, reviews_count and avg_rating are running totals that every review
    change moves in SQL, so the catalogue can filter and sort by rating on an index.
    """

    __tablename__ = "lectures"
    __table_args__ = (
        CheckConstraint("duration_minutes BETWEEN 15 AND 1440", name="duration_range"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        # Ending with id, as the catalogue's orders do, so that a page reads 20 entries in
        # order even where many lectures share a time or a title.
        Index("ix_lectures_archived_created_at", "archived", "created_at", "id"),
        Index("ix_lectures_archived_title", "archived", "title", "id"),
        # The same orders within one city (?city_id=).
        Index("ix_lectures_archived_city_created_at", "archived", "city_id", "created_at", "id"),
        Index("ix_lectures_archived_city_title", "archived", "city_id", "title", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lecturer_id: Mapped[int] = mapped_column(ForeignKey("lecturer_profiles.id"), index=True)
    # The city of the lecturer's contact info, kept by triggers (migration b7c3e1d9f052):
    # the catalogue of a city reads it on an index. Never written by the app.
    city_id: Mapped[int | None]
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
        return money_of_cents(self.price_cents)

    @price.setter
    def price(self, value: Decimal | None) -> None:
        self.price_cents = None if value is None else int(value * 100)


def _rating_indexes(prefix: str, *leading) -> None:
    """The catalogue's two orders by rating, unrated lectures last (app/lectures/services.py),
    after the leading columns: best first (`<prefix>_order`) and worst first
    (`<prefix>_ascending`). A page reads its rows straight off one of them, with no sort of
    the whole catalogue; one index cannot serve both, as reading it backwards would put the
    unrated lectures first."""
    unrated_last = Lecture.avg_rating.is_(None)
    Index(f"{prefix}_order", *leading, unrated_last, Lecture.avg_rating.desc(), Lecture.id.desc())
    Index(f"{prefix}_ascending", *leading, unrated_last, Lecture.avg_rating, Lecture.id)


_rating_indexes("ix_lectures_rating", Lecture.archived)
_rating_indexes("ix_lectures_city_rating", Lecture.archived, Lecture.city_id)  # ?city_id=


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


class CatalogueTotal(db.Model):
    """How many lectures are on offer (not archived): the unfiltered catalogue's `total`.

    One row, kept by triggers on `lectures` (migration 7d3e9a41b6c2) in the transaction that
    inserts, archives, restores or deletes a lecture, whatever code does it. Counting the
    whole catalogue for every page would grow with it.

    text_version moves, by triggers too (migration 2e8c5a7f4b19), with every write that can
    change which lectures a search matches: a lecture inserted or deleted, or its title,
    description or archived flag written. It dates the totals of searches (SearchTotal).
    """

    __tablename__ = "catalogue_total"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    lectures_on_offer: Mapped[int]
    text_version: Mapped[int] = mapped_column(server_default="0")


# The longest pattern of a search: `?q=` (at most 200 characters), each character escaped,
# between two % (app.lectures.services.contains_pattern).
LONGEST_PATTERN = 2 * 200 + 2


class SearchTotal(db.Model):
    """How many lectures on offer a search (`?q=`) matched, counted at the catalogue's
    text_version: the search's `total` while that version stands.

    Counting a search reads every lecture that matches, and a common word is in a tenth of
    the catalogue; a search repeated before the lectures' text changes reads its total here.
    Kept for a bounded number of patterns (app.lectures.services.keep_search_total).
    """

    __tablename__ = "search_totals"

    pattern: Mapped[str] = mapped_column(String(LONGEST_PATTERN), primary_key=True)
    catalogue_version: Mapped[int] = mapped_column(index=True)
    total: Mapped[int]
