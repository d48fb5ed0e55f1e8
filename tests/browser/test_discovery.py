from __future__ import annotations

import pytest

from microreach.web.discovery.models import ShortlistEntry
from tests import factories
from tests.browser.conftest import screenshot
from tests.web.discovery.conftest import build_world
from tests.web.test_same_figures import build_world as build_audited_world


@pytest.fixture
def same_figures_world(tmp_path):
    return build_audited_world(tmp_path)


pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username: str) -> None:
    page.goto("/accounts/login/?next=/discover/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def test_search_then_shortlist_then_export_csv(page, tmp_path):
    # given an indexed world and a brand user
    build_world()
    factories.member(username="buyer")
    _login(page, "buyer")
    # when they open Discover and type a query without accents, results update in place
    page.locator("#id_q").fill("cuisine vegane lyon")
    page.locator("#result-summary", has_text="2 creators").wait_for()
    cards = page.locator(".result-card")
    assert cards.first.get_attribute("data-handle") == "lea.cuisine"
    page.locator("#facets .facets, #facets").first.wait_for()
    # and a filter narrows them (htmx on change)
    page.locator("#id_network").select_option("instagram")
    page.locator("#result-summary", has_text="1 creator").wait_for()
    screenshot(page, "discovery-search")
    # when they shortlist the first result into a new list
    cards.first.get_by_role("button", name="Shortlist").click()
    cards.first.locator(".add-status", has_text="Added to").wait_for()
    assert list(ShortlistEntry.objects.values_list("shortlist__name", "note")) == [("My shortlist", "")]
    # then the list page exports a CSV with the creator
    cards.first.locator(".add-status a").click()
    page.locator("#shortlist-name", has_text="My shortlist").wait_for()
    with page.expect_download() as caught:
        page.locator("#export-csv").click()
    download = caught.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert download.suggested_filename.endswith("-my-shortlist.csv")
    assert lines[0].startswith("network,handle,display_name")
    assert lines[1].startswith("instagram,lea.cuisine,Léa Martin,FR,fr,12000,micro")
    assert len(lines) == 2


def test_a_brand_reads_the_audit_summary_and_follows_a_reason_to_its_evidence(page, same_figures_world):
    # given two creators audited for real (one measured on the brand's follower sample, one estimated)
    from microreach.web.audits.models import AuditRecord

    brand = same_figures_world["brand"]
    page.goto("/accounts/login/?next=/discover/")
    page.get_by_label("Username").fill(brand.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()
    # when the brand searches, each card shows the score, the fake share with its source and a verdict
    page.locator("#id_q").fill("cuisine")
    card = page.locator('.result-card[data-handle="lea.cuisine"]')
    card.locator(".audit-summary").wait_for()
    record = AuditRecord.objects.get(
        account__handle="lea.cuisine", organisation__isnull=False, is_latest=True
    )
    assert card.locator(".summary-score").inner_text() == str(int(record.score + 0.5))
    assert card.locator(".summary-fake-source").inner_text() == "measured on a follower sample"
    tom = page.locator('.result-card[data-handle="tom.cuisine"]')
    assert tom.locator(".summary-fake-source").inner_text() == "estimated, no follower sample"
    screenshot(page, "discovery-audit-summary")
    # and a reason of the verdict leads to its evidence on the audit page
    reason = card.locator(".risk-reason").first
    target = reason.get_attribute("href")
    reason.click()
    page.wait_for_url(f"**{target}")
    page.locator("#summary .audit-summary").wait_for()
    assert page.locator("#aqs-score").inner_text().startswith(str(int(record.score + 0.5)))
    screenshot(page, "audit-summary")
    # and the applicants table shows the same figures with the verdict
    page.goto(f"/campaigns/{same_figures_world['campaign'].pk}/applicants/")
    row = page.locator("#applicants tbody tr", has=page.locator('a:has-text("@lea.cuisine")'))
    assert row.locator(".summary-score").inner_text() == str(int(record.score + 0.5))
    screenshot(page, "applicants-audit-summary")
