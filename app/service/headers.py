"""Per-request hooks: a request id, security headers, and one log line per request."""

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("app.requests")

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI runs one inline script and inline styles, all from this server.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


def _start() -> None:
    """Take the caller's X-Request-ID if it is a sane one, else make one."""
    given = request.headers.get("X-Request-ID", "")
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    docs = request.path == "/docs" or request.path.startswith("/docs/")
    response.headers["X-Request-ID"] = g.request_id
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOCS_POLICY if docs else JSON_POLICY
    elapsed_ms = (time.perf_counter() - g.started) * 1000
    log.info(
        "%s %s %s %d %.1fms",
        g.request_id, request.method, request.path, response.status_code, elapsed_ms,
    )  # fmt: skip
    return response


def register_request_hooks(app: Flask) -> None:
    if not logging.getLogger().handlers:  # e.g. under gunicorn: log to stderr
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)
