"""Reads of the reporting context: assemble a campaign's ``ReportInput`` and compute its report.

A campaign's header and rows (applications, shipments, post links, sales) come through
``campaigns.contracts``, imported posts and snapshots through ``creators.contracts.post_metrics`` and audit
figures through ``audits.contracts``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core import signing
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microreach.config.loader import default_tier_preset, load_disclosure
from microreach.config.reporting import load_emv, load_fx, load_report_alerts
from microreach.core.disclosure import DisclosureRules
from microreach.core.evidence import to_jsonable
from microreach.core.records import Network
from microreach.core.reporting import (
    FORMULAS,
    REPORT_RULES_VERSION,
    AlertRules,
    CampaignReport,
    EmvTable,
    FxTable,
    ReportCreator,
    ReportInput,
    ReportPost,
    ReportSale,
    campaign_report,
)
from microreach.core.tiers import TierPreset, classify_tier
from microreach.web.accounts.contracts import Tenant, get_scoped_or_404, scoped
from microreach.web.audits.contracts import AuditSummary, CreatorReply, audit_replies, audit_summaries
from microreach.web.campaigns.contracts import (
    CampaignHeader,
    campaign_application_accounts,
    campaign_brand_logo_path,
    campaign_header,
    campaign_headers,
    campaign_report_rows,
    fee_paid,
)
from microreach.web.creators.contracts import post_metrics
from microreach.web.errors import ErrorCode
from microreach.web.reporting.errors import ShareLinkGone, ShareLinkInvalid
from microreach.web.reporting.figures import show
from microreach.web.reporting.models import ReportRefresh, ReportShareLink

SHARE_SALT = "microreach.reporting.share-link"
# Campaigns whose report is worth showing: something may have been published. The reports list names the
# others (a draft, open for applications) with when their report starts.
REPORTABLE_STATES = ("running", "completed", "closed", "cancelled")
REPORT_STARTS = gettext_lazy("No report yet: it starts when the campaign runs.")


@dataclass(frozen=True)
class ReportConfig:
    emv: EmvTable
    fx: FxTable
    disclosure: DisclosureRules
    tiers: TierPreset
    alerts: AlertRules


@lru_cache(maxsize=1)
def report_config() -> ReportConfig:
    """The EMV and FX tables, disclosure rules, default tier preset and alert rules, read and validated once."""
    return ReportConfig(load_emv(), load_fx(), load_disclosure(), default_tier_preset(), load_report_alerts())


def _money(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def report_input_build(
    *, campaign: CampaignHeader, as_of: datetime, headline_only: bool = False
) -> ReportInput:
    """Everything ``core.reporting.campaign_report`` needs about one campaign, in a fixed number of queries.

    ``headline_only``: each post with its latest snapshot alone — the only one its final counts read
    (``core.report_formulas.final_counts``), so the headline figures (``report_headline``) are the full
    report's, without its daily series (a reports list line)."""
    config = report_config()
    rows = campaign_report_rows(campaign_id=campaign.campaign_id)
    applications = rows.applications
    shipments = {s.application_id: s for s in rows.shipments}
    # The audit summary the campaign's brand sees (ADR 0005): the figures of its applicants table.
    audits = audit_summaries(
        account_ids=[a.account_id for a in applications], organisation_ids=[campaign.organisation_id]
    )
    unit_value = campaign.product_unit_value
    planned = campaign.planned_posts_per_creator
    creators: list[ReportCreator] = []
    for app in applications:
        shipment = shipments.get(app.application_id)
        shipped = shipment is not None and shipment.shipped_at is not None
        paid = not app.no_show
        fee = fee_paid(
            compensation=campaign.compensation, campaign_fee=campaign.fee, agreed_fee=app.agreed_fee
        )
        audit = audits.get(app.account_id)
        creators.append(
            ReportCreator(
                key=str(app.application_id),
                handle=app.handle,
                network=Network(app.network),
                followers=app.followers,
                tier=audit.tier
                if audit is not None and audit.tier
                else classify_tier(followers=app.followers, preset=config.tiers, topics=app.topics).tier,
                planned_posts=planned,
                fee=_money(fee) if paid else Decimal(0),
                product_value=unit_value if shipped else Decimal(0),
                shipping=_money(shipment.cost) if shipped and shipment is not None else Decimal(0),
                quality_score=audit.score if audit is not None else app.quality_score,
                fake_share=audit.fake_share if audit is not None else app.fake_share,
                country=app.country,
            )
        )
    networks = {str(a.application_id): Network(a.network) for a in applications}
    links = rows.posts
    metrics = post_metrics(
        post_ids=[link.post_id for link in links if link.post_id is not None],
        latest_snapshot_only=headline_only,
    )
    posts: list[ReportPost] = []
    for link in links:
        key = str(link.application_id)
        if key not in networks:
            continue  # the application left the accepted states (e.g. withdrawn after publishing)
        found = metrics.get(link.post_id) if link.post_id is not None else None
        if found is None:
            posts.append(
                ReportPost(
                    f"cp{link.link_id}",
                    key,
                    networks[key],
                    link.published_at,
                    url=link.url,
                    measured=False,
                    online=link.removed_at is None,
                )
            )
            continue
        record = found.post
        posts.append(
            ReportPost(
                post_id=f"cp{link.link_id}",
                creator_key=key,
                network=record.network,
                # the network's publication time of the measured post, so that the table's date and the
                # daily series (its snapshots) speak of the same post; the link's time when the network has none
                published_at=record.published_at or link.published_at,
                url=link.url or record.url,
                post_type=record.post_type.value,
                caption=record.caption,
                is_paid_partnership=record.is_paid_partnership,
                measured=True,
                online=link.removed_at is None,
                likes=record.likes,
                comments=record.comments,
                shares=record.shares,
                saves=record.saves,
                views=record.views,
                reach=record.reach,
                impressions=record.impressions,
                snapshots=found.snapshots,
                source=found.source,
                fetched_at=found.fetched_at,
            )
        )
    sales = tuple(
        ReportSale(
            str(s.application_id) if s.application_id is not None else None, s.amount, s.commission, s.sold_on
        )
        for s in rows.sales
    )
    refresh = ReportRefresh.objects.filter(campaign_id=campaign.campaign_id).first()
    return ReportInput(
        campaign_id=campaign.campaign_id,
        title=campaign.title,
        currency=campaign.currency,
        emv=config.emv,
        fx=config.fx,
        as_of=as_of,
        brand=campaign.brand,
        state=campaign.state,
        creators=tuple(creators),
        posts=tuple(posts),
        sales=sales,
        sales_imported=bool(sales),
        budget=campaign.budget,
        disclosure_rules=config.disclosure,
        jurisdictions=campaign.jurisdictions,
        tier_preset=config.tiers.name,
        refreshed_at=refresh.refreshed_at if refresh else None,
        alert_rules=config.alerts,
        publication_start=campaign.publication_start,
        publication_end=campaign.publication_end,
    )


@dataclass(frozen=True)
class Freshness:
    """How recent a report's data is: the worker's last refresh, the newest snapshot and import."""

    refreshed_at: datetime | None
    latest_snapshot_on: Any
    data_fetched_at: datetime | None


def report_freshness(*, campaign_id: int) -> Freshness:
    refresh = ReportRefresh.objects.filter(campaign_id=campaign_id).first()
    if refresh is None:
        return Freshness(None, None, None)
    return Freshness(refresh.refreshed_at, refresh.latest_snapshot_on, refresh.data_fetched_at)


def report_for_campaign(*, tenant: Tenant, campaign_id: int) -> tuple[CampaignHeader, CampaignReport]:
    """The report of a campaign the tenant may see (404 otherwise, the same for missing and foreign)."""
    if not tenant.is_brand_side:
        raise Http404("campaign")
    campaign = campaign_header(tenant=tenant, campaign_id=campaign_id)
    return campaign, campaign_report(data=report_input_build(campaign=campaign, as_of=timezone.now()))


def report_unscoped(
    *, campaign_id: int, headline_only: bool = False
) -> tuple[CampaignHeader, CampaignReport]:
    """Operator access (CLI, worker): any campaign by id (``headline_only``: see ``report_input_build``)."""
    campaign = campaign_header(campaign_id=campaign_id)
    data = report_input_build(campaign=campaign, as_of=timezone.now(), headline_only=headline_only)
    return campaign, campaign_report(data=data)


def report_logo_path(*, campaign: CampaignHeader) -> str | None:
    """The file of the brand's logo for a report's exports (None without a logo)."""
    return campaign_brand_logo_path(campaign_id=campaign.campaign_id) if campaign.brand_logo_url else None


# The figures a campaign's line of the reports list shows, kept by the refresh (``services.report_refresh``).
HEADLINE = ("posts_published", "engagements", "er_followers", "spend", "cpe", "emv")


def report_headline(*, report: CampaignReport) -> dict[str, Any]:
    """A report's headline figures as JSON values (money as exact strings), with its status and currency."""
    headline: dict[str, Any] = {m.key: to_jsonable(m.value) for m in report.summary if m.key in HEADLINE}
    headline["status"] = report.status
    headline["currency"] = report.currency
    return headline


def report_figures_basis() -> str:
    """What stored headline figures were computed under: the report rules' version and the EMV and FX tables'.
    Figures stored under another basis are computed again before they are shown."""
    config = report_config()
    return f"{REPORT_RULES_VERSION} emv={config.emv.version} fx={config.fx.version}"


def headline_shown(*, summary: dict[str, Any]) -> dict[str, str]:
    """Stored headline figures (``report_headline``) in the reader's way, as the report page shows them."""
    currency = str(summary.get("currency", ""))
    shown = {}
    for key in HEADLINE:
        unit, value = FORMULAS[key][0], summary.get(key)
        shown[key] = show(_money(value) if unit == "money" and value is not None else value, unit, currency)
    return shown


@dataclass(frozen=True)
class ReportListRow:
    campaign_id: int
    title: str
    state: str
    state_label: str
    brand: str
    refreshed_at: datetime | None
    summary: dict[str, Any]  # ``report_headline`` of the report as its page computes it ({} for a draft)
    shown: dict[str, str]  # the same figures in the reader's way (``figures.show``), by key
    has_report: bool  # False before the campaign runs (a draft, open for applications): no figures yet
    report_note: str  # when ``has_report`` is False, when its report starts, in the reader's language


def _is_current(refresh: ReportRefresh | None, basis: str) -> bool:
    return (
        refresh is not None
        and refresh.figures_basis == basis
        and all(key in refresh.summary for key in (*HEADLINE, "status", "currency"))
    )


def report_figures_missing(*, tenant: Tenant) -> list[int]:
    """The tenant's campaigns with a report whose headline figures are not stored, or were stored under another
    basis (``report_figures_basis``): never refreshed, or refreshed before the rules or tables changed."""
    if not tenant.is_brand_side:
        return []
    ids = [c.campaign_id for c in campaign_headers(tenant=tenant, states=REPORTABLE_STATES)]
    refreshes = {r.campaign_id: r for r in ReportRefresh.objects.filter(campaign_id__in=ids)}
    basis = report_figures_basis()
    return [i for i in ids if not _is_current(refreshes.get(i), basis)]


def _list_rows(rows: list[CampaignHeader], *, with_figures: bool = True) -> list[ReportListRow]:
    """Each campaign with the headline figures of its report as the last refresh stored them (its report
    computed by the page's one formula, ``report_headline``): reading them is one query, whatever the
    number of posts and snapshots."""
    refreshes = {
        r.campaign_id: r for r in ReportRefresh.objects.filter(campaign_id__in=[c.campaign_id for c in rows])
    }
    basis = report_figures_basis()
    out = []
    for c in rows:
        refresh = refreshes.get(c.campaign_id)
        has_report = c.state in REPORTABLE_STATES
        summary: dict[str, Any] = {}
        if with_figures and has_report and refresh is not None and _is_current(refresh, basis):
            summary = dict(refresh.summary)
        out.append(
            ReportListRow(
                c.campaign_id,
                c.title,
                c.state,
                c.state_label,
                c.brand,
                refresh.refreshed_at if refresh else None,
                summary,
                headline_shown(summary=summary) if summary else {},
                has_report,
                "" if has_report else str(REPORT_STARTS),
            )
        )
    return out


def report_campaigns(*, tenant: Tenant) -> list[ReportListRow]:
    """Every campaign of the tenant: those with a report with its stored figures (``services.report_list``
    stores those missing first), in ``REPORTABLE_STATES`` order (running, completed, closed, cancelled),
    then the others (a draft, open for applications) saying when it starts; newest first within a state."""
    if not tenant.is_brand_side:
        return []
    rows = _list_rows(campaign_headers(tenant=tenant))
    order = {state: n for n, state in enumerate(REPORTABLE_STATES)}
    return sorted(rows, key=lambda row: order.get(row.state, len(order)))


def report_campaigns_all() -> list[ReportListRow]:
    """Every campaign of the installation with its state (operator CLI: no figures, no report computed)."""
    return _list_rows(campaign_headers(), with_figures=False)


def share_links_of(*, tenant: Tenant, campaign_id: int) -> list[ReportShareLink]:
    return list(
        scoped(ReportShareLink, tenant).filter(campaign_id=campaign_id).order_by("-created_at", "-id")
    )


def share_link_get(*, tenant: Tenant, link_id: int) -> ReportShareLink:
    if not tenant.is_brand_side:
        raise Http404("link")
    return get_scoped_or_404(ReportShareLink, tenant, pk=link_id)


def share_token(*, link: ReportShareLink) -> str:
    """The signed token of a link's URL: names the row and its random key."""
    return signing.dumps({"l": link.pk, "k": link.key}, salt=SHARE_SALT)


def share_link_resolve(*, token: str, now: datetime) -> ReportShareLink:
    """The live link behind a token: 404 when forged, 410 when revoked or expired."""
    try:
        payload = signing.loads(token, salt=SHARE_SALT)
        link_id, key = int(payload["l"]), str(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ShareLinkInvalid(ErrorCode.SHARE_LINK_INVALID, _("This link is not valid.")) from exc
    link = ReportShareLink.objects.filter(pk=link_id, key=key).first()
    if link is None:
        raise ShareLinkInvalid(ErrorCode.SHARE_LINK_INVALID, _("This link is not valid."))
    if link.revoked_at is not None or link.expires_at <= now:
        raise ShareLinkGone(ErrorCode.SHARE_LINK_GONE, _("This link has expired or was revoked."))
    return link


def report_for_share_link(*, link: ReportShareLink) -> tuple[CampaignHeader, CampaignReport]:
    return report_unscoped(campaign_id=link.campaign_id)


@dataclass(frozen=True)
class CreatorSummaryRow:
    """A creator of the report beside the audit summary the campaign's brand sees (ADR 0005)."""

    handle: str
    network: str
    summary: AuditSummary | None  # None when the creator was never audited
    replies: tuple[CreatorReply, ...] = ()  # the creator's replies to the audit's flags (right of reply)


def report_creator_summaries(*, report: CampaignReport) -> list[CreatorSummaryRow]:
    """The audit summary of each creator of the report, in the report's order (the figures of the
    applicants table, the search card and the audit page)."""
    ids = [int(c.key) for c in report.creators if str(c.key).isdigit()]
    apps = campaign_application_accounts(campaign_id=report.campaign_id, application_ids=ids)
    if not apps:
        return []
    organisation_id = next(iter(apps.values())).organisation_id
    summaries = audit_summaries(
        account_ids=[a.account_id for a in apps.values()], organisation_ids=[organisation_id]
    )
    replies = audit_replies(account_ids=[a.account_id for a in apps.values()])
    return [
        CreatorSummaryRow(a.handle, a.network, summaries.get(a.account_id), replies.get(a.account_id, ()))
        for a in (apps[i] for i in ids if i in apps)
    ]
