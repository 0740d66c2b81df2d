"""a lecturer profile's working hours

Revision ID: c6a1e9d4b2f7
Revises: 8b4f1d6e3a27
Create Date: 2026-12-08 10:00:00

lecturer_profiles.working_hours: the days and local times a lecturer takes orders for, as a
JSON object (app/profiles/hours.py); NULL, the default, for any time. Altered in place, not
copied: SQLite adds and drops a column that no index or trigger names, and a copy of the
table would gain nothing.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c6a1e9d4b2f7'
down_revision = '8b4f1d6e3a27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('lecturer_profiles', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('working_hours', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('lecturer_profiles', recreate='never') as batch_op:
        batch_op.drop_column('working_hours')
