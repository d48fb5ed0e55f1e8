"""Reads of the campaigns context. Brand reads go through ``tenancy.scoped``; creator reads filter on
``creator_user`` — a creator never reads a row that is not theirs, except open campaigns' briefs."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.sources.spreadsheets import safe_cell
from microreach.web.accounts.contracts import Tenant, get_scoped_or_404, scoped
from microreach.web.campaigns import machine, shipping, verification
from microreach.web.campaigns.eligibility import campaign_fit_reasons, fit_figures
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    Campaign,
    CampaignPost,
    ContentDraft,
    CreatorBar,
    Invitation,
    Message,
    Reminder,
    ReviewState,
    Sale,
    Shipment,
)
from microreach.web.campaigns.triggers import Trigger
from microreach.web.creators.contracts import CreatorAccount, creator_accounts_claimed, post_id_for_link
from microreach.web.shown_figures import FAKE_SHARE, QUALITY_SCORE, above, at_least, bound_of

# A home page's order: what is live first (running, open, applications closed, drafts), then what ended.
LIVE_FIRST = (C.RUNNING, C.OPEN, C.CLOSED, C.DRAFT)


def campaign_list(*, tenant: Tenant, live_first: bool = False) -> QuerySet[Campaign]:
    """The organisation's campaigns with their applicant counts, newest first (``live_first``: the live
    ones first, in ``LIVE_FIRST`` order, then the completed and cancelled ones; newest first within)."""
    campaigns = scoped(Campaign, tenant).annotate(
        applicants=Count("applications", distinct=True),
        accepted=Count(
            "applications", filter=Q(applications__state__in=machine.ACCEPTED_STATES), distinct=True
        ),
    )
    if live_first:
        rank = Case(
            *(When(state=state, then=Value(n)) for n, state in enumerate(LIVE_FIRST)),
            default=Value(len(LIVE_FIRST)),
            output_field=IntegerField(),
        )
        return campaigns.order_by(rank, "-created_at", "-id")
    return campaigns.order_by("-created_at", "-id")


def campaign_get(*, tenant: Tenant, campaign_id: int) -> Campaign:
    return get_scoped_or_404(Campaign, tenant, pk=campaign_id)


def campaign_for_creator(*, tenant: Tenant, campaign_id: int) -> Campaign:
    """A brief a creator may read: an open campaign, or one they applied or were invited to."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or tenant.user_id is None:
        raise Http404("campaign")
    if campaign.state == C.OPEN:
        return campaign
    mine = Application.objects.filter(campaign=campaign, creator_user_id=tenant.user_id).exists() or (
        Invitation.objects.filter(campaign=campaign, creator_user_id=tenant.user_id).exists()
    )
    if not mine:
        raise Http404("campaign")
    return campaign


def accepted_count(*, campaign: Campaign) -> int:
    return Application.objects.filter(campaign=campaign, state__in=machine.ACCEPTED_STATES).count()


# --- applicants table --------------------------------------------------------------------------------

# Each sort is the figure its column shows first (``audits.summary_view``: the Engagement column shows the
# engagement rate, its rank among peers below it), so that a sorted column reads in order.
SORTS: dict[str, str] = {
    "applied": "created_at",
    "handle": "account__handle",
    "tier": "tier",
    "followers": "followers",
    "engagement": "engagement_rate",
    "score": "quality_score",
    "fake": "fake_share",
    "risk": "risk_rank",
    "pods": "pod_flagged",
    "growth": "growth_spikes",
    "sponsored": "sponsored_share",
    "undisclosed": "undisclosed_posts",
    "fee": "proposed_fee",
    "state": "state",
}


@dataclass(frozen=True)
class ApplicantRow:
    application: Application
    history_with_brand: int
    no_shows: int


@dataclass(frozen=True)
class ApplicantsPage:
    rows: list[ApplicantRow]
    total: int
    page: int
    pages: int
    sort: str
    descending: bool
    counts: dict[str, int] = field(default_factory=dict)


def applicants_page(
    *,
    tenant: Tenant,
    campaign_id: int,
    sort: str = "score",
    descending: bool = True,
    page: int = 1,
    per_page: int = 25,
    state: str = "",
    tier: str = "",
    min_score: float | None = None,
    max_fake: float | None = None,
    hide_pods: bool = False,
) -> ApplicantsPage:
    """One page of a campaign's applicants, sorted and filtered in the database; the history of each
    creator with this brand and their no-shows on the platform in one grouped query each."""
    campaign = campaign_get(tenant=tenant, campaign_id=campaign_id)
    counts = dict(
        Application.objects.filter(campaign=campaign).values_list("state").annotate(n=Count("id")).order_by()
    )
    qs = _applicants_filtered(campaign, state, tier, min_score, max_fake, hide_pods)
    sort = sort if sort in SORTS else "score"
    if sort == "risk":
        qs = qs.annotate(
            risk_rank=Case(
                When(risk_level="high", then=Value(3)),
                When(risk_level="medium", then=Value(2)),
                When(risk_level="low", then=Value(1)),
                default=Value(None),
                output_field=IntegerField(),
            )
        )
    column = F(SORTS[sort])
    order = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    total = qs.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    apps = list(qs.select_related("account").order_by(order, "id")[(page - 1) * per_page : page * per_page])
    users = {a.creator_user_id for a in apps}
    history = dict(
        Application.objects.filter(
            organisation_id=campaign.organisation_id, creator_user_id__in=users, state=A.PUBLISHED
        )
        .exclude(campaign=campaign)
        .values_list("creator_user_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    no_shows = dict(
        Application.objects.filter(creator_user_id__in=users, state=A.NO_SHOW)
        .values_list("creator_user_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [
        ApplicantRow(a, history.get(a.creator_user_id, 0), no_shows.get(a.creator_user_id, 0)) for a in apps
    ]
    return ApplicantsPage(rows, total, page, pages, sort, descending, counts)


def _applicants_filtered(
    campaign: Campaign,
    state: str,
    tier: str,
    min_score: float | None,
    max_fake: float | None,
    hide_pods: bool,
) -> QuerySet[Application]:
    qs = Application.objects.filter(campaign=campaign)
    if state:
        qs = qs.filter(state=state)
    if tier:
        qs = qs.filter(tier=tier)
    # the figures as the table shows them (``shown_figures``, ADR 0005 point 7): "min. score 80" keeps a
    # score shown 80 (stored 79.6); ``max_fake`` is a fraction, as the form gives it back in percent
    if min_score is not None:
        qs = qs.filter(quality_score__gte=at_least(QUALITY_SCORE, bound_of(QUALITY_SCORE, min_score)))
    if max_fake is not None:
        qs = qs.filter(fake_share__lt=above(FAKE_SHARE, bound_of(FAKE_SHARE, max_fake)))
    if hide_pods:
        qs = qs.filter(pod_flagged=False)
    return qs


def applicant_ids(
    *,
    tenant: Tenant,
    campaign_id: int,
    state: str = "",
    tier: str = "",
    min_score: float | None = None,
    max_fake: float | None = None,
    hide_pods: bool = False,
) -> list[int]:
    """The ids of every applicant matching the applicants page's filters (a bulk action's "all matching")."""
    campaign = campaign_get(tenant=tenant, campaign_id=campaign_id)
    qs = _applicants_filtered(campaign, state, tier, min_score, max_fake, hide_pods)
    return list(qs.order_by("id").values_list("pk", flat=True))


def applicant_row(*, tenant: Tenant, application_id: int) -> ApplicantRow:
    """One row of the applicants table (after an action on it), with the same figures as the page."""
    app = application_for_brand(tenant=tenant, application_id=application_id)
    history = (
        Application.objects.filter(
            organisation_id=app.organisation_id, creator_user_id=app.creator_user_id, state=A.PUBLISHED
        )
        .exclude(campaign_id=app.campaign_id)
        .count()
    )
    no_shows = Application.objects.filter(creator_user_id=app.creator_user_id, state=A.NO_SHOW).count()
    return ApplicantRow(app, history, no_shows)


def applicants_compare(*, tenant: Tenant, campaign_id: int, application_ids: list[int]) -> list[Application]:
    campaign = campaign_get(tenant=tenant, campaign_id=campaign_id)
    return list(
        scoped(Application, tenant)
        .filter(campaign=campaign, pk__in=application_ids[:5])
        .select_related("account")
        .order_by("id")
    )


def application_for_brand(*, tenant: Tenant, application_id: int) -> Application:
    if not tenant.is_brand_side:
        raise Http404("application")
    app = get_scoped_or_404(Application, tenant, pk=application_id)
    return Application.objects.select_related("campaign", "account").get(pk=app.pk)


def application_for_creator(*, tenant: Tenant, application_id: int) -> Application:
    app = (
        Application.objects.select_related("campaign", "account")
        .filter(pk=application_id, creator_user_id=tenant.user_id)
        .first()
    )
    if app is None or tenant.user_id is None:
        raise Http404("application")
    return app


def application_for_tenant(*, tenant: Tenant, application_id: int) -> Application:
    if tenant.is_brand_side:
        return application_for_brand(tenant=tenant, application_id=application_id)
    return application_for_creator(tenant=tenant, application_id=application_id)


def _draft_file(*, tenant: Tenant, draft_id: int, field: str) -> FieldFile:
    """A file of a draft (its media or its poster frame), for the campaign's brand and the creator who
    submitted it only."""
    draft = ContentDraft.objects.filter(pk=draft_id).only("application_id", field).first()
    stored: FieldFile | None = getattr(draft, field) if draft is not None else None
    if draft is None or not stored:
        raise Http404(f"draft {field}")
    application_for_tenant(tenant=tenant, application_id=draft.application_id)
    return stored


def draft_media(*, tenant: Tenant, draft_id: int) -> FieldFile:
    """The media file of a draft."""
    return _draft_file(tenant=tenant, draft_id=draft_id, field="media")


def draft_poster(*, tenant: Tenant, draft_id: int) -> FieldFile:
    """The poster frame of a video draft, for the same people as its media."""
    return _draft_file(tenant=tenant, draft_id=draft_id, field="poster")


def post_capture(*, tenant: Tenant, post_id: int) -> FieldFile:
    """The screen capture proving a story's publication, for the campaign's brand and the creator only."""
    post = CampaignPost.objects.filter(pk=post_id).only("application_id", "screen_capture").first()
    if post is None or not post.screen_capture:
        raise Http404("screen capture")
    application_for_tenant(tenant=tenant, application_id=post.application_id)
    return post.screen_capture


def shipment_visible(*, application: Application, brand_side: bool) -> Shipment | None:
    """The shipment with its address: always for the creator, for the brand only once it accepted them."""
    shipment = Shipment.objects.filter(application=application).first()
    if shipment is None:
        return None
    if brand_side and application.state not in machine.ADDRESS_VISIBLE_STATES:
        return None
    return shipment


def messages_of(*, application: Application) -> QuerySet[Message]:
    return Message.objects.filter(application=application).order_by("created_at", "id")


def drafts_of(*, application: Application) -> QuerySet[ContentDraft]:
    return ContentDraft.objects.filter(application=application).order_by("-submitted_at", "-id")


def posts_of(*, application: Application) -> QuerySet[CampaignPost]:
    return CampaignPost.objects.filter(application=application).order_by("published_at", "id")


def activity_of(*, tenant: Tenant, campaign_id: int) -> QuerySet[ActivityEvent]:
    campaign = campaign_get(tenant=tenant, campaign_id=campaign_id)
    return scoped(ActivityEvent, tenant).filter(campaign=campaign).order_by("-created_at", "-id")


@dataclass(frozen=True)
class ActivityRow:
    event: ActivityEvent
    handle: str  # the creator of the application the event is about ("" for none, or one since deleted)


def activity_rows(*, tenant: Tenant, campaign_id: int, limit: int = 50) -> list[ActivityRow]:
    """The newest events of a campaign, each with the handle of its application's creator (the log keeps
    ids only: the handle is read now, in one query)."""
    events = list(activity_of(tenant=tenant, campaign_id=campaign_id)[:limit])
    refs = {e.application_id_ref for e in events if e.application_id_ref is not None}
    handles = dict(
        Application.objects.filter(campaign_id=campaign_id, pk__in=refs).values_list("pk", "account__handle")
    )
    return [ActivityRow(e, handles.get(e.application_id_ref, "")) for e in events]


def application_events(*, application: Application) -> QuerySet[ActivityEvent]:
    return ActivityEvent.objects.filter(
        campaign_id=application.campaign_id, application_id_ref=application.pk
    ).order_by("created_at", "id")


def addresses_csv(*, tenant: Tenant, campaign_id: int) -> tuple[str, str]:
    """``(file name, CSV)`` of the confirmed addresses of accepted creators, for a logistics provider."""
    campaign = campaign_get(tenant=tenant, campaign_id=campaign_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "application",
            "handle",
            "variant",
            "recipient",
            "street",
            "postcode",
            "city",
            "country",
            "phone",
            "shipped",
            "tracking_number",
        ]
    )
    shipments = (
        scoped(Shipment, tenant)
        .filter(
            application__campaign=campaign,
            application__state__in=machine.ADDRESS_VISIBLE_STATES,
            address_confirmed_at__isnull=False,
            anonymised_at__isnull=True,
        )
        .select_related("application__account")
        .order_by("application_id")
    )
    for s in shipments:
        writer.writerow(
            safe_cell(cell)
            for cell in [
                s.application_id,
                s.application.account.handle,
                s.variant,
                s.recipient,
                s.street,
                s.postcode,
                s.city,
                s.country,
                s.phone,
                s.shipped_at.date().isoformat() if s.shipped_at else "",
                s.tracking_number,
            ]
        )
    return f"campaign-{campaign.pk}-addresses.csv", out.getvalue()


def sales_summary(*, tenant: Tenant, campaign_id: int) -> list[dict[str, Any]]:
    campaign = campaign_get(tenant=tenant, campaign_id=campaign_id)
    from django.db.models import Sum

    return list(
        scoped(Sale, tenant)
        .filter(campaign=campaign)
        .values("application_id", "application__account__handle", "promo_code")
        .annotate(orders=Count("id"), revenue=Sum("amount"), commission=Sum("commission"))
        .order_by("-revenue")
    )


def bars_of(*, tenant: Tenant) -> QuerySet[CreatorBar]:
    return scoped(CreatorBar, tenant).select_related("account").order_by("-created_at")


# --- the creator side ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    campaign: Campaign
    fitting_accounts: list[CreatorAccount]
    reasons: dict[str, list[str]]  # "@handle" -> why it does not fit
    application: Application | None = None  # the creator's application it shows (``_shown_application``)

    @property
    def applied(self) -> bool:
        """An application of the creator stands (a withdrawn one does not: they may apply again)."""
        return self.application is not None and self.application.state != A.WITHDRAWN


def _shown_application(applications: Iterable[Application]) -> Application | None:
    """The creator's application to a campaign that its feed line and brief speak of: a standing one (the
    newest) before a withdrawn one."""
    return min(
        applications, key=lambda a: (a.state == A.WITHDRAWN, -a.created_at.timestamp(), -a.pk), default=None
    )


def creator_campaign_application(*, tenant: Tenant, campaign_id: int) -> Application | None:
    return _shown_application(
        Application.objects.filter(creator_user_id=tenant.user_id, campaign_id=campaign_id)
    )


def creator_feed(*, tenant: Tenant) -> list[FeedItem]:
    """Open campaigns, those that fit one of the creator's claimed accounts first; the others say why. A
    campaign still open once its applications' closing day has passed (its brand has not closed it) is
    not listed: creators could no longer apply."""
    if tenant.user_id is None:
        return []
    accounts = creator_accounts_claimed(user_id=tenant.user_id)
    networks = {a.network for a in accounts}
    mine: dict[int, list[Application]] = {}
    for application in Application.objects.filter(creator_user_id=tenant.user_id):
        mine.setdefault(application.campaign_id, []).append(application)
    campaigns = list(
        Campaign.objects.filter(state=C.OPEN, applications_close_on__gte=timezone.localdate())
        .prefetch_related("photos")
        .order_by("applications_close_on", "id")
    )
    bars = set(
        CreatorBar.objects.filter(account_id__in=[a.account_id for a in accounts]).values_list(
            "organisation_id", "account_id"
        )
    )
    # each campaign judged on the figures its brand sees (its own audits first), as its wizard counted
    figures = {
        organisation_id: fit_figures(
            account_ids=[a.account_id for a in accounts], organisation_id=organisation_id
        )
        for organisation_id in ({c.organisation_id for c in campaigns} if accounts else ())
    }
    # a profile is named by its handle, and by its network too where the creator has that handle on several
    # (the reasons of one must never stand for another's)
    handles = Counter(a.handle.lower() for a in accounts)
    names = {
        a.account_id: f"@{a.handle}" if handles[a.handle.lower()] == 1 else f"@{a.handle} ({a.network_label})"
        for a in accounts
    }
    items = []
    for campaign in campaigns:
        fitting, reasons = [], {}
        for account in accounts:
            why = campaign_fit_reasons(
                campaign=campaign,
                account=account,
                figures=figures.get(campaign.organisation_id, {}).get(account.account_id, {}),
                barred=(campaign.organisation_id, account.account_id) in bars,
                claimed_networks=networks,
            )
            if why:
                reasons[names[account.account_id]] = why
            else:
                fitting.append(account)
        if not accounts:
            reasons[""] = [_("claim a profile first")]
        items.append(FeedItem(campaign, fitting, reasons, _shown_application(mine.get(campaign.pk, []))))
    return sorted(items, key=lambda i: (not i.fitting_accounts, i.campaign.applications_close_on))


def creator_applications(*, tenant: Tenant) -> QuerySet[Application]:
    return (
        Application.objects.filter(creator_user_id=tenant.user_id)
        .select_related("campaign", "account")
        .order_by("-created_at")
    )


def creator_invitations(*, tenant: Tenant) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        creator_user_id=tenant.user_id, state=Invitation.State.SENT, campaign__state=C.OPEN
    ).select_related("campaign", "account")


def reminders_for(*, tenant: Tenant, limit: int = 20) -> list[Reminder]:
    return list(
        Reminder.objects.filter(recipient_id=tenant.user_id, read_at__isnull=True).order_by("-created_at")[
            :limit
        ]
    )


def post_checks_for(*, tenant: Tenant, post_id: int) -> dict[str, Any]:
    """A published post's checks for the campaign's brand or its creator (404 to anyone else)."""
    post = CampaignPost.objects.filter(pk=post_id).first()
    if post is None:
        raise Http404("campaign post")
    application_for_tenant(tenant=tenant, application_id=post.application_id)
    rows = list(post.checks.all())
    return {
        "post_id": post.pk,
        "url": post.url,
        "deliverable": post.deliverable,
        "status": verification.verification_status([r.status for r in rows]),
        "checks": [
            {
                "check": c["check"],
                "status": c["status"],
                "reason": c["reason"],
                "source": c["source"],
                "fetched_at": c["fetched_at"],
            }
            for c in verification.checks_shown(rows)
        ],
        "accepted_at": post.accepted_at,
        "accepted_note": post.accepted_note,
    }


def post_lookup(*, account_id: int, url: str) -> int | None:
    """The imported post behind a link, when microreach has it (by URL, or by its id at the end of the link)."""
    return post_id_for_link(account_id=account_id, url=url)


def posts_removed_candidates(*, now: datetime) -> Iterator[CampaignPost]:
    """Tracked posts whose account was re-imported after the post's last sighting, within the minimum
    time online: a newer snapshot without the post means it was taken down."""
    candidates = CampaignPost.objects.filter(
        removed_at__isnull=True,
        post__isnull=False,
        post__fetched_at__lt=F("post__account__fetched_at"),
    ).select_related("application__campaign", "post")
    for cp in candidates:
        if (
            cp.post
            and cp.post.fetched_at
            and cp.published_at + timedelta(days=cp.application.campaign.min_days_online) > cp.post.fetched_at
        ):
            yield cp


# --- reminders --------------------------------------------------------------------------------------


def reminders_due(*, now: datetime) -> list[Trigger]:
    """Every reminder trigger that is due and has no reminder yet (the sweep: nothing is dropped)."""
    today = now.date()
    found: list[Trigger] = []

    def add(
        key: str, kind: str, app: Application | None, campaign: Campaign, recipient: int | None, text: str
    ):
        if recipient:
            found.append(
                Trigger(
                    key, kind, campaign.pk, campaign.organisation_id, app.pk if app else None, recipient, text
                )
            )

    live = Application.objects.select_related("campaign", "account")
    for inv in Invitation.objects.filter(
        state=Invitation.State.SENT,
        creator_user__isnull=False,
        campaign__state=C.OPEN,
        campaign__applications_close_on__lte=today + timedelta(days=2),
        campaign__applications_close_on__gte=today,
    ).select_related("campaign"):
        add(
            f"closing:{inv.pk}",
            "applications_closing",
            None,
            inv.campaign,
            inv.creator_user_id,
            _("Applications to « %(c)s » close on %(d)s.")
            % {"c": inv.campaign.title, "d": inv.campaign.applications_close_on},
        )
    for app in live.filter(state=A.ACCEPTED, accepted_at__lt=now - timedelta(days=2)).exclude(
        shipment__address_confirmed_at__isnull=False
    ):
        if not app.campaign.products:
            continue
        add(
            f"address:{app.pk}",
            "address_missing",
            app,
            app.campaign,
            app.creator_user_id,
            _("Confirm your address for « %(c)s » so the brand can ship.") % {"c": app.campaign.title},
        )
    late = timedelta(days=shipping.late_after_days())  # config/campaigns/shipping.yaml (7 by default)
    for app in live.filter(state=A.SHIPPED, shipment__shipped_at__lt=now - late):
        add(
            f"received:{app.pk}",
            "not_received",
            app,
            app.campaign,
            app.creator_user_id,
            _("Did you receive the product of « %(c)s »? Tell us when it arrives.")
            % {"c": app.campaign.title},
        )
    for app in live.filter(state=A.RECEIVED, campaign__publication_start__lte=today + timedelta(days=3)):
        add(
            f"draft:{app.pk}",
            "draft_due",
            app,
            app.campaign,
            app.creator_user_id,
            _("Your draft for « %(c)s » is due: publication starts on %(d)s.")
            % {"c": app.campaign.title, "d": app.campaign.publication_start},
        )
    for draft in ContentDraft.objects.filter(
        review_state=ReviewState.CHANGES_REQUESTED,
        reviewed_at__lt=now - timedelta(days=3),
        application__state=A.CONTENT_SUBMITTED,
    ).select_related("application__campaign"):
        newer = ContentDraft.objects.filter(
            application=draft.application, deliverable=draft.deliverable, version__gt=draft.version
        ).exists()
        if not newer:
            add(
                f"changes:{draft.pk}",
                "changes_unanswered",
                draft.application,
                draft.application.campaign,
                draft.application.creator_user_id,
                _("The brand asked for changes on your draft for « %(c)s ».")
                % {"c": draft.application.campaign.title},
            )
    for app in live.filter(state=A.APPROVED, campaign__publication_end__lte=today + timedelta(days=2)):
        add(
            f"window:{app.pk}",
            "publication_window_ending",
            app,
            app.campaign,
            app.creator_user_id,
            _("The publication window of « %(c)s » ends on %(d)s.")
            % {"c": app.campaign.title, "d": app.campaign.publication_end},
        )
    for cp in CampaignPost.objects.filter(removed_at__isnull=False).select_related("application__campaign"):
        campaign = cp.application.campaign
        add(
            f"removed:{cp.pk}",
            "post_removed",
            cp.application,
            campaign,
            cp.application.creator_user_id,
            _("Your post for « %(c)s » was taken down before %(n)s days online.")
            % {"c": campaign.title, "n": campaign.min_days_online},
        )
        add(
            f"removed-brand:{cp.pk}",
            "post_removed",
            cp.application,
            campaign,
            campaign.created_by_id,
            _("A post of « %(c)s » was taken down early (application %(a)s).")
            % {"c": campaign.title, "a": cp.application_id},
        )
    for draft in ContentDraft.objects.filter(
        review_state=ReviewState.SUBMITTED,
        application__state=A.CONTENT_SUBMITTED,
        application__campaign__auto_approve=False,
    ).select_related("application__campaign"):
        campaign = draft.application.campaign
        if draft.submitted_at + timedelta(days=campaign.review_days) < now:
            add(
                f"review:{draft.pk}",
                "review_overdue",
                draft.application,
                campaign,
                campaign.created_by_id,
                _("A draft of « %(c)s » has waited more than %(n)s days for review.")
                % {"c": campaign.title, "n": campaign.review_days},
            )
    sent = set(
        Reminder.objects.filter(trigger_key__in=[t.key for t in found]).values_list("trigger_key", flat=True)
    )
    return [t for t in found if t.key not in sent]
