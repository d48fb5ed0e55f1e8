"""The audit of a chunk of accounts, as every way of running audits does it: the configuration read once
per process, the accounts' records read (``creators.contracts``), audited (``core.audit``), summarised and
turned into the ``AuditRecord`` rows to store. ``services.audits_run`` runs chunks here or in worker
processes (``audit_worker_start``); ``distributed`` runs them on a Dask cluster.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from django.db import connections
from threadpoolctl import threadpool_limits

from microreach.config.loader import load_audit_config, load_risk_rules
from microreach.core.audit import AuditResult, audit_account
from microreach.core.audit_parameters import AuditConfig
from microreach.core.population import PopulationSnapshot as CorePopulation
from microreach.core.risk import RiskRules
from microreach.core.summary import summarise
from microreach.web.audits.models import AuditRecord
from microreach.web.creators import contracts


@lru_cache(maxsize=1)
def audit_config() -> AuditConfig:
    """The configuration files and the shipped model, read and validated once per process."""
    return load_audit_config()


@lru_cache(maxsize=1)
def risk_rules() -> RiskRules:
    return load_risk_rules()


def audit_record(
    account_id: int, organisation_id: int | None, result: AuditResult, *, shares_aggregates: bool = False
) -> AuditRecord:
    """The stored row of one audit: its summary's figures in columns (what pages filter, sort and show),
    the whole result in ``result``."""
    payload = result.to_dict()
    summary = summarise(result=result, rules=risk_rules())
    return AuditRecord(
        account_id=account_id,
        organisation_id=organisation_id,
        population_id=result.versions.population,
        as_of=result.as_of,
        status=result.status,
        score=summary.score,
        confidence=result.score.confidence_label,
        tier=summary.tier,
        engagement_rate=summary.engagement_rate,
        engagement_basis=summary.engagement_basis,
        engagement_percentile=summary.engagement_percentile,
        engagement_peers=summary.engagement_peers,
        engagement_ratio=summary.engagement_ratio,
        relay_rate=summary.relay_rate,
        fake_share=summary.fake_share,
        fake_low=summary.fake_low,
        fake_high=summary.fake_high,
        fake_source=summary.fake_source,
        sample_size=summary.sample_size,
        shares_aggregates=shares_aggregates and summary.fake_source == "measured",
        pod_flagged=summary.pod_flagged,
        growth_spikes=summary.growth_spikes,
        sponsored_share=summary.sponsored_share,
        undisclosed_posts=summary.undisclosed_posts,
        compliance_share=summary.compliance_share,
        risk_level=summary.risk.level or "",
        risk=summary.risk.as_dict(),
        data_from=result.data_from,
        data_to=result.data_to,
        versions=payload["versions"],
        result=payload,
    )


# An audit run over several processes (fork): each worker inherits the population and reads its own chunks
# of accounts from the database on its own connection, audits them and builds their rows; this process only
# writes them. Reading the records costs about as much as auditing them: it is spread over the workers too.
_worker_population: CorePopulation | None = None
_inherited_connections: list[object] = []


def audit_worker_start(population: CorePopulation) -> None:
    from microreach.batch.engines import worker_threads

    global _worker_population
    _worker_population = population
    # One numeric thread per process (MICROREACH_WORKER_THREADS): N processes on N cores.
    threadpool_limits(limits=worker_threads())
    for conn in connections.all(initialized_only=True):
        # Kept, never closed or freed: closing a connection inherited from the parent would end the
        # parent's own session (PostgreSQL); the first query here opens this process's connection.
        _inherited_connections.append(conn.connection)
        conn.connection = None


def audit_chunk(
    ids: list[int], organisation_id: int | None, as_of: datetime, population: CorePopulation | None = None
) -> list[AuditRecord]:
    """The rows (not saved) of one chunk's audits: its accounts read, audited and summarised."""
    population = population or _worker_population
    assert population is not None, "audit worker started without its population"
    config = audit_config()
    data = contracts.account_records(
        account_ids=ids, organisation_id=organisation_id, with_followers=organisation_id is not None
    )
    shared = (
        contracts.accounts_sharing_aggregates(account_ids=ids, organisation_id=organisation_id)
        if organisation_id is not None
        else set()
    )
    return [
        audit_record(
            aid,
            organisation_id,
            audit_account(data=d, population=population, config=config, as_of=as_of),
            shares_aggregates=aid in shared,
        )
        for aid, d in data.items()
    ]
