"""Chats: reading them with read markers, writing and deleting messages, and the chat list."""

from sqlalchemy import Select, and_, bindparam, delete, false, func, select, update
from sqlalchemy.orm import joinedload

from app.common.views import ViewOf
from app.errors import ApiError
from app.extensions import db
from app.models import (
    ADMIN,
    CUSTOMER,
    LECTURER,
    Chat,
    ChatMessage,
    ChatReadMarker,
    Order,
    User,
)
from app.orders.services import role_in

NOT_FOUND = "No chat with this id."


# Built once, as every read of a chat and every new message runs them.
CHAT_WITH_PARTIES = (
    select(Chat)
    .where(Chat.id == bindparam("chat_id"))
    .options(joinedload(Chat.order).options(joinedload(Order.customer), joinedload(Order.lecturer)))
)
MARK_ACTIVITY = (
    update(Chat)
    .where(Chat.id == bindparam("chat_id"), Chat.last_activity_at < bindparam("at"))
    .values(last_activity_at=bindparam("at"))
    # Nothing loaded shows last_activity_at: no need to find and refresh it in the session.
    .execution_options(synchronize_session=False)
)


def visible_chat(user: User, chat_id: int) -> tuple[Chat, str] | None:
    """The chat and the user's part in it, if they take part or are an admin."""
    chat = db.session.scalars(CHAT_WITH_PARTIES, {"chat_id": chat_id}).first()
    role = chat and role_in(user, chat.order)
    return (chat, role) if role else None


def get_chat(user: User, chat_id: int) -> tuple[Chat, str]:
    found = visible_chat(user, chat_id)
    if found is None:
        raise ApiError.not_found(NOT_FOUND)
    return found


def participants(chat: Chat) -> list[dict]:
    return [
        {"user_id": chat.order.customer.user_id, "role": CUSTOMER},
        {"user_id": chat.order.lecturer.user_id, "role": LECTURER},
    ]


def count_messages(chat_id: int) -> int:
    return db.session.scalar(select(func.count()).where(ChatMessage.chat_id == chat_id))


def _messages(chat_id: int, limit: int, after_id: int | None, before_id: int | None):
    """Oldest first: the first `limit` after after_id, or the last `limit` (before before_id)."""
    query = select(ChatMessage).where(ChatMessage.chat_id == chat_id).limit(limit)
    if after_id is not None:
        return db.session.scalars(
            query.where(ChatMessage.id > after_id).order_by(ChatMessage.id)
        ).all()
    if before_id is not None:
        query = query.where(ChatMessage.id < before_id)
    return list(reversed(db.session.scalars(query.order_by(ChatMessage.id.desc())).all()))


def _total_and_unread(chat_id: int, user_id: int | None) -> tuple[int, int | None]:
    """The chat's messages counted in one statement: all of them, and, for a participant,
    those from the other side after the participant's read marker (None for an admin)."""
    if user_id is None:
        return count_messages(chat_id), None
    marker = (
        select(ChatReadMarker.last_read_message_id)
        .where(ChatReadMarker.chat_id == chat_id, ChatReadMarker.user_id == user_id)
        .scalar_subquery()
    )
    unread = func.count().filter(
        ChatMessage.sender_id != user_id, ChatMessage.id > func.coalesce(marker, 0)
    )
    counts = db.session.execute(select(func.count(), unread).where(ChatMessage.chat_id == chat_id))
    return tuple(counts.one())


def _move_marker(chat_id: int, user_id: int, message_id: int) -> None:
    """Move the user's read marker forward to message_id; never back."""
    db.session.execute(
        update(ChatReadMarker)
        .where(
            ChatReadMarker.chat_id == chat_id,
            ChatReadMarker.user_id == user_id,
            ChatReadMarker.last_read_message_id < message_id,
        )
        .values(last_read_message_id=message_id)
    )


def read_chat(
    user: User,
    chat_id: int,
    *,
    limit: int,
    after_id: int | None = None,
    before_id: int | None = None,
) -> ViewOf:
    """The chat with a window of messages; a participant's marker moves to what they read."""
    chat, role = get_chat(user, chat_id)
    messages = _messages(chat.id, limit, after_id, before_id)
    participant = None if role == ADMIN else user.id
    total, unread = _total_and_unread(chat.id, participant)
    if participant is not None and messages and before_id is None:
        _move_marker(chat.id, user.id, messages[-1].id)
    return ViewOf(
        chat,
        participants=participants(chat),
        messages=messages,
        messages_total=total,
        unread_count=unread,
    )


def create_message(user: User, *, chat_id: int, text: str) -> ChatMessage:
    found = visible_chat(user, chat_id)
    if found is None:
        raise ApiError.invalid("chat_id", NOT_FOUND)
    chat, _ = found
    recipient = next(p["user_id"] for p in participants(chat) if p["user_id"] != user.id)
    message = ChatMessage(chat_id=chat.id, sender_id=user.id, recipient_id=recipient, text=text)
    db.session.add(message)
    db.session.flush()
    db.session.execute(MARK_ACTIVITY, {"chat_id": chat.id, "at": message.created_at})
    return message


def delete_message(user: User, message_id: int) -> None:
    message = db.session.get(ChatMessage, message_id)
    found = message and visible_chat(user, message.chat_id)
    if not found:
        raise ApiError.not_found("No message with this id.")
    if user.role != ADMIN and message.sender_id != user.id:
        raise ApiError.forbidden("Only the message's sender or an admin may delete it.")
    db.session.execute(delete(ChatMessage).where(ChatMessage.id == message.id))


def my_chats_query(user: User) -> Select:
    """The user's chats (an admin's: all), most recent activity first."""
    query = select(Chat).order_by(Chat.last_activity_at.desc(), Chat.id.desc())
    if user.role == ADMIN:
        return query
    query = query.join(Order, Order.id == Chat.order_id)
    if user.customer_profile_id is not None:
        return query.where(Order.customer_id == user.customer_profile_id)
    if user.lecturer_profile_id is not None:
        return query.where(Order.lecturer_id == user.lecturer_profile_id)
    return query.where(false())


def summarize(user: User, chats: list[Chat]) -> list[ViewOf]:
    """Each chat with its last message, total and unread count, in a fixed number of queries."""
    ids = [chat.id for chat in chats]
    totals = dict(
        db.session.execute(
            select(ChatMessage.chat_id, func.count())
            .where(ChatMessage.chat_id.in_(ids))
            .group_by(ChatMessage.chat_id)
        ).all()
    )
    newest = select(func.max(ChatMessage.id)).where(ChatMessage.chat_id.in_(ids))
    last = {
        message.chat_id: message
        for message in db.session.scalars(
            select(ChatMessage).where(ChatMessage.id.in_(newest.group_by(ChatMessage.chat_id)))
        )
    }
    unread = {} if user.role == ADMIN else _unread_counts(user.id, ids)
    return [
        ViewOf(
            chat,
            last_message=last.get(chat.id),
            messages_total=totals.get(chat.id, 0),
            unread_count=None if user.role == ADMIN else unread.get(chat.id, 0),
        )
        for chat in chats
    ]


def _unread_counts(user_id: int, chat_ids: list[int]) -> dict[int, int]:
    marker = and_(ChatReadMarker.chat_id == ChatMessage.chat_id, ChatReadMarker.user_id == user_id)
    return dict(
        db.session.execute(
            select(ChatMessage.chat_id, func.count())
            .outerjoin(ChatReadMarker, marker)
            .where(
                ChatMessage.chat_id.in_(chat_ids),
                ChatMessage.sender_id != user_id,
                ChatMessage.id > func.coalesce(ChatReadMarker.last_read_message_id, 0),
            )
            .group_by(ChatMessage.chat_id)
        ).all()
    )
