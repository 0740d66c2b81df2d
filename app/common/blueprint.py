"""ApiBlueprint: flask-smorest's Blueprint with this API's bodies, errors and auth docs."""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

import marshmallow as ma
from flask import request
from flask_login import current_user
from flask_smorest import Blueprint

from app.common.auth import bearer_token, ensure_role
from app.common.body import Body
from app.common.idempotency import HEADER_DOC, idempotent
from app.errors import ApiError

SECURITY = [{"bearerAuth": []}, {"sessionCookie": []}]


def _instance(schema: type[ma.Schema] | ma.Schema) -> ma.Schema:
    return schema() if isinstance(schema, type) else schema


def not_logged_in() -> ApiError:
    """401; for a bearer token that let nobody in, one that says the token was refused."""
    return ApiError.invalid_token() if bearer_token(request) else ApiError.unauthorized()


class ApiBlueprint(Blueprint):
    def errors(self, *codes: int, **documentation) -> Callable:
        """Document the error answers an operation can give (the error shape of each status,
        which flask-smorest registers by the status's name), with any other documentation:
        one layer around the view, which runs at every request."""
        responses = {str(code): HTTPStatus(code).name for code in codes}
        return self.doc(responses=responses, **documentation)

    def body(
        self, schema: type[ma.Schema] | ma.Schema, *, required: bool | None = None
    ) -> Callable:
        """Document schema as the JSON body, and hand the view a Body to load when ready.

        The body is documented as required when the schema has a required field: a
        request without one reads as `{}`, which a partial update takes as a no-op.
        """
        instance = _instance(schema)
        if required is None:
            required = instance.partial is not True and any(
                field.required for field in instance.fields.values()
            )
        content = {"application/json": {"schema": instance}}
        document = self.errors(
            400, 413, 415, 422, requestBody={"required": required, "content": content}
        )
        return self._deferred(Body(instance), document)

    def query_for_body(self, schema: type[ma.Schema] | ma.Schema) -> Callable:
        """Query parameters that stand for body fields: loaded like a body (422 on error)."""
        instance = _instance(schema)
        document = self.errors(422, parameters=[{"in": "query", "schema": instance}])
        return self._deferred(Body(instance, in_query=True), document)

    def _deferred(self, body: Body, document: Callable) -> Callable:
        """Hand the view `body` after its other positional arguments, unloaded."""

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, body, **kwargs)

            return document(wrapper)

        return decorator

    def query(self, schema: type[ma.Schema] | ma.Schema) -> Callable:
        """Load the query string with schema (a bad parameter: 400, see app.errors), and hand
        the view what it loaded after its other positional arguments."""
        return self.arguments(_instance(schema), location="query", error_status_code=400)

    def auth(self, *roles: str) -> Callable:
        """Require a logged-in caller (401) and, if roles are named, one of them (403)."""

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args, **kwargs):
                if not current_user.is_authenticated:
                    raise not_logged_in()
                if roles:
                    ensure_role(current_user, *roles)
                return func(*args, **kwargs)

            return self.errors(401, *([403] if roles else []), security=SECURITY)(wrapper)

        return decorator

    def idempotent(self, func: Callable) -> Callable:
        """Honour an Idempotency-Key header (see app.common.idempotency); it commits."""
        return self.errors(400, 409, parameters=[HEADER_DOC])(idempotent(func))
