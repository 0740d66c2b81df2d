"""Bodies and query parameters of the chat endpoints."""

import marshmallow as ma
from marshmallow import validate

from app.common.fields import ID_RANGE, Integer, Trimmed
from app.common.schemas import Out


class ChatArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=100, validate=validate.Range(1, 500))
    after_id = ma.fields.Integer(
        validate=ID_RANGE,
        metadata={"description": "The first `limit` messages after this one (polling)."},
    )
    before_id = ma.fields.Integer(
        validate=ID_RANGE,
        metadata={"description": "The last `limit` messages before this one (older ones)."},
    )

    @ma.validates_schema
    def not_both_cursors(self, data: dict, **kwargs) -> None:
        if "after_id" in data and "before_id" in data:
            raise ma.ValidationError("Give after_id or before_id, not both.", "before_id")


class MessageIn(ma.Schema):
    chat_id = Integer(required=True, validate=ID_RANGE)
    text = Trimmed(
        required=True,
        validate=validate.Length(1, 5000),
        metadata={"description": "Stored trimmed; 1–5000 characters after trimming."},
    )


class MessageOut(Out):
    id = ma.fields.Integer(required=True)
    chat_id = ma.fields.Integer(required=True)
    sender_id = ma.fields.Integer(required=True)
    recipient_id = ma.fields.Integer(required=True)
    text = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)


class ParticipantOut(Out):
    user_id = ma.fields.Integer(required=True)
    role = ma.fields.String(required=True)


UNREAD = {"description": "Messages from the other side after the caller's read marker; "
          "null for an admin who is not a participant."}  # fmt: skip


class ChatOut(Out):
    id = ma.fields.Integer(required=True)
    order_id = ma.fields.Integer(required=True)
    participants = ma.fields.List(ma.fields.Nested(ParticipantOut), required=True)
    messages = ma.fields.List(
        ma.fields.Nested(MessageOut), required=True, metadata={"description": "Oldest first."}
    )
    messages_total = ma.fields.Integer(required=True)
    unread_count = ma.fields.Integer(required=True, allow_none=True, metadata=UNREAD)


class ChatListItemOut(Out):
    id = ma.fields.Integer(required=True)
    order_id = ma.fields.Integer(required=True)
    last_message = ma.fields.Nested(MessageOut, required=True, allow_none=True)
    unread_count = ma.fields.Integer(required=True, allow_none=True, metadata=UNREAD)
    messages_total = ma.fields.Integer(required=True)


class MessageCountOut(Out):
    chat_id = ma.fields.Integer(required=True)
    messages = ma.fields.Integer(required=True)
