"""Reviews of lectures, one per finished order."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.order import Order


class LectureReview(db.Model):
    __tablename__ = "lecture_reviews"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 1 AND 5", name="grade_range"),
        Index("ix_lecture_reviews_lecture_id_created_at", "lecture_id", "created_at"),
        Index("ix_lecture_reviews_lecturer_id_created_at", "lecturer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    lecture_id: Mapped[int] = mapped_column(ForeignKey("lectures.id"))
    lecturer_id: Mapped[int] = mapped_column(ForeignKey("lecturer_profiles.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer_profiles.id"), index=True)
    grade: Mapped[int]
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    order: Mapped[Order] = relationship()
