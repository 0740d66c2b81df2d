"""an index in the catalogue's rating order

Revision ID: c42232006e11
Revises: 06f9fa7d5f51
Create Date: 2026-11-27 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c42232006e11'
down_revision = '06f9fa7d5f51'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_lectures_archived_avg_rating', table_name='lectures')
    op.create_index(
        'ix_lectures_rating_order',
        'lectures',
        ['archived', sa.text('(avg_rating IS NULL)'), sa.text('avg_rating DESC'),
         sa.text('id DESC')],
    )


def downgrade():
    op.drop_index('ix_lectures_rating_order', table_name='lectures')
    op.create_index('ix_lectures_archived_avg_rating', 'lectures', ['archived', 'avg_rating'])
