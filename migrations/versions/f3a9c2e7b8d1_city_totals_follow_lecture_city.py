"""each city's total of lectures on offer follows the lectures' own city

Revision ID: f3a9c2e7b8d1
Revises: d2f6a8c4e1b3
Create Date: 2026-11-30 19:00:00

Migration e5b2d7c9a1f4 kept cities.lectures_on_offer with triggers that looked up each
lecture's lecturer, and triggers on the contact info that moved a lecturer's lectures
between cities; migration b7c3e1d9f052 then gave each lecture its lecturer's city
(lectures.city_id), kept by triggers of its own. The totals now follow lectures.city_id
alone: a lecture counts for its city while it is on offer, and a lecturer's move reaches
the totals through the move of their lectures. (On PostgreSQL, lectures.city_id is read
from the contact info FOR SHARE: a lecture written while its lecturer moves ends in the new
city, and counts there.)
"""
from alembic import op
from alembic.script import ScriptDirectory


revision = 'f3a9c2e7b8d1'
down_revision = 'd2f6a8c4e1b3'
branch_labels = None
depends_on = None

MOVE = 'UPDATE cities SET lectures_on_offer = lectures_on_offer {sign} 1 WHERE id = {row}.city_id'

SQLITE_TRIGGERS = {
    'city_total_insert': ('AFTER INSERT ON lectures WHEN NOT NEW.archived', [MOVE.format(sign='+', row='NEW')]),
    'city_total_delete': ('AFTER DELETE ON lectures WHEN NOT OLD.archived', [MOVE.format(sign='-', row='OLD')]),
    'city_total_update': (
        'AFTER UPDATE OF archived, city_id ON lectures',
        [
            MOVE.format(sign='-', row='OLD') + ' AND NOT OLD.archived',
            MOVE.format(sign='+', row='NEW') + ' AND NOT NEW.archived',
        ],
    ),
}

# lecturer_id is listed for the city that lecture_city_take (BEFORE) gives a lecture that
# changes lecturer: a trigger for given columns fires on the columns an UPDATE names.
POSTGRESQL_FUNCTION = ('city_total_move', 'archived, city_id, lecturer_id', f"""
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF NOT OLD.archived THEN
            {MOVE.format(sign='-', row='OLD')};
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NOT NEW.archived THEN
            {MOVE.format(sign='+', row='NEW')};
        END IF;
    END IF;
    RETURN NULL;
END""")

RECOUNT = (
    'UPDATE cities SET lectures_on_offer = (SELECT count(*) FROM lectures '
    'WHERE lectures.city_id = cities.id AND NOT lectures.archived)'
)


def _city_totals_migration():
    """Migration e5b2d7c9a1f4, whose triggers these replace and a downgrade puts back."""
    script = ScriptDirectory.from_config(op.get_context().config)
    return script.get_revision('e5b2d7c9a1f4').module


def _create_sqlite_triggers(triggers: dict) -> None:
    for name, (event, statements) in triggers.items():
        op.execute(f"CREATE TRIGGER {name} {event} BEGIN {'; '.join(statements)}; END")


def _create_postgresql_trigger(function: str, table: str, columns: str, body: str) -> None:
    op.execute(
        f'CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $${body}$$'
    )
    op.execute(
        f'CREATE TRIGGER {function} AFTER INSERT OR DELETE OR UPDATE OF {columns} '
        f'ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()'
    )


def _drop_postgresql_trigger(function: str, table: str) -> None:
    op.execute(f'DROP TRIGGER {function} ON {table}')
    op.execute(f'DROP FUNCTION {function}()')


def upgrade():
    old = _city_totals_migration()
    if op.get_context().dialect.name == 'postgresql':
        for function, (table, _, _) in old.POSTGRESQL_FUNCTIONS.items():
            _drop_postgresql_trigger(function, table)
        function, columns, body = POSTGRESQL_FUNCTION
        _create_postgresql_trigger(function, 'lectures', columns, body)
    else:
        for name in old.SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER {name}')
        _create_sqlite_triggers(SQLITE_TRIGGERS)
    op.execute(RECOUNT)


def downgrade():
    old = _city_totals_migration()
    if op.get_context().dialect.name == 'postgresql':
        _drop_postgresql_trigger(POSTGRESQL_FUNCTION[0], 'lectures')
        for function, (table, columns, body) in old.POSTGRESQL_FUNCTIONS.items():
            _create_postgresql_trigger(function, table, columns, body)
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER {name}')
        _create_sqlite_triggers(old.SQLITE_TRIGGERS)
