"""settings_prod: `check --deploy` clean, and no production server without an explicit secret key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    base.update(
        {
            "DJANGO_SETTINGS_MODULE": "microreach.web.settings_prod",
            "MICROREACH_DATA_DIR": str(tmp_path),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "microreach.cli.main", "manage", *args],
        env=base,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        MICROREACH_SECRET_KEY="k" * 20 + "production-secret-key-of-fifty-chars",
        MICROREACH_ALLOWED_HOSTS="microreach.example.com",
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_the_base_settings(tmp_path):
    """The same check on the laptop settings warns (HSTS, SSL redirect, cookies): the test above is not
    clean by accident."""
    result = _manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="microreach.web.settings",
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # SECURE_HSTS_SECONDS
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


def test_the_production_server_refuses_to_start_without_an_explicit_secret_key(tmp_path):
    result = _manage(tmp_path, "check")

    assert result.returncode != 0
    assert "MICROREACH_SECRET_KEY is not set" in result.stderr


def test_production_settings_are_https_only_with_a_static_manifest(tmp_path):
    result = _manage(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.STORAGES['staticfiles']['BACKEND'])",
        MICROREACH_SECRET_KEY="x" * 50,
        MICROREACH_DEBUG="true",
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "31536000",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]
