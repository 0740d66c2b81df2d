"""A lecturer's time: an order's span, and the rule that spans held by orders never overlap.

An order holds its span [scheduled_at, ends_at) of the lecturer's time while it is in a status
that holds time (`holds_time`: the built-in `accepted`). Two moves that would hold
overlapping spans at once must not both pass their check: the lecturer's profile row is
locked first (PostgreSQL), and the check runs after the move's own write, which on SQLite
takes the database's single write lock; either way the second move's check sees the first.
"""

from datetime import datetime, timedelta

from sqlalchemy import Row, and_, bindparam, select

from app.errors import ApiError
from app.extensions import db
from app.models import City, LecturerContactInfo, LecturerProfile, Order, OrderStatus
from app.models.base import utcnow
from app.models.lecture import MAX_MINUTES

DEFAULT_MINUTES = 60  # the span of an order whose lecture gives no duration

orders = Order.__table__.c
statuses = OrderStatus.__table__.c
lecturers = LecturerProfile.__table__.c
contacts = LecturerContactInfo.__table__.c
cities = City.__table__.c
SCHEDULE_DAYS = 30  # the window of a schedule when `to` is not given
MAX_SCHEDULE_DAYS = 92

# No span is longer than the longest lecture, so one that reaches past a moment starts less
# than that before it: the bound lets a lecturer's spans be found on
# ix_orders_lecturer_id_scheduled_at in a range as short as the span sought, however many
# orders the lecturer has before or after it.
LONGEST_SPAN = timedelta(minutes=MAX_MINUTES)

# The first of a lecturer's orders in a status that holds time whose span overlaps
# [starts_at, ends_at), other than order_id.
HELD_OVERLAP = (
    select(orders.id, orders.customer_id, orders.lecturer_id)
    .join_from(Order.__table__, OrderStatus.__table__, orders.status_id == statuses.id)
    .where(
        orders.lecturer_id == bindparam("lecturer_id"),
        orders.scheduled_at > bindparam("earliest_start"),
        orders.scheduled_at < bindparam("ends_at"),
        orders.ends_at > bindparam("starts_at"),
        orders.id != bindparam("order_id"),
        statuses.holds_time,
    )
    .order_by(orders.scheduled_at)
    .limit(1)
)
LOCK_LECTURER = (
    select(LecturerProfile.__table__.c.id)
    .where(LecturerProfile.__table__.c.id == bindparam("lecturer_id"))
    .with_for_update()
)


def span_end(scheduled_at: datetime, duration_minutes: int | None) -> datetime:
    """Where an order's span ends: its lecture's duration after its start."""
    return scheduled_at + timedelta(minutes=duration_minutes or DEFAULT_MINUTES)


def lock_lecturer_time(lecturer_id: int) -> None:
    """Make simultaneous bookings of this lecturer wait for each other (until commit)."""
    db.session.execute(LOCK_LECTURER, {"lecturer_id": lecturer_id})


def held_overlap(
    lecturer_id: int, starts_at: datetime, ends_at: datetime, order_id: int = 0
) -> Row | None:
    """The lecturer's order (id, customer_id, lecturer_id) in a status that holds time whose
    span overlaps [starts_at, ends_at), other than order_id; None when the time is free."""
    params = {
        "lecturer_id": lecturer_id,
        "earliest_start": starts_at - LONGEST_SPAN,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "order_id": order_id,
    }
    return db.session.execute(HELD_OVERLAP, params).first()


# A lecturer's zone and hours, with a row for each span held in [from, to), by start: one
# statement, the spans found as HELD_OVERLAP finds them. No row: no such lecturer.
SCHEDULE = (
    select(
        lecturers.id,
        cities.timezone,
        lecturers.working_hours,
        orders.scheduled_at,
        orders.ends_at,
    )
    .select_from(LecturerProfile.__table__)
    .outerjoin(LecturerContactInfo.__table__, contacts.profile_id == lecturers.id)
    .outerjoin(City.__table__, cities.id == contacts.city_id)
    .outerjoin(
        Order.__table__,
        and_(
            orders.lecturer_id == lecturers.id,
            orders.scheduled_at > bindparam("earliest_start"),
            orders.scheduled_at < bindparam("to"),
            orders.ends_at > bindparam("from_"),
            orders.status_id.in_(select(statuses.id).where(statuses.holds_time)),
        ),
    )
    .where(lecturers.id == bindparam("lecturer_id"))
    .order_by(orders.scheduled_at)
)


def lecturer_schedule(
    lecturer_id: int, from_: datetime | None = None, to: datetime | None = None
) -> dict:
    """When the lecturer works and is booked between from_ (default: now) and to (default:
    30 days later); 404 for no such lecturer, 400 for a window the API does not serve."""
    from_ = from_ or utcnow()
    to = to or from_ + timedelta(days=SCHEDULE_DAYS)
    if to <= from_:
        raise ApiError.bad_query("to", "Must be after `from`.")
    if to - from_ > timedelta(days=MAX_SCHEDULE_DAYS):
        raise ApiError.bad_query("to", f"At most {MAX_SCHEDULE_DAYS} days after `from`.")
    params = {
        "lecturer_id": lecturer_id,
        "earliest_start": from_ - LONGEST_SPAN,
        "from_": from_,
        "to": to,
    }
    rows = db.session.execute(SCHEDULE, params).all()
    if not rows:
        raise ApiError.not_found("No lecturer profile with this id.")
    first = rows[0]
    return {
        "lecturer_id": first.id,
        "timezone": first.timezone or "UTC",
        "working_hours": first.working_hours,
        "busy": [{"start": row.scheduled_at, "end": row.ends_at} for row in rows if row.ends_at],
    }
