"""the catalogue of a city has an index for each of its sorts

Revision ID: d2f6a8c4e1b3
Revises: b7c3e1d9f052
Create Date: 2026-11-30 18:45:00

As ix_lectures_archived_city_created_at serves the default sort: a page of one city's
catalogue reads its 20 entries in order whatever the sort, instead of reading the sort's
index for the whole catalogue and keeping the lectures of the city.
"""
from alembic import op
import sqlalchemy as sa


revision = 'd2f6a8c4e1b3'
down_revision = 'b7c3e1d9f052'
branch_labels = None
depends_on = None

UNRATED_LAST = sa.text('(avg_rating IS NULL)')
INDEXES = {
    'ix_lectures_archived_city_title': ['archived', 'city_id', 'title', 'id'],
    'ix_lectures_city_rating_order': [
        'archived', 'city_id', UNRATED_LAST, sa.text('avg_rating DESC'), sa.text('id DESC')
    ],
    'ix_lectures_city_rating_ascending': ['archived', 'city_id', UNRATED_LAST, 'avg_rating', 'id'],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'lectures', columns)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name='lectures')
