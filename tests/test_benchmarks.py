"""benchmarks/load.py: what a run says it measures."""

import pytest

from benchmarks.load import database_kind, options


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
