"""HTTP endpoints of the reviews blueprint."""

from app.common.blueprint import ApiBlueprint

blp = ApiBlueprint("reviews", __name__, description="Reviews of lectures.")
