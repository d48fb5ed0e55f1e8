"""The workbook's cells are typed and formatted as the page shows them: dates are dates, money names its
currency, each figure has its unit's format, words are in the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.utils.translation import trans_real
from openpyxl import load_workbook

from microreach.core.reporting import FORMULAS
from microreach.web.reporting import selectors
from microreach.web.reporting.figures import FORMULA_WORDS

pytestmark = pytest.mark.django_db


def _workbook(client, pk: int, language: str = "en"):
    response = client.get(f"/reports/campaigns/{pk}/report.xlsx", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _csv(client, pk: int) -> list[dict[str, str]]:
    return list(
        csv.DictReader(io.StringIO(client.get(f"/reports/campaigns/{pk}/report.csv").content.decode()))
    )


def test_published_on_is_a_date_cell_in_the_workbook_and_iso_in_the_csv(finished, brand_client):
    # given the report's posts, each published on a UTC day
    pk = finished.campaign.pk
    _campaign, report = selectors.report_unscoped(campaign_id=pk)
    days = [row.published_on for row in report.posts]
    # when the brand downloads the workbook in French
    ws = _workbook(brand_client, pk, "fr")["Publications"]
    header = [c.value for c in ws[1]]
    column = header.index("Publié le")
    cells = [row[column] for row in ws.iter_rows(min_row=2)]
    # then "Publié le" holds real dates with a date format, not text
    assert [type(c.value) for c in cells] == [datetime] * 3
    assert [c.value.date() for c in cells] == days
    assert [c.number_format for c in cells] == ["yyyy-mm-dd"] * 3
    # and the CSV keeps its ISO 8601 text
    assert [r["published_on"] for r in _csv(brand_client, pk)] == [d.isoformat() for d in days]


def test_posts_are_named_as_on_the_page_in_the_workbook(finished, brand_client):
    # given the posts as the report page names them ("#27")
    pk = finished.campaign.pk
    _campaign, report = selectors.report_unscoped(campaign_id=pk)
    link_ids = [row.post_id.removeprefix("cp") for row in report.posts]
    html = brand_client.get(f"/reports/campaigns/{pk}/").content.decode()
    assert all(f"<td>#{n}</td>" in html for n in link_ids)
    # when the brand downloads the workbook
    ws = _workbook(brand_client, pk)["Posts"]
    # then its "Post" column says the same references, as text
    assert ws["A1"].value == "Post"
    assert [c.value for c in ws["A"][1:]] == [f"#{n}" for n in link_ids]
    # and the CSV keeps its stable key
    assert [r["post_id"] for r in _csv(brand_client, pk)] == [f"cp{n}" for n in link_ids]


def test_daily_sheet_names_its_running_totals_as_the_page_chart_does(finished, brand_client):
    # given the page's chart of engagements over time, cumulative
    pk = finished.campaign.pk
    _campaign, report = selectors.report_unscoped(campaign_id=pk)
    assert (
        "Engagements over time (cumulative, days in UTC)"
        in brand_client.get(f"/reports/campaigns/{pk}/").content.decode()
    )
    # when the brand downloads the workbook
    rows = list(_workbook(brand_client, pk)["Daily"].iter_rows())
    # then its columns say they are running totals over UTC days
    assert [c.value for c in rows[0]] == [
        "Day (UTC)",
        "Posts measured (cumulative total)",
        "Likes (cumulative total)",
        "Comments (cumulative total)",
        "Shares (cumulative total)",
        "Saves (cumulative total)",
        "Views (cumulative total)",
        "Reach (cumulative total)",
        "Engagements (cumulative total)",
    ]
    # and hold the chart's points: days as dates, counts as integers, the last one the summary's total
    assert [c.value.date() for c in (r[0] for r in rows[1:])] == [p.day for p in report.daily]
    assert {r[0].number_format for r in rows[1:]} == {"yyyy-mm-dd"}
    engagements = [r[8].value for r in rows[1:]]
    assert engagements == [p.engagements for p in report.daily]
    assert all(type(v) is int for v in engagements) and {r[8].number_format for r in rows[1:]} == {"#,##0"}
    assert engagements[-1] == report.total.engagements == 1020


def test_summary_values_have_their_units_format_and_money_names_its_currency(finished, brand_client):
    # given the finished campaign (EUR)
    pk = finished.campaign.pk
    wb = _workbook(brand_client, pk)
    summary = {row[0].value: row for row in wb["Summary"].iter_rows(min_row=2)}
    # then each value has its unit's number format, as "Shown as" reads it
    expected = {
        "Posts published": (int, 3, "#,##0", "3"),
        "Engagements": (int, 1020, "#,##0", "1,020"),
        "Engagement rate (followers)": (float, 0.028333, "0.00%", "2.83%"),
        "Money spent": (float, 446.9, '#,##0.00 "EUR"', "€446.90"),
        "Cost per engagement": (float, 0.44, '#,##0.00 "EUR"', "€0.44"),
        "EMV per unit spent": (float, 0.774446, '0.00"×"', "0.77×"),
    }
    for label, (kind, value, number_format, shown) in expected.items():
        row = summary[label]
        assert (type(row[1].value), row[1].value, row[1].number_format, row[2].value) == (
            kind,
            value,
            number_format,
            shown,
        ), label
    # and money elsewhere names the currency in its format: breakdowns, posts, spend
    creators = list(wb["Creators"].iter_rows(min_row=2))
    spend_column = [c.value for c in next(wb["Creators"].iter_rows(max_row=1))].index("Money spent")
    assert {r[spend_column].number_format for r in creators} == {'#,##0.00 "EUR"'}
    posts_header = [c.value for c in next(wb["Posts"].iter_rows(max_row=1))]
    costs = [r[posts_header.index("Cost (share of the creator's)")] for r in wb["Posts"].iter_rows(min_row=2)]
    assert [(c.value, c.number_format) for c in costs] == [
        (97.95, '#,##0.00 "EUR"'),
        (97.95, '#,##0.00 "EUR"'),
        (249.0, '#,##0.00 "EUR"'),
    ]
    total = next(r for r in wb["Spend"].iter_rows(min_row=2) if r[0].value == "Total")
    assert (total[1].value, total[1].number_format) == (446.9, '#,##0.00 "EUR"')
    # and the CSV names it in a column appended at the end
    rows = _csv(brand_client, pk)
    assert list(rows[0])[-1] == "currency" and {r["currency"] for r in rows} == {"EUR"}


def test_summary_formulas_are_worded_once_for_every_figure_of_the_core():
    assert list(FORMULA_WORDS) == list(FORMULAS)


def test_summary_formulas_are_in_the_readers_language(finished, brand_client, monkeypatch):
    # given a French catalogue that words the cost per thousand views
    pk = finished.campaign.pk
    catalog = trans_real.translation("fr")._catalog
    words, known = {"money spent ÷ views × 1,000": "montant dépensé ÷ vues × 1 000"}, catalog.get
    monkeypatch.setattr(catalog, "get", lambda msgid, default=None: words.get(msgid) or known(msgid, default))
    fr = {row[0]: row[4] for row in _workbook(brand_client, pk, "fr")["Synthèse"].iter_rows(values_only=True)}
    monkeypatch.undo()
    en = {row[0]: row[4] for row in _workbook(brand_client, pk)["Summary"].iter_rows(values_only=True)}
    # then the "Formula" column speaks the reader's words, from the one table of them
    assert fr["Coût pour mille vues"] == "montant dépensé ÷ vues × 1 000"
    assert en["Figure"] == "Formula"
    assert en["Cost per thousand views"] == "money spent ÷ views × 1,000"
    assert en["Likes"] == "Σ likes"
    assert en["Engagement rate (reach)"] == "Σ engagements ÷ Σ reach, posts with a reach"
