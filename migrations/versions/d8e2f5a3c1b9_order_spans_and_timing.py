"""orders get their end; statuses may hold the lecturer's time, moves may wait for the start

Revision ID: d8e2f5a3c1b9
Revises: c6a1e9d4b2f7
Create Date: 2026-12-07 17:10:00

An order's span is [scheduled_at, ends_at): ends_at is filled here from each order's lecture
(its duration, 60 minutes when it has none), and an index on (lecturer_id, scheduled_at)
finds a lecturer's spans near a moment (no span is longer than the longest lecture). The built-in `accepted` holds the lecturer's time
and `accepted -> finished` waits for the order's start.

Accepted orders made before this rule may overlap: they are kept (the rule binds new moves),
and the upgrade says how many pairs it found.
"""
import contextlib
import warnings

from alembic import op
import sqlalchemy as sa


revision = 'd8e2f5a3c1b9'
down_revision = 'c6a1e9d4b2f7'
branch_labels = None
depends_on = None

DURATION = '(SELECT coalesce(duration_minutes, 60) FROM lectures WHERE lectures.id = orders.lecture_id)'
# SQLite keeps a time as text, 'YYYY-MM-DD HH:MM:SS.ffffff': datetime() adds the minutes to
# the seconds, and the fraction is carried over as it was.
FILL_ENDS_AT = {
    'postgresql': f"UPDATE orders SET ends_at = scheduled_at + make_interval(mins => {DURATION})",
    'sqlite': (
        f"UPDATE orders SET ends_at = datetime(scheduled_at, '+' || {DURATION} || ' minutes')"
        " || substr(scheduled_at, 20)"
    ),
}
OVERLAPPING_ACCEPTED = """
    SELECT count(*) FROM orders a JOIN orders b
      ON b.lecturer_id = a.lecturer_id AND b.id > a.id
     AND b.scheduled_at < a.ends_at AND a.scheduled_at < b.ends_at
    WHERE a.status_id = (SELECT id FROM order_statuses WHERE code = 'accepted')
      AND b.status_id = a.status_id
"""


@contextlib.contextmanager
def orders_altered():
    """Alter orders; SQLite copies the table to do it. Reflecting it there reflects the tables
    it refers to, whose expression indexes SQLite's reflection skips with a warning; they are
    left as they are (orders itself has none)."""
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='.*expression-based index')
        with op.batch_alter_table('orders') as batch:
            yield batch


def upgrade():
    with orders_altered() as batch:
        batch.add_column(sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(FILL_ENDS_AT[op.get_context().dialect.name])
    with orders_altered() as batch:
        batch.alter_column('ends_at', existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_index(
        'ix_orders_lecturer_id_scheduled_at', 'orders', ['lecturer_id', 'scheduled_at']
    )

    # Added in place (SQLite too): a column with a constant default needs no copy.
    op.add_column(
        'order_statuses',
        sa.Column('holds_time', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        'order_transitions',
        sa.Column('after_start', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute("UPDATE order_statuses SET holds_time = true WHERE code = 'accepted'")
    op.execute(
        "UPDATE order_transitions SET after_start = true"
        " WHERE from_status_id = (SELECT id FROM order_statuses WHERE code = 'accepted')"
        " AND to_status_id = (SELECT id FROM order_statuses WHERE code = 'finished')"
    )
    pairs = op.get_bind().execute(sa.text(OVERLAPPING_ACCEPTED)).scalar()
    print(
        f"Overlapping accepted orders of one lecturer: {pairs} pair(s), kept as they are"
        " (the rule binds new moves only)."
    )


def downgrade():
    with op.batch_alter_table('order_transitions', recreate='never') as batch:
        batch.drop_column('after_start')
    with op.batch_alter_table('order_statuses', recreate='never') as batch:
        batch.drop_column('holds_time')
    op.drop_index('ix_orders_lecturer_id_scheduled_at', table_name='orders')
    with orders_altered() as batch:
        batch.drop_column('ends_at')
