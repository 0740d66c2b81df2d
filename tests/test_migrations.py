"""The migrations build the models' schema, with the roles and the workflow as data."""

import warnings
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import load_only

from app.extensions import db
from app.models import LecturerProfile, Order
from app.models.base import utcnow
from tests.conftest import snapshot_rows
from tests.factories import CityFactory, LectureFactory, LecturerProfileFactory, OrderFactory

# The revision before the one that dropped the derived totals and their triggers.
WITH_DERIVED_DATA = "2e8c5a7f4b19"
# The revision before orders had their span (ends_at).
BEFORE_SPANS = "c6a1e9d4b2f7"
TRIGGERS = {
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
}


def schema_differences() -> list:
    """What `flask db check` finds: what autogenerate would add or change (in an app context)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        with warnings.catch_warnings():
            # SQLite cannot reflect the lower(...) unique indexes; PostgreSQL compares them.
            warnings.filterwarnings("ignore", message=".*expression-based index")
            return compare_metadata(context, db.metadata)


def test_models_and_migrations_agree(app):
    with app.app_context():
        assert schema_differences() == []


def test_the_database_keeps_nothing_up_to_date_by_itself(app):
    """No trigger: what must change together, the app changes in one transaction."""
    with app.app_context():
        assert db.session.scalars(text(TRIGGERS[db.engine.dialect.name])).all() == []


def test_downgrade_to_base_then_upgrade_gives_the_same_database(app, builtin_rows):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert snapshot_rows() == builtin_rows


def test_migrations_create_roles_and_builtin_workflow(builtin_rows):
    assert {row["code"] for row in builtin_rows["roles"]} == {"customer", "lecturer", "admin"}
    statuses = {row["id"]: row for row in builtin_rows["order_statuses"]}
    assert {(s["code"], s["title"], s["final"]) for s in statuses.values()} == {
        ("created", "Created", False),
        ("accepted", "Accepted", False),
        ("refused", "Refused", True),
        ("canceled", "Canceled", True),
        ("finished", "Finished", True),
    }
    roles = {}
    for row in builtin_rows["order_transition_roles"]:
        roles.setdefault(row["transition_id"], set()).add(row["role"])
    moves = {
        (
            statuses[t["from_status_id"]]["code"],
            statuses[t["to_status_id"]]["code"],
            frozenset(roles[t["id"]]),
            t["reason_required"],
        )
        for t in builtin_rows["order_transitions"]
    }
    assert moves == {
        ("created", "accepted", frozenset({"lecturer"}), False),
        ("created", "refused", frozenset({"lecturer"}), True),
        ("created", "canceled", frozenset({"customer"}), True),
        ("accepted", "canceled", frozenset({"customer", "lecturer"}), True),
        ("accepted", "finished", frozenset({"customer", "lecturer"}), False),
    }


def derived_data(city_id: int) -> tuple[int, int, int]:
    """The catalogue's kept total, the city's, and how many lectures hold the city."""
    return (
        db.session.scalar(text("SELECT lectures_on_offer FROM catalogue_total")),
        db.session.scalar(text(f"SELECT lectures_on_offer FROM cities WHERE id = {city_id}")),
        db.session.scalar(text(f"SELECT count(*) FROM lectures WHERE city_id = {city_id}")),
    )


def test_the_derived_data_come_back_on_downgrade_and_go_again(app):
    """Undone on a database in use, the last migration counts the totals and gives each lecture
    its lecturer's city from the rows there, with triggers that keep them; done again, it
    leaves the models' schema and every row."""
    with app.app_context():
        city = CityFactory()
        lecturer = LecturerProfileFactory(city=city)
        LectureFactory.create_batch(2, lecturer=lecturer)
        LectureFactory()
        LectureFactory(archived=True, lecturer=lecturer)
        db.session.flush()
        city_id, lecturer_id = city.id, lecturer.id
        db.session.commit()  # and nothing read after it: the migrations alter the tables
        downgrade(revision=WITH_DERIVED_DATA)
        assert derived_data(city_id) == (3, 2, 3)
        # Only the id, read afresh: columns that later migrations add are not there yet.
        db.session.expunge_all()
        lecturer = db.session.get(
            LecturerProfile, lecturer_id, options=[load_only(LecturerProfile.id)]
        )
        LectureFactory(lecturer=lecturer)
        db.session.commit()
        assert derived_data(city_id) == (4, 3, 4)
        db.session.commit()
        upgrade()
        assert schema_differences() == []
        assert db.session.scalar(text("SELECT count(*) FROM lectures")) == 5


def test_spans_are_filled_on_a_database_in_use_and_overlaps_are_kept(app, capsys):
    """Done on a database made before it, the spans migration gives each order its lecture's
    duration (60 minutes without one), keeps accepted orders that overlap and says how many
    pairs it found; undone, it takes the column away again."""
    start = utcnow().replace(microsecond=123456) + timedelta(days=7)
    with app.app_context():
        lecture = LectureFactory(duration_minutes=90)
        untimed = LectureFactory(lecturer=lecture.lecturer, duration_minutes=None)
        orders = [
            OrderFactory(lecture=lecture, status_code="accepted", scheduled_at=start),
            OrderFactory(
                lecture=untimed,
                status_code="accepted",
                scheduled_at=start + timedelta(minutes=45),
            ),
            OrderFactory(lecture=lecture, status_code="created", scheduled_at=start),
        ]
        db.session.flush()
        ids = [order.id for order in orders]
        db.session.commit()  # and nothing read after it: the migrations alter the tables
        downgrade(revision=BEFORE_SPANS)
        assert "ends_at" not in {c["name"] for c in inspect(db.engine).get_columns("orders")}
        capsys.readouterr()
        upgrade()
        assert "accepted orders of one lecturer: 1 pair(s), kept" in capsys.readouterr().out
        db.session.expunge_all()
        ends = {order.id: order.ends_at for order in db.session.scalars(select(Order))}
        assert [ends[order_id] - start for order_id in ids] == [
            timedelta(minutes=90),
            timedelta(minutes=105),
            timedelta(minutes=90),
        ]
        assert schema_differences() == []
