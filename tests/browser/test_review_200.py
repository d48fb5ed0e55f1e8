"""A brand reviews 200 applicants in a real browser: filter, compare, accept 40 (bulk), decline the other
160 (bulk), ship the 40 from the shipping page's CSV template — in at most 25 page loads and 60 clicks, both printed.

Every click, tick and choice in a list counts as a click; every page load of the main frame counts as a
load (htmx swaps do not load a page). Run alone with ``-s`` to read the figures."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import Application, Shipment
from microreach.web.campaigns.services.shipment import shipment_confirm_address
from tests import factories
from tests.browser.conftest import screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

MAX_LOADS = 25
MAX_CLICKS = 60


class Counter:
    """The clicks a person makes (counted by the test's own helpers) and the pages the browser loads."""

    def __init__(self, page) -> None:
        self.page = page
        self.clicks = 0
        self.loads = 0
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    def click(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def check(self, locator) -> None:
        self.clicks += 1
        locator.check()

    def choose(self, locator, value: str) -> None:
        self.clicks += 1
        locator.select_option(value)


def _world():
    user = factories.member(username="claire")
    tenant = tenant_for(user)
    campaign = h.open_campaign(tenant, title="Linen summer", creators_wanted=40, budget="10000")
    creators = {}
    # 40 strong applicants (score 85-94) and 160 weaker ones (score 40-79)
    for i in range(200):
        score = 85.0 + i % 10 if i < 40 else 40.0 + i % 40
        creator, app = h.apply(campaign, score=score, fake=0.04 if i < 40 else 0.2, handle=f"lin.{i:03d}")
        creators[app.pk] = creator
    return campaign, creators


def test_a_brand_reviews_200_applicants_in_few_loads_and_clicks(page):
    campaign, creators = _world()
    count = Counter(page)
    # the brand logs in and opens the campaign's applicants
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("claire")
    page.get_by_label("Password").fill(factories.PASSWORD)
    count.click(page.get_by_role("button", name="Log in"))
    page.get_by_role("button", name="Log out").wait_for()
    count.click(page.locator("nav.top").get_by_role("link", name="Campaigns"))
    count.click(page.get_by_role("link", name="Linen summer"))
    count.click(page.get_by_role("link", name="Applicants"))
    assert "200 applicants" in page.locator("#applicants-list").inner_text()

    # filter: the 40 with a quality score of 80 or more
    page.get_by_label("Min. score").fill("80")
    count.click(page.get_by_role("button", name="Filter"))
    assert "40 applicants" in page.locator("#applicants-list").inner_text()

    # compare the first three side by side, then come back to the filtered list
    boxes = page.locator('#applicants tbody input[name="id"]')
    for i in range(3):
        count.check(boxes.nth(i))
    count.click(page.get_by_role("button", name="Compare side by side (up to five)"))
    assert page.locator("#compare thead th").count() == 4
    count.click(page.get_by_role("link", name="Linen summer"))  # the heading's link: the list again
    page.get_by_label("Min. score").fill("80")
    count.click(page.get_by_role("button", name="Filter"))

    # accept the 40 matching at once (htmx: the list is swapped, no page load)
    count.check(page.locator("#all-matching"))
    count.click(page.locator("#bulk-accept"))
    page.locator("#bulk-result").get_by_text("40 applicants accepted.").wait_for()
    assert Application.objects.filter(campaign=campaign, state="accepted").count() == 40

    # decline the 160 others: filter on "Applied", all matching, decline
    page.get_by_label("Min. score").fill("")
    count.choose(page.get_by_label("State", exact=True), "applied")
    count.click(page.get_by_role("button", name="Filter"))
    assert "160 applicants" in page.locator("#applicants-list").inner_text()
    count.check(page.locator("#all-matching"))
    count.click(page.locator("#bulk-decline"))
    page.locator("#bulk-result").get_by_text("160 applicants declined.").wait_for(timeout=60_000)
    assert Application.objects.filter(campaign=campaign, state="declined").count() == 160

    # the accepted creators confirm their addresses (their side, through the services)
    for app in Application.objects.filter(campaign=campaign, state="accepted"):
        shipment_confirm_address(
            tenant=creators[app.pk],
            application_id=app.pk,
            variant="M",
            recipient="Léa Martin",
            street="1 rue des Lilas",
            postcode="69001",
            city="Lyon",
            country="FR",
        )

    # ship the 40 from a CSV: the campaign's shipping page, its template filled in, uploaded
    count.click(page.get_by_role("link", name="Linen summer"))  # the heading's link: the campaign
    count.click(page.locator("#shipping-link"))
    with page.expect_download() as download:
        count.click(page.locator("#shipping-template"))
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["application", "handle", "carrier", "tracking_number", "cost"] and len(rows) == 41
    filled = io.StringIO()
    writer = csv.writer(filled)
    writer.writerow(rows[0])
    for i, row in enumerate(rows[1:]):
        writer.writerow([row[0], row[1], "Colissimo", f"6A{i:011d}", "7.50"])
    count.click(page.locator("input[type=file][name=file]"))  # choosing the file
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "shipping.csv", "mimeType": "text/csv", "buffer": filled.getvalue().encode("utf-8")}
    )
    count.click(page.locator("#shipping-upload form button[type=submit]"))
    page.get_by_text("40 parcels marked shipped.").wait_for(timeout=60_000)
    screenshot(page, "review-200-shipped")

    assert Application.objects.filter(campaign=campaign, state="shipped").count() == 40
    assert (
        Shipment.objects.filter(application__campaign=campaign, tracking_number__startswith="6A").count()
        == 40
    )
    print(f"\nreview of 200 applicants: {count.loads} page loads, {count.clicks} clicks")
    assert count.loads <= MAX_LOADS, count.loads
    assert count.clicks <= MAX_CLICKS, count.clicks
