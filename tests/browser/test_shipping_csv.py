"""A brand ships its parcels from a CSV in a real browser: downloads the template, uploads it filled in (a
wrong row first: nothing shipped, the line shown), then the corrected file; in English and in French."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import Application, Shipment
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_shipping import _accepted

pytestmark = pytest.mark.django_db(transaction=True)

NUMBERS = ["6A12345678901", "1Z999AA10123456784", "12345678901"]
CARRIERS = ["Colissimo", "UPS", "GLS"]


def _world(username: str):
    user = factories.member(username=username)
    brand = tenant_for(user)
    campaign = h.open_campaign(brand, creators_wanted=5)
    apps = [_accepted(brand, campaign, handle) for handle in ("lea.lin", "marc.m", "ines.b")]
    return campaign, apps


def _download_template(page) -> tuple[str, list[list[str]]]:
    with page.expect_download() as info:
        page.locator("#shipping-template").click()
    raw = Path(info.value.path()).read_bytes().decode("utf-8")
    text = raw.removeprefix("\ufeff")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return raw, list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _filled(rows: list[list[str]], numbers: list[str], delimiter: str, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(rows[0])
    for row, carrier, number in zip(rows[1:], CARRIERS, numbers, strict=True):
        writer.writerow([row[0], row[1], carrier, number, ""])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def _upload(page, data: bytes) -> None:
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "shipping.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.locator("#shipping-upload form button[type=submit]").click()
    page.wait_for_load_state()


def test_brand_ships_its_parcels_from_the_csv_template(page):
    campaign, apps = _world("nadia")
    log_in(page, "nadia")
    page.goto(f"/campaigns/{campaign.pk}/")
    page.locator("#shipping-link").click()
    assert page.locator('[data-key="to_ship"]').inner_text() == "3"
    raw, rows = _download_template(page)
    assert not raw.startswith("\ufeff")
    assert rows == [["application", "handle", "carrier", "tracking_number", "cost"]] + [
        [str(a.pk), a.account.handle, "", "", ""] for a in apps
    ]
    # one wrong tracking number: nothing shipped, its line shown
    _upload(page, _filled(rows, ["6A123", *NUMBERS[1:]], ",", bom=False))
    problems = page.locator("#shipping-problems tbody tr")
    assert problems.count() == 1
    assert problems.nth(0).locator("td").nth(0).inner_text() == "2"
    assert "is not a La Poste / Colissimo tracking number" in problems.nth(0).inner_text()
    assert Application.objects.filter(state="shipped").count() == 0
    screenshot(page, "shipping-csv-refused")
    # the corrected file ships every parcel
    _upload(page, _filled(rows, NUMBERS, ",", bom=False))
    page.get_by_text("3 parcels marked shipped.").wait_for()
    assert Application.objects.filter(state="shipped").count() == 3
    assert [s.tracking_number for s in Shipment.objects.order_by("application_id")] == NUMBERS
    link = page.locator("#shipments a[href^='https://www.ups.com/track']")
    assert link.inner_text() == "1Z999AA10123456784"
    assert page.locator('[data-key="to_ship"]').inner_text() == "0"
    screenshot(page, "shipping-csv-shipped")


def test_a_french_brand_fills_the_template_in_its_spreadsheet_format(browser, live_server):
    campaign, _apps = _world("amelie")
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "amelie")
        page.goto(f"/campaigns/{campaign.pk}/shipping/")
        raw, rows = _download_template(page)
        assert raw.startswith("\ufeff")
        assert rows[0] == ["candidature", "compte", "transporteur", "numero_de_suivi", "frais_de_port"]
        _upload(page, _filled(rows, NUMBERS, ";", bom=True))
        page.get_by_text("3 colis marqués expédiés.").wait_for()
        assert Application.objects.filter(state="shipped").count() == 3
    finally:
        context.close()
