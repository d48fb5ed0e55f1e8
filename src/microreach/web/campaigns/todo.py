"""What waits for someone in the campaigns context: the to-do lists behind each side's inbox (``web/inbox``,
through ``campaigns.contracts``).

Each kind is a question asked of the state machines (``machine.py``), never a copy of their rules:

brand side (rows of the tenant's organisations, ``scoped``)
- ``applications_to_review``: applications that may still be accepted (APPLIED, SHORTLISTED) in a
  campaign that still takes decisions (open, closed or running);
- ``drafts_to_approve``: drafts waiting for review (SUBMITTED) of applications in CONTENT_SUBMITTED;
- ``parcels_to_ship``: accepted applications whose creator confirmed an address, not shipped yet;
- ``posts_overdue``: creators holding a place and not published (accepted ... approved) after the end of
  the campaign's publication window.

creator side (the person's own rows: ``creator_user``, whichever brand owns them)
- ``invitations``: invitations to an open campaign not answered yet;
- ``briefs_to_answer``: accepted applications whose content is due (product received, or no product to
  ship) and with no draft yet;
- ``addresses_to_give``: accepted applications of a campaign with products and no confirmed address;
- ``drafts_to_fix``: a deliverable's newest draft that failed the checks or was sent back;
- ``posts_to_publish``: approved applications, the post link still to give.

Counts are read in few queries (one aggregate over applications, one over drafts, one over invitations)
because the navigation shows them on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from microreach.web.accounts.contracts import Tenant, scoped
from microreach.web.campaigns import machine
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import Application, Campaign, ContentDraft, Invitation, ReviewState

BRAND_KINDS = ("applications_to_review", "drafts_to_approve", "parcels_to_ship", "posts_overdue")
CREATOR_KINDS = ("invitations", "briefs_to_answer", "addresses_to_give", "drafts_to_fix", "posts_to_publish")

# Campaigns in which the brand still decides and creators still work.
LIVE = (C.OPEN, C.CLOSED, C.RUNNING)
# Applications the brand may still accept: read from the machine.
UNDECIDED = tuple(sorted(s for s, nexts in machine.APPLICATION.items() if A.ACCEPTED in nexts))
# Applications holding a place whose post is not in yet.
POST_EXPECTED = tuple(sorted(machine.ACCEPTED_STATES - {A.PUBLISHED, A.NO_SHOW}))
# Applications whose creator may (re)submit a draft (``services.deliverable.draft_submit``).
DRAFTING = (A.ACCEPTED, A.RECEIVED, A.CONTENT_SUBMITTED)


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: its kind, the row it is about (an application, a draft or an invitation) and the
    application and campaign where it is acted on; ``since`` when it started waiting, ``due`` its deadline."""

    kind: str
    item_id: int
    application_id: int | None
    campaign_id: int
    campaign_title: str
    handle: str
    network: str
    since: datetime | None
    due: date | None


def _brand_filters(today: date) -> dict[str, Q]:
    live = Q(campaign__state__in=LIVE)
    return {
        "applications_to_review": live & Q(state__in=UNDECIDED),
        "parcels_to_ship": live
        & Q(
            state=A.ACCEPTED,
            shipment__address_confirmed_at__isnull=False,
            shipment__shipped_at__isnull=True,
        ),
        "posts_overdue": live & Q(state__in=POST_EXPECTED, campaign__publication_end__lt=today),
    }


def _brand_drafts(tenant: Tenant) -> QuerySet[ContentDraft]:
    return scoped(ContentDraft, tenant).filter(
        review_state=ReviewState.SUBMITTED,
        application__state=A.CONTENT_SUBMITTED,
        application__campaign__state__in=LIVE,
    )


def _no_product() -> Q:
    return Q(campaign__products=[])


def _creator_filters() -> dict[str, Q]:
    live = Q(campaign__state__in=LIVE)
    content_due = Q(state=A.RECEIVED) | (Q(state=A.ACCEPTED) & _no_product())
    no_address = Q(shipment__isnull=True) | Q(shipment__address_confirmed_at__isnull=True)
    return {
        "briefs_to_answer": live & content_due & Q(has_draft=False),
        "addresses_to_give": live & Q(state=A.ACCEPTED) & ~_no_product() & no_address,
        "posts_to_publish": live & Q(state=A.APPROVED),
    }


def _creator_applications(user_id: int) -> QuerySet[Application]:
    return Application.objects.filter(creator_user_id=user_id).annotate(
        has_draft=Exists(ContentDraft.objects.filter(application=OuterRef("pk")))
    )


def _creator_drafts(user_id: int) -> QuerySet[ContentDraft]:
    newer = ContentDraft.objects.filter(
        application=OuterRef("application"),
        deliverable=OuterRef("deliverable"),
        version__gt=OuterRef("version"),
    )
    return ContentDraft.objects.filter(
        application__creator_user_id=user_id,
        application__state__in=DRAFTING,
        application__campaign__state__in=LIVE,
        review_state__in=[ReviewState.CHANGES_REQUESTED, ReviewState.BLOCKED],
    ).exclude(Exists(newer))


def _creator_invitations(user_id: int) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        creator_user_id=user_id, state=Invitation.State.SENT, campaign__state=C.OPEN
    )


def todo_counts(*, tenant: Tenant, today: date) -> dict[str, int]:
    """How many things of each kind wait for the tenant (its side's kinds; empty for anyone else)."""
    if tenant.is_brand_side:
        filters = _brand_filters(today)
        counts = scoped(Application, tenant).aggregate(
            **{kind: Count("pk", filter=q) for kind, q in filters.items()}
        )
        counts["drafts_to_approve"] = _brand_drafts(tenant).count()
        return {kind: int(counts[kind]) for kind in BRAND_KINDS}
    if tenant.is_creator and tenant.user_id is not None:
        counts = _creator_applications(tenant.user_id).aggregate(
            **{kind: Count("pk", filter=q) for kind, q in _creator_filters().items()}
        )
        counts["drafts_to_fix"] = _creator_drafts(tenant.user_id).count()
        counts["invitations"] = _creator_invitations(tenant.user_id).count()
        return {kind: int(counts[kind]) for kind in CREATOR_KINDS}
    return {}


def campaign_todo_counts(*, tenant: Tenant, campaign_id: int, today: date) -> dict[str, int]:
    """What waits for the brand in one of its campaigns: the brand kinds of ``todo_counts``, counted in that
    campaign only (the campaign page says them; the inbox lists them). Two queries."""
    if not tenant.is_brand_side:
        return {}
    filters = _brand_filters(today)
    counts = (
        scoped(Application, tenant)
        .filter(campaign_id=campaign_id)
        .aggregate(**{kind: Count("pk", filter=q) for kind, q in filters.items()})
    )
    counts["drafts_to_approve"] = _brand_drafts(tenant).filter(application__campaign_id=campaign_id).count()
    return {kind: int(counts[kind]) for kind in BRAND_KINDS}


def _item(kind: str, app: Application, *, item_id: int, since: datetime | None, due: date | None) -> TodoItem:
    campaign: Campaign = app.campaign
    return TodoItem(
        kind=kind,
        item_id=item_id,
        application_id=app.pk,
        campaign_id=campaign.pk,
        campaign_title=campaign.title,
        handle=app.account.handle,
        network=app.account.network,
        since=since,
        due=due,
    )


def _application_items(kind: str, apps: QuerySet[Application], limit: int) -> list[TodoItem]:
    rows = apps.select_related("campaign", "account").order_by("created_at", "id")[:limit]
    items = []
    for app in rows:
        campaign = app.campaign
        due = {
            "applications_to_review": campaign.applications_close_on,
            "parcels_to_ship": campaign.ship_by,
            "posts_overdue": campaign.publication_end,
            "briefs_to_answer": campaign.publication_start,
            "addresses_to_give": campaign.ship_by,
            "posts_to_publish": campaign.publication_end,
        }[kind]
        since = app.accepted_at if kind != "applications_to_review" and app.accepted_at else app.created_at
        items.append(_item(kind, app, item_id=app.pk, since=since, due=due))
    return items


def _draft_items(kind: str, drafts: QuerySet[ContentDraft], limit: int) -> list[TodoItem]:
    rows = drafts.select_related("application__campaign", "application__account").order_by(
        "submitted_at", "id"
    )
    items = []
    for draft in rows[:limit]:
        campaign = draft.application.campaign
        waiting_since = draft.reviewed_at or draft.submitted_at
        due = (
            (draft.submitted_at + timedelta(days=campaign.review_days)).date()
            if kind == "drafts_to_approve"
            else campaign.publication_start
        )
        items.append(_item(kind, draft.application, item_id=draft.pk, since=waiting_since, due=due))
    return items


def todo_items(*, tenant: Tenant, today: date, limit: int = 50) -> dict[str, tuple[TodoItem, ...]]:
    """The things of each kind waiting for the tenant, oldest first, at most ``limit`` per kind."""
    out: dict[str, list[TodoItem]] = {}
    kinds: tuple[str, ...]
    if tenant.is_brand_side:
        apps = scoped(Application, tenant)
        for kind, q in _brand_filters(today).items():
            out[kind] = _application_items(kind, apps.filter(q), limit)
        out["drafts_to_approve"] = _draft_items("drafts_to_approve", _brand_drafts(tenant), limit)
        kinds = BRAND_KINDS
    elif tenant.is_creator and tenant.user_id is not None:
        apps = _creator_applications(tenant.user_id)
        for kind, q in _creator_filters().items():
            out[kind] = _application_items(kind, apps.filter(q), limit)
        out["drafts_to_fix"] = _draft_items("drafts_to_fix", _creator_drafts(tenant.user_id), limit)
        out["invitations"] = [
            TodoItem(
                kind="invitations",
                item_id=inv.pk,
                application_id=None,
                campaign_id=inv.campaign_id,
                campaign_title=inv.campaign.title,
                handle=inv.account.handle,
                network=inv.account.network,
                since=inv.created_at,
                due=inv.campaign.applications_close_on,
            )
            for inv in _creator_invitations(tenant.user_id)
            .select_related("campaign", "account")
            .order_by("campaign__applications_close_on", "id")[:limit]
        ]
        kinds = CREATOR_KINDS
    else:
        return {}
    return {kind: tuple(out[kind]) for kind in kinds}


@dataclass(frozen=True)
class CampaignEnded:
    """A campaign of the tenant that completed: its report has every post in."""

    campaign_id: int
    title: str
    ended_at: datetime


def _completed(tenant: Tenant, since: datetime) -> QuerySet[Campaign]:
    return scoped(Campaign, tenant).filter(state=C.COMPLETED, ended_at__gte=since)


def campaigns_completed_count(*, tenant: Tenant, since: datetime) -> int:
    return _completed(tenant, since).count() if tenant.is_brand_side else 0


def campaigns_completed(*, tenant: Tenant, since: datetime, limit: int = 50) -> list[CampaignEnded]:
    """The tenant's campaigns completed since ``since``, newest first."""
    if not tenant.is_brand_side:
        return []
    rows = _completed(tenant, since).order_by("-ended_at", "-id").values_list("id", "title", "ended_at")
    return [CampaignEnded(pk, title, ended_at) for pk, title, ended_at in rows[:limit]]
