"""On a phone (390×844) the site menu is one line that opens onto the links, and the applicants' bulk actions
are folded so that the first applicant is on the first screen; on a 1366-px laptop both are shown in full
and the applicants' filter menus show their whole choice ("Toutes les catégories"). English and French."""

from __future__ import annotations

import pytest

from microreach.web.accounts.tenancy import tenant_for
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

# Filter menus whose chosen option is wider than the menu shows it (the text cut: "Toutes les catégo").
CUT_SELECTS = """() => Array.from(document.querySelectorAll('#applicants-filters select')).filter((s) => {
  const style = getComputedStyle(s);
  const canvas = document.createElement('canvas').getContext('2d');
  canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return canvas.measureText(s.options[s.selectedIndex].text).width > room + 1;
}).map((s) => s.name + ': ' + s.options[s.selectedIndex].text)"""


@pytest.mark.parametrize("language", ["en-GB", "fr-FR"])
def test_phone_menu_folds_and_applicants_come_first(browser, live_server, language):
    # given a brand with a campaign and three applicants
    user = factories.member(username="claire")
    campaign = h.open_campaign(tenant_for(user), title="Linen summer", creators_wanted=8, budget="20000")
    for i in range(3):
        h.apply(campaign, score=60.0 + i, handle=f"creator.{i}")
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    lang = language[:2]
    try:
        log_in(page, "claire")
        # when she opens the applicants on a phone
        page.goto(f"/campaigns/{campaign.pk}/applicants/")
        screenshot(page, f"phone-applicants-{lang}-390")
        # then the menu is one line (the name and "Menu"), its links hidden until it is opened
        nav = page.locator("nav.top")
        assert nav.bounding_box()["height"] <= 60, nav.bounding_box()
        campaigns_link = nav.locator("a[href='/campaigns/']")
        assert not campaigns_link.is_visible()
        # the bulk actions are folded: the first applicant starts on the first screen
        assert not page.locator("#bulk-accept").is_visible()
        first_row = page.locator("#applicants tbody tr").first.bounding_box()
        assert first_row["y"] < PHONE["height"], first_row
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        # opening either shows what it holds
        nav.locator("summary").click()
        assert campaigns_link.is_visible()
        page.locator("nav.top").screenshot(path=str(_path(f"phone-menu-open-{lang}-390")))
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator("#bulk-fold summary").click()
        assert page.locator("#bulk-accept").is_visible()
        # and on a laptop everything is shown, no "Menu" to open, and no filter choice is cut
        page.set_viewport_size(LAPTOP)
        page.goto(f"/campaigns/{campaign.pk}/applicants/")
        screenshot(page, f"laptop-applicants-{lang}-1366")
        assert campaigns_link.is_visible() and not nav.locator("summary").is_visible()
        assert (
            page.locator("#bulk-accept").is_visible() and not page.locator("#bulk-fold summary").is_visible()
        )
        # (one row in English; the longer French names wrap onto a second one, as before)
        assert nav.bounding_box()["height"] <= (100 if lang == "en" else 150), nav.bounding_box()
        assert page.evaluate(CUT_SELECTS) == []
    finally:
        context.close()


def _path(name: str):
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
