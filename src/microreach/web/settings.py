"""Django settings: one base module; the environment (read in ``environment``) changes what differs in production."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

from microreach.web.environment import CONFIG
from microreach.web.ops.logs import logging_config
from microreach.web.ops.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = CONFIG.data_dir
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = CONFIG.allowed_hosts
# Behind a TLS-terminating proxy: the proxy's origin is trusted for form POSTs, and its header says HTTPS.
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
SECURE_PROXY_SSL_HEADER = CONFIG.proxy_ssl_header
SITE_URL = CONFIG.site_url

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # country names in the reader's language for the creator address form (web/campaigns/forms.py)
    "django_countries",
    "django_htmx",
    "template_partials",
    "huey.contrib.djhuey",
    "microreach.web.jobs",
    "microreach.web.accounts",
    "microreach.web.creators",
    "microreach.web.audits",
    "microreach.web.connections",
    "microreach.web.campaigns",
    "microreach.web.reporting",
    "microreach.web.discovery",
    "microreach.web.inbox",
    "microreach.web.api",
    # ninja in the apps: /api/docs loads Swagger UI from our static files (ninja/static), never a CDN.
    "ninja",
    "axes",
    "csp",
    "microreach.web.ops",
    # the local fakes of the networks (templates only; their URLs exist only with MICROREACH_FAKE_NETWORKS=1)
    "microreach.web.fake_networks",
    "django_prometheus",
]

MIDDLEWARE = [
    # Liveness and readiness answer before any host check or redirect (probes come by IP, over HTTP).
    "microreach.web.ops.middleware.HealthMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "microreach.web.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A body too large is refused (413) before CSRF reads it; client-caused exceptions answer 4xx.
    "microreach.web.errors.ProblemMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "microreach.web.accounts.middleware.TenantMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "microreach.web.urls"
WSGI_APPLICATION = "microreach.web.wsgi.application"

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
                "django.template.context_processors.i18n",
                "microreach.web.accounts.context_processors.tenancy",
                "microreach.web.home.navigation",
                "csp.context_processors.nonce",
            ],
        },
    },
]

if CONFIG.database and CONFIG.database["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES = {"default": {**CONFIG.database, "CONN_MAX_AGE": 60}}
    DATABASES["default"].setdefault("TEST", {})
    if CONFIG.database["ENGINE"] == "django.db.backends.postgresql":
        # Search ranks and sorts thousands of matched rows: a bitmap that fits in work_mem stays exact (no
        # recheck of every row of a lossy page), and JIT compilation costs more than these queries save.
        # A server-wide setting (or the URL's ?options=) takes precedence when given.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off -c work_mem=32MB")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # DATABASE_URL=sqlite:///path names the file too (MICROREACH_SQLITE_PATH wins).
            "NAME": CONFIG.sqlite_path
            or (CONFIG.database["NAME"] if CONFIG.database else str(DATA_DIR / "microreach.sqlite3")),
            # WAL lets readers go on while a long write runs; IMMEDIATE takes the write lock at BEGIN,
            # so two writers queue on busy_timeout instead of failing with "database is locked".
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;PRAGMA temp_store=MEMORY;"
                    # Reads through a memory map (the OS page cache, shared by every process) and a
                    # 64 MiB page cache per connection: search reads rows scattered over the file.
                    "PRAGMA mmap_size=1073741824;PRAGMA cache_size=-65536;"
                ),
            },
            # A file, not memory: the worker process of the crash test must see the test database.
            # One per test process, so that test runs side by side do not share it.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }

# Query counts and latencies for /metrics: django-prometheus wraps the same database backends.
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])

# CACHE_URL names the shared cache (e.g. redis://host:6379/2); without it, Django's per-process default.
if CONFIG.cache:
    CACHES = {"default": CONFIG.cache}
elif CONFIG.redis_url:
    # No CACHE_URL but a Redis for the queue: the cache lives there too, so that every process counts the
    # API and login throttles together (a per-process cache would multiply the limits by the workers).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG.redis_url,
            "KEY_PREFIX": "microreach-cache",
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes), on the web login and /admin/ alike: after 5 wrong passwords for one
# account from one address, that pair waits 15 minutes (429). Never per address alone: colleagues behind
# one office address do not lock each other out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "microreach.web.accounts.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "microreach.web.accounts.views.login_locked_out"

# Content-Security-Policy (django-csp) on every response: scripts and styles from our own files only,
# inline scripts only with the request's nonce, no eval, no plugin, not framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("Français"))]
# django-countries' English names that no one uses in a form ("Naoero", "Bahamas (The)"), named as people do
COUNTRIES_OVERRIDE = {"NR": _("Nauru"), "BS": _("Bahamas")}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

EMAIL_BACKEND = CONFIG.email_backend
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = CONFIG.default_from_email
# EMAIL_URL (e.g. smtp+tls://user:password@mail.example.com:587) sets the backend, host and login.
if CONFIG.email:
    EMAIL_BACKEND = CONFIG.email["EMAIL_BACKEND"]
    EMAIL_HOST = CONFIG.email["EMAIL_HOST"] or "localhost"
    EMAIL_PORT = CONFIG.email["EMAIL_PORT"] or 25
    EMAIL_HOST_USER = CONFIG.email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = CONFIG.email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = bool(CONFIG.email.get("EMAIL_USE_TLS"))
    EMAIL_USE_SSL = bool(CONFIG.email.get("EMAIL_USE_SSL"))
    if CONFIG.email.get("EMAIL_FILE_PATH"):
        EMAIL_FILE_PATH = Path(CONFIG.email["EMAIL_FILE_PATH"])

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
# HTTPS-only cookies, HSTS and the SSL redirect are in settings_prod: `make demo` is plain HTTP on loopback.

# Huey: SQLite storage on a laptop, Redis when REDIS_URL is set. The database, not the queue, is the
# record of work to do (microreach.web.jobs): a sweep re-queues what a killed worker lost.
HUEY: dict[str, object] = {
    "name": "microreach",
    "immediate": CONFIG.huey_immediate,
    "results": False,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "check_worker_health": True},
}
if CONFIG.redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": CONFIG.redis_url})
else:
    HUEY.update(
        {"huey_class": "huey.SqliteHuey", "filename": CONFIG.huey_file or str(DATA_DIR / "huey.sqlite3")}
    )

MICROREACH = {
    "PSEUDONYM_KEY": CONFIG.pseudonym_key,
    "TOKEN_KEYS": CONFIG.token_keys,
    "NETWORK_APPS": {network: (client_id, secret) for network, client_id, secret in CONFIG.network_apps},
    "YOUTUBE_API_KEY": CONFIG.youtube_api_key,
    "TIKTOK_RESEARCH": CONFIG.tiktok_research,
    "FAKE_NETWORKS": CONFIG.fake_networks,
    "KEEP_FOLLOWER_USERNAMES": CONFIG.keep_follower_usernames,
    "PERSONAL_DATA_RETENTION_DAYS": CONFIG.personal_data_retention_days,
    "EXTRA_JOB_MODULES": CONFIG.extra_job_modules,
    "JOB_LEASE_SECONDS": CONFIG.job_lease_seconds,
    "API_RATE_LIMIT_PER_MINUTE": 600,
}

# Plain lines on a laptop, one JSON object per line in production (MICROREACH_LOG_FORMAT=json), each with
# the request id of the request that wrote it.
LOGGING = logging_config(fmt=CONFIG.log_format, level=CONFIG.log_level)

# Prometheus metrics (django-prometheus plus microreach's queue gauges) at /metrics, see web/ops/views.py.
PROMETHEUS_EXPORT_MIGRATIONS = False
MICROREACH_METRICS_TOKEN = CONFIG.metrics_token
PROMETHEUS_MULTIPROC_DIR = CONFIG.prometheus_multiproc_dir

if CONFIG.sentry_dsn:  # optional: needs the "sentry" extra; imported only when a DSN is set
    sentry_init(
        dsn=CONFIG.sentry_dsn,
        environment=CONFIG.sentry_environment,
        traces_sample_rate=CONFIG.sentry_traces_sample_rate,
    )
