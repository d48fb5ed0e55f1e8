"""The applicants table on a 1366-px laptop, in English and in French: the State and the Proposed fee of
every row are inside the window and not under the sticky Decision column, no figure is cut, and a decided
row says the decision taken in its Decision cell (accepted, declined, withdrawn), also right after Accept."""

from __future__ import annotations

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import Application, Campaign
from microreach.web.campaigns.services.application import (
    application_accept,
    application_decline,
    application_withdraw,
)
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1366, "height": 768}

# A row's fee cell, the state (or decision taken) shown in its Decision cell, and that cell: [left, right].
BOXES = """(rowId) => {
  const row = document.getElementById(rowId);
  const box = (sel) => { const r = row.querySelector(sel).getBoundingClientRect(); return [r.left, r.right]; };
  return {fee: box('td.applicant-fee'), decision: box('td.row-actions'),
          state: box('td.row-actions .decision-taken, td.row-actions .application-state'),
          width: window.innerWidth};
}"""

# Cells whose text is wider than the cell (cut, or spilling under the next one).
CUT = """() => Array.from(document.querySelectorAll('#applicants td')).filter(
  (td) => td.scrollWidth > td.clientWidth + 1).map((td) => td.className + ': ' + td.textContent.trim())"""


def _world():
    user = factories.member(username="claire")
    brand = tenant_for(user)
    campaign = h.open_campaign(brand, title="Linen summer", creators_wanted=8, budget="20000")
    apps = [
        h.apply(campaign, score=60.0 + i, handle=f"a.really.long.creator.handle.{i:02d}") for i in range(6)
    ]
    Application.objects.filter(campaign=campaign).update(sponsored_share=0.16, proposed_fee="3750.00")
    # paid in product, one applicant asking no fee: the longest fee cell ("aucune rémunération demandée")
    Campaign.objects.filter(pk=campaign.pk).update(compensation="product", fee=None)
    Application.objects.filter(pk=apps[5][1].pk).update(proposed_fee=None)
    application_accept(tenant=brand, application_id=apps[0][1].pk)
    application_decline(tenant=brand, application_id=apps[1][1].pk)
    creator, withdrawn = apps[2]
    application_withdraw(tenant=creator, application_id=withdrawn.pk)
    return campaign, [a for _t, a in apps]


@pytest.mark.parametrize("language", ["en-GB", "fr-FR"])
def test_state_and_fee_are_in_sight_at_1366_px_and_decided_rows_say_the_decision(
    browser, live_server, language
):
    campaign, apps = _world()
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    lang = language[:2]
    try:
        log_in(page, "claire")
        page.goto(f"/campaigns/{campaign.pk}/applicants/?sort=handle&dir=asc")
        screenshot(page, f"applicants-1366-{lang}")
        # then every row's fee is inside the window, left of the sticky Decision column, and its state is
        # inside the Decision cell, itself inside the window
        for app in apps:
            boxes = page.evaluate(BOXES, f"row-{app.pk}")
            decision_left, decision_right = boxes["decision"]
            assert 0 <= boxes["fee"][0] and boxes["fee"][1] <= decision_left + 1, (lang, app.pk, boxes)
            assert decision_left <= boxes["state"][0] and boxes["state"][1] <= decision_right, (lang, boxes)
            assert decision_right <= boxes["width"], (lang, app.pk, boxes)
        # no figure is cut
        assert page.evaluate(CUT) == [], lang
        # a decided row says the decision taken where the buttons were
        decisions = {
            "en": ("Accepted", "Declined", "Withdrawn"),
            "fr": ("Accepté", "Refusé", "Retiré"),
        }[lang]
        for app, said in zip(apps[:3], decisions, strict=True):
            cell = page.locator(f"#row-{app.pk} td.row-actions")
            assert cell.locator("button").count() == 0 and said in cell.inner_text(), (lang, said)
        # when the brand accepts an applicant, its Decision cell says so in place of the buttons
        page.locator(f"#row-{apps[3].pk} td.row-actions button").first.click()
        decided = page.locator(f"#row-{apps[3].pk} td.row-actions .decision-taken")
        decided.wait_for()
        assert decided.inner_text() == decisions[0]
        screenshot(page, f"applicants-1366-{lang}-after-accept")
    finally:
        context.close()
