"""Writes of the audits context: build population snapshots, run audits, store their results."""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from threadpoolctl import threadpool_limits

from microreach.core.population import PopulationSnapshot as CorePopulation
from microreach.core.population import build_population, population_from_data
from microreach.web import formatting
from microreach.web.audits import auditing
from microreach.web.audits.auditing import audit_config, risk_rules
from microreach.web.audits.models import AuditAnswer, AuditRecord, PopulationSnapshot
from microreach.web.creators import contracts
from microreach.web.errors import ApplicationError, ErrorCode
from microreach.web.events import UserErasing

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger("microreach.audits")

CHUNK = 200


def population_rebuild(*, as_of: datetime | None = None, client: Client | None = None) -> PopulationSnapshot:
    """Build the snapshot over every account of the installation (follower samples are not needed), store
    it as Parquet (``distributed.population_store_root``) and its metadata row. With a Dask ``client`` the
    build runs as partitions on the cluster (the same snapshot: core/population_parts.py)."""
    from microreach.batch.engines import worker_threads
    from microreach.batch.population_store import write_population
    from microreach.web.audits.distributed import population_build_distributed, population_store_root

    as_of = as_of or timezone.now()
    if client is not None:
        meta = population_build_distributed(
            client=client, account_ids=contracts.account_ids_all(), as_of=as_of, threads=worker_threads()
        )
    else:
        with threadpool_limits(limits=worker_threads()):
            core = build_population(
                accounts=list(contracts.account_records().values()),
                config=audit_config(),
                as_of=as_of,
                pseudonym_key=str(settings.MICROREACH["PSEUDONYM_KEY"]),
            )
        meta = {
            "population_id": core.population_id,
            "accounts": core.accounts,
            "rules_version": core.rules_version,
            "location": write_population(snapshot=core, root=population_store_root()),
        }
    snapshot, _created = PopulationSnapshot.objects.update_or_create(
        population_id=meta["population_id"],
        defaults={
            "as_of": as_of,
            "accounts": meta["accounts"],
            "rules_version": meta["rules_version"],
            "location": meta["location"],
            "data": {},
            # the same content built again is the newest snapshot again (the id is a hash of the content)
            "built_at": timezone.now(),
        },
    )
    return snapshot


def population_read(snapshot: PopulationSnapshot) -> CorePopulation:
    """The core snapshot of a row: its Parquet files, or the JSON of rows stored before them."""
    from microreach.batch.population_store import read_population

    if snapshot.location:
        return read_population(location=snapshot.location)
    return population_from_data(data=snapshot.data)


def population_latest() -> tuple[PopulationSnapshot, CorePopulation]:
    snapshot = PopulationSnapshot.objects.order_by("-built_at").first()
    if snapshot is None:
        snapshot = population_rebuild()
    try:
        return snapshot, population_read(snapshot)
    except ValueError as exc:
        # Derived data: a row of another format (or damaged) is rebuilt rather than failing every audit.
        log.warning("population snapshot %s unreadable (%s): rebuilt", snapshot.population_id, exc)
        snapshot.delete()
        return population_latest()


def audit_processes() -> int:
    """Worker processes an audit run uses: ``MICROREACH["AUDIT_PROCESSES"]`` (1 when unset: a worker's own
    process; `microreach demo` sets it to the machine's cores while it prepares the demo)."""
    return max(1, int(settings.MICROREACH.get("AUDIT_PROCESSES", 1) or 1))


def audits_run(
    *,
    account_ids: list[int],
    organisation_id: int | None = None,
    as_of: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
) -> int:
    """Audit accounts against the latest population and store the results (latest flag moved atomically).

    With ``organisation_id`` the audit includes that organisation's follower samples and its rows are
    visible to it only. Returns the number of audits stored. With ``processes`` > 1 (default
    ``audit_processes()``) worker processes read and audit the chunks while this one writes them.
    """
    as_of = as_of or timezone.now()
    _snapshot, population = population_latest()
    processes = audit_processes() if processes is None else processes
    chunks = [account_ids[i : i + CHUNK] for i in range(0, len(account_ids), CHUNK)]
    done = 0

    def store(ids: list[int], records: list[AuditRecord]) -> None:
        nonlocal done
        with transaction.atomic():
            AuditRecord.objects.filter(
                account_id__in=ids, organisation_id=organisation_id, is_latest=True
            ).update(is_latest=False)
            AuditRecord.objects.bulk_create(records)
        done += len(records)
        if progress:
            progress(done, len(account_ids))

    if processes <= 1 or len(chunks) <= 1:
        from microreach.batch.engines import worker_threads

        # pinned in this process too: unpinned, BLAS threads spinning on small matrices cost 3-5x the CPU
        with threadpool_limits(limits=worker_threads()):
            for ids in chunks:
                store(ids, auditing.audit_chunk(ids, organisation_id, as_of, population))
    else:
        audit_config(), risk_rules()  # read once here: the workers inherit them
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        with ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context(method),
            initializer=auditing.audit_worker_start,
            initargs=(population,),
        ) as pool:
            futures = [pool.submit(auditing.audit_chunk, ids, organisation_id, as_of) for ids in chunks]
            for ids, future in zip(chunks, futures, strict=True):
                store(ids, future.result())
    log.info("stored %s audits (organisation %s)", done, organisation_id)
    return done


def audit_versions_current() -> dict[str, str]:
    """The versions an audit made now would record (``AuditResult.versions`` minus the population's)."""
    from microreach.core.evidence import RULES_VERSION

    config = audit_config()
    return {
        "rules": RULES_VERSION,
        "config": config.version,
        "model": config.fake_model.errors.model_version if config.fake_model else "none",
    }


def accounts_audit_outdated(*, account_ids: list[int]) -> list[int]:
    """The accounts whose installation-wide audit is missing or was made by other rules, configuration
    or model than this code's (what a re-audit would change)."""
    current = audit_versions_current()
    fresh = set(
        AuditRecord.objects.filter(
            account_id__in=account_ids,
            organisation_id=None,
            is_latest=True,
            **{f"versions__{name}": value for name, value in current.items()},
        ).values_list("account_id", flat=True)
    )
    return [a for a in account_ids if a not in fresh]


def audit_request(*, account_id: int, creator_user_id: int | None = None, now: datetime | None = None) -> str:
    """Audit one account now ("Audit now" where a figure is missing): one job per account and minute, so a
    second click while it waits changes nothing. A creator (``creator_user_id``) may ask only for the
    profiles they claimed. Returns the job's key."""
    from microreach.web.jobs.contracts import job_enqueue

    if creator_user_id is not None and not contracts.account_claimed_by(
        account_id=account_id, user_id=creator_user_id
    ):
        raise ApplicationError(
            ErrorCode.NOT_YOUR_PROFILE,
            _("Ask only for the audits of the profiles you claimed."),
            {},
            status=404,
        )

    minute = (now or timezone.now()).strftime("%Y%m%d%H%M")
    job = job_enqueue(
        kind="audits.refresh",
        key=f"audits-now:{account_id}:{minute}",
        payload={"account_ids": [account_id], "rebuild_population": False},
        max_attempts=3,
    )
    return job.key


def audit_answer_save(
    *, user_id: int, account_id: int, code: str, text: str, key: str = ""
) -> AuditAnswer | None:
    """A creator's right of reply to one flagged finding of their audit (``findings.audit_flags``: a reason
    of the verdict, key empty, or a growth anomaly, pod, red flag or undisclosed post with its key), only
    for a profile they claimed; at most ``REPLY_MAX_CHARS`` characters of plain text (shown escaped). An
    empty text deletes the reply. Returns the reply kept, or None."""
    from microreach.core.risk import EVIDENCE_SECTION
    from microreach.web.audits.findings import REPLY_MAX_CHARS, audit_flags

    if not contracts.account_claimed_by(account_id=account_id, user_id=user_id):
        raise ApplicationError(
            ErrorCode.NOT_YOUR_PROFILE,
            _("Answer only the audits of the profiles you claimed."),
            {},
            status=404,
        )
    text = text.strip()
    existing = AuditAnswer.objects.filter(account_id=account_id, code=code, finding_key=key)
    if not text:
        existing.delete()
        return None
    if key:
        # the findings the creator may see: installation-wide audits and shared measured ones, never an
        # organisation's private audit (a reply accepted there would tell what it found)
        from django.db.models import Q

        visible = AuditRecord.objects.filter(account_id=account_id, is_latest=True).filter(
            Q(organisation__isnull=True) | Q(shares_aggregates=True)
        )
        flags = [f for record in visible for f in audit_flags(risk=record.risk, result=record.result)]
        found = next((f for f in flags if (f.code, f.key) == (code, key)), None)
        params = found.params if found else None
    else:
        found_reason = bool(EVIDENCE_SECTION.get(code))
        params = {} if found_reason else None
    if params is None and not existing.exists():
        raise ApplicationError(
            ErrorCode.UNKNOWN_REASON,
            _("This finding is not in the audit: it may have changed since the page was shown."),
            {"field": "code", "code": code, "key": key},
        )
    if len(text) > REPLY_MAX_CHARS:
        raise ApplicationError(
            ErrorCode.ANSWER_TOO_LONG,
            _("A reply is at most %(max)s characters (this one has %(length)s).")
            % {"max": formatting.number(REPLY_MAX_CHARS), "length": formatting.number(len(text))},
            {"field": "text", "max": REPLY_MAX_CHARS},
        )
    defaults: dict[str, object] = {"text": text, "author_id": user_id}
    if params is not None:
        defaults["params"] = params
    answer, _created = AuditAnswer.objects.update_or_create(
        account_id=account_id, code=code, finding_key=key, defaults=defaults
    )
    return answer


def audit_replies_delete(*, user_id: int) -> int:
    """Delete every reply on the accounts ``user_id`` claimed and every reply they wrote (their data
    erased); returns how many."""
    from django.db.models import Q

    claimed = [a.account_id for a in contracts.creator_accounts_claimed(user_id=user_id)]
    deleted, _per_model = AuditAnswer.objects.filter(
        Q(author_id=user_id) | Q(account_id__in=claimed)
    ).delete()
    return deleted


def on_user_erasing(event: UserErasing) -> None:
    """A person deletes their account: their replies go (``audit_replies_delete``), before their claims do."""
    audit_replies_delete(user_id=event.user_id)
