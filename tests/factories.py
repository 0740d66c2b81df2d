"""factory_boy factories; they flush into db.session, the caller commits."""

from datetime import timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Chat,
    ChatMessage,
    ChatReadMarker,
    City,
    ConsumerContactInfo,
    CustomerProfile,
    Lecture,
    LecturerContactInfo,
    LectureReview,
    LecturerProfile,
    Order,
    OrderStatus,
    OrderStatusHistory,
    User,
)
from app.models.base import utcnow
from app.reviews.services import move_ratings

PASSWORD = "correct-horse-42"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    role = "customer"
    password_hash = ""

    @factory.post_generation
    def password(user, create, value, **kwargs):
        user.set_password(value or PASSWORD)


class CityFactory(BaseFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    timezone = "Europe/Moscow"


class LecturerProfileFactory(BaseFactory):
    """A lecturer profile; `city` (a City) puts it in that city."""

    class Meta:
        model = LecturerProfile

    class Params:
        city = None

    user = factory.SubFactory(UserFactory, role="lecturer")
    first_name = factory.Sequence(lambda n: f"Lena{n}")
    last_name = "Lecturer"
    experience = "Ten years on stage."
    contact_info = factory.LazyAttribute(
        lambda o: LecturerContactInfo(email=f"lecturer-{o.first_name}@example.com", city=o.city)
    )


class CustomerProfileFactory(BaseFactory):
    class Meta:
        model = CustomerProfile

    class Params:
        city = None

    user = factory.SubFactory(UserFactory, role="customer")
    first_name = factory.Sequence(lambda n: f"Carl{n}")
    last_name = "Customer"
    contact_info = factory.LazyAttribute(
        lambda o: ConsumerContactInfo(
            email=f"customer-{o.first_name}@example.com", phone="+7 999 000-00-00",
            company="Acme", city=o.city,
        )
    )  # fmt: skip


class LectureFactory(BaseFactory):
    class Meta:
        model = Lecture

    lecturer = factory.SubFactory(LecturerProfileFactory)
    title = factory.Sequence(lambda n: f"Lecture {n}")
    description = "A talk."
    duration_minutes = 60
    price_cents = 150000


def status_named(code: str) -> OrderStatus:
    return db.session.scalars(select(OrderStatus).where(OrderStatus.code == code)).one()


class OrderFactory(BaseFactory):
    """An order of a lecture; `status_code` names its status (created by default)."""

    class Meta:
        model = Order

    class Params:
        status_code = "created"

    lecture = factory.SubFactory(LectureFactory)
    lecturer = factory.SelfAttribute("lecture.lecturer")
    customer = factory.SubFactory(CustomerProfileFactory)
    status = factory.LazyAttribute(lambda o: status_named(o.status_code))
    scheduled_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))
    ends_at = factory.LazyAttribute(
        lambda o: o.scheduled_at + timedelta(minutes=o.lecture.duration_minutes or 60)
    )
    history = factory.LazyAttribute(
        lambda o: [OrderStatusHistory(to_status_id=o.status.id, by_user_id=o.customer.user_id)]
    )
    chat = factory.LazyAttribute(
        lambda o: Chat(
            read_markers=[
                ChatReadMarker(user_id=o.customer.user_id),
                ChatReadMarker(user_id=o.lecturer.user_id),
            ]
        )
    )


class MessageFactory(BaseFactory):
    """A message in an order's chat, from its customer unless `from_lecturer` is set."""

    class Meta:
        model = ChatMessage

    class Params:
        order = factory.SubFactory(OrderFactory)
        from_lecturer = False

    chat_id = factory.SelfAttribute("order.chat.id")
    sender_id = factory.LazyAttribute(
        lambda o: o.order.lecturer.user_id if o.from_lecturer else o.order.customer.user_id
    )
    recipient_id = factory.LazyAttribute(
        lambda o: o.order.customer.user_id if o.from_lecturer else o.order.lecturer.user_id
    )
    text = factory.Sequence(lambda n: f"Message {n}")


class ReviewFactory(BaseFactory):
    """A review of a finished order, moving the rating totals as the API does."""

    class Meta:
        model = LectureReview

    order = factory.SubFactory(OrderFactory, status_code="finished")
    lecture_id = factory.SelfAttribute("order.lecture_id")
    lecturer_id = factory.SelfAttribute("order.lecturer_id")
    customer_id = factory.SelfAttribute("order.customer_id")
    grade = 5
    text = "Great."

    @factory.post_generation
    def ratings(review, create, value, **kwargs):
        move_ratings(
            lecture_id=review.lecture_id,
            lecturer_id=review.lecturer_id,
            grade_delta=review.grade,
            count_delta=1,
        )
