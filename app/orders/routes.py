"""HTTP endpoints of orders and of the workflow they follow."""

from flask_login import current_user

from app.common.auth import customer_profile_of
from app.common.blueprint import ApiBlueprint
from app.common.body import Body
from app.common.limits import created_per_user
from app.common.pagination import PageArgs, page_of, paginate
from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN, CUSTOMER, LECTURER, CustomerProfile, LecturerProfile
from app.orders import booking, services
from app.orders.schemas import (
    OrderArgs,
    OrderIn,
    OrderListItemOut,
    OrderOut,
    OrderUpdate,
    ScheduleArgs,
    ScheduleOut,
    StatusChangeArgs,
    StatusChangeIn,
    StatusIn,
    StatusOut,
)

blp = ApiBlueprint("orders", __name__, description="Orders and the workflow of their statuses.")


@blp.route("/create_order", methods=["POST"])
@blp.auth(CUSTOMER)
@blp.idempotent
@created_per_user("LIMIT_ORDERS_PER_USER", "new orders")
@blp.body(OrderIn)
@blp.response(201, OrderOut)
@blp.errors(409, 429)
def create_order(body: Body):
    """Order a lecture (a customer with a profile); its chat opens with it."""
    customer = customer_profile_of(current_user)
    order = services.create_order(current_user, customer, **body.load())
    return services.visible_order(current_user, order.id)  # @blp.idempotent commits it


@blp.route("/order/<id:order_id>", methods=["GET"])
@blp.auth()
@blp.response(200, OrderOut)
@blp.errors(404)
def show_order(order_id: int):
    """Return an order with its history and the moves the caller may make (participants, admin)."""
    return services.visible_order(current_user, order_id)


@blp.route("/order/<id:order_id>", methods=["PUT"])
@blp.auth()
@blp.body(OrderUpdate)
@blp.response(200, OrderOut)
@blp.errors(403, 404, 409)
def update_order(body: Body, order_id: int):
    """Change the time or description of an order still in status created (its customer, admin)."""
    order = services.get_order(current_user, order_id)
    services.ensure_customer_or_admin(current_user, order)
    services.update_order(current_user, order, **body.load())
    updated = services.visible_order(current_user, order_id)
    db.session.commit()
    return updated


@blp.route("/order/<id:order_id>", methods=["DELETE"])
@blp.auth()
@blp.response(204)
@blp.errors(403, 404, 409)
def delete_order(order_id: int):
    """Delete an order still in status created, with its chat (its customer, admin)."""
    order = services.get_order(current_user, order_id)
    services.ensure_customer_or_admin(current_user, order)
    services.delete_order(order)
    db.session.commit()


@blp.route("/consumer_orders", methods=["GET"])
@blp.auth()
@blp.query(OrderArgs)
@blp.response(200, page_of(OrderListItemOut))
def list_my_orders(args: dict):
    """List the orders the caller takes part in (an admin: all), newest first."""
    return services.list_my_orders(current_user, **args)


def _ensure_owner_or_admin(profile: CustomerProfile | LecturerProfile | None) -> None:
    if profile is None:
        raise ApiError.not_found("No profile with this id.")
    if current_user.role != ADMIN and profile.user_id != current_user.id:
        raise ApiError.forbidden("Only the profile's owner or an admin may list its orders.")


@blp.route("/consumer_orders/<id:consumer_id>", methods=["GET"])
@blp.auth(CUSTOMER, ADMIN)
@blp.query(OrderArgs)
@blp.response(200, page_of(OrderListItemOut))
@blp.errors(403, 404)
def list_customer_orders(args: dict, consumer_id: int):
    """List a customer profile's orders, newest first (that customer, admin)."""
    _ensure_owner_or_admin(db.session.get(CustomerProfile, consumer_id))
    return services.list_orders(current_user, customer_id=consumer_id, **args)


@blp.route("/lecturer_orders/<id:lecturer_id>", methods=["GET"])
@blp.auth(LECTURER, ADMIN)
@blp.query(OrderArgs)
@blp.response(200, page_of(OrderListItemOut))
@blp.errors(403, 404)
def list_lecturer_orders(args: dict, lecturer_id: int):
    """List a lecturer profile's orders, newest first (that lecturer, admin)."""
    _ensure_owner_or_admin(db.session.get(LecturerProfile, lecturer_id))
    return services.list_orders(current_user, lecturer_id=lecturer_id, **args)


@blp.route("/change_order_status/<id:order_id>", methods=["PUT"])
@blp.auth()
@blp.query_for_body(StatusChangeArgs)
@blp.body(StatusChangeIn, required=False)
@blp.response(200, OrderOut)
@blp.errors(404, 409)
def change_order_status(query: Body, body: Body, order_id: int):
    """Move an order to another status, if the workflow lets the caller (participants, admin)."""
    order = services.get_order(current_user, order_id)
    data = body.load()
    target = data.get("status", query.load().get("status"))
    if target is None:
        raise ApiError.invalid("status", "Give the status in the body or as ?status=.")
    services.change_status(current_user, order, target, data.get("reason"))
    moved = services.visible_order(current_user, order_id)
    db.session.commit()
    return moved


@blp.route("/add_order_status", methods=["POST"])
@blp.auth(ADMIN)
@blp.body(StatusIn)
@blp.response(201, StatusOut)
@blp.errors(409)
def create_order_status(body: Body):
    """Add a status to the workflow, with its moves (admin)."""
    status = services.add_status(**body.load())
    db.session.commit()
    return services.get_status(status.id)


@blp.route("/order_statuses", methods=["GET"])
@blp.query(PageArgs)
@blp.response(200, page_of(StatusOut))
def list_order_statuses(args: dict):
    """List every status of the workflow with its moves."""
    return paginate(services.statuses_query(), **args)


@blp.route("/lecturer_schedule/<id:lecturer_id>", methods=["GET"])
@blp.query(ScheduleArgs)
@blp.response(200, ScheduleOut)
@blp.errors(404)
def show_lecturer_schedule(args: dict, lecturer_id: int):
    """When a lecturer works and is already booked, in a window of at most 92 days (anyone):
    the spans of their orders that hold time, and nothing else of those orders."""
    return booking.lecturer_schedule(lecturer_id, **args)
