"""The creator's campaigns page: the open campaigns a profile fits (or that hold the creator's application)
are listed first; those no profile fits are folded below, each with why."""

from __future__ import annotations

import re

import pytest

from microreach.web.campaigns.models import Application
from microreach.web.campaigns.services.application import application_create
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _titles(html: str, table_id: str) -> list[str]:
    found = re.search(rf'<table[^>]*id="{table_id}"[^>]*>(.*?)</table>', html, re.S)
    return re.findall(r'href="/campaigns/\d+/brief/">([^<]+)</a>', found.group(1)) if found else []


def test_the_campaigns_no_profile_fits_are_folded_below_with_why(client_for):
    _brand_user, brand = h.brand()
    h.open_campaign(brand, title="Linen summer")
    h.open_campaign(brand, title="US only", countries=["US"])
    user, _tenant, _account = h.audited_creator(handle="lea.lin")
    html = client_for(user).get("/campaigns/").content.decode()
    assert _titles(html, "feed") == ["Linen summer"]
    assert _titles(html, "feed-other") == ["US only"]
    assert "1 other open campaign does not fit your profiles: why" in html
    assert "@lea.lin — this profile&#x27;s country (France) is not among the campaign&#x27;s" in html


def test_a_campaign_applied_to_stays_in_the_list_and_none_folded_when_all_fit(client_for):
    _brand_user, brand = h.brand()
    fits = h.open_campaign(brand, title="Linen summer")
    user, tenant, account = h.audited_creator(handle="lea.lin")
    application_create(
        tenant=tenant,
        campaign_id=fits.pk,
        account_id=account.pk,
        pitch="I love linen.",
        accept_brief=True,
        proposed_fee="120",
    )
    assert Application.objects.filter(campaign=fits).exists()
    html = client_for(user).get("/campaigns/").content.decode()
    assert _titles(html, "feed") == ["Linen summer"]
    assert 'id="feed-others"' not in html


def test_when_no_campaign_fits_the_list_says_so_and_the_others_are_below(client_for):
    _brand_user, brand = h.brand()
    h.open_campaign(brand, title="US only", countries=["US"])
    user, _tenant, _account = h.audited_creator(handle="lea.lin")
    html = client_for(user).get("/campaigns/").content.decode()
    assert _titles(html, "feed") == []
    assert "No open campaign fits your profiles right now." in html
    assert _titles(html, "feed-other") == ["US only"]
