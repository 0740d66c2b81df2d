"""Orders and the workflow their statuses follow, kept as data."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, func, select
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow
from app.models.lecture import Lecture
from app.models.profile import CustomerProfile, LecturerProfile

if TYPE_CHECKING:
    from app.models.chat import Chat


class OrderStatus(db.Model):
    __tablename__ = "order_statuses"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    final: Mapped[bool] = mapped_column(default=False)
    # An order in such a status takes its span of the lecturer's time: no two may overlap.
    holds_time: Mapped[bool] = mapped_column(default=False, server_default=false())

    transitions: Mapped[list["OrderTransition"]] = relationship(
        foreign_keys="OrderTransition.from_status_id",
        back_populates="from_status",
        order_by="OrderTransition.id",
    )


class OrderTransition(db.Model):
    """A move of the workflow: from one status to another, by some roles."""

    __tablename__ = "order_transitions"
    __table_args__ = (UniqueConstraint("from_status_id", "to_status_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_status_id: Mapped[int] = mapped_column(ForeignKey("order_statuses.id"))
    to_status_id: Mapped[int] = mapped_column(ForeignKey("order_statuses.id"), index=True)
    reason_required: Mapped[bool] = mapped_column(default=False)
    # Such a move may be made only once the order's time has come (an admin may at any time).
    after_start: Mapped[bool] = mapped_column(default=False, server_default=false())

    from_status: Mapped[OrderStatus] = relationship(
        foreign_keys=[from_status_id], back_populates="transitions"
    )
    to_status: Mapped[OrderStatus] = relationship(foreign_keys=[to_status_id])
    roles: Mapped[list["OrderTransitionRole"]] = relationship(cascade="all, delete-orphan")

    @property
    def role_codes(self) -> list[str]:
        return sorted(role.role for role in self.roles)


class OrderTransitionRole(db.Model):
    """A role that may make a move."""

    __tablename__ = "order_transition_roles"
    transition_id: Mapped[int] = mapped_column(
        ForeignKey("order_transitions.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(ForeignKey("roles.code"), primary_key=True)


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_customer_id_created_at", "customer_id", "created_at"),
        Index("ix_orders_lecturer_id_created_at", "lecturer_id", "created_at"),
        Index("ix_orders_customer_id_status_id", "customer_id", "status_id"),
        Index("ix_orders_lecturer_id_status_id", "lecturer_id", "status_id"),
        Index("ix_orders_status_id_created_at", "status_id", "created_at"),
        Index("ix_orders_lecturer_id_scheduled_at", "lecturer_id", "scheduled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lecture_id: Mapped[int] = mapped_column(ForeignKey("lectures.id"), index=True)
    lecturer_id: Mapped[int] = mapped_column(ForeignKey("lecturer_profiles.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer_profiles.id"))
    status_id: Mapped[int] = mapped_column(ForeignKey("order_statuses.id"))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The end of the order's span [scheduled_at, ends_at): its lecture's duration then.
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lecture: Mapped[Lecture] = relationship()
    lecturer: Mapped[LecturerProfile] = relationship()
    customer: Mapped[CustomerProfile] = relationship()
    status: Mapped[OrderStatus] = relationship()
    history: Mapped[list["OrderStatusHistory"]] = relationship(
        order_by="OrderStatusHistory.id", cascade="all, delete-orphan", passive_deletes=True
    )
    chat: Mapped["Chat"] = relationship(
        back_populates="order", cascade="all, delete-orphan", passive_deletes=True
    )


class OrderStatusHistory(db.Model):
    """One move of one order: who made it, when and why."""

    __tablename__ = "order_status_history"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status_id: Mapped[int | None] = mapped_column(ForeignKey("order_statuses.id"))
    to_status_id: Mapped[int] = mapped_column(ForeignKey("order_statuses.id"))
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_status: Mapped[OrderStatus | None] = relationship(foreign_keys=[from_status_id])
    to_status: Mapped[OrderStatus] = relationship(foreign_keys=[to_status_id])


FINISHED = "finished"


def _finished_orders_of(profile_column):
    """How many finished orders a profile has; counted on the (profile, status) index."""
    return column_property(
        select(func.count(Order.id))
        .join(OrderStatus, Order.status_id == OrderStatus.id)
        .where(profile_column, OrderStatus.code == FINISHED)
        .scalar_subquery(),
        deferred=True,
    )


LecturerProfile.finished_orders = _finished_orders_of(Order.lecturer_id == LecturerProfile.id)
CustomerProfile.finished_orders = _finished_orders_of(Order.customer_id == CustomerProfile.id)
