"""each chat's last activity moves with its new messages, kept by a trigger

Revision ID: 9c1d4e7a2b65
Revises: f3a9c2e7b8d1
Create Date: 2026-11-30 23:00:00

chats.last_activity_at takes the time of each newer message, in the statement that inserts
it, and never goes back (deleting a message leaves it).
"""
from alembic import op


revision = '9c1d4e7a2b65'
down_revision = 'f3a9c2e7b8d1'
branch_labels = None
depends_on = None

MOVE = (
    'UPDATE chats SET last_activity_at = NEW.created_at '
    'WHERE id = NEW.chat_id AND last_activity_at < NEW.created_at'
)

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION chat_activity_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {MOVE};
    RETURN NULL;
END $$
"""


def upgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(
            'CREATE TRIGGER chat_activity AFTER INSERT ON chat_messages '
            'FOR EACH ROW EXECUTE FUNCTION chat_activity_move()'
        )
    else:
        op.execute(f'CREATE TRIGGER chat_activity AFTER INSERT ON chat_messages BEGIN {MOVE}; END')


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER chat_activity ON chat_messages')
        op.execute('DROP FUNCTION chat_activity_move()')
    else:
        op.execute('DROP TRIGGER chat_activity')
