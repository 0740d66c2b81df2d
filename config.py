"""Settings, read from the environment."""

import os
import secrets

NO_SECRET_KEY = "error: SECRET_KEY is not set; export SECRET_KEY=<a long random string>."


def engine_options(url: str) -> dict:
    """Pool settings: a busy pool fails fast (dead connections: app.database.ping_after_idle).

    PostgreSQL sessions run in UTC, the zone of every time the app stores and answers: psycopg
    then reads a timestamp into Python's own UTC, with nothing to convert. They plan with
    random_page_cost 1.1, the value PostgreSQL's documentation gives for solid-state storage
    (the default, 4, models spinning disks): a search then reads the trigram indexes rather
    than lower-case every title and description of the catalogue in turn.
    """
    if url.startswith("postgresql"):
        return {
            "pool_size": int(os.environ.get("DB_POOL_SIZE", "5")),
            "max_overflow": int(os.environ.get("DB_MAX_OVERFLOW", "5")),
            "pool_timeout": float(os.environ.get("DB_POOL_TIMEOUT", "5")),
            "connect_args": {
                "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "3")),
                "options": "-c TimeZone=UTC -c random_page_cost=1.1",
            },
        }
    return {"connect_args": {"timeout": 15}}


class Config:
    """Production settings: nothing insecure is assumed."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///marketplace.db")
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    DB_PING_AFTER_IDLE_SECONDS = float(os.environ.get("DB_PING_AFTER_IDLE_SECONDS", "1"))

    MAX_CONTENT_LENGTH = 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"

    TOKEN_TTL_DAYS = int(os.environ.get("TOKEN_TTL_DAYS", "30"))
    PASSWORD_HASH_METHOD = "scrypt"

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # API.md section 2, Limits: each in the limiter's notation, e.g. "10/minute".
    LIMIT_LOGIN_FAILURES_PER_ADDRESS = os.environ.get(
        "LIMIT_LOGIN_FAILURES_PER_ADDRESS", "10/minute"
    )
    LIMIT_LOGIN_FAILURES_PER_ACCOUNT = os.environ.get(
        "LIMIT_LOGIN_FAILURES_PER_ACCOUNT", "20/10 minutes"
    )
    LIMIT_LOGINS_PER_ADDRESS = os.environ.get("LIMIT_LOGINS_PER_ADDRESS", "60/minute")
    LIMIT_SIGNUPS_PER_ADDRESS = os.environ.get("LIMIT_SIGNUPS_PER_ADDRESS", "20/hour")
    LIMIT_ORDERS_PER_USER = os.environ.get("LIMIT_ORDERS_PER_USER", "30/hour")
    LIMIT_MESSAGES_PER_USER = os.environ.get("LIMIT_MESSAGES_PER_USER", "60/minute")
    # How many proxies (nginx: 1) stand in front and record the client in X-Forwarded-For.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    API_TITLE = "Lecture marketplace API"
    API_VERSION = "1.0"
    OPENAPI_VERSION = "3.1.0"
    API_SPEC_OPTIONS = {
        "info": {
            "description": (
                'Every error answers `{"error": {"status", "code", "message"}}`, '
                "with `fields` on a 422. A malformed query is a 400 and a body that breaks "
                "its schema a 422, as is a body that names an object that does not exist. "
                "Text fields refuse the NUL character. Lists are paged with `page` and "
                "`per_page` (a chat's messages with `limit`, `after_id` and `before_id`). "
                "Log in for a bearer token, or use the session cookie. Logins, sign-ups, "
                "new orders and new messages are limited (a 429 with `Retry-After`, in "
                "seconds): failed logins per address and per account, every login and "
                "sign-up per address, orders and messages per user."
            )
        }
    }
    # /openapi.json is served by app.service.routes, with the caller's base URL in `servers`.
    OPENAPI_URL_PREFIX = None


class DevConfig(Config):
    """`python run.py`: works with no settings at all, over plain HTTP."""

    SECRET_KEY = Config.SECRET_KEY or secrets.token_hex(32)
    SESSION_COOKIE_SECURE = False


class TestConfig(Config):
    """The test suite: SQLite unless TEST_DATABASE_URL names another database."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite:///test.db")
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    SESSION_COOKIE_SECURE = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
