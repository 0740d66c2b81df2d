"""Cities; profiles come next to them."""

from sqlalchemy import Select, func, select

from app.errors import ApiError
from app.extensions import db
from app.models import City


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
