"""Bodies and query parameters of the order and workflow endpoints."""

import marshmallow as ma
from marshmallow import validate

from app.common.fields import ID_RANGE, Boolean, FullMatch, Integer, Text, UtcDateTime
from app.common.pagination import PageArgs
from app.common.schemas import Out, Partial
from app.models import ADMIN, CUSTOMER, LECTURER
from app.models.base import utcnow
from app.profiles.hours import WorkingHoursField
from app.profiles.schemas import LectureRefOut

ROLES = (CUSTOMER, LECTURER, ADMIN)
STATUS_CODE = FullMatch(r"[a-z][a-z0-9_]{1,31}", error="A slug: a-z, then 1–31 of a-z0-9_.")


def in_the_future(moment) -> None:
    if moment <= utcnow():
        raise ma.ValidationError("Must be in the future.")


class OrderFields(ma.Schema):
    scheduled_at = UtcDateTime(
        required=True,
        validate=in_the_future,
        metadata={"description": "ISO 8601 with an offset, in the future."},
    )
    description = Text(validate=validate.Length(max=5000), allow_none=True)


class OrderIn(OrderFields):
    lecture_id = Integer(required=True, validate=ID_RANGE)


class OrderUpdate(Partial, OrderFields):
    pass


class HistoryEntryOut(Out):
    from_ = ma.fields.String(
        data_key="from",
        attribute="from_status.code",
        required=True,
        allow_none=True,
        dump_default=None,  # no from_status: the creation
        metadata={"description": "null for the creation."},
    )
    to = ma.fields.String(attribute="to_status.code", required=True)
    by_user_id = ma.fields.Integer(required=True)
    reason = ma.fields.String(required=True, allow_none=True)
    at = ma.fields.DateTime(attribute="created_at", required=True)


class OrderOut(Out):
    """An order as one caller sees it (app.orders.services.as_seen_by())."""

    id = ma.fields.Integer(required=True)
    status = ma.fields.String(attribute="status.code", required=True)
    lecture = ma.fields.Nested(LectureRefOut, required=True)
    lecturer_id = ma.fields.Integer(required=True, metadata={"description": "A profile id."})
    customer_id = ma.fields.Integer(required=True, metadata={"description": "A profile id."})
    scheduled_at = ma.fields.DateTime(required=True)
    ends_at = ma.fields.DateTime(
        required=True,
        metadata={"description": "The end of the order's span: its lecture's duration after "
                  "scheduled_at (60 minutes without one), as it stood when the time was set."},
    )  # fmt: skip
    description = ma.fields.String(required=True, allow_none=True)
    chat_id = ma.fields.Integer(attribute="chat.id", required=True)
    allowed_transitions = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "The status codes the caller may move the order to now."},
    )
    status_history = ma.fields.List(
        ma.fields.Nested(HistoryEntryOut),
        attribute="history",
        required=True,
        metadata={"description": "Oldest first, from the creation on."},
    )
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class OrderListItemOut(OrderOut):
    """An order in a list: without its history."""

    class Meta:
        exclude = ("status_history",)


class OrderArgs(PageArgs):
    status = ma.fields.String(
        validate=validate.Length(1, 32), metadata={"description": "A status code."}
    )


class StatusRef(ma.fields.Field):
    """A status given by its code, or by its id (a number, or digits in a string)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str | int:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        if isinstance(value, str) and 0 < len(value) <= 32:
            return int(value) if value.isdigit() else value
        raise ma.ValidationError("A status code or a status id.")


STATUS_REF_DOC = {"type": ["string", "integer"], "description": "A status code or id."}


class StatusChangeIn(ma.Schema):
    status = StatusRef(metadata=STATUS_REF_DOC)
    reason = Text(validate=validate.Length(max=2000), allow_none=True)


class StatusChangeArgs(ma.Schema):
    status = StatusRef(metadata={**STATUS_REF_DOC, "description": "Instead of the body's status."})


class TransitionIn(ma.Schema):
    from_ = ma.fields.String(data_key="from", required=True, validate=validate.Length(1, 32))
    to = ma.fields.String(required=True, validate=validate.Length(1, 32))
    by = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(ROLES)),
        required=True,
        validate=validate.Length(min=1),
    )
    reason_required = Boolean(load_default=False)
    after_start = Boolean(
        load_default=False,
        metadata={"description": "The move waits for the order's time (except for admins)."},
    )


class StatusIn(ma.Schema):
    code = ma.fields.String(required=True, validate=STATUS_CODE)
    title = Text(required=True, validate=validate.Length(1, 100))
    final = Boolean(load_default=False)
    holds_time = Boolean(
        load_default=False,
        metadata={"description": "An order in this status holds its span of the lecturer's "
                  "time: no two such orders of a lecturer overlap."},
    )  # fmt: skip
    transitions = ma.fields.List(ma.fields.Nested(TransitionIn), load_default=list)


class TransitionOut(Out):
    to = ma.fields.String(attribute="to_status.code", required=True)
    by = ma.fields.List(ma.fields.String(), attribute="role_codes", required=True)
    reason_required = ma.fields.Boolean(required=True)
    after_start = ma.fields.Boolean(
        required=True, metadata={"description": "Waits for the order's time (except admins)."}
    )


class StatusOut(Out):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    final = ma.fields.Boolean(required=True)
    holds_time = ma.fields.Boolean(
        required=True, metadata={"description": "Its orders hold the lecturer's time."}
    )
    transitions = ma.fields.List(ma.fields.Nested(TransitionOut), required=True)


class ScheduleArgs(ma.Schema):
    from_ = UtcDateTime(
        data_key="from",
        metadata={"description": "The window's start, with an offset; default: now."},
    )
    to = UtcDateTime(
        metadata={
            "description": "The window's end, after `from` and at most 92 days later; "
            "default: 30 days after `from`."
        }
    )


class BusyOut(ma.Schema):
    start = ma.fields.DateTime(required=True)
    end = ma.fields.DateTime(required=True)


class ScheduleOut(ma.Schema):
    lecturer_id = ma.fields.Integer(required=True, metadata={"description": "A profile id."})
    timezone = ma.fields.String(
        required=True,
        metadata={"description": "The IANA zone of the lecturer's city (UTC without one), "
                  "in which working_hours are read.", "example": "Europe/Moscow"},
    )  # fmt: skip
    working_hours = WorkingHoursField(required=True)
    busy = ma.fields.List(
        ma.fields.Nested(BusyOut),
        required=True,
        metadata={"description": "The spans of the lecturer's orders in statuses that hold "
                  "time that overlap the window, by start."},
    )  # fmt: skip
