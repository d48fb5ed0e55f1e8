"""A small campaign world owned by one brand, for the tenancy registry and the permission matrix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from microreach.web.accounts.models import Organisation, User
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    Campaign,
    CampaignPhoto,
    CampaignPost,
    ContentDraft,
    CreatorBar,
    Invitation,
    Message,
    PostCheck,
    Reminder,
    Sale,
    Shipment,
)
from microreach.web.campaigns.services.application import application_create
from microreach.web.campaigns.services.shipment import shipment_confirm_address
from microreach.web.creators.models import Creator
from tests import factories
from tests.web.campaigns import helpers as h

NOW = datetime(2026, 11, 20, tzinfo=UTC)


def _campaign(org: Organisation, **fields) -> Campaign:
    return Campaign.objects.create(
        organisation=org,
        title="Owned campaign",
        deliverables=[{"network": "instagram", "kind": "reel", "count": 1}],
        applications_close_on=h.TODAY,
        publication_start=h.TODAY,
        publication_end=h.TODAY,
        jurisdictions=["FR"],
        **fields,
    )


def _application(org: Organisation, **fields) -> Application:
    campaign = _campaign(org)
    user = factories.creator_user()
    return Application.objects.create(
        organisation=org,
        campaign=campaign,
        creator_user=user,
        account=factories.account(),
        brief_accepted_at=NOW,
        **fields,
    )


# Row factories for tests/web/test_tenancy.py: one row of each model for ``org``.
def campaign_row(org):
    return _campaign(org)


def application_row(org):
    return _application(org)


def invitation_row(org):
    return Invitation.objects.create(organisation=org, campaign=_campaign(org), account=factories.account())


def message_row(org):
    return Message.objects.create(
        organisation=org, application=_application(org), from_brand=True, body="Hello"
    )


def shipment_row(org):
    return Shipment.objects.create(
        organisation=org, application=_application(org, state="accepted"), city="Lyon"
    )


def draft_row(org):
    return ContentDraft.objects.create(
        organisation=org, application=_application(org), deliverable="d", caption="c"
    )


def post_row(org):
    return CampaignPost.objects.create(
        organisation=org, application=_application(org), url="https://x.test/p", published_at=NOW
    )


def post_check_row(org):
    return PostCheck.objects.create(
        organisation=org, campaign_post=post_row(org), check_code="network", status="passed", checked_at=NOW
    )


def event_row(org):
    return ActivityEvent.objects.create(organisation=org, campaign=_campaign(org), event="campaign.created")


def reminder_row(org):
    return Reminder.objects.create(
        organisation=org,
        campaign=_campaign(org),
        kind="k",
        trigger_key=f"t:{org.pk}",
        recipient=factories.user(),
        text="t",
    )


def bar_row(org):
    return CreatorBar.objects.create(organisation=org, account=factories.account())


def sale_row(org):
    return Sale.objects.create(
        organisation=org,
        campaign=_campaign(org),
        order_ref="o1",
        amount=Decimal("10"),
        commission=Decimal("1"),
        sold_on=h.TODAY,
    )


@dataclass
class World:
    owner_admin: User
    owner_member: User
    agency_of_owner: User
    other_brand: User
    other_agency: User
    applicant: User
    other_creator: User
    campaign: Campaign
    applied: Application  # state applied
    accepted: Application  # accepted, address confirmed
    shipped: Application
    submitted: Application  # content submitted, one draft waiting for review
    draft: ContentDraft
    shortlist_id: int
    invitation: Invitation


def build_world() -> World:
    from microreach.web.discovery.services import shortlist_create

    agency = factories.organisation(kind="agency")
    owner = factories.organisation(managed_by=agency)
    owner_admin = factories.member(org=owner)
    owner_member = factories.member(org=owner, role="member")
    agency_of_owner = factories.member(org=agency)
    other_brand = factories.member()
    other_agency = factories.member(org=factories.organisation(kind="agency"))
    brand = tenant_for(owner_admin)
    campaign = h.open_campaign(brand, creators_wanted=10)
    applicant = factories.creator_user()
    creator = tenant_for(applicant)
    apps = []
    person = Creator.objects.create(name="Léa", external_key=f"world:{applicant.pk}", claimed_by=applicant)
    for _ in range(4):
        account = factories.account(country="FR", creator=person)
        apps.append(
            application_create(
                tenant=creator,
                campaign_id=campaign.pk,
                account_id=account.pk,
                pitch="p",
                accept_brief=True,
                proposed_fee="100",
            )
        )
    applied, accepted, shipped, submitted = apps
    h.advance(brand, creator, accepted, "accepted")
    shipment_confirm_address(
        tenant=creator,
        application_id=accepted.pk,
        variant="S",
        recipient="Léa",
        street="1 rue",
        postcode="69001",
        city="Lyon",
        country="FR",
    )
    h.advance(brand, creator, shipped, "shipped")
    h.advance(brand, creator, submitted, "content_submitted")
    shortlist = shortlist_create(tenant=brand, name="S")
    invited = factories.account()
    other_creator = factories.creator_user()
    invitation = Invitation.objects.create(
        organisation_id=campaign.organisation_id, campaign=campaign, account=invited, creator_user=applicant
    )
    for app in apps:
        app.refresh_from_db()
    return World(
        owner_admin,
        owner_member,
        agency_of_owner,
        other_brand,
        other_agency,
        applicant,
        other_creator,
        campaign,
        applied,
        accepted,
        shipped,
        submitted,
        submitted.drafts.get(),
        shortlist.pk,
        invitation,
    )


def snapshot() -> tuple:
    """Everything an action could change, to prove a refused one changed nothing."""
    return (
        sorted(Campaign.objects.values_list("id", "state", "title")),
        sorted(Application.objects.values_list("id", "state", "agreed_fee")),
        Message.objects.count(),
        ContentDraft.objects.filter(review_state="submitted").count(),
        ContentDraft.objects.count(),
        sorted(Shipment.objects.values_list("id", "street", "shipped_at", "received_at")),
        CreatorBar.objects.count(),
        sorted(Invitation.objects.values_list("id", "state")),
        Sale.objects.count(),
        CampaignPost.objects.count(),
    )


def campaign_photo_row(org: Organisation) -> CampaignPhoto:
    """A campaign's cover (the file's bytes do not matter: the row must stay invisible to another brand)."""
    from django.core.files.base import ContentFile

    photo = CampaignPhoto(organisation=org, campaign=_campaign(org), kind=CampaignPhoto.Kind.COVER)
    photo.image.save("cover.webp", ContentFile(b"RIFF0000WEBP"), save=False)
    photo.save()
    return photo


# model -> (row factory, GET URLs that show the row), merged into tests/web/test_tenancy.py's registry.
OWNED = {
    Campaign: (
        campaign_row,
        [
            "/campaigns/{pk}/",
            "/campaigns/{pk}/edit/",
            "/campaigns/{pk}/applicants/",
            "/campaigns/{pk}/compare/",
            "/campaigns/{pk}/addresses.csv",
            "/api/campaigns/{pk}",
            "/api/campaigns/{pk}/applicants",
        ],
    ),
    Application: (
        application_row,
        [
            "/campaigns/applications/{pk}/",
            "/api/campaigns/applications/{pk}",
        ],
    ),
    CampaignPhoto: (campaign_photo_row, []),
    Invitation: (invitation_row, []),
    Message: (message_row, []),
    Shipment: (shipment_row, []),
    ContentDraft: (draft_row, []),
    CampaignPost: (post_row, ["/api/campaigns/posts/{pk}/checks"]),
    PostCheck: (post_check_row, []),
    ActivityEvent: (event_row, []),
    Reminder: (reminder_row, []),
    CreatorBar: (bar_row, []),
    Sale: (sale_row, []),
}
