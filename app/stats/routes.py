"""HTTP endpoints of the stats blueprint."""

from app.common.blueprint import ApiBlueprint

blp = ApiBlueprint("stats", __name__, description="Ratings and order statistics.")
