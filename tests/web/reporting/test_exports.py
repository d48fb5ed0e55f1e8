"""The page, PDF, XLSX, CSV and JSON show the same figures, to the cent."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from microreach.web.campaigns.models import CampaignPost
from microreach.web.reporting import exports, selectors
from tests import factories
from tests.web.reporting.world import finished_campaign

pytestmark = pytest.mark.django_db
D = Decimal


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _figures(report) -> dict[str, str]:
    from microreach.web.reporting.figures import summary_figures

    return {f.key: f.value for f in summary_figures(report=report)}


def test_report_page_shows_every_figure_with_its_definition(finished, brand_client):
    # when the brand opens the report
    response = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/")
    # then the hand-computed figures are there, each with a definition
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("1,020", "€446.90", "€346.10", "2.83%", "9.20%", "3.50%", "0.50%", "€44.69"):
        assert text in html, text
    assert "Money spent ÷ engagements." in html
    assert "the hourly refresh has not run for this campaign yet" in html
    assert html.count('class="chart"') == 4  # over time, per creator, tier mix, CPE per creator


def test_the_post_tables_link_each_post_and_never_a_non_http_address(finished, brand_client):
    # given a campaign whose posts include one with an http(s) address and one with a hostile address
    links = list(CampaignPost.objects.order_by("pk"))
    CampaignPost.objects.filter(pk=links[-1].pk).update(url="javascript:alert(1)")
    # when the brand reads the report
    html = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/").content.decode()
    # then the post is a link a brand clicks to see it
    assert '<a href="https://www.instagram.com/p/a1/" rel="noopener noreferrer nofollow ugc">' in html
    # and the other address is plain text, never an href
    assert 'href="javascript:' not in html
    assert '<span class="not-a-link">javascript:alert(1)</span>' in html


def test_pdf_text_contains_the_figures_of_the_page(finished, brand_client, needs_pdf):
    _campaign, report = selectors.report_unscoped(campaign_id=finished.campaign.pk)
    response = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _squash(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages))
    assert _squash(f"Report: {finished.campaign.title}") in text
    assert _squash(finished.campaign.organisation.name) in text
    for key, value in _figures(report).items():
        if value != "—":
            assert _squash(value) in text, (key, value)


def test_xlsx_and_csv_agree_with_each_other_and_the_page_to_the_cent(finished, brand_client):
    pk = finished.campaign.pk
    csv_rows = list(
        csv.DictReader(io.StringIO(brand_client.get(f"/reports/campaigns/{pk}/report.csv").content.decode()))
    )
    wb = load_workbook(io.BytesIO(brand_client.get(f"/reports/campaigns/{pk}/report.xlsx").content))
    assert wb.sheetnames == ["Summary", "Creators", "Networks", "Tiers", "Posts", "Daily", "Spend", "Alerts"]
    posts = list(wb["Posts"].iter_rows(values_only=True))
    assert len(posts) - 1 == len(csv_rows) == 3
    keys = [k for k, _u in exports.POST_COLUMNS]
    for csv_row, xlsx_row in zip(csv_rows, posts[1:], strict=True):
        for key, value in zip(keys, xlsx_row, strict=True):
            if key in ("cost", "cpe", "emv"):
                assert D(csv_row[key]) == D(str(value)).quantize(D("0.01")), key
            elif key in ("likes", "comments", "engagements", "reach", "views"):
                assert csv_row[key] == ("" if value is None else str(value)), key
    by_post = {r["post_id"]: r for r in csv_rows}
    assert [by_post[p]["emv"] for p in sorted(by_post)] == ["97.20", "48.60", "200.30"]
    assert [by_post[p]["cost"] for p in sorted(by_post)] == ["97.95", "97.95", "249.00"]
    spend = {row[0]: row[1] for row in wb["Spend"].iter_rows(min_row=2, values_only=True)}
    assert D(str(spend["Total"])) == D("446.90")
    summary = {row[0]: row for row in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Cost per engagement"][2] == "€0.44"
    assert D(str(summary["Earned media value"][1])) == D("346.10")
    creators = list(wb["Creators"].iter_rows(min_row=2, values_only=True))
    # two creators, the unattributed sale's row, then the campaign total: every summed column adds up
    assert [r[0] for r in creators[2:]] == ["Sales without a creator", "Campaign total"]
    assert sum(D(str(r[17])) for r in creators[:3]) == D(str(creators[3][17])) == D("446.90")


def test_spreadsheet_cells_never_run_as_formulas(brand, brand_client):
    _admin, org = brand
    f = finished_campaign(org, handle_a="=HYPERLINK(1)")
    pk = f.campaign.pk
    rows = list(
        csv.DictReader(io.StringIO(brand_client.get(f"/reports/campaigns/{pk}/report.csv").content.decode()))
    )
    assert {r["handle"] for r in rows if r["handle"].startswith("'")} == {"'=HYPERLINK(1)"}
    wb = load_workbook(io.BytesIO(brand_client.get(f"/reports/campaigns/{pk}/report.xlsx").content))
    values = [c.value for row in wb["Posts"].iter_rows() for c in row] + [
        c.value for row in wb["Creators"].iter_rows() for c in row
    ]
    assert "'=HYPERLINK(1)" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert [exports.safe_text(s) for s in ("+1", "-1", "@a", "\tx", "\rx", "ok")] == [
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "ok",
    ]


def test_api_returns_the_report_as_json_with_exact_money(finished, brand_client):
    body = brand_client.get(f"/api/reports/campaigns/{finished.campaign.pk}").json()
    summary = {m["key"]: m for m in body["summary"]}
    assert summary["spend"]["value"] == "446.90" and summary["spend"]["shown"] == "€446.90"
    assert summary["engagements"]["value"] == 1020
    assert summary["cpe"]["definition"] == "Money spent ÷ engagements."
    assert body["status"] == "ok" and len(body["report"]["posts"]) == 3
    # the alerts, as codes with parameters and in words (a2's "#sp" does not disclose in France)
    assert body["alerts"][0] == {
        "severity": "red",
        "code": "non_compliant_posts",
        "params": {"posts": 1, "checked": 2, "share": 50},
        "text": "1 of 2 checked posts are not properly labelled as advertising (disclosure compliance 50%)",
    }


def test_an_empty_campaign_says_no_data_instead_of_zeros(brand, brand_client):
    from tests.web.reporting.world import campaign

    _admin, org = brand
    c = campaign(org, state="running")
    html = brand_client.get(f"/reports/campaigns/{c.pk}/").content.decode()
    assert "No data yet: no post of this campaign has been published." in html
    assert 'data-key="engagements"><header>Engagements</header>\n<div class="figure">no data</div>' in html
    body = brand_client.get(f"/api/reports/campaigns/{c.pk}").json()
    assert body["status"] == "no_data"
    assert {m["key"]: m["value"] for m in body["summary"]}["engagements"] is None


def test_missing_pdf_dependency_is_said_clearly(finished, brand_client, monkeypatch):
    monkeypatch.setattr(exports, "pdf_support", lambda: exports.PdfSupport(False, "OSError: no pango"))
    response = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/report.pdf")
    assert response.status_code == 503
    assert "PDF export is not available on this installation" in response.content.decode()
    page = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/").content.decode()
    assert "report.pdf" not in page and "CSV and XLSX downloads work." in page
    assert "Pango" not in page and "WeasyPrint" not in page  # the reader is not an operator


def test_creator_users_and_other_brands_get_404(finished):
    from django.test import Client

    for user in (factories.creator_user(), factories.member()):
        c = Client()
        c.force_login(user)
        assert c.get(f"/reports/campaigns/{finished.campaign.pk}/").status_code == 404
        assert c.post(f"/reports/campaigns/{finished.campaign.pk}/share/", {"days": 3}).status_code in (
            403,
            404,
            302,
        )
    from microreach.web.reporting.models import ReportShareLink

    assert ReportShareLink.objects.count() == 0


def test_a_currency_without_exchange_rate_keeps_emv_in_euros_and_says_so(finished, brand_client):
    finished.campaign.currency = "CHF"
    finished.campaign.save(update_fields=["currency"])
    html = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/").content.decode()
    assert "No exchange rate for CHF: earned media value stays in euros, 346.10 EUR." in html
    assert "CHF\u00a0446.90" in html
    assert (
        "Not valued in the earned media value (no published rate): Instagram saves, Instagram shares" in html
    )


def test_csv_in_french_opens_in_french_excel_with_the_same_cents(finished, brand_client):
    # given the same report downloaded in English and in French
    pk = finished.campaign.pk
    english = brand_client.get(f"/reports/campaigns/{pk}/report.csv").content.decode("utf-8")
    french = brand_client.get(
        f"/reports/campaigns/{pk}/report.csv", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode("utf-8")
    # then French has a byte order mark, semicolons and decimal commas; the keys and the cents are the same
    assert not english.startswith("\ufeff") and french.startswith("\ufeff")
    en_rows = list(csv.DictReader(io.StringIO(english)))
    fr_rows = list(csv.DictReader(io.StringIO(french.removeprefix("\ufeff")), delimiter=";"))
    assert list(fr_rows[0]) == list(en_rows[0]) == [*(k for k, _u in exports.POST_COLUMNS), "currency"]
    assert sorted(r["emv"] for r in fr_rows) == ["200,30", "48,60", "97,20"]
    for en_row, fr_row in zip(en_rows, fr_rows, strict=True):
        assert {k: v.replace(",", ".") for k, v in fr_row.items() if k != "caption"} == {
            k: v for k, v in en_row.items() if k != "caption"
        }


def test_page_and_pdf_name_the_tier_thresholds_in_words_not_the_preset_code(
    finished, brand_client, needs_pdf
):
    # given a report classified with the default tier preset (its code is not for readers)
    _campaign, report = selectors.report_unscoped(campaign_id=finished.campaign.pk)
    code = report.tier_preset
    pk = finished.campaign.pk
    # when the brand reads the page in English and French, and the PDF
    english = brand_client.get(f"/reports/campaigns/{pk}/").content.decode()
    french = brand_client.get(f"/reports/campaigns/{pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    pdf = brand_client.get(f"/reports/campaigns/{pk}/report.pdf").content
    pdf_text = _squash(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    # then the tiers are named with Discover's words for the default preset, never by its code
    standard = "Standard thresholds: nano under 10K · micro 10K–50K · mid-tier 50K–500K · macro 500K–1M"
    assert f"Creator tiers by followers — {standard} · mega 1M and more." in english
    assert "Seuils standard" in french and "Standard thresholds" not in french
    assert _squash(standard) in pdf_text
    for text in (english, french, pdf_text):
        assert f"{code} thresholds" not in text and f"({code}" not in text
