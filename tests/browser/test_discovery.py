from __future__ import annotations

import pytest

from microreach.web.discovery.models import ShortlistEntry
from tests import factories
from tests.browser.conftest import screenshot
from tests.web.discovery.conftest import build_world

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
