"""Chats: reading them with read markers, writing and deleting messages, and the chat list."""

import functools

from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    Text,
    bindparam,
    case,
    delete,
    false,
    func,
    insert,
    null,
    or_,
    select,
    update,
)

from app.common.driver import DriverRead, DriverWrite, execute_plain, idempotency_key_given
from app.common.pagination import TOTAL, page_bound, paged
from app.errors import ApiError
from app.extensions import db
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


# A chat's window of messages, oldest or newest first from a cursor, each row with the chat's
# message count and, for a participant, their unread count: the window and its counts in one
# round trip, and in one snapshot. Built once for each window and reader, and read as plain
# columns through the driver: every read of a chat runs one.
_chat_messages = ChatMessage.__table__
MESSAGE_COLUMNS = tuple(_chat_messages.c.keys())
WINDOWS = {
    "after": (_chat_messages.c.id > bindparam("after_id"), _chat_messages.c.id.asc()),
    "before": (_chat_messages.c.id < bindparam("before_id"), _chat_messages.c.id.desc()),
    "latest": (None, _chat_messages.c.id.desc()),
}


@functools.cache
def _window(kind: str, with_unread: bool) -> DriverRead:
    cursor, order = WINDOWS[kind]
    chat = bindparam("chat")
    window = select(
        *_chat_messages.c,
        *_counts(chat, with_unread),
    ).where(_chat_messages.c.chat_id == chat)
    if cursor is not None:
        window = window.where(cursor)
    return DriverRead(window.order_by(order).limit(page_bound("limit")))


# A chat's message count, and the reader's unread count, as subqueries on another name of the
# table than the statement's own.
_messages_of = ChatMessage.__table__.alias("messages_of")


def _message_count(chat_id: ColumnElement[int]) -> ScalarSelect:
    return select(func.count()).where(_messages_of.c.chat_id == chat_id).scalar_subquery()


def _unread_count(chat_id: ColumnElement[int]) -> ScalarSelect:
    """The chat's messages from the other side after the reader's marker."""
    read_through = (
        select(ChatReadMarker.last_read_message_id)
        .where(ChatReadMarker.chat_id == chat_id, ChatReadMarker.user_id == bindparam("reader"))
        .correlate_except(ChatReadMarker)
        .scalar_subquery()
    )
    return (
        select(func.count())
        .where(
            _messages_of.c.chat_id == chat_id,
            _messages_of.c.sender_id != bindparam("reader"),
            _messages_of.c.id > func.coalesce(read_through, 0),
        )
        .scalar_subquery()
    )


def _counts(chat_id: ColumnElement[int], with_unread: bool) -> list[ColumnElement]:
    """The columns messages_total and unread_count (null without a reader, for an admin)."""
    unread = _unread_count(chat_id) if with_unread else null()
    return [_message_count(chat_id).label("messages_total"), unread.label("unread_count")]


# The counts alone (for an empty window, or a chat's count): by whether a reader's is asked.
COUNTS = {
    with_unread: DriverRead(select(*_counts(bindparam("chat"), with_unread)))
    for with_unread in (False, True)
}
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
    return COUNTS[False].scalar({"chat": chat_id})


def _window_and_counts(
    chat_id: int, reader_id: int | None, limit: int, after_id: int | None, before_id: int | None
) -> tuple[list[dict], int, int | None]:
    """The window of messages, oldest first (the first `limit` after after_id, or the last
    `limit`, before before_id), the chat's message count, and for a participant (not an
    admin) their unread count. An empty window carries no counts: they are read alone."""
    params = {"chat": chat_id, "reader": reader_id, "limit": limit}
    if after_id is not None:
        kind, params["after_id"] = "after", after_id
    elif before_id is not None:
        kind, params["before_id"] = "before", before_id
    else:
        kind = "latest"
    with_unread = reader_id is not None
    rows = _window(kind, with_unread).all(params)
    if kind != "after":  # read newest first
        rows.reverse()
    if not rows:
        total, unread = COUNTS[with_unread].first(params)
        return [], total, unread
    messages = [dict(zip(MESSAGE_COLUMNS, row, strict=False)) for row in rows]
    return messages, rows[0].messages_total, rows[0].unread_count


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
    participant = None if role == ADMIN else user.id
    messages, total, unread = _window_and_counts(chat.id, participant, limit, after_id, before_id)
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


# The chat list: a page of the caller's chats, most recent activity first, then for each its
# message count, its last message and (for a participant) its unread count, in one statement
# read through the driver. The page is cut first, so that a far page does not count the
# messages of the chats before it.
CHAT_FILTERS: dict[str, ColumnElement[bool]] = {
    "customer_id": Order.customer_id == bindparam("customer_id"),
    "lecturer_id": Order.lecturer_id == bindparam("lecturer_id"),
    "nobody": false(),
}
_last = ChatMessage.__table__.alias("last_message")


def my_chats(user: Caller) -> tuple[DriverRead, DriverRead, dict]:
    """The user's chats (an admin's: all): a page statement of the rows that chat_list_item()
    reads (see paged()), a count of them all, and the values of their parameters."""
    if user.role == ADMIN:
        params = {}
    elif user.customer_profile_id is not None:
        params = {"customer_id": user.customer_profile_id, "reader": user.id}
    elif user.lecturer_profile_id is not None:
        params = {"lecturer_id": user.lecturer_profile_id, "reader": user.id}
    else:
        params = {"nobody": True}
    filters = frozenset(params) - {"reader"}
    return *_chat_list_statements(filters, "reader" in params), params


@functools.cache
def _chat_list_statements(filters: frozenset[str], unread: bool) -> tuple[DriverRead, DriverRead]:
    """Built once for each set of filters, with or without the reader's unread counts."""
    conditions = [CHAT_FILTERS[name] for name in sorted(filters)]
    chats = select(Chat.id, Chat.order_id, Chat.last_activity_at)
    if filters:
        chats = chats.join(Chat.order)
    chats = chats.where(*conditions).order_by(Chat.last_activity_at.desc(), Chat.id.desc())
    count = chats.with_only_columns(func.count(), maintain_column_froms=True).order_by(None)
    page = paged(chats, count).subquery("page")
    newest = (
        select(func.max(_messages_of.c.id))
        .where(_messages_of.c.chat_id == page.c.id)
        .scalar_subquery()
    )
    rows = (
        select(
            page.c.id,
            page.c.order_id,
            *_counts(page.c.id, unread),
            *(column.label(f"last_{column.name}") for column in _last.c),
            page.c[TOTAL],
        )
        .outerjoin(_last, _last.c.id == newest)
        .order_by(page.c.last_activity_at.desc(), page.c.id.desc())
    )
    return DriverRead(rows), DriverRead(count)


def chat_list_item(row: tuple) -> dict:
    """A row of the chat list as ChatListItemOut reads it."""
    last_message = None
    if row.last_id is not None:
        last_message = {column.name: getattr(row, f"last_{column.name}") for column in _last.c}
    return {
        "id": row.id,
        "order_id": row.order_id,
        "last_message": last_message,
        "unread_count": row.unread_count,
        "messages_total": row.messages_total,
    }
