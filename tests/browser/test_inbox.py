"""The inbox in a real browser, as a brand and as a creator, in English and in French: the navigation's
count, the sections, and a line's link to where the thing is done."""

from __future__ import annotations

import pytest

from microreach.web.accounts.models import User
from tests.browser.conftest import log_in, screenshot
from tests.web.inbox import world

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, user_id: int) -> None:
    log_in(page, User.objects.get(pk=user_id).username)


def _to_french(page) -> None:
    page.locator("#language-switcher select").select_option("fr")
    page.locator("html[lang=fr]").wait_for()


def test_the_brand_inbox_in_english_then_french(page):
    w = world.build()
    _login(page, w.brand.user_id)
    # the navigation counts what waits, and the Inbox item opens the inbox
    inbox_link = page.locator("nav.top").get_by_role("link", name="Inbox")
    assert inbox_link.locator(".badge").inner_text() == "6"
    inbox_link.click()
    assert page.locator("h1").inner_text() == "Inbox"
    section = page.locator("#applications_to_review")
    assert section.locator("h2").inner_text() == "2 Applications to review"
    assert section.locator("tbody tr").count() == 2
    assert page.locator("#reports_ready h2").inner_text() == "1 Report ready"  # the singular for one
    assert "late" in page.locator("#posts_overdue tbody").inner_text()
    screenshot(page, "inbox-brand-en")
    # in French, the same lists in French
    _to_french(page)
    assert page.locator("h1").inner_text() == "Boîte de réception"
    assert page.locator("#applications_to_review h2").inner_text() == "2 Candidatures à examiner"
    assert "en retard" in page.locator("#posts_overdue tbody").inner_text()
    screenshot(page, "inbox-brand-fr")
    # on a phone, the lists fit the screen (no sideways scrolling)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "inbox-brand-fr-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # a line's action opens the application where the decision is taken
    page.locator("#applications_to_review tbody tr").first.get_by_role("link").click()
    page.wait_for_url(f"**/campaigns/applications/{w.to_review[0]}/")


def test_the_creator_inbox_in_french_then_english(page):
    w = world.build()
    User.objects.filter(pk=w.creator.user_id).update(preferred_language="fr")
    _login(page, w.creator.user_id)
    _to_french(page)
    page.locator("nav.top").get_by_role("link", name="Boîte de réception").click()
    assert [page.locator(f"#{kind} h2").inner_text() for kind in ("invitations", "drafts_to_fix")] == [
        "1 Invitation",
        "1 Brouillon à corriger",
    ]
    screenshot(page, "inbox-creator-fr")
    page.locator("#language-switcher select").select_option("en")
    page.locator("html[lang=en]").wait_for()
    assert page.locator("#posts_to_publish h2").inner_text() == "1 Post to publish"
    # the invitation's line opens the campaign's brief
    page.locator("#invitations").get_by_role("link", name="Read the brief").click()
    page.wait_for_url("**/brief/")
