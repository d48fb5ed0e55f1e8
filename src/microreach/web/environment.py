"""Every environment variable microreach reads, read in one place (parsed with django-environ).

Not to be confused with ``microreach.config`` (the versioned YAML knobs of the engine: tiers, benchmarks,
weights) or ``microreach.core.audit_parameters`` (the typed values an audit runs with, built from that YAML).

Settings, the CLI and the worker all ask this module; nothing else calls ``os.environ``. Keys that must
not change between runs (the secret key, the follower pseudonym key) are generated once into the data
directory when the environment does not give them, so that every command works with no environment set.
"""

from __future__ import annotations

import base64
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import environ

# The secret key every installation shared before keys were generated: data stored under it (follower
# pseudonyms) keeps its key on upgrade, but it is never again used to sign anything.
_LEGACY_DEVELOPMENT_KEY = "microreach-insecure-development-key-change-me-in-production"

_env = environ.Env()


class ConfigError(ValueError):
    """An environment variable with a value microreach cannot use; the message names it."""


def _default_data_dir() -> Path:
    # The repository root when running from a checkout (src layout), the working directory otherwise.
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "src").is_dir():
            return parent / "data"
    return Path.cwd() / "data"


def _str(name: str, default: str = "") -> str:
    return str(_env.str(name, default=default)).strip()


def _flag(name: str, default: bool) -> bool:
    raw = _str(name)
    if not raw:
        return default
    return raw.lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = _str(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r}: expected a number >= {minimum}")
    return value


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in _str(name, default).split(",") if item.strip()]


def _url_config(name: str, parse: Any, schemes: dict[str, Any]) -> dict[str, Any] | None:
    raw = _str(name)
    if not raw:
        return None
    scheme = raw.partition("://")[0]
    if scheme not in schemes:
        # The URL may hold a password: the message names its scheme only.
        raise ConfigError(f"{name}: unknown scheme {scheme!r} (expected one of {', '.join(sorted(schemes))})")
    try:
        return dict(parse(raw))
    except (ValueError, KeyError, environ.ImproperlyConfigured) as exc:
        raise ConfigError(f"{name}: cannot read this {scheme}:// URL ({type(exc).__name__})") from None


def stored_key(path: Path, *, initial: str | None = None) -> str:
    """The key kept in ``path`` (mode 0600), written once: ``initial`` when given, else random.

    Several processes may start at once (web server and worker): the first to create the file wins and
    the others read what it wrote.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text(encoding="utf-8").strip()
            if key:
                return key
            time.sleep(0.02)  # the creator is between open() and write()
        raise ConfigError(f"{path} is empty: delete it, or set the key in the environment") from None
    key = initial or secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def _token_keys(data_dir: Path) -> tuple[str, ...]:
    """``MICROREACH_TOKEN_KEYS`` (comma-separated Fernet keys, newest first), else one key generated once
    into ``data/token_key`` (0600). A key is 32 random bytes in URL-safe base64 (44 characters)."""
    keys = _list("MICROREACH_TOKEN_KEYS")
    if not keys:
        keys = [stored_key(data_dir / "token_key", initial=base64.urlsafe_b64encode(os.urandom(32)).decode())]
    for position, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            raw = b""
        if len(raw) != 32:
            # never the key itself in the message: its position only
            raise ConfigError(
                f"MICROREACH_TOKEN_KEYS: key {position} is not 32 bytes in URL-safe base64 (make one with "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`)'
            )
    return tuple(keys)


def _proxy_ssl_header(raw: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto`` (value ``https``) or ``X-Forwarded-Proto=https`` → Django's WSGI spelling."""
    if not raw:
        return None
    name, _, value = raw.replace(":", "=").partition("=")
    name, value = name.strip(), (value.strip() or "https")
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ConfigError(
            f"MICROREACH_PROXY_SSL_HEADER={raw!r}: expected a header name, e.g. X-Forwarded-Proto"
        )
    meta = name.upper().replace("-", "_")
    return (meta if meta.startswith("HTTP_") else f"HTTP_{meta}", value)


def _origins(name: str) -> list[str]:
    origins = _list(name)
    for origin in origins:
        scheme, sep, host = origin.partition("://")
        if not sep or scheme not in {"http", "https"} or not host or "/" in host.rstrip("/"):
            raise ConfigError(f"{name}: {origin!r} is not an origin like https://microreach.example.com")
    return [o.rstrip("/") for o in origins]


@dataclass(frozen=True)
class Config:
    data_dir: Path
    database_url: str | None
    database: dict[str, Any] | None
    redis_url: str | None
    cache: dict[str, Any] | None
    email: dict[str, Any] | None
    secret_key: str
    secret_key_from_environment: bool
    debug: bool
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    proxy_ssl_header: tuple[str, str] | None
    email_backend: str
    default_from_email: str
    site_url: str
    pseudonym_key: str
    keep_follower_usernames: bool
    huey_immediate: bool
    personal_data_retention_days: int
    extra_job_modules: list[str]
    sqlite_path: str | None
    huey_file: str | None
    job_lease_seconds: int
    log_format: str
    log_level: str
    metrics_token: str
    prometheus_multiproc_dir: str
    sentry_dsn: str
    sentry_environment: str
    sentry_traces_sample_rate: float
    hsts_seconds: int
    web_bind: str
    web_workers: int
    web_threads: int
    hsts_preload: bool
    # Batch audits and population builds (issue 18, docs/scale.md): engine ``local`` or ``dask`` (checked by
    # ``batch.engines``), the Dask scheduler (empty: a LocalCluster), numeric threads per worker process,
    # and where population snapshots are stored as Parquet (an fsspec URL; empty: data_dir/populations).
    batch_engine: str = "local"
    dask_scheduler_address: str = ""
    worker_threads: int = 1
    batch_cache_accounts: int = 20000  # accounts a Dask worker keeps between a partition's two reads
    population_store: str = ""
    # glibc's MALLOC_TRIM_THRESHOLD_ as the user set it when microreach started (Dask's nanny writes its own
    # into the process environment later; batch.engines gives the LocalCluster's workers only the user's).
    malloc_trim_threshold: str = ""
    # Connected accounts (issue 17, docs/connectors.md "Storage and retention"): the keys that encrypt the
    # networks' tokens at rest (the first encrypts, every one decrypts: put a new key first to rotate),
    # each network's app credentials (network -> (client id, client secret); a network without both is
    # "not set up"), the YouTube Data API key for public data, and the local fake networks for the demo.
    token_keys: tuple[str, ...] = ()
    network_apps: tuple[tuple[str, str, str], ...] = ()
    youtube_api_key: str = ""
    # TikTok Research API (installations TikTok granted access to): the research app's key and secret
    tiktok_research: tuple[str, str] = ("", "")
    fake_networks: bool = False


def load() -> Config:
    data_dir = Path(_str("MICROREACH_DATA_DIR") or _default_data_dir()).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    explicit_secret = _str("MICROREACH_SECRET_KEY")
    secret = explicit_secret or stored_key(data_dir / "secret_key")
    # The pseudonym key is its own, so that rotating the secret key never re-keys stored followers. On
    # its first creation it takes the key pseudonyms were made with until then (the secret key), so that
    # an upgraded installation keeps matching the followers it already stores.
    pseudonym = _str("MICROREACH_PSEUDONYM_KEY")
    if not pseudonym:
        upgraded = explicit_secret or (
            _LEGACY_DEVELOPMENT_KEY if (data_dir / "microreach.sqlite3").exists() else None
        )
        pseudonym = stored_key(data_dir / "pseudonym_key", initial=upgraded)
    log_format = _str("MICROREACH_LOG_FORMAT", "plain").lower()
    if log_format not in {"plain", "json"}:
        raise ConfigError(f"MICROREACH_LOG_FORMAT={log_format!r}: expected plain or json")
    try:
        traces = float(_str("SENTRY_TRACES_SAMPLE_RATE", "0") or 0)
    except ValueError:
        raise ConfigError("SENTRY_TRACES_SAMPLE_RATE: expected a number between 0 and 1") from None
    database_url = _str("DATABASE_URL") or None
    return Config(
        data_dir=data_dir,
        database_url=database_url,
        database=_url_config("DATABASE_URL", environ.Env.db_url_config, environ.Env.DB_SCHEMES),
        redis_url=_str("REDIS_URL") or None,
        cache=_url_config("CACHE_URL", environ.Env.cache_url_config, environ.Env.CACHE_SCHEMES),
        email=_url_config("EMAIL_URL", environ.Env.email_url_config, environ.Env.EMAIL_SCHEMES),
        secret_key=secret,
        secret_key_from_environment=bool(explicit_secret),
        debug=_flag("MICROREACH_DEBUG", False),
        allowed_hosts=_list("MICROREACH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"),
        csrf_trusted_origins=_origins("MICROREACH_CSRF_TRUSTED_ORIGINS"),
        proxy_ssl_header=_proxy_ssl_header(_str("MICROREACH_PROXY_SSL_HEADER")),
        email_backend=_str("MICROREACH_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"),
        default_from_email=_str("MICROREACH_FROM_EMAIL", "microreach <no-reply@microreach.local>"),
        site_url=_str("MICROREACH_SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
        pseudonym_key=pseudonym,
        keep_follower_usernames=_flag("MICROREACH_KEEP_FOLLOWER_USERNAMES", False),
        huey_immediate=_flag("MICROREACH_HUEY_IMMEDIATE", False),
        personal_data_retention_days=_int("MICROREACH_PERSONAL_DATA_RETENTION_DAYS", 90, minimum=1),
        extra_job_modules=_list("MICROREACH_EXTRA_JOB_MODULES"),
        sqlite_path=_str("MICROREACH_SQLITE_PATH") or None,
        huey_file=_str("MICROREACH_HUEY_FILE") or None,
        job_lease_seconds=_int("MICROREACH_JOB_LEASE_SECONDS", 120, minimum=1),
        log_format=log_format,
        log_level=_str("MICROREACH_LOG_LEVEL", "INFO").upper(),
        metrics_token=_str("MICROREACH_METRICS_TOKEN"),
        # prometheus_client's own variable: set when several server processes share one /metrics.
        prometheus_multiproc_dir=_str("PROMETHEUS_MULTIPROC_DIR"),
        sentry_dsn=_str("SENTRY_DSN"),
        sentry_environment=_str("SENTRY_ENVIRONMENT", "production"),
        sentry_traces_sample_rate=traces,
        hsts_seconds=_int("MICROREACH_HSTS_SECONDS", 31536000),
        hsts_preload=_flag("MICROREACH_HSTS_PRELOAD", True),
        web_bind=_str("MICROREACH_BIND", "127.0.0.1:8000"),
        web_workers=_int("MICROREACH_WEB_WORKERS", 2, minimum=1),
        web_threads=_int("MICROREACH_WEB_THREADS", 8, minimum=1),
        batch_engine=_str("MICROREACH_BATCH_ENGINE", "local").lower() or "local",
        dask_scheduler_address=_str("DASK_SCHEDULER_ADDRESS"),
        worker_threads=_int("MICROREACH_WORKER_THREADS", 1, minimum=1),
        batch_cache_accounts=_int("MICROREACH_BATCH_CACHE_ACCOUNTS", 20000, minimum=0),
        population_store=_str("MICROREACH_POPULATION_STORE"),
        malloc_trim_threshold=_str("MALLOC_TRIM_THRESHOLD_"),
        token_keys=_token_keys(data_dir),
        network_apps=tuple(
            (
                network,
                _str(f"MICROREACH_{network.upper()}_CLIENT_ID"),
                _str(f"MICROREACH_{network.upper()}_CLIENT_SECRET"),
            )
            for network in ("instagram", "tiktok", "youtube")
        ),
        youtube_api_key=_str("MICROREACH_YOUTUBE_API_KEY"),
        tiktok_research=(
            _str("MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY"),
            _str("MICROREACH_TIKTOK_RESEARCH_CLIENT_SECRET"),
        ),
        fake_networks=_flag("MICROREACH_FAKE_NETWORKS", False),
    )


CONFIG = load()
