"""Back up and restore an installation: the database, the media files and the data directory's keys.

One archive (``.tar.gz``, mode 0600: it holds the keys) with a ``manifest.json`` that lists every file
with its size and SHA-256, the database method, the applied migrations and the row count of every table.

The database goes in the form that restores exactly on the same kind of database:

- SQLite: a consistent copy taken with SQLite's online backup API (writers may go on meanwhile);
  restored with the same API into the live file, so that open connections never see a half-copied file.
- PostgreSQL: ``pg_dump --format=custom`` when ``pg_dump`` is on the PATH; restored with ``pg_restore``
  and ``psql`` in one transaction that empties the ``public`` schema first (a failed restore changes
  nothing).
- ``portable=True`` (or PostgreSQL without ``pg_dump``): Django's own serialisation of every row
  (``dumpdata``, gzip), restored with ``flush`` + ``loaddata`` on either kind of database, as long as the
  code is at the same migrations as the backup (the way to move an installation between SQLite and
  PostgreSQL).

After the database, ``migrate`` brings a backup of an older version to the code's schema. The Huey queue
file is not kept: the work to do is recorded in the database, and the sweep queues it again.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

import microreach

FORMAT = "microreach-backup"
VERSION = 1
MANIFEST = "manifest.json"
#: Keys kept in the data directory when the environment does not give them (``web.environment``).
SECRET_FILES = ("secret_key", "pseudonym_key")
METHODS = ("sqlite", "pg_dump", "json")
_DATABASE_FILES = {"sqlite": "database/microreach.sqlite3", "pg_dump": "database/microreach.pgdump"}
_JSON_FILE = "database/microreach.json.gz"
_EMPTY_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', '', false);"
_PUBLIC_SEARCH_PATH = "SELECT pg_catalog.set_config('search_path', 'public', false);"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what and where."""


@dataclass(frozen=True)
class BackupSummary:
    """What an archive holds (or what a restore put back)."""

    archive: Path
    method: str
    vendor: str
    rows: int
    tables: int
    media_files: int
    secrets: tuple[str, ...]
    created_at: str
    microreach_version: str
    migrated: tuple[str, ...] = field(default=())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _row_counts() -> dict[str, int]:
    """Rows per table of every model (auto-created many-to-many tables included), by table name."""
    counts: dict[str, int] = {}
    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and table in tables and table not in counts:
            counts[table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _code_migrations() -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    return sorted(
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    )


def _pg_args() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = ["--dbname", str(s["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def _dump_database(folder: Path, method: str) -> str:
    if method == "sqlite":
        target = folder / _DATABASE_FILES["sqlite"]
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return _DATABASE_FILES["sqlite"]
    if method == "pg_dump":
        args, env = _pg_args()
        target = folder / _DATABASE_FILES["pg_dump"]
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env, "pg_dump")
        return _DATABASE_FILES["pg_dump"]
    target = folder / _JSON_FILE
    with gzip.open(target, "wt", encoding="utf-8") as handle:
        call_command("dumpdata", all=True, format="json", indent=None, stdout=handle, verbosity=0)
    return _JSON_FILE


def backup_create(*, out: Path, portable: bool = False) -> BackupSummary:
    """Write the archive at ``out`` (atomically: a temporary file renamed when complete)."""
    vendor = connection.vendor
    if portable:
        method = "json"
    elif vendor == "sqlite":
        method = "sqlite"
    elif vendor == "postgresql" and shutil.which("pg_dump"):
        method = "pg_dump"
    else:
        method = "json"
    if connection.in_atomic_block:
        # SQLite's backup API waits forever for the writes of its own connection's open transaction.
        raise BackupError("a backup cannot be taken inside a database transaction")
    out = out.resolve()
    if out.is_dir():
        raise BackupError(f"{out} is a directory: give the archive's file name")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent}: no such directory")
    media_root = Path(settings.MEDIA_ROOT)
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix="microreach-backup-", dir=out.parent) as tmp:
        folder = Path(tmp)
        (folder / "database").mkdir()
        # Counts and migrations first, then the dump: on SQLite the backup API copies one consistent state.
        rows = _row_counts()
        migrations = _applied_migrations()
        database_file = _dump_database(folder, method)
        files: dict[str, dict[str, Any]] = {}

        def listed(name: str, path: Path) -> None:
            files[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}

        listed(database_file, folder / database_file)
        media = (
            sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())
            if media_root.is_dir()
            else []
        )
        secrets = [name for name in SECRET_FILES if (data_dir / name).is_file()]
        created = datetime.now(UTC).isoformat(timespec="seconds")
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": created,
            "microreach_version": microreach.__version__,
            "database": {
                "vendor": vendor,
                "method": method,
                "file": database_file,
                "migrations": migrations,
                "rows": rows,
            },
            "files": files,
        }
        partial = folder / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(folder / database_file, arcname=database_file)
            for path in media:
                name = str(PurePosixPath("media", *path.relative_to(media_root).parts))
                listed(name, path)
                tar.add(path, arcname=name)
            for secret in secrets:
                name = f"secrets/{secret}"
                listed(name, data_dir / secret)
                tar.add(data_dir / secret, arcname=name)
            blob = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(blob), 0o600, int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(blob))
        os.replace(partial, out)
    return BackupSummary(
        archive=out,
        method=method,
        vendor=vendor,
        rows=sum(rows.values()),
        tables=len(rows),
        media_files=len(media),
        secrets=tuple(secrets),
        created_at=created,
        microreach_version=str(manifest["microreach_version"]),
    )


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError(f"{archive}: not a microreach backup (no {MANIFEST})") from None
    handle = tar.extractfile(member)
    if handle is None or member.size > 50_000_000:
        raise BackupError(f"{archive}: {MANIFEST} is not a regular file of reasonable size")
    try:
        manifest = json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError(f"{archive}: {MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: not a microreach backup ({MANIFEST} has no format {FORMAT!r})")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{archive}: backup format version {manifest.get('version')!r}; this microreach reads version {VERSION}"
        )
    database, files = manifest.get("database"), manifest.get("files")
    if (
        not isinstance(database, dict)
        or database.get("method") not in METHODS
        or not isinstance(files, dict)
        or database.get("file") not in files
        or not isinstance(database.get("rows"), dict)
        or not isinstance(database.get("migrations"), list)
    ):
        raise BackupError(f"{archive}: {MANIFEST} lacks the database method, file, rows or migrations")
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and bool(path.parts)
        and (name == MANIFEST or path.parts[0] in ("database", "media", "secrets"))
        and (path.parts[0] != "secrets" or (len(path.parts) == 2 and path.parts[1] in SECRET_FILES))
    )


def _extract(tar: tarfile.TarFile, manifest: dict[str, Any], archive: Path, into: Path) -> None:
    """Extract every listed file after checking names, kinds, sizes and SHA-256; refuse anything else."""
    listed: dict[str, dict[str, Any]] = manifest["files"]
    seen: set[str] = set()
    for member in tar.getmembers():
        if member.name == MANIFEST:
            continue
        if member.isdir():
            continue
        if not member.isfile() or not _safe_name(member.name) or member.name not in listed:
            raise BackupError(f"{archive}: unexpected entry {member.name!r} (not listed in {MANIFEST})")
        expected = listed[member.name]
        if member.size != expected.get("size"):
            raise BackupError(
                f"{archive}: {member.name} has {member.size} bytes, the manifest says {expected.get('size')}"
            )
        source = tar.extractfile(member)
        if source is None:  # pragma: no cover - isfile() members always have data
            raise BackupError(f"{archive}: {member.name} cannot be read")
        target = into / member.name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with source, target.open("wb") as sink:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != expected.get("sha256"):
            raise BackupError(f"{archive}: {member.name} is damaged (SHA-256 differs from the manifest)")
        seen.add(member.name)
    missing = sorted(set(listed) - seen)
    if missing:
        raise BackupError(f"{archive}: missing from the archive: {', '.join(missing[:5])}")


def _open_archive(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    try:
        return tarfile.open(archive, mode="r:*")
    except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile) as exc:
        raise BackupError(f"{archive}: not a readable backup archive ({exc})") from None


def backup_inspect(*, archive: Path) -> dict[str, Any]:
    """The manifest of an archive, after checking that it is one of ours."""
    with _open_archive(archive) as tar:
        try:
            return _read_manifest(tar, archive)
        except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile) as exc:
            raise BackupError(f"{archive}: not a readable backup archive ({exc})") from None


def _check_restorable(method: str, manifest: dict[str, Any]) -> None:
    """Refuse, before anything changes, a database this installation cannot take back."""
    vendor = connection.vendor
    if method == "sqlite" and vendor != "sqlite":
        raise BackupError(
            f"this backup holds a SQLite database; the installation uses {vendor}: restore it on "
            "SQLite, or take a portable backup (`microreach backup --portable`) to move between them"
        )
    if method == "pg_dump" and vendor != "postgresql":
        raise BackupError(
            f"this backup holds a pg_dump of PostgreSQL; the installation uses {vendor}: restore it on "
            "PostgreSQL, or take a portable backup (`microreach backup --portable`)"
        )
    if method == "pg_dump" and not (shutil.which("pg_restore") and shutil.which("psql")):
        raise BackupError("this backup was made with pg_dump: pg_restore and psql must be on the PATH")
    if method == "json":
        code = _code_migrations()
        differ = set(manifest["database"]["migrations"]) ^ set(code)
        if differ:
            raise BackupError(
                "a portable backup restores only on the code it was made with (same migrations): "
                f"{len(differ)} differ, e.g. {sorted(differ)[0]}"
            )


def _restore_database(method: str, source: Path) -> None:
    if method == "sqlite":
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        connection.ensure_connection()
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
    elif method == "pg_dump":
        connection.close()
        args, env = _pg_args()
        # pg_restore empties search_path while it restores; the search columns are generated by SQL
        # functions that name their helpers without a schema (discovery's search backend), so the script
        # runs with search_path = public instead (the schema everything of ours lives in).
        script = source.with_suffix(".sql")
        _run(["pg_restore", "--no-owner", "--file", str(script), str(source)], env, "pg_restore")
        text = script.read_text(encoding="utf-8")
        # Emptying the schema is part of the same transaction: a restore that fails changes nothing.
        script.write_text(
            "DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
            + text.replace(_EMPTY_SEARCH_PATH, _PUBLIC_SEARCH_PATH),
            encoding="utf-8",
        )
        _run(
            ["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction"]
            + [*args, "--file", str(script)],
            env,
            "psql (restoring the pg_dump)",
        )
    else:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        call_command("loaddata", str(source), verbosity=0)


def _replace_media(folder: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    new = folder / "media"
    new.mkdir(exist_ok=True)
    old = media_root.with_name(f"{media_root.name}.before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    shutil.move(str(new), str(media_root))
    if old.exists():
        shutil.rmtree(old)


def backup_restore(*, archive: Path) -> BackupSummary:
    """Replace the database, the media files and the keys with the archive's; the archive is fully
    checked (format, names, sizes, SHA-256, database kind) before anything is changed."""
    data_dir = Path(settings.DATA_DIR)
    with (
        _open_archive(archive) as tar,
        tempfile.TemporaryDirectory(prefix="microreach-restore-", dir=data_dir) as tmp,
    ):
        folder = Path(tmp)
        try:
            manifest = _read_manifest(tar, archive)
            _extract(tar, manifest, archive, folder)
        except (tarfile.TarError, EOFError, OSError, gzip.BadGzipFile) as exc:
            raise BackupError(f"{archive}: not a readable backup archive ({exc})") from None
        database = manifest["database"]
        method = str(database["method"])
        _check_restorable(method, manifest)
        _restore_database(method, folder / str(database["file"]))
        rows = _row_counts()
        expected = {str(k): int(v) for k, v in database["rows"].items()}
        differ = {t: (n, rows.get(t)) for t, n in expected.items() if rows.get(t) != n}
        if differ:
            raise BackupError(f"restored database does not hold the archive's rows: {differ}")
        before = set(_applied_migrations())
        call_command("migrate", verbosity=0, interactive=False)
        migrated = tuple(sorted(set(_applied_migrations()) - before))
        _replace_media(folder)
        secrets = []
        for name in SECRET_FILES:
            source = folder / "secrets" / name
            if source.is_file():
                target = data_dir / name
                fd = os.open(target.with_suffix(".restoring"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as sink:
                    sink.write(source.read_bytes())
                os.replace(target.with_suffix(".restoring"), target)
                secrets.append(name)
        media_files = sum(1 for name in manifest["files"] if name.startswith("media/"))
    return BackupSummary(
        archive=archive,
        method=method,
        vendor=connection.vendor,
        rows=sum(expected.values()),
        tables=len(expected),
        media_files=media_files,
        secrets=tuple(secrets),
        created_at=str(manifest.get("created_at", "")),
        microreach_version=str(manifest.get("microreach_version", "")),
        migrated=migrated,
    )
