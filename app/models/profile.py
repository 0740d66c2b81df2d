"""Lecturer and customer profiles, each with its contact info."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import JSON, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.city import City
from app.models.user import User

if TYPE_CHECKING:
    from app.models.lecture import Lecture


class ProfileColumns:
    """What both kinds of profile have: one per user, a name, a photo, a visit card."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    photo_url: Mapped[str | None] = mapped_column(String(2048))
    visit_card: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ContactColumns:
    """What both kinds of contact info have."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(20))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("cities.id"), index=True)


class LecturerProfile(ProfileColumns, db.Model):
    """A lecturer's public page. The rating columns are running totals kept by reviews."""

    __tablename__ = "lecturer_profiles"
    experience: Mapped[str | None] = mapped_column(Text)
    rating_sum: Mapped[int] = mapped_column(default=0)
    reviews_count: Mapped[int] = mapped_column(default=0)
    avg_rating: Mapped[float | None] = mapped_column(index=True)
    # Days to lists of {"start", "end"} local times (app.profiles.hours); None: any time,
    # stored as SQL NULL, not as JSON null.
    working_hours: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    user: Mapped["User"] = relationship(back_populates="lecturer_profile")
    contact_info: Mapped[Optional["LecturerContactInfo"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )
    lectures: Mapped[list["Lecture"]] = relationship(back_populates="lecturer")


class LecturerContactInfo(ContactColumns, db.Model):
    __tablename__ = "lecturer_contact_info"
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("lecturer_profiles.id", ondelete="CASCADE"), unique=True
    )

    profile: Mapped[LecturerProfile] = relationship(back_populates="contact_info")
    city: Mapped[City | None] = relationship()


class CustomerProfile(ProfileColumns, db.Model):
    __tablename__ = "customer_profiles"

    user: Mapped["User"] = relationship(back_populates="customer_profile")
    contact_info: Mapped[Optional["ConsumerContactInfo"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan"
    )


class ConsumerContactInfo(ContactColumns, db.Model):
    __tablename__ = "consumer_contact_info"
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("customer_profiles.id", ondelete="CASCADE"), unique=True
    )
    company: Mapped[str | None] = mapped_column(String(200))

    profile: Mapped[CustomerProfile] = relationship(back_populates="contact_info")
    city: Mapped[City | None] = relationship()


def _profile_id_of_user(model: type[LecturerProfile | CustomerProfile]):
    """The id of the user's profile of this kind, read with the user in its own statement.

    Every authenticated request reads its caller, and most need only the ids; the profiles
    themselves load when first used.
    """
    return column_property(
        select(model.id).where(model.user_id == User.id).correlate_except(model).scalar_subquery()
    )


User.lecturer_profile_id = _profile_id_of_user(LecturerProfile)
User.customer_profile_id = _profile_id_of_user(CustomerProfile)
