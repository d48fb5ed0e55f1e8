"""A brand with one thing of each kind waiting, and the creators on the other side of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from microreach.web.accounts.tenancy import Tenant
from microreach.web.campaigns.models import Application, Campaign, CampaignState, ContentDraft, Invitation
from microreach.web.campaigns.services.application import application_accept, application_create
from microreach.web.campaigns.services.deliverable import draft_review, draft_submit
from microreach.web.campaigns.services.shipment import shipment_confirm_address
from tests.web.campaigns import helpers as h


@dataclass
class World:
    brand: Tenant
    campaign: Campaign
    # brand side: application ids (draft ids for drafts), campaign ids for reports
    to_review: list[int]
    draft_to_approve: int
    to_ship: int
    overdue: int
    report: int
    # creator side: the creator's tenant and what waits for them
    creator: Tenant
    invitation: int
    brief_to_answer: int
    address_to_give: int
    draft_to_fix: int
    post_to_publish: int


def build(now: datetime | None = None) -> World:
    now = now or timezone.now()
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=30)
    # the creator with one thing of each kind of their side, each in its own campaign of this brand
    _u, creator, account = h.audited_creator(handle="lea.lin")

    def mine(**overrides) -> Application:
        own = h.open_campaign(brand, creators_wanted=5, **overrides)
        return Application.objects.get(
            pk=application_create(
                tenant=creator,
                campaign_id=own.pk,
                account_id=account.pk,
                pitch="Yes",
                accept_brief=True,
                proposed_fee="100",
            ).pk
        )

    # brand side
    _c1, applied = h.apply(campaign, handle="applied.one")
    _c2, shortlisted = h.apply(campaign, handle="short.two")
    Application.objects.filter(pk=shortlisted.pk).update(state="shortlisted")
    c3, waiting_review = h.apply(campaign, handle="draft.three")
    h.advance(brand, c3, waiting_review, "content_submitted")
    draft_to_approve = ContentDraft.objects.get(application=waiting_review).pk
    c4, to_ship = h.apply(campaign, handle="ship.four")
    h.advance(brand, c4, to_ship, "accepted")
    shipment_confirm_address(
        tenant=c4,
        application_id=to_ship.pk,
        variant="M",
        recipient="Zoé",
        street="2 rue Haute",
        postcode="75001",
        city="Paris",
        country="FR",
    )
    late_campaign = h.open_campaign(brand, creators_wanted=5, title="Late posts")
    c5, overdue = h.apply(late_campaign, handle="late.five")
    h.advance(brand, c5, overdue, "approved")
    Campaign.objects.filter(pk=late_campaign.pk).update(
        state=CampaignState.RUNNING, publication_end=now.date() - timedelta(days=2)
    )
    done = h.campaign_in_state(brand, CampaignState.COMPLETED, title="Done")
    Campaign.objects.filter(pk=done.pk).update(ended_at=now - timedelta(days=1))
    # creator side
    invited_in = h.open_campaign(brand, creators_wanted=5, title="Invited")
    invitation = Invitation.objects.create(
        organisation_id=invited_in.organisation_id,
        campaign=invited_in,
        account=account,
        creator_user_id=creator.user_id,
    )
    brief = mine(title="No product", products=[])
    application_accept(tenant=brand, application_id=brief.pk, agreed_fee=None)
    address = mine(title="Needs address")
    application_accept(tenant=brand, application_id=address.pk, agreed_fee=None)
    fix = mine(title="Fix it", products=[])
    application_accept(tenant=brand, application_id=fix.pk, agreed_fee=None)
    draft_submit(tenant=creator, application_id=fix.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK)
    draft_review(
        tenant=brand,
        draft_id=ContentDraft.objects.get(application_id=fix.pk).pk,
        approve=False,
        comment="Closer shot",
    )
    publish = mine(title="Publish it", products=[])
    application_accept(tenant=brand, application_id=publish.pk, agreed_fee=None)
    draft_submit(
        tenant=creator, application_id=publish.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK
    )
    draft_review(tenant=brand, draft_id=ContentDraft.objects.get(application_id=publish.pk).pk, approve=True)
    return World(
        brand=brand,
        campaign=campaign,
        to_review=[applied.pk, shortlisted.pk],
        draft_to_approve=draft_to_approve,
        to_ship=to_ship.pk,
        overdue=overdue.pk,
        report=done.pk,
        creator=creator,
        invitation=invitation.pk,
        brief_to_answer=brief.pk,
        address_to_give=address.pk,
        draft_to_fix=ContentDraft.objects.get(application_id=fix.pk).pk,
        post_to_publish=publish.pk,
    )
