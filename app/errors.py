"""The one JSON error shape of the API, and the handlers that give every error that shape."""

import logging
import math
import time
from http import HTTPStatus

from flask import Flask, current_app
from flask_limiter.errors import RateLimitExceeded
from sqlalchemy.exc import DataError, IntegrityError, OperationalError, PendingRollbackError
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException

from app.extensions import db, limiter

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}

MESSAGES = {
    400: "Bad request.",
    401: "Log in first.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "The body is larger than 1 MiB.",
    415: "Send a JSON body with Content-Type: application/json.",
    422: "Invalid input.",
    429: "Too many requests; try again later.",
    500: "Internal error.",
    503: "The service is unavailable; try again shortly.",
}

# A 401's WWW-Authenticate (RFC 6750): how to log in, and whether the token sent was refused.
CHALLENGE = 'Bearer realm="api"'
INVALID_TOKEN_CHALLENGE = 'Bearer realm="api", error="invalid_token"'
INVALID_TOKEN = "The token is unknown, revoked or expired; log in again for a new one."


class ApiError(Exception):
    """An error a service raises; the handler turns it into the JSON error shape."""

    def __init__(self, status: int, message: str | None = None, headers=None, **extra):
        super().__init__(message)
        self.status = status
        self.message = message or MESSAGES.get(status, HTTPStatus(status).phrase + ".")
        self.headers = headers
        self.extra = extra

    @classmethod
    def bad_request(cls, message: str) -> "ApiError":
        return cls(400, message)

    @classmethod
    def bad_query(cls, parameter: str, message: str) -> "ApiError":
        """A 400 naming one query parameter, in `fields` as a body's 422 does."""
        fields = {parameter: [message]}
        return cls(400, bad_query_message(fields), fields=fields)

    @classmethod
    def unauthorized(cls, message: str | None = None) -> "ApiError":
        return cls(401, message)

    @classmethod
    def invalid_token(cls) -> "ApiError":
        """401 for a bearer token that lets nobody in, saying so (RFC 6750's invalid_token)."""
        return cls(401, INVALID_TOKEN, headers={"WWW-Authenticate": INVALID_TOKEN_CHALLENGE})

    @classmethod
    def forbidden(cls, message: str) -> "ApiError":
        return cls(403, message)

    @classmethod
    def not_found(cls, message: str | None = None) -> "ApiError":
        return cls(404, message)

    @classmethod
    def conflict(cls, message: str, **extra) -> "ApiError":
        return cls(409, message, **extra)

    @classmethod
    def invalid(cls, field: str, message: str) -> "ApiError":
        """A 422 naming one field of the body."""
        return cls(422, fields={field: [message]})


def error_response(status: int, message: str | None = None, headers=None, **extra):
    headers = Headers(headers)
    if status == 401:
        headers.setdefault("WWW-Authenticate", CHALLENGE)
    body = {
        "status": status,
        "code": CODES.get(status, HTTPStatus(status).name.lower()),
        "message": message or MESSAGES.get(status, HTTPStatus(status).phrase + "."),
        **extra,
    }
    return {"error": body}, status, headers


def handle_api_error(error: ApiError):
    db.session.rollback()
    return error_response(error.status, error.message, error.headers, **error.extra)


def handle_http_exception(error: HTTPException):
    """Werkzeug's and the extensions' errors, with their headers (Allow, Retry-After).

    flask-smorest's query parameters that do not load come here as a 400 with the messages
    of each parameter, which the answer names in `fields`.
    """
    db.session.rollback()
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    messages = (getattr(error, "data", None) or {}).get("messages", {}).get("query")
    if messages:
        message = bad_query_message(messages)
        return error_response(error.code, message, headers=headers, fields=messages)
    return error_response(error.code or 500, headers=headers)


def bad_query_message(fields: dict) -> str:
    """The message of a 400 for query parameters, naming each with its messages."""
    details = "; ".join(f"{name}: {_text(errors)}" for name, errors in fields.items())
    return f"Invalid query parameter. {details}"


def _text(errors: list | dict) -> str:
    return " ".join(map(str, errors)) if isinstance(errors, list) else str(errors)


def handle_rate_limited(error: RateLimitExceeded):
    limit = error.limit.limit
    window = limit.get_expiry()
    current = limiter.current_limit
    retry_after = math.ceil(current.reset_at - time.time()) if current else window
    retry_after = min(max(retry_after, 1), window)
    message = f"{error.description}; try again in {retry_after} s."
    return error_response(429, message, headers={"Retry-After": str(retry_after)})


def handle_integrity_error(error: IntegrityError):
    """A constraint the database enforced, typically a race on something unique."""
    db.session.rollback()
    log.info("integrity error: %s", error.orig)
    return error_response(409, "That conflicts with data already there.")


def handle_data_error(error: DataError):
    """A value the database refused (out of its range): the input was wrong, not the server."""
    db.session.rollback()
    log.info("data error: %s", error.orig)
    return error_response(400, "A value is out of the range the database can hold.")


def handle_operational_error(error: OperationalError):
    db.session.rollback()
    log.warning("database unavailable: %s", error.orig)
    return error_response(503)


def handle_statement_after_a_lost_connection(error: PendingRollbackError):
    """A statement on a connection that an earlier one of the request lost (the limiter
    retries its checks after an error): 503, as the loss itself was; otherwise 500."""
    cause = error.__context__
    while cause is not None and not isinstance(cause, OperationalError):
        cause = cause.__context__
    if cause is None:
        return handle_unexpected_error(error)
    return handle_operational_error(cause)


def handle_unexpected_error(error: Exception):
    db.session.rollback()
    if current_app.testing:
        raise error
    log.exception("unhandled error")
    return error_response(500)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(RateLimitExceeded, handle_rate_limited)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(OperationalError, handle_operational_error)
    app.register_error_handler(PendingRollbackError, handle_statement_after_a_lost_connection)
    app.register_error_handler(Exception, handle_unexpected_error)
