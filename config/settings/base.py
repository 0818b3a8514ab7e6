"""hoptac settings: production is this file plus environment variables (README, "Configuration")."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config import security
from config.env import env, env_bool, env_choice, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("HOPTAC_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for development).")
    SECRET_KEY = "dev-only-not-secret"  # noqa: S105  (development only; refused above otherwise)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # portal: /sitemap.xml
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",  # two-factor sign-in (hoptac/accounts/two_factor)
    "django_otp.plugins.otp_totp",  # its authenticator app codes (TOTP)
    "django_otp.plugins.otp_static",  # its recovery codes
    "csp",  # django-csp: the Content-Security-Policy header (config/security.py)
    "django_tasks",  # the tasks API of Django 6.0, backported (hoptac/jobs)
    "django_tasks_db",  # its database-backed queue, the embedded default
    # hoptac, in dependency order (docs/architecture.md)
    "hoptac.core",
    "hoptac.areas",
    "hoptac.accounts",
    "hoptac.notifications",  # in the app and by e-mail (the bell, /thong-bao/)
    "hoptac.jobs",
    "hoptac.registry",
    "hoptac.reports",
    "hoptac.ratings",
    "hoptac.support",
    "hoptac.market",
    "hoptac.indicators",
    "hoptac.plans",
    "hoptac.portal",
    "hoptac.api",  # the REST API, on top of every app (/api/v1/)
]

MIDDLEWARE = [
    "hoptac.core.request_id.RequestIdMiddleware",  # first: every log line of a request has its id
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CSP on every response Django makes (static files, served above by WhiteNoise, need none)
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the audit log: every download recorded; the request's address kept for the services
    "hoptac.accounts.audit.AuditMiddleware",
    # Permissions-Policy, and no-store for signed-in users and downloads: needs request.user
    "hoptac.core.middleware.ResponseHeadersMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hoptac.accounts.two_factor.middleware.TwoFactorMiddleware",  # the second step first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "hoptac.portal.middleware.VisitCounterMiddleware",  # portal: visitor statistics
]

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hoptac.core.context_processors.site",
                "hoptac.core.context_processors.page_holes",  # after Django's csrf processor
                "hoptac.jobs.context_processors.jobs",  # the menu's badge of finished jobs
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL in production (DATABASE_URL=postgres://…).
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hoptac.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection is tested before a request reuses it, so a database restart costs
        # only the requests in flight, not one failed request per kept connection.
        conn_health_checks=env_bool("HOPTAC_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
    }
# PostgreSQL's JIT compiles the dashboard's aggregates for longer than they run (600 ms of
# compiling for 200 ms of work, measured in bench/); off unless DATABASE_JIT=true.
_postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if _postgres and not env_bool("DATABASE_JIT", False):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (hoptac/jobs): Django's tasks API on a queue chosen by HOPTAC_TASKS_BACKEND:
#   database   the default: a table of this database, run by `manage.py worker` (SQLite alone works)
#   rq         Redis (REDIS_URL) through RQ, with workers on other hosts (`manage.py worker` too)
#   immediate  run at once inside the caller (the tests' default; no worker)
HOPTAC_TASKS_BACKEND = env_choice(
    "HOPTAC_TASKS_BACKEND", "database", ("database", "rq", "immediate")
)
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[HOPTAC_TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if HOPTAC_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env("REDIS_URL", "redis://127.0.0.1:6379/0")}}
# A running job's progress and cancel requests pass outside its transaction: through a second
# connection to PostgreSQL ("database"), or through files in HOPTAC_JOBS_DIR on one machine
# ("files", SQLite's only choice).
HOPTAC_JOBS_CHANNEL = env_choice(
    "HOPTAC_JOBS_CHANNEL",
    "database" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "files",
    ("database", "files"),
)
if HOPTAC_JOBS_CHANNEL == "database":
    DATABASES["jobs"] = {**DATABASES["default"], "CONN_MAX_AGE": 0}
HOPTAC_JOBS_DIR = Path(env("HOPTAC_JOBS_DIR", str(VAR_DIR / "jobs")))
HOPTAC_JOB_STALE_SECONDS = env_int("HOPTAC_JOB_STALE_SECONDS", 60)  # no sign of life: failed
HOPTAC_JOB_KEEP_DAYS = env_int("HOPTAC_JOB_KEEP_DAYS", 30)  # finished jobs (and files) kept
# An export of more rows than this is written by a background job, downloaded from its page.
HOPTAC_EXPORT_JOB_ROWS = env_int("HOPTAC_EXPORT_JOB_ROWS", 20_000)
# The written report (DOCX, PDF, XLSX) of an area with more HTX than this is written by a job.
HOPTAC_REPORT_JOB_COOPERATIVES = env_int("HOPTAC_REPORT_JOB_COOPERATIVES", 5_000)
# The site's address, for links in e-mails (notifications of finished jobs).
HOPTAC_SITE_URL = env("HOPTAC_SITE_URL", "http://127.0.0.1:8000")

# Cache: Redis when REDIS_URL is set (several app servers), else memory of this process.
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# The rate limits (portal forms, django-ratelimit) count in a cache every process shares: Redis
# when set, else a database table (hoptac.core.cache: exact counters; migrate creates it).
CACHES["ratelimit"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "hoptac.core.cache.AtomicDatabaseCache",
        "LOCATION": "hoptac_ratelimit_cache",  # core migration 0001
        "OPTIONS": {"MAX_ENTRIES": 100_000},  # not Django's 300: culling drops live counters
    }
)
RATELIMIT_USE_CACHE = "ratelimit"

# Public pages and dashboard parts are served from a cache of rendered fragments, exact at the
# versions of what they show (hoptac.core.fragments); false renders everything every time.
HOPTAC_FRAGMENT_CACHE = env_bool("HOPTAC_FRAGMENT_CACHE", True)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:work"  # the signed-in user's tasks (hoptac.portal.work)
LOGOUT_REDIRECT_URL = "portal:home"

# Failed sign-ins are throttled by django-axes: after AXES_FAILURE_LIMIT failures for one
# user name from one address, that pair is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The visitor's address behind HOPTAC_PROXY_COUNT proxies, the same as the audit log's (axes'
# own ipware path needs django-ipware, which is not installed: it would read REMOTE_ADDR only).
AXES_CLIENT_IP_CALLABLE = "hoptac.core.addresses.client_address"

# Two-factor sign-in (django-otp: a code from an authenticator app, or a recovery code) is
# required of "admin": administrators; "officer": administrators and every officer (province,
# district, commune); "none": nobody, though anyone may enrol. Wrong codes are throttled per
# device (django-otp: a wait of 1, 2, 4, 8… s after each one) and count as failed sign-ins for
# django-axes, like wrong passwords.
HOPTAC_REQUIRE_2FA = env_choice("HOPTAC_REQUIRE_2FA", "admin", ("admin", "officer", "none"))
OTP_TOTP_ISSUER = "hoptac"  # the name the authenticator app shows beside the account
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # Django's admin site never shows a secret key or QR code

# Sessions, cookies and HTTPS: secure by default when not in DEBUG.
SECURE = env_bool("HOPTAC_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("HOPTAC_SESSION_HOURS", 12) * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("HOPTAC_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # HSTS: browsers come back over HTTPS only, for a year unless told (0 turns it off).
    SECURE_HSTS_SECONDS = env_int("HOPTAC_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HOPTAC_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("HOPTAC_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is the owner of the whole domain's decision (hstspreload.org takes only a
        # registrable domain, e.g. the province's, never hoptac's sub-domain): not a warning.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Language, time and formats: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

# Static files: our own in static/, libraries from the npm registry (node_modules, installed by
# `npm ci` at setup) mapped under static/vendor/; never a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),  # indicators: the map
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),  # indicators: the charts
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),  # api: the docs page /api/v1/docs
    ("vendor/datepicker", NODE_MODULES / "vanillajs-datepicker" / "dist"),  # date fields
]
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
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("HOPTAC_MAX_UPLOAD_MB", 20) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
HOPTAC_MAX_IMPORT_MB = env_int("HOPTAC_MAX_IMPORT_MB", 20)  # registry import: largest file
# Registry list: count exactly up to this many rows; above, PostgreSQL's estimate (0: always exact)
HOPTAC_EXACT_COUNT_LIMIT = env_int("HOPTAC_EXACT_COUNT_LIMIT", 1000)
# Indicators: the tally (figures added up in advance) covers this many years before the
# current one; older year-ends are computed from the live tables.
HOPTAC_TALLY_YEARS = env_int("HOPTAC_TALLY_YEARS", 20)
# /readyz fails when the tally has been behind the data (marks waiting) for longer than this
# many minutes; 0: staleness is reported, never a failure.
HOPTAC_TALLY_STALE_MINUTES = env_int("HOPTAC_TALLY_STALE_MINUTES", 0)
# Annual reports are due on this day (MM-DD) of the following year: 15 January under ND 193/2013
# as amended by ND 107/2017 (Cooperative Law 2012); the deadline under Luật HTX 17/2023/QH15 and
# Nghị định 92/2024/NĐ-CP was not retrieved (NOT_FOUND), so it is a setting.
HOPTAC_REPORT_DEADLINE = env("HOPTAC_REPORT_DEADLINE", "01-15")
# How many days before the reporting deadline `manage.py notify_deadlines` tells the managers of
# HTX that have not submitted (comma-separated; hoptac.reports.rules.parse_notice_days).
HOPTAC_DEADLINE_NOTICE_DAYS = env("HOPTAC_DEADLINE_NOTICE_DAYS", "14,3")

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "hoptac@localhost")

# What the site calls itself and whether pages carry the "illustrative data" banner.
HOPTAC_SITE_NAME = env("HOPTAC_SITE_NAME", "")
HOPTAC_DEMO_BANNER = env_bool("HOPTAC_DEMO_BANNER", False)

# The dashboard map's background tiles (indicators): a URL template such as
# "https://tile.example.org/{z}/{x}/{y}.png", with its attribution. Empty (the default): no
# tiles, the map shows the points and the commune centroids alone (works on an intranet).
HOPTAC_MAP_TILE_URL = env("HOPTAC_MAP_TILE_URL", "")
HOPTAC_MAP_TILE_ATTRIBUTION = env("HOPTAC_MAP_TILE_ATTRIBUTION", "")

# Content-Security-Policy (django-csp): scripts from our own origin only, no inline script and
# no eval; the tile server's host may serve images. The policy and why: config/security.py.
CONTENT_SECURITY_POLICY = security.content_security_policy(tile_url=HOPTAC_MAP_TILE_URL)

# The public portal (hoptac.portal): the province it presents ("legacy:06" is Tỉnh Bắc Kạn of
# the old tree, the demo's; "2025:19" would be Tỉnh Thái Nguyên of the 2025 tree), the office
# on its contact page, and the limits of the citizens' forms.
HOPTAC_PORTAL_PROVINCE = env("HOPTAC_PORTAL_PROVINCE", "legacy:06")
HOPTAC_OFFICE = {
    "name": env("HOPTAC_OFFICE_NAME", ""),
    "address": env("HOPTAC_OFFICE_ADDRESS", ""),
    "phone": env("HOPTAC_OFFICE_PHONE", ""),
    "email": env("HOPTAC_OFFICE_EMAIL", ""),
    "hours": env("HOPTAC_OFFICE_HOURS", ""),
}
# The REST API's rate limits (hoptac.api.throttling): per token or signed-in user, and per
# address for anonymous calls of its public endpoints; "N/s", "N/m", "N/h" or "N/d".
HOPTAC_API_RATE = env("HOPTAC_API_RATE", "1200/m")
HOPTAC_API_PUBLIC_RATE = env("HOPTAC_API_PUBLIC_RATE", "60/m")
HOPTAC_MESSAGE_RATE = env("HOPTAC_MESSAGE_RATE", "5/h")  # feedback and contact, per address
HOPTAC_FEEDBACK_MAX_MB = env_int("HOPTAC_FEEDBACK_MAX_MB", 5)  # largest feedback attachment
HOPTAC_PROXY_COUNT = env_int("HOPTAC_PROXY_COUNT", 0)  # trusted reverse proxies (X-Forwarded-For)
# The audit log (hoptac.accounts.audit) keeps entries this many days; `manage.py audit_purge
# --yes`, run nightly, deletes older ones. No period was found in Nghị định 13/2023/NĐ-CP.
HOPTAC_AUDIT_RETENTION_DAYS = env_int("HOPTAC_AUDIT_RETENTION_DAYS", 730)

# Logs go to the console: readable lines ("text"), or one JSON object a line ("json", for a log
# collector, with one access line per request). Every record carries its request's id
# (hoptac.core.request_id, hoptac.core.logging).
HOPTAC_LOG_FORMAT = env_choice("HOPTAC_LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "hoptac.core.logging.RequestContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "hoptac.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": HOPTAC_LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {"hoptac.access": {"level": "INFO"}},  # written in JSON mode only
}
# Health checks (/healthz, /readyz) answer on plain HTTP too, for probes inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
