"""The messages a page shows after an action (base.html's ul.messages): a coloured box, without a list
bullet beside it."""

from __future__ import annotations

import pytest

from microreach.web.campaigns.services.deliverable import draft_submit
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_message_after_an_action_has_no_list_bullet(page):
    # given a draft waiting for the brand's review
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, user.username, next_path=f"/campaigns/applications/{app.pk}/")
    # when the brand asks for changes without saying which
    form = page.locator("form[action*='/review/']")
    form.locator("select[name=decision]").select_option("changes")
    form.locator("button[type=submit]").click()
    message = page.locator("ul.messages li.error")
    message.wait_for()
    screenshot(page, "message-error-laptop")
    # then the message is a box of its own, with no bullet beside it
    assert message.evaluate("li => getComputedStyle(li).listStyleType") == "none"
