"""A brand creates a campaign through the wizard in a real browser, in English and in French, on a 1280-px
screen and on a phone (390×844): the summary is in the first response and follows the choices (htmx),
a cover photo is uploaded, the preview is the creators' brief, and no page scrolls sideways."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from PIL import Image

from microreach.web.campaigns.models import Campaign, CampaignPhoto
from microreach.web.creators.models import SocialAccount
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# Languages are chosen by their name in the reader's language (the stored value is the ISO 639-1 code).
LANGUAGE_NAMES = {"en-GB": {"fr": "French", "de": "German"}, "fr-FR": {"fr": "Français", "de": "Allemand"}}


def t(language: str, text: str) -> str:
    with translation.override(language[:2]):
        return translation.gettext(text)


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")


def _no_overflow(page, name: str) -> None:
    scroll_width, width = _overflow(page)
    screenshot(page, name)
    assert scroll_width <= width, (name, scroll_width, width)


def _next(page) -> None:
    # The keyboard, as a phone user's "Go" would: a pointer click at the button's point has landed on the
    # form's margin on the French phone layout (the page was still settling after the full-page screenshot).
    with page.expect_navigation():
        page.locator("#wizard-next").press("Enter")


def _cover_png() -> dict:
    out = io.BytesIO()
    Image.new("RGB", (1200, 600), (180, 90, 40)).save(out, "PNG")
    return {"name": "cover.png", "mimeType": "image/png", "buffer": out.getvalue()}


@pytest.mark.parametrize(
    ("language", "viewport"),
    [("en-GB", "desktop"), ("fr-FR", "phone"), ("fr-FR", "desktop"), ("en-GB", "phone")],
)
def test_a_brand_creates_a_campaign_through_the_wizard(
    browser, live_server, settings, tmp_path, language, viewport
):
    settings.MEDIA_ROOT = tmp_path
    factories.member(username="claire")
    h.audited_creator(country="FR", handle="lea.fr")
    h.audited_creator(country="BE", handle="bea.be")
    SocialAccount.objects.filter(handle="lea.fr").update(language="fr")
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    name = f"wizard-{language[:2]}-{viewport}"
    try:
        log_in(page, "claire")
        page.goto("/campaigns/")
        page.get_by_role("button", name=t(language, "New campaign")).click()
        # Basics: the summary is in the first response (both creators match a campaign with no rule yet)
        assert page.locator("#match-count").inner_text() == "2"
        assert t(language, "Basics") in page.locator("#wizard-steps [aria-current=step]").inner_text()
        page.locator("#id_title").fill("Linen summer")
        page.locator("#id_what_to_say").fill("Linen breathes.")
        _no_overflow(page, f"{name}-1-basics")
        _next(page)
        page.get_by_text(t(language, "Draft saved.")).wait_for()
        # Creators wanted: choices, and the count follows them (htmx) before anything is saved
        page.locator("input[name=networks][value=instagram]").check()
        page.locator("select[name=countries]").select_option("FR")
        page.wait_for_function("() => document.querySelector('#match-count').innerText === '1'")
        # languages by name: nobody writes German; lea.fr writes French
        languages = page.locator("select[name=languages]")
        languages.select_option(label=LANGUAGE_NAMES[language]["de"])
        page.wait_for_function("() => document.querySelector('#match-count').innerText === '0'")
        languages.select_option(label=LANGUAGE_NAMES[language]["fr"])
        page.wait_for_function("() => document.querySelector('#match-count').innerText === '1'")
        page.locator("#id_creators_wanted").fill("3")
        _no_overflow(page, f"{name}-2-creators")
        _next(page)
        # Deliverables: network and type from lists; the dates come filled with sensible defaults
        assert page.locator("#id_applications_close_on").input_value() != ""
        page.locator("select[name=network_0]").select_option("instagram")
        page.locator("select[name=kind_0]").select_option("reel")
        page.locator("#id_mandatory_mentions").fill("@maisonverte")
        _no_overflow(page, f"{name}-3-deliverables")
        _next(page)
        # Product & budget: a fee, a product, a cover photo; the estimated cost follows the fee
        page.locator("input[name=compensation][value=fee]").check()
        page.locator("#id_fee").fill("150")
        page.locator("#id_fee").dispatch_event("change")
        cost = "€450.00" if language == "en-GB" else "450,00\u00a0€"
        page.wait_for_function(
            f"() => document.querySelector('#estimated-cost').innerText.replace(/\\s/g, ' ') === "
            f"'{cost}'.replace(/\\s/g, ' ')"
        )
        page.locator("input[name=product_0]").fill("Linen shirt")
        page.locator("input[name=value_0]").fill("59")
        page.locator("input[name=cover]").set_input_files(_cover_png())
        _no_overflow(page, f"{name}-4-product")
        _next(page)
        # Preview: the creators' brief with the cover, then publish
        page.locator("#brief").wait_for()
        assert page.locator("#campaign-cover").is_visible()
        assert "@maisonverte" in page.locator("#brief").inner_text()
        _no_overflow(page, f"{name}-5-preview")
        page.locator("#publish").click()
        page.wait_for_load_state()
        with translation.override(language[:2]):
            open_label = str(Campaign(state="open").get_state_display())
        assert page.locator("#campaign-state").inner_text() == open_label
        campaign = Campaign.objects.get(title="Linen summer")
        assert (campaign.state, campaign.countries, campaign.creators_wanted) == ("open", ["FR"], 3)
        assert campaign.languages == ["fr"]
        assert campaign.deliverables == [{"network": "instagram", "kind": "reel", "count": 1}]
        assert CampaignPhoto.objects.filter(campaign=campaign, kind="cover").count() == 1
        _no_overflow(page, f"{name}-6-published")
    finally:
        context.close()
