"""A French creator on a phone (390×844) reads her pages without scrolling sideways: the home's audited
figures stack as one card per profile (score, fake-follower share and risk on the first screen), the open
campaigns say in full which profile fits and why another does not, and the header of her profiles' table
is whole. Screenshots under data/screenshots/ (``creator-phone-<page>``)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microreach.web.audits.models import AuditRecord
from microreach.web.creators.models import Creator
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns.helpers import audited_creator, brand, open_campaign

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}

# An element cut by its own box: its content is wider than what it shows.
CLIPPED = "el => el.scrollWidth > el.clientWidth"
# What a cell of a table.responsive shows before its value on a phone: its column's header.
LABEL = "el => getComputedStyle(el, '::before').content"


def _creator_world() -> str:
    """A creator with two audited profiles (Instagram and TikTok) and two open campaigns: one that fits her
    Instagram profile, one that asks for macro creators only. Returns her username."""
    user, _tenant, instagram = audited_creator(
        username="clemence", handle="clemence_richard.lifestyle", score=72.0, fake=0.08
    )
    tiktok = factories.account(
        network="tiktok",
        handle="clemence.richard.cuisine",
        followers=48_000,
        country="FR",
        creator=Creator.objects.get(pk=instagram.creator_id),
    )
    AuditRecord.objects.create(
        account=tiktok,
        population_id="test",
        as_of=datetime(2026, 11, 1, tzinfo=UTC),
        status="ok",
        score=41.0,
        tier="micro",
        engagement_rate=0.02,
        fake_share=0.31,
        pod_flagged=True,
        growth_spikes=2,
        sponsored_share=0.2,
        result={},
    )
    _brand_user, brand_tenant = brand()
    open_campaign(brand_tenant, title="Chemises en lin pour l'été", networks=["instagram"])
    open_campaign(brand_tenant, title="Grande tournée des macro-créateurs", tiers=["macro"])
    return user.username


def _in_viewport(page, locator) -> bool:
    """The element's box lies wholly inside the window (no sideways or downward scroll needed)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"] + 1
        and box["y"] + box["height"] <= size["height"] + 1
    )


def test_a_creator_reads_her_figures_campaigns_and_profiles_on_a_phone_in_french(browser, live_server):
    # given a French creator with audited profiles and open campaigns, on a 390×844 phone
    username = _creator_world()
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        log_in(page, username)

        # when she opens her home page
        page.goto("/accounts/home/")
        section = page.locator("article", has=page.locator("header", has_text="Mes chiffres audités"))
        first_row = section.locator("tbody tr").first
        first_row.scroll_into_view_if_needed()
        screenshot(page, "creator-phone-home")
        # then her first profile's score, fake-follower share and risk are on the screen, each labelled
        page.evaluate("() => window.scrollTo(0, 0)")
        first_row.evaluate("el => el.scrollIntoView({block: 'start'})")
        for label in ("Score de qualité d’audience", "Faux abonnés", "Risque"):
            cell = first_row.locator(f'td[data-label="{label}"]')
            assert cell.count() == 1, label
            assert _in_viewport(page, cell), (label, cell.bounding_box())
        # and nothing scrolls sideways, neither the page nor the table
        assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
        assert not section.locator("table").evaluate(CLIPPED)

        # when she opens the campaigns
        page.goto("/campaigns/")
        screenshot(page, "creator-phone-campaigns")
        feed = page.locator("#feed")
        fits = feed.locator("tr", has_text="Chemises en lin").locator(".feed-eligibility")
        page.locator("#feed-others > summary").click()  # the campaigns no profile fits, folded
        refused = page.locator("#feed-other tr", has_text="Grande tournée").locator(".feed-eligibility")
        # then which profile fits, and why the other campaign is not for her, are shown whole
        assert "@clemence_richard.lifestyle" in fits.inner_text()
        assert refused.inner_text().startswith("Pas pour vous")
        for cell in (fits, refused):
            cell.scroll_into_view_if_needed()
            assert cell.is_visible()
            assert not cell.evaluate(CLIPPED), cell.inner_text()
            box = cell.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
        assert not feed.evaluate(CLIPPED)
        assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")

        # when she opens her profiles
        page.goto("/creators/mine/")
        screenshot(page, "creator-phone-mine")
        table = page.locator("#my-profiles")
        # then each column's header is read whole beside its value, on the screen, and nothing is cut
        cells = table.locator("tbody tr").first.locator("td")
        labels = [cells.nth(i).evaluate(LABEL) for i in range(cells.count())]
        assert labels == [
            '"Réseau\u00a0: "',
            '"Identifiant\u00a0: "',
            '"Abonnés\u00a0: "',
            '"Données de\u00a0: "',
        ]
        for i in range(cells.count()):
            assert _in_viewport(page, cells.nth(i)), labels[i]
            assert not cells.nth(i).evaluate(CLIPPED), labels[i]
        assert not table.evaluate(CLIPPED)
        assert page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
