"""Local batch runner: build the population snapshot, audit every account (optionally over processes),
and flatten each result to one JSON-ready row (the ``audit batch`` JSON Lines format, docs/audit.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any

from microreach.core.audit import AuditResult, audit_account
from microreach.core.audit_config import AuditConfig
from microreach.core.evidence import to_jsonable
from microreach.core.population import PopulationSnapshot, build_population
from microreach.core.records import AccountData


def _audit_chunk(
    chunk: Sequence[AccountData], population: PopulationSnapshot, config: AuditConfig, as_of: datetime
) -> list[AuditResult]:
    return [audit_account(data=d, population=population, config=config, as_of=as_of) for d in chunk]


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
    """Audit ``accounts`` in input order; the population is built from them unless given."""
    snapshot = population or build_population(
        accounts=accounts, config=config, as_of=as_of, pseudonym_key=pseudonym_key
    )
    chunks = [accounts[i : i + chunk_size] for i in range(0, len(accounts), chunk_size)]
    if processes <= 1:
        for chunk in chunks:
            yield from _audit_chunk(chunk, snapshot, config, as_of)
        return
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = [pool.submit(_audit_chunk, chunk, snapshot, config, as_of) for chunk in chunks]
        for future in futures:
            yield from future.result()


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
