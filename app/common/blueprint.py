"""ApiBlueprint: flask-smorest's Blueprint with this API's parsing, answers, errors and auth
docs."""

from collections.abc import Callable
from functools import wraps
from http import HTTPStatus

import marshmallow as ma
from flask import Response, current_app, request
from flask_login import current_user
from flask_smorest import Blueprint
from flask_smorest.utils import resolve_schema_instance
from werkzeug.datastructures import MultiDict

from app.common.auth import ensure_role
from app.common.body import Body
from app.common.idempotency import HEADER_DOC, idempotent
from app.errors import ApiError

SECURITY = [{"bearerAuth": []}, {"sessionCookie": []}]
LIST_FIELDS = (ma.fields.List, ma.fields.Tuple)


def query_loader(schema: ma.Schema) -> Callable[[MultiDict], dict]:
    """A load of the query string with schema, as webargs loads it for flask-smorest (a
    parameter's first value, unknown ones left out), with a fraction of its work per request;
    a bad value is a 400 that names it."""
    many = [name for name, field in schema.fields.items() if isinstance(field, LIST_FIELDS)]
    if many:
        raise TypeError(f"a query parameter is one value here, not a list: {many}")

    def load(args: MultiDict) -> dict:
        try:
            return schema.load(args.to_dict(), unknown=ma.EXCLUDE)
        except ma.ValidationError as error:
            messages = error.messages.items()
            details = "; ".join(f"{name}: {_text(errors)}" for name, errors in messages)
            raise ApiError.bad_request(f"Invalid query parameter. {details}") from None

    return load


def _text(errors: list | dict) -> str:
    return " ".join(map(str, errors)) if isinstance(errors, list) else str(errors)


def _documented(func: Callable, document: Callable) -> Callable:
    """func, with the documentation a flask-smorest decorator writes (`document`), but not
    the call layer that decorator adds: each layer looks up the app and checks for a
    coroutine on every request, and a view has several."""
    func._apidoc = document(func)._apidoc
    return func


class ApiBlueprint(Blueprint):
    def errors(self, *codes: int) -> Callable:
        """Document the error answers an operation can give."""

        def decorator(func: Callable) -> Callable:
            for code in codes:
                func = _documented(func, self.alt_response(code, response=HTTPStatus(code).name))
            return func

        return decorator

    def body(
        self, schema: type[ma.Schema] | ma.Schema, *, required: bool | None = None
    ) -> Callable:
        """Document schema as the JSON body, and hand the view a Body to load when ready.

        The body is documented as required when the schema has a required field: a
        request without one reads as `{}`, which a partial update takes as a no-op.
        """
        instance = resolve_schema_instance(schema)
        if required is None:
            required = instance.partial is not True and any(
                field.required for field in instance.fields.values()
            )

        def decorator(func: Callable) -> Callable:
            func = self._deferred(instance, "json", required=required)(func)
            return self.errors(400, 413, 415)(func)

        return decorator

    def query_for_body(self, schema: type[ma.Schema] | ma.Schema) -> Callable:
        """Query parameters that stand for body fields: loaded like a body (422 on error)."""
        return self._deferred(schema, "query", required=False)

    def _deferred(self, schema, location: str, *, required: bool) -> Callable:
        instance = resolve_schema_instance(schema)

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, Body(instance, in_query=location == "query"), **kwargs)

            # flask-smorest's own decorator writes the documentation; its parsing is not used.
            arguments = self.arguments(
                instance, location=location, error_status_code=422, required=required
            )
            return _documented(wrapper, arguments)

        return decorator

    def query(self, schema: type[ma.Schema] | ma.Schema) -> Callable:
        """Load the query string with schema (see query_loader()), and hand the view what it
        loaded after its other arguments; flask-smorest's decorator writes the documentation.
        """
        instance = resolve_schema_instance(schema)
        load = query_loader(instance)

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args, **kwargs):
                return func(*args, load(request.args), **kwargs)

            arguments = self.arguments(instance, location="query", error_status_code=400)
            return _documented(wrapper, arguments)

        return decorator

    def response(
        self,
        status_code: int,
        schema: type[ma.Schema] | ma.Schema | None = None,
        **documentation,
    ) -> Callable:
        """Answer the view's result dumped with schema, as JSON with that status (a Response
        the view returns goes out as it is); flask-smorest's decorator documents it.

        flask-smorest's own wrapper does the same with more work per request: an app lookup,
        a check for a coroutine, and the dump kept for an ETag, which this API does not make.
        """
        instance = None if schema is None else resolve_schema_instance(schema)
        document = super().response(status_code, instance, **documentation)

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args, **kwargs):
                result = func(*args, **kwargs)
                if isinstance(result, Response):
                    return result
                answer = current_app.json.response(
                    result if instance is None else instance.dump(result)
                )
                answer.status_code = status_code
                return answer

            return _documented(wrapper, document)

        return decorator

    def auth(self, *roles: str) -> Callable:
        """Require a logged-in caller (401) and, if roles are named, one of them (403)."""

        def decorator(func: Callable) -> Callable:
            @wraps(func)
            def wrapper(*args, **kwargs):
                if not current_user.is_authenticated:
                    raise ApiError.unauthorized()
                if roles:
                    ensure_role(current_user, *roles)
                return func(*args, **kwargs)

            wrapper = _documented(wrapper, self.doc(security=SECURITY))
            return self.errors(401, *([403] if roles else []))(wrapper)

        return decorator

    def idempotent(self, func: Callable) -> Callable:
        """Honour an Idempotency-Key header (see app.common.idempotency); it commits."""
        func = _documented(idempotent(func), self.doc(parameters=[HEADER_DOC]))
        return self.errors(400, 409)(func)
