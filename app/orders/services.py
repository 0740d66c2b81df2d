"""Orders: creating them with their chat, who sees them, and moving them through the workflow."""

import functools
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Insert,
    Integer,
    Select,
    Text,
    bindparam,
    false,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.common.driver import DriverRead, DriverWrite, execute_plain, read_engine
from app.common.pagination import paged
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
from app.models.base import UTCDateTime, utcnow
from app.orders.workflow import CREATED, current_workflow, forget_workflow

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


# A list's orders are read as plain rows, as the catalogue's lectures are: a page of ORM
# orders with their status, lecture and chat cost several times the statement.
ORDER_ROWS = (
    select(
        Order.id,
        Order.status_id,
        OrderStatus.code.label("status"),
        Lecture.id.label("lecture_id"),
        Lecture.title.label("lecture_title"),
        Order.lecturer_id,
        Order.customer_id,
        Order.scheduled_at,
        Order.description,
        Chat.id.label("chat_id"),
        Order.created_at,
        Order.updated_at,
    )
    .join(Order.status)
    .join(Order.lecture)
    .outerjoin(Order.chat)
)
ORDER_ROWS_NEWEST_FIRST = ORDER_ROWS.order_by(Order.created_at.desc(), Order.id.desc())
# An order with its history, oldest entry first, one row per entry: as OrderOut reads it
# (see order_view()). Every read and change of an order runs it, built once.
_from, _to = aliased(OrderStatus), aliased(OrderStatus)
_ORDER_WITH_HISTORY = (
    ORDER_ROWS.add_columns(
        _from.code.label("entry_from"),
        _to.code.label("entry_to"),
        OrderStatusHistory.by_user_id.label("entry_by_user_id"),
        OrderStatusHistory.reason.label("entry_reason"),
        OrderStatusHistory.created_at.label("entry_at"),
    )
    .outerjoin(Order.history)
    .outerjoin(_from, _from.id == OrderStatusHistory.from_status_id)
    .outerjoin(_to, _to.id == OrderStatusHistory.to_status_id)
    .where(Order.id == bindparam("order_id"))
    .order_by(OrderStatusHistory.id)
)
# As committed (a GET, or what a move reads before it writes); in the session's transaction.
COMMITTED_ORDER_WITH_HISTORY = DriverRead(_ORDER_WITH_HISTORY)


def get_order(user: Caller, order_id: int) -> Order:
    """The order, to change; 404 unless the user takes part in it or is an admin."""
    order = db.session.get(Order, order_id)
    if order is None or role_in(user, order) is None:
        raise ApiError.not_found(NOT_FOUND)
    return order


def visible_order(user: Caller, order_id: int, *, committed: bool = True) -> list[tuple]:
    """The rows of the order with its history (see order_view()), as committed or as the
    session's transaction sees it; 404 unless the user takes part in it or is an admin."""
    params = {"order_id": order_id}
    if committed:
        rows = COMMITTED_ORDER_WITH_HISTORY.all(params)
    else:
        rows = execute_plain(_ORDER_WITH_HISTORY, params).all()
    if not rows or role_in(user, rows[0]) is None:
        raise ApiError.not_found(NOT_FOUND)
    return rows


def order_view(user: Caller, rows: list[tuple]) -> dict:
    """An order with its history (rows of visible_order()) as the user sees it, as OrderOut
    reads it: with the moves they may make now."""
    history = [history_entry(row) for row in rows if row.entry_to is not None]
    return {**order_item_for(user, rows[0]), "status_history": history}


def history_entry(row: tuple) -> dict:
    return {
        "from_": row.entry_from,
        "to": row.entry_to,
        "by_user_id": row.entry_by_user_id,
        "reason": row.entry_reason,
        "at": row.entry_at,
    }


def order_item_for(user: Caller, row: tuple) -> dict:
    """A row of ORDER_ROWS_NEWEST_FIRST as the user sees it, as OrderListItemOut reads it."""
    return {
        "id": row.id,
        "status": row.status,
        "lecture": {"id": row.lecture_id, "title": row.lecture_title},
        "lecturer_id": row.lecturer_id,
        "customer_id": row.customer_id,
        "scheduled_at": row.scheduled_at,
        "description": row.description,
        "chat_id": row.chat_id,
        "allowed_transitions": current_workflow().allowed(row.status_id, role_in(user, row)),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


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
    created = current_workflow().by_code[CREATED]
    order = Order(
        lecture_id=lecture.id,
        lecturer_id=lecture.lecturer_id,
        customer_id=customer.id,
        status_id=created.id,
        scheduled_at=scheduled_at,
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


def _ensure_still_created(order: Order) -> None:
    if order.status_id != current_workflow().by_code[CREATED].id:
        raise ApiError.conflict("Only an order still in status created can be changed.")


def update_order(order: Order, **fields) -> None:
    _ensure_still_created(order)
    for name, value in fields.items():
        setattr(order, name, value)
    db.session.flush()


def delete_order(order: Order) -> None:
    """Delete an order still in status created; its chat goes with it."""
    _ensure_still_created(order)
    db.session.delete(order)
    db.session.flush()


# The filters of the order lists, each bound at execution to the value of its name.
ORDER_FILTERS: dict[str, ColumnElement[bool]] = {
    "customer_id": Order.customer_id == bindparam("customer_id"),
    "lecturer_id": Order.lecturer_id == bindparam("lecturer_id"),
    "status_id": Order.status_id == bindparam("status_id"),
    "nobody": false(),
}


def orders_list(
    *,
    customer_id: int | None = None,
    lecturer_id: int | None = None,
    status: str | None = None,
    nobody: bool | None = None,
) -> tuple[DriverRead, DriverRead, dict]:
    """Orders, newest first, of a customer or a lecturer profile (or of nobody: none), maybe
    in one status: a page statement (see paged()), a count of them all, and the values of
    their parameters."""
    params = {"customer_id": customer_id, "lecturer_id": lecturer_id, "nobody": nobody}
    if status is not None:
        found = current_workflow().find(status)
        if found is None:
            raise ApiError.bad_request(f"Invalid query parameter. status: no status {status!r}.")
        params["status_id"] = found.id
    params = {name: value for name, value in params.items() if value is not None}
    return *_orders_statements(frozenset(params)), params


@functools.cache
def _orders_statements(filters: frozenset[str]) -> tuple[DriverRead, DriverRead]:
    """Built once for each set of filters, as the catalogue's are."""
    conditions = [ORDER_FILTERS[name] for name in sorted(filters)]
    count = select(func.count()).select_from(Order).where(*conditions)
    return DriverRead(paged(ORDER_ROWS_NEWEST_FIRST.where(*conditions), count)), DriverRead(count)


def my_orders(user: Caller, status: str | None) -> tuple[DriverRead, DriverRead, dict]:
    """The orders the user takes part in (an admin: all), as orders_list."""
    if user.role == ADMIN:
        return orders_list(status=status)
    if user.customer_profile_id is not None:
        return orders_list(customer_id=user.customer_profile_id, status=status)
    if user.lecturer_profile_id is not None:
        return orders_list(lecturer_id=user.lecturer_profile_id, status=status)
    return orders_list(status=status, nobody=True)


# The move of an order, only from the status it was checked in, and its entry in the history;
# built once, and on the tables rather than the ORM classes, which the ORM would rework at
# every execution.
_orders = Order.__table__.c
MOVE_ORDER = (
    update(Order.__table__)
    .where(_orders.id == bindparam("order"), _orders.status_id == bindparam("from_status"))
    .values(status_id=bindparam("to_status"), updated_at=bindparam("at"))
)


def _history_entry(order_id: ColumnElement[int]) -> Insert:
    """The move's entry in the history of the order whose id order_id gives."""
    return insert(OrderStatusHistory.__table__).from_select(
        ["order_id", "from_status_id", "to_status_id", "by_user_id", "reason", "created_at"],
        select(
            order_id,
            bindparam("from_status", type_=Integer),
            bindparam("to_status", type_=Integer),
            bindparam("by", type_=Integer),
            bindparam("reason", type_=Text),
            bindparam("at", type_=UTCDateTime),
        ),
    )


ADD_HISTORY_ENTRY = _history_entry(bindparam("order", type_=Integer))
# On PostgreSQL the move and its entry are one statement (the entry is written from the rows
# that the move's WITH returns: none if the order left that status), committed by itself:
# one round trip instead of four (BEGIN, the move, the entry, COMMIT). SQLite has no UPDATE
# in a WITH: there they run in the session's transaction.
MOVE_ORDER_WITH_ENTRY = DriverWrite(
    _history_entry(MOVE_ORDER.returning(_orders.id).cte("moved").c.id).returning(
        OrderStatusHistory.__table__.c.id
    )
)
ORDER_STATUS = DriverRead(select(Order.status_id).where(Order.id == bindparam("order_id")))


def change_status(user: Caller, rows: list[tuple], target: str | int, reason: str | None) -> list:
    """Move the order (rows of visible_order(), as committed) if the workflow lets this user,
    and commit; of two simultaneous moves, one wins. Its rows as moved: in the new status,
    with the new entry of its history last."""
    order = rows[0]
    workflow = current_workflow()
    role = role_in(user, order)
    to = workflow.find(target)
    if to is None:
        raise ApiError.invalid("status", "No status with this code or id.")
    move = workflow.move(order.status_id, to.id, role)
    if move is None:
        raise _refused(order.status_id, role)
    if move.reason_required and not (reason and reason.strip()):
        raise ApiError.invalid("reason", "This move needs a reason.")
    # A conditional update, not check-then-write (MOVE_ORDER).
    at = utcnow()
    params = {
        "order": order.id,
        "from_status": order.status_id,
        "to_status": to.id,
        "by": user.id,
        "reason": reason,
        "at": at,
    }
    if not _move_with_entry(params):
        raise _refused(ORDER_STATUS.scalar({"order_id": order.id}), role)
    moved = [row._replace(status_id=to.id, status=to.code, updated_at=at) for row in rows]
    entry = moved[0]._replace(
        entry_from=order.status,
        entry_to=to.code,
        entry_by_user_id=user.id,
        entry_reason=reason,
        entry_at=at,
    )
    return [*moved, entry]


def _move_with_entry(params: dict) -> bool:
    """Move the order and write its entry, committed, if it is still in the status it was
    checked in (params["from_status"]); False, writing nothing, if it is not."""
    if read_engine().dialect.name == "postgresql":
        return MOVE_ORDER_WITH_ENTRY.first(params) is not None
    if not execute_plain(MOVE_ORDER, params).rowcount:
        db.session.rollback()
        return False
    execute_plain(ADD_HISTORY_ENTRY, params)
    db.session.commit()
    return True


def _refused(status_id: int, role: str | None) -> ApiError:
    allowed = current_workflow().allowed(status_id, role)
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


def add_status(*, code: str, title: str, final: bool, transitions: list[dict]) -> OrderStatus:
    """A new status with its moves, each between it and an existing status."""
    workflow = current_workflow()
    if code in workflow.by_code:
        raise ApiError.conflict(f"There is a status {code!r} already.")
    status = OrderStatus(code=code, title=title, final=final)
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
