"""A brand invites a shortlist's creators to one of its open campaigns from the shortlist's page
(``discovery.contracts.shortlist_actions``, provided by ``campaigns.dashboard.shortlist_actions``)."""

from __future__ import annotations

import re

import pytest

from microreach.web.campaigns.models import Invitation
from microreach.web.discovery.models import ShortlistEntry
from microreach.web.discovery.services import shortlist_create
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _shortlist(tenant, *accounts):
    shortlist = shortlist_create(tenant=tenant, name="Linen lovers")
    for account in accounts:
        ShortlistEntry.objects.create(
            organisation_id=shortlist.organisation_id, shortlist=shortlist, account_id=account.pk
        )
    return shortlist


def test_the_shortlist_page_invites_its_creators_to_an_open_campaign(client_for):
    # given a brand with an open campaign, a draft, and a shortlist of a signed-up creator and an unclaimed one
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, title="Winter bedding")
    h.campaign_in_state(tenant, "draft", title="Next spring")
    _u, _creator, claimed = h.audited_creator(handle="lea.lin")
    shortlist = _shortlist(tenant, claimed, factories.account(handle="no.account"))
    web = client_for(user)
    # when the brand opens the shortlist, it is offered its open campaigns (not the draft)
    page = web.get(f"/discover/shortlists/{shortlist.pk}/").content.decode()
    form = re.search(r'<article class="shortlist-action">(.*?)</article>', page, re.S)
    assert form is not None and "Invite these creators to a campaign" in form.group(1)
    assert re.findall(r'<option value="(\d+)">([^<]+)</option>', form.group(1)) == [
        (str(campaign.pk), "Winter bedding")
    ]
    # and invites: the signed-up creator is invited, the other skipped, and the campaign's page follows
    response = web.post(
        "/campaigns/invite/", {"shortlist": shortlist.pk, "campaign": campaign.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/campaigns/{campaign.pk}/"
    assert (
        "1 creator invited (0 by e-mail only), 1 skipped (no microreach account, barred or already invited)."
        in response.content.decode()
    )
    assert list(Invitation.objects.filter(campaign=campaign).values_list("account__handle", flat=True)) == [
        "lea.lin"
    ]


def test_no_action_without_an_open_campaign_and_a_draft_is_refused(client_for):
    user, tenant = h.brand()
    draft = h.campaign_in_state(tenant, "draft", title="Next spring")
    _u, _creator, claimed = h.audited_creator(handle="lea.lin")
    shortlist = _shortlist(tenant, claimed)
    web = client_for(user)
    assert 'class="shortlist-action"' not in web.get(f"/discover/shortlists/{shortlist.pk}/").content.decode()
    # a draft posted anyway is refused with the reason, and nobody is invited
    response = web.post("/campaigns/invite/", {"shortlist": shortlist.pk, "campaign": draft.pk}, follow=True)
    assert response.status_code == 200 and not Invitation.objects.exists()
    assert "inviting creators" in response.content.decode()


def test_another_brands_campaign_or_shortlist_is_refused(client_for):
    user, tenant = h.brand()
    _other_user, other = h.brand()
    theirs = h.open_campaign(other, title="Theirs")
    mine = h.open_campaign(tenant, title="Mine")
    _u, _creator, claimed = h.audited_creator(handle="lea.lin")
    my_list = _shortlist(tenant, claimed)
    their_list = _shortlist(other, claimed)
    web = client_for(user)
    assert web.post("/campaigns/invite/", {"shortlist": my_list.pk, "campaign": theirs.pk}).status_code == 404
    # another brand's shortlist is no choice: back to the shortlists with the error, nobody invited
    response = web.post("/campaigns/invite/", {"shortlist": their_list.pk, "campaign": mine.pk})
    assert response.status_code == 302 and response["Location"] == "/discover/shortlists/"
    assert not Invitation.objects.exists()
    # and a campaign id that is no number is a form error, never a server error
    for bad in ("1e99", "99999999999999999999999"):
        response = web.post("/campaigns/invite/", {"shortlist": my_list.pk, "campaign": bad})
        assert response.status_code == 302 and response["Location"] == f"/discover/shortlists/{my_list.pk}/"
