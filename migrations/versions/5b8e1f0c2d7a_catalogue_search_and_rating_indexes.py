"""catalogue indexes: worst-rated first, and trigrams for text search (PostgreSQL only)

Revision ID: 5b8e1f0c2d7a
Revises: c42232006e11
Create Date: 2026-11-27 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b8e1f0c2d7a'
down_revision = 'c42232006e11'
branch_labels = None
depends_on = None

TRIGRAM_INDEXES = {'ix_lectures_title_trgm': 'title', 'ix_lectures_description_trgm': 'description'}


def upgrade():
    op.create_index(
        'ix_lectures_rating_ascending',
        'lectures',
        ['archived', sa.text('(avg_rating IS NULL)'), 'avg_rating', 'id'],
    )
    if op.get_context().dialect.name != 'postgresql':
        return
    # pg_trgm is a trusted extension: the database's owner may create it.
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for name, column in TRIGRAM_INDEXES.items():
        op.create_index(
            name,
            'lectures',
            [sa.text(f'lower({column}) gin_trgm_ops')],
            postgresql_using='gin',
        )


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        for name in TRIGRAM_INDEXES:
            op.drop_index(name, table_name='lectures')
    op.drop_index('ix_lectures_rating_ascending', table_name='lectures')
