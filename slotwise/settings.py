"""Slotwise settings: one module, every value from the environment.

Development (DEBUG=1, what `make run` uses) works with no variables at all: secrets are
generated into var/ and Zoom points at the local sandbox. Production (DEBUG unset or 0)
refuses to start without the secrets it needs. `.env.example` lists every variable.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from slotwise.env import (
    email_settings_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    local_secret,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SLOTWISE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Tests run with DEBUG=1 defaults but must never write the demo's secrets to disk.
TESTING = env_bool("SLOTWISE_TESTING", False)


def _dev_secret(name: str, make: Callable[[], str] = lambda: secrets.token_urlsafe(50)) -> str:
    return make() if TESTING else local_secret(VAR_DIR / name, make)


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without one; "
            "set DEBUG=1 for a local demo, which generates its own."
        )
    SECRET_KEY = _dev_secret("secret_key")

# Keys for secrets at rest (Zoom tokens), newest first: encrypt with the first, decrypt with
# any, so an operator rotates by prepending a key and running `manage.py reencrypt_secrets`.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is not set: give one or more Fernet keys, newest first."
        )
    FIELD_ENCRYPTION_KEYS = [_dev_secret("field_encryption_key", _new_fernet_key)]

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute base for links that leave the site (e-mails, calendar invites).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "catalog",
    "bookings",
    "meetings",
    "zoom",
    "support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.BusinessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "slotwise.urls"
WSGI_APPLICATION = "slotwise.wsgi.application"
FORM_RENDERER = "slotwise.forms.SlotwiseFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.business",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'slotwise.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the worker write to one SQLite file;
    # IMMEDIATE makes every transaction take the write lock up front instead of failing
    # with "database is locked" when it upgrades from read to write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if TESTING:
        # A file, not SQLite's shared in-memory database: the live server's threads and the
        # tests then lock and wait the way the demo's processes do, instead of failing at
        # once with "database table is locked".
        import tempfile

        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"slotwise-test-{os.getpid()}.sqlite3")
        }
    else:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Real hashing costs ~0.3 s per password; tests create many users and check none of it.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "bookings:agenda"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: console by default; SMTP by URL (see slotwise.env.email_settings_from_url).
globals().update(email_settings_from_url(env_str("EMAIL_URL", "console:")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Slotwise <bookings@slotwise.localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Operators who answer support chat and hear about failed meetings.
SUPPORT_EMAILS = env_list("SUPPORT_EMAILS", ["support@slotwise.localhost"])

# Background tasks: the database backend and `manage.py run_worker` (on PostgreSQL the backend
# sends a NOTIFY per task, which wakes the worker at once); TASKS_BACKEND=immediate runs them
# inline (tests use it unless they exercise the real worker).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_str("TASKS_BACKEND", "database") == "immediate"
            else "slotwise.tasks_backend.NotifyingDatabaseBackend"
        ),
        "QUEUES": [],
    }
}

# Zoom. In development every value defaults to the local Zoom sandbox (zoom_sandbox/, port
# 8001), which reads the same variables, so the two agree without configuration. In
# production the URLs default to Zoom itself and the credentials come from the Zoom app.
_SANDBOX = env_str("ZOOM_SANDBOX_URL", "http://127.0.0.1:8001").rstrip("/")
ZOOM_OAUTH_BASE_URL = env_str(
    "ZOOM_OAUTH_BASE_URL", _SANDBOX if DEBUG else "https://zoom.us"
).rstrip("/")
ZOOM_API_BASE_URL = env_str(
    "ZOOM_API_BASE_URL", f"{_SANDBOX}/v2" if DEBUG else "https://api.zoom.us/v2"
).rstrip("/")
ZOOM_CLIENT_ID = env_str("ZOOM_CLIENT_ID", "slotwise-demo-client" if DEBUG else "")
ZOOM_CLIENT_SECRET = env_str("ZOOM_CLIENT_SECRET", "slotwise-demo-secret" if DEBUG else "")
ZOOM_REDIRECT_URI = env_str("ZOOM_REDIRECT_URI", f"{SITE_URL}/integrations/zoom/callback/")
ZOOM_WEBHOOK_SECRET_TOKEN = env_str(
    "ZOOM_WEBHOOK_SECRET_TOKEN", "slotwise-demo-webhook-secret" if DEBUG else ""
)
ZOOM_HTTP_TIMEOUT = float(env_str("ZOOM_HTTP_TIMEOUT", "10"))

# Online meetings (meetings/): how the reconciler retries, and how it spends Zoom's
# per-host allowance of 100 meeting creates/updates a day.
MEETINGS_RETRY_BASE_SECONDS = float(env_str("MEETINGS_RETRY_BASE_SECONDS", "2"))
MEETINGS_RETRY_MAX_SECONDS = float(env_str("MEETINGS_RETRY_MAX_SECONDS", "300"))
MEETINGS_GIVE_UP_AFTER_SECONDS = float(env_str("MEETINGS_GIVE_UP_AFTER_SECONDS", "7200"))
MEETINGS_LEASE_SECONDS = float(env_str("MEETINGS_LEASE_SECONDS", "60"))
MEETINGS_REQUEUE_AFTER_SECONDS = float(env_str("MEETINGS_REQUEUE_AFTER_SECONDS", "120"))
MEETINGS_SESSION_WINDOW_DAYS = env_int("MEETINGS_SESSION_WINDOW_DAYS", 14)
MEETINGS_DAILY_BUDGET = env_int("MEETINGS_DAILY_BUDGET", 100)
# Bench-only: create meetings inside the booking request (as Cal.com does) instead of in the
# worker, to measure what the queue saves. Production leaves it off.
MEETINGS_PROVISION_INLINE = env_bool("MEETINGS_PROVISION_INLINE", False)
# Reminder e-mails go this long before an appointment or class session.
REMINDER_LEAD_HOURS = env_int("REMINDER_LEAD_HOURS", 24)

# Production hardening; each can be relaxed by its variable (e.g. TLS ends at a proxy).
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The HTTP clients log every request URL at INFO. Ours carry no secrets (tokens
        # travel in headers and bodies), and zoom.client logs each call once already.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "httpcore2": {"level": "WARNING"},
    },
}
