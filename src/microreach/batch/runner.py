"""Local batch runner: build the population snapshot, audit every account (optionally over processes),
and flatten each result to one JSON-ready row (the ``audit batch`` JSON Lines format, docs/audit.md)."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from typing import Any

from threadpoolctl import threadpool_limits

from microreach.core.audit import AuditResult, audit_account
from microreach.core.audit_parameters import AuditConfig
from microreach.core.evidence import to_jsonable
from microreach.core.population import PopulationSnapshot, build_population
from microreach.core.records import AccountData


def _audit_chunk(
    chunk: Sequence[AccountData], population: PopulationSnapshot, config: AuditConfig, as_of: datetime
) -> list[AuditResult]:
    return [audit_account(data=d, population=population, config=config, as_of=as_of) for d in chunk]


# What every audit of a pool shares, set once per worker process (not shipped with each chunk).
_shared: tuple[PopulationSnapshot, AuditConfig, datetime] | None = None


def _worker_start(population: PopulationSnapshot, config: AuditConfig, as_of: datetime, threads: int) -> None:
    global _shared
    _shared = (population, config, as_of)
    # One numeric thread per process (MICROREACH_WORKER_THREADS): N processes on N cores, not N x N threads.
    threadpool_limits(limits=threads)


def _audit_shared(chunk: Sequence[AccountData]) -> list[AuditResult]:
    assert _shared is not None, "audit worker started without its population"
    return _audit_chunk(chunk, *_shared)


# The accounts of a forked pool (set before its workers fork: they inherit them, none is pickled).
_inherited: Sequence[AccountData] = ()


def _audit_range(start: int, stop: int) -> list[AuditResult]:
    assert _shared is not None, "audit worker started without its population"
    return _audit_chunk(_inherited[start:stop], *_shared)


class AuditPool:
    """Audits against one population, configuration and date, in this process (``processes <= 1``) or in
    worker processes that receive the population once, each with ``threads`` numeric threads (default
    ``MICROREACH_WORKER_THREADS``, 1). ``submit`` returns at once; ``result`` waits."""

    def __init__(
        self,
        *,
        population: PopulationSnapshot,
        config: AuditConfig,
        as_of: datetime,
        processes: int = 1,
        threads: int | None = None,
    ) -> None:
        from microreach.batch.engines import worker_threads

        self.population, self.config, self.as_of = population, config, as_of
        self.processes = max(1, processes)
        self.threads = threads or worker_threads()
        self._pool: ProcessPoolExecutor | None = None
        self._method: str | None = None

    def __enter__(self) -> AuditPool:
        if self.processes > 1:
            # fork: the workers inherit the population instead of unpickling it (Linux, macOS with fork).
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
            self._method = method
            self._pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context(method),
                initializer=_worker_start,
                initargs=(self.population, self.config, self.as_of, self.threads),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def submit_inherited(
        self, accounts: Sequence[AccountData], *, chunk_size: int
    ) -> list[Future[list[AuditResult]]]:
        """Like ``submit``, for a pool whose workers fork after this call: they inherit ``accounts`` and
        receive only index ranges (the accounts are not pickled to them); ``submit`` without fork."""
        global _inherited
        if self._pool is None or self._method != "fork":
            return self.submit(accounts, chunk_size=chunk_size)
        _inherited = accounts
        return [
            self._pool.submit(_audit_range, i, min(i + chunk_size, len(accounts)))
            for i in range(0, len(accounts), chunk_size)
        ]

    def submit(
        self, accounts: Sequence[AccountData], *, chunk_size: int | None = None
    ) -> list[Future[list[AuditResult]]]:
        """Start auditing ``accounts`` (in chunks of ``chunk_size``, by default two per worker); ``result``
        gives them back in order. Without workers the audits run here, before ``submit`` returns."""
        if self._pool is None:
            done: Future[list[AuditResult]] = Future()
            # pinned here too: unpinned, BLAS threads spinning on small matrices cost 3-5x the CPU
            with threadpool_limits(limits=self.threads):
                done.set_result(_audit_chunk(accounts, self.population, self.config, self.as_of))
            return [done]
        size = chunk_size or max(1, -(-len(accounts) // (2 * self.processes)))
        return [
            self._pool.submit(_audit_shared, accounts[i : i + size]) for i in range(0, len(accounts), size)
        ]

    @staticmethod
    def result(futures: Sequence[Future[list[AuditResult]]]) -> list[AuditResult]:
        return [r for f in futures for r in f.result()]


def audit_accounts(
    *,
    accounts: Sequence[AccountData],
    config: AuditConfig,
    as_of: datetime,
    population: PopulationSnapshot | None = None,
    pseudonym_key: str | None = None,
    processes: int = 1,
    chunk_size: int = 64,
) -> Iterator[AuditResult]:
    """Audit ``accounts`` in input order; the population is built from them unless given (with the numeric
    threads of a worker process, ``MICROREACH_WORKER_THREADS``)."""
    from microreach.batch.engines import worker_threads

    if population is None:
        with threadpool_limits(limits=worker_threads()):
            population = build_population(
                accounts=accounts, config=config, as_of=as_of, pseudonym_key=pseudonym_key
            )
    snapshot = population
    with AuditPool(population=snapshot, config=config, as_of=as_of, processes=processes) as pool:
        if processes <= 1:
            for i in range(0, len(accounts), chunk_size):
                yield from pool.result(pool.submit(accounts[i : i + chunk_size]))
            return
        for future in pool.submit_inherited(accounts, chunk_size=chunk_size):
            yield from future.result()


def audit_line(result: AuditResult) -> str:
    """The ``audit batch`` JSON Lines line of one result (without its newline)."""
    return json.dumps(to_jsonable(audit_row(result)), ensure_ascii=False)


def audit_row(result: AuditResult) -> dict[str, Any]:
    """One JSON Lines row per account: tier, engagement, fake share and interval (measured on the follower
    sample, and estimated from account signals), pod verdict and members, growth anomalies with dates,
    sponsored and undisclosed post ids, Audience Quality Score and parts."""
    fake = result.authenticity.fake_share if result.authenticity else None
    estimate = result.fake_estimate
    pod = result.pods.pod
    row = {
        "account": result.account,
        "status": result.status,
        "reasons": list(result.reasons),
        "as_of": result.as_of,
        "tier": result.tier.tier,
        "tier_preset": result.tier.preset,
        "engagement_rate_median": result.engagement.primary.median,
        "engagement_rate_mean": result.engagement.primary.mean,
        "engagement_basis": result.engagement.primary_basis,
        "benchmark": result.engagement.benchmark,
        "peers": result.peers,
        "fake_share": fake.corrected_share if fake else None,
        "fake_share_interval": [fake.low, fake.high] if fake else None,
        "follower_sample": fake.sample_size if fake else 0,
        # The account-level estimate (no follower sample), for every audited account: added keys.
        "fake_share_estimate": estimate.share if estimate else None,
        "fake_share_estimate_low": estimate.low if estimate else None,
        "fake_share_estimate_high": estimate.high if estimate else None,
        "fake_share_estimate_method": estimate.method if estimate else None,
        "fake_share_estimate_signals": list(estimate.signals) if estimate else [],
        "reachability": result.authenticity.reachability if result.authenticity else None,
        "audience_types": dict(result.authenticity.type_shares) if result.authenticity else None,
        "pod_flagged": result.pods.flagged,
        "pod_members": list(pod.members) if pod and result.pods.flagged else [],
        "pod_signals": list(pod.signals) if pod else [],
        "growth_anomalies": result.growth.anomalies,
        "sponsored_post_ids": [s.post_id for s in result.credibility.sponsored],
        "undisclosed_post_ids": list(result.credibility.undisclosed_post_ids),
        "sponsored_share": result.credibility.sponsored_share,
        "audience_quality_score": result.score.score,
        "score_confidence": result.score.confidence_label,
        "score_parts": result.score.parts,
        "versions": result.versions,
        "data_age_days": result.data_age_days,
    }
    return dict(to_jsonable(row))
