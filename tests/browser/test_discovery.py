from __future__ import annotations

import pytest

from microreach.web.discovery.models import ShortlistEntry
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.discovery.conftest import build_world
from tests.web.test_same_figures import build_world as build_audited_world


@pytest.fixture
def same_figures_world(tmp_path):
    return build_audited_world(tmp_path)


pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, username: str) -> None:
    log_in(page, username, next_path="/discover/")


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
    log_in(page, brand.username, next_path="/discover/")
    # when the brand searches, each card shows the score, the fake share with its source and a verdict
    page.locator("#id_q").fill("cuisine")
    card = page.locator('.result-card[data-handle="lea.cuisine"]')
    card.locator(".audit-summary").wait_for()
    record = AuditRecord.objects.get(
        account__handle="lea.cuisine", organisation__isnull=False, is_latest=True
    )
    assert card.locator(".summary-score").inner_text() == str(int(record.score + 0.5))
    # a measured share says the size of the sample it was measured on
    assert (
        card.locator(".summary-fake-source").inner_text()
        == f"measured on a sample of {record.sample_size} followers"
    )
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


def test_phone_sees_results_first_and_cards_shortlist_into_one_list(page):
    # given an indexed world and a brand user on a phone
    world = build_world()
    factories.member(username="phone-buyer")
    _login(page, "phone-buyer")
    page.set_viewport_size({"width": 390, "height": 844})
    # when they search by network
    page.goto("/discover/?network=instagram&country=FR")
    # then the keywords box is in view, the other filters are one folded line naming those in use, and the
    # first result is on the first screen
    assert page.locator("#active-filters").inner_text() == ": Network: Instagram · Country: France"
    assert page.locator("#id_q").is_visible()
    assert not page.locator("#id_network").is_visible()
    assert page.locator(".result-card").first.bounding_box()["y"] < 844
    screenshot(page, "discovery-phone-folded")
    page.locator("#filters > summary").click()
    page.locator("#id_network").wait_for(state="visible")
    screenshot(page, "discovery-phone-filters-open")
    # and on a laptop the filters are shown beside the results
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/discover/")
    page.locator("#id_q").wait_for(state="visible")
    # when three cards are shortlisted in a row with the card's default choice
    cards = page.locator(".result-card")
    for i in range(3):
        cards.nth(i).get_by_role("button", name="Shortlist").click()
        cards.nth(i).locator(".add-status", has_text="Added to").wait_for()
    screenshot(page, "discovery-search-three-added")
    # and every card, the one not shortlisted too, now offers that list first
    pk = str(ShortlistEntry.objects.first().shortlist_id)
    assert [cards.nth(i).locator("select").input_value() for i in range(4)] == [pk] * 4
    # then one list holds the three
    assert list(ShortlistEntry.objects.values_list("shortlist__name", flat=True)) == ["My shortlist"] * 3
    # and the creator page's lookalikes carry the audit summary, the shortlist its notes
    page.goto(f"/discover/creators/{world['max'].pk}/")
    page.locator("#similarity-explained").wait_for()
    page.locator(".lookalike .audit-summary").first.wait_for()
    screenshot(page, "discovery-lookalikes-laptop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "discovery-lookalikes-phone")
    entry = ShortlistEntry.objects.first()
    entry.note = "Great fit for the spring launch.\n" + "Ask for her rates in stories and reels; " * 4
    entry.save()
    page.goto(f"/discover/shortlists/{entry.shortlist_id}/")
    screenshot(page, "discovery-shortlist-phone")
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/discover/shortlists/{entry.shortlist_id}/")
    screenshot(page, "discovery-shortlist-laptop")


def test_a_card_keeps_its_list_name_readable_once_a_creator_is_added(browser, live_server):
    # given an indexed world and a brand user on a laptop, reading in French
    build_world()
    factories.member(username="laptop-buyer")
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    _login(page, "laptop-buyer")
    page.goto("/discover/")
    assert page.locator("html").get_attribute("lang") == "fr"
    card = page.locator(".result-card").first
    # when the first card is shortlisted into a new list
    card.locator("button.add-to-shortlist").click()
    card.locator(".add-status a").wait_for()
    screenshot(page, "discovery-card-added-fr")
    # then the list's menu shows its whole name (it was squeezed to 'Ma pr' beside the message), the message
    # sits on its own line below, and nothing leaves the card
    select = card.locator("select.shortlist-choices")
    assert select.evaluate("s => s.scrollWidth <= s.clientWidth + 1 && s.clientWidth >= 100")
    status, button = (
        card.locator(".add-status").bounding_box(),
        card.locator("button.add-to-shortlist").bounding_box(),
    )
    assert status["y"] >= button["y"] + button["height"] - 1
    box = card.bounding_box()
    for part in (select.bounding_box(), button, status):
        assert part["x"] + part["width"] <= box["x"] + box["width"] + 1
    context.close()
