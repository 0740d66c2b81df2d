"""Every table of the system, importable from one place."""

from app.models.chat import Chat, ChatMessage, ChatReadMarker
from app.models.city import City
from app.models.idempotency import IdempotencyKey
from app.models.lecture import Lecture
from app.models.order import (
    Order,
    OrderStatus,
    OrderStatusHistory,
    OrderTransition,
    OrderTransitionRole,
)
from app.models.profile import (
    ConsumerContactInfo,
    CustomerProfile,
    LecturerContactInfo,
    LecturerProfile,
)
from app.models.review import LectureReview
from app.models.user import ADMIN, CUSTOMER, LECTURER, SIGNUP_ROLES, ApiToken, Caller, Role, User

__all__ = [
    "ADMIN",
    "CUSTOMER",
    "LECTURER",
    "SIGNUP_ROLES",
    "ApiToken",
    "Caller",
    "Chat",
    "ChatMessage",
    "ChatReadMarker",
    "City",
    "ConsumerContactInfo",
    "CustomerProfile",
    "IdempotencyKey",
    "Lecture",
    "LectureReview",
    "LecturerContactInfo",
    "LecturerProfile",
    "Order",
    "OrderStatus",
    "OrderStatusHistory",
    "OrderTransition",
    "OrderTransitionRole",
    "Role",
    "User",
]
