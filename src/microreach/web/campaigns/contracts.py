"""What the campaigns context offers other contexts (today: reporting).

Values only: a campaign's header (what a report says about the campaign and its brand) and the rows a
campaign report is computed from — accepted applications with their account's figures, shipments,
published post links and imported sales — as frozen dataclasses, read in one query per table. Callers
pass ids in; no model instance or QuerySet of this context leaves it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.http import Http404

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns import machine, selectors, todo
from microreach.web.campaigns.budget import fee_paid as fee_paid  # what one accepted creator is paid
from microreach.web.campaigns.models import Application, Campaign, CampaignPost, Sale, Shipment
from microreach.web.campaigns.todo import CampaignEnded as CampaignEnded
from microreach.web.campaigns.todo import TodoItem as TodoItem
from microreach.web.creators.contracts import PublishCounts, StagedRecords


@dataclass(frozen=True)
class CampaignHeader:
    """A campaign as a report names it: title, state, money terms, jurisdictions and brand."""

    campaign_id: int
    organisation_id: int
    title: str
    state: str
    state_label: str
    currency: str
    budget: Decimal | None
    compensation: str
    fee: Decimal | None
    # the campaign's jurisdictions, else its brand's defaults
    jurisdictions: tuple[str, ...]
    brand: str
    brand_logo_url: str
    # one unit of each product of the brief (what a shipped creator received)
    product_unit_value: Decimal
    # posts the brief plans per creator (the deliverables' counts)
    planned_posts_per_creator: int
    # the days the brief asks the posts to be published in (None where the campaign has none)
    publication_start: date | None = None
    publication_end: date | None = None


def _decimal(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _header(campaign: Campaign) -> CampaignHeader:
    organisation = campaign.organisation
    planned = 0
    for d in campaign.deliverables or []:
        try:
            planned += max(int(d.get("count", 1)), 0) if isinstance(d, dict) else 0
        except (TypeError, ValueError):
            continue
    return CampaignHeader(
        campaign_id=campaign.pk,
        organisation_id=campaign.organisation_id,
        title=campaign.title,
        state=campaign.state,
        state_label=str(campaign.get_state_display()),
        currency=campaign.currency,
        budget=campaign.budget,
        compensation=campaign.compensation,
        fee=campaign.fee,
        jurisdictions=tuple(campaign.jurisdictions or organisation.default_jurisdictions or ()),
        brand=organisation.name,
        brand_logo_url=organisation.logo.url if organisation.logo else "",
        product_unit_value=sum(
            (_decimal(p.get("unit_value")) for p in campaign.products or [] if isinstance(p, dict)),
            Decimal(0),
        ),
        planned_posts_per_creator=planned,
        publication_start=campaign.publication_start,
        publication_end=campaign.publication_end,
    )


def campaign_header(*, campaign_id: int, tenant: Tenant | None = None) -> CampaignHeader:
    """The campaign ``campaign_id``: among the tenant's (404 otherwise, the same for missing and foreign),
    or any campaign of the installation when ``tenant`` is None (operator, worker)."""

    if tenant is not None:
        return _header(selectors.campaign_get(tenant=tenant, campaign_id=campaign_id))
    campaign = Campaign.objects.select_related("organisation").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("campaign")
    return _header(campaign)


def campaign_headers(
    *, tenant: Tenant | None = None, states: Collection[str] | None = None
) -> list[CampaignHeader]:
    """The tenant's campaigns (newest first), or every campaign of the installation by id when ``tenant``
    is None; only those in ``states`` when given."""

    campaigns = (
        selectors.campaign_list(tenant=tenant) if tenant is not None else Campaign.objects.order_by("id")
    )
    if states is not None:
        campaigns = campaigns.filter(state__in=list(states))
    return [_header(c) for c in campaigns.select_related("organisation")]


def campaign_brand_logo_path(*, campaign_id: int) -> str | None:
    """The file of the campaign's brand logo (for PDF and spreadsheet exports), None without one."""

    campaign = Campaign.objects.select_related("organisation").filter(pk=campaign_id).first()
    if campaign is None or not campaign.organisation.logo:
        return None
    return str(campaign.organisation.logo.path)


@dataclass(frozen=True)
class ReportApplication:
    """An accepted application (no-shows included) with its account's figures."""

    application_id: int
    account_id: int
    handle: str
    network: str
    followers: int
    topics: tuple[str, ...]
    country: str
    no_show: bool
    agreed_fee: Decimal | None
    # the figures copied on the application when it was made (used when no audit is stored)
    quality_score: float | None
    fake_share: float | None


@dataclass(frozen=True)
class ReportShipment:
    application_id: int
    cost: Decimal | None
    shipped_at: datetime | None


@dataclass(frozen=True)
class ReportPostLink:
    """A post a creator published for the campaign: its link and, once matched, the imported post's id."""

    link_id: int
    application_id: int
    url: str
    post_id: int | None
    published_at: datetime
    removed_at: datetime | None
    deliverable: str


@dataclass(frozen=True)
class ReportSaleRow:
    application_id: int | None
    amount: Decimal
    commission: Decimal
    sold_on: date


@dataclass(frozen=True)
class CampaignReportRows:
    """The rows a campaign report is computed from, each in a fixed order."""

    applications: tuple[ReportApplication, ...]  # by id
    shipments: tuple[ReportShipment, ...]
    posts: tuple[ReportPostLink, ...]  # by publication time, then id
    sales: tuple[ReportSaleRow, ...]


def campaign_report_rows(*, campaign_id: int) -> CampaignReportRows:
    """A campaign's accepted applications, shipments, post links and sales (one query per table)."""

    applications = tuple(
        ReportApplication(
            application_id=app.pk,
            account_id=app.account_id,
            handle=app.account.handle,
            network=app.account.network,
            followers=int(app.account.followers or 0),
            topics=tuple(app.account.topics or ()),
            country=app.account.country,
            no_show=app.state == machine.A.NO_SHOW,
            agreed_fee=app.agreed_fee,
            quality_score=app.quality_score,
            fake_share=app.fake_share,
        )
        for app in Application.objects.filter(campaign_id=campaign_id, state__in=machine.ACCEPTED_STATES)
        .select_related("account")
        .order_by("id")
    )
    shipments = tuple(
        ReportShipment(s.application_id, s.cost, s.shipped_at)
        for s in Shipment.objects.filter(application__campaign_id=campaign_id).only(
            "application_id", "cost", "shipped_at"
        )
    )
    posts = tuple(
        ReportPostLink(*row)
        for row in CampaignPost.objects.filter(application__campaign_id=campaign_id)
        .values_list("id", "application_id", "url", "post_id", "published_at", "removed_at", "deliverable")
        .order_by("published_at", "id")
    )
    sales = tuple(
        ReportSaleRow(app_id, Decimal(amount), Decimal(commission), day)
        for app_id, amount, commission, day in Sale.objects.filter(campaign_id=campaign_id).values_list(
            "application_id", "amount", "commission", "sold_on"
        )
    )
    return CampaignReportRows(applications, shipments, posts, sales)


@dataclass(frozen=True)
class ApplicationAccount:
    """Which account applied with an application, and the campaign's brand."""

    application_id: int
    account_id: int
    handle: str
    network: str
    organisation_id: int


def campaign_application_accounts(
    *, campaign_id: int, application_ids: list[int]
) -> dict[int, ApplicationAccount]:
    """The accounts behind these applications of the campaign, by application id (others left out)."""

    rows = Application.objects.filter(pk__in=application_ids, campaign_id=campaign_id).select_related(
        "account", "campaign"
    )
    return {
        a.pk: ApplicationAccount(
            a.pk, a.account_id, a.account.handle, a.account.network, a.campaign.organisation_id
        )
        for a in rows
    }


def campaign_post_ids(*, campaign_id: int) -> list[int | None]:
    """The imported post behind each post link of the campaign (None while a link is not matched)."""

    return list(
        CampaignPost.objects.filter(application__campaign_id=campaign_id).values_list("post_id", flat=True)
    )


def campaign_ids_reporting(*, now: datetime) -> list[int]:
    """Campaigns whose report the worker keeps fresh: running ones and those completed in the last week."""

    recent = Q(state="completed", ended_at__gte=now - timedelta(days=7))
    return list(Campaign.objects.filter(Q(state="running") | recent).values_list("id", flat=True))


# The campaign side of the import format (wired in ``microreach.web.wiring.RECORD_PUBLISHERS``): the
# creators import stages these record types and calls the publisher inside its one transaction.


def campaign_record_keys() -> dict[str, tuple[str, ...]]:
    """The campaign record types of the import format and their natural keys, in publishing order."""
    from microreach.web.campaigns.imports import NATURAL_KEYS

    return dict(NATURAL_KEYS)


def campaign_records_publish(staged: StagedRecords) -> PublishCounts:
    """Upsert the staged campaign rows of an import (brands, campaigns, applications...); raises
    ``creators.contracts.RecordsRefused`` to refuse the whole import."""
    from microreach.web.campaigns.imports import publish_campaign_records

    return publish_campaign_records(staged)


# --- what waits for someone (read by web/inbox: each side's inbox, the navigation's count, the digest) -----


def todo_counts(*, tenant: Tenant, today: date) -> dict[str, int]:
    """How many things of each kind wait for the tenant: for a brand ``applications_to_review``,
    ``drafts_to_approve``, ``parcels_to_ship``, ``posts_overdue``; for a creator ``invitations``,
    ``briefs_to_answer``, ``addresses_to_give``, ``drafts_to_fix``, ``posts_to_publish`` (definitions in
    ``campaigns/todo.py``); empty for anyone else. Three queries at most."""
    return todo.todo_counts(tenant=tenant, today=today)


def todo_items(*, tenant: Tenant, today: date, limit: int = 50) -> dict[str, tuple[TodoItem, ...]]:
    """The things of each kind waiting for the tenant (the kinds of ``todo_counts``), oldest first, at most
    ``limit`` per kind."""
    return todo.todo_items(tenant=tenant, today=today, limit=limit)


def campaigns_completed(*, tenant: Tenant, since: datetime, limit: int = 50) -> list[CampaignEnded]:
    """The tenant's campaigns completed since ``since``, newest first (brand side; empty otherwise)."""
    return todo.campaigns_completed(tenant=tenant, since=since, limit=limit)


def campaigns_completed_count(*, tenant: Tenant, since: datetime) -> int:
    """How many of the tenant's campaigns completed since ``since`` (one query)."""
    return todo.campaigns_completed_count(tenant=tenant, since=since)
