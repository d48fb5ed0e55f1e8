"""The applicants list and the comparison never make the page scroll sideways: on a 1280-px screen and on a
phone (390×844) the document is no wider than the window (wide tables scroll in their own box or become
cards); the row buttons are real buttons reachable with the keyboard."""

from __future__ import annotations

import pytest

from microreach.web.accounts.tenancy import tenant_for
from tests import factories
from tests.browser.conftest import SCREENSHOTS, log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _overflow(page) -> tuple[int, int]:
    return page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_applicants_and_comparison_have_no_horizontal_overflow(browser, live_server, viewport):
    user = factories.member(username="claire")
    tenant = tenant_for(user)
    campaign = h.open_campaign(tenant, title="Linen summer", creators_wanted=10)
    apps = [
        h.apply(campaign, score=60.0 + i, handle=f"a.really.long.creator.handle.{i:02d}")[1]
        for i in range(12)
    ]
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "claire")
        page.goto(f"/campaigns/{campaign.pk}/applicants/")
        scroll_width, width = _overflow(page)
        screenshot(page, f"applicants-{viewport}")
        page.screenshot(path=str(SCREENSHOTS / f"applicants-{viewport}-first-screen.png"))
        assert scroll_width <= width, (viewport, "applicants", scroll_width, width)
        # the row's Accept is a real button, reached with the keyboard and pressed with Enter;
        # the row is swapped in place and the focus stays in it
        accept = page.get_by_role("button", name=f"Accept @{apps[11].account.handle}")
        accept.focus()
        page.keyboard.press("Enter")
        row = page.locator(f"#row-{apps[11].pk}")
        row.get_by_text("Creator accepted.").wait_for()
        # (htmx moves the focus once the swap has settled: wait for it, a timeout fails the test)
        page.wait_for_function(f"() => document.activeElement.closest('#row-{apps[11].pk}') !== null")
        ids = "&".join(f"id={a.pk}" for a in apps[:5])
        page.goto(f"/campaigns/{campaign.pk}/compare/?{ids}")
        scroll_width, width = _overflow(page)
        screenshot(page, f"compare-{viewport}")
        assert scroll_width <= width, (viewport, "compare", scroll_width, width)
    finally:
        context.close()
