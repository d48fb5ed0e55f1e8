"""campaigns/dashboard.py: the brand's home lists its campaigns, each opening its page."""

from __future__ import annotations

import re

import pytest

from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_each_campaign_on_the_brand_home_opens_its_page(client_for):
    # given a brand with a published campaign
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, title="Winter bedding")
    # when the brand reads its home
    html = client_for(user).get("/accounts/home/").content.decode()
    # then the campaign's title is a link to the campaign (the next step: its applicants, its brief)
    assert f'<a href="/campaigns/{campaign.pk}/">Winter bedding</a>' in html
    # and its other cells stay plain text
    row = html.split(f'<a href="/campaigns/{campaign.pk}/">')[1].split("</tr>")[0]
    assert row.count("<a ") == 0


def test_the_brand_home_lists_live_campaigns_before_the_ended_ones(client_for):
    # given campaigns created in this order: the newest ended ones would fill a newest-first box
    user, tenant = h.brand()
    made = {}
    for state in ("draft", "open", "closed", "running", "completed", "cancelled", "cancelled"):
        made.setdefault(state, []).append(h.campaign_in_state(tenant, state, title=f"{state} {len(made)}"))
    # when the brand reads its home
    html = client_for(user).get("/accounts/home/").content.decode()
    shown = [int(pk) for pk in re.findall(r'<a href="/campaigns/(\d+)/">', html)]
    # then its five rows are the live ones, running first, then open, closed, draft, then the newest ended
    expected = [made[s][0].pk for s in ("running", "open", "closed", "draft")] + [made["cancelled"][-1].pk]
    assert shown == expected


def test_the_campaign_list_page_lists_live_campaigns_first_as_the_home_does(client_for):
    # given campaigns created in this order, ended ones last (newest first would put them on top)
    user, tenant = h.brand()
    made = {}
    for state in ("draft", "open", "closed", "running", "completed", "cancelled"):
        made[state] = h.campaign_in_state(tenant, state, title=f"{state} campaign")
    # when the brand opens its campaign list
    html = client_for(user).get("/campaigns/").content.decode()
    shown = [int(pk) for pk in re.findall(r'<a href="/campaigns/(\d+)/">', html)]
    # then every campaign is listed, the running one first and the ended ones last, newest ended first
    order = ("running", "open", "closed", "draft", "cancelled", "completed")
    assert shown == [made[s].pk for s in order]
