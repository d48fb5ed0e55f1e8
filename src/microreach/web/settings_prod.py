"""Production settings: the base settings, HTTPS-only, with a manifest of static files.

Used by the production server (`make prod-up`, the Docker image): ``DJANGO_SETTINGS_MODULE=
microreach.web.settings_prod``. Everything else that differs in production comes from the environment
(``web/environment.py``). ``manage.py check --deploy`` is clean with these settings.
"""

from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from microreach.web.environment import CONFIG
from microreach.web.settings import *  # noqa: F403

if not CONFIG.secret_key_from_environment:
    # A key generated into the data directory is fine on a laptop; a public server must be given its own
    # (and keep it: it signs sessions, password resets and e-mail verification links).
    raise ImproperlyConfigured(
        "MICROREACH_SECRET_KEY is not set: the production server refuses to start without an explicit "
        'secret key (generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))")'
    )

DEBUG = False

# Static files: collected into the data directory (`manage collectstatic`) and served by WhiteNoise from
# a manifest of hashed, compressed names, cacheable forever.
WHITENOISE_USE_FINDERS = False
# Source maps (megabytes, for developers' tools) are served as they are: compressing them with brotli took
# most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
STORAGES = {
    **(globals().get("STORAGES") or global_settings.STORAGES),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = True
# Probes and scrapers talk plain HTTP from inside (they are answered before this, by HealthMiddleware).
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
SECURE_HSTS_SECONDS = CONFIG.hsts_seconds
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = CONFIG.hsts_preload
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
