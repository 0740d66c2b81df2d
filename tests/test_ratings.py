"""The rating totals on lectures and lecturer profiles match the reviews behind them."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Lecture, LectureReview, LecturerProfile
from app.reviews.services import move_ratings
from tests.factories import LectureFactory, LecturerProfileFactory, ReviewFactory


def recount(review_column, row_id) -> tuple[float | None, int]:
    avg, count = db.session.execute(
        select(func.avg(LectureReview.grade), func.count()).where(review_column == row_id)
    ).one()
    return (None if avg is None else float(avg)), count


def stored(model, row_id) -> tuple[float | None, int]:
    row = db.session.get(model, row_id, populate_existing=True)
    return row.avg_rating, row.reviews_count


@pytest.fixture
def lecturer_with_reviews(app) -> tuple[int, list[int]]:
    with app.app_context():
        lecturer = LecturerProfileFactory()
        lectures = LectureFactory.create_batch(3, lecturer=lecturer)
        for lecture, grades in zip(lectures, ([5, 4, 4], [1], []), strict=True):
            for grade in grades:
                ReviewFactory(order__lecture=lecture, grade=grade)
        db.session.commit()
        return lecturer.id, [lecture.id for lecture in lectures]


def test_totals_equal_a_fresh_average_and_count(app, lecturer_with_reviews):
    lecturer_id, lecture_ids = lecturer_with_reviews
    with app.app_context():
        for lecture_id in lecture_ids:
            assert stored(Lecture, lecture_id) == pytest.approx(
                recount(LectureReview.lecture_id, lecture_id)
            )
        assert stored(LecturerProfile, lecturer_id) == pytest.approx((3.5, 4))


def test_lecture_without_reviews_has_no_rating(app, lecturer_with_reviews):
    _, (_, _, unreviewed) = lecturer_with_reviews
    with app.app_context():
        assert stored(Lecture, unreviewed) == (None, 0)


def test_removing_every_review_brings_the_rating_back_to_none(app, lecturer_with_reviews):
    lecturer_id, (_, single, _) = lecturer_with_reviews
    with app.app_context():
        move_ratings(lecture_id=single, lecturer_id=lecturer_id, grade_delta=-1, count_delta=-1)
        db.session.commit()
        assert stored(Lecture, single) == (None, 0)
        assert stored(LecturerProfile, lecturer_id) == pytest.approx((13 / 3, 3))


def test_api_rounds_the_average_to_two_decimals(client, lecturer_with_reviews):
    lecturer_id, (three_reviews, _, _) = lecturer_with_reviews
    assert client.get(f"/lecture/{three_reviews}").json["avg_rating"] == 4.33
    assert client.get(f"/lecture_profile/{lecturer_id}").json["avg_rating"] == 3.5


def test_halves_round_up(app, client):
    with app.app_context():
        lecture = LectureFactory()
        for grade in (5, 5, 5, 5, 5, 5, 2, 1):  # 33 / 8 = 4.125
            ReviewFactory(order__lecture=lecture, grade=grade)
        db.session.commit()
        lecture_id = lecture.id
    assert client.get(f"/lecture/{lecture_id}").json["avg_rating"] == 4.13
