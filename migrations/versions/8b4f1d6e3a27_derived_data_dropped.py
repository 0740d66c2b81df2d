"""the derived totals and the triggers that kept them go; an index counts a lecturer's lectures

Revision ID: 8b4f1d6e3a27
Revises: 2e8c5a7f4b19
Create Date: 2026-12-07 16:00:00

The catalogue counts its lectures on the lectures' indexes, and finds a city's lectures
through their lecturers' contact info; the application moves a chat's last activity with each
new message. So these go, with the triggers (and PostgreSQL's trigger functions) that kept
them: catalogue_total (migrations 7d3e9a41b6c2, 2e8c5a7f4b19), search_totals (2e8c5a7f4b19),
cities.lectures_on_offer (e5b2d7c9a1f4, f3a9c2e7b8d1), lectures.city_id and its indexes
(b7c3e1d9f052, d2f6a8c4e1b3), and the trigger of chats.last_activity_at (9c1d4e7a2b65), whose
column and index stay. The index on lectures.lecturer_id takes archived too, so that the
lectures on offer of a lecturer, or of the lecturers of a city, are counted on it alone.

The downgrade runs those migrations' upgrades again, in their order: each counts or copies
its data from the rows there.
"""
from alembic import op
from alembic.script import ScriptDirectory


revision = '8b4f1d6e3a27'
down_revision = '2e8c5a7f4b19'
branch_labels = None
depends_on = None

# The migrations whose objects this one drops, in the order they were applied.
RESTORED = [
    '7d3e9a41b6c2', 'e5b2d7c9a1f4', 'b7c3e1d9f052', 'd2f6a8c4e1b3', 'f3a9c2e7b8d1',
    '9c1d4e7a2b65', '2e8c5a7f4b19',
]

# Each PostgreSQL trigger, on its table, with the function it runs.
POSTGRESQL_TRIGGERS = {
    'catalogue_total': ('lectures', 'catalogue_total_move'),
    'catalogue_text': ('lectures', 'catalogue_text_move'),
    'city_total_move': ('lectures', 'city_total_move'),
    'lecture_city_take': ('lectures', 'lecture_city_take'),
    'lecturer_city_carry': ('lecturer_contact_info', 'lecturer_city_carry'),
    'chat_activity': ('chat_messages', 'chat_activity_move'),
}
SQLITE_TRIGGERS = [
    'catalogue_total_insert', 'catalogue_total_delete', 'catalogue_total_archive',
    'catalogue_text_insert', 'catalogue_text_delete', 'catalogue_text_update',
    'city_total_insert', 'city_total_delete', 'city_total_update',
    'lecture_city_insert', 'lecture_city_lecturer',
    'lecturer_city_insert', 'lecturer_city_update', 'lecturer_city_delete',
    'chat_activity',
]
CITY_INDEXES = [
    'ix_lectures_archived_city_created_at', 'ix_lectures_archived_city_title',
    'ix_lectures_city_rating_order', 'ix_lectures_city_rating_ascending',
]


def upgrade():
    if op.get_context().dialect.name == 'postgresql':
        for trigger, (table, function) in POSTGRESQL_TRIGGERS.items():
            op.execute(f'DROP TRIGGER {trigger} ON {table}')
            op.execute(f'DROP FUNCTION {function}()')
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER {trigger}')
    # Altered in place, not copied: SQLite (3.35 and later) drops a column that no index or
    # trigger names, and a copy of the table would lose its expression indexes.
    with op.batch_alter_table('lectures', recreate='never') as batch_op:
        for name in CITY_INDEXES:
            batch_op.drop_index(name)
        batch_op.drop_column('city_id')
        batch_op.drop_index('ix_lectures_lecturer_id')
        batch_op.create_index('ix_lectures_lecturer_id_archived', ['lecturer_id', 'archived'])
    with op.batch_alter_table('cities', recreate='never') as batch_op:
        batch_op.drop_column('lectures_on_offer')
    op.drop_index('ix_search_totals_catalogue_version', table_name='search_totals')
    op.drop_table('search_totals')
    op.drop_table('catalogue_total')


def downgrade():
    with op.batch_alter_table('lectures', recreate='never') as batch_op:
        batch_op.drop_index('ix_lectures_lecturer_id_archived')
        batch_op.create_index('ix_lectures_lecturer_id', ['lecturer_id'])
    script = ScriptDirectory.from_config(op.get_context().config)
    for revision_id in RESTORED:
        script.get_revision(revision_id).module.upgrade()
