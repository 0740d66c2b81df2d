"""Reviews and the rating totals they keep on lectures and lecturer profiles."""

from sqlalchemy import Select, case, exists, select, update

from app.errors import ApiError
from app.extensions import db
from app.models import (
    ADMIN,
    Caller,
    CustomerProfile,
    Lecture,
    LectureReview,
    LecturerProfile,
    Order,
    OrderStatus,
)
from app.models.order import FINISHED


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


def add_review(
    customer: CustomerProfile, *, order_id: int, grade: int, text: str | None = None
) -> LectureReview:
    """The customer's review of a finished order; one per order (the database makes sure)."""
    order = db.session.get(Order, order_id)
    if order is None or order.customer_id != customer.id:
        raise ApiError.invalid("order_id", "No order of yours with this id.")
    if db.session.get(OrderStatus, order.status_id).code != FINISHED:
        raise ApiError.conflict("Only a finished order can be reviewed.")
    if db.session.scalar(select(exists().where(LectureReview.order_id == order.id))):
        raise ApiError.conflict("This order has a review already.")
    review = LectureReview(
        order_id=order.id,
        lecture_id=order.lecture_id,
        lecturer_id=order.lecturer_id,
        customer_id=order.customer_id,
        grade=grade,
        text=text,
    )
    db.session.add(review)
    db.session.flush()  # a second review of the order fails here, before any total moves
    move_ratings(
        lecture_id=review.lecture_id, lecturer_id=review.lecturer_id,
        grade_delta=grade, count_delta=1,
    )  # fmt: skip
    return review


def get_review(review_id: int, *, for_change: bool = False) -> LectureReview:
    """The review; for a change, its row is locked so that simultaneous changes queue up."""
    query = select(LectureReview).where(LectureReview.id == review_id)
    review = db.session.scalars(query.with_for_update() if for_change else query).first()
    if review is None:
        raise ApiError.not_found("No review with this id.")
    return review


def ensure_author_or_admin(user: Caller, review: LectureReview) -> None:
    if user.role != ADMIN and user.customer_profile_id != review.customer_id:
        raise ApiError.forbidden("Only the review's author or an admin may change it.")


def update_review(review: LectureReview, **fields) -> None:
    old_grade = review.grade
    for name, value in fields.items():
        setattr(review, name, value)
    db.session.flush()
    if review.grade != old_grade:
        move_ratings(
            lecture_id=review.lecture_id, lecturer_id=review.lecturer_id,
            grade_delta=review.grade - old_grade, count_delta=0,
        )  # fmt: skip


def delete_review(review: LectureReview) -> None:
    db.session.delete(review)
    db.session.flush()
    move_ratings(
        lecture_id=review.lecture_id, lecturer_id=review.lecturer_id,
        grade_delta=-review.grade, count_delta=-1,
    )  # fmt: skip


def reviews_query(*, lecture_id: int | None = None, lecturer_id: int | None = None) -> Select:
    """Reviews, newest first, of a lecture or of a lecturer's lectures."""
    query = select(LectureReview).order_by(LectureReview.created_at.desc(), LectureReview.id.desc())
    if lecture_id is not None:
        query = query.where(LectureReview.lecture_id == lecture_id)
    if lecturer_id is not None:
        query = query.where(LectureReview.lecturer_id == lecturer_id)
    return query
