"""Around every request: a request id, security headers, and one log line.

A WSGI middleware rather than Flask hooks: it reads the request and writes the headers as
the WSGI call carries them, with none of the per-hook and per-proxy work of Flask's request
context, which every request would pay.
"""

import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable

from flask import Flask

log = logging.getLogger("app.requests")

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI runs one inline script and inline styles, all from this server.
DOCS_POLICY = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)


class RequestEnvelope:
    """Take the caller's X-Request-ID if it is a sane one, else make one; give it back with
    the security headers on the answer, and log the request with its status and time."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(16)
        path = environ.get("PATH_INFO", "")
        docs = path == "/docs" or path.startswith("/docs/")

        def start(status: str, headers: list, exc_info=None) -> Callable:
            headers.append(("X-Request-ID", request_id))
            headers.append(("X-Content-Type-Options", "nosniff"))
            headers.append(("Content-Security-Policy", DOCS_POLICY if docs else JSON_POLICY))
            elapsed_ms = (time.perf_counter() - started) * 1000
            method = environ.get("REQUEST_METHOD")
            log.info(
                "%s %s %s %s %.1fms", request_id, method, printable(path), status[:3], elapsed_ms
            )
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def printable(text: str) -> str:
    """The text with its control characters escaped (`\\x0a`), so that a path cannot
    forge a line of the log."""
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def wrap_requests(app: Flask) -> None:
    if not logging.getLogger().handlers:  # e.g. under gunicorn: log to stderr
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The logging HOWTO's optimisation: no log line names a thread, so a record need not look
    # it up. The process stays: gunicorn's own lines name it (`[%(process)d]`).
    logging.logThreads = logging.logMultiprocessing = False
    log.setLevel(logging.INFO)
    app.wsgi_app = RequestEnvelope(app.wsgi_app)
