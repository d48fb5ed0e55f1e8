"""web/environment.py: the one reader of the environment (django-environ), keys generated once, safe defaults."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from microreach.web import environment as config

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment: no microreach variable but the data directory in tmp_path."""
    for name in list(os.environ):
        if name.startswith(("MICROREACH_", "SENTRY_")) or name in {
            "DATABASE_URL",
            "REDIS_URL",
            "CACHE_URL",
            "EMAIL_URL",
        }:
            monkeypatch.delenv(name)
    monkeypatch.setenv("MICROREACH_DATA_DIR", str(tmp_path))
    return monkeypatch


def test_debug_is_off_unless_asked(env):
    assert config.load().debug is False
    env.setenv("MICROREACH_DEBUG", "true")
    assert config.load().debug is True


def test_without_a_secret_key_one_is_generated_once_private_and_reused(env, tmp_path):
    first = config.load()

    key_file = tmp_path / "secret_key"
    assert first.secret_key == key_file.read_text().strip()
    assert len(first.secret_key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_key_from_environment is False
    assert config.load().secret_key == first.secret_key
    assert first.secret_key != config._LEGACY_DEVELOPMENT_KEY


def test_an_explicit_secret_key_wins_and_writes_no_file(env, tmp_path):
    env.setenv("MICROREACH_SECRET_KEY", "s" * 60)

    loaded = config.load()

    assert (loaded.secret_key, loaded.secret_key_from_environment) == ("s" * 60, True)
    assert not (tmp_path / "secret_key").exists()


def test_rotating_the_secret_key_keeps_the_pseudonym_key(env, tmp_path):
    env.setenv("MICROREACH_SECRET_KEY", "old-secret-" * 6)
    before = config.load()

    env.setenv("MICROREACH_SECRET_KEY", "new-secret-" * 6)
    after = config.load()

    # Stored pseudonyms were made with the secret key until now: an upgraded installation keeps them.
    assert before.pseudonym_key == "old-secret-" * 6
    assert after.pseudonym_key == before.pseudonym_key
    assert stat.S_IMODE((tmp_path / "pseudonym_key").stat().st_mode) == 0o600


def test_a_fresh_installation_gets_its_own_random_pseudonym_key(env, tmp_path):
    loaded = config.load()

    assert loaded.pseudonym_key == (tmp_path / "pseudonym_key").read_text().strip()
    assert loaded.pseudonym_key not in {loaded.secret_key, config._LEGACY_DEVELOPMENT_KEY}


def test_a_laptop_upgraded_from_the_built_in_key_keeps_its_pseudonyms(env, tmp_path):
    (tmp_path / "microreach.sqlite3").write_bytes(b"")  # the database of a previous version

    assert config.load().pseudonym_key == config._LEGACY_DEVELOPMENT_KEY
    assert config.load().secret_key != config._LEGACY_DEVELOPMENT_KEY


def test_an_explicit_pseudonym_key_wins(env, tmp_path):
    env.setenv("MICROREACH_PSEUDONYM_KEY", "p" * 40)

    assert config.load().pseudonym_key == "p" * 40
    assert not (tmp_path / "pseudonym_key").exists()


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        ("sqlite:////tmp/somewhere/x.sqlite3", "django.db.backends.sqlite3", "/tmp/somewhere/x.sqlite3"),
        ("postgres://u:pw@db.example:5432/mr", "django.db.backends.postgresql", "mr"),
        ("postgresql://u@127.0.0.1/mr", "django.db.backends.postgresql", "mr"),
    ],
)
def test_database_url_of_any_kind(env, url, engine, name):
    env.setenv("DATABASE_URL", url)

    database = config.load().database

    assert database is not None
    assert (database["ENGINE"], database["NAME"]) == (engine, name)


def test_cache_and_email_urls(env):
    env.setenv("CACHE_URL", "redis://127.0.0.1:6379/3")
    env.setenv("EMAIL_URL", "smtp+tls://user:secret@mail.example.com:587")

    loaded = config.load()

    assert loaded.cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }
    assert loaded.email is not None
    assert (loaded.email["EMAIL_HOST"], loaded.email["EMAIL_PORT"], loaded.email["EMAIL_USE_TLS"]) == (
        "mail.example.com",
        587,
        True,
    )


def test_an_unknown_url_scheme_is_named_without_the_password(env):
    env.setenv("DATABASE_URL", "mongodb://admin:hunter2@db/x")

    with pytest.raises(config.ConfigError) as error:
        config.load()

    assert "DATABASE_URL" in str(error.value)
    assert "mongodb" in str(error.value)
    assert "hunter2" not in str(error.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Proto=https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Scheme: https", ("HTTP_X_FORWARDED_SCHEME", "https")),
        ("HTTP_X_FORWARDED_PROTO,https", None),
    ],
)
def test_proxy_ssl_header(env, raw, expected):
    env.setenv("MICROREACH_PROXY_SSL_HEADER", raw)
    if expected is None:
        with pytest.raises(config.ConfigError, match="MICROREACH_PROXY_SSL_HEADER"):
            config.load()
    else:
        assert config.load().proxy_ssl_header == expected


def test_csrf_trusted_origins_must_be_origins(env):
    env.setenv("MICROREACH_CSRF_TRUSTED_ORIGINS", "https://a.example.com, https://b.example.com/")
    assert config.load().csrf_trusted_origins == ["https://a.example.com", "https://b.example.com"]

    env.setenv("MICROREACH_CSRF_TRUSTED_ORIGINS", "a.example.com")
    with pytest.raises(
        config.ConfigError, match=re.escape("MICROREACH_CSRF_TRUSTED_ORIGINS: 'a.example.com'")
    ):
        config.load()


def test_a_number_that_is_not_one_says_which_variable(env):
    env.setenv("MICROREACH_JOB_LEASE_SECONDS", "soon")

    with pytest.raises(config.ConfigError, match="MICROREACH_JOB_LEASE_SECONDS='soon'"):
        config.load()


def test_nothing_else_reads_the_environment():
    """One reader: no module of the product reads a variable but config (handing the environment on to a
    child process is not reading it)."""
    read = re.compile(r"os\.getenv|os\.environ\.get|os\.environ\[|environ\.Env\(")
    readers = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src/microreach").rglob("*.py")
        if path != ROOT / "src/microreach/web/environment.py" and read.search(path.read_text())
    ]
    assert readers == []


def _bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"MICROREACH_DATA_DIR": str(tmp_path), **extra})
    return env


def test_a_sqlite_database_url_works(tmp_path):
    """It crashed with "'options' is an invalid keyword argument" (PostgreSQL options on SQLite)."""
    db = tmp_path / "by-url.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "microreach.cli.main", "manage", "migrate", "jobs", "--no-input", "-v0"],
        env=_bare_env(tmp_path, DATABASE_URL=f"sqlite:///{db}"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert db.stat().st_size > 0
    assert not (tmp_path / "microreach.sqlite3").exists()


def test_cli_commands_work_with_no_environment_and_debug_off(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "microreach.cli.main",
            "manage",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG, len(settings.SECRET_KEY))",
        ],
        env=_bare_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1].split() == [
        "False",
        str(len((tmp_path / "secret_key").read_text().strip())),
    ]
