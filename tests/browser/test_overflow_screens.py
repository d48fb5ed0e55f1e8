"""The main pages of the brand and of the creator never scroll sideways: in English and in French, on a
1280×800 screen and on a phone (390×844), ``document.scrollingElement.scrollWidth <= innerWidth`` on each,
with a full-page screenshot of each saved under data/screenshots/ (``overflow-<lang>-<side>-<viewport>-<page>``).

One context per side and language; the phone pass resizes the same context (the world is built once per
language). A failure lists every page that overflows, with its widths and the widest element."""

from __future__ import annotations

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.services.shipment import shipment_confirm_address
from microreach.web.creators.models import SocialAccount
from tests.browser.conftest import log_in, screenshot
from tests.web.test_same_figures import build_world

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}

# The widest element that sticks out of the window: says what to fix when a page overflows.
WIDEST = """() => {
  const width = window.innerWidth;
  let worst = null;
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && (!worst || right > worst.right)) {
      worst = {right: Math.round(right), tag: el.tagName.toLowerCase(), id: el.id,
               cls: String(el.className || '').slice(0, 60), text: (el.textContent || '').trim().slice(0, 40)};
    }
  }
  return worst;
}"""


def _walk(browser, live_server, language: str, side: str, username: str, paths: dict[str, str]) -> list[str]:
    """Open every page at both sizes; return what overflows (empty when nothing does)."""
    problems: list[str] = []
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.set_default_timeout(20_000)
    lang = language[:2]
    try:
        log_in(page, username)
        for viewport, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            for name, path in paths.items():
                response = page.goto(path)
                assert response is not None and response.status == 200, (path, response and response.status)
                assert page.locator("html").get_attribute("lang") == lang, (path, language)
                scroll_width, width = page.evaluate(
                    "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
                )
                screenshot(page, f"overflow-{lang}-{side}-{viewport}-{name}")
                if scroll_width > width:
                    problems.append(
                        f"{lang} {side} {viewport} {path}: {scroll_width} > {width}, widest {page.evaluate(WIDEST)}"
                    )
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("language", ["en-GB", "fr-FR"])
def test_main_pages_fit_the_screen_on_desktop_and_phone(browser, live_server, tmp_path, language):
    # given a brand whose campaign two audited creators joined, one of them having given her address
    world = build_world(tmp_path)
    campaign = world["campaign"]
    apps = world["apps"]
    lea = SocialAccount.objects.get(handle="lea.cuisine")
    lea_user = lea.creator.claimed_by
    lea_app = apps["lea.cuisine"].pk
    shipment_confirm_address(
        tenant=tenant_for(lea_user),
        application_id=lea_app,
        variant="M",
        recipient="Léa Martin-Dupont de la Grande Maison",
        street="128 boulevard de la République, bâtiment B, escalier 3",
        postcode="69001",
        city="Lyon",
        country="FR",
        phone="+33612345678",
    )
    ids = "&".join(f"id={app.pk}" for app in apps.values())
    brand_pages = {
        "home": "/accounts/home/",
        "inbox": "/inbox/",
        "discover": "/discover/?q=cuisine",
        "creator": f"/discover/creators/{lea.pk}/",
        "audit": "/audits/instagram/lea.cuisine/",
        "campaigns": "/campaigns/",
        "campaign": f"/campaigns/{campaign.pk}/",
        "applicants": f"/campaigns/{campaign.pk}/applicants/",
        "compare": f"/campaigns/{campaign.pk}/compare/?{ids}",
        "application": f"/campaigns/applications/{lea_app}/",
        "shipping": f"/campaigns/{campaign.pk}/shipping/",
        "report": f"/reports/campaigns/{campaign.pk}/",
        "settings": "/accounts/settings/",
    }
    creator_pages = {
        "home": "/accounts/home/",
        "inbox": "/inbox/",
        "profiles": "/creators/mine/",
        "campaigns": "/campaigns/",
        "brief": f"/campaigns/{campaign.pk}/brief/",
        "application": f"/campaigns/applications/{lea_app}/",
        "my-audits": "/audits/mine/",
        "audit": "/audits/instagram/lea.cuisine/",
        "settings": "/accounts/settings/",
    }
    # when the brand, then the creator, opens each at both sizes
    problems = _walk(browser, live_server, language, "brand", world["brand"].username, brand_pages)
    problems += _walk(browser, live_server, language, "creator", lea_user.username, creator_pages)
    # then no page is wider than the window
    assert problems == [], "\n".join(problems)
