"""each city's total of lectures on offer, kept by triggers

Revision ID: e5b2d7c9a1f4
Revises: a4f1c8e2d930
Create Date: 2026-11-28 04:15:00

A lecture counts for the city of its lecturer's contact info. The lectures' triggers move
a city's total by one lecture; the contact info's move all of a lecturer's lectures on offer
between cities. On PostgreSQL a lecture's trigger reads the contact info FOR SHARE, so that
a lecture written while its lecturer moves is counted once the move is through.
"""
from alembic import op
import sqlalchemy as sa


revision = 'e5b2d7c9a1f4'
down_revision = 'a4f1c8e2d930'
branch_labels = None
depends_on = None

MOVE = 'UPDATE cities SET lectures_on_offer = lectures_on_offer {sign} {amount} WHERE id = {city}'
CITY_OF = '(SELECT city_id FROM lecturer_contact_info WHERE profile_id = {row}.lecturer_id{lock})'
ON_OFFER = '(SELECT count(*) FROM lectures WHERE lecturer_id = {row}.profile_id AND NOT archived)'


def lecture_moves(row: str, sign: str, lock: str = '') -> str:
    return MOVE.format(sign=sign, amount=1, city=CITY_OF.format(row=row, lock=lock))


def lecturer_moves(row: str, sign: str) -> str:
    return MOVE.format(sign=sign, amount=ON_OFFER.format(row=row), city=f'{row}.city_id')


SQLITE_TRIGGERS = {
    'city_total_lecture_insert': (
        'AFTER INSERT ON lectures WHEN NOT NEW.archived', [lecture_moves('NEW', '+')]
    ),
    'city_total_lecture_delete': (
        'AFTER DELETE ON lectures WHEN NOT OLD.archived', [lecture_moves('OLD', '-')]
    ),
    'city_total_lecture_update': (
        'AFTER UPDATE OF archived, lecturer_id ON lectures',
        [
            lecture_moves('OLD', '-') + ' AND NOT OLD.archived',
            lecture_moves('NEW', '+') + ' AND NOT NEW.archived',
        ],
    ),
    'city_total_lecturer_insert': (
        'AFTER INSERT ON lecturer_contact_info', [lecturer_moves('NEW', '+')]
    ),
    'city_total_lecturer_delete': (
        'AFTER DELETE ON lecturer_contact_info', [lecturer_moves('OLD', '-')]
    ),
    'city_total_lecturer_update': (
        'AFTER UPDATE OF city_id, profile_id ON lecturer_contact_info',
        [lecturer_moves('OLD', '-'), lecturer_moves('NEW', '+')],
    ),
}

POSTGRESQL_FUNCTIONS = {
    'city_total_lecture_move': ('lectures', 'archived, lecturer_id', f"""
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF NOT OLD.archived THEN
            {lecture_moves('OLD', '-', ' FOR SHARE')};
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NOT NEW.archived THEN
            {lecture_moves('NEW', '+', ' FOR SHARE')};
        END IF;
    END IF;
    RETURN NULL;
END"""),
    'city_total_lecturer_move': ('lecturer_contact_info', 'city_id, profile_id', f"""
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {lecturer_moves('OLD', '-')};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {lecturer_moves('NEW', '+')};
    END IF;
    RETURN NULL;
END"""),
}


def upgrade():
    op.add_column(
        'cities', sa.Column('lectures_on_offer', sa.Integer(), server_default='0', nullable=False)
    )
    op.execute(
        'UPDATE cities SET lectures_on_offer = (SELECT count(*) FROM lectures '
        'JOIN lecturer_contact_info ON lecturer_contact_info.profile_id = lectures.lecturer_id '
        'WHERE lecturer_contact_info.city_id = cities.id AND NOT lectures.archived)'
    )
    if op.get_context().dialect.name == 'postgresql':
        for function, (table, columns, body) in POSTGRESQL_FUNCTIONS.items():
            op.execute(
                f'CREATE OR REPLACE FUNCTION {function}() RETURNS trigger '
                f'LANGUAGE plpgsql AS $${body}$$'
            )
            op.execute(
                f'CREATE TRIGGER {function} AFTER INSERT OR DELETE OR UPDATE OF {columns} '
                f'ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()'
            )
        return
    for name, (event, statements) in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {'; '.join(statements)}; END")


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        for function, (table, _, _) in POSTGRESQL_FUNCTIONS.items():
            op.execute(f'DROP TRIGGER {function} ON {table}')
            op.execute(f'DROP FUNCTION {function}()')
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER {name}')
    # Not a batch: rebuilding the table would lose its lower(name) index on SQLite.
    op.execute('ALTER TABLE cities DROP COLUMN lectures_on_offer')
