from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microreach.web.campaigns import selectors
from microreach.web.campaigns.models import Application
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _campaign_with(scores):
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=50)
    for score in scores:
        h.apply(campaign, score=score, fake=(100 - score) / 200)
    return tenant, campaign


def test_applicants_sort_by_audit_figures_with_missing_figures_last():
    tenant, campaign = _campaign_with([55.0, 91.0, 70.0])
    Application.objects.filter(quality_score=70.0).update(quality_score=None)
    by_score = selectors.applicants_page(
        tenant=tenant, campaign_id=campaign.pk, sort="score", descending=True
    )
    assert [r.application.quality_score for r in by_score.rows] == [91.0, 55.0, None]
    ascending = selectors.applicants_page(
        tenant=tenant, campaign_id=campaign.pk, sort="score", descending=False
    )
    assert [r.application.quality_score for r in ascending.rows] == [55.0, 91.0, None]
    by_fake = selectors.applicants_page(tenant=tenant, campaign_id=campaign.pk, sort="fake", descending=False)
    assert [r.application.fake_share for r in by_fake.rows] == [0.045, 0.15, 0.225]


def test_applicants_page_costs_the_same_queries_for_3_or_30_applicants():
    tenant, small = _campaign_with([50.0] * 3)
    _t2, _big = None, None
    for _ in range(27):
        h.apply(small, score=60.0)
    with CaptureQueriesContext(connection) as ctx:
        page = selectors.applicants_page(tenant=tenant, campaign_id=small.pk, per_page=25)
        [r.application.account.handle for r in page.rows]
    assert (len(page.rows), page.total, page.pages) == (25, 30, 2)
    assert len(ctx.captured_queries) == 6


def test_compare_shows_at_most_five(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=50)
    apps = [h.apply(campaign)[1] for _ in range(6)]
    query = "&".join(f"id={a.pk}" for a in apps)
    response = client_for(user).get(f"/campaigns/{campaign.pk}/compare/?{query}")
    assert response.status_code == 200
    assert len(response.context["apps"]) == 5


def test_compare_without_a_chosen_applicant_says_how_to_choose(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=50)
    h.apply(campaign)
    html = client_for(user).get(f"/campaigns/{campaign.pk}/compare/").content.decode()
    assert 'id="compare-empty"' in html and 'id="compare"' not in html
    assert f'href="/campaigns/{campaign.pk}/applicants/">Open the applicants list</a>' in html


def test_applicants_list_says_figures_are_being_computed_while_audits_run(client_for):
    from microreach.web.jobs.models import Job

    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=50)
    h.apply(campaign, score=60.0)
    web = client_for(user)
    # given no audit running, the list says nothing of indexing
    assert 'data-state="ready"' in web.get(f"/campaigns/{campaign.pk}/applicants/").content.decode()
    # when an audit run is half-way
    Job.objects.create(
        kind="audits.refresh",
        key="audits-refresh:3",
        state=Job.State.RUNNING,
        progress_done=5,
        progress_total=10,
    )
    html = web.get(f"/campaigns/{campaign.pk}/applicants/").content.decode()
    # then the list says so and polls for the end
    assert "Indexing 5 of 10 creators…" in html and 'hx-trigger="every 2s"' in html


def test_applicants_sort_by_engagement_follows_the_engagement_rate_the_column_shows():
    # given three applicants whose ratios to their benchmark are in another order than their rates
    tenant, campaign = _campaign_with([60.0, 61.0, 62.0])
    figures = {60.0: (0.1048, 2.0), 61.0: (0.0575, 3.0), 62.0: (0.0862, 1.0)}
    for score, (rate, ratio) in figures.items():
        Application.objects.filter(quality_score=score).update(
            engagement_rate=rate, engagement_vs_benchmark=ratio
        )
    # when the brand sorts by engagement, ascending then descending
    ascending = selectors.applicants_page(
        tenant=tenant, campaign_id=campaign.pk, sort="engagement", descending=False
    )
    descending = selectors.applicants_page(tenant=tenant, campaign_id=campaign.pk, sort="engagement")
    # then the rates shown read in order
    assert [r.application.engagement_rate for r in ascending.rows] == [0.0575, 0.0862, 0.1048]
    assert [r.application.engagement_rate for r in descending.rows] == [0.1048, 0.0862, 0.0575]


def test_applicant_signals_in_french_put_a_no_break_space_before_the_colon(client_for):
    # given an applicant, read in French
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=50)
    h.apply(campaign, score=80.0)
    html = (
        client_for(user)
        .get(f"/campaigns/{campaign.pk}/applicants/", HTTP_ACCEPT_LANGUAGE="fr")
        .content.decode()
    )
    # then each signal's label reads the French way ('Pod :'), never 'Pod:'
    assert "Publications non signalées\u00a0: <span" in html
    assert "Pod\u00a0: " in html and "Pics de croissance\u00a0: " in html
    assert "Pod: " not in html and "signalées: " not in html
    # and in English as before
    english = client_for(user).get(f"/campaigns/{campaign.pk}/applicants/").content.decode()
    assert "Undisclosed posts: <span" in english and "Growth spikes: " in english


def test_an_applicant_without_a_fee_of_their_own_shows_the_campaign_s_fee(client_for):
    # given a campaign paying 150 € and two applicants: one proposed 120 €, one proposed nothing
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, fee="150.00", creators_wanted=50)
    _t, proposing = h.apply(campaign)
    _t, silent = h.apply(campaign)
    Application.objects.filter(pk=silent.pk).update(proposed_fee=None)
    # when the brand reads the applicants
    html = client_for(user).get(f"/campaigns/{campaign.pk}/applicants/").content.decode()

    def fee_cell(app):
        row = html.split(f'<tr id="row-{app.pk}"')[1]
        return row.split('class="applicant-fee')[1].split("</td>")[0]

    # then the silent applicant's cell says the campaign's fee, as such; the other their own
    assert "€150.00" in fee_cell(silent) and "the campaign’s fee" in fee_cell(silent)
    assert "€120.00" in fee_cell(proposing) and "campaign" not in fee_cell(proposing)
    # and so does the comparison of the two
    compare = client_for(user).get(f"/campaigns/{campaign.pk}/compare/?id={proposing.pk}&id={silent.pk}")
    cells = compare.content.decode().split('class="applicant-fee">')[1:]
    assert "€120.00" in cells[0] and "€150.00" in cells[1] and "the campaign’s fee" in cells[1]


def test_a_campaign_paying_in_product_shows_no_fee_for_an_applicant_without_one(client_for):
    # given a campaign paid in product only, and an applicant who proposed no fee
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, compensation="product", fee=None, creators_wanted=50)
    _t, silent = h.apply(campaign)
    Application.objects.filter(pk=silent.pk).update(proposed_fee=None)
    # when the brand reads the applicants
    html = client_for(user).get(f"/campaigns/{campaign.pk}/applicants/").content.decode()
    cell = html.split(f'<tr id="row-{silent.pk}"')[1].split('class="applicant-fee')[1].split("</td>")[0]
    # then no fee is made up: the campaign pays none (budget.fee_paid), and the cell says so, not "—"
    assert "campaign’s fee" not in cell and "€" not in cell
    assert "no fee asked" in cell and "Product only" in cell and "—" not in cell
    french = client_for(user).get(f"/campaigns/{campaign.pk}/applicants/", HTTP_ACCEPT_LANGUAGE="fr")
    cell = french.content.decode().split(f'<tr id="row-{silent.pk}"')[1].split('class="applicant-fee')[1]
    assert "aucune rémunération demandée" in cell.split("</td>")[0]
