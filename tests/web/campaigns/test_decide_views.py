"""Deciding where the brand looks: the applicants list's bulk actions and row buttons (htmx or not), the
comparison's and the application page's decisions and audit summary, the bulk API."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from microreach.web.campaigns.models import Application
from tests.web.campaigns import helpers as h
from tests.web.campaigns.world import build_world, snapshot

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _states(apps) -> list[str]:
    return [Application.objects.get(pk=a.pk).state for a in apps]


def _world(wanted: int, scores: list[float]):
    user, tenant = h.brand()
    # a budget that holds every fee: the budget's own refusals are tested with it (test_budget.py)
    campaign = h.open_campaign(tenant, creators_wanted=wanted, budget="100000")
    apps = [h.apply(campaign, score=s)[1] for s in scores]
    web = Client()
    web.force_login(user)
    return web, campaign, apps


def test_applicants_page_has_the_selection_form_and_a_decision_per_row():
    web, campaign, apps = _world(5, [80.0, 60.0])
    html = web.get(f"/campaigns/{campaign.pk}/applicants/").content.decode()
    # the hooks stay: table#applicants, each row's first cell a name="id" checkbox with the application id
    table = html[html.index('<table class="compact responsive" id="applicants">') :]
    first_row = table[table.index("<tbody>") :]
    first_cell = first_row[first_row.index("<td>") : first_row.index("</td>")]
    assert f'name="id" value="{apps[0].pk}"' in first_cell
    assert f'action="/campaigns/{campaign.pk}/applicants/bulk/"' in html
    for action in ("compare", "accept", "decline", "shortlist", "approve", "message", "ship"):
        assert f'name="action" value="{action}"' in html
    assert f'hx-post="/campaigns/applications/{apps[1].pk}/decide/accept/"' in html
    assert 'class="table-scroll"' in html


def test_bulk_accept_without_htmx_comes_back_to_the_list_with_its_filters():
    web, campaign, apps = _world(5, [80.0, 60.0, 70.0])
    response = web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/?min_score=65",
        {"action": "accept", "id": [apps[0].pk, apps[2].pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/applicants/?min_score=65"
    assert _states(apps) == ["accepted", "applied", "accepted"]
    page = web.get(response["Location"]).content.decode()
    assert "2 applicants accepted." in page


def test_bulk_with_htmx_answers_the_list_with_each_refused_row_and_changes_nothing():
    # given a campaign wanting 1 creator and 2 applicants
    web, campaign, apps = _world(1, [80.0, 60.0])
    # when the brand accepts both through htmx
    response = web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/",
        {"action": "accept", "id": [apps[0].pk, apps[1].pk]},
        **HTMX,
    )
    # then the list comes back (not a page), saying nothing changed and which row was refused and why
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="applicants-list">') and "<html" not in html
    assert "Nothing changed: 1 row was refused." in html
    refused = re.findall(r'<li data-application="(\d+)" data-code="([a-z_]+)">', html)
    assert refused == [(str(apps[1].pk), "campaign_full")]
    assert _states(apps) == ["applied", "applied"]


def test_bulk_on_all_matching_acts_on_every_applicant_of_the_filters_over_pages():
    web, campaign, apps = _world(40, [90.0] * 27 + [50.0] * 3)
    response = web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/?min_score=80",
        {"action": "accept", "all_matching": "1"},
        **HTMX,
    )
    assert "27 applicants accepted." in response.content.decode()
    assert _states(apps).count("accepted") == 27
    assert set(_states(apps[27:])) == {"applied"}


def test_bulk_compare_opens_the_comparison_of_the_selection():
    web, campaign, apps = _world(5, [80.0, 60.0])
    response = web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/", {"action": "compare", "id": [apps[0].pk, apps[1].pk]}
    )
    assert response["Location"] == f"/campaigns/{campaign.pk}/compare/?id={apps[0].pk}&id={apps[1].pk}"


def test_bulk_without_a_selection_says_so():
    web, campaign, apps = _world(5, [80.0])
    html = web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/", {"action": "decline"}, **HTMX
    ).content.decode()
    assert "Select at least one applicant." in html
    assert _states(apps) == ["applied"]


def test_row_decision_with_htmx_answers_the_row_with_its_new_state():
    web, _campaign, apps = _world(5, [80.0])
    response = web.post(f"/campaigns/applications/{apps[0].pk}/decide/shortlist/", **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="row-{apps[0].pk}" data-state="shortlisted">')
    assert f'name="id" value="{apps[0].pk}"' in html and "Shortlisted." in html
    assert _states(apps) == ["shortlisted"]
    # a refused decision comes back in the row, nothing changed
    web.post(f"/campaigns/applications/{apps[0].pk}/decide/decline/", **HTMX)
    again = web.post(f"/campaigns/applications/{apps[0].pk}/decide/accept/", **HTMX).content.decode()
    assert 'class="row-note error"' in again
    assert _states(apps) == ["declined"]


def test_row_decision_without_htmx_returns_to_the_page_it_came_from():
    web, campaign, apps = _world(5, [80.0, 70.0])
    back = f"/campaigns/{campaign.pk}/compare/?id={apps[0].pk}&id={apps[1].pk}"
    response = web.post(f"/campaigns/applications/{apps[1].pk}/decide/accept/", {"next": back})
    assert response["Location"] == back
    assert _states(apps) == ["applied", "accepted"]
    # an outside address is not followed
    outside = web.post(
        f"/campaigns/applications/{apps[0].pk}/decide/decline/", {"next": "https://evil.example/"}
    )
    assert outside["Location"] == f"/campaigns/{campaign.pk}/applicants/"


def test_comparison_has_a_decision_per_column_and_the_application_page_the_audit_summary():
    web, campaign, apps = _world(5, [80.0, 70.0])
    compare = web.get(f"/campaigns/{campaign.pk}/compare/?id={apps[0].pk}&id={apps[1].pk}").content.decode()
    for app in apps:
        assert f'action="/campaigns/applications/{app.pk}/decide/accept/"' in compare
        assert f'formaction="/campaigns/applications/{app.pk}/decide/decline/"' in compare
    page = web.get(f"/campaigns/applications/{apps[0].pk}/").content.decode()
    assert 'id="application-audit"' in page
    assert re.search(r'class="summary-score"[^>]*>80<', page)


def test_decisions_and_bulk_are_404_to_anyone_but_the_brand():
    w = build_world()
    before = snapshot()
    urls = [
        (f"/campaigns/{w.campaign.pk}/applicants/bulk/", {"action": "decline", "id": [w.applied.pk]}),
        (f"/campaigns/applications/{w.applied.pk}/decide/decline/", {}),
    ]
    for role in ("other_brand", "other_agency", "applicant", "other_creator"):
        client = Client()
        client.force_login(getattr(w, role))
        for url, data in urls:
            assert client.post(url, data).status_code == 404, (role, url)
    assert snapshot() == before
    client = Client()
    client.force_login(w.owner_member)
    assert client.post(*urls[0]).status_code == 302
    assert Application.objects.get(pk=w.applied.pk).state == "declined"


def test_bulk_api_answers_each_row_and_409_when_nothing_changed():
    web, campaign, apps = _world(1, [80.0, 60.0])
    url = f"/api/campaigns/{campaign.pk}/applications/bulk"
    refused = web.post(
        url,
        json.dumps({"action": "accept", "application_ids": [a.pk for a in apps]}),
        content_type="application/json",
    )
    assert refused.status_code == 409
    body = refused.json()
    assert (body["action"], body["done"]) == ("accept", False)
    assert [(r["application_id"], r["ok"], r["code"]) for r in body["rows"]] == [
        (apps[0].pk, True, ""),
        (apps[1].pk, False, "campaign_full"),
    ]
    assert _states(apps) == ["applied", "applied"]
    done = web.post(
        url,
        json.dumps({"action": "decline", "application_ids": [apps[1].pk]}),
        content_type="application/json",
    )
    assert (done.status_code, done.json()["done"]) == (200, True)
    assert _states(apps) == ["applied", "declined"]


def test_fees_are_money_in_the_campaigns_currency_on_every_decision_page():
    web, campaign, apps = _world(5, [80.0, 60.0])
    assert campaign.currency == "EUR"
    for page in (
        f"/campaigns/{campaign.pk}/applicants/",
        f"/campaigns/{campaign.pk}/compare/?id={apps[0].pk}&id={apps[1].pk}",
        f"/campaigns/applications/{apps[0].pk}/",
    ):
        html = web.get(page).content.decode()
        assert "€120.00" in html, page
        assert "120.00 EUR" not in html and ">120.00<" not in html, page
    html = web.get(f"/campaigns/applications/{apps[0].pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "120,00\u00a0€" in html


def test_what_a_creator_is_paid_reads_the_same_on_the_feed_the_brief_and_the_campaign_page(client_for):
    # given a fee campaign and a commission campaign, a creator and the brand
    user, tenant = h.brand()
    fee = h.open_campaign(tenant, title="Linen fee")
    commission = h.open_campaign(
        tenant, title="Linen commission", compensation="affiliate", fee=None, commission_rate="8"
    )
    creator, _tenant, _account = h.audited_creator()
    feed = client_for(creator).get("/campaigns/").content.decode()
    for campaign, said in ((fee, "Fixed fee · €150.00"), (commission, "Affiliate commission · 8%")):
        # then the creators' feed, the brief and the brand's campaign page say the same, amount included
        brief = client_for(creator).get(f"/campaigns/{campaign.pk}/brief/").content.decode()
        detail = client_for(user).get(f"/campaigns/{campaign.pk}/").content.decode()
        for page in (feed, brief, detail):
            assert said in page


def test_the_briefs_deliverables_name_the_network_and_type_as_people_write_them(client_for):
    # given a brief asking for two Instagram reels and one TikTok video
    _user, tenant = h.brand()
    deliverables = [
        {"network": "instagram", "kind": "reel", "count": 2},
        {"network": "tiktok", "kind": "video", "count": 1},
    ]
    campaign = h.open_campaign(tenant, deliverables=deliverables)
    creator, _tenant, _account = h.audited_creator()
    # then the creator reads the networks' and the types' names, not the stored codes
    brief = client_for(creator).get(f"/campaigns/{campaign.pk}/brief/").content.decode()
    assert "2 × Instagram Reel, 1 × TikTok Video" in brief
    assert "instagram reel" not in brief
    french = client_for(creator).get(f"/campaigns/{campaign.pk}/brief/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "2 × Reel Instagram, 1 × Vidéo TikTok" in french.content.decode()  # the French order


def test_the_campaign_list_says_how_many_creators_are_accepted_of_how_many_wanted():
    # given a campaign wanting 5 creators, 2 of them accepted
    web, campaign, apps = _world(5, [80.0, 60.0, 70.0])
    web.post(
        f"/campaigns/{campaign.pk}/applicants/bulk/", {"action": "accept", "id": [apps[0].pk, apps[2].pk]}
    )
    # then the brand's list says it in words, in English and in French
    assert "2 of 5 wanted" in web.get("/campaigns/").content.decode()
    assert "2 sur 5 souhaités" in web.get("/campaigns/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
