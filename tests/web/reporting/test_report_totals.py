"""A report a brand can check by hand: every total on the page, the spreadsheet, the CSV and the PDF is the sum
of the rows it claims; the curve ends on the table's total; no data reads "no data"; alerts come first."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import polars as pl
import pytest
from django.template.loader import render_to_string
from hypothesis import given, settings
from openpyxl import load_workbook

from microreach.core.records import Network, PostSnapshotRecord
from microreach.core.reporting import ReportCreator, ReportInput, ReportPost, ReportSale, campaign_report
from microreach.core.tiers import classify_tier
from microreach.sources.simulator import simulate
from microreach.web.campaigns.models import Campaign
from microreach.web.reporting import exports, selectors, views
from microreach.web.reporting.figures import GROUP_COLUMNS, SUMMED, column_label, group_table
from tests.core.test_reporting import EXAMPLES, campaigns
from tests.web.reporting.world import NOW, finished_campaign

pytestmark = pytest.mark.django_db
D = Decimal


class _Tables(HTMLParser):
    """Every table of a page as {"body": rows, "foot": rows} of cell texts, and the chart totals."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict[str, list[list[str]]]] = []
        self.chart_totals: list[str] = []
        self._part = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._chart_total = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "body": [], "foot": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "text" and ("class", "chart-total") in attrs:
            self._chart_total = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][self._part].append(self._row)
            self._row = None
        elif tag == "text":
            self._chart_total = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._chart_total:
            self.chart_totals.append(data)


def _number(text: str) -> Decimal | None:
    """A cell as shown ("1,234", "€707.70", "—", "") as a number; None when it shows no value."""
    text = text.strip()
    if text in ("", "—"):
        return None
    return D(re.sub(r"[^0-9.\-]", "", text.split(" ")[0].replace(",", "")))


def _check_footers(html: str) -> int:
    """Assert each breakdown's footer total = Σ rows (+ the unattributed row); return the tables checked."""
    page = _Tables()
    page.feed(html)
    checked = 0
    for table in page.tables:
        if not table["foot"]:
            continue
        *extra, total = table["foot"]
        shown = table["head"][0]
        assert column_label("engagements") in shown and column_label("spend") in shown, shown
        for key, _unit in GROUP_COLUMNS:
            if key not in SUMMED or column_label(key) not in shown:
                continue
            i = shown.index(column_label(key))
            parts = [_number(r[i]) for r in (*table["body"], *extra)]
            known = [p for p in parts if p is not None]
            assert _number(total[i]) == (sum(known) if known else None), (key, parts, total[i])
        checked += 1
    return checked


ACCEPTED = {"accepted", "shipped", "received", "content_submitted", "approved", "published", "no_show"}


def _frames(summary) -> dict[str, pl.DataFrame]:
    kinds = (
        "campaign",
        "application",
        "shipment",
        "sale",
        "campaign_post",
        "post",
        "post_snapshot",
        "account",
    )
    return {k: pl.read_parquet(summary.files[k]) for k in kinds}


def _money(value) -> Decimal:
    return D(str(value)) if value is not None else D(0)


def _snapshots(frame: pl.DataFrame) -> dict[tuple, list[PostSnapshotRecord]]:
    out: dict[tuple, list[PostSnapshotRecord]] = {}
    for r in frame.iter_rows(named=True):
        key = (r["network"], r["handle"], r["network_post_id"])
        counts = [r[n] for n in ("likes", "comments", "shares", "saves", "views", "reach")]
        out.setdefault(key, []).append(
            PostSnapshotRecord(
                Network(r["network"]), r["handle"], r["network_post_id"], r["captured_on"], *counts
            )
        )
    return out


def _world_reports(tmp_path) -> list[tuple[dict, ReportInput]]:
    """Report inputs of a simulated world's campaigns (the demo's generator), read from its files as the
    import stores them: accepted applications, agreed fees, parcels, linked posts with their daily
    snapshots, and sales attributed through promo codes with the campaign's commission."""
    f = _frames(simulate(tmp_path / "world", creators=30, seed=3))
    config = selectors.report_config()
    followers = {(r["network"], r["handle"]): r["followers"] for r in f["account"].iter_rows(named=True)}
    posts = {(r["network"], r["handle"], r["network_post_id"]): r for r in f["post"].iter_rows(named=True)}
    snaps = _snapshots(f["post_snapshot"])
    out = []
    for c in f["campaign"].iter_rows(named=True):
        if c["state"] not in selectors.REPORTABLE_STATES:
            continue

        def mine(kind: str, c=c) -> list[dict]:
            return list(f[kind].filter(pl.col("campaign_key") == c["campaign_key"]).iter_rows(named=True))

        apps = [a for a in mine("application") if a["state"] in ACCEPTED]
        parcels = {(s["network"], s["handle"]): s for s in mine("shipment") if s["shipped_at"] is not None}
        creators = []
        for a in apps:
            who = (a["network"], a["handle"])
            creators.append(
                ReportCreator(
                    key=a["handle"],
                    handle=a["handle"],
                    network=Network(a["network"]),
                    followers=followers[who],
                    tier=classify_tier(followers=followers[who], preset=config.tiers).tier,
                    planned_posts=1,
                    fee=_money(a["agreed_fee"]) if a["state"] != "no_show" else D(0),
                    product_value=_money(c["product_value"]) if who in parcels else D(0),
                    shipping=_money(parcels[who]["cost"]) if who in parcels else D(0),
                )
            )
        report_posts = []
        for link in mine("campaign_post"):
            key = (link["network"], link["handle"], link["network_post_id"])
            post = posts[key]
            counts = {n: post[n] for n in ("likes", "comments", "shares", "saves", "views", "reach")}
            report_posts.append(
                ReportPost(
                    f"cp{len(report_posts)}",
                    link["handle"],
                    Network(link["network"]),
                    post["published_at"],
                    caption=post["caption"],
                    is_paid_partnership=post["is_paid_partnership"],
                    snapshots=tuple(snaps.get(key, ())),
                    **counts,
                )
            )
        codes = {a["promo_code"]: a["handle"] for a in apps if a["promo_code"]}
        rate = _money(c["commission_rate"]) / 100
        sales = tuple(
            ReportSale(
                codes.get(s["promo_code"]),
                _money(s["amount"]),
                (_money(s["amount"]) * rate).quantize(D("0.01")),
                s["ordered_at"].date(),
            )
            for s in mine("sale")
        )
        data = ReportInput(
            campaign_id=len(out) + 1,
            title=c["title"],
            currency=c["currency"],
            emv=config.emv,
            fx=config.fx,
            as_of=NOW,
            state=c["state"],
            creators=tuple(creators),
            posts=tuple(report_posts),
            sales=sales,
            sales_imported=bool(sales),
            budget=_money(c["budget"]),
            disclosure_rules=config.disclosure,
            jurisdictions=tuple(c["jurisdictions"]),
            tier_preset=config.tiers.name,
            alert_rules=config.alerts,
        )
        out.append((c, data))
    return out


def test_a_simulated_worlds_reports_add_up_on_the_page_and_in_the_files(tmp_path):
    # given the campaigns of a simulated world (the demo's generator) that published posts
    reported = 0
    stub = SimpleNamespace(brand_logo_url="")  # the campaign header, without a logo
    for campaign, data in _world_reports(tmp_path):
        report = campaign_report(data=data)
        if report.status != "ok":
            continue
        reported += 1
        # when the page is rendered
        html = render_to_string("reporting/_body.html", views._context(report, stub, shared=False))
        # then every breakdown's total is the sum of its rows, on the page
        assert _check_footers(html) == 3
        # the curve ends on the summary's engagements (one set of per-post counts feeds both)
        page = _Tables()
        page.feed(html)
        assert page.chart_totals == [f"{report.metric('engagements').value:,}"]
        assert report.daily[-1].engagements == sum(p.engagements or 0 for p in report.posts)
        # the CSV's posts add up to the summary: engagements, EMV to the cent, and the creators' spend
        rows = list(csv.DictReader(io.StringIO(exports.report_csv(report=report))))
        assert sum(int(r["engagements"] or 0) for r in rows) == report.metric("engagements").value
        emv = [D(r["emv"]) for r in rows if r["emv"]]
        assert (sum(emv) if emv else None) == report.metric("emv").value
        with_posts = {p.creator_key for p in report.posts}
        assert sum(D(r["cost"]) for r in rows) == sum(c.spend for c in report.creators if c.key in with_posts)
        # the spreadsheet's breakdown sheets end on their campaign total, the sum of the rows above
        wb = load_workbook(io.BytesIO(exports.report_xlsx(report=report)))
        for sheet in ("Creators", "Networks", "Tiers"):
            lines = list(wb[sheet].iter_rows(min_row=2, values_only=True))
            assert lines[-1][0] == "Campaign total"
            for i, (key, _unit) in enumerate(GROUP_COLUMNS, start=1):
                if key in SUMMED:
                    known = [D(str(r[i])) for r in lines[:-1] if r[i] is not None]
                    total = lines[-1][i]
                    assert (D(str(total)) if total is not None else None) == (sum(known) if known else None)
        # simulated deals follow the market: small creators on product and affiliate deals, fees per tier
        for creator in data.creators:
            if campaign["compensation"] in ("product", "affiliate"):
                assert creator.fee == 0 and creator.followers < 100_000
            if creator.tier == "micro" and creator.fee > 0:
                assert D(80) <= creator.fee <= D(500), (creator.handle, creator.fee)
        # the simulated posts are labelled: no disclosure alert, and EMV within reach of the spend
        assert "non_compliant_posts" not in [a.finding.code for a in report.alerts]
        assert report.total.emv is None or report.total.emv <= 10 * report.spend.total
    assert reported >= 2


def test_low_disclosure_compliance_is_flagged_first_on_every_format(brand, brand_client, needs_pdf):
    # given the finished campaign: a2's "#sp" does not disclose in France (1 of 2 checked posts)
    _admin, org = brand
    f = finished_campaign(org)
    pk = f.campaign.pk
    # when the brand opens the page
    html = brand_client.get(f"/reports/campaigns/{pk}/").content.decode()
    # then the red alert is the first thing after the title, with its figures
    sentence = "1 of 2 checked posts are not properly labelled as advertising (disclosure compliance 50%)"
    assert sentence in html
    # the percentage by the one formatter in French too: 50 % with a no-break space
    french = brand_client.get(f"/reports/campaigns/{pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "signalées comme publicité (conformité 50\xa0%)" in french
    assert html.index('id="report-alerts"') < html.index('id="summary"')
    assert 'data-level="red"' in html
    # in the reader's words: nothing of the code's or the operator's
    body = html[html.index('id="report-title"') :]
    for word in ("worker", "docs/", "swapped", "simulated profiles", "WeasyPrint", "Pango", "fx-20"):
        assert word not in body, word
    # and the same words in the spreadsheet and the PDF
    wb = load_workbook(io.BytesIO(brand_client.get(f"/reports/campaigns/{pk}/report.xlsx").content))
    alerts = [tuple(r) for r in wb["Alerts"].iter_rows(min_row=2, values_only=True)]
    assert alerts[0] == ("red", sentence)
    from pypdf import PdfReader

    pdf = brand_client.get(f"/reports/campaigns/{pk}/report.pdf").content
    text = re.sub(r"\s+", "", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert re.sub(r"\s+", "", sentence) in text and "Campaigntotal" in text


def test_the_page_and_files_show_no_data_not_zeros(brand, brand_client):
    # given a finished campaign whose posts are not linked to imported metrics
    _admin, org = brand
    f = finished_campaign(org)
    from microreach.web.campaigns.models import CampaignPost

    CampaignPost.objects.filter(application__campaign=f.campaign).update(post=None)
    html = brand_client.get(f"/reports/campaigns/{f.campaign.pk}/").content.decode()
    # then every engagement and value figure says "no data", never 0.00
    for key in ("engagements", "emv", "cpe", "cpm", "er_followers"):
        card = re.search(rf'data-key="{key}">.*?<div class="figure">(.*?)</div>', html, re.S)
        assert card is not None and card.group(1) == "no data", key
    assert '">0.00 EUR</div>' not in html and "chart-over_time" not in html and "chart-cpe" not in html
    _c, report = selectors.report_unscoped(campaign_id=f.campaign.pk)
    rows = list(csv.DictReader(io.StringIO(exports.report_csv(report=report))))
    assert {r["emv"] for r in rows} == {""} and {r["engagements"] for r in rows} == {""}
    # the unmeasured posts are said as an alert, not hidden
    assert "3 published posts have no metrics yet: they are left out of the figures" in html


def test_a_french_reader_reads_the_alerts_and_totals_in_french(brand, brand_client):
    from django.utils import translation

    _admin, org = brand
    f = finished_campaign(org)
    header, report = selectors.report_unscoped(campaign_id=f.campaign.pk)
    with translation.override("fr"):
        html = render_to_string("reporting/_body.html", views._context(report, header, shared=False))
    assert "1 des 2 publications contrôlées ne sont pas correctement signalées comme publicité" in html
    assert "Action requise" in html and "Total de la campagne" in html and "Ventes sans créateur" in html
    for english in ("checked posts", "Campaign total", "worker", "docs/"):
        assert english not in html, english


@settings(max_examples=EXAMPLES, deadline=None)
@given(campaigns())
def test_any_reports_tables_show_totals_that_are_the_sums_of_their_rows(data):
    # given any campaign (random creators, posts with or without counts, sales with or without a creator)
    report = campaign_report(data=data)
    # when its breakdowns are shown as the page shows them
    for rows, kind in ((report.creators, "creator"), (report.networks, "network"), (report.tiers, "tier")):
        table = group_table(rows=rows, currency=report.currency, first="", kind=kind, total=report.total)
        if not rows:
            assert not table.footer
            continue
        # then each summed column of the total row is the sum of the shown rows above it
        assert table.footer is not None
        *extra, total = table.footer
        shown = table.headers[1:]
        # (per creator, no creator count: each row is one creator)
        assert (column_label("creators") in shown) == (kind != "creator")
        for key, _unit in GROUP_COLUMNS:
            if key in SUMMED and column_label(key) in shown:
                i = shown.index(column_label(key)) + 1
                known = [n for r in (*table.rows, *extra) if (n := _number(r[i])) is not None]
                assert _number(total[i]) == (sum(known) if known else None), key


def test_posts_published_outside_the_briefs_dates_are_flagged_in_the_readers_words(brand, brand_client):
    # given the finished campaign (its three posts published on Oct 1) whose brief asked for Oct 2 – Oct 21
    _admin, org = brand
    f = finished_campaign(org)
    Campaign.objects.filter(pk=f.campaign.pk).update(publication_start=date(2026, 10, 2))
    # when the brand opens the report, in English and in French
    html = brand_client.get(f"/reports/campaigns/{f.campaign.pk}/").content.decode()
    french = brand_client.get(
        f"/reports/campaigns/{f.campaign.pk}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    # then an amber alert says how many posts were early or late, with the brief's days as dates
    assert (
        "3 posts were published outside the brief’s dates (Oct 2, 2026 – Oct 21, 2026): 3 before, 0 after"
        in html
    )
    assert (
        "3 publications parues hors des dates du brief (2 oct. 2026 – 21 oct. 2026) : 3 avant, 0 après"
        in french
    )
