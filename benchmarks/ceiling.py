"""The ceiling: a bare Flask app with one small JSON endpoint.

Served by the same gunicorn settings as the API (`gunicorn -c gunicorn.conf.py
benchmarks.ceiling:app`), it is the most requests per second this machine can serve through
Flask right now; every endpoint's rate is reported as a ratio to it.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping() -> dict[str, str]:
    return {"status": "ok"}
