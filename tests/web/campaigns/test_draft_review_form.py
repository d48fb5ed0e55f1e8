"""The brand's review of a draft on the application page: its fields named in the reader's language, and the
wording box only where the draft's checks ask for it."""

from __future__ import annotations

import re

import pytest

from microreach.web.campaigns.services.deliverable import draft_submit
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _review_forms(html: str) -> list[str]:
    return re.findall(r'<form method="post" action="/campaigns/drafts/\d+/review/">.*?</form>', html, re.S)


def test_a_compliant_draft_is_reviewed_without_the_wording_box_and_with_a_decision_label(client_for):
    # given a draft that passes its checks, read by the brand in French
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    draft = draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK
    )
    assert draft.check_status != "confirm"
    page = client_for(user).get(f"/campaigns/applications/{app.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    [form] = _review_forms(page.content.decode())
    # then the decision is labelled in French and no wording box asks for a confirmation nothing needs
    assert '<label for="id_decision">Décision\n' in form
    assert 'for="id_decision">Decision' not in form
    assert 'name="confirm_wording"' not in form


def test_a_draft_with_an_equivalent_wording_asks_the_brand_to_confirm_it(client_for):
    # given a draft whose disclosure wording is an equivalent one ('#pub'), which the brand must confirm
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    draft = draft_submit(
        tenant=creator_tenant,
        application_id=app.pk,
        deliverable="instagram reel 1",
        caption="#pub Ma chemise @maisonverte #lin",
    )
    assert draft.check_status == "confirm"
    client = client_for(user)
    [form] = _review_forms(client.get(f"/campaigns/applications/{app.pk}/").content.decode())
    # then the box is there, and approving without it is still refused
    assert 'name="confirm_wording"' in form and '<label for="id_decision">Decision\n' in form
    client.post(f"/campaigns/drafts/{draft.pk}/review/", {"decision": "approve"})
    draft.refresh_from_db()
    assert draft.review_state == "submitted"
    client.post(f"/campaigns/drafts/{draft.pk}/review/", {"decision": "approve", "confirm_wording": "on"})
    draft.refresh_from_db()
    assert draft.review_state == "approved"
