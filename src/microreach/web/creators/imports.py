"""Transactional imports: validate and stage every file first, then publish in one short transaction.

1. **Validate and stage** (``creators.staging``). Each file is read once by ``microreach.sources``
   (streaming, flat memory); its good rows go to a staging area outside the live tables — an attached
   SQLite database file on the embedded default, temporary tables on PostgreSQL — so nothing live is
   locked while a big file is read. Any bad row anywhere rejects the whole import: the staging area is dropped and
   nothing live has changed.
2. **Publish** (``creators.publishing``). One transaction upserts from staging with set-based SQL,
   parents first (creators, accounts, posts, then the rows that hang off them). A row is written only when its data differ
   from the live row (``IS DISTINCT FROM``), so importing the same data twice changes nothing. Rows
   whose parent is neither live nor in the import are refused with their file and line.
   Record types owned by other contexts (the campaign side) are staged the same way and handed to
   the publisher listed for it in ``web.wiring.RECORD_PUBLISHERS``, inside the same
   transaction and after the creators' rows: a refusal there rolls everything back too.
3. **Notice.** The batch records the accounts it touched and, on commit, one job announces the
   change to the contexts that listen (audits, search), never one job per row.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.sources import RowError, ValidatedBatch, validate_file
from microreach.sources.columns import RECORD_COLUMNS
from microreach.web.accounts.contracts import organisation_exists
from microreach.web.creators import publishers
from microreach.web.creators.models import ImportBatch, Source
from microreach.web.creators.publishing import (
    MAX_ERRORS_SHOWN,
    Orphans,
    literal_pg_ts,
    literal_ts,
    publish_cache,
    publish_creators,
    publish_type,
    touched_accounts,
)
from microreach.web.creators.staging import (
    RECORD_ORDER,
    StagingArea,
    prepare_frame,
    published_elsewhere,
    staged_rows,
)
from microreach.web.errors import ApplicationError, ErrorCode
from microreach.web.file_names import readable_name, unique_name

log = logging.getLogger("microreach.imports")


class ImportRejected(ApplicationError):
    """The import was refused; ``details['errors']`` lists the first problems with file, line and field."""

    def __init__(self, message: str, errors: list[dict[str, object]], error_count: int, batch_id: int):
        super().__init__(
            ErrorCode.IMPORT_REJECTED,
            message,
            {
                "batch_id": batch_id,
                "error_count": error_count,
                "errors": errors[:MAX_ERRORS_SHOWN],
                "errors_not_shown": max(0, error_count - min(len(errors), MAX_ERRORS_SHOWN)),
            },
        )


@dataclass(frozen=True)
class ImportSummary:
    batch_id: int
    files: list[str]
    rows: int
    inserted: int
    updated: int
    unchanged: int
    accounts_touched: int
    per_type: dict[str, dict[str, int]] = field(default_factory=dict)


ProgressCallback = Callable[[int, int, str], None]  # (bytes done, bytes total, message)


def import_batch_create(
    *,
    files: Sequence[str | Path],
    source: str = "file_import",
    organisation_id: int | None = None,
    user_id: int | None = None,
    record_type: str | None = None,
    description: str = "",
    share_aggregates: bool = False,
) -> ImportBatch:
    if share_aggregates and organisation_id is None:
        raise ApplicationError(
            ErrorCode.SHARE_NEEDS_ORGANISATION,
            _("Aggregate figures are shared by the organisation that owns the follower samples: choose it."),
            {"field": "share_aggregates"},
        )
    if organisation_id is not None and not organisation_exists(organisation_id=organisation_id):
        raise ApplicationError(
            ErrorCode.ORGANISATION_NOT_FOUND,
            _("No organisation with id %(id)s.") % {"id": organisation_id},
            {"field": "organisation"},
            status=404,
        )
    if source not in Source.values:
        raise ApplicationError(
            ErrorCode.INVALID_SOURCE,
            _("Unknown source “%(source)s”: use one of %(allowed)s.")
            % {"source": source, "allowed": ", ".join(Source.values)},
            {"field": "source"},
        )
    return ImportBatch.objects.create(
        source=source,
        organisation_id=organisation_id,
        created_by_id=user_id,
        files=[str(f) for f in files],
        record_type=record_type or "",
        description=description[:500],
        share_aggregates=share_aggregates,
    )


def import_upload(
    *,
    uploads: Sequence[Any],
    user_id: int | None,
    organisation_id: int | None,
    record_type: str | None,
    share_aggregates: bool = False,
) -> ImportBatch:
    """Keep uploaded files in the data folder and schedule their import in the worker (on commit).

    Two files sent with the same name are both kept: the second is named ``name (2).ext``, and errors
    name each file by the name it was kept under. The folder is removed once the import is over
    (``import_upload_discard``)."""
    from microreach.web.jobs.contracts import job_enqueue

    if not uploads:
        raise ApplicationError(
            ErrorCode.NO_FILE, _("Choose at least one file to import."), {"field": "files"}
        )
    if record_type and record_type not in RECORD_COLUMNS:
        raise ApplicationError(
            ErrorCode.UNKNOWN_RECORD_TYPE,
            _("Unknown record type “%(type)s”.") % {"type": record_type},
            {"field": "record_type", "allowed": list(RECORD_COLUMNS)},
        )
    folder = Path(settings.DATA_DIR) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    saved: dict[str, str] = {}
    taken: set[str] = set()
    try:
        for upload in uploads:
            name = unique_name(readable_name(upload.name or ""), taken)
            target = folder / name
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            saved[str(target)] = name
        with transaction.atomic():
            batch = import_batch_create(
                files=list(saved),
                organisation_id=organisation_id,
                user_id=user_id,
                record_type=record_type,
                description="upload: " + ", ".join(saved.values()),
                share_aggregates=share_aggregates,
            )
            job_enqueue(
                kind="creators.import",
                key=f"import:{batch.pk}",
                payload={"batch_id": batch.pk, "record_type": record_type or "", "display_names": saved},
                max_attempts=2,
            )
    except BaseException:  # a broken upload or a failed write: no import will ever read these files
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return batch


def import_upload_discard(*, batch: ImportBatch) -> int:
    """Delete the files ``import_upload`` kept for ``batch`` (and their folder) once its import is over:
    nothing uploaded stays on disk. Files outside the uploads folder (the CLI imports a user's own files)
    are never touched. Returns how many files were deleted."""
    root = (Path(settings.DATA_DIR) / "uploads").resolve()
    deleted = 0
    for name in batch.files:
        path = Path(name).resolve()
        if path.parent.parent != root or not path.is_file():
            continue
        path.unlink()
        deleted += 1
        with contextlib.suppress(OSError):  # not empty: another file of the batch is still there
            path.parent.rmdir()
    return deleted


def import_files(
    *,
    batch: ImportBatch,
    record_type: str | None = None,
    as_of: datetime | None = None,
    progress: ProgressCallback | None = None,
    display_names: dict[str, str] | None = None,
) -> ImportSummary:
    """Validate and stage every file of ``batch``, then publish them all in one transaction, or nothing.

    ``record_type`` names the type of files that do not declare it. Raises ``ImportRejected`` with
    located errors; the batch row records the outcome either way.
    """
    files = [Path(f) for f in batch.files]
    shown = display_names or {}
    total_bytes = sum(f.stat().st_size for f in files if f.is_file())
    done_bytes = 0
    keep_usernames = bool(settings.MICROREACH.get("KEEP_FOLLOWER_USERNAMES"))
    key = str(settings.MICROREACH["PSEUDONYM_KEY"])
    as_of = as_of or timezone.now()
    stage = StagingArea(batch_id=batch.pk)
    errors: list[dict[str, object]] = []
    error_count = 0
    rows = 0
    types_seen: set[str] = set()
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING)
    stage.open()
    try:
        for path in files:
            name = shown.get(str(path), str(path))
            base_done = done_bytes

            def on_batch(chunk: ValidatedBatch, name: str = name, base_done: int = base_done) -> None:
                nonlocal rows
                rows += chunk.rows_read
                if chunk.error_count == 0 and not errors:
                    prepared = prepare_frame(
                        chunk.record_type, chunk.frame, key=key, keep_usernames=keep_usernames
                    )
                    stage.add(chunk.record_type, prepared, chunk.lines, name)
                if progress:
                    progress(base_done + chunk.bytes_read, total_bytes, f"{name}: {rows:,} rows read")

            report = validate_file(path, record_type=record_type, as_of=as_of, on_batch=on_batch)
            done_bytes += path.stat().st_size if path.is_file() else 0
            if report.record_type:
                types_seen.add(report.record_type)
            if not report.ok:
                error_count += report.error_count
                problems = [report.file_error] if report.file_error else []
                problems += list(report.errors)
                errors.extend(_error_dict(e, name) for e in problems)
        if error_count:
            raise ImportRejected(
                f"The import was refused: {error_count:,} problem(s) in the files. Nothing was written.",
                errors,
                error_count,
                batch.pk,
            )
        if "follower" in types_seen and batch.organisation_id is None:
            raise ImportRejected(
                "Follower samples belong to an organisation: choose the organisation the import is for.",
                [
                    {
                        "file": "",
                        "line": 0,
                        "field": "organisation",
                        "code": "missing_value",
                        "reason": "no organisation given for follower samples",
                    }
                ],
                1,
                batch.pk,
            )
        elsewhere = published_elsewhere(stage.created)
        unpublishable = sorted(stage.created - set(RECORD_ORDER) - set(elsewhere))
        if unpublishable:
            raise ImportRejected(
                "The import was refused: nothing in this installation publishes "
                f"{', '.join(unpublishable)} rows. Nothing was written.",
                [
                    {
                        "file": "",
                        "line": 0,
                        "field": "record_type",
                        "code": "unknown_record_type",
                        "reason": f"no publisher registered for {name!r}",
                    }
                    for name in unpublishable
                ],
                len(unpublishable),
                batch.pk,
            )
        stage.indexes()
        if progress:
            progress(total_bytes, total_bytes, "publishing")
        summary = _publish(
            stage=stage,
            batch=batch,
            types=[t for t in RECORD_ORDER if t in stage.created] + elsewhere,
            rows=rows,
            files=[shown.get(str(f), str(f)) for f in files],
        )
    except ImportRejected as rejected:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportBatch.Status.REJECTED,
            errors=rejected.details["errors"],
            error_count=rejected.details["error_count"],
            rows_total=rows,
            finished_at=timezone.now(),
        )
        raise
    finally:
        stage.close()
    return summary


def _error_dict(error: RowError, name: str) -> dict[str, object]:
    out = error.as_dict()
    out["file"] = name
    return out


def _publish(
    *, stage: StagingArea, batch: ImportBatch, types: list[str], rows: int, files: list[str]
) -> ImportSummary:
    vendor = stage.vendor
    now = timezone.now()
    retention = timedelta(days=int(settings.MICROREACH["PERSONAL_DATA_RETENTION_DAYS"]))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PUBLISHING)
    lit = literal_ts if vendor == "sqlite" else literal_pg_ts
    params = {
        "now": lit(now),
        "expires": lit(now + retention),
        "source": f"'{Source(batch.source).value}'",
        "batch": str(int(batch.pk)),
        "organisation": str(int(batch.organisation_id)) if batch.organisation_id else "NULL",
        "share": ("true" if batch.share_aggregates else "false")
        if vendor == "postgresql"
        else ("1" if batch.share_aggregates else "0"),
    }
    per_type: dict[str, dict[str, int]] = {}
    cache = publish_cache(vendor)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if "account" in types:
                publish_creators(cursor, stage, params)
            for record_type in types:
                if record_type in RECORD_ORDER:
                    per_type[record_type] = publish_type(cursor, stage, record_type, params)
            staged = publishers.StagedRecords(
                batch_id=batch.pk,
                source=Source(batch.source).value,
                now=now,
                record_types=frozenset(t for t in types if t not in RECORD_ORDER),
                reader=lambda record_type: staged_rows(cursor, stage, record_type),
            )
            for registration in publishers.record_publishers():
                if staged.record_types & set(registration.natural_keys):
                    per_type.update(registration.publisher(staged))
            touched = touched_accounts(cursor, batch.pk)
            totals = {k: sum(t[k] for t in per_type.values()) for k in ("inserted", "updated", "unchanged")}
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportBatch.Status.DONE,
                rows_total=rows,
                rows_done=rows,
                rows_inserted=totals["inserted"],
                rows_updated=totals["updated"],
                rows_unchanged=totals["unchanged"],
                accounts_touched=touched,
                finished_at=timezone.now(),
                record_type=",".join(types),
            )
            if touched:
                publishers.data_changed_announce(batch_id=batch.pk, account_ids=touched)
    except Orphans as orphans:
        errors = [
            {
                "file": file,
                "line": line,
                "field": orphans.field_name,
                "code": "unknown_parent",
                "reason": (
                    f"no {'account' if orphans.field_name == 'handle' else 'post'} {network}/@{handle}"
                    f"{'' if orphans.field_name == 'handle' else ' with this network_post_id'} "
                    "in microreach or in this import"
                ),
            }
            for file, line, network, handle in orphans.rows
        ]
        raise ImportRejected(
            f"The import was refused: {orphans.count:,} {orphans.record_type} row(s) point to records that do not "
            "exist. Nothing was written.",
            errors,
            orphans.count,
            batch.pk,
        ) from None
    except publishers.RecordsRefused as refused:
        raise ImportRejected(
            f"The import was refused: {refused.count:,} {refused.record_type} row(s) cannot be published. "
            "Nothing was written.",
            [problem.as_dict() for problem in refused.problems],
            refused.count,
            batch.pk,
        ) from None
    finally:
        cache.close()
    log.info("import batch %s published: %s", batch.pk, per_type)
    return ImportSummary(
        batch_id=batch.pk,
        files=files,
        rows=rows,
        inserted=totals["inserted"],
        updated=totals["updated"],
        unchanged=totals["unchanged"],
        accounts_touched=len(touched),
        per_type=per_type,
    )
