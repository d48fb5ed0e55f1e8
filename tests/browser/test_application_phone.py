"""The application page on a 390-px phone: a long draft caption wraps inside its box in the text's font
(it was a monospace line 841 px wide)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

CAPTION = "Publicité — " + "ma chemise en lin préférée pour l'été " * 6 + "@maisonverte #lin\nDeuxième ligne"


def test_a_long_caption_wraps_in_the_text_font_on_a_phone(page):
    # given a creator whose draft has a long caption
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, products=[])
    creator, app = h.apply(campaign)
    h.advance(brand, creator, app, "accepted")
    from microreach.web.campaigns.services.deliverable import draft_submit

    draft = draft_submit(
        tenant=creator, application_id=app.pk, deliverable="instagram reel 1", caption=CAPTION
    )
    username = h.User.objects.get(pk=creator.user_id).username
    # when they read it on a phone
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, username, next_path=f"/campaigns/applications/{app.pk}/")
    caption = page.locator(f"#draft-{draft.pk} .draft-caption")
    # then it wraps within its box, keeps its line break, in the page's font, and the page does not scroll sideways
    sizes = caption.evaluate("e => [e.scrollWidth, e.clientWidth, e.getClientRects().length, e.offsetHeight]")
    assert sizes[0] <= sizes[1]
    assert caption.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    assert caption.evaluate("e => getComputedStyle(e).fontFamily") == page.evaluate(
        "getComputedStyle(document.body).fontFamily"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
