"""Section 8: GET /reviews, the reviews of a lecture or of a lecturer, newest first."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.extensions import db
from app.models.base import utcnow
from tests.factories import LectureFactory, LecturerProfileFactory, ReviewFactory
from tests.helpers import assert_error
from tests.test_reviews import REVIEW_KEYS, UNKNOWN_ID

PAGE_KEYS = {"items", "page", "per_page", "total"}

# Bad query strings of GET /reviews.
BAD_QUERIES = [
    "lecture_id=0",
    "lecture_id=-1",
    "lecture_id=x",
    "lecture_id=1.5",
    "lecture_id=",
    "lecturer_id=0",
    "lecturer_id=x",
    "per_page=101",
    "per_page=0",
    "per_page=x",
    "page=0",
    "page=x",
]


@dataclass(frozen=True)
class Catalogue:
    """Reviews of two lectures of lecturer A and one of lecturer B, newest first by name."""

    lecturer_a: int
    lecturer_b: int
    lecture_a1: int
    lecture_a2: int
    lecture_b: int
    reviews: dict[str, int]  # name -> review id


@pytest.fixture
def catalogue(app) -> Catalogue:
    """Ids are not in the order of the times, so that the order must come from created_at."""
    now = utcnow()
    with app.app_context():
        lecturer_a, lecturer_b = LecturerProfileFactory(), LecturerProfileFactory()
        a1, a2 = LectureFactory(lecturer=lecturer_a), LectureFactory(lecturer=lecturer_a)
        b = LectureFactory(lecturer=lecturer_b)
        made = {
            "a1-old": ReviewFactory(order__lecture=a1, created_at=now - timedelta(days=5)),
            "b-new": ReviewFactory(order__lecture=b, created_at=now - timedelta(hours=1)),
            "a2-mid": ReviewFactory(order__lecture=a2, created_at=now - timedelta(days=2)),
            "a1-new": ReviewFactory(order__lecture=a1, created_at=now - timedelta(hours=2)),
            "b-old": ReviewFactory(order__lecture=b, created_at=now - timedelta(days=9)),
        }
        db.session.commit()
        return Catalogue(
            lecturer_a.id, lecturer_b.id, a1.id, a2.id, b.id,
            {name: review.id for name, review in made.items()},
        )  # fmt: skip


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"/reviews?{query}")
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def ids_of(catalogue: Catalogue, *names: str) -> list[int]:
    return [catalogue.reviews[name] for name in names]


def test_list_reviews_is_public_with_the_page_envelope(client, catalogue):
    response = client.get("/reviews")
    assert response.status_code == 200
    assert set(response.json) == PAGE_KEYS
    assert (response.json["page"], response.json["per_page"], response.json["total"]) == (1, 20, 5)


def test_list_reviews_items_have_exactly_the_review_keys(client, catalogue):
    items = client.get("/reviews").json["items"]
    assert [set(item) for item in items] == [REVIEW_KEYS] * 5


def test_list_reviews_is_newest_first(client, catalogue):
    assert listed(client) == ids_of(catalogue, "b-new", "a1-new", "a2-mid", "a1-old", "b-old")


def test_list_reviews_filters_by_lecture(client, catalogue):
    assert listed(client, f"lecture_id={catalogue.lecture_a1}") == ids_of(
        catalogue, "a1-new", "a1-old"
    )


def test_list_reviews_filters_by_lecturer(client, catalogue):
    assert listed(client, f"lecturer_id={catalogue.lecturer_a}") == ids_of(
        catalogue, "a1-new", "a2-mid", "a1-old"
    )


def test_list_reviews_filters_by_lecture_and_lecturer(client, catalogue):
    query = f"lecture_id={catalogue.lecture_a2}&lecturer_id={catalogue.lecturer_a}"
    assert listed(client, query) == ids_of(catalogue, "a2-mid")


def test_list_reviews_of_a_lecture_of_another_lecturer_is_empty(client, catalogue):
    query = f"lecture_id={catalogue.lecture_b}&lecturer_id={catalogue.lecturer_a}"
    assert listed(client, query) == []


def test_list_reviews_of_an_unknown_lecture_is_empty(client, catalogue):
    assert client.get(f"/reviews?lecture_id={UNKNOWN_ID}").json["total"] == 0


def test_list_reviews_total_counts_the_filtered_reviews(client, catalogue):
    response = client.get(f"/reviews?lecturer_id={catalogue.lecturer_b}&per_page=1")
    assert (len(response.json["items"]), response.json["total"]) == (1, 2)


def test_list_reviews_pages(client, catalogue):
    assert listed(client, "per_page=2&page=2") == ids_of(catalogue, "a2-mid", "a1-old")


def test_list_reviews_past_the_last_page_is_empty(client, catalogue):
    response = client.get("/reviews?per_page=2&page=4")
    assert (response.json["items"], response.json["total"]) == ([], 5)


def test_list_reviews_shows_a_review_as_get_does(client, catalogue):
    review_id = catalogue.reviews["a2-mid"]
    [item] = client.get(f"/reviews?lecture_id={catalogue.lecture_a2}").json["items"]
    assert item == client.get(f"/review_of_lecture/{review_id}").json


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_list_reviews_with_a_bad_query_is_400(client, catalogue, query):
    assert_error(client.get(f"/reviews?{query}"), 400, "bad_request")
