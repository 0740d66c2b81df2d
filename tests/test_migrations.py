"""The migrations build the models' schema, with the roles and the workflow as data."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from app.extensions import db
from app.models import CatalogueTotal, City, Lecture, LecturerContactInfo
from tests.conftest import snapshot_rows
from tests.factories import CityFactory, LectureFactory, LecturerProfileFactory


def test_models_and_migrations_agree(app):
    """What `flask db check` does: autogenerate finds nothing to add or change."""
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        with warnings.catch_warnings():
            # SQLite cannot reflect the lower(...) unique indexes; PostgreSQL compares them.
            warnings.filterwarnings("ignore", message=".*expression-based index")
            assert compare_metadata(context, db.metadata) == []


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


def test_catalogue_totals_start_from_the_lectures_already_there(app):
    """Migrations 7d3e9a41b6c2, e5b2d7c9a1f4, b7c3e1d9f052 and f3a9c2e7b8d1 count the lectures
    of a database in use and give each its lecturer's city."""
    with app.app_context():
        city = CityFactory()
        LectureFactory.create_batch(2, lecturer=LecturerProfileFactory(city=city))
        LectureFactory()
        LectureFactory(archived=True, lecturer=LecturerProfileFactory(city=city))
        db.session.flush()
        city_id = city.id
        db.session.commit()  # and nothing read after it: the downgrade alters the tables
        downgrade(revision="5b8e1f0c2d7a")
        upgrade()
        assert db.session.scalar(select(CatalogueTotal.lectures_on_offer)) == 3
        assert db.session.get(City, city_id).lectures_on_offer == 2
        city_of_lecturer = select(Lecture.id, LecturerContactInfo.city_id).outerjoin(
            LecturerContactInfo, LecturerContactInfo.profile_id == Lecture.lecturer_id
        )
        kept = dict(db.session.execute(select(Lecture.id, Lecture.city_id)).all())
        assert kept == dict(db.session.execute(city_of_lecturer).all())
        assert list(kept.values()).count(city_id) == 3
