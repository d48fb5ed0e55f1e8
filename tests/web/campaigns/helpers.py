"""Builders for campaign tests: campaigns in any state, audited creators, applications at any step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from microreach.web.accounts.models import Membership, User
from microreach.web.accounts.tenancy import Tenant, tenant_for
from microreach.web.audits.models import AuditRecord
from microreach.web.campaigns.commands import CampaignChanges
from microreach.web.campaigns.models import Application, ApplicationState, Campaign, CampaignState
from microreach.web.campaigns.services.application import application_accept, application_create
from microreach.web.campaigns.services.campaign import campaign_create, campaign_publish, campaign_transition
from microreach.web.campaigns.services.deliverable import draft_review, draft_submit, post_submit
from microreach.web.campaigns.services.shipment import (
    shipment_confirm_address,
    shipment_mark_received,
    shipment_mark_shipped,
)
from microreach.web.creators.models import Creator, SocialAccount
from tests import factories

# The tests' today is the real one: campaign dates are relative to it, and a fixed date would let the
# running campaigns of the test worlds end (and their posts fall overdue) once the calendar passes them.
TODAY = datetime.now(UTC).date()
CAPTION_OK = "Publicité — ma chemise en lin @maisonverte #lin"


def open_dates_iso() -> dict[str, str]:
    """An open campaign's three dates as a form or the API takes them (ISO), counted from the tests' today."""
    keys = ("applications_close_on", "publication_start", "publication_end")
    return {key: campaign_data()[key].isoformat() for key in keys}


def campaign_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Linen summer",
        "what_to_say": "Linen breathes.",
        "mandatory_mentions": ["maisonverte"],
        "mandatory_hashtags": ["lin"],
        "products": [{"name": "Linen shirt", "unit_value": "59.00", "variants": ["S", "M", "L"]}],
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
        "compensation": "fee",
        "fee": "150.00",
        "creators_wanted": 2,
        "applications_close_on": TODAY + timedelta(days=10),
        "publication_start": TODAY + timedelta(days=20),
        "publication_end": TODAY + timedelta(days=40),
        "jurisdictions": ["FR"],
        "budget": "2000",
    }
    data.update(overrides)
    return data


def campaign_changes(**overrides: Any) -> CampaignChanges:
    return CampaignChanges.model_validate(campaign_data(**overrides))


def brand() -> tuple[User, Tenant]:
    user = factories.member()
    return user, tenant_for(user)


def open_campaign(tenant: Tenant, **overrides: Any) -> Campaign:
    """A published campaign; the tests' brand confirms fees planned over the budget (tests of the budget
    publish themselves)."""
    campaign = campaign_create(tenant=tenant, changes=campaign_changes(**overrides))
    return campaign_publish(tenant=tenant, campaign_id=campaign.pk, confirm_over_budget=True)


def audited_creator(
    *,
    score: float = 80.0,
    fake: float = 0.05,
    tier: str = "micro",
    followers: int = 20_000,
    country: str = "FR",
    handle: str | None = None,
    username: str | None = None,
) -> tuple[User, Tenant, SocialAccount]:
    user = factories.creator_user(**({"username": username} if username else {}))
    account = factories.account(followers=followers, country=country, handle=handle)
    Creator.objects.filter(pk=account.creator_id).update(
        claimed_by=user, claimed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    AuditRecord.objects.create(
        account=account,
        population_id="test",
        as_of=datetime(2026, 11, 1, tzinfo=UTC),
        status="ok",
        score=score,
        tier=tier,
        engagement_rate=0.03,
        fake_share=fake,
        pod_flagged=False,
        growth_spikes=0,
        sponsored_share=0.1,
        result={},
    )
    return user, tenant_for(user), account


def apply(campaign: Campaign, **creator_kwargs: Any) -> tuple[Tenant, Application]:
    _user, tenant, account = audited_creator(**creator_kwargs)
    app = application_create(
        tenant=tenant,
        campaign_id=campaign.pk,
        account_id=account.pk,
        pitch="I love linen.",
        accept_brief=True,
        proposed_fee="120",
    )
    return tenant, app


def advance(brand_tenant: Tenant, creator_tenant: Tenant, app: Application, to: str) -> Application:
    """Drive an application through the real services up to ``to``."""
    steps = [
        ApplicationState.ACCEPTED,
        ApplicationState.SHIPPED,
        ApplicationState.RECEIVED,
        ApplicationState.CONTENT_SUBMITTED,
        ApplicationState.APPROVED,
        ApplicationState.PUBLISHED,
    ]
    for step in steps[: steps.index(ApplicationState(to)) + 1]:
        if step == ApplicationState.ACCEPTED:
            application_accept(tenant=brand_tenant, application_id=app.pk, agreed_fee=Decimal("130"))
        elif step == ApplicationState.SHIPPED:
            shipment_confirm_address(
                tenant=creator_tenant,
                application_id=app.pk,
                variant="M",
                recipient="Léa Martin",
                street="1 rue des Lilas",
                postcode="69001",
                city="Lyon",
                country="FR",
            )
            shipment_mark_shipped(
                tenant=brand_tenant,
                application_id=app.pk,
                carrier="Colissimo",
                tracking_number="6A123",
                cost="7.50",
            )
        elif step == ApplicationState.RECEIVED:
            shipment_mark_received(tenant=creator_tenant, application_id=app.pk)
        elif step == ApplicationState.CONTENT_SUBMITTED:
            draft_submit(
                tenant=creator_tenant,
                application_id=app.pk,
                deliverable="instagram reel 1",
                caption=CAPTION_OK,
            )
        elif step == ApplicationState.APPROVED:
            draft = app.drafts.get(review_state="submitted")
            draft_review(tenant=brand_tenant, draft_id=draft.pk, approve=True)
        elif step == ApplicationState.PUBLISHED:
            post_submit(
                tenant=creator_tenant,
                application_id=app.pk,
                url="https://instagram.com/p/abc123",
                deliverable="instagram reel 1",
            )
    app.refresh_from_db()
    return app


def campaign_in_state(tenant: Tenant, state: str, **overrides: Any) -> Campaign:
    campaign = campaign_create(tenant=tenant, changes=campaign_changes(**overrides))
    path = [CampaignState.OPEN, CampaignState.CLOSED, CampaignState.RUNNING, CampaignState.COMPLETED]
    if state == CampaignState.CANCELLED:
        return campaign_transition(tenant=tenant, campaign_id=campaign.pk, to=state)
    if state == CampaignState.DRAFT:
        return campaign
    for step in path[: path.index(CampaignState(state)) + 1]:
        campaign = campaign_transition(
            tenant=tenant, campaign_id=campaign.pk, to=step, confirm_over_budget=True
        )
    return campaign


def org_of(user: User) -> int:
    return Membership.objects.get(user=user).organisation_id


def mp4_box(kind: bytes, payload: bytes = b"") -> bytes:
    """One ISO media box: 32-bit size, 4-letter type, payload."""
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def minimal_mp4(media: bytes = b"\x00" * 64) -> bytes:
    """The smallest MP4 the upload check accepts: ftyp, moov (with a movie header), mdat."""
    return (
        mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
        + mp4_box(b"moov", mp4_box(b"mvhd", b"\x00" * 100))
        + mp4_box(b"mdat", media)
    )
