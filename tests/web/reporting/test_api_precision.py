"""The report API gives amounts and the EMV-per-spend ratio to the cent, as the page and the files show them."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from microreach.core.reporting import GroupRow, PostRow, Spend
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.reporting import selectors
from microreach.web.reporting.figures import money_cents

pytestmark = pytest.mark.django_db

AMOUNT = re.compile(r"^\d+\.\d{2}$")


def _decimal_fields(row_type: type) -> set[str]:
    return {f.name for f in fields(row_type) if "Decimal" in str(f.type)}


def test_every_amount_and_ratio_of_the_report_json_is_to_the_cent(brand, finished, brand_client):
    # given a finished campaign whose CPE, CPM, cost per sale and EMV ratio are not whole cents
    _campaign, exact = selectors.report_for_campaign(
        tenant=tenant_for(brand[0]), campaign_id=finished.campaign.pk
    )
    assert len(str(exact.metric("cpe").value)) > 10
    # when the brand reads the report through the API
    body = brand_client.get(f"/api/reports/campaigns/{finished.campaign.pk}").json()
    # then every money and ratio figure is a string to the cent, equal to the page's rounding
    summary = {m["key"]: m for m in body["summary"]}
    for key in ("spend", "cpe", "cpm", "emv", "emv_ratio", "cost_per_sale", "revenue"):
        value = summary[key]["value"]
        if value is not None:
            assert isinstance(value, str) and AMOUNT.match(value), (key, value)
            assert value == str(money_cents(exact.metric(key).value)), key
    assert summary["cpe"]["value"] == str(money_cents(exact.metric("cpe").value))
    report = body["report"]
    rows = [report["total"], *report["creators"], *report["networks"], *report["tiers"]]
    for row in rows:
        for name in _decimal_fields(GroupRow):
            assert row[name] is None or AMOUNT.match(row[name]), (row["key"], name, row[name])
    for post in [*report["posts"], *report["top_posts"], *report["under_performers"]]:
        for name in _decimal_fields(PostRow):
            assert post[name] is None or AMOUNT.match(post[name]), (post["post_id"], name, post[name])
    for name in _decimal_fields(Spend):
        assert report["spend"][name] is None or AMOUNT.match(report["spend"][name]), name
    for metric in report["summary"]:
        if isinstance(metric["value"], str):
            assert AMOUNT.match(metric["value"]), metric
    # and the creators' CPE, rounded, are the exact ones rounded (no cent lost or invented)
    exact_cpe = {r.key: r.cpe for r in exact.creators}
    assert {r["key"]: r["cpe"] for r in report["creators"]} == {
        key: None if cpe is None else str(money_cents(cpe)) for key, cpe in exact_cpe.items()
    }


def test_rates_and_counts_keep_their_types(finished, brand_client):
    body = brand_client.get(f"/api/reports/campaigns/{finished.campaign.pk}").json()
    summary = {m["key"]: m["value"] for m in body["summary"]}
    assert summary["engagements"] == 1020
    assert isinstance(summary["er_followers"], float)
    assert summary["spend"] == "446.90"


def test_every_decimal_field_of_the_rounded_rows_is_an_amount():
    # a Decimal added to these rows is rounded to the cent by the API: it must be an amount
    assert _decimal_fields(GroupRow) == {"spend", "cpe", "cpm", "emv_eur", "emv", "revenue", "cost_per_sale"}
    assert _decimal_fields(PostRow) == {"cost", "cpe", "emv_eur", "emv"}
    assert _decimal_fields(Spend) == {"fees", "products", "shipping", "commissions", "total", "budget"}


def test_the_reports_list_gives_the_same_amounts_to_the_cent(finished, brand_client):
    # when the brand reads the report, then the list of reports
    report = brand_client.get(f"/api/reports/campaigns/{finished.campaign.pk}").json()
    (line,) = brand_client.get("/api/reports/campaigns").json()
    # then the list's CPE and spend are the report's, to the cent
    figures = {m["key"]: m["value"] for m in report["summary"]}
    assert line["summary"]["cpe"] == figures["cpe"] == "0.44"
    assert line["summary"]["spend"] == "446.90"
