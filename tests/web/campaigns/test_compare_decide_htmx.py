"""The comparison's Accept / Decline / Shortlist update the column in place with htmx (its Decision cell,
and its State cell out of band), and still work without JavaScript (a post, then the comparison again)."""

from __future__ import annotations

import pytest
from django.test import Client

from microreach.web.campaigns.models import Application
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _world():
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=5)
    apps = [h.apply(campaign, score=s)[1] for s in (80.0, 70.0)]
    web = Client()
    web.force_login(user)
    back = f"/campaigns/{campaign.pk}/compare/?id={apps[0].pk}&id={apps[1].pk}"
    return web, apps, back


def test_comparison_buttons_target_their_own_decision_cell():
    web, apps, back = _world()
    html = web.get(back).content.decode()
    for app in apps:
        assert f'<td class="decide" id="decide-{app.pk}">' in html
        assert f'<td class="application-state" id="state-{app.pk}">' in html
        assert (
            f'hx-post="/campaigns/applications/{app.pk}/decide/accept/" hx-target="#decide-{app.pk}"' in html
        )
        assert f'formaction="/campaigns/applications/{app.pk}/decide/decline/"' in html


def test_comparison_decision_with_htmx_answers_the_cell_and_the_state_out_of_band():
    web, apps, back = _world()
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": f"decide-{apps[1].pk}"}
    response = web.post(f"/campaigns/applications/{apps[1].pk}/decide/accept/", {"next": back}, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<td class="decide" id="decide-{apps[1].pk}">')
    assert "Creator accepted." in html and "<tr" not in html
    assert f'<td class="application-state" id="state-{apps[1].pk}" hx-swap-oob="true">Accepted</td>' in html
    assert 'aria-label="Accept @' not in html  # decided: no more buttons in that column
    assert Application.objects.get(pk=apps[1].pk).state == "accepted"
    # shortlisting keeps the buttons (Accept / Decline), and the comparison's address stays their way back
    headers["HTTP_HX_TARGET"] = f"decide-{apps[0].pk}"
    again = web.post(
        f"/campaigns/applications/{apps[0].pk}/decide/shortlist/", {"next": back}, **headers
    ).content.decode()
    assert "Shortlisted." in again and f'aria-label="Accept @{apps[0].account.handle}"' in again
    assert f'name="next" value="{back.replace("&", "&amp;")}"' in again
    # a refused decision says why in the cell, nothing changed
    headers["HTTP_HX_TARGET"] = f"decide-{apps[1].pk}"
    refused = web.post(f"/campaigns/applications/{apps[1].pk}/decide/decline/", **headers).content.decode()
    assert 'class="row-note error"' in refused
    assert Application.objects.get(pk=apps[1].pk).state == "accepted"


def test_comparison_decision_without_javascript_comes_back_to_the_comparison():
    web, apps, back = _world()
    response = web.post(f"/campaigns/applications/{apps[0].pk}/decide/decline/", {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Application.objects.get(pk=apps[0].pk).state == "declined"
    page = web.get(back).content.decode()
    assert "Application declined." in page
    assert f'<td class="application-state" id="state-{apps[0].pk}">Declined</td>' in page
