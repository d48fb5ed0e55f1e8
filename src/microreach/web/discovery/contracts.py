"""What the discovery context offers other contexts.

Providers of audit figures are listed in ``microreach.web.wiring.AUDIT_FIGURES_PROVIDERS``
(``discovery.audit_figures`` plugs in the audits context's shared figures); the search refresh asks
every provider for the latest figures of the accounts it rebuilds and copies them into the read model.
A refresh is scheduled after every import batch (``events.DataChanged``) and after every audit run
(``events.AuditsStored``), by the handlers listed in ``wiring.EVENT_HANDLERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from microreach.web.discovery.tiers import TIERS as TIERS  # offered to other contexts (smallest first)
from microreach.web.discovery.topic_codes import TOPIC_PATTERN as TOPIC_PATTERN  # offered to other contexts
from microreach.web.events import resolve, wired

if TYPE_CHECKING:
    from microreach.web.discovery.index_status import IndexStatus


@dataclass(frozen=True)
class AuditFigures:
    """The latest audit of one account, as search shows and filters it. Shares are fractions (0–1)."""

    account_id: int
    audit_at: datetime
    quality_score: float | None = None  # 0–100
    tier: str = ""
    engagement_rate: float | None = None
    engagement_basis: str = ""  # followers | reach | views
    engagement_percentile: float | None = None  # 0–100 among the audit's peers
    engagement_ratio: float | None = None  # the rate ÷ its reference (published benchmark or peers)
    fake_share: float | None = None
    fake_low: float | None = None
    fake_high: float | None = None
    fake_source: str = "none"  # measured | estimated | none
    sample_size: int | None = None  # followers in the sample a measured fake share comes from
    risk_level: str = ""  # low | medium | high
    risk: dict[str, object] = field(default_factory=dict)
    sponsored_share: float | None = None
    disclosure_ok: bool | None = None
    growth_30d: float | None = None
    red_flags: tuple[str, ...] = field(default_factory=tuple)


AuditFiguresProvider = Callable[[Sequence[int]], Iterable[AuditFigures]]


def audit_figures_providers() -> dict[str, AuditFiguresProvider]:
    """The providers listed in ``wiring.AUDIT_FIGURES_PROVIDERS``, by name."""
    return {name: resolve(target) for name, target in wired("AUDIT_FIGURES_PROVIDERS").items()}


def index_status() -> IndexStatus:
    """Where the search index stands (``discovery.index_status.search_index_status``), for other contexts'
    pages whose figures wait for the same work (applicants lists)."""
    from microreach.web.discovery.index_status import search_index_status

    return search_index_status()


# --- shortlists as campaigns use them (inviting a shortlist's creators) -------------------------------

if TYPE_CHECKING:
    from microreach.web.accounts.contracts import Tenant


@dataclass(frozen=True)
class ShortlistRef:
    """A shortlist as a choice names it."""

    shortlist_id: int
    name: str


def shortlist_refs(*, tenant: Tenant) -> list[ShortlistRef]:
    """The tenant's shortlists, most recently changed first."""
    from microreach.web.discovery.selectors import shortlist_list

    return [ShortlistRef(s.pk, s.name) for s in shortlist_list(tenant=tenant)]


@dataclass(frozen=True)
class ShortlistAction:
    """Something another context offers on a shortlist's page: a form posting ``shortlist`` (the shortlist's
    id) and one choice ``field`` among ``choices`` (value, label) to ``url`` (campaigns: invite its creators
    to an open campaign). The providers are listed in ``wiring.SHORTLIST_ACTIONS``."""

    title: str
    url: str
    field: str
    field_label: str
    choices: tuple[tuple[str, str], ...]
    button: str


def shortlist_actions(*, tenant: Tenant, shortlist_id: int) -> list[ShortlistAction]:
    """What the providers of ``wiring.SHORTLIST_ACTIONS`` offer on the page of one of ``tenant``'s shortlists."""
    return [
        a
        for target in wired("SHORTLIST_ACTIONS")
        for a in resolve(target)(tenant=tenant, shortlist_id=shortlist_id)
    ]


def shortlist_account_ids(*, tenant: Tenant, shortlist_id: int) -> list[int]:
    """The accounts of one of the tenant's shortlists, in the order they were added (404 for a shortlist
    that is not the tenant's)."""
    from microreach.web.discovery.selectors import shortlist_entries, shortlist_get

    shortlist = shortlist_get(tenant=tenant, shortlist_id=shortlist_id)
    return [entry.account_id for entry, _row in shortlist_entries(tenant=tenant, shortlist=shortlist)]


# --- the topics creators are indexed under (the campaign wizard's topic choices) ----------------------


def topic_choices(*, limit: int = 200) -> list[str]:
    """The topics of the indexed creators (search's ``topic`` facet values), most common first, then by
    name; at most ``limit``. Counted once per version of the search rows (an hour at most), not on every
    page that offers them: at a million rows the count is a scan of every topic."""
    from django.core.cache import cache
    from django.db.models import Count

    from microreach.web.discovery.models import SearchAttribute
    from microreach.web.discovery.ranked_cache import search_rows_version

    def count() -> list[str]:
        rows = (
            SearchAttribute.objects.filter(kind=SearchAttribute.Kind.TOPIC)
            .values("value")
            .annotate(n=Count("id"))
            .order_by("-n", "value")[:limit]
        )
        return [str(r["value"]) for r in rows]

    topics = cache.get_or_set(f"discovery:topics:{search_rows_version()}:{limit}", count, TOPICS_SECONDS)
    return list(topics)


TOPICS_SECONDS = 3600
