"""Optional error reports to Sentry: sentry-sdk is an extra, imported only when ``SENTRY_DSN`` is set."""

from __future__ import annotations

import importlib

from django.core.exceptions import ImproperlyConfigured


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float) -> None:
    try:
        sentry_sdk = importlib.import_module("sentry_sdk")
        django_integration = importlib.import_module("sentry_sdk.integrations.django")
    except ImportError:
        raise ImproperlyConfigured(
            'SENTRY_DSN is set but sentry-sdk is not installed: pip install "microreach[sentry]"'
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # creators' and followers' data stay out of error reports
        integrations=[django_integration.DjangoIntegration()],
    )
