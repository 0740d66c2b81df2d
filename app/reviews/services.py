"""Reviews and the rating aggregates they keep on lectures and lecturer profiles."""

from sqlalchemy import case, update

from app.extensions import db
from app.models import Lecture, LecturerProfile


def move_ratings(*, lecture_id: int, lecturer_id: int, grade_delta: int, count_delta: int) -> None:
    """Add a review change to the running totals of its lecture and its lecturer.

    Atomic SQL in the caller's transaction: concurrent reviews never lose an update, and
    avg_rating (which the catalogue sorts and filters on) is always sum / count.
    """
    for model, row_id in ((Lecture, lecture_id), (LecturerProfile, lecturer_id)):
        count = model.reviews_count + count_delta
        db.session.execute(
            update(model)
            .where(model.id == row_id)
            .values(
                rating_sum=model.rating_sum + grade_delta,
                reviews_count=count,
                avg_rating=case(
                    (count > 0, (model.rating_sum + grade_delta) * 1.0 / count), else_=None
                ),
                updated_at=model.updated_at,  # a review is not an edit of the lecture
            )
            .execution_options(synchronize_session=False)
        )
