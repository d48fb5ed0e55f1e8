"""The reports list: each campaign's headline figures are its report page's, kept by the refresh and read
back without computing a report."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import Sale
from microreach.web.reporting import selectors, services
from microreach.web.reporting.models import ReportRefresh
from tests.web.campaigns import helpers as h
from tests.web.reporting.world import campaign, finished_campaign

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 11, 21, 8, 40, tzinfo=UTC)


def _list_cells(html: str, campaign_id: int) -> dict[str, str]:
    row = html[html.index(f'data-campaign="{campaign_id}"') :].split("</tr>")[0]
    cells = {}
    for key in ("engagements", "spend"):
        start = row.index(f'<td class="report-{key}">') + len(f'<td class="report-{key}">')
        cells[key] = row[start : row.index("</td>", start)]
    return cells


def _page_figures(client, campaign_id: int) -> tuple[dict, dict]:
    summary = client.get(f"/api/reports/campaigns/{campaign_id}").json()["summary"]
    values = {m["key"]: m["value"] for m in summary if m["key"] in selectors.HEADLINE}
    shown = {m["key"]: m["shown"] for m in summary if m["key"] in selectors.HEADLINE}
    return values, shown


def _assert_list_equals_pages(client, tenant, campaign_ids: list[int]) -> None:
    html = client.get("/reports/").content.decode()
    api = {r["campaign_id"]: r for r in client.get("/api/reports/campaigns").json()}
    for campaign_id in campaign_ids:
        values, shown = _page_figures(client, campaign_id)
        assert {k: api[campaign_id]["summary"][k] for k in selectors.HEADLINE} == values
        row = next(r for r in selectors.report_campaigns(tenant=tenant) if r.campaign_id == campaign_id)
        assert row.shown == shown
        assert _list_cells(html, campaign_id) == {
            "engagements": shown["engagements"],
            "spend": shown["spend"],
        }


def test_list_figures_equal_each_report_pages_and_follow_a_refresh(brand, finished, brand_client):
    # given two finished campaigns of the brand, with other fees and posts
    admin, org = brand
    tenant = tenant_for(admin)
    other = finished_campaign(org, handle_a="other_a")
    other.app_a.agreed_fee = Decimal("333.00")
    other.app_a.save(update_fields=["agreed_fee"])
    ids = [finished.campaign.pk, other.campaign.pk]
    # when the brand opens the list, then each report, then the list again
    # then every headline figure of each line is its report page's, value and text
    _assert_list_equals_pages(brand_client, tenant, ids)
    assert _page_figures(brand_client, ids[1])[1]["spend"] == "€679.90"
    # and when a sale arrives and the worker refreshes that campaign, the line follows its page
    Sale.objects.create(
        organisation=org,
        campaign=finished.campaign,
        order_ref="o9",
        amount=Decimal("80.00"),
        commission=Decimal("8.00"),
        sold_on=date(2026, 10, 7),
    )
    services.report_refresh(campaign_id=finished.campaign.pk, now=WHEN)
    _assert_list_equals_pages(brand_client, tenant, ids)
    assert _page_figures(brand_client, ids[0])[1]["spend"] == "€454.90"


def test_list_reads_kept_figures_without_computing_a_report(
    finished, brand_client, monkeypatch, django_assert_max_num_queries
):
    # given the list opened once (the campaign's figures computed and kept)
    brand_client.get("/reports/")
    kept = ReportRefresh.objects.get()

    def no_report(**_kwargs):
        raise AssertionError("the list computed a report")

    monkeypatch.setattr(selectors, "campaign_report", no_report)
    # when the brand opens it again
    with django_assert_max_num_queries(12):
        html = brand_client.get("/reports/").content.decode()
    # then its line shows the kept figures, and nothing was stored again
    assert _list_cells(html, finished.campaign.pk) == {"engagements": "1,020", "spend": "€446.90"}
    assert ReportRefresh.objects.get().refreshed_at == kept.refreshed_at


def test_list_computes_again_figures_kept_under_other_rules_or_tables(finished, brand_client):
    # given figures kept under an older basis (other report rules or EMV/FX tables), and wrong by now
    services.report_refresh(campaign_id=finished.campaign.pk, now=WHEN)
    ReportRefresh.objects.update(figures_basis="report-rules-2025 emv=old fx=old", summary={"spend": "1.00"})
    # when the brand opens the list
    html = brand_client.get("/reports/").content.decode()
    # then the report was computed again under today's basis
    refresh = ReportRefresh.objects.get()
    assert refresh.figures_basis == selectors.report_figures_basis() and refresh.refreshed_at > WHEN
    assert _list_cells(html, finished.campaign.pk) == {"engagements": "1,020", "spend": "€446.90"}


def test_list_names_every_campaign_and_says_when_a_report_starts(brand, finished, brand_client):
    # given a draft and a campaign open for applications beside a finished one
    _admin, org = brand
    draft = campaign(org, title="Autumn draft", state="draft")
    open_ = campaign(org, title="Winter casting", state="open")
    # when the brand opens the reports list, in English then in French, and the API's list
    html = brand_client.get("/reports/").content.decode()
    french = brand_client.get("/reports/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    api = {r["campaign_id"]: r for r in brand_client.get("/api/reports/campaigns").json()}
    # then every campaign is listed; those not running yet with their state and when the report starts,
    # no figure, no dash and no report button
    for c, state in ((draft, "Draft"), (open_, "Open for applications")):
        row = html[html.index(f'data-campaign="{c.pk}"') :].split("</tr>")[0]
        assert f"<td>{c.title}</td><td>{state}</td>" in row
        assert (
            '<td class="report-note" colspan="3">No report yet: it starts when the campaign runs.</td>' in row
        )
        assert "—" not in row and "report-engagements" not in row and "/reports/campaigns/" not in row
        assert f'href="/campaigns/{c.pk}/"' in row
        assert api[c.pk] == {
            "campaign_id": c.pk,
            "title": c.title,
            "state": c.state,
            "refreshed_at": None,
            "summary": {},
            "has_report": False,
            "report_note": "No report yet: it starts when the campaign runs.",
        }
    assert "<td>Winter casting</td><td>Ouverte aux candidatures</td>" in french
    # and the finished campaign keeps its figures and its keys, with the new fields
    done = api[finished.campaign.pk]
    assert set(done) == {
        "campaign_id",
        "title",
        "state",
        "refreshed_at",
        "summary",
        "has_report",
        "report_note",
    }
    assert (done["has_report"], done["report_note"], done["summary"]["spend"]) == (True, "", "446.90")
    assert not ReportRefresh.objects.filter(campaign__in=[draft, open_]).exists()


def test_the_list_puts_campaigns_with_a_report_first_running_ones_on_top(client_for):
    # given campaigns created in this order (newest first would put the draft and the open one on top)
    user, tenant = h.brand()
    made = {}
    for state in ("cancelled", "completed", "closed", "running", "open", "draft"):
        made[state] = h.campaign_in_state(tenant, state, title=f"{state} campaign")
    # when the brand opens its reports
    html = client_for(user).get("/reports/").content.decode()
    shown = [int(pk) for pk in re.findall(r'data-campaign="(\d+)"', html)]
    # then the running campaign comes first, then the completed, closed and cancelled ones, and the
    # campaigns without a report yet (newest first: the draft, then the open one) come last
    order = ("running", "completed", "closed", "cancelled", "draft", "open")
    assert shown == [made[s].pk for s in order]
