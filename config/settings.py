"""Settings for the social media guidance portal.

Everything that differs between environments comes from environment variables (see the README's settings table).
DEBUG is off unless set, and with DEBUG off a SECRET_KEY must be given: there is no production default.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# No production default: the web server refuses to start without one (config/wsgi.py), and `check --deploy` flags it.
# Commands that need no key (makemigrations, compilemessages) still run without it.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-development-key-only-used-when-debug-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Portal behaviour
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Only the benchmark turns this on: it adds a bare view used as the floor the real pages are measured against.
BENCH_FLOOR_VIEW = env_bool("BENCH_FLOOR_VIEW")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "portal",
    "guidance",
    "assessments",
    "directory",
    "cycles",
    "legal",
    "xliff",
    "django_tasks",
    "django_tasks_db",
    "outbox",
    "evidence",
    "portal.observability",
    "reporting",
    "config",  # the project package: set-up and demo data (manage.py setup_portal)
]

MIDDLEWARE = [
    "portal.observability.middleware.RequestObservabilityMiddleware",  # outermost: times and logs everything
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    "portal.middleware.IdleTimeoutMiddleware",
    "portal.middleware.AdminAccessMiddleware",  # before LoginRequired, which would send people to the admin's sign-in
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "portal.form_rendering.PortalFormRenderer"  # errored fields styled as errors, every widget
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one request writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query its planner thinks is large: the 100,000-row report spent 0.8 s compiling
    # for 2 s of work. The portal's queries are index lookups and sorts, which JIT never pays back.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# The role that owns the schema, for `migrate` and `apply_retention` only (evidence/roles.py): give it to those
# commands' environment, never to the web servers' or the worker's, whose DATABASE_URL role owns nothing.
DATABASE_OWNER = (
    dj_database_url.parse(os.environ["DATABASE_OWNER_URL"]) if os.environ.get("DATABASE_OWNER_URL") else None
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The cache may fail: with Redis unreachable every cache call answers "not cached" (pages come from the database,
    # sessions from their table) within CACHE_TIMEOUT_SECONDS, and the failure is logged at most once a minute.
    CACHE_TIMEOUT_SECONDS = float(os.environ.get("CACHE_TIMEOUT_SECONDS", "0.25"))
    # After a failure (refused, or no answer within the timeout) Redis is not asked again for this long.
    CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "1"))
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "portal.cache.FailFastClient",  # skips Redis for a moment after it fails
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": CACHE_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": CACHE_TIMEOUT_SECONDS,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "portal.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}}
# Each process's own memory, for rendered fragments that depend only on the code, the language and a person's roles
# (the menu, the page's head and footer): nothing another instance could change, so no need to ask Redis for them.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-local"}

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.backends.StaffBackend",  # Django's ModelBackend, with permissions read in one query
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:sign-in"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:sign-in"

# Sign-in lockout: after 5 failures for one username from one address, wait 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind the load balancer: how many proxies (or which addresses) append to X-Forwarded-For, so axes sees the person's
# own address rather than the balancer's. With neither set, the connecting address is used.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXY_ADDRESSES = env_list("TRUSTED_PROXY_ADDRESSES")

# SCIM: what one request may be, and how many wrong tokens one address may send before it is made to wait.
SCIM_MAX_BODY_BYTES = 128 * 1024
SCIM_MAX_JSON_DEPTH = 16
SCIM_TOKEN_FAILURE_LIMIT = int(os.environ.get("SCIM_TOKEN_FAILURE_LIMIT", "10"))
SCIM_TOKEN_FAILURE_WINDOW = 15 * 60  # seconds
AXES_CLIENT_IP_CALLABLE = "portal.sign_in_limits.client_address"
# Password spraying: failures from one address over all usernames within the cool-off before that address is paused.
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "60"))
AXES_LOCKOUT_CALLABLE = "portal.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Single sign-on through OpenID Connect, switched on by giving the provider's client id. Sign-ins through the provider
# are not counted by axes: the provider throttles its own, and a refusal has no username to lock.
AXES_WHITELIST_CALLABLE = "portal.oidc.is_single_sign_on_attempt"
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT_SECONDS", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "portal.oidc.DirectoryOIDCBackend")
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ["OIDC_OP_AUTHORIZATION_ENDPOINT"]
    OIDC_OP_TOKEN_ENDPOINT = os.environ["OIDC_OP_TOKEN_ENDPOINT"]
    OIDC_OP_USER_ENDPOINT = os.environ["OIDC_OP_USER_ENDPOINT"]
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")  # checked against each ID token's `iss` when set

# Internationalisation: English and Welsh, every page under /en/ or /cy/.
LANGUAGE_CODE = "en-gb"  # British English; pages are served as "en" (the LANGUAGES entry it falls back to)
LANGUAGES = [("en", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

STATIC_URL = "/static/"
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

# Uploads: the staff list is the only file anyone uploads; refuse anything large before parsing it.
# How long records are kept. The privacy notice prints these, and the clean-up commands use them unless told otherwise.
RETENTION_ANSWER_YEARS = int(os.environ.get("RETENTION_ANSWER_YEARS", "3"))
RETENTION_DECLARATION_YEARS = int(os.environ.get("RETENTION_DECLARATION_YEARS", "6"))

STAFF_IMPORT_MAX_BYTES = int(os.environ.get("STAFF_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
# What one staff list may hold, checked before a parser builds it (directory/importing/limits.py).
STAFF_IMPORT_MAX_ROWS = int(os.environ.get("STAFF_IMPORT_MAX_ROWS", "250000"))
STAFF_IMPORT_MAX_COLUMNS = int(os.environ.get("STAFF_IMPORT_MAX_COLUMNS", "200"))
STAFF_IMPORT_MAX_CELL_CHARACTERS = int(os.environ.get("STAFF_IMPORT_MAX_CELL_CHARACTERS", "1000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email: the console in development, SMTP in production. Every message goes through the outbox (`outbox/`): written
# in the same transaction as its record and sent by the background worker (`manage.py run_worker`) with retries.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "social-media-guidance@gov.wales")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT_SECONDS", "10"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
# Seconds to wait after the 1st, 2nd, ... failed attempt (the last repeats): about a day in all before "failed".
OUTBOX_RETRY_DELAYS = [int(seconds) for seconds in env_list("OUTBOX_RETRY_DELAYS", "30,120,600,1800,3600,7200,21600")]
# How long a worker holding a sent message waits for the database to come back to record it (then it gives up, and the
# sweep will send the message again: a duplicate rather than a loss).
OUTBOX_MARK_SENT_PATIENCE_SECONDS = int(os.environ.get("OUTBOX_MARK_SENT_PATIENCE_SECONDS", "600"))
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Long work goes to the worker: reading, checking and applying a staff list with more rows than this (judged before
# reading by its line breaks, or a workbook's size), and HR's downloads when the cycle covers more people than this. Below them the work takes well under a second, so the person gets the answer at once.
BACKGROUND_IMPORT_ROWS = int(os.environ.get("BACKGROUND_IMPORT_ROWS", "3000"))
BACKGROUND_EXPORT_PEOPLE = int(os.environ.get("BACKGROUND_EXPORT_PEOPLE", "3000"))
# Files the worker makes (HR's downloads hold personal data): a private directory the web server never serves,
# each file handed only to the person who asked, and deleted after a day (outbox/background.py).
PORTAL_FILES_DIR = Path(os.environ.get("PORTAL_FILES_DIR", str(BASE_DIR / "private-files")))
# A running job whose worker has not finished it by then is taken to have died, and is marked failed.
BACKGROUND_JOB_LEASE_MINUTES = int(os.environ.get("BACKGROUND_JOB_LEASE_MINUTES", "30"))
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
if GOVUK_NOTIFY_API_KEY:
    EMAIL_BACKEND = "outbox.notify.NotifyBackend"
    GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = os.environ["GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID"]
    GOVUK_NOTIFY_BASE_URL = os.environ.get("GOVUK_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security headers. HTTPS-only settings apply when DEBUG is off (production sits behind TLS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Operations: readiness, metrics, logs (portal/observability). The deploy creates the drain file to take this
# instance out of the load balancer before stopping it; /metrics answers only these networks, directly (not through
# the load balancer).
PORTAL_DRAIN_FILE = os.environ.get("PORTAL_DRAIN_FILE", "")
# Which release of the code this process runs: the deploy writes it to BUILD beside manage.py, and /healthz reports it,
# so a rolling deploy can check that each instance came back on the new code.
PORTAL_BUILD = (BASE_DIR / "BUILD").read_text(encoding="utf-8").strip() if (BASE_DIR / "BUILD").is_file() else ""
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
# One JSON object per line (LOG_FORMAT=json, the default) for the log collector; "text" for reading in a terminal.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "once_a_minute": {"()": "portal.logging.OnceAMinute"},
        "request_id": {"()": "portal.observability.log_format.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "portal.observability.log_format.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django_tasks logs two lines per task; the outbox logs what matters (failures, retries) itself.
    "loggers": {
        "axes": {"level": "WARNING"},
        "portal.cache": {"level": "WARNING", "filters": ["once_a_minute"]},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
