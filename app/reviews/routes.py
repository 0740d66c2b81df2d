"""HTTP endpoints of lecture reviews."""

from flask_login import current_user

from app.common.auth import customer_profile_of
from app.common.blueprint import ApiBlueprint
from app.common.body import Body
from app.common.pagination import page_of, paginate
from app.extensions import db
from app.models import ADMIN, CUSTOMER
from app.reviews import services
from app.reviews.schemas import ReviewArgs, ReviewIn, ReviewOut, ReviewUpdate

blp = ApiBlueprint("reviews", __name__, description="Reviews of lectures.")


@blp.route("/add_lecture_review", methods=["POST"])
@blp.auth(CUSTOMER)
@blp.body(ReviewIn)
@blp.response(201, ReviewOut)
@blp.errors(409)
def create_review(body: Body):
    """Review the lecture of a finished order (the order's customer; one review per order)."""
    customer = customer_profile_of(current_user)
    review = services.add_review(customer, **body.load())
    db.session.commit()
    return review


@blp.route("/review_of_lecture/<id:review_id>", methods=["GET"])
@blp.response(200, ReviewOut)
@blp.errors(404)
def show_review(review_id: int):
    """Return a review."""
    return services.get_review(review_id)


@blp.route("/review_of_lecture/<id:review_id>", methods=["PUT"])
@blp.auth(CUSTOMER, ADMIN)
@blp.body(ReviewUpdate)
@blp.response(200, ReviewOut)
@blp.errors(403, 404)
def update_review(body: Body, review_id: int):
    """Change the grade or text of a review (its author, admin)."""
    review = services.get_review(review_id, for_change=True)
    services.ensure_author_or_admin(current_user, review)
    services.update_review(review, **body.load())
    db.session.commit()
    return review


@blp.route("/review_of_lecture/<id:review_id>", methods=["DELETE"])
@blp.auth(CUSTOMER, ADMIN)
@blp.response(204)
@blp.errors(403, 404)
def delete_review(review_id: int):
    """Delete a review (its author, admin)."""
    review = services.get_review(review_id, for_change=True)
    services.ensure_author_or_admin(current_user, review)
    services.delete_review(review)
    db.session.commit()


@blp.route("/reviews", methods=["GET"])
@blp.query(ReviewArgs)
@blp.response(200, page_of(ReviewOut))
def list_reviews(args: dict):
    """List reviews, newest first, of a lecture or of a lecturer."""
    page, per_page = args.pop("page"), args.pop("per_page")
    return paginate(services.reviews_query(**args), page=page, per_page=per_page)
