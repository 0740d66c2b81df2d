"""GET /lectures?q=: the total of a search is kept (SearchTotal) while the lectures' text and
offer stay as they were counted, and is always the count of the lectures that match."""

import pytest
from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.lectures import services
from app.lectures.services import contains_pattern
from app.models import CatalogueTotal, Lecture, SearchTotal
from tests.factories import LectureFactory, ReviewFactory

WORD = "python"


def matching(app, word: str = WORD) -> int:
    """The lectures on offer whose title or description holds the word, counted afresh."""
    holds = or_(
        func.lower(Lecture.title).contains(word), func.lower(Lecture.description).contains(word)
    )
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Lecture).where(Lecture.archived.is_(False), holds)
        )


def kept(app) -> dict[str, tuple[int, int]]:
    """The kept totals: pattern → (catalogue version, total)."""
    with app.app_context():
        rows = db.session.execute(select(SearchTotal)).scalars()
        return {row.pattern: (row.catalogue_version, row.total) for row in rows}


def text_version(app) -> int:
    with app.app_context():
        return db.session.scalar(select(CatalogueTotal.text_version))


def search(client, word: str = WORD) -> int:
    response = client.get("/lectures", query_string={"q": word, "per_page": 1})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["total"]


def change(app, write) -> None:
    with app.app_context():
        write()
        db.session.commit()


def test_a_search_keeps_its_total_at_the_current_version(app, client):
    change(app, lambda: LectureFactory.create_batch(2, title="Python now"))
    assert search(client) == 2
    assert kept(app) == {contains_pattern(WORD): (text_version(app), 2)}


def test_a_repeated_search_reads_its_kept_total(app, client):
    """Shown by a kept total that no longer matches the lectures: the search answers it,
    as it reads rather than counts."""
    change(app, lambda: LectureFactory(title="Python"))
    search(client)
    change(app, lambda: db.session.execute(update(SearchTotal).values(total=41)))
    assert search(client) == 41


def test_search_totals_follow_every_change_of_the_lectures_text_or_offer(app, client):
    """Whatever writes the lectures, through the ORM or in plain SQL, a search's total is the
    count of the lectures on offer that match it."""
    table = Lecture.__table__
    first, oldest, newest = "Go basics", func.min(table.c.id), func.max(table.c.id)

    def where(condition):
        return table.update().where(condition)

    def by_id(extreme):
        return table.c.id == select(extreme).scalar_subquery()

    writes = [
        lambda: LectureFactory.create_batch(3, title="Python basics"),
        lambda: LectureFactory(title=first, description="A python appears."),
        lambda: LectureFactory(title="Archived Python", archived=True),
        lambda: db.session.execute(where(table.c.title == first).values(description="")),
        lambda: db.session.execute(where(table.c.archived).values(archived=False)),
        lambda: db.session.execute(where(by_id(oldest)).values(archived=True)),
        lambda: db.session.execute(table.update().values(title="Renamed")),
        lambda: db.session.execute(table.update().values(title="PYTHON again")),
        lambda: db.session.execute(table.delete().where(by_id(newest))),
        lambda: db.session.execute(table.delete()),
    ]  # fmt: skip
    for write in writes:
        before = text_version(app)
        change(app, write)
        assert text_version(app) > before
        assert search(client) == matching(app)
        assert search(client) == matching(app)  # the kept total, read
    assert matching(app) == 0


def test_writes_that_leave_the_text_alone_keep_the_version(app, client):
    """A review moves its lecture's rating, an edit its price: no search's total changes."""
    change(app, lambda: LectureFactory(title="Python"))
    search(client)
    version = text_version(app)
    with app.app_context():
        lecture = db.session.scalar(select(Lecture))
        ReviewFactory(order__lecture=lecture, grade=4)
        lecture.price_cents = 5000
        db.session.commit()
    assert text_version(app) == version
    assert kept(app) == {contains_pattern(WORD): (version, 1)}


def test_keeping_forgets_the_totals_of_older_versions_and_never_goes_back(app, client):
    change(app, lambda: LectureFactory(title="Python and Go"))
    search(client, "go")
    change(app, lambda: LectureFactory(title="Python"))
    search(client)
    version = text_version(app)
    assert kept(app) == {contains_pattern(WORD): (version, 2)}
    with app.app_context():
        services.keep_search_total(contains_pattern(WORD), version - 1, 1)
    assert kept(app) == {contains_pattern(WORD): (version, 2)}


def test_searches_beyond_the_bound_are_counted_but_not_kept(app, client, monkeypatch):
    monkeypatch.setattr(services, "MAX_KEPT_SEARCHES", 2)
    change(app, lambda: LectureFactory(title="Python for data work"))
    assert [search(client, word) for word in ("python", "data", "work")] == [1, 1, 1]
    assert set(kept(app)) == {contains_pattern("python"), contains_pattern("data")}


def test_a_search_answers_when_its_total_cannot_be_kept(app, client, monkeypatch):
    """Keeping is a write, which a busy database may refuse; the search does not fail."""

    def refuse(_engine):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    change(app, lambda: LectureFactory(title="Python"))
    monkeypatch.setattr(Engine, "begin", refuse)
    assert search(client) == 1
    monkeypatch.undo()
    assert kept(app) == {}


@pytest.mark.parametrize("query", ["q=python&min_rating=1", "q=python&lecturer_id=1"])
def test_a_search_with_other_filters_is_counted_not_kept(app, client, query):
    change(app, lambda: LectureFactory(title="Python"))
    assert client.get(f"/lectures?{query}").status_code == 200
    assert kept(app) == {}


def test_a_page_past_the_last_gives_the_search_total(app, client):
    """Such a page has no row to carry its total: the total is read, or counted, alone."""
    change(app, lambda: LectureFactory.create_batch(3, title="Python"))
    pages = [client.get("/lectures?q=python&per_page=2&page=9") for _ in range(2)]
    assert [(page.json["items"], page.json["total"]) for page in pages] == [([], 3), ([], 3)]
    assert kept(app) == {contains_pattern(WORD): (text_version(app), 3)}
