"""a search's total is kept, dated by a version of the catalogue's text that triggers move

Revision ID: 2e8c5a7f4b19
Revises: 9c1d4e7a2b65
Create Date: 2026-12-01 13:40:00

catalogue_total.text_version moves with every write that can change which lectures a search
(`?q=`) matches: a lecture inserted or deleted, or its title, description or archived flag
written. search_totals keeps the totals of searches, each with the version it was counted
at; one whose version is not the current one is no longer used.
"""
from alembic import op
import sqlalchemy as sa


revision = '2e8c5a7f4b19'
down_revision = '9c1d4e7a2b65'
branch_labels = None
depends_on = None

MOVE = 'UPDATE catalogue_total SET text_version = text_version + 1'
TEXT_COLUMNS = 'title, description, archived'

# SQLite has row triggers only; PostgreSQL moves the version once per statement.
SQLITE_TRIGGERS = {
    'catalogue_text_insert': 'AFTER INSERT ON lectures',
    'catalogue_text_delete': 'AFTER DELETE ON lectures',
    'catalogue_text_update': f'AFTER UPDATE OF {TEXT_COLUMNS} ON lectures',
}
POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION catalogue_text_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {MOVE};
    RETURN NULL;
END $$
"""


def upgrade():
    op.add_column(
        'catalogue_total',
        sa.Column('text_version', sa.Integer(), server_default='0', nullable=False),
    )
    op.create_table(
        'search_totals',
        sa.Column('pattern', sa.String(length=402), nullable=False),
        sa.Column('catalogue_version', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('pattern', name=op.f('pk_search_totals')),
    )
    op.create_index(
        op.f('ix_search_totals_catalogue_version'), 'search_totals', ['catalogue_version']
    )
    if op.get_context().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(
            f'CREATE TRIGGER catalogue_text AFTER INSERT OR DELETE OR UPDATE OF {TEXT_COLUMNS} '
            'ON lectures FOR EACH STATEMENT EXECUTE FUNCTION catalogue_text_move()'
        )
        return
    for name, event in SQLITE_TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {event} BEGIN {MOVE}; END')


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER catalogue_text ON lectures')
        op.execute('DROP FUNCTION catalogue_text_move()')
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER {name}')
    op.drop_index(op.f('ix_search_totals_catalogue_version'), table_name='search_totals')
    op.drop_table('search_totals')
    # Not in a batch on SQLite: copying the table would break the triggers that name it.
    op.drop_column('catalogue_total', 'text_version')
