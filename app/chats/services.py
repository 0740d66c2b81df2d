"""Chats: reading them with read markers, writing and deleting messages, and the chat list."""

from sqlalchemy import (
    Integer,
    Select,
    Text,
    and_,
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    or_,
    select,
    update,
)

from app.common.driver import DriverRead, DriverWrite
from app.common.idempotency import idempotency_key_given
from app.common.pagination import page_bound
from app.common.views import ViewOf
from app.errors import ApiError
from app.extensions import db, execute_plain
from app.models import (
    ADMIN,
    CUSTOMER,
    LECTURER,
    Caller,
    Chat,
    ChatMessage,
    ChatReadMarker,
    CustomerProfile,
    LecturerProfile,
    Order,
)
from app.models.base import UTCDateTime, utcnow
from app.orders.services import role_in

NOT_FOUND = "No chat with this id."


# Built once, as every read of a chat and every new message runs them. A chat and its
# parties are read as plain columns, as committed, through the driver (app.common.driver):
# the ORM's chat, order and two profiles cost more than the statement.
CHAT_WITH_PARTIES = DriverRead(
    select(
        Chat.id,
        Chat.order_id,
        Order.customer_id,
        Order.lecturer_id,
        CustomerProfile.user_id.label("customer_user_id"),
        LecturerProfile.user_id.label("lecturer_user_id"),
    )
    .join(Chat.order)
    .join(Order.customer)
    .join(Order.lecturer)
    .where(Chat.id == bindparam("chat_id"))
)
# A new message in one statement on the table, with the id it was given: for one row, the
# ORM's unit of work cost more than the rest of the insert. Its SELECT finds the chat only
# if the sender is its customer or its lecturer, and addresses the message to the other
# side; no row comes back for a chat that is missing or not the sender's.
_sender_is_customer = Order.customer_id == bindparam("customer_profile_id")
INSERT_MESSAGE = (
    insert(ChatMessage.__table__)
    .from_select(
        ["chat_id", "sender_id", "recipient_id", "text", "created_at"],
        select(
            Chat.id,
            bindparam("sender_id", type_=Integer),
            case((_sender_is_customer, LecturerProfile.user_id), else_=CustomerProfile.user_id),
            bindparam("text", type_=Text),
            bindparam("created_at", type_=UTCDateTime),
        )
        .join(Chat.order)
        .join(Order.customer)
        .join(Order.lecturer)
        .where(
            Chat.id == bindparam("chat_id"),
            or_(_sender_is_customer, Order.lecturer_id == bindparam("lecturer_profile_id")),
        ),
    )
    .returning(*ChatMessage.__table__.c)
)
# Without an Idempotency-Key, the message is committed by that one statement: on PostgreSQL
# one round trip instead of three (BEGIN, the insert, COMMIT), and on SQLite the write lock
# is held for the statement alone.
INSERT_MESSAGE_ALONE = DriverWrite(INSERT_MESSAGE)


def visible_chat(user: Caller, chat_id: int) -> tuple[tuple, str] | None:
    """The chat (a row of CHAT_WITH_PARTIES) and the user's part in it, if they take part or
    are an admin."""
    chat = CHAT_WITH_PARTIES.first({"chat_id": chat_id})
    role = chat and role_in(user, chat)
    return (chat, role) if role else None


def get_chat(user: Caller, chat_id: int) -> tuple[tuple, str]:
    found = visible_chat(user, chat_id)
    if found is None:
        raise ApiError.not_found(NOT_FOUND)
    return found


def participants(chat: tuple) -> list[dict]:
    return [
        {"user_id": chat.customer_user_id, "role": CUSTOMER},
        {"user_id": chat.lecturer_user_id, "role": LECTURER},
    ]


# A chat's window of messages (as plain columns) and its counts, built once and read through
# the driver: every read of a chat runs them.
_IN_CHAT = (
    select(*ChatMessage.__table__.c)
    .where(ChatMessage.chat_id == bindparam("chat"))
    .limit(page_bound("limit"))
)
MESSAGES_AFTER = DriverRead(
    _IN_CHAT.where(ChatMessage.id > bindparam("after_id")).order_by(ChatMessage.id)
)
MESSAGES_BEFORE = DriverRead(
    _IN_CHAT.where(ChatMessage.id < bindparam("before_id")).order_by(ChatMessage.id.desc())
)
LATEST_MESSAGES = DriverRead(_IN_CHAT.order_by(ChatMessage.id.desc()))
MESSAGE_COUNT = DriverRead(select(func.count()).where(ChatMessage.chat_id == bindparam("chat")))
_READ_THROUGH = (
    select(ChatReadMarker.last_read_message_id)
    .where(
        ChatReadMarker.chat_id == bindparam("chat"), ChatReadMarker.user_id == bindparam("reader")
    )
    .scalar_subquery()
)
# All of a chat's messages, and those from the other side after the reader's marker.
TOTAL_AND_UNREAD = DriverRead(
    select(
        func.count(),
        func.count().filter(
            ChatMessage.sender_id != bindparam("reader"),
            ChatMessage.id > func.coalesce(_READ_THROUGH, 0),
        ),
    ).where(ChatMessage.chat_id == bindparam("chat"))
)
# Forward only: of two reads at once, the later message wins. An update of the table, not
# of the ORM class, committed by itself: nothing loaded shows what it changes.
_markers = ChatReadMarker.__table__.c
MOVE_MARKER = DriverWrite(
    update(ChatReadMarker.__table__)
    .where(
        _markers.chat_id == bindparam("chat"),
        _markers.user_id == bindparam("reader"),
        _markers.last_read_message_id < bindparam("through"),
    )
    .values(last_read_message_id=bindparam("through"))
    .returning(_markers.last_read_message_id)
)


def count_messages(chat_id: int) -> int:
    return MESSAGE_COUNT.scalar({"chat": chat_id})


def _messages(chat_id: int, limit: int, after_id: int | None, before_id: int | None) -> list[dict]:
    """Oldest first: the first `limit` after after_id, or the last `limit` (before before_id)."""
    window = {"chat": chat_id, "limit": limit}
    if after_id is not None:
        oldest_first = MESSAGES_AFTER.all({**window, "after_id": after_id})
    elif before_id is not None:
        oldest_first = MESSAGES_BEFORE.all({**window, "before_id": before_id})[::-1]
    else:
        oldest_first = LATEST_MESSAGES.all(window)[::-1]
    return [message._asdict() for message in oldest_first]


def _total_and_unread(chat_id: int, reader_id: int | None) -> tuple[int, int | None]:
    """The chat's message count, and for a participant (not an admin) their unread count."""
    if reader_id is None:
        return count_messages(chat_id), None
    total, unread = TOTAL_AND_UNREAD.first({"chat": chat_id, "reader": reader_id})
    return total, unread


def read_chat(
    user: Caller,
    chat_id: int,
    *,
    limit: int,
    after_id: int | None = None,
    before_id: int | None = None,
) -> dict:
    """The chat with a window of messages, as ChatOut reads it; a participant's marker moves
    to what they read."""
    chat, role = get_chat(user, chat_id)
    messages = _messages(chat.id, limit, after_id, before_id)
    participant = None if role == ADMIN else user.id
    total, unread = _total_and_unread(chat.id, participant)
    if participant is not None and messages and before_id is None:
        through = messages[-1]["id"]
        MOVE_MARKER.all({"chat": chat.id, "reader": user.id, "through": through})
    return {
        "id": chat.id,
        "order_id": chat.order_id,
        "participants": participants(chat),
        "messages": messages,
        "messages_total": total,
        "unread_count": unread,
    }


def create_message(user: Caller, *, chat_id: int, text: str) -> dict:
    """The new message, as a dict of its columns: committed at once, or under an
    Idempotency-Key written in the session's transaction, which commits it with the key's
    remembered answer."""
    params = {
        "chat_id": chat_id,
        "sender_id": user.id,
        "customer_profile_id": user.customer_profile_id,
        "lecturer_profile_id": user.lecturer_profile_id,
        "text": text,
        "created_at": utcnow(),
    }
    if idempotency_key_given():
        message = execute_plain(INSERT_MESSAGE, params).first()
    else:
        message = INSERT_MESSAGE_ALONE.first(params)
    if message is None:
        raise ApiError.invalid("chat_id", NOT_FOUND)
    return message._asdict()


def delete_message(user: Caller, message_id: int) -> None:
    message = db.session.get(ChatMessage, message_id)
    found = message and visible_chat(user, message.chat_id)
    if not found:
        raise ApiError.not_found("No message with this id.")
    if user.role != ADMIN and message.sender_id != user.id:
        raise ApiError.forbidden("Only the message's sender or an admin may delete it.")
    db.session.execute(delete(ChatMessage).where(ChatMessage.id == message.id))


def my_chats_query(user: Caller) -> Select:
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


def summarize(user: Caller, chats: list[Chat]) -> list[ViewOf]:
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
        message["chat_id"]: message
        for message in execute_plain(
            select(*ChatMessage.__table__.c).where(
                ChatMessage.id.in_(newest.group_by(ChatMessage.chat_id))
            )
        ).mappings()
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
