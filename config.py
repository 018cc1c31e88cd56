"""Configuration classes; the environment overrides what a deployment must set."""

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production


class Config:
    PORTAL_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}  # completed by portal/core/engine.py
    # PostgreSQL: connections per process, and how long anything waits (portal/core/engine.py).
    DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "5"))
    DATABASE_MAX_OVERFLOW = int(os.environ.get("DATABASE_MAX_OVERFLOW", "10"))
    DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT", "10"))
    DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
    DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0"))

    # Where links in emails point; never taken from the request's Host header.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")

    LANGUAGES = ("en", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BOOTSTRAP_SERVE_LOCAL = True

    # Login throttling (portal/accounts/throttle.py): failed attempts only, per account and
    # per address, in RATELIMIT_STORAGE_URI (Redis shares the counts between workers).
    LOGIN_MAX_FAILURES = 10
    LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("LOGIN_ADDRESS_MAX_FAILURES", "50"))
    LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
    LOGIN_LOCKOUT = timedelta(minutes=15)
    LOGIN_THROTTLE_KEY_PREFIX = os.environ.get("LOGIN_THROTTLE_KEY_PREFIX", "portal-login")
    # Every post of the password-reset and certificate-check forms, per address.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "100 per 15 minutes")
    RATELIMIT_STORAGE_URI = os.environ.get(
        "RATELIMIT_STORAGE_URI", os.environ.get("REDIS_URL", "memory://")
    )
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "")  # several portals, one Redis
    # Requests to the JSON API per token (or per address without one), in the same storage.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")

    # argon2id cost; empty means argon2-cffi's recommended (RFC 9106) parameters.
    ARGON2_PARAMETERS: dict = {}

    INVITATION_LIFETIME = timedelta(days=7)
    PASSWORD_RESET_LIFETIME = timedelta(hours=1)
    EMAIL_CHANGE_LIFETIME = timedelta(hours=1)

    MAIL_SERVER = os.environ.get("MAIL_SERVER")  # None: messages written as .eml files
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "true").lower() == "true"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "false").lower() == "true"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "portal@demo.portal")
    # Flask-Mail silently drops mail when TESTING; the tests talk to a real SMTP server instead.
    MAIL_SUPPRESS_SEND = False
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))  # seconds per SMTP operation

    # The outbox worker (portal/notifications/worker.py).
    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "50"))
    OUTBOX_LEASE = timedelta(seconds=int(os.environ.get("OUTBOX_LEASE_SECONDS", "300")))
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_RETRY_BASE = timedelta(seconds=int(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "60")))
    OUTBOX_RETRY_CAP = timedelta(hours=6)
    OUTBOX_POLL_SECONDS = float(os.environ.get("OUTBOX_POLL_SECONDS", "5"))
    OUTBOX_DIGEST_LOCAL_HOUR = 7  # daily digests go out from 07:00 on each reader's clock

    PAGE_SIZE = 20

    # Documents: the largest request (an upload) and each party's share of the file store.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(100 * 1024 * 1024)))
    DOCUMENT_PARTY_QUOTA = int(os.environ.get("DOCUMENT_PARTY_QUOTA", str(20 * 1024**3)))
    DOCUMENT_STORAGE_PATH = os.environ.get("DOCUMENT_STORAGE_PATH")  # None: instance/documents
    DOCUMENT_EXTRACT_MAX_BYTES = 30 * 1024 * 1024  # larger files are found by title only
    # Text of PDF/DOCX/ODT is read in a child process: its address space and CPU seconds
    # (its wall-clock time is bounded a little above); beyond them the file is kept unindexed.
    DOCUMENT_EXTRACT_MEMORY_BYTES = int(
        os.environ.get("DOCUMENT_EXTRACT_MEMORY_BYTES", str(512 * 1024 * 1024))
    )
    DOCUMENT_EXTRACT_SECONDS = int(os.environ.get("DOCUMENT_EXTRACT_SECONDS", "10"))
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", "0"))
    # Behind nginx (deploy/nginx-portal.conf): the internal location that serves the stored
    # files, e.g. "/_stored_files/"; downloads then answer with X-Accel-Redirect and nginx
    # sends the bytes. Empty: the app streams them itself, checking the SHA-256 as it goes.
    DOCUMENT_ACCEL_REDIRECT = os.environ.get("DOCUMENT_ACCEL_REDIRECT", "")

    def check(self) -> None:
        """Refuse settings that must never reach a running deployment."""


class DevelopmentConfig(Config):
    DEBUG = False  # the Werkzeug debugger would expose a console; use FLASK_DEBUG to opt in


class TestConfig(Config):
    PORTAL_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105
    PORTAL_BASE_URL = "http://portal.test"
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = None
    # Cheap hashing keeps the suite fast; production keeps the library's parameters.
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}
    # A test whose statement waits on a lock another connection holds fails after this long,
    # instead of hanging the whole run (a migration test once did).
    DATABASE_STATEMENT_TIMEOUT = 120.0


class ProductionConfig(Config):
    PORTAL_ENV = "production"
    SESSION_COOKIE_SECURE = True
    HSTS_ENABLED = True
    PREFERRED_URL_SCHEME = "https"
    TRUSTED_HOSTS = [h for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h]

    def check(self) -> None:
        if (
            not self.SECRET_KEY
            or self.SECRET_KEY == DEFAULT_SECRET_KEY
            or len(self.SECRET_KEY) < 32
        ):
            raise RuntimeError("Set SECRET_KEY to a random value of at least 32 characters.")
        if getattr(self, "DEBUG", False) or os.environ.get("FLASK_DEBUG") in {"1", "true"}:
            raise RuntimeError("DEBUG must be off in production.")
        if not self.SQLALCHEMY_DATABASE_URI:
            raise RuntimeError("Set DATABASE_URL to the PostgreSQL database.")
        if not self.TRUSTED_HOSTS:
            raise RuntimeError("Set TRUSTED_HOSTS so a forged Host header is refused.")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> Config:
    name = os.environ.get("PORTAL_CONFIG", "development")
    return CONFIGS[name]()
