"""each lecture keeps its lecturer's city, kept by triggers, for the catalogue of a city

Revision ID: b7c3e1d9f052
Revises: e5b2d7c9a1f4
Create Date: 2026-11-30 16:15:00

lectures.city_id is the city of the lecturer's contact info, so that the catalogue of a
city reads its index in order (ix_lectures_archived_city_created_at) instead of looking up
each lecture's lecturer. A lecture takes it when written; a lecturer's move carries all of
their lectures along. On PostgreSQL a lecture's trigger reads the contact info FOR SHARE, as
the city totals' trigger does: a lecture written while its lecturer moves ends in the new
city.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b7c3e1d9f052'
down_revision = 'e5b2d7c9a1f4'
branch_labels = None
depends_on = None

INDEX = 'ix_lectures_archived_city_created_at'
CITY_OF = 'SELECT city_id FROM lecturer_contact_info WHERE profile_id = NEW.lecturer_id'
CARRY = 'UPDATE lectures SET city_id = {city} WHERE lecturer_id = {row}.profile_id'

SQLITE_TRIGGERS = {
    'lecture_city_insert': 'AFTER INSERT ON lectures',
    'lecture_city_lecturer': 'AFTER UPDATE OF lecturer_id ON lectures',
}
SQLITE_LECTURER_TRIGGERS = {
    'lecturer_city_insert': ('AFTER INSERT ON lecturer_contact_info', [CARRY.format(city='NEW.city_id', row='NEW')]),
    'lecturer_city_update': (
        'AFTER UPDATE OF city_id, profile_id ON lecturer_contact_info',
        [CARRY.format(city='NULL', row='OLD'), CARRY.format(city='NEW.city_id', row='NEW')],
    ),
    'lecturer_city_delete': ('AFTER DELETE ON lecturer_contact_info', [CARRY.format(city='NULL', row='OLD')]),
}

POSTGRESQL_FUNCTIONS = {
    'lecture_city_take': ('BEFORE INSERT OR UPDATE OF lecturer_id', 'lectures', f"""
BEGIN
    NEW.city_id := ({CITY_OF} FOR SHARE);
    RETURN NEW;
END"""),
    'lecturer_city_carry': ('AFTER INSERT OR DELETE OR UPDATE OF city_id, profile_id', 'lecturer_contact_info', f"""
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {CARRY.format(city='NULL', row='OLD')};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {CARRY.format(city='NEW.city_id', row='NEW')};
    END IF;
    RETURN NULL;
END"""),
}


def upgrade():
    op.add_column('lectures', sa.Column('city_id', sa.Integer(), nullable=True))
    op.execute(
        'UPDATE lectures SET city_id = (SELECT city_id FROM lecturer_contact_info '
        'WHERE lecturer_contact_info.profile_id = lectures.lecturer_id)'
    )
    op.create_index(INDEX, 'lectures', ['archived', 'city_id', 'created_at', 'id'])
    if op.get_context().dialect.name == 'postgresql':
        for function, (event, table, body) in POSTGRESQL_FUNCTIONS.items():
            op.execute(
                f'CREATE OR REPLACE FUNCTION {function}() RETURNS trigger '
                f'LANGUAGE plpgsql AS $${body}$$'
            )
            op.execute(
                f'CREATE TRIGGER {function} {event} ON {table} '
                f'FOR EACH ROW EXECUTE FUNCTION {function}()'
            )
        return
    take = f'UPDATE lectures SET city_id = ({CITY_OF}) WHERE id = NEW.id'
    for name, event in SQLITE_TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {event} BEGIN {take}; END')
    for name, (event, statements) in SQLITE_LECTURER_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {'; '.join(statements)}; END")


def downgrade():
    if op.get_context().dialect.name == 'postgresql':
        for function, (_, table, _) in POSTGRESQL_FUNCTIONS.items():
            op.execute(f'DROP TRIGGER {function} ON {table}')
            op.execute(f'DROP FUNCTION {function}()')
    else:
        for name in [*SQLITE_TRIGGERS, *SQLITE_LECTURER_TRIGGERS]:
            op.execute(f'DROP TRIGGER {name}')
    op.drop_index(INDEX, table_name='lectures')
    # Not a batch: rebuilding the table would lose its triggers and expression indexes.
    op.execute('ALTER TABLE lectures DROP COLUMN city_id')
