"""What a creator's token is told when it asks for a brand's things: why, and where its own are."""

from __future__ import annotations

import pytest

from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_a_creator_asking_for_a_brands_campaigns_is_told_where_theirs_are(client_for):
    user, _tenant, _account = h.audited_creator()
    _brand_user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator = client_for(user)
    response = creator.get("/api/campaigns")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "brand_side_only" and "/api/campaigns/feed" in error["message"]
    # a campaign named by its id answers as another brand's would (its existence is not said)
    assert creator.get(f"/api/campaigns/{campaign.pk}/applicants").status_code == 404
    # and their own feed answers
    assert creator.get("/api/campaigns/feed").status_code == 200


def test_a_creator_asking_for_anothers_audit_is_told_it_is_not_among_their_profiles(client_for):
    user, _tenant, mine = h.audited_creator(handle="lea.mine")
    _other, _other_tenant, theirs = h.audited_creator(handle="tom.theirs")
    creator = client_for(user)
    assert creator.get(f"/api/audits/instagram/{mine.handle}").status_code == 200
    # the same answer whether the profile exists or not, saying where it was looked for
    for handle in (theirs.handle, "nobody.at.all"):
        response = creator.get(f"/api/audits/instagram/{handle}")
        assert response.status_code == 404
        assert response.json()["error"]["message"] == (
            f"No Instagram account @{handle} among the profiles you claimed."
        )
