from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from microreach.web.accounts.models import User
from microreach.web.campaigns import personal_data, selectors
from microreach.web.campaigns.errors import CampaignFull, IllegalTransition, InvalidInput
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    Campaign,
    CampaignState,
    ContentDraft,
    Invitation,
    Sale,
    Shipment,
)
from microreach.web.campaigns.services.application import (
    application_accept,
    application_create,
    application_withdraw,
    creator_bar,
    invitation_decline,
    invitations_from_shortlist,
)
from microreach.web.campaigns.services.campaign import (
    campaign_create,
    campaign_duplicate,
    campaign_transition,
    campaign_update,
)
from microreach.web.campaigns.services.deliverable import (
    draft_review,
    draft_submit,
    drafts_auto_approve,
    post_submit,
)
from microreach.web.campaigns.services.message import message_post
from microreach.web.campaigns.services.sales import sales_import
from microreach.web.campaigns.services.shipment import (
    personal_data_delete,
    shipment_confirm_address,
    shipment_mark_shipped,
    shipments_anonymise_expired,
)
from microreach.web.jobs.models import OutboundEmail
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_campaign_takes_the_organisation_jurisdictions_and_currency_by_default():
    _user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes(jurisdictions=[], fee="150.005"))
    assert campaign.jurisdictions == ["FR"]
    assert campaign.currency == "EUR"
    assert campaign.fee == Decimal("150.01")
    assert campaign.state == CampaignState.DRAFT


def test_inverted_dates_are_refused_and_nothing_is_created():
    _user, tenant = h.brand()
    with pytest.raises(InvalidInput) as err:
        campaign_create(tenant=tenant, changes=h.campaign_changes(publication_end=h.TODAY))
    assert err.value.code == "inverted_dates"
    assert not ActivityEvent.objects.exists()


def test_a_currency_is_an_iso_4217_code_in_any_case_and_anything_else_is_refused():
    # given a brand
    _user, tenant = h.brand()
    # when it names its currency in lower case, it is stored as the code
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes(currency="chf"))
    assert campaign.currency == "CHF"
    # and a three-letter code that is no currency is refused, nothing else created
    with pytest.raises(InvalidInput) as err:
        campaign_create(tenant=tenant, changes=h.campaign_changes(currency="ABC"))
    assert (err.value.code, err.value.details) == ("invalid_input", {"field": "currency"})
    assert Campaign.objects.count() == 1


def test_sales_commission_is_the_rate_of_each_amount_to_the_cent():
    # given an affiliate campaign at 12.5 %
    _user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes(commission_rate="12.5"))
    # when a shop's sales are imported
    result = sales_import(
        tenant=tenant,
        campaign_id=campaign.pk,
        csv_text="order,date,amount,promo_code\nA1,2026-11-27,99.99,\nA2,2026-11-27,10.04,\n",
    )
    # then each commission is amount x 12.5 %, rounded half up to the cent
    assert (result.imported, result.errors) == (2, ())
    assert dict(Sale.objects.values_list("order_ref", "commission")) == {
        "A1": Decimal("12.50"),
        "A2": Decimal("1.26"),
    }


def test_campaign_state_machine_refuses_illegal_moves():
    _user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes())
    with pytest.raises(IllegalTransition) as err:
        campaign_transition(tenant=tenant, campaign_id=campaign.pk, to="completed")
    assert err.value.details == {
        "entity": "campaign",
        "from": "draft",
        "to": "completed",
        "entity_label": "campaign",
        "from_label": "Draft",
        "to_label": "Completed",
    }
    campaign.refresh_from_db()
    assert campaign.state == "draft"


def test_duplicate_copies_the_brief_as_a_new_draft():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    copy = campaign_duplicate(tenant=tenant, campaign_id=campaign.pk)
    assert (copy.state, copy.title, copy.products, copy.fee) == (
        "draft",
        "Linen summer (copy)",
        campaign.products,
        campaign.fee,
    )


def test_creator_applies_with_audit_figures_copied():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    _ct, app = h.apply(campaign, score=72.0, fake=0.08)
    assert (app.state, app.quality_score, app.fake_share, app.tier, app.proposed_fee) == (
        "applied",
        72.0,
        0.08,
        "micro",
        Decimal("120.00"),
    )
    assert app.organisation_id == campaign.organisation_id


def test_creator_outside_the_targeting_is_told_why_and_cannot_apply():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, min_quality_score=70, countries=["FR"])
    _u, creator_tenant, account = h.audited_creator(score=40.0, country="US")
    item = selectors.creator_feed(tenant=creator_tenant)[0]
    assert item.fitting_accounts == []
    assert item.reasons[f"@{account.handle}"] == [
        "this profile's country (United States of America) is not among the campaign's (France)",
        "Audience Quality Score 40 is below 70",
    ]
    with pytest.raises(InvalidInput) as err:
        application_create(
            tenant=creator_tenant, campaign_id=campaign.pk, account_id=account.pk, pitch="", accept_brief=True
        )
    assert err.value.code == "not_eligible"
    assert not Application.objects.exists()


def test_apply_needs_the_brief_accepted():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    _u, creator_tenant, account = h.audited_creator()
    with pytest.raises(InvalidInput):
        application_create(
            tenant=creator_tenant,
            campaign_id=campaign.pk,
            account_id=account.pk,
            pitch="",
            accept_brief=False,
        )
    assert not Application.objects.exists()


def test_accepting_beyond_the_number_wanted_is_refused_with_a_clear_message():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=1)
    _c1, first = h.apply(campaign)
    _c2, second = h.apply(campaign)
    application_accept(tenant=tenant, application_id=first.pk)
    with pytest.raises(CampaignFull) as err:
        application_accept(tenant=tenant, application_id=second.pk)
    assert err.value.message == (
        "This campaign wants 1 creators and 1 are already accepted. Raise the number wanted first."
    )
    second.refresh_from_db()
    assert second.state == "applied"


def test_shipping_before_acceptance_is_an_illegal_transition():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    _ct, app = h.apply(campaign)
    with pytest.raises(IllegalTransition):
        shipment_mark_shipped(tenant=tenant, application_id=app.pk, carrier="X", tracking_number="1")
    app.refresh_from_db()
    assert app.state == "applied"
    assert not Shipment.objects.exists()


def test_a_withdrawn_application_cannot_be_accepted():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    application_withdraw(tenant=creator_tenant, application_id=app.pk)
    with pytest.raises(IllegalTransition):
        application_accept(tenant=tenant, application_id=app.pk)
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_full_journey_leaves_an_activity_log_without_personal_data():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "published")
    assert app.state == "published"
    assert app.agreed_fee == Decimal("130.00")
    events = list(ActivityEvent.objects.filter(campaign=campaign).values_list("event", flat=True))
    assert events == [
        "campaign.created",
        "campaign.open",
        "application.applied",
        "application.accepted",
        "shipment.address_confirmed",
        "application.shipped",
        "application.received",
        "draft.submitted",
        "application.content_submitted",
        "draft.approved",
        "application.approved",
        "post.published",
        "application.published",
    ]
    payloads = str(list(ActivityEvent.objects.values_list("data", flat=True)))
    assert "Lilas" not in payloads and "Léa" not in payloads


def test_address_is_shown_to_the_brand_only_once_accepted_and_exported_for_that_brand_only():
    _user, tenant = h.brand()
    _other, other_tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "accepted")
    shipment_confirm_address(
        tenant=creator_tenant,
        application_id=app.pk,
        variant="M",
        recipient="Léa",
        street="1 rue des Lilas",
        postcode="69001",
        city="Lyon",
        country="fr",
    )
    assert selectors.shipment_visible(application=app, brand_side=True).city == "Lyon"
    _name, text = selectors.addresses_csv(tenant=tenant, campaign_id=campaign.pk)
    assert "1 rue des Lilas" in text
    with pytest.raises(Http404):
        selectors.addresses_csv(tenant=other_tenant, campaign_id=campaign.pk)


def test_unknown_variant_is_refused():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    h.advance(tenant, creator_tenant, app, "accepted")
    with pytest.raises(InvalidInput) as err:
        shipment_confirm_address(
            tenant=creator_tenant,
            application_id=app.pk,
            variant="XXL",
            recipient="L",
            street="s",
            postcode="1",
            city="c",
            country="FR",
        )
    assert err.value.code == "unknown_variant"


def test_draft_without_disclosure_is_blocked_then_fixed():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    blocked = draft_submit(
        tenant=creator_tenant,
        application_id=app.pk,
        deliverable="instagram reel 1",
        caption="Ma chemise en lin @maisonverte #lin",
    )
    app.refresh_from_db()
    assert (blocked.review_state, blocked.check_status, app.state) == ("blocked", "error", "received")
    assert [c["code"] for c in blocked.checks] == ["label_missing"]
    fixed = draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK
    )
    app.refresh_from_db()
    blocked.refresh_from_db()
    assert (fixed.version, fixed.review_state, fixed.checks, app.state) == (
        2,
        "submitted",
        [],
        "content_submitted",
    )
    assert blocked.review_state == "superseded"


def test_a_failing_version_never_takes_the_version_waiting_for_review_away_from_the_brand():
    # given a draft that passed its checks and waits for the brand's review
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    waiting = draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK
    )
    # when the creator sends a new version that fails its checks
    failing = draft_submit(
        tenant=creator_tenant,
        application_id=app.pk,
        deliverable="instagram reel 1",
        caption="Ma chemise en lin @maisonverte #lin",
    )
    waiting.refresh_from_db()
    # then the failing one stays with the creator and the brand can still review the one that passed
    assert (failing.version, failing.review_state, waiting.review_state) == (2, "blocked", "submitted")
    draft_review(tenant=tenant, draft_id=waiting.pk, approve=True)
    # and once it is approved, the failing version has nothing left to fix
    failing.refresh_from_db()
    app.refresh_from_db()
    assert (failing.review_state, app.state) == ("superseded", "approved")


def test_french_label_buried_at_the_end_is_a_warning_and_equivalent_wording_needs_confirmation():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    buried = draft_submit(
        tenant=creator_tenant,
        application_id=app.pk,
        deliverable="instagram reel 1",
        caption="Ma chemise @maisonverte #lin " + "très agréable à porter " * 6 + "Publicité",
    )
    assert (buried.check_status, buried.review_state) == ("warning", "submitted")
    equivalent = draft_submit(
        tenant=creator_tenant,
        application_id=app.pk,
        deliverable="instagram reel 1",
        caption="#pub Ma chemise @maisonverte #lin",
    )
    assert equivalent.check_status == "confirm"
    with pytest.raises(InvalidInput) as err:
        draft_review(tenant=tenant, draft_id=equivalent.pk, approve=True)
    assert err.value.code == "wording_unconfirmed"
    draft_review(tenant=tenant, draft_id=equivalent.pk, approve=True, confirm_wording=True)
    app.refresh_from_db()
    assert app.state == "approved"


@pytest.mark.parametrize(
    ("caption", "ok"),
    [
        ("#ad My linen shirt @maisonverte #lin", True),
        ("Sponsored: my linen shirt @maisonverte #lin", True),
        ("My linen shirt #sp @maisonverte #lin", False),
        ("My linen shirt #partner @maisonverte #lin", False),
        ("My linen shirt, thanks @maisonverte #lin", False),
        ("My linen shirt @maisonverte #lin " + "so soft " * 20 + "#ad", False),
    ],
)
def test_us_ftc_disclosure_before_the_more_cut(caption, ok):
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, jurisdictions=["US"])
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    draft = draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram reel 1", caption=caption
    )
    assert (draft.check_status == "ok") is ok


def test_story_needs_a_screen_capture():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, deliverables=[{"network": "instagram", "kind": "story", "count": 1}])
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    draft = draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram story 1", caption=h.CAPTION_OK
    )
    draft_review(tenant=tenant, draft_id=draft.pk, approve=True)
    with pytest.raises(InvalidInput) as err:
        post_submit(
            tenant=creator_tenant,
            application_id=app.pk,
            url="https://instagram.com/s/1",
            deliverable="instagram story 1",
        )
    assert err.value.code == "capture_required"


def test_changes_requested_need_a_comment_and_keep_the_application_waiting():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "content_submitted")
    draft = ContentDraft.objects.get(application=app)
    with pytest.raises(InvalidInput):
        draft_review(tenant=tenant, draft_id=draft.pk, approve=False)
    draft_review(tenant=tenant, draft_id=draft.pk, approve=False, comment="Show the collar.")
    draft.refresh_from_db()
    app.refresh_from_db()
    assert (draft.review_state, draft.review_comment, app.state) == (
        "changes_requested",
        "Show the collar.",
        "content_submitted",
    )


def test_auto_approval_after_the_review_delay():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, auto_approve=True, review_days=10)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "content_submitted")
    assert drafts_auto_approve(now=timezone.now() + timedelta(days=9)) == 0
    assert drafts_auto_approve(now=timezone.now() + timedelta(days=11)) == 1
    app.refresh_from_db()
    assert app.state == "approved"


def test_messages_keep_contact_details_out_until_acceptance():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    with pytest.raises(InvalidInput):
        message_post(tenant=creator_tenant, application_id=app.pk, body="Write me at lea@example.test")
    message_post(tenant=tenant, application_id=app.pk, body="Which colour do you prefer?")
    assert OutboundEmail.objects.filter(key__startswith="campaign-message:").count() == 1
    h.advance(tenant, creator_tenant, app, "accepted")
    message_post(tenant=creator_tenant, application_id=app.pk, body="Call me: +33 6 12 34 56 78")
    assert app.messages.count() == 2


def test_addresses_are_anonymised_after_the_retention_period_and_on_request():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    h.advance(tenant, creator_tenant, app, "shipped")
    for step in ("closed", "running", "cancelled"):
        campaign_transition(tenant=tenant, campaign_id=campaign.pk, to=step)
    with override_settings(MICROREACH={**_settings(), "PERSONAL_DATA_RETENTION_DAYS": 30}):
        assert shipments_anonymise_expired(now=timezone.now() + timedelta(days=29)) == 0
        assert shipments_anonymise_expired(now=timezone.now() + timedelta(days=31)) == 1
    shipment = Shipment.objects.get()
    assert (shipment.street, shipment.city, shipment.tracking_number) == ("", "", "6A123")
    assert personal_data_delete(tenant=creator_tenant) == 0


def test_personal_data_export_and_delete_on_request():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    h.advance(tenant, creator_tenant, app, "shipped")
    exported = personal_data.personal_data_export(user_id=creator_tenant.user_id)
    assert exported["applications"][0]["shipment"]["street"] == "1 rue des Lilas"
    assert personal_data_delete(tenant=creator_tenant) == 1
    assert Shipment.objects.get().street == ""
    assert ActivityEvent.objects.filter(event="shipment.address_deleted").count() == 1


def _settings():
    from django.conf import settings

    return dict(settings.MICROREACH)


def test_barred_creator_cannot_apply_to_the_brand_s_next_campaign():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    creator_bar(tenant=tenant, account_id=app.account_id, reason="no-show")
    second = h.open_campaign(tenant, title="Autumn")
    with pytest.raises(InvalidInput) as err:
        application_create(
            tenant=creator_tenant,
            campaign_id=second.pk,
            account_id=app.account_id,
            pitch="",
            accept_brief=True,
        )
    assert "the brand does not work with this profile" in err.value.details["reasons"]


def test_invitations_from_a_shortlist_reach_only_creators_who_signed_up():
    from microreach.web.discovery.models import ShortlistEntry
    from microreach.web.discovery.services import shortlist_create

    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    _u, creator_tenant, claimed = h.audited_creator()
    unclaimed = factories.account(contact_email="hello@unclaimed.test")
    silent = factories.account()
    shortlist = shortlist_create(tenant=tenant, name="Linen lovers")
    for account in (claimed, unclaimed, silent):
        ShortlistEntry.objects.create(
            organisation_id=shortlist.organisation_id, shortlist=shortlist, account_id=account.pk
        )
    summary = invitations_from_shortlist(tenant=tenant, campaign_id=campaign.pk, shortlist_id=shortlist.pk)
    # the unclaimed profile's public address (from its bio) is never e-mailed: its owner never signed up
    assert (summary.invited, summary.by_email, summary.skipped) == (1, 0, 2)
    assert list(
        OutboundEmail.objects.filter(key__startswith="campaign-invite:").values_list("to", flat=True)
    ) == [creator_tenant_email(creator_tenant)]
    assert not Invitation.objects.filter(account=unclaimed).exists()
    invitation = Invitation.objects.get(account=claimed)
    invitation_decline(tenant=creator_tenant, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.state == "declined"


def creator_tenant_email(tenant) -> str:
    from microreach.web.accounts.models import User

    return User.objects.get(pk=tenant.user_id).email


def test_sales_import_matches_promo_codes_and_computes_commission():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, compensation="affiliate", commission_rate="10")
    _ct, app = h.apply(campaign)
    Application.objects.filter(pk=app.pk).update(promo_code="LEA10")
    text = "order,date,amount,promo_code\nA1,2026-12-01,80.00,lea10\nA2,2026-12-02,20.50,OTHER\nbad,,x,\n"
    result = sales_import(tenant=tenant, campaign_id=campaign.pk, csv_text=text)
    assert (result.imported, result.updated, len(result.errors)) == (2, 0, 1)
    sale = Sale.objects.get(order_ref="A1")
    assert (sale.application_id, sale.commission) == (app.pk, Decimal("8.00"))
    again = sales_import(tenant=tenant, campaign_id=campaign.pk, csv_text=text)
    assert (again.imported, again.updated) == (0, 2)


def test_agency_creates_a_campaign_for_a_brand_it_manages_only():
    from microreach.web.accounts.tenancy import tenant_for

    agency = factories.organisation(kind="agency")
    client_brand = factories.organisation(managed_by=agency)
    stranger = factories.organisation()
    agent = tenant_for(factories.member(org=agency))
    campaign = campaign_create(tenant=agent, changes=h.campaign_changes(organisation_id=client_brand.pk))
    assert campaign.organisation_id == client_brand.pk
    with pytest.raises(InvalidInput) as err:
        campaign_create(tenant=agent, changes=h.campaign_changes(organisation_id=stranger.pk))
    assert err.value.code == "not_your_client"
    assert Campaign.objects.filter(organisation_id=stranger.pk).count() == 0
    # and a campaign stays with its brand: moving it is refused, not ignored (its own brand is fine)
    with pytest.raises(InvalidInput) as moved:
        campaign_update(
            tenant=agent, campaign_id=campaign.pk, changes=h.campaign_changes(organisation_id=agency.pk)
        )
    assert (moved.value.code, moved.value.details["field"]) == ("not_your_client", "organisation_id")
    same = campaign_update(
        tenant=agent, campaign_id=campaign.pk, changes=h.campaign_changes(organisation_id=client_brand.pk)
    )
    assert same.organisation_id == client_brand.pk


def test_the_creator_is_told_in_their_own_language_whoever_accepts():
    # given a French-speaking creator who applied, and a brand working in English
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign, handle="lea.fr")
    User.objects.filter(pk=creator.user_id).update(preferred_language="fr")
    # when the brand accepts
    application_accept(tenant=brand, application_id=app.pk, agreed_fee=Decimal("120"))
    # then the creator's e-mail, its opt-out footer included, is in French
    sent = OutboundEmail.objects.get(key=f"campaign-accepted:{app.pk}")
    assert sent.subject == "Vous êtes retenu : Linen summer"
    assert "You receive this e-mail" not in sent.body
