"""/, /healthz, and the OpenAPI document with /docs over it."""

import marshmallow as ma
from flask import Flask, current_app, request
from flask_swagger_ui import get_swaggerui_blueprint
from sqlalchemy import text

from app.common.blueprint import ApiBlueprint
from app.extensions import api, db

blp = ApiBlueprint("service", __name__, description="Health and documentation.")


class IndexOut(ma.Schema):
    name = ma.fields.String(required=True, metadata={"example": "Lecture marketplace API"})
    version = ma.fields.String(required=True, metadata={"example": "1.0"})
    docs = ma.fields.String(required=True, metadata={"example": "/docs"})
    openapi = ma.fields.String(required=True, metadata={"example": "/openapi.json"})
    health = ma.fields.String(required=True, metadata={"example": "/healthz"})


@blp.route("/", methods=["GET"])
@blp.response(200, IndexOut)
def show_index():
    """Name the API and say where its documentation and health check are."""
    config = current_app.config
    return {
        "name": config["API_TITLE"],
        "version": config["API_VERSION"],
        "docs": "/docs",
        "openapi": "/openapi.json",
        "health": "/healthz",
    }


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


def openapi_document() -> dict:
    """The OpenAPI document, with the base URL it was fetched from as its server, so that
    Postman and client generators call this host (behind a proxy: see TRUSTED_PROXIES)."""
    return {**api.spec.to_dict(), "servers": [{"url": request.url_root.rstrip("/")}]}


def register_docs(app: Flask) -> None:
    """/openapi.json, and Swagger UI over it at /docs, its files served from the
    flask-swagger-ui wheel."""
    app.add_url_rule("/openapi.json", view_func=openapi_document)
    docs = get_swaggerui_blueprint(
        "/docs", "/openapi.json", config={"app_name": app.config["API_TITLE"]}
    )
    app.register_blueprint(docs)
    app.add_url_rule(
        "/docs", endpoint="docs_index", view_func=app.view_functions["swagger_ui.show"]
    )
