"""Trygg's settings, read from the environment with safe local defaults.

Local use needs no configuration: SQLite under ``var/``, a secret key generated once and kept in ``var/``,
console e-mail. Production sets ``TRYGG_PROFILE=production`` with ``DATABASE_URL``, ``DJANGO_SECRET_KEY`` and
``ALLOWED_HOSTS``; that profile turns on HTTPS-only cookies, HSTS and the SSL redirect so that
``manage.py check --deploy`` is clean.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TRYGG_VAR_DIR", REPO_DIR / "var"))
DATA_DIR = Path(os.environ.get("TRYGG_DATA_DIR", REPO_DIR / "data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def local_secret_key() -> str:
    """A random key kept in var/ so that local sessions survive restarts without a hard-coded secret."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


PRODUCTION = os.environ.get("TRYGG_PROFILE", "local") == "production"
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or ("" if PRODUCTION else local_secret_key())
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DATABASE_CONN_MAX_AGE = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'trygg.sqlite3'}",
        conn_max_age=DATABASE_CONN_MAX_AGE,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must take a classroom or a double click: readers never wait for the writer (WAL), a
    # writer waits for another rather than failing at once (busy timeout), and a transaction takes the write lock
    # when it begins (IMMEDIATE), so no transaction can fail half-way when it upgrades from reading to writing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        # secure_delete: deleted rows are overwritten, so the youth survey's counted inbox leaves no copy behind.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=FAST;",
    }
# A read replica (PostgreSQL streaming replication) serves report reads; see trygg.dbrouter.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASE_CONN_MAX_AGE, test_options={"MIRROR": "default"}
    )
DATABASE_ROUTERS = ["trygg.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

INSTALLED_APPS = [
    "trygg.core",
    "trygg.events",
    "trygg.mapping",
    "trygg.measures",
    "trygg.cases",
    "trygg.networks",
    "trygg.library",
    "trygg.questionnaires",
    "trygg.youth",
    "trygg.core.apps.TryggAdminConfig",
    "django.forms",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "csp",
    "auditlog",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_countries",
]

MIDDLEWARE = [
    "trygg.core.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "trygg.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "trygg.core.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "trygg.core.middleware.RejectNullCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trygg.core.middleware.AuditContextMiddleware",
    "trygg.core.middleware.PrivateResponsesMiddleware",
    "trygg.core.middleware.BusyDatabaseMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trygg.urls"
WSGI_APPLICATION = "trygg.wsgi.application"
ASGI_APPLICATION = "trygg.asgi.application"

# Widgets render through TEMPLATES, so core's templates can word them (an empty choice reads "Velg …").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trygg.core.context_processors.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id first (core.hashers says which parameters and why); the others verify older hashes, which are re-hashed
# with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "trygg.core.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# Login throttling: five failed attempts for one user name from one address lock that pair for 15 minutes; many
# failures from one address across names (password spraying), or for one name across addresses, lock the address
# or the name too, except where that name has logged in from that address before (core.throttling).
AXES_HANDLER = "trygg.core.throttling.LoginThrottle"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURES_PER_USERNAME = int(os.environ.get("LOGIN_FAILURES_PER_USERNAME", "20"))
# Behind a reverse proxy (deploy/nginx.conf) every request arrives from the proxy's address: login throttling must
# read the visitor's address from X-Forwarded-For, trusting exactly as many proxies as stand in front of Trygg.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "trygg.core.throttling.client_address"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "trygg.core.views.accounts.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Trygg"

# Every write of domain data is audited; reads of sensitive objects are recorded by core.audit.record_read.
AUDITLOG_LOGENTRY_MODEL = "core.AuditEntry"
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "admin",
    "auth",
    "axes",
    "contenttypes",
    "sessions",
    "auditlog",
    "core.auditentry",
    "otp_totp",
    "otp_static",  # backup codes are secrets: never copied into the audit trail
    "django_otp",
    "django_tasks_database",  # django-tasks-db's queue: machinery, not domain data
    "core.job",
    "core.outgoingmail",
    "core.done",
    "core.schedule",
    "library.page",  # the library's index: rebuilt from the documents, not domain data of its own
    "library.word",
    "library.keyterm",
    # The youth survey's codes, answers and tallies: an audit row's time and address would tie a code to answers.
    "youth.accesscode",
    "youth.inbox",
    "youth.response",
    "youth.tally",
    "youth.areatally",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("last_login", "last_used_at")
AUDITLOG_MASK_TRACKING_FIELDS = ("password", "token_hash")
AUDITLOG_STORE_JSON_CHANGES = True
# core.AuditEntry replaces auditlog's own LogEntry, whose migrations would still create an unused table.
MIGRATION_MODULES = {"auditlog": None}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# Files (job results today, uploads later) go through Django's storage API: MEDIA_ROOT by default, S3-compatible
# object storage when S3_BUCKET is set. Objects stay private; downloads go through the app's own permission checks.
if os.environ.get("S3_BUCKET"):
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The library's uploads: the largest file taken, and the separate process that reads one (memory and CPU seconds).
LIBRARY_MAX_UPLOAD_MB = int(os.environ.get("LIBRARY_MAX_UPLOAD_MB", "25"))  # as deploy/nginx.conf allows
LIBRARY_EXTRACT_MEMORY_MB = int(os.environ.get("LIBRARY_EXTRACT_MEMORY_MB", "1024"))
LIBRARY_EXTRACT_SECONDS = int(os.environ.get("LIBRARY_EXTRACT_SECONDS", "120"))

# Background work: Django's tasks interface (django-tasks now, django.tasks from Django 6) with the database queue,
# which every worker on every machine shares; run workers with `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# The worker's periodic tick, and how long queued work may sit untouched before the tick queues it again (its
# worker died). Shorter values make recovery faster (fault tests); the defaults suit production.
TASK_TICK_SECONDS = int(os.environ.get("TASK_TICK_SECONDS", "900"))
TASK_STALE_SECONDS = int(os.environ.get("TASK_STALE_SECONDS", "600"))

# No state in a web process: sessions and the cache live in the database that every process shares.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "trygg_cache",
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
}

# Without a mail server configured, every e-mail is written as a file to var/mail/ (the demo's too), not to the console.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Trygg <trygg@localhost>")

# Strict Content-Security-Policy: nothing inline, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],  # the youth survey's service worker, served from the pupil's pages
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
CSRF_FAILURE_VIEW = "trygg.core.views.errors.csrf_failure"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes ask over plain HTTP on the machine itself
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# One line per record on stderr; JSON in production (for a log collector), text locally. Both carry the request ID.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
# Paths whose requests leave no log line (the youth survey's anonymous pupil pages; nginx skips them too).
UNLOGGED_PATH_PREFIXES = ("/ung/",)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "trygg.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks_db": {"level": "INFO"},
        # runserver's request lines (`make run`) go through the same filter, not Django's own handler, which would
        # write the pupil pages' lines too.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
