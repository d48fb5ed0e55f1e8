"""The day of a brand and of a creator in a real browser, in English and in French, on a 1280×800 screen and
on a phone (390×844): each walks the lists of issue 16 where they act.

- Brand: the inbox (item 1); the applicants list with French/English figures (item 7), a selection compared
  side by side, Accept and Decline **on the comparison, updated in place** (no page load), a bulk Decline on
  the list (item 2); the application's audit summary; shipping from the CSV template (item 5); the digest
  settings (item 8).
- Creator: the inbox; the address form refusing a wrong postal code and keeping every field, then
  storing the address with the phone in E.164; a draft the brand sent back reopening pre-filled with the
  comment beside it (item 6); the digest settings.

Each side runs twice, languages and sizes crossed (brand EN desktop / FR phone, creator FR desktop / EN
phone), so that each list is seen in both languages and on both sizes without running four times. One
browser context per case; the expected words come from the French catalogue (gettext), the figures from
``web/formatting.py``. Not repeated here: the 200-applicant review (test_review_200), the keyboard on the
applicants' rows (test_decide_layout), the shipping CSV's refused rows (test_shipping_csv), the overflow
of every page (test_overflow_screens). The right of reply, walked in English on a desktop by test_reply,
is walked here in French on a phone (creator writes, brand reads beside the flag)."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django_countries import countries

from microreach.web import formatting
from microreach.web.accounts.models import User
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.audits.models import AuditRecord
from microreach.web.campaigns.models import Application, ContentDraft, Shipment
from microreach.web.campaigns.services.application import application_create
from microreach.web.campaigns.services.deliverable import draft_review
from microreach.web.creators.models import Creator
from tests import factories
from tests.browser.conftest import log_in, open_menu, screenshot, unfold
from tests.browser.test_reply import SPIKE
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_shipping import _accepted

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
COMMENT = "Show the collar, please."


def t(language: str, text: str) -> str:
    """``text`` as the page says it in ``language`` (the catalogue's French, or the English itself)."""
    with translation.override(language[:2]):
        return translation.gettext(text)


def country_name(code: str) -> str:
    return str(countries.name(code))


def _context(browser, live_server, language: str, viewport: str):
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _login(page, username: str, language: str) -> None:
    log_in(page, username)
    assert page.locator("html").get_attribute("lang") == language[:2]


def _mark_page(page) -> None:
    """Mark the loaded document: the mark survives an htmx swap, not a page load."""
    page.evaluate("() => { window.__journey = 1; }")


def _same_page(page) -> bool:
    return page.evaluate("() => window.__journey === 1")


def _digest_settings(page, language: str, choice: str) -> None:
    """Item 8: the settings page sets how often the inbox digest is e-mailed; the choice stays."""
    open_menu(page)  # on a phone the navigation is folded behind its "Menu" line
    page.locator("nav.top").get_by_role("link", name=t(language, "Settings"), exact=True).click()
    assert page.locator("h1").inner_text() == t(language, "Settings")
    page.locator(f"#digest input[type=radio][value={choice}]").check()
    page.locator("#digest button[type=submit]").click()
    page.get_by_text(t(language, "Your settings are saved.")).wait_for()
    assert page.locator(f"#digest input[type=radio][value={choice}]").is_checked()


def _brand_world():
    user = factories.member(username="claire")
    brand = tenant_for(user)
    campaign = h.open_campaign(brand, title="Linen summer", creators_wanted=10)
    handles = ("anna.lin", "ben.lin", "cleo.lin", "dan.lin")
    apps = {handle: h.apply(campaign, score=70.0 + i, handle=handle)[1] for i, handle in enumerate(handles)}
    shipped = _accepted(brand, campaign, "lea.ship")  # accepted, address given: a parcel to ship
    return campaign, apps, shipped


@pytest.mark.parametrize(("language", "viewport"), [("en-GB", "desktop"), ("fr-FR", "phone")])
def test_brand_journey_inbox_decide_ship_settings(browser, live_server, language, viewport):
    campaign, apps, shipped = _brand_world()
    started = time.monotonic()
    context, page = _context(browser, live_server, language, viewport)
    try:
        _login(page, "claire", language)
        # the inbox: the navigation counts what waits (on a phone, on the folded menu's line too);
        # the applications to review are listed
        menu_line = page.locator("nav.top details.nav-menu > summary")
        if viewport == "phone":
            assert menu_line.locator(".badge").inner_text() == "5"
            open_menu(page)
        inbox = page.locator("nav.top").get_by_role("link", name=t(language, "Inbox"))
        assert inbox.locator(".badge").inner_text() == "5"  # 4 to review, 1 parcel to ship
        inbox.click()
        assert page.locator("h1").inner_text() == t(language, "Inbox")
        assert page.locator("#applications_to_review tbody tr").count() == 4
        assert page.locator("#parcels_to_ship tbody tr").count() == 1
        screenshot(page, f"journey-brand-{language}-{viewport}-inbox")
        # the applicants: figures in the reader's language (20,000 / 20 000)
        page.goto(f"/campaigns/{campaign.pk}/applicants/")
        table = page.locator("table#applicants")
        followers = formatting.number(20_000, language=language[:2])
        assert followers in table.inner_text()
        assert ("20,000" in followers) == (language == "en-GB")
        # a selection compared side by side
        for handle in ("anna.lin", "ben.lin"):
            page.locator(f"#pick-{apps[handle].pk}").check()
        unfold(page, "#bulk-fold")  # a phone folds the bulk actions behind one line
        page.locator("#bulk-compare").click()
        page.wait_for_url("**/compare/?**")
        compare = page.locator("table#compare")
        assert compare.locator("thead th").count() == 3
        # Accept and Decline on the comparison update the column in place: no page load
        _mark_page(page)
        anna, ben = apps["anna.lin"].pk, apps["ben.lin"].pk
        page.get_by_role("button", name=f"{t(language, 'Accept')} @anna.lin").click()
        page.locator(f"#decide-{anna}").get_by_text(t(language, "Creator accepted.")).wait_for()
        # (the keyboard's focus lands on the column's note once htmx has settled, not on <body>)
        page.wait_for_function(f"() => document.activeElement.closest('#decide-{anna}') !== null")
        page.get_by_role("button", name=f"{t(language, 'Decline')} @ben.lin").click()
        page.locator(f"#decide-{ben}").get_by_text(t(language, "Application declined.")).wait_for()
        assert _same_page(page)
        assert page.locator(f"#state-{anna}").inner_text() == t(language, "Accepted")
        assert page.locator(f"#state-{ben}").inner_text() == t(language, "Declined")
        assert page.locator(f"#decide-{anna} button").count() == 0
        assert [Application.objects.get(pk=pk).state for pk in (anna, ben)] == ["accepted", "declined"]
        screenshot(page, f"journey-brand-{language}-{viewport}-compare")
        # a bulk action on the list: Decline the two others at once, each row updated in place
        page.goto(f"/campaigns/{campaign.pk}/applicants/")
        _mark_page(page)
        rest = [apps["cleo.lin"].pk, apps["dan.lin"].pk]
        for pk in rest:
            page.locator(f"#pick-{pk}").check()
        unfold(page, "#bulk-fold")
        page.locator("#bulk-decline").click()
        page.locator("#bulk-result.success").wait_for()
        assert _same_page(page)
        for pk in rest:
            assert page.locator(f"#row-{pk}").get_attribute("data-state") == "declined"
        # (htmx moves the focus once the swap has settled: wait for it, a timeout fails the test)
        page.wait_for_function("() => document.activeElement.id === 'bulk-result'")
        screenshot(page, f"journey-brand-{language}-{viewport}-bulk")
        # the application shows its audit summary where the decision is taken
        page.goto(f"/campaigns/applications/{anna}/")
        assert page.locator("#application-audit").is_visible()
        # shipping: the template lists the parcel to ship; the filled file ships it with a tracking link
        page.goto(f"/campaigns/{campaign.pk}/")
        # (the campaign's fee and budget in the reader's money format: €150.00 / 150,00 €)
        head = page.locator("main p").first.inner_text()
        for amount in (campaign.fee, campaign.budget):
            assert formatting.money(amount, campaign.currency, language=language[:2]) in head, head
        page.locator("#shipping-link").click()
        with page.expect_download() as info:
            page.locator("#shipping-template").click()
        raw = Path(info.value.path()).read_bytes().decode("utf-8")
        french = language == "fr-FR"
        assert raw.startswith("\ufeff") == french
        delimiter = ";" if french else ","
        rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=delimiter))
        assert [row[:2] for row in rows[1:]] == [[str(shipped.pk), "lea.ship"]]
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(rows[0])
        writer.writerow([rows[1][0], rows[1][1], "Colissimo", "6A12345678901", ""])
        page.locator("input[type=file][name=file]").set_input_files(
            {"name": "expedition.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8")}
        )
        page.locator("#shipping-upload form button[type=submit]").click()
        page.locator("#shipments a[href*='6A12345678901']").wait_for()
        assert Shipment.objects.get(application_id=shipped.pk).tracking_number == "6A12345678901"
        screenshot(page, f"journey-brand-{language}-{viewport}-shipping")
        # the digest settings
        _digest_settings(page, language, "weekly")
        assert User.objects.get(username="claire").digest == "weekly"
    finally:
        context.close()
    print(f"\nbrand journey {language} {viewport}: {time.monotonic() - started:.1f} s")


def _creator_world():
    _user, brand = h.brand()
    creator_user, creator, account = h.audited_creator(handle="mia.lin")
    to_ship = h.open_campaign(brand, title="Linen summer", creators_wanted=5)
    to_fix = h.open_campaign(brand, title="Linen autumn", creators_wanted=5)
    apps = {}
    for campaign in (to_ship, to_fix):
        apps[campaign.title] = application_create(
            tenant=creator,
            campaign_id=campaign.pk,
            account_id=account.pk,
            pitch="I love linen.",
            accept_brief=True,
            proposed_fee="120",
        )
    address = h.advance(brand, creator, apps["Linen summer"], "accepted")
    rework = h.advance(brand, creator, apps["Linen autumn"], "content_submitted")
    draft = ContentDraft.objects.get(application=rework)
    draft_review(tenant=brand, draft_id=draft.pk, approve=False, comment=COMMENT)
    return creator_user, address, rework


@pytest.mark.parametrize(("language", "viewport"), [("fr-FR", "desktop"), ("en-GB", "phone")])
def test_creator_journey_inbox_address_draft_settings(browser, live_server, language, viewport):
    user, address, rework = _creator_world()
    started = time.monotonic()
    context, page = _context(browser, live_server, language, viewport)
    try:
        _login(page, user.username, language)
        # the inbox: an address to give and a draft to fix
        page.goto("/inbox/")
        assert page.locator("#addresses_to_give tbody tr").count() == 1
        assert page.locator("#drafts_to_fix tbody tr").count() == 1
        screenshot(page, f"journey-creator-{language}-{viewport}-inbox")
        page.locator("#addresses_to_give tbody tr").first.get_by_role("link").click()
        page.wait_for_url(f"**/campaigns/applications/{address.pk}/")
        # the address form refuses a postal code that is not French, and keeps every field as typed
        page.locator("#id_variant").select_option("L")
        page.get_by_label(t(language, "Recipient"), exact=True).fill("Mia Lindqvist")
        page.get_by_label(t(language, "Street"), exact=True).fill("1 rue des Lilas")
        page.get_by_label(t(language, "Postcode"), exact=True).fill("6900")
        page.get_by_label(t(language, "City"), exact=True).fill("Lyon")
        page.locator("#id_country").select_option("FR")
        page.locator("#id_phone").fill("06 12 34 56 78")
        page.get_by_role("button", name=t(language, "Confirm my address")).click()
        with translation.override(language[:2]):
            refusal = translation.gettext(
                "This is not a postal code of %(country)s (for example %(example)s)."
            ) % {"country": country_name("FR"), "example": "75011"}
        page.get_by_text(refusal).wait_for()
        assert page.locator("#id_phone").input_value() == "06 12 34 56 78"
        assert page.locator("#id_recipient").input_value() == "Mia Lindqvist"
        assert page.locator("#id_postcode").input_value() == "6900"
        assert page.locator("#id_variant").input_value() == "L"
        assert page.locator("#id_country").input_value() == "FR"
        assert not Shipment.objects.filter(application=address).exists()
        screenshot(page, f"journey-creator-{language}-{viewport}-address-refused")
        # corrected, it is stored: the phone in E.164
        page.locator("#id_postcode").fill("69001")
        page.get_by_role("button", name=t(language, "Confirm my address")).click()
        page.wait_for_load_state()
        deadline = time.monotonic() + 5
        while not Shipment.objects.filter(application=address, phone="+33612345678").exists():
            assert time.monotonic() < deadline, "the address was not stored"
            time.sleep(0.1)
        stored = Shipment.objects.get(application=address)
        assert (stored.postcode, stored.country, stored.variant) == ("69001", "FR", "L")
        # the draft sent back reopens pre-filled, the brand's comment beside it
        page.goto(f"/campaigns/applications/{rework.pk}/")
        assert page.locator("h3", has_text=t(language, "Fix the draft")).count() == 1
        assert page.locator("#id_caption").input_value() == h.CAPTION_OK
        assert page.locator("#review-comment").inner_text() == COMMENT
        screenshot(page, f"journey-creator-{language}-{viewport}-draft")
        # the digest settings
        _digest_settings(page, language, "off")
        assert User.objects.get(pk=user.pk).digest == "off"
    finally:
        context.close()
    print(f"\ncreator journey {language} {viewport}: {time.monotonic() - started:.1f} s")


def test_right_of_reply_in_french_on_a_phone(browser, live_server):
    language, viewport = "fr-FR", "phone"
    creator = factories.creator_user(username="lea")
    factories.member(username="nadia")
    account = factories.account(handle="lea.cuisine")
    Creator.objects.filter(pk=account.creator_id).update(claimed_by=creator, claimed_at=timezone.now())
    AuditRecord.objects.create(
        account=account,
        population_id="test",
        as_of=datetime(2026, 11, 1, tzinfo=UTC),
        status="ok",
        score=61.0,
        growth_spikes=1,
        risk_level="medium",
        risk={"level": "medium", "reasons": [{"code": "risk_growth_spikes", "params": {"spikes": 1}}]},
        result={"growth": {"status": "ok", "anomalies": [SPIKE]}, "authenticity": None},
    )
    reply = "Jeu-concours le 12 mars avec @verdure.box"
    # the creator answers the spike from "Mes audits"
    context, page = _context(browser, live_server, language, viewport)
    try:
        _login(page, "lea", language)
        page.goto("/audits/mine/")
        assert page.locator("h1").inner_text() == t(language, "My audits")
        spike = page.locator('li.flagged-finding[data-code="flag_growth_spike"]')
        spike.get_by_text(t(language, "Reply"), exact=True).click()
        spike.locator("textarea").fill(reply)
        spike.get_by_role("button", name=t(language, "Save my answer")).click()
        page.locator(".creator-reply").wait_for()
        screenshot(page, f"journey-reply-{language}-{viewport}-creator")
    finally:
        context.close()
    # the brand reads it beside the flag, in French, with no form to change it
    context, page = _context(browser, live_server, language, viewport)
    try:
        _login(page, "nadia", language)
        page.goto("/audits/instagram/lea.cuisine/")
        flag = page.locator('li.flagged-finding[data-code="flag_growth_spike"]')
        assert reply in flag.locator(".creator-reply").inner_text()
        assert page.locator("form.answer-form").count() == 0
        assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
        screenshot(page, f"journey-reply-{language}-{viewport}-brand")
    finally:
        context.close()
