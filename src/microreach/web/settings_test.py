"""Test settings: the base settings with in-process tasks, an in-memory mail box and fast hashing."""

from microreach.web.settings import *  # noqa: F403
from microreach.web.settings import HUEY

# The only settings with DEBUG on (pytest-django still runs tests with it off unless asked).
DEBUG = True
HUEY = {**HUEY, "immediate": True}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Throttle counts in memory, per test process, whatever CACHE_URL or REDIS_URL the environment has.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Population snapshots (Parquet) in this process's memory, not in the data folder.
MICROREACH = {**MICROREACH, "POPULATION_STORE": "memory://microreach-test-populations"}  # noqa: F405
