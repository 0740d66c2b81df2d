"""HTTP endpoints of the lectures blueprint."""

from app.common.blueprint import ApiBlueprint

blp = ApiBlueprint("lectures", __name__, description="Lectures on offer.")
