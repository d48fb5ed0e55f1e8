"""Reads of the reporting context: assemble a campaign's ``ReportInput`` and compute its report.

The campaigns context has no reporting contract yet, so its rows are read here, read-only, in one query
per table (applications, shipments, campaign posts, sales); imported posts and snapshots come through
``creators.contracts.post_metrics`` and audit figures through ``audits.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.config.loader import load_disclosure, load_tiers
from microreach.config.reporting import load_emv, load_fx, load_report_alerts
from microreach.core.disclosure import DisclosureRules
from microreach.core.records import Network
from microreach.core.reporting import (
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
from microreach.web.accounts.tenancy import Tenant, scoped
from microreach.web.audits.contracts import audit_summaries
from microreach.web.campaigns import machine
from microreach.web.campaigns import selectors as campaign_selectors
from microreach.web.campaigns.models import Application, Campaign, CampaignPost, Sale, Shipment
from microreach.web.creators.contracts import post_metrics
from microreach.web.reporting.errors import ShareLinkGone, ShareLinkInvalid
from microreach.web.reporting.models import ReportRefresh, ReportShareLink

SHARE_SALT = "microreach.reporting.share-link"
# Campaigns whose report is worth showing: something may have been published.
REPORTABLE_STATES = ("running", "completed", "closed", "cancelled")


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
    presets, default = load_tiers()
    preset = next(p for p in presets if p.name == default)
    return ReportConfig(load_emv(), load_fx(), load_disclosure(), preset, load_report_alerts())


def _money(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _product_value(campaign: Campaign) -> Decimal:
    """One unit of each product of the brief per shipped creator."""
    return sum(
        (_money(p.get("unit_value")) for p in campaign.products or [] if isinstance(p, dict)), Decimal(0)
    )


def _planned_per_creator(campaign: Campaign) -> int:
    total = 0
    for d in campaign.deliverables or []:
        try:
            total += max(int(d.get("count", 1)), 0) if isinstance(d, dict) else 0
        except (TypeError, ValueError):
            continue
    return total


def report_input_build(*, campaign: Campaign, as_of: datetime) -> ReportInput:
    """Everything ``core.reporting.campaign_report`` needs about one campaign, in a fixed number of queries."""
    config = report_config()
    applications = list(
        Application.objects.filter(campaign=campaign, state__in=machine.ACCEPTED_STATES)
        .select_related("account")
        .order_by("id")
    )
    shipments = {
        s.application_id: s
        for s in Shipment.objects.filter(application__campaign=campaign).only(
            "application_id", "cost", "shipped_at"
        )
    }
    # The audit summary the campaign's brand sees (ADR 0005): the figures of its applicants table.
    audits = audit_summaries(
        account_ids=[a.account_id for a in applications], organisation_ids=[campaign.organisation_id]
    )
    unit_value = _product_value(campaign)
    planned = _planned_per_creator(campaign)
    creators: list[ReportCreator] = []
    for app in applications:
        account = app.account
        shipment = shipments.get(app.pk)
        shipped = shipment is not None and shipment.shipped_at is not None
        paid = app.state != machine.A.NO_SHOW
        fee = (
            app.agreed_fee
            if app.agreed_fee is not None
            else (campaign.fee if campaign.compensation == "fee" else None)
        )
        audit = audits.get(account.pk)
        creators.append(
            ReportCreator(
                key=str(app.pk),
                handle=account.handle,
                network=Network(account.network),
                followers=int(account.followers or 0),
                tier=audit.tier
                if audit is not None and audit.tier
                else classify_tier(
                    followers=int(account.followers or 0), preset=config.tiers, topics=account.topics or ()
                ).tier,
                planned_posts=planned,
                fee=_money(fee) if paid else Decimal(0),
                product_value=unit_value if shipped else Decimal(0),
                shipping=_money(shipment.cost) if shipped and shipment is not None else Decimal(0),
                quality_score=audit.score if audit is not None else app.quality_score,
                fake_share=audit.fake_share if audit is not None else app.fake_share,
                country=account.country,
            )
        )
    networks = {str(a.pk): Network(a.account.network) for a in applications}
    links = list(
        CampaignPost.objects.filter(application__campaign=campaign)
        .values_list("id", "application_id", "url", "post_id", "published_at", "removed_at", "deliverable")
        .order_by("published_at", "id")
    )
    metrics = post_metrics(post_ids=[pid for _i, _a, _u, pid, *_rest in links if pid is not None])
    posts: list[ReportPost] = []
    for link_id, app_id, url, post_id, published_at, removed_at, _deliverable in links:
        key = str(app_id)
        if key not in networks:
            continue  # the application left the accepted states (e.g. withdrawn after publishing)
        found = metrics.get(post_id) if post_id is not None else None
        if found is None:
            posts.append(
                ReportPost(
                    f"cp{link_id}",
                    key,
                    networks[key],
                    published_at,
                    url=url,
                    measured=False,
                    online=removed_at is None,
                )
            )
            continue
        record = found.post
        posts.append(
            ReportPost(
                post_id=f"cp{link_id}",
                creator_key=key,
                network=record.network,
                # the network's publication time of the measured post, so that the table's date and the
                # daily series (its snapshots) speak of the same post; the link's time when the network has none
                published_at=record.published_at or published_at,
                url=url or record.url,
                post_type=record.post_type.value,
                caption=record.caption,
                is_paid_partnership=record.is_paid_partnership,
                measured=True,
                online=removed_at is None,
                likes=record.likes,
                comments=record.comments,
                shares=record.shares,
                saves=record.saves,
                views=record.views,
                reach=record.reach,
                impressions=record.impressions,
                snapshots=found.snapshots,
            )
        )
    sale_rows = list(
        Sale.objects.filter(campaign=campaign).values_list(
            "application_id", "amount", "commission", "sold_on"
        )
    )
    sales = tuple(
        ReportSale(str(app_id) if app_id is not None else None, Decimal(amount), Decimal(commission), day)
        for app_id, amount, commission, day in sale_rows
    )
    organisation = campaign.organisation
    jurisdictions = tuple(campaign.jurisdictions or organisation.default_jurisdictions or ())
    refresh = ReportRefresh.objects.filter(campaign=campaign).first()
    return ReportInput(
        campaign_id=campaign.pk,
        title=campaign.title,
        currency=campaign.currency,
        emv=config.emv,
        fx=config.fx,
        as_of=as_of,
        brand=organisation.name,
        state=campaign.state,
        creators=tuple(creators),
        posts=tuple(posts),
        sales=sales,
        sales_imported=bool(sales),
        budget=campaign.budget,
        disclosure_rules=config.disclosure,
        jurisdictions=jurisdictions,
        tier_preset=config.tiers.name,
        refreshed_at=refresh.refreshed_at if refresh else None,
        alert_rules=config.alerts,
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


def report_for_campaign(*, tenant: Tenant, campaign_id: int) -> tuple[Campaign, CampaignReport]:
    """The report of a campaign the tenant may see (404 otherwise, the same for missing and foreign)."""
    if not tenant.is_brand_side:
        raise Http404("campaign")
    campaign = campaign_selectors.campaign_get(tenant=tenant, campaign_id=campaign_id)
    return campaign, campaign_report(data=report_input_build(campaign=campaign, as_of=timezone.now()))


def report_unscoped(*, campaign_id: int) -> tuple[Campaign, CampaignReport]:
    """Operator access (CLI, worker): any campaign by id."""
    campaign = Campaign.objects.select_related("organisation").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("campaign")
    return campaign, campaign_report(data=report_input_build(campaign=campaign, as_of=timezone.now()))


@dataclass(frozen=True)
class ReportListRow:
    campaign_id: int
    title: str
    state: str
    state_label: str
    brand: str
    refreshed_at: datetime | None
    summary: dict[str, Any]


def _list_rows(campaigns: QuerySet[Campaign]) -> list[ReportListRow]:
    rows = list(campaigns.select_related("organisation"))
    refreshes = {r.campaign_id: r for r in ReportRefresh.objects.filter(campaign_id__in=[c.pk for c in rows])}
    return [
        ReportListRow(
            c.pk,
            c.title,
            c.state,
            c.get_state_display(),
            c.organisation.name,
            refreshes[c.pk].refreshed_at if c.pk in refreshes else None,
            refreshes[c.pk].summary if c.pk in refreshes else {},
        )
        for c in rows
    ]


def report_campaigns(*, tenant: Tenant) -> list[ReportListRow]:
    """The tenant's campaigns that can have a report (not drafts, not merely open)."""
    if not tenant.is_brand_side:
        return []
    return _list_rows(campaign_selectors.campaign_list(tenant=tenant).filter(state__in=REPORTABLE_STATES))


def report_campaigns_all() -> list[ReportListRow]:
    """Every campaign of the installation with its state (operator CLI)."""
    return _list_rows(Campaign.objects.order_by("id"))


def share_links_of(*, tenant: Tenant, campaign_id: int) -> list[ReportShareLink]:
    return list(
        scoped(ReportShareLink, tenant).filter(campaign_id=campaign_id).order_by("-created_at", "-id")
    )


def share_link_get(*, tenant: Tenant, link_id: int) -> ReportShareLink:
    from microreach.web.accounts.tenancy import get_scoped_or_404

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
        raise ShareLinkInvalid("share_link_invalid", _("This link is not valid.")) from exc
    link = ReportShareLink.objects.filter(pk=link_id, key=key).first()
    if link is None:
        raise ShareLinkInvalid("share_link_invalid", _("This link is not valid."))
    if link.revoked_at is not None or link.expires_at <= now:
        raise ShareLinkGone("share_link_gone", _("This link has expired or was revoked."))
    return link


def report_for_share_link(*, link: ReportShareLink) -> tuple[Campaign, CampaignReport]:
    return report_unscoped(campaign_id=link.campaign_id)


@dataclass(frozen=True)
class CreatorSummaryRow:
    """A creator of the report beside the audit summary the campaign's brand sees (ADR 0005)."""

    handle: str
    network: str
    summary: Any  # audits.contracts.AuditSummary, or None when the creator was never audited


def report_creator_summaries(*, report: CampaignReport) -> list[CreatorSummaryRow]:
    """The audit summary of each creator of the report, in the report's order (the figures of the
    applicants table, the search card and the audit page)."""
    ids = [int(c.key) for c in report.creators if str(c.key).isdigit()]
    apps = {
        a.pk: a
        for a in Application.objects.filter(pk__in=ids, campaign_id=report.campaign_id).select_related(
            "account", "campaign"
        )
    }
    if not apps:
        return []
    organisation_id = next(iter(apps.values())).campaign.organisation_id
    summaries = audit_summaries(
        account_ids=[a.account_id for a in apps.values()], organisation_ids=[organisation_id]
    )
    return [
        CreatorSummaryRow(a.account.handle, a.account.network, summaries.get(a.account_id))
        for a in (apps[i] for i in ids if i in apps)
    ]
