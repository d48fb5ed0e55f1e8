"""Pictures as a brand sees them: an avatar on each search card, the avatar and recent-post thumbnails on
the audit page, and a creator's image draft shown inline on the application page — every picture loaded
(naturalWidth > 0), sized before it loads, and no page wider than the window."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from microreach.web.accounts.tenancy import tenant_for
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h
from tests.web.test_same_figures import build_world

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LOADED = "imgs => imgs.map(i => [i.complete && i.naturalWidth > 0, i.getAttribute('width'), i.naturalWidth])"


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def _loaded(locator) -> list[list[object]]:
    # Lazy pictures load when they come near the window. An htmx swap still settling (the live search)
    # may replace an element between finding and scrolling it: the locator then finds the new one.
    locator.page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling')")
    for i in range(locator.count()):
        _scroll_to(locator.nth(i))
    locator.page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].every(i => i.complete)", arg=_selector(locator)
    )
    return locator.evaluate_all(LOADED)


def _scroll_to(element, attempts: int = 3) -> None:
    for attempt in range(attempts):
        try:
            element.scroll_into_view_if_needed()
            return
        except PlaywrightError as exc:
            if "not attached to the DOM" not in str(exc) or attempt == attempts - 1:
                raise


def _selector(locator) -> str:
    return str(locator).split("selector='")[1].rstrip("'>")


def _no_overflow(page) -> None:
    scroll_width, width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= width, (page.url, scroll_width, width)


def _image_draft(world) -> int:
    app = world["apps"]["lea.cuisine"]
    brand = tenant_for(world["brand"])
    creator = tenant_for(app.account.creator.claimed_by)
    h.shipment_confirm_address(
        tenant=creator,
        application_id=app.pk,
        variant="M",
        recipient="Léa Martin",
        street="1 rue des Lilas",
        postcode="69001",
        city="Lyon",
        country="FR",
    )
    h.shipment_mark_shipped(
        tenant=brand, application_id=app.pk, carrier="Colissimo", tracking_number="6A123", cost="7.50"
    )
    h.shipment_mark_received(tenant=creator, application_id=app.pk)
    h.draft_submit(
        tenant=creator,
        application_id=app.pk,
        deliverable="instagram reel 1",
        caption=h.CAPTION_OK,
        media=SimpleUploadedFile("cover.png", _png(1080, 1350), content_type="image/png"),
    )
    return app.pk


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_cards_audit_page_and_draft_show_their_pictures(browser, live_server, tmp_path, viewport):
    world = build_world(tmp_path)
    application_id = _image_draft(world)
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, world["brand"].username, next_path="/discover/")
        # search: each card keeps data-handle and shows its avatar, sized before it loads
        page.locator("#id_q").fill("cuisine")
        card = page.locator('.result-card[data-handle="lea.cuisine"]')
        card.wait_for()
        avatars = page.locator(".result-card img.avatar")
        assert avatars.count() == page.locator(".result-card").count() >= 2
        assert all(a.get_attribute("loading") == "lazy" for a in avatars.all())
        assert all(ok and w == "48" and natural > 0 for ok, w, natural in _loaded(avatars))
        screenshot(page, f"pictures-search-{viewport}")
        _no_overflow(page)
        # the audit page: the avatar in the header, thumbnails of the recent posts
        page.goto("/audits/instagram/lea.cuisine/")
        page.locator("#aqs-score").wait_for()
        assert all(ok for ok, _w, _n in _loaded(page.locator("hgroup img.avatar")))
        thumbs = page.locator("#recent-thumbnails img.thumbnail")
        assert thumbs.count() >= 3
        assert all(ok and w == "120" for ok, w, _n in _loaded(thumbs))
        screenshot(page, f"pictures-audit-{viewport}")
        _no_overflow(page)
        # the application: the submitted image inline, at its own aspect ratio
        page.goto(f"/campaigns/applications/{application_id}/")
        preview = page.locator(".draft-preview img")
        preview.wait_for()
        assert (preview.get_attribute("width"), preview.get_attribute("height")) == ("1080", "1350")
        ((ok, _w, natural),) = _loaded(preview)
        assert ok and natural == 1080
        box = preview.bounding_box()
        assert box is not None and box["width"] <= min(480, VIEWPORTS[viewport]["width"])
        assert abs(box["height"] / box["width"] - 1350 / 1080) < 0.02
        screenshot(page, f"pictures-application-{viewport}")
        _no_overflow(page)
    finally:
        context.close()
