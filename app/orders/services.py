"""Orders: creating them with their chat, who sees them, and moving them through the workflow."""

import functools
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Delete,
    Select,
    Update,
    bindparam,
    delete,
    false,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Bundle, joinedload, selectinload

from app.common.pagination import count_of, paged, read_page
from app.common.views import ViewOf
from app.errors import ApiError
from app.extensions import db
from app.models import (
    ADMIN,
    CUSTOMER,
    LECTURER,
    Caller,
    Chat,
    ChatReadMarker,
    CustomerProfile,
    Lecture,
    Order,
    OrderStatus,
    OrderStatusHistory,
    OrderTransition,
    OrderTransitionRole,
)
from app.models.base import utcnow
from app.orders.booking import held_overlap, lock_lecturer_time, span_end
from app.orders.workflow import CREATED, Status, Workflow, current_workflow, forget_workflow
from app.profiles import hours

NOT_FOUND = "No order with this id."


def role_in(user: Caller, order: Order | tuple) -> str | None:
    """The part the user plays in the order (or a row with its customer_id and lecturer_id):
    customer, lecturer, admin, or none."""
    if user.role == ADMIN:
        return ADMIN
    if user.customer_profile_id == order.customer_id:
        return CUSTOMER
    if user.lecturer_profile_id == order.lecturer_id:
        return LECTURER
    return None


def as_seen_by(user: Caller, order: Order | tuple) -> ViewOf:
    """The order (or a row of a list) with the moves the user may make now."""
    started = order.scheduled_at <= utcnow()
    allowed = current_workflow().allowed(order.status_id, role_in(user, order), started=started)
    return ViewOf(order, allowed_transitions=allowed)


def ensure_lecturer_free(
    user: Caller, lecturer_id: int, starts_at: datetime, ends_at: datetime, order_id: int = 0
) -> None:
    """409 when the span overlaps one of the lecturer's orders that hold time; the error
    names that order only to a caller who may see it."""
    other = held_overlap(lecturer_id, starts_at, ends_at, order_id)
    if other is not None:
        seen = {"conflicting_order_id": other.id} if role_in(user, other) else {}
        raise ApiError.conflict("The lecturer is booked then.", **seen)


# An order with what OrderOut shows of it: its status, lecture, chat and history, in one
# statement. populate_existing: an order just written in the session is read as it now is.
ORDER_WITH_HISTORY = (
    select(Order)
    .where(Order.id == bindparam("order_id"))
    .options(
        joinedload(Order.status, innerjoin=True),
        joinedload(Order.lecture, innerjoin=True).load_only(Lecture.id, Lecture.title),
        joinedload(Order.chat).load_only(Chat.id),
        joinedload(Order.history).options(
            joinedload(OrderStatusHistory.from_status),
            joinedload(OrderStatusHistory.to_status),
        ),
    )
    .execution_options(populate_existing=True)
)


def visible_order(user: Caller, order_id: int) -> ViewOf:
    """The order with its history as the user sees it; 404 unless they take part in it or
    are an admin."""
    order = db.session.scalars(ORDER_WITH_HISTORY, {"order_id": order_id}).unique().one_or_none()
    if order is None or role_in(user, order) is None:
        raise ApiError.not_found(NOT_FOUND)
    return as_seen_by(user, order)


def get_order(user: Caller, order_id: int) -> Order:
    """The order, to change; 404 unless the user takes part in it or is an admin."""
    order = db.session.get(Order, order_id)
    if order is None or role_in(user, order) is None:
        raise ApiError.not_found(NOT_FOUND)
    return order


def create_order(
    user: Caller,
    customer: CustomerProfile,
    *,
    lecture_id: int,
    scheduled_at: datetime,
    description: str | None = None,
) -> Order:
    """A new order of a lecture, with its first history entry and its chat."""
    lecture = db.session.scalars(
        select(Lecture).where(Lecture.id == lecture_id).options(joinedload(Lecture.lecturer))
    ).first()
    if lecture is None:
        raise ApiError.invalid("lecture_id", "No lecture with this id.")
    if lecture.archived:
        raise ApiError.conflict("The lecture is archived and takes no new orders.")
    ends_at = span_end(scheduled_at, lecture.duration_minutes)
    hours.ensure_inside_hours(lecture.lecturer, scheduled_at, ends_at)
    ensure_lecturer_free(user, lecture.lecturer_id, scheduled_at, ends_at)
    created = current_workflow().by_code[CREATED]
    order = Order(
        lecture_id=lecture.id,
        lecturer_id=lecture.lecturer_id,
        customer_id=customer.id,
        status_id=created.id,
        scheduled_at=scheduled_at,
        ends_at=ends_at,
        description=description,
        history=[OrderStatusHistory(to_status_id=created.id, by_user_id=user.id)],
        chat=Chat(
            read_markers=[
                ChatReadMarker(user_id=user.id),
                ChatReadMarker(user_id=lecture.lecturer.user_id),
            ]
        ),
    )
    db.session.add(order)
    db.session.flush()
    return order


def ensure_customer_or_admin(user: Caller, order: Order) -> None:
    if role_in(user, order) not in (CUSTOMER, ADMIN):
        raise ApiError.forbidden("Only the order's customer or an admin may change it.")


ONLY_CREATED = "Only an order still in status created can be changed."


def _ensure_still_created(order: Order) -> None:
    if order.status_id != current_workflow().by_code[CREATED].id:
        raise ApiError.conflict(ONLY_CREATED)


def _write_while_created(statement: Update | Delete, order: Order) -> None:
    """Write on the order's row while it is in status created, else 409. The condition is
    judged by the row, not by the copy read earlier in the request: of a change and a move
    at once, the first to write wins, and the other finds the order moved."""
    created = current_workflow().by_code[CREATED]
    still_created = statement.where(Order.id == order.id, Order.status_id == created.id)
    result = db.session.execute(still_created, execution_options={"synchronize_session": False})
    if result.rowcount != 1:
        raise ApiError.conflict(ONLY_CREATED)


def update_order(user: Caller, order: Order, **fields) -> None:
    """Change an order still in status created; a new time takes the lecture's duration now,
    and must not overlap the lecturer's held time. The session's copy of the order is not
    brought up to date: the answer reads the order again."""
    _ensure_still_created(order)
    if fields.get("scheduled_at", order.scheduled_at) != order.scheduled_at:
        starts_at = fields["scheduled_at"]
        fields["ends_at"] = span_end(starts_at, order.lecture.duration_minutes)
        hours.ensure_inside_hours(order.lecturer, starts_at, fields["ends_at"])
        ensure_lecturer_free(user, order.lecturer_id, starts_at, fields["ends_at"], order.id)
    if fields:
        _write_while_created(update(Order).values(**fields), order)


def delete_order(order: Order) -> None:
    """Delete an order still in status created; its chat goes with it (the database's
    cascades)."""
    _ensure_still_created(order)
    _write_while_created(delete(Order), order)


# A list's orders are rows shaped like Order objects (status, lecture and chat as bundles of
# their columns), which OrderListItemOut dumps as it dumps an order; one statement a page.
ORDER_ITEMS = (
    select(
        Order.id,
        Order.status_id,
        Bundle("status", OrderStatus.code),
        Bundle("lecture", Lecture.id, Lecture.title),
        Order.lecturer_id,
        Order.customer_id,
        Order.scheduled_at,
        Order.ends_at,
        Order.description,
        Bundle("chat", Chat.id),
        Order.created_at,
        Order.updated_at,
    )
    .join(Order.status)
    .join(Order.lecture)
    .outerjoin(Order.chat)
    .order_by(Order.created_at.desc(), Order.id.desc())
)
# The filters of the order lists, each bound at execution to the value of its name.
ORDER_FILTERS: dict[str, ColumnElement[bool]] = {
    "customer_id": Order.customer_id == bindparam("customer_id"),
    "lecturer_id": Order.lecturer_id == bindparam("lecturer_id"),
    "status_id": Order.status_id == bindparam("status_id"),
}


def list_orders(
    user: Caller,
    *,
    page: int,
    per_page: int,
    status: str | None = None,
    nobody: bool = False,
    **owner: int,
) -> dict:
    """A page of orders, newest first, each as the user sees it: those of the customer or
    lecturer profile `owner` names (of every profile if none; of none if `nobody`), maybe
    only in one status (400 if it names none)."""
    params = dict(owner)
    if status is not None:
        workflow = current_workflow()
        found = workflow.find(status)
        if found is None:
            raise ApiError.bad_query("status", workflow.unknown(status))
        params["status_id"] = found.id
    query, count = _orders_statements(frozenset(params), nobody)
    orders = read_page(query, count, page=page, per_page=per_page, params=params)
    return {**orders, "items": [as_seen_by(user, row) for row in orders["items"]]}


@functools.cache
def _orders_statements(filters: frozenset[str], nobody: bool) -> tuple[Select, Select]:
    """A page of ORDER_ITEMS with these filters (see paged()) and the count of all of them;
    built once for each set of filters."""
    conditions = [ORDER_FILTERS[name] for name in sorted(filters)]
    if nobody:
        conditions.append(false())
    count = count_of(select(Order.id).where(*conditions))
    return paged(ORDER_ITEMS.where(*conditions), count), count


def list_my_orders(user: Caller, **args) -> dict:
    """The orders the user takes part in (an admin: all), as list_orders()."""
    if user.role == ADMIN:
        return list_orders(user, **args)
    if user.customer_profile_id is not None:
        return list_orders(user, customer_id=user.customer_profile_id, **args)
    if user.lecturer_profile_id is not None:
        return list_orders(user, lecturer_id=user.lecturer_profile_id, **args)
    return list_orders(user, nobody=True, **args)


# The move of an order, made only if it is still in the status it was checked in, with the
# span the order has as it is moved. The session's copy of the order is not brought up to
# date: the answer reads the order again.
MOVE_ORDER = (
    update(Order)
    .where(Order.id == bindparam("order_id"), Order.status_id == bindparam("from_id"))
    .values(status_id=bindparam("to_id"), updated_at=bindparam("at"))
    .returning(Order.scheduled_at, Order.ends_at)
    .execution_options(synchronize_session=False)
)
ORDER_STATUS = select(Order.status_id).where(Order.id == bindparam("order_id"))
# A move's entry in the order's history, written as a statement built once: the session's
# unit of work would cost more than the insert.
ADD_HISTORY_ENTRY = insert(OrderStatusHistory.__table__)


def change_status(user: Caller, order: Order, target: str | int, reason: str | None) -> None:
    """Move the order if the workflow lets this user, and write the move in its history.

    A conditional update, not check-then-write: of two simultaneous moves from one status,
    only the first to update the order makes its move; the other finds it moved and is
    refused with the moves from the status it is in now. A move into a status that holds
    time books the lecturer's span (see app.orders.booking).
    """
    workflow = current_workflow()
    to = _permitted_target(workflow, user, order, target, reason)
    books = to.holds_time and not workflow.by_id[order.status_id].holds_time
    if books:
        lock_lecturer_time(order.lecturer_id)
    at = utcnow()
    params = {"order_id": order.id, "from_id": order.status_id, "to_id": to.id, "at": at}
    moved = db.session.execute(MOVE_ORDER, params).first()
    if moved is None:
        now = db.session.scalar(ORDER_STATUS, {"order_id": order.id})
        raise _refused(workflow, now, role_in(user, order), order.scheduled_at <= at)
    if books:
        ensure_lecturer_free(user, order.lecturer_id, moved.scheduled_at, moved.ends_at, order.id)
    entry = {
        "order_id": order.id,
        "from_status_id": order.status_id,
        "to_status_id": to.id,
        "by_user_id": user.id,
        "reason": reason,
        "created_at": at,
    }
    db.session.execute(ADD_HISTORY_ENTRY, entry)


def _permitted_target(
    workflow: Workflow, user: Caller, order: Order, target: str | int, reason: str | None
) -> Status:
    """The status the user may move the order to now, as the workflow has it; 422 for an
    unknown status or a missing reason, 409 for a move the workflow does not allow now."""
    role = role_in(user, order)
    to = workflow.find(target)
    if to is None:
        raise ApiError.invalid("status", workflow.unknown(target))
    started = order.scheduled_at <= utcnow()
    move = workflow.move(order.status_id, to.id, role)
    if move is None:
        raise _refused(workflow, order.status_id, role, started)
    if move.after_start and not started and role != ADMIN:
        raise ApiError.conflict(
            f"This move waits for the order's time ({order.scheduled_at.isoformat()}).",
            allowed_transitions=workflow.allowed(order.status_id, role, started=False),
        )
    if move.reason_required and not (reason and reason.strip()):
        raise ApiError.invalid("reason", "This move needs a reason.")
    return to


def _refused(workflow: Workflow, status_id: int, role: str | None, started: bool) -> ApiError:
    allowed = workflow.allowed(status_id, role, started=started)
    return ApiError.conflict(
        "The workflow does not allow this move now.", allowed_transitions=allowed
    )


def statuses_query() -> Select:
    return (
        select(OrderStatus)
        .order_by(OrderStatus.id)
        .options(
            selectinload(OrderStatus.transitions).options(
                joinedload(OrderTransition.to_status), selectinload(OrderTransition.roles)
            )
        )
    )


def get_status(status_id: int) -> OrderStatus:
    return db.session.scalars(statuses_query().where(OrderStatus.id == status_id)).one()


def add_status(
    *, code: str, title: str, final: bool, holds_time: bool, transitions: list[dict]
) -> OrderStatus:
    """A new status with its moves, each between it and an existing status."""
    workflow = current_workflow()
    if code in workflow.by_code:
        raise ApiError.conflict(f"There is a status {code!r} already.")
    status = OrderStatus(code=code, title=title, final=final, holds_time=holds_time)
    db.session.add(status)
    db.session.flush()
    seen = set()
    for index, move in enumerate(transitions):
        source, target = move["from_"], move["to"]
        problem = _transition_problem(workflow, code, final, source, target, seen)
        if problem:
            raise ApiError(422, fields={"transitions": {str(index): [problem]}})
        seen.add((source, target))
        from_id = status.id if source == code else workflow.by_code[source].id
        to_id = status.id if target == code else workflow.by_code[target].id
        db.session.add(
            OrderTransition(
                from_status_id=from_id,
                to_status_id=to_id,
                reason_required=move["reason_required"],
                after_start=move["after_start"],
                roles=[OrderTransitionRole(role=role) for role in sorted(set(move["by"]))],
            )
        )
    db.session.flush()
    forget_workflow()
    return status


def _transition_problem(workflow, code, final, source, target, seen) -> str | None:
    other = target if source == code else source if target == code else None
    if other is None or other == code:
        return f"A move must join {code!r} and an existing status."
    if other not in workflow.by_code:
        return f"No status {other!r}."
    if source == code and final:
        return "A final status has no move out of it."
    if source == other and workflow.by_code[other].final:
        return f"{other!r} is final: no move may leave it."
    if (source, target) in seen:
        return "The same move is given twice."
    return None
