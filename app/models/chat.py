"""Chats tied to orders, their messages and each participant's read marker."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.order import Order


class Chat(db.Model):
    """One chat per order. last_activity_at moves with each newer message, never back:
    app.chats.services.create_message() moves it in the message's transaction."""

    __tablename__ = "chats"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    order: Mapped["Order"] = relationship(back_populates="chat")
    read_markers: Mapped[list["ChatReadMarker"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class ChatReadMarker(db.Model):
    """The newest message a participant has read in a chat."""

    __tablename__ = "chat_read_markers"
    chat_id: Mapped[int] = mapped_column(
        ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    last_read_message_id: Mapped[int] = mapped_column(default=0)


class ChatMessage(db.Model):
    __tablename__ = "chat_messages"
    __table_args__ = (Index("ix_chat_messages_chat_id_id", "chat_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
