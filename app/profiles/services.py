"""Cities and profiles: creating, reading and partly updating them."""

from flask_login import AnonymousUserMixin
from sqlalchemy import Select, bindparam, exists, false, func, select
from sqlalchemy.orm import joinedload, undefer

from app.common.views import ViewOf
from app.errors import ApiError
from app.extensions import db
from app.models import (
    ADMIN,
    Caller,
    City,
    ConsumerContactInfo,
    CustomerProfile,
    Lecture,
    LecturerContactInfo,
    LecturerProfile,
    Order,
)
from app.models.base import utcnow

Viewer = Caller | AnonymousUserMixin  # who reads a profile: logged in or not


def create_city(*, name: str, timezone: str) -> City:
    if db.session.scalar(select(City.id).where(func.lower(City.name) == func.lower(name))):
        raise ApiError.conflict("A city of that name is already there.")
    city = City(name=name, timezone=timezone)
    db.session.add(city)
    db.session.flush()
    return city


def cities_query(q: str | None = None) -> Select:
    """Cities by name; q keeps those whose name holds it, whatever the case."""
    query = select(City).order_by(func.lower(City.name), City.id)
    if q:
        query = query.where(func.lower(City.name).contains(q.lower(), autoescape=True))
    return query


def _check_city(contact_info: dict) -> None:
    city_id = contact_info.get("city_id")
    if city_id is not None and db.session.get(City, city_id) is None:
        raise ApiError(422, fields={"contact_info": {"city_id": ["No city with this id."]}})


def create_profile(
    user: Caller, kind: type[LecturerProfile | CustomerProfile], *, contact_info: dict, **fields
) -> LecturerProfile | CustomerProfile:
    """The user's profile of that kind, with its contact info; one of each kind per user."""
    _check_city(contact_info)
    if kind is LecturerProfile:
        existing, contact, name = user.lecturer_profile_id, LecturerContactInfo, "lecturer"
    else:
        existing, contact, name = user.customer_profile_id, ConsumerContactInfo, "customer"
    if existing is not None:
        raise ApiError.conflict(f"You have a {name} profile already.")
    profile = kind(user_id=user.id, contact_info=contact(**contact_info), **fields)
    db.session.add(profile)
    db.session.flush()
    return profile


def ensure_owner_or_admin(user: Caller, profile: LecturerProfile | CustomerProfile) -> None:
    if user.role != ADMIN and user.id != profile.user_id:
        raise ApiError.forbidden("Only the profile's owner or an admin may change it.")


def update_profile(
    profile: LecturerProfile | CustomerProfile, *, contact_info=None, **fields
) -> None:
    """Change the fields given, also inside contact_info (the caller checked who may)."""
    if contact_info:
        _check_city(contact_info)
        for name, value in contact_info.items():
            setattr(profile.contact_info, name, value)
    for name, value in fields.items():
        setattr(profile, name, value)
    if contact_info or fields:
        profile.updated_at = utcnow()  # also when only the contact info changed
    db.session.flush()


def _profile_shown(
    kind: type[LecturerProfile | CustomerProfile],
    contact: type[LecturerContactInfo | ConsumerContactInfo],
) -> Select:
    """A profile with all it shows, its contact info and city included, in one statement.
    populate_existing: a profile just changed in the session is read as it now is (its
    city too)."""
    return (
        select(kind)
        .where(kind.id == bindparam("profile_id"))
        .options(
            joinedload(kind.contact_info).joinedload(contact.city), undefer(kind.finished_orders)
        )
        .execution_options(populate_existing=True)
    )


CUSTOMER_PROFILE_SHOWN = _profile_shown(CustomerProfile, ConsumerContactInfo)
LECTURER_PROFILE_SHOWN = _profile_shown(LecturerProfile, LecturerContactInfo)
# A lecturer profile to change: with its contact info, which a change may write.
LECTURER_PROFILE_TO_CHANGE = (
    select(LecturerProfile)
    .where(LecturerProfile.id == bindparam("profile_id"))
    .options(joinedload(LecturerProfile.contact_info))
)
# A lecturer's lectures in the catalogue, as the id and title a profile shows of each.
LECTURES_ON_OFFER_OF = (
    select(Lecture.id, Lecture.title)
    .where(Lecture.lecturer_id == bindparam("profile_id"), Lecture.archived == false())
    .order_by(Lecture.id)
)


def _read_profile(
    statement: Select, profile_id: int, kind: str
) -> LecturerProfile | CustomerProfile:
    profile = db.session.scalars(statement, {"profile_id": profile_id}).first()
    if profile is None:
        raise ApiError.not_found(f"No {kind} profile with this id.")
    return profile


def get_lecturer_profile(profile_id: int) -> LecturerProfile:
    return _read_profile(LECTURER_PROFILE_TO_CHANGE, profile_id, "lecturer")


def show_lecturer_profile(profile_id: int) -> ViewOf:
    """A lecturer profile with its lectures on offer."""
    profile = _read_profile(LECTURER_PROFILE_SHOWN, profile_id, "lecturer")
    lectures = db.session.execute(LECTURES_ON_OFFER_OF, {"profile_id": profile_id}).all()
    return ViewOf(profile, lectures_on_offer=lectures)


def get_customer_profile(profile_id: int) -> CustomerProfile:
    return _read_profile(CUSTOMER_PROFILE_SHOWN, profile_id, "customer")


def may_see_contacts(viewer: Viewer, profile: CustomerProfile) -> bool:
    """The owner, an admin, and a lecturer who has an order from this customer."""
    if not viewer.is_authenticated:
        return False
    if viewer.role == ADMIN or viewer.id == profile.user_id:
        return True
    lecturer_id = viewer.lecturer_profile_id
    return lecturer_id is not None and db.session.scalar(
        select(exists().where(Order.customer_id == profile.id, Order.lecturer_id == lecturer_id))
    )


def customer_profile_for(viewer: Viewer, profile: CustomerProfile) -> CustomerProfile | ViewOf:
    """The profile as viewer sees it: contact info hidden unless they may see it."""
    return profile if may_see_contacts(viewer, profile) else ViewOf(profile, contact_info=None)
