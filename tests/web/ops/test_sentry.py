"""Sentry is optional: imported only when SENTRY_DSN is set, with a clear message when the extra is missing."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from microreach.web.ops import sentry


def test_a_dsn_without_the_extra_says_how_to_install_it(monkeypatch):
    real = importlib.import_module

    def without_sentry(name, *args, **kwargs):
        if name.startswith("sentry_sdk"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(sentry.importlib, "import_module", without_sentry)

    with pytest.raises(ImproperlyConfigured, match=r'pip install "microreach\[sentry\]"'):
        sentry.sentry_init(
            dsn="https://k@o0.ingest.example/1", environment="production", traces_sample_rate=0
        )


def test_settings_do_not_import_sentry_without_a_dsn():
    import sys

    from django.conf import settings

    assert settings.configured
    assert "sentry_sdk" not in sys.modules
