"""/healthz, and /docs over the generated /openapi.json."""

import marshmallow as ma
from flask import Flask
from flask_swagger_ui import get_swaggerui_blueprint
from sqlalchemy import text

from app.common.blueprint import ApiBlueprint
from app.extensions import db

blp = ApiBlueprint("service", __name__, description="Health and documentation.")


class HealthOut(ma.Schema):
    status = ma.fields.String(required=True, metadata={"example": "ok"})
    database = ma.fields.String(required=True, metadata={"example": "ok"})


@blp.route("/healthz", methods=["GET"])
@blp.response(200, HealthOut)
@blp.errors(503)
def check_health():
    """Report whether the server and its database answer (503 if the database does not)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}


def register_docs(app: Flask) -> None:
    """Swagger UI at /docs, its files served from the flask-swagger-ui wheel."""
    docs = get_swaggerui_blueprint(
        "/docs", "/openapi.json", config={"app_name": app.config["API_TITLE"]}
    )
    app.register_blueprint(docs)
    app.add_url_rule(
        "/docs", endpoint="docs_index", view_func=app.view_functions["swagger_ui.show"]
    )
