"""What the audits context offers other contexts: an event when audits are stored, and their figures.

After each audit run the audits context publishes ``events.AuditsStored``; read models (search, campaign
applicant tables) react through the handlers listed in ``microreach.web.wiring.EVENT_HANDLERS`` and read
the audit summary a viewer may see with ``audit_summaries`` — the installation-wide view for read models
every brand shares, never an organisation's private audit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

# The audit summary's fields in API answers: other contexts' schemas (search rows, applications) extend it.
from microreach.web.audits.schemas import SummaryFieldsOut as SummaryFieldsOut
from microreach.web.events import AuditsStored as AuditsStored  # the event type, re-exported
from microreach.web.events import publish


@dataclass(frozen=True)
class AuditSummary:
    """The one set of figures a viewer sees for an account (ADR 0005). Shares are fractions (0–1).

    ``fake_source`` says where the fake share comes from: ``measured`` on a follower sample (``sample_size``
    followers), ``estimated`` from account-level signals, or ``none``. ``risk`` is the verdict as stored
    (``core.risk.RiskVerdict.as_dict``: level, reasons as codes with params and evidence anchors).
    """

    account_id: int
    audit_id: int
    audited_at: datetime
    as_of: datetime
    status: str
    score: float | None
    tier: str
    engagement_rate: float | None
    engagement_basis: str
    engagement_percentile: float | None
    engagement_peers: int
    engagement_ratio: float | None
    relay_rate: float | None
    fake_share: float | None
    fake_low: float | None
    fake_high: float | None
    fake_source: str
    sample_size: int | None
    pod_flagged: bool
    growth_spikes: int
    sponsored_share: float | None
    undisclosed_posts: int
    compliance_share: float | None
    risk_level: str
    risk: dict[str, object] = field(default_factory=dict)
    own_sample: bool = False  # measured on the viewer's own follower sample

    @property
    def fake_interval(self) -> tuple[float, float] | None:
        if self.fake_low is None or self.fake_high is None:
            return None
        return self.fake_low, self.fake_high


def audits_stored_announce(*, job_key: str, account_ids: list[int]) -> None:
    """Publish ``AuditsStored`` for an audit run (delivered on commit, at once outside a transaction)."""
    publish(AuditsStored(job_key=job_key, account_ids=tuple(account_ids)))


def audit_summaries(
    *, account_ids: Collection[int], organisation_ids: Collection[int] = ()
) -> dict[int, AuditSummary]:
    """The summary a viewer of ``organisation_ids`` sees per account (no organisations: the installation-wide
    view, for read models shared by every brand). Accounts never audited are absent."""
    from microreach.web.audits.selectors import audit_best_by_account

    owners = set(organisation_ids)
    return {
        r.account_id: AuditSummary(
            account_id=r.account_id,
            audit_id=r.pk,
            audited_at=r.created_at,
            as_of=r.as_of,
            status=r.status,
            score=r.score,
            tier=r.tier,
            engagement_rate=r.engagement_rate,
            engagement_basis=r.engagement_basis,
            engagement_percentile=r.engagement_percentile,
            engagement_peers=r.engagement_peers,
            engagement_ratio=r.engagement_ratio,
            relay_rate=r.relay_rate,
            fake_share=r.fake_share,
            fake_low=r.fake_low,
            fake_high=r.fake_high,
            fake_source=r.fake_source,
            sample_size=r.sample_size,
            pod_flagged=r.pod_flagged,
            growth_spikes=r.growth_spikes,
            sponsored_share=r.sponsored_share,
            undisclosed_posts=r.undisclosed_posts,
            compliance_share=r.compliance_share,
            risk_level=r.risk_level,
            risk=dict(r.risk or {}),
            own_sample=r.organisation_id is not None and r.organisation_id in owners,
        )
        for r in audit_best_by_account(
            account_ids=account_ids, organisation_ids=owners, with_result=False
        ).values()
    }


# The summary figures a search may filter and sort on, by the name the audit record gives them.
VIEWER_FIGURE_COLUMNS = frozenset({"score", "engagement_rate", "fake_share", "sponsored_share"})


def viewer_figure_sql(*, organisation_ids: Collection[int], account_id_sql: str) -> dict[str, str] | None:
    """For a read model filtering or sorting on summary figures (search): per figure, an SQL expression of
    the figure of the viewer's **own** latest audit of the account ``account_id_sql`` names (NULL when it
    has none), to be read before the installation-wide figure (``COALESCE(own, shared)``) — the order of
    ``audit_best_by_account`` (ADR 0005), so that a search filters and sorts on the figures its cards show.
    None when the viewer has no audit of its own (the shared figures are then the viewer's)."""
    from microreach.web.audits.models import AuditRecord

    owners = sorted({int(o) for o in organisation_ids})
    if not owners or not AuditRecord.objects.filter(organisation_id__in=owners, is_latest=True).exists():
        return None
    table = AuditRecord._meta.db_table
    inside = ", ".join(str(o) for o in owners)  # integers: written into the SQL, no parameter to carry
    return {
        column: (
            f"(SELECT a.{column} FROM {table} a WHERE a.account_id = {account_id_sql} AND a.is_latest "
            f"AND a.organisation_id IN ({inside}) ORDER BY a.created_at DESC LIMIT 1)"
        )
        for column in sorted(VIEWER_FIGURE_COLUMNS)
    }


def viewer_audited_accounts_sql(*, organisation_ids: Collection[int]) -> str:
    """SQL selecting the accounts the viewer's **own** latest audits cover: every account whose figure in
    ``viewer_figure_sql`` may be the viewer's own rather than the installation-wide one (search bounds a
    sort on those figures with it, ``discovery.figure_sort``)."""
    from microreach.web.audits.models import AuditRecord

    inside = ", ".join(str(int(o)) for o in sorted(set(organisation_ids))) or "NULL"
    return (
        f"SELECT a.account_id FROM {AuditRecord._meta.db_table} a "
        f"WHERE a.is_latest AND a.organisation_id IN ({inside})"
    )


def audit_request(*, account_id: int) -> str:
    """Audit one account as soon as a worker is free (idempotent within a minute); returns the job key."""
    from microreach.web.audits.services import audit_request as request

    return request(account_id=account_id)


@dataclass(frozen=True)
class CreatorReply:
    """A creator's reply to one flagged finding of their audit (right of reply): the finding in the
    reader's language, the reply as plain text (shown escaped) and when it was last written."""

    account_id: int
    code: str
    key: str
    finding: str
    text: str
    updated_at: datetime


def audit_replies(*, account_ids: Collection[int]) -> dict[int, tuple[CreatorReply, ...]]:
    """The creators' replies per account (accounts without a reply are absent), for every viewer who sees
    the audit: brands read them beside the flags (audit page, API, campaign report)."""
    from microreach.web.audits.findings import flag_text
    from microreach.web.audits.models import AuditAnswer
    from microreach.web.creators.contracts import accounts_posts_by_network_id

    out: dict[int, list[CreatorReply]] = {}
    rows = list(
        AuditAnswer.objects.filter(account_id__in=list(account_ids)).order_by(
            "account_id", "code", "finding_key"
        )
    )
    # a reply to a flagged post names the post as the flag does: its day and its caption's first words
    post_ids: dict[int, list[str]] = {}
    for a in rows:
        if a.code == "flag_undisclosed_post" and (a.params or {}).get("post"):
            post_ids.setdefault(a.account_id, []).append(str(a.params["post"]))
    posts = accounts_posts_by_network_id(wanted=post_ids)
    for a in rows:
        out.setdefault(a.account_id, []).append(
            CreatorReply(
                account_id=a.account_id,
                code=a.code,
                key=a.finding_key,
                finding=flag_text(a.code, dict(a.params or {}), posts.get(a.account_id)),
                text=a.text,
                updated_at=a.updated_at,
            )
        )
    return {k: tuple(v) for k, v in out.items()}


def audit_replies_delete(*, user_id: int) -> int:
    """Delete the replies a creator user wrote or that stand on the accounts they claimed (their data
    erased); returns how many."""
    from microreach.web.audits.services import audit_replies_delete as delete

    return delete(user_id=user_id)
