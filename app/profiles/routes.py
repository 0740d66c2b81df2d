"""HTTP endpoints of cities and profiles."""

from flask_login import current_user

from app.common.blueprint import ApiBlueprint
from app.common.body import Body
from app.common.pagination import page_of, paginate
from app.errors import ApiError
from app.extensions import db
from app.models import ADMIN, CUSTOMER, LECTURER, CustomerProfile, LecturerProfile
from app.profiles import services
from app.profiles.schemas import (
    CityArgs,
    CityIn,
    CityOut,
    CustomerProfileIn,
    CustomerProfileOut,
    CustomerProfileUpdate,
    LecturerProfileIn,
    LecturerProfileOut,
    LecturerProfileUpdate,
)

blp = ApiBlueprint("profiles", __name__, description="Lecturer and customer profiles, cities.")


@blp.route("/add_city", methods=["POST"])
@blp.auth(ADMIN)
@blp.body(CityIn)
@blp.response(201, CityOut)
@blp.errors(409)
def create_city(body: Body):
    """Add a city (admin)."""
    city = services.create_city(**body.load())
    db.session.commit()
    return city


@blp.route("/cities", methods=["GET"])
@blp.query(CityArgs)
@blp.response(200, page_of(CityOut))
def list_cities(args: dict):
    """List cities by name, optionally those whose name contains `q`."""
    return paginate(services.cities_query(args.pop("q", None)), **args)


@blp.route("/create_lecture_profile", methods=["POST"])
@blp.auth(LECTURER)
@blp.body(LecturerProfileIn)
@blp.response(201, LecturerProfileOut)
@blp.errors(409)
def create_lecturer_profile(body: Body):
    """Create the calling lecturer's profile."""
    profile = services.create_profile(current_user, LecturerProfile, **body.load())
    db.session.commit()
    return services.show_lecturer_profile(profile.id)


@blp.route("/create_lecture_profile", methods=["GET"])
@blp.auth(LECTURER)
@blp.response(200, LecturerProfileOut)
@blp.errors(404)
def show_own_lecturer_profile():
    """Return the calling lecturer's own profile (404 until it is created)."""
    if current_user.lecturer_profile_id is None:
        raise ApiError.not_found("You have no lecturer profile yet.")
    return services.show_lecturer_profile(current_user.lecturer_profile_id)


@blp.route("/lecture_profile/<id:profile_id>", methods=["GET"])
@blp.response(200, LecturerProfileOut)
@blp.errors(404)
def show_lecturer_profile(profile_id: int):
    """Return a lecturer profile with its lectures and ratings."""
    return services.show_lecturer_profile(profile_id)


@blp.route("/lecture_profile/<id:profile_id>", methods=["PUT"])
@blp.auth(LECTURER, ADMIN)
@blp.body(LecturerProfileUpdate)
@blp.response(200, LecturerProfileOut)
@blp.errors(403, 404)
def update_lecturer_profile(body: Body, profile_id: int):
    """Change some fields of a lecturer profile (its owner or an admin)."""
    profile = services.get_lecturer_profile(profile_id)
    services.ensure_owner_or_admin(current_user, profile)
    services.update_profile(profile, **body.load())
    db.session.commit()
    return services.show_lecturer_profile(profile_id)


@blp.route("/create_customer_profile", methods=["POST"])
@blp.auth(CUSTOMER)
@blp.body(CustomerProfileIn)
@blp.response(201, CustomerProfileOut)
@blp.errors(409)
def create_customer_profile(body: Body):
    """Create the calling customer's profile."""
    profile = services.create_profile(current_user, CustomerProfile, **body.load())
    db.session.commit()
    return services.customer_profile_for(current_user, services.get_customer_profile(profile.id))


@blp.route("/customer_profile/<id:profile_id>", methods=["GET"])
@blp.response(200, CustomerProfileOut)
@blp.errors(404)
def show_customer_profile(profile_id: int):
    """Return a customer profile; its contact info only to those allowed to see it."""
    profile = services.get_customer_profile(profile_id)
    return services.customer_profile_for(current_user, profile)


@blp.route("/customer_profile/<id:profile_id>", methods=["PUT"])
@blp.auth(CUSTOMER, ADMIN)
@blp.body(CustomerProfileUpdate)
@blp.response(200, CustomerProfileOut)
@blp.errors(403, 404)
def update_customer_profile(body: Body, profile_id: int):
    """Change some fields of a customer profile (its owner or an admin)."""
    profile = services.get_customer_profile(profile_id)
    services.ensure_owner_or_admin(current_user, profile)
    services.update_profile(profile, **body.load())
    db.session.commit()
    return services.customer_profile_for(current_user, services.get_customer_profile(profile_id))
