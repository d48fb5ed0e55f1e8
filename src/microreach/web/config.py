"""Every environment variable microreach reads, read in one place.

Settings, the CLI and the worker all ask this module; nothing else calls ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _default_data_dir() -> Path:
    # The repository root when running from a checkout (src layout), the working directory otherwise.
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "src").is_dir():
            return parent / "data"
    return Path.cwd() / "data"


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Config:
    data_dir: Path
    database_url: str | None
    redis_url: str | None
    secret_key: str
    debug: bool
    allowed_hosts: list[str]
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


def load() -> Config:
    data_dir = Path(os.environ.get("MICROREACH_DATA_DIR") or _default_data_dir()).resolve()
    debug = _flag("MICROREACH_DEBUG", True)
    secret = (
        os.environ.get("MICROREACH_SECRET_KEY")
        or "microreach-insecure-development-key-change-me-in-production"
    )
    return Config(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL") or None,
        redis_url=os.environ.get("REDIS_URL") or None,
        secret_key=secret,
        debug=debug,
        allowed_hosts=[
            h
            for h in os.environ.get("MICROREACH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
            if h
        ],
        email_backend=os.environ.get(
            "MICROREACH_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
        ),
        default_from_email=os.environ.get("MICROREACH_FROM_EMAIL", "microreach <no-reply@microreach.local>"),
        site_url=os.environ.get("MICROREACH_SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
        pseudonym_key=os.environ.get("MICROREACH_PSEUDONYM_KEY") or secret,
        keep_follower_usernames=_flag("MICROREACH_KEEP_FOLLOWER_USERNAMES", False),
        huey_immediate=_flag("MICROREACH_HUEY_IMMEDIATE", False),
        personal_data_retention_days=int(os.environ.get("MICROREACH_PERSONAL_DATA_RETENTION_DAYS", "90")),
        extra_job_modules=[m for m in os.environ.get("MICROREACH_EXTRA_JOB_MODULES", "").split(",") if m],
        sqlite_path=os.environ.get("MICROREACH_SQLITE_PATH") or None,
        huey_file=os.environ.get("MICROREACH_HUEY_FILE") or None,
        job_lease_seconds=int(os.environ.get("MICROREACH_JOB_LEASE_SECONDS", "120")),
    )


CONFIG = load()
