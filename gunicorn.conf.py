"""gunicorn settings; `gunicorn "app:create_app()"` run from the project's root reads them.

GUNICORN_BIND and GUNICORN_WORKERS override the address and the number of workers.
Outside debug, the server refuses to start without a SECRET_KEY, or with several workers
that would each count the limits in their own memory (see on_starting).
"""

import multiprocessing
import os
import sys

from flask.helpers import get_debug_flag

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one per core: each request is short and waits on the database only briefly.
# nginx (deploy/nginx.conf) reads each request whole first, so a slow client holds no worker.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# A worker stuck longer is restarted; app/common/idempotency.py relies on this bound.
timeout = 30


def refusal(workers: int) -> str | None:
    """Why the server must not start, or None: it needs a SECRET_KEY, and the limits must be
    counted in one place.

    With memory:// (config.py's default when RATELIMIT_STORAGE_URI is unset) each worker
    keeps its own count, so N workers let N times the limit through. Debug (FLASK_DEBUG=1)
    is exempt (Flask's own reading of it): it is a developer's server.

    The settings are read here, when gunicorn has applied its `-e`/`--env` to the
    environment (after it read this file); the workers it forks inherit them.
    """
    from config import NO_SECRET_KEY, Config

    if get_debug_flag():
        return None
    if not Config.SECRET_KEY:
        return NO_SECRET_KEY
    if workers <= 1 or not Config.RATELIMIT_STORAGE_URI.startswith("memory://"):
        return None
    return (
        "error: Set RATELIMIT_STORAGE_URI to a shared storage such as "
        f"redis://127.0.0.1:6379/0: with {workers} workers and memory:// each worker counts "
        "the limits on its own."
    )


def on_starting(server) -> None:
    """Check the final settings (config file, GUNICORN_CMD_ARGS and command line applied)."""
    why = refusal(server.cfg.workers)
    if why:
        if server.pidfile is not None:
            server.pidfile.unlink()
        sys.exit(why)  # one line on stderr, exit status 1
