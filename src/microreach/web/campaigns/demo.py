"""Demo campaigns: the demo brand owns a campaign in every state, driven through the real services.

The demo ``creator`` claims a simulated account (as a real creator would: the claim code goes into the
simulated bio), is accepted on the running campaign (their shipping address to give: the creator's day
starts there) and an open campaign is targeted so that this account fits it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from microreach.web.accounts.contracts import (
    Tenant,
    demo_organisation_rename,
    organisation_first_member_tenant,
    tenant_for,
    tenant_for_user,
)
from microreach.web.audits.contracts import audit_summaries
from microreach.web.campaigns.campaign_dates import DATE_FIELDS
from microreach.web.campaigns.commands import CampaignChanges
from microreach.web.campaigns.machine import C
from microreach.web.campaigns.models import Application, Campaign
from microreach.web.campaigns.services.application import (
    application_accept,
    application_create,
    application_shortlist,
)
from microreach.web.campaigns.services.campaign import campaign_create, campaign_transition
from microreach.web.campaigns.services.deliverable import draft_review, draft_submit, post_submit
from microreach.web.campaigns.services.shipment import (
    shipment_confirm_address,
    shipment_mark_received,
    shipment_mark_shipped,
)
from microreach.web.creators.contracts import (
    CreatorAccount,
    account_claim_simulated,
    creator_account_list,
    creator_accounts_claimed,
    post_ref_newest,
)

CAPTION = "Publicité — mon linge de maison préféré @maisonverte #maisonverte"


@dataclass(frozen=True)
class DemoSummary:
    campaigns: int
    applications: int
    creator_handle: str


def _claim(user_id: int, account: CreatorAccount) -> None:
    """Claim a simulated account the way a creator does: code in the bio, then verification."""
    account_claim_simulated(user_id=user_id, account_id=account.account_id)


def _applicant(n: int) -> Tenant:
    from microreach.web.accounts.contracts import demo_user_ensure

    user = demo_user_ensure(
        username=f"demo-applicant-{n}",
        email=f"applicant{n}@demo.microreach.local",
        password=secrets.token_urlsafe(16),
        kind="creator",
        organisation_name=f"Demo applicant {n}",
    )
    return tenant_for(user)


# What each demo campaign sends and asks creators to show: a towel campaign ships towels, not a duvet cover.
_OFFERS: dict[str, tuple[str, dict[str, Any]]] = {
    "Autumn knitwear": (
        "Show the throw on a cold evening: the sofa, a book, a hot drink.",
        {"name": "Chunky knit throw", "unit_value": "79.00", "variants": ["ecru", "moss"]},
    ),
    "Spring linen launch": (
        "Show the linen in daily life: breakfast, bed, a slow Sunday.",
        {"name": "Linen duvet cover", "unit_value": "89.00", "variants": ["140x200", "240x220"]},
    ),
    "Summer table linen": (
        "Set the table for a summer lunch outside: friends, family, a long afternoon.",
        {"name": "Linen tablecloth", "unit_value": "69.00", "variants": ["150x250", "170x300"]},
    ),
    "Bathroom towels": (
        "Show the towels in your morning routine: a shower, a bath, a slow start.",
        {"name": "Waffle towel set", "unit_value": "59.00", "variants": ["sand", "sage"]},
    ),
    "Winter bedding — creators wanted": (
        "Show the bed made for winter: warm sheets, a heavy blanket, a late morning.",
        {"name": "Flannel bed set", "unit_value": "119.00", "variants": ["140x200", "160x200"]},
    ),
    "Pop-up shop": (
        "Invite your community to our Paris pop-up shop and show the visit.",
        {"name": "Linen tote bag", "unit_value": "25.00", "variants": ["natural"]},
    ),
}


def _brief(title: str, today: date, offset: int, **extra: Any) -> dict[str, Any]:
    start = today + timedelta(days=offset)
    what_to_say, product = _OFFERS[title]
    data: dict[str, Any] = {
        "title": title,
        "what_to_say": what_to_say,
        "what_not_to_say": "No price comparison with other brands.",
        "mandatory_mentions": ["maisonverte"],
        "mandatory_hashtags": ["maisonverte"],
        "tone": "warm, natural light",
        "products": [product],
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
        "compensation": "fee",
        "fee": "150.00",
        "creators_wanted": 5,
        "applications_close_on": start - timedelta(days=14),
        "ship_by": start - timedelta(days=7),
        "publication_start": start,
        "publication_end": start + timedelta(days=21),
        "budget": "2500.00",
    }
    data.update(extra)
    return data


@transaction.atomic
def ensure_demo_campaigns(*, brand_organisation_id: int, creator_user_id: int, today: date) -> DemoSummary:
    """Campaigns in every state for the demo brand (idempotent: nothing happens if it has campaigns)."""
    brand = organisation_first_member_tenant(organisation_id=brand_organisation_id)
    if brand is None:
        raise ValueError("the demo brand has no member")
    # Campaigns of the simulated world (imported, with a key) do not count: these are made in the app.
    existing = Campaign.objects.filter(organisation_id=brand_organisation_id, external_key="")
    mine = creator_accounts_claimed(user_id=creator_user_id)
    if existing.exists():
        return DemoSummary(
            existing.count(), sum(c.applications.count() for c in existing), mine[0].handle if mine else ""
        )
    # Micro-influencers (10k–50k followers): the demo pays €140 per reel, within their market range ($100–500
    # per Instagram post, config/market.yaml); the biggest accounts would be paid a small fraction of theirs.
    # A small world may hold fewer than the 13 accounts the campaigns need there: the next lists fill up.
    candidates: list[CreatorAccount] = []
    for found in (
        creator_account_list(network="instagram", country="FR", min_followers=10_000, max_followers=50_000),
        creator_account_list(network="instagram", country="FR"),
        creator_account_list(),
    ):
        if len(candidates) >= 13:
            break
        taken = {a.account_id for a in candidates}
        candidates += [a for a in found if a.account_id not in taken]
    audits = audit_summaries(account_ids=[a.account_id for a in candidates])
    free = [a for a in candidates if a.claimed_by_id is None]
    free.sort(key=lambda a: -(audits[a.account_id].score or 0) if a.account_id in audits else 0)
    if not mine:
        claimed = free.pop(0)
        _claim(creator_user_id, claimed)
        mine = creator_accounts_claimed(user_id=creator_user_id)
        if claimed.creator_name:
            demo_organisation_rename(user_id=creator_user_id, name=f"{claimed.creator_name} (demo creator)")
    demo_account = mine[0]
    pool = [a for a in free if a.account_id != demo_account.account_id][:12]
    applicants: list[tuple[Tenant, CreatorAccount]] = []
    for n, account in enumerate(pool, start=1):
        tenant = _applicant(n)
        if not creator_accounts_claimed(user_id=int(tenant.user_id or 0)):
            _claim(int(tenant.user_id or 0), account)
        applicants.append((tenant, account))
    score = audits[demo_account.account_id].score if demo_account.account_id in audits else None
    open_targeting: dict[str, Any] = {
        "networks": [demo_account.network],
        "countries": [demo_account.country] if demo_account.country else [],
    }
    if score is not None:
        open_targeting["min_quality_score"] = max(0, int(score) - 15)

    def apply(campaign: Campaign, tenant: Tenant, account: CreatorAccount) -> int:
        return application_create(
            tenant=tenant,
            campaign_id=campaign.pk,
            account_id=account.account_id,
            pitch="Linen is my whole feed.",
            accept_brief=True,
            proposed_fee="140",
        ).pk

    def advance(app_id: int, creator: Tenant, to: str) -> None:
        order = ["accepted", "shipped", "received", "content_submitted", "approved", "published"]
        for step in order[: order.index(to) + 1]:
            if step == "accepted":
                application_accept(tenant=brand, application_id=app_id, agreed_fee="140")
            elif step == "shipped":
                shipment_confirm_address(
                    tenant=creator,
                    application_id=app_id,
                    # the first variant of what the campaign ships
                    variant=Application.objects.get(pk=app_id).campaign.products[0]["variants"][0],
                    recipient="Demo Creator",
                    street="12 rue du Lin",
                    postcode="69002",
                    city="Lyon",
                    country="FR",
                )
                shipment_mark_shipped(
                    tenant=brand,
                    application_id=app_id,
                    carrier="Colissimo",
                    tracking_number=f"DEMO{app_id:05d}",
                    cost="6.90",
                )
            elif step == "received":
                shipment_mark_received(tenant=creator, application_id=app_id)
            elif step == "content_submitted":
                draft_submit(
                    tenant=creator, application_id=app_id, deliverable="instagram reel 1", caption=CAPTION
                )
            elif step == "approved":
                from microreach.web.campaigns.selectors import application_for_creator, drafts_of

                draft = drafts_of(
                    application=application_for_creator(tenant=creator, application_id=app_id)
                ).first()
                assert draft is not None
                draft_review(tenant=brand, draft_id=draft.pk, approve=True)
            elif step == "published":
                from microreach.web.campaigns.selectors import application_for_creator

                app = application_for_creator(tenant=creator, application_id=app_id)
                # a post of the brief's days, as the creator was asked (the report flags any other)
                window = (app.campaign.publication_start, app.campaign.publication_end)
                post = post_ref_newest(account_id=app.account_id, published_between=window)
                url = (
                    (post.url or f"https://www.instagram.com/p/{post.network_post_id}/")
                    if post
                    else (f"https://www.instagram.com/p/demo{app_id}/")
                )
                post_submit(tenant=creator, application_id=app_id, url=url, deliverable="instagram reel 1")

    pending: dict[int, dict[str, Any]] = {}

    def create(title: str, offset: int, *, publish: bool = False, **extra: Any) -> Campaign:
        brief = _brief(title, today, offset, **extra)
        # The demo's calendar is the simulated world's, and its campaigns of the past are recreated as they
        # were run: the service refuses dates that have passed, and publishing a campaign whose
        # applications have closed (campaign_dates), so each is created (and published) with dates of the
        # real today, and its own dates are written once it is open.
        dates = {f: brief.pop(f) for f in DATE_FIELDS}
        publishable = _brief(title, timezone.localdate(), 30)
        campaign = campaign_create(
            tenant=brand,
            changes=CampaignChanges.model_validate({**brief, **{f: publishable[f] for f in DATE_FIELDS}}),
        )
        if publish:
            campaign = campaign_transition(tenant=brand, campaign_id=campaign.pk, to=C.OPEN)
        # its own dates are written once its applications are in (``settle``): a campaign past its
        # closing day takes none (application_create)
        pending[campaign.pk] = dates
        if not publish:
            settle(campaign)
        return campaign

    def settle(campaign: Campaign) -> None:
        dates = pending.pop(campaign.pk)
        Campaign.objects.filter(pk=campaign.pk).update(**dates)
        for field, value in dates.items():
            setattr(campaign, field, value)

    def move(campaign: Campaign, *states: str) -> None:
        for state in states:
            campaign_transition(tenant=brand, campaign_id=campaign.pk, to=state)

    count = 0
    create("Autumn knitwear", 60)
    # completed, with published posts linked to simulated posts
    done = create("Spring linen launch", -60, publish=True)
    done_apps = [(apply(done, t, a), t) for t, a in applicants[:3]]
    settle(done)
    move(done, C.CLOSED, C.RUNNING)
    for app_id, creator in done_apps:
        advance(app_id, creator, "published")
    move(done, C.COMPLETED)
    # running: one waiting for review, one approved, one received
    running = create("Summer table linen", -3, publish=True)
    run_apps = [(apply(running, t, a), t) for t, a in applicants[3:6]]
    # and the demo creator's own day on it: accepted, their shipping address to confirm (the brief asks for
    # an Instagram reel: a demo creator of another network only applies to the open campaign)
    me = tenant_for_user(user_id=creator_user_id)
    my_app = apply(running, me, demo_account) if demo_account.network == "instagram" else None
    settle(running)
    move(running, C.CLOSED, C.RUNNING)
    for (app_id, creator), step in zip(run_apps, ["content_submitted", "approved", "received"], strict=True):
        advance(app_id, creator, step)
    if my_app is not None:
        advance(my_app, me, "accepted")
    # closed: accepted creators waiting for shipping
    closed = create("Bathroom towels", 20, publish=True)
    closed_apps = [(apply(closed, t, a), t) for t, a in applicants[6:9]]
    settle(closed)
    move(closed, C.CLOSED)
    advance(closed_apps[0][0], closed_apps[0][1], "shipped")
    advance(closed_apps[1][0], closed_apps[1][1], "accepted")
    # open, targeted so that the demo creator's account fits
    opened = create("Winter bedding — creators wanted", 30, publish=True, **open_targeting)

    # Its applicants fit its targeting (network, country, score): in a small world the demo creator's account
    # may be the only one of its country, and applying with any other would be refused (not eligible).
    def fits(account: CreatorAccount) -> bool:
        summary = audits.get(account.account_id)
        return (
            account.network == demo_account.network
            and (not open_targeting["countries"] or account.country in open_targeting["countries"])
            and (
                "min_quality_score" not in open_targeting
                or (summary is not None and (summary.score or 0) >= open_targeting["min_quality_score"])
            )
        )

    fitting = [(t, a) for t, a in applicants[9:] + applicants[:9] if fits(a)][:3]
    open_apps = [apply(opened, t, a) for t, a in fitting]
    settle(opened)
    if open_apps:
        application_shortlist(tenant=brand, application_id=open_apps[0])
    cancelled = create("Pop-up shop", 40, publish=True)
    settle(cancelled)
    move(cancelled, C.CANCELLED)
    count = Campaign.objects.filter(organisation_id=brand_organisation_id, external_key="").count()
    applications = sum(len(x) for x in (done_apps, run_apps, closed_apps, open_apps)) + (my_app is not None)
    return DemoSummary(count, applications, demo_account.handle)
