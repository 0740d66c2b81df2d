"""the catalogue's total of lectures on offer, kept by triggers

Revision ID: 7d3e9a41b6c2
Revises: 5b8e1f0c2d7a
Create Date: 2026-11-28 03:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7d3e9a41b6c2'
down_revision = '5b8e1f0c2d7a'
branch_labels = None
depends_on = None

# One statement moves the total by a lecture that enters (+1) or leaves (-1) the offer.
MOVE = 'UPDATE catalogue_total SET lectures_on_offer = lectures_on_offer + ({delta})'
ENTERS = 'CASE WHEN NEW.archived THEN 0 ELSE 1 END'
LEAVES = 'CASE WHEN OLD.archived THEN 0 ELSE 1 END'

SQLITE_TRIGGERS = {
    'catalogue_total_insert': ('AFTER INSERT ON lectures', ENTERS),
    'catalogue_total_delete': ('AFTER DELETE ON lectures', f'-{LEAVES}'),
    'catalogue_total_archive': ('AFTER UPDATE OF archived ON lectures', f'{ENTERS} - {LEAVES}'),
}

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION catalogue_total_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {MOVE.format(delta=ENTERS)};
    ELSIF TG_OP = 'DELETE' THEN
        {MOVE.format(delta='-' + LEAVES)};
    ELSIF NEW.archived IS DISTINCT FROM OLD.archived THEN
        {MOVE.format(delta=f'{ENTERS} - {LEAVES}')};
    END IF;
    RETURN NULL;
END $$
"""


def upgrade():
    op.create_table(
        'catalogue_total',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('lectures_on_offer', sa.Integer(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_catalogue_total_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogue_total')),
    )
    op.execute(
        'INSERT INTO catalogue_total (id, lectures_on_offer) '
        'SELECT 1, count(*) FROM lectures WHERE NOT archived'
    )
    if op.get_context().dialect.name == 'postgresql':
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(
            'CREATE TRIGGER catalogue_total AFTER INSERT OR DELETE OR UPDATE OF archived '
            'ON lectures FOR EACH ROW EXECUTE FUNCTION catalogue_total_move()'
        )
        return
    for name, (event, delta) in SQLITE_TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {event} BEGIN {MOVE.format(delta=delta)}; END')


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER catalogue_total ON lectures')
        op.execute('DROP FUNCTION catalogue_total_move()')
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER {name}')
    op.drop_table('catalogue_total')
