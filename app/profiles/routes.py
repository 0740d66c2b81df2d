"""HTTP endpoints of sections 3 and 4: cities and profiles."""

from app.common.blueprint import ApiBlueprint
from app.common.pagination import page_of, paginate
from app.extensions import db
from app.models import ADMIN
from app.profiles import services
from app.profiles.schemas import CityArgs, CityIn, CityOut

blp = ApiBlueprint("profiles", __name__, description="Lecturer and customer profiles, cities.")


@blp.route("/add_city", methods=["POST"])
@blp.auth(ADMIN)
@blp.body(CityIn)
@blp.response(201, CityOut)
@blp.errors(409)
def create_city(data: dict):
    """Add a city (admin)."""
    city = services.create_city(**data)
    db.session.commit()
    return city


@blp.route("/cities", methods=["GET"])
@blp.query(CityArgs)
@blp.response(200, page_of(CityOut))
def list_cities(args: dict):
    """List cities by name, optionally those whose name contains `q`."""
    return paginate(services.cities_query(args.pop("q", None)), **args)
