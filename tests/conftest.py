from __future__ import annotations

import os

import distributed.utils as distributed_utils
import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests import factories

# CI runs every property test with a fixed seed: a red build always means a regression, never luck.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
# `make test-deep`: random seeds and twenty times the examples (tests that scale with the profile's count).
hypothesis_settings.register_profile("deep", deadline=None, max_examples=2000)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
)

# No test opens a socket to another host (pytest-socket, `--allow-hosts` in pyproject: loopback only, for
# PostgreSQL, Redis, the live server and the local fakes). Dask names its in-process clusters after the
# address this machine would use to reach 8.8.8.8, found by a UDP connect that sends no packet; asked once
# here, before the guard is on, the answer is cached for every cluster the tests start.
distributed_utils.get_ip()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, as a worker does: a French request in one test (the test
    client leaves its language active in the thread) must not change what the next one writes or reads."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """API throttles count per user and address in the cache: each test starts with no request counted, so
    that a suite of many requests as one user or from 127.0.0.1 never meets the per-minute limits."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def brand_admin(db):
    return factories.member()


@pytest.fixture
def other_brand_admin(db):
    return factories.member()


@pytest.fixture
def creator(db):
    return factories.creator_user()


@pytest.fixture
def operator(db):
    return factories.user(staff=True)


@pytest.fixture
def client_for():
    def make(user) -> Client:
        c = Client()
        c.force_login(user)
        return c

    return make
