"""The "engagement vs peers" chart: the audit's stored rate against the stored quantiles of its peer band
(JSON rows and Parquet snapshots), drawn as escaped SVG; nothing drawn without a band."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from microreach.batch.population_store import write_population
from microreach.core.population import PeerGroup, empty_population, population_to_data
from microreach.web.audits import selectors
from microreach.web.audits.models import PopulationSnapshot
from microreach.web.audits.peer_chart import engagement_vs_peers_chart
from microreach.web.charts import peer_band_chart

QUANTILES = tuple(0.01 + 0.0005 * i for i in range(101))  # p0 = 1 %, p50 = 3.5 %, p100 = 6 %
RESULT = {
    "peers": [
        {
            "metric": "engagement_rate",
            "value": 0.052,
            "percentile": 84.0,
            "network": "instagram",
            "low_followers": 10_000,
            "high_followers": 15_849,
            "peers": 240,
            "reason": None,
        }
    ]
}


def _snapshot(population_id: str):
    group = PeerGroup("instagram", 80, 10_000, 15_849, 240, {"engagement_rate": QUANTILES})
    base = empty_population(as_of=datetime(2026, 10, 1, tzinfo=UTC))
    return dataclasses.replace(base, population_id=population_id, groups={("instagram", 80): group})


def test_the_chart_places_the_account_against_the_band():
    svg = peer_band_chart(
        value=0.052,
        quantiles=QUANTILES,
        title="<b>ER</b>",
        value_label="this account",
        band_label="middle 80 %",
        median_label="peer median",
    )
    assert svg.startswith("<svg") and "<circle" in svg and "&lt;b&gt;ER&lt;/b&gt;" in svg
    assert "peer median 3.50%" in svg and "this account 5.20%" in svg
    # and a legend entry longer than the chart's width goes on to a second line, never cut at a no-break space
    long = peer_band_chart(
        value=0.052,
        quantiles=QUANTILES,
        title="t",
        value_label="this account",
        band_label="light: the middle eighty per cent of the peers of this account, 1\xa0% to 6\xa0%",
        median_label="peer median",
    )
    assert '<tspan x="22" y="' in long and long.count("<tspan") == 4 and "1\xa0% to 6\xa0%" in long
    # the dot is right of the median line: 5.2 % is above the band's 3.5 %
    dot = float(svg.split('<circle cx="')[1].split('"')[0])
    median = float(svg.split('<line x1="')[1].split('"')[0])
    assert dot > median
    assert (
        peer_band_chart(
            value=0.05, quantiles=(0.1, 0.2), title="t", value_label="", band_label="", median_label=""
        )
        == ""
    )


@pytest.mark.django_db
@pytest.mark.parametrize("stored_as", ["json", "parquet"])
def test_the_audit_chart_reads_the_band_where_it_is_stored(stored_as, tmp_path):
    selectors._peer_band_quantiles.cache_clear()
    snapshot = _snapshot(f"pop-{stored_as}")
    row = {
        "population_id": snapshot.population_id,
        "as_of": snapshot.as_of,
        "accounts": 240,
        "rules_version": "t",
    }
    if stored_as == "json":
        PopulationSnapshot.objects.create(**row, data=population_to_data(snapshot=snapshot))
    else:
        PopulationSnapshot.objects.create(
            **row, location=write_population(snapshot=snapshot, root=str(tmp_path))
        )
    svg = engagement_vs_peers_chart(population_id=snapshot.population_id, result=RESULT)
    assert "240" in svg and "10,000" in svg and "peer median 3.50%" in svg
    # another band, another snapshot, no rate: nothing drawn rather than a guess
    other_band = {"peers": [{**RESULT["peers"][0], "low_followers": 1_000}]}
    assert engagement_vs_peers_chart(population_id=snapshot.population_id, result=other_band) == ""
    assert engagement_vs_peers_chart(population_id="unknown", result=RESULT) == ""
    no_rate = {"peers": [{**RESULT["peers"][0], "value": None}]}
    assert engagement_vs_peers_chart(population_id=snapshot.population_id, result=no_rate) == ""


@pytest.mark.django_db(transaction=True)
def test_the_audit_page_draws_the_chart_beside_the_peer_table(tmp_path, client_for):
    from microreach.web.audits.models import AuditRecord
    from tests.web.test_same_figures import build_world

    world = build_world(tmp_path)
    web = client_for(world["brand"])
    # a world of two accounts has no peer band: no chart, the table says so
    page = web.get("/audits/instagram/lea.cuisine/").content.decode()
    assert 'id="engagement-peers-chart"' not in page and "no peer group" in page
    # the same audit compared with a band of 240 peers (stored in its population snapshot)
    selectors._peer_band_quantiles.cache_clear()
    snapshot = _snapshot("pop-page")
    PopulationSnapshot.objects.create(
        population_id=snapshot.population_id,
        as_of=snapshot.as_of,
        accounts=240,
        rules_version="t",
        data=population_to_data(snapshot=snapshot),
    )
    for record in AuditRecord.objects.filter(account__handle="lea.cuisine"):
        record.result = {**record.result, "peers": RESULT["peers"]}
        record.population_id = snapshot.population_id
        record.save(update_fields=["result", "population_id"])
    page = web.get("/audits/instagram/lea.cuisine/").content.decode()
    chart = page.split('id="engagement-peers-chart"')[1].split("</figure>")[0]
    assert "<svg" in chart and "240 peers with 10,000–15,849 followers" in chart
    # the legend says what each shade is and where it ends (p10–p90, p25–p75), with the one percent formatter
    assert "light: middle 80% of peers, 1.50% to 5.50%" in chart
    assert "dark: middle 50%, 2.25% to 4.75%" in chart
    french = web.get("/audits/instagram/lea.cuisine/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    chart = french.split('id="engagement-peers-chart"')[1].split("</figure>")[0]
    chart = re.sub(r"</tspan><tspan[^>]*>", " ", chart)  # a legend entry wrapped onto two lines, read as one
    assert "médiane des pairs 3,50" in chart and "comptes comparables" in chart
    assert "de 1,50\xa0% à 5,50\xa0%" in chart and "de 2,25\xa0% à 4,75\xa0%" in chart


@pytest.mark.django_db
def test_the_report_tag_draws_the_chart_of_the_summarys_audit():
    from django.template import Context, Template

    from microreach.web.audits.models import AuditRecord
    from tests import factories

    selectors._peer_band_quantiles.cache_clear()
    snapshot = _snapshot("pop-report")
    PopulationSnapshot.objects.create(
        population_id=snapshot.population_id,
        as_of=snapshot.as_of,
        accounts=240,
        rules_version="t",
        data=population_to_data(snapshot=snapshot),
    )
    record = AuditRecord.objects.create(
        account=factories.account(followers=12_000),
        population_id=snapshot.population_id,
        as_of=snapshot.as_of,
        status="ok",
        result=RESULT,
    )
    tag = Template("{% load peer_charts %}{% engagement_peers_chart audit_id %}")
    assert "<svg" in tag.render(Context({"audit_id": record.pk}))
    assert tag.render(Context({"audit_id": None})) == ""
    assert tag.render(Context({"audit_id": record.pk + 1000})) == ""
    # the campaign report's PDF draws it for each creator whose summary has one
    pdf = Path(__file__).resolve().parents[3] / "src/microreach/web/reporting/templates/reporting/pdf.html"
    source = pdf.read_text(encoding="utf-8")
    assert "{% engagement_peers_chart c.summary.audit_id as peers_chart %}" in source
