"""Configuration classes. This is the only module that reads the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSECURE_DEV_KEY = "dev-only-insecure-key-change-me"


class ConfigError(RuntimeError):
    """Raised when a configuration cannot be used safely."""


class Config:
    CONFIG_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEV_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'cartera.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    LANGUAGES = ("es", "en")
    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = "Europe/Madrid"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # A sliding window: a burst cannot straddle the turn of a minute to get twice the attempts.
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_LIMIT_PER_IP = "30 per minute;300 per hour"
    LOGIN_LIMIT_PER_ACCOUNT = "12 per minute;60 per hour"
    LOCKOUT_FAILURES = 10
    LOCKOUT_MINUTES = 15
    # werkzeug's generate_password_hash method; None keeps werkzeug's default (scrypt:32768:8:1).
    PASSWORD_HASH_METHOD: str | None = None

    # Reverse proxies in front of the app (docs/deploy.md prescribes one); 0 means none: the
    # connecting address is the client's.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    HSTS_SECONDS = 0  # Strict-Transport-Security is sent in production only

    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 4 * 1024 * 1024  # a pasted CSV travels as a form field
    CONTENT_ROOT = str(BASE_DIR)  # holds questions/ and rubrics/
    USERS_PER_PAGE = 25
    GROUP_TRAINING_SHARE = 0.5  # suggest group training where more than this share is below target
    TRAINING_NEEDS_LISTED = 25  # managers named per competency; the heatmap lists everyone
    TRAINING_NEEDS_UNITS_LISTED = 30  # units with the most cases; a region can hold 500 branches
    TRAINING_NEEDS_ASSIGNABLE = 200  # up to this many below target, one button assigns them the practice
    CALIBRATION_LISTED = 5  # largest blind spots named per competency
    AUDIT_PER_PAGE = 50
    ASSIGNABLE_MANAGERS_LISTED = 200  # on the assignment form; a search finds the others
    GRADING_CLAIM_MINUTES = 30  # how long an opened response stays with its grader before others may take it

    # Background jobs (docs/jobs.md): Huey's SQLite storage beside the embedded database by default;
    # production uses Redis. Files that jobs produce are kept in JOB_FILES_DIR (instance/job-files).
    JOBS_URL = os.environ.get("JOBS_URL", "sqlite:///jobs.db")
    JOB_FILES_DIR = os.environ.get("JOB_FILES_DIR", "")
    JOB_FILE_DAYS = 7  # then a job's file (an export: personal data) is deleted
    JOB_ATTEMPTS = 4  # then the job is shown as failed, with its error
    # A running job silent this long is taken over: its worker died (a batch reports well within it).
    JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "300"))
    IMPORT_BATCH = 50  # users per committed batch of an import (about half a second of work)
    EXPORT_JOB_MANAGERS = 2000  # larger exports are prepared by a job, with a progress page
    EXPORT_BATCH = 5000  # managers per batch of an export job (its progress steps)
    # Mail: "outbox" keeps messages in the app (/admin/outbox); "smtp" sends them (MAIL_SERVER...).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Cartera <no-reply@cartera.local>")
    MAIL_TIMEOUT = 20
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")  # links in e-mails
    INVITATION_DAYS = 7
    PASSWORD_RESET_HOURS = 2
    RESET_LIMIT_PER_IP = "10 per hour"
    RESET_LIMIT_PER_ACCOUNT = "3 per hour"
    REMINDER_DAYS = 2  # a reminder this many days before a due date

    @classmethod
    def validate(cls) -> None:
        """Refuse settings that are unsafe for this configuration."""


class DevelopmentConfig(Config):
    CONFIG_NAME = "development"
    DEBUG = True


class TestConfig(Config):
    CONFIG_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    # Forms are posted without tokens in most tests; tests/web/test_csrf.py turns it back on.
    WTF_CSRF_ENABLED = False
    # Cheap hashes (under 1 ms, where scrypt takes 50 to 100); the tests of hashing itself ask for scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  (a method, not a password)
    JOBS_URL = "memory://"  # each test drains the queue itself (app.queue.drain)
    MAIL_BACKEND = "outbox"
    PUBLIC_URL = "https://cartera.test"


class ProductionConfig(Config):
    CONFIG_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "1"))
    HSTS_SECONDS = 365 * 24 * 3600

    @classmethod
    def validate(cls) -> None:
        problems = []
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == INSECURE_DEV_KEY or len(secret) < 32:
            problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgresql+psycopg://"):
            problems.append("DATABASE_URL must be set to a PostgreSQL URL (postgresql+psycopg://...)")
        if not os.environ.get("JOBS_URL", "").startswith("redis://"):
            problems.append("JOBS_URL must name the Redis that every worker shares (redis://...)")
        if not os.environ.get("PUBLIC_URL", "").startswith("https://"):
            problems.append("PUBLIC_URL must be the https:// address people reach Cartera at (for e-mailed links)")
        if problems:
            raise ConfigError("Cartera cannot start in production: " + "; ".join(problems) + ".")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    name = os.environ.get("CARTERA_CONFIG", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(f"CARTERA_CONFIG={name!r} is not one of {', '.join(CONFIGS)}") from None
