"""A list's total counts its items up to MAX_TOTAL, whatever list it is."""

from sqlalchemy import select

from app.common import pagination
from app.extensions import db
from app.models import City
from tests.factories import CityFactory


def make_cities(app, count: int) -> None:
    with app.app_context():
        for n in range(count):
            CityFactory(name=f"City {n}")
        db.session.commit()


def test_a_count_stops_at_max_total(app, monkeypatch):
    make_cities(app, 5)
    monkeypatch.setattr(pagination, "MAX_TOTAL", 3)
    with app.app_context():
        assert db.session.scalar(pagination.count_of(select(City.id))) == 3
        assert db.session.scalar(pagination.count_of(select(City.id).where(City.id < 0))) == 0


def test_a_list_longer_than_max_total_says_so_and_still_pages_on(app, client, monkeypatch):
    make_cities(app, 5)
    monkeypatch.setattr(pagination, "MAX_TOTAL", 3)
    first, last = (client.get(f"/cities?per_page=2&page={page}").json for page in (1, 3))
    assert (first["total"], len(first["items"])) == (3, 2)
    assert len(last["items"]) == 1  # the fifth city, past the counted total


def test_a_list_within_max_total_counts_exactly(app, client):
    make_cities(app, 5)
    assert client.get("/cities?per_page=2").json["total"] == 5
