"""the catalogue's date and title indexes end with id, as its orders do

Revision ID: a4f1c8e2d930
Revises: 7d3e9a41b6c2
Create Date: 2026-11-28 04:20:00

"""
from alembic import op


revision = 'a4f1c8e2d930'
down_revision = '7d3e9a41b6c2'
branch_labels = None
depends_on = None

INDEXES = {'ix_lectures_archived_created_at': 'created_at', 'ix_lectures_archived_title': 'title'}


def upgrade():
    for name, column in INDEXES.items():
        op.drop_index(name, table_name='lectures')
        op.create_index(name, 'lectures', ['archived', column, 'id'])


def downgrade():
    for name, column in INDEXES.items():
        op.drop_index(name, table_name='lectures')
        op.create_index(name, 'lectures', ['archived', column])
