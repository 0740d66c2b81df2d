"""HTTP endpoints of the orders blueprint."""

from app.common.blueprint import ApiBlueprint

blp = ApiBlueprint("orders", __name__, description="Orders and their workflow.")
