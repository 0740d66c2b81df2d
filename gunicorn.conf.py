"""gunicorn settings; `gunicorn "app:create_app()"` run from the project's root reads them.

GUNICORN_BIND and GUNICORN_WORKERS override the address and the number of workers.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one per core: each request is short and waits on the database only briefly.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
# A worker stuck longer is restarted; app/common/idempotency.py relies on this bound.
timeout = 30
