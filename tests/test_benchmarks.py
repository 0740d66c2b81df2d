"""benchmarks/load.py: what a run says it measures; benchmarks/floor.py: what it reads."""

import importlib
import sys

import pytest

from app.extensions import db
from benchmarks.load import database_kind, options
from tests.factories import LectureFactory


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        ([], "sqlite"),
        (["--database", "postgres"], "postgres"),
        (["--database-url", "postgresql+psycopg://postgres@127.0.0.1:5432/bench"], "postgres"),
        (["--database", "postgres", "--database-url", "sqlite:////tmp/bench.db"], "sqlite"),
    ],
)
def test_a_run_is_titled_with_the_kind_of_database_it_measures(argv, kind):
    """An existing database given by its URL names the kind, whatever --database says."""
    assert database_kind(options(argv)) == kind


@pytest.fixture
def floor(app, database_url, monkeypatch):
    """benchmarks/floor.py over the test database, with one lecture to read."""
    with app.app_context():
        lecture = LectureFactory(title="Read by the floor", price_cents=1500)
        db.session.commit()
        lecture_id = lecture.id
    monkeypatch.setenv("DATABASE_URL", database_url)
    sys.modules.pop("benchmarks.floor", None)
    module = importlib.import_module("benchmarks.floor")
    yield module.app.test_client(), lecture_id
    if module._driver_connection is not None:
        module._driver_connection.close()
    module.engine.dispose()
    sys.modules.pop("benchmarks.floor", None)


@pytest.mark.parametrize("path", ["/sqlalchemy", "/driver"])
def test_the_floor_reads_one_lecture_by_id(floor, path):
    client, lecture_id = floor
    answer = {"id": lecture_id, "title": "Read by the floor", "price_cents": 1500}
    for _ in range(2):  # the driver's connection, opened by the first request, serves the next
        assert client.get(f"{path}/{lecture_id}").json == answer
    assert client.get(f"{path}/{lecture_id + 1}").status_code == 404
