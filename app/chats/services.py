"""Chats: reading them with read markers, writing and deleting messages, and the chat list."""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Row,
    ScalarSelect,
    Select,
    Text,
    bindparam,
    case,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Bundle

from app.common.pagination import TOTAL, count_of, page_bound, paged, read_page
from app.common.views import ViewOf
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


class OuterBundle(Bundle):
    """A Bundle of an outer-joined row, None where there is none (its first column, a key,
    is null): a nested field with allow_none dumps it as null."""

    def create_row_processor(
        self, query: Select, procs: Sequence[Callable[[Row], Any]], labels: Sequence[str]
    ) -> Callable[[Row], Row | None]:
        bundled = super().create_row_processor(query, procs, labels)

        def proc(row: Row) -> Row | None:
            values = bundled(row)
            return None if values[0] is None else values

        return proc


def _participant(role: str, user_id: ColumnElement[int]) -> Bundle:
    """A participant as ParticipantOut dumps it: their user id and their role in the chat."""
    return Bundle(role, user_id.label("user_id"), literal(role).label("role"))


# A chat, the profiles of its order's two sides (for role_in()) and its participants.
CHAT_WITH_PARTIES = (
    select(
        Chat.id,
        Chat.order_id,
        Order.customer_id,
        Order.lecturer_id,
        _participant(CUSTOMER, CustomerProfile.user_id),
        _participant(LECTURER, LecturerProfile.user_id),
    )
    .join(Chat.order)
    .join(Order.customer)
    .join(Order.lecturer)
    .where(Chat.id == bindparam("chat_id"))
)

# A message's write is built on the tables, as the session executes a statement of plain
# columns without the ORM's work around it: it is one of the API's busiest writes.
_messages = ChatMessage.__table__
_chats, _orders = Chat.__table__, Order.__table__
_customers, _lecturers = CustomerProfile.__table__, LecturerProfile.__table__
# A new message, with the id it was given. Its SELECT finds the chat only if the sender is
# its customer or its lecturer, and addresses the message to the other side; no row comes
# back for a chat that is missing or not the sender's.
_sender_is_customer = _orders.c.customer_id == bindparam("customer_profile_id")
INSERT_MESSAGE = (
    insert(_messages)
    .from_select(
        ["chat_id", "sender_id", "recipient_id", "text", "created_at"],
        select(
            _chats.c.id,
            bindparam("sender_id", type_=Integer),
            case((_sender_is_customer, _lecturers.c.user_id), else_=_customers.c.user_id),
            bindparam("text", type_=Text),
            bindparam("created_at", type_=UTCDateTime),
        )
        .join_from(_chats, _orders)
        .join(_customers, _customers.c.id == _orders.c.customer_id)
        .join(_lecturers, _lecturers.c.id == _orders.c.lecturer_id)
        .where(
            _chats.c.id == bindparam("chat_id"),
            or_(_sender_is_customer, _orders.c.lecturer_id == bindparam("lecturer_profile_id")),
        ),
    )
    .returning(*_messages.c)
)
# The chat's activity moves to its newer message, never back: of two messages written at
# once, the later one wins whichever commits first.
MOVE_ACTIVITY = (
    update(_chats)
    .where(_chats.c.id == bindparam("chat"), _chats.c.last_activity_at < bindparam("moment"))
    .values(last_activity_at=bindparam("moment"))
)
# A read marker moves forward only: of two reads at once, the later message wins.
MOVE_MARKER = (
    update(ChatReadMarker)
    .where(
        ChatReadMarker.chat_id == bindparam("chat"),
        ChatReadMarker.user_id == bindparam("reader"),
        ChatReadMarker.last_read_message_id < bindparam("through"),
    )
    .values(last_read_message_id=bindparam("through"))
    .execution_options(synchronize_session=False)
)


def visible_chat(user: Caller, chat_id: int) -> tuple[Row, str] | None:
    """The chat (a row of CHAT_WITH_PARTIES) and the user's part in it, if they take part or
    are an admin."""
    chat = db.session.execute(CHAT_WITH_PARTIES, {"chat_id": chat_id}).first()
    role = chat and role_in(user, chat)
    return (chat, role) if role else None


def get_chat(user: Caller, chat_id: int) -> tuple[Row, str]:
    found = visible_chat(user, chat_id)
    if found is None:
        raise ApiError.not_found(NOT_FOUND)
    return found


# A chat's message count, and the reader's unread count, as subqueries on another name of the
# table than the statement's own.
_messages_of = _messages.alias("messages_of")


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


# A chat's window of messages, read from a cursor (a parameter named after it) or from the
# newest, each row with the chat's message count and, for a participant, their unread
# count: the window and its counts in one statement, and in one snapshot.
CURSORS = {
    "after_id": (_messages.c.id > bindparam("after_id"), _messages.c.id.asc()),
    "before_id": (_messages.c.id < bindparam("before_id"), _messages.c.id.desc()),
    None: (None, _messages.c.id.desc()),
}


def _window(cursor: str | None, with_unread: bool) -> Select:
    after, order = CURSORS[cursor]
    chat = bindparam("chat")
    window = select(*_messages.c, *_counts(chat, with_unread)).where(_messages.c.chat_id == chat)
    if after is not None:
        window = window.where(after)
    return window.order_by(order).limit(page_bound("limit"))


WINDOWS = {
    (cursor, with_unread): _window(cursor, with_unread)
    for cursor in CURSORS
    for with_unread in (False, True)
}
# The counts alone (for an empty window, or a chat's count): by whether a reader's is asked.
COUNTS = {
    with_unread: select(*_counts(bindparam("chat"), with_unread)) for with_unread in (False, True)
}


def count_messages(chat_id: int) -> int:
    return db.session.scalar(COUNTS[False], {"chat": chat_id})


def _window_and_counts(
    chat_id: int, reader_id: int | None, limit: int, after_id: int | None, before_id: int | None
) -> tuple[list[Row], int, int | None]:
    """The window of messages, oldest first (the first `limit` after after_id, or the last
    `limit`, before before_id), the chat's message count, and for a participant (not an
    admin) their unread count. An empty window carries no counts: they are read alone."""
    params = {"chat": chat_id, "reader": reader_id, "limit": limit}
    if after_id is not None:
        cursor, params["after_id"] = "after_id", after_id
    elif before_id is not None:
        cursor, params["before_id"] = "before_id", before_id
    else:
        cursor = None
    with_unread = reader_id is not None
    rows = db.session.execute(WINDOWS[cursor, with_unread], params).all()
    if not rows:
        total, unread = db.session.execute(COUNTS[with_unread], params).one()
        return [], total, unread
    if cursor != "after_id":  # read newest first
        rows.reverse()
    return rows, rows[0].messages_total, rows[0].unread_count


def read_chat(
    user: Caller,
    chat_id: int,
    *,
    limit: int,
    after_id: int | None = None,
    before_id: int | None = None,
) -> ViewOf:
    """The chat with a window of messages, as ChatOut dumps it; a participant's marker moves
    to the newest message they read, unless they read older ones."""
    chat, role = get_chat(user, chat_id)
    reader = None if role == ADMIN else user.id
    messages, total, unread = _window_and_counts(chat.id, reader, limit, after_id, before_id)
    if reader is not None and messages and before_id is None:
        through = messages[-1].id
        db.session.execute(MOVE_MARKER, {"chat": chat.id, "reader": reader, "through": through})
    return ViewOf(
        chat,
        participants=[chat.customer, chat.lecturer],
        messages=messages,
        messages_total=total,
        unread_count=unread,
    )


def create_message(user: Caller, *, chat_id: int, text: str) -> Row:
    """The new message, its chat's activity moved to it; 422 on a chat not the user's."""
    created_at = utcnow()
    params = {
        "chat_id": chat_id,
        "sender_id": user.id,
        "customer_profile_id": user.customer_profile_id,
        "lecturer_profile_id": user.lecturer_profile_id,
        "text": text,
        "created_at": created_at,
    }
    message = db.session.execute(INSERT_MESSAGE, params).first()
    if message is None:
        raise ApiError.invalid("chat_id", NOT_FOUND)
    db.session.execute(MOVE_ACTIVITY, {"chat": chat_id, "moment": created_at})
    return message


def delete_message(user: Caller, message_id: int) -> None:
    message = db.session.get(ChatMessage, message_id)
    found = message and visible_chat(user, message.chat_id)
    if not found:
        raise ApiError.not_found("No message with this id.")
    if user.role != ADMIN and message.sender_id != user.id:
        raise ApiError.forbidden("Only the message's sender or an admin may delete it.")
    db.session.delete(message)


# The chat list: a page of the caller's chats, most recent activity first, then for each its
# message count, its last message and (for a participant) its unread count, in one
# statement. The page is cut first, so that a far page does not count the messages of the
# chats before it.
_last = _messages.alias("last_message")


def _chat_list(side: ColumnElement[bool] | None, with_unread: bool) -> tuple[Select, Select]:
    """The page statement (see paged()) of the chats of a side (all without one), and their
    count."""
    chats = select(Chat.id, Chat.order_id, Chat.last_activity_at)
    if side is not None:
        chats = chats.join(Chat.order).where(side)
    chats = chats.order_by(Chat.last_activity_at.desc(), Chat.id.desc())
    count = count_of(chats)
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
            *_counts(page.c.id, with_unread),
            OuterBundle("last_message", *_last.c),
            page.c[TOTAL],
        )
        .outerjoin(_last, _last.c.id == newest)
        .order_by(page.c.last_activity_at.desc(), page.c.id.desc())
    )
    return rows, count


# By the caller's role. A customer or a lecturer without a profile has no chat: their
# profile parameter is null, which no order's side equals.
CHAT_LISTS = {
    CUSTOMER: _chat_list(Order.customer_id == bindparam("profile"), with_unread=True),
    LECTURER: _chat_list(Order.lecturer_id == bindparam("profile"), with_unread=True),
    ADMIN: _chat_list(None, with_unread=False),
}


def list_chats(user: Caller, *, page: int, per_page: int) -> dict:
    """A page of the user's chats (an admin's: all), most recent activity first."""
    rows, count = CHAT_LISTS[user.role]
    profiles = {CUSTOMER: user.customer_profile_id, LECTURER: user.lecturer_profile_id}
    params = {"profile": profiles[user.role], "reader": user.id} if user.role in profiles else {}
    return read_page(rows, count, page=page, per_page=per_page, params=params)
