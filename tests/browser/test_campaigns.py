"""Both campaign journeys end to end in a real browser; the other side acts through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import Application, Campaign, ContentDraft, Shipment
from microreach.web.campaigns.services.application import application_accept
from microreach.web.campaigns.services.deliverable import draft_review, draft_submit, post_submit
from microreach.web.campaigns.services.shipment import (
    shipment_confirm_address,
    shipment_mark_received,
    shipment_mark_shipped,
)
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def _post(page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_brand_journey(page):
    brand_user = factories.member(username="claire")
    today = timezone.localdate()
    # the brand creates and publishes a campaign
    log_in(page, "claire")
    page.locator("nav.top").get_by_role("link", name="Campaigns").click()
    page.get_by_role("button", name="New campaign").click()
    # the wizard: Basics -> Creators wanted -> Deliverables -> Product & budget -> Preview & publish
    page.get_by_label("Title", exact=True).fill("Linen summer")
    page.get_by_label("What to say").fill("Linen breathes.")
    _post(page, "Save and continue")
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_label("Creators wanted").fill("1")
    _post(page, "Save and continue")
    page.get_by_label("Mandatory mentions (comma-separated, e.g. @maisonverte)").fill("@maisonverte")
    page.locator("select[name=network_0]").select_option("instagram")
    page.locator("select[name=kind_0]").select_option("reel")
    page.get_by_label("Applications close on").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("Publication window start").fill((today + timedelta(days=20)).isoformat())
    page.get_by_label("Publication window end").fill((today + timedelta(days=40)).isoformat())
    _post(page, "Save and continue")
    page.locator("input[name=compensation][value=fee]").check()
    page.get_by_label("Fee per creator").fill("150")
    page.locator("input[name=product_0]").fill("Linen shirt")
    page.locator("input[name=value_0]").fill("59.00")
    page.locator("input[name=variants_0]").fill("S, M, L")
    _post(page, "Save and continue")
    page.locator("#brief").wait_for()
    _post(page, "Publish")
    assert page.locator("#campaign-state").inner_text() == "Open for applications"
    campaign = Campaign.objects.get(title="Linen summer")
    assert (campaign.state, campaign.jurisdictions) == ("open", ["FR"])
    # two audited creators apply
    creator, app = h.apply(campaign, score=88.0, handle="lea.lin")
    h.apply(campaign, score=51.0, handle="other.one")
    # the brand reviews the applicants, best score first, and accepts the first
    page.get_by_role("link", name="Applicants").click()
    rows = page.locator("#applicants tbody tr")
    assert rows.count() == 2
    assert "@lea.lin" in rows.nth(0).inner_text()
    screenshot(page, "campaign-applicants")
    page.get_by_role("link", name="@lea.lin").click()
    page.get_by_label("Agreed fee").fill("140")
    _post(page, "Accept")
    page.get_by_text("Creator accepted.").wait_for()
    assert Application.objects.get(pk=app.pk).agreed_fee == 140
    # the creator confirms an address; the brand sees it and ships
    shipment_confirm_address(
        tenant=creator,
        application_id=app.pk,
        variant="M",
        recipient="Léa Martin",
        street="1 rue des Lilas",
        postcode="69001",
        city="Lyon",
        country="FR",
    )
    page.reload()
    assert "1 rue des Lilas" in page.locator("#address").inner_text()
    page.get_by_label("Carrier").fill("Colissimo")
    page.get_by_label("Tracking number").fill("6A123")
    page.get_by_label("Shipping cost").fill("7.50")
    _post(page, "Mark shipped")
    page.get_by_text("Marked as shipped.").wait_for()
    assert Shipment.objects.get(application=app).tracking_number == "6A123"
    # the creator receives and submits a compliant draft; the brand approves it
    shipment_mark_received(tenant=creator, application_id=app.pk)
    draft_submit(
        tenant=creator,
        application_id=app.pk,
        deliverable="instagram reel 1",
        caption="Publicité — ma chemise en lin @maisonverte",
    )
    page.reload()
    page.locator("select[name=decision]").select_option("approve")
    _post(page, "Send the review")
    page.get_by_text("Draft approved.").wait_for()
    assert Application.objects.get(pk=app.pk).state == "approved"
    post_submit(tenant=creator, application_id=app.pk, url="https://instagram.com/p/Clin1abc")
    # the brand closes, runs and completes the campaign
    page.goto(f"/campaigns/{campaign.pk}/")
    _post(page, "Close applications")
    _post(page, "Start the campaign")
    _post(page, "Complete the campaign")
    assert page.locator("#campaign-state").inner_text() == "Completed"
    screenshot(page, "campaign-completed")
    assert tenant_for(brand_user).organisation_id == Campaign.objects.get(pk=campaign.pk).organisation_id


def test_creator_journey(page):
    _brand_user, brand = h.brand()
    campaign = h.open_campaign(brand, title="Linen summer")
    h.open_campaign(brand, title="US only", countries=["US"])
    _user, _creator, account = h.audited_creator(username="lea", handle="lea.lin")
    # the creator logs in and finds the campaign that fits; the other one says why not
    log_in(page, "lea")
    page.locator("nav.top").get_by_role("link", name="Campaigns").click()
    feed = page.locator("#feed")
    assert "Linen summer" in feed.inner_text() and "US only" not in feed.inner_text()
    # the campaigns that fit no profile are folded below, each with its why
    others = page.locator("#feed-others")
    assert others.locator("summary").inner_text() == "1 other open campaign does not fit your profiles: why"
    others.locator("summary").click()
    assert (
        "Not for you: @lea.lin — this profile's country (France) is not among the campaign's (United States of America)"
        in others.locator("#feed-other").inner_text()
    )
    page.get_by_role("link", name="Linen summer").click()
    # applies, accepting the brief
    page.get_by_label("Your pitch").fill("I wear linen all summer.")
    page.get_by_label("Proposed fee").fill("120")
    page.get_by_label("I accept the brief").check()
    _post(page, "Apply")
    page.get_by_text("Application sent.").wait_for()
    app = Application.objects.get(account=account)
    assert page.locator("#application-state").inner_text() == "Applied"
    # the brand accepts; the creator confirms address and variant
    application_accept(tenant=brand, application_id=app.pk)
    page.reload()
    page.get_by_label("Variant").select_option("M")
    page.get_by_label("Recipient").fill("Léa Martin")
    page.get_by_label("Street").fill("1 rue des Lilas")
    page.get_by_label("Postcode").fill("69001")
    page.get_by_label("City", exact=True).fill("Lyon")
    page.get_by_role("combobox", name="Country").select_option("FR")
    _post(page, "Confirm my address")
    page.get_by_text("Address confirmed.").wait_for()
    # the brand ships; the creator marks it received
    shipment_mark_shipped(tenant=brand, application_id=app.pk, carrier="Colissimo", tracking_number="6A1")
    page.reload()
    _post(page, "I received it")
    assert page.locator("#application-state").inner_text() == "Product received"
    # a draft without the disclosure label is sent back by the checks
    page.get_by_label("Caption").fill("Ma chemise en lin @maisonverte #lin")
    _post(page, "Submit the draft")
    page.get_by_text("Your draft does not pass the checks yet").wait_for()
    assert "no clear disclosure label" in page.locator(".checks").first.inner_text()
    screenshot(page, "campaign-draft-blocked")
    # fixed, it goes to the brand
    page.get_by_label("Caption").fill("Publicité — ma chemise en lin @maisonverte #lin")
    _post(page, "Submit the draft")
    page.get_by_text("Draft submitted.").wait_for()
    assert page.locator("#application-state").inner_text() == "Content submitted"
    # the brand approves; the creator gives the post link
    draft = ContentDraft.objects.get(application=app, review_state="submitted")
    draft_review(tenant=brand, draft_id=draft.pk, approve=True)
    page.reload()
    page.get_by_label("Link of the published post").fill("https://instagram.com/p/Clin1abc")
    _post(page, "Save the post link")
    page.get_by_text("Post link saved.").wait_for()
    assert page.locator("#application-state").inner_text() == "Published"
    screenshot(page, "campaign-creator-published")
    assert Application.objects.get(pk=app.pk).state == "published"
    assert campaign.pk == app.campaign_id
