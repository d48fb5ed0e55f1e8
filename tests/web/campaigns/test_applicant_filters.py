"""The applicants list's filters: the fake share typed in percent like Discover's (the old fraction
parameter still read), tiers from the list, and a filter that cannot be read shown as an error — and
refused by "apply to all matching", which would otherwise act on every applicant."""

from __future__ import annotations

import pytest
from django.test import Client

from microreach.web.campaigns.models import Application
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _world():
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=10)
    apps = [
        h.apply(campaign, fake=fake, tier=tier, handle=handle)[1]
        for fake, tier, handle in (
            (0.04, "micro", "clean_micro"),
            (0.12, "nano", "some_fakes_nano"),
            (0.31, "micro", "many_fakes_micro"),
        )
    ]
    web = Client()
    web.force_login(user)
    return web, campaign, apps


def _listed(web: Client, campaign, query: str) -> tuple[set[str], str]:
    html = web.get(f"/campaigns/{campaign.pk}/applicants/?{query}").content.decode()
    handles = {name for name in ("clean_micro", "some_fakes_nano", "many_fakes_micro") if f"@{name}" in html}
    return handles, html


def test_fake_share_is_typed_in_percent_and_the_old_fraction_link_still_reads():
    web, campaign, _apps = _world()
    assert _listed(web, campaign, "fake_share_max=15")[0] == {"clean_micro", "some_fakes_nano"}
    assert _listed(web, campaign, "fake_share_max=5")[0] == {"clean_micro"}
    # a link kept from before (max_fake was a fraction) lists the same, and its form shows the percent
    handles, html = _listed(web, campaign, "max_fake=0.15")
    assert handles == {"clean_micro", "some_fakes_nano"}
    assert 'name="fake_share_max" value="15"' in html and 'name="max_fake"' not in html
    assert "Filter “" in _listed(web, campaign, "max_fake=abc")[1]
    # the field says its unit and keeps what was typed
    html = _listed(web, campaign, "fake_share_max=15")[1]
    assert 'name="fake_share_max"' in html and 'placeholder="Max. fake followers (%)"' in html
    assert 'value="15"' in html


def test_tier_is_chosen_from_the_list():
    web, campaign, _apps = _world()
    handles, html = _listed(web, campaign, "tier=micro")
    assert handles == {"clean_micro", "many_fakes_micro"}
    assert '<select name="tier"' in html and '<option value="nano">' in html


def test_a_filter_that_cannot_be_read_is_shown_not_silently_dropped():
    web, campaign, _apps = _world()
    handles, html = _listed(web, campaign, "fake_share_max=250&tier=micro")
    # the valid filter still applies, the invalid one is named with its bound
    assert handles == {"clean_micro", "many_fakes_micro"}
    assert "Filter “Max. fake followers (%)” ignored" in html and "less than or equal to 100." in html
    handles, html = _listed(web, campaign, "tier=gigantic&min_score=abc")
    assert "Filter “Tier” ignored" in html and "Filter “Min. score” ignored" in html


def test_apply_to_all_matching_refuses_a_filter_it_cannot_read():
    web, campaign, apps = _world()
    html = web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/?fake_share_max=abc",
        {"action": "decline", "all_matching": "1"},
        **HTMX,
    ).content.decode()
    assert "Nothing changed: a filter of the list is not valid" in html
    assert "Max. fake followers (%)" in html
    assert {Application.objects.get(pk=a.pk).state for a in apps} == {"applied"}
    # with a filter it can read, it acts on the matching ones only
    html = web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/?fake_share_max=10",
        {"action": "decline", "all_matching": "1"},
        **HTMX,
    ).content.decode()
    assert "1 applicant declined." in html
    assert [Application.objects.get(pk=a.pk).state for a in apps] == ["declined", "applied", "applied"]
