"""Accessibility of the main pages, checked by axe-core in Chromium, as a brand and as a creator, in EN and FR.

axe-core is vendored (``tests/browser/vendor/axe.min.js``, see its README) and injected by Playwright into
each page; the pages must have no *serious* or *critical* violation of WCAG 2.1 A/AA rules (contrast,
labels, names, landmarks, ``lang``…), and exactly one ``<h1>``. Each failure lists the rule, its impact,
the elements and axe's help link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from microreach.web.creators.models import SocialAccount
from tests.browser.conftest import log_in
from tests.web.test_same_figures import build_world

# Slow (about a minute per language on two shared cores, most of it auditing the two creators for real and
# the 21 page loads per language): marked ``slow``.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose scripts may be injected: the site's Content-Security-Policy forbids inline scripts, so
    the test browser bypasses it for axe alone (the CSP itself is tested in test_csp.py)."""

    def make(language: str):
        context = browser.new_context(base_url=live_server.url, locale=language, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return context, page

    return make


def _audit(page, path: str) -> list[str]:
    """Open ``path`` and return what is wrong with it (empty when it passes)."""
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
    # the page asked for, not one a redirect led to (it would be audited under another name)
    assert page.url.endswith(path), f"{path}: redirected to {page.url}"
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    problems = []
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING:
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            problems.append(
                f"{path}: {violation['id']} ({violation['impact']}) on {targets} — {violation['helpUrl']}"
            )
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{path}: {headings} <h1> (one expected)")
    return problems


@pytest.mark.parametrize("language", ["en-GB", "fr-FR"])
def test_main_pages_have_no_serious_accessibility_violation(axe_page, tmp_path, language):
    # given a brand with a campaign two audited creators applied to and were accepted in
    world = build_world(tmp_path)
    campaign = world["campaign"]
    apps = world["apps"]
    lea = SocialAccount.objects.get(handle="lea.cuisine")
    lea_user = lea.creator.claimed_by.username
    application = apps["lea.cuisine"].pk
    problems: list[str] = []
    # when anyone, the brand, then the creator opens the main pages
    context, page = axe_page(language)
    try:
        for path in ("/", "/accounts/login/", "/accounts/signup/brand/", "/accounts/signup/creator/"):
            problems += _audit(page, path)
        # the keyboard's focus is visible: the first field reached with Tab has an outline
        page.locator("#id_username").focus()
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        if outline in ("", "none"):
            problems.append("/accounts/login/: the focused field has no visible outline")
        log_in(page, world["brand"].username)
        ids = "&".join(f"id={app.pk}" for app in apps.values())
        for path in (
            "/accounts/home/",
            "/discover/?q=cuisine",
            f"/discover/creators/{lea.pk}/",
            "/audits/instagram/lea.cuisine/",
            "/campaigns/",
            "/campaigns/new/steps/",  # the wizard itself: /campaigns/new/ only redirects to it
            f"/campaigns/{campaign.pk}/",
            f"/campaigns/{campaign.pk}/applicants/",
            f"/campaigns/{campaign.pk}/compare/?{ids}",
            f"/campaigns/applications/{application}/",
            f"/reports/campaigns/{campaign.pk}/",
        ):
            problems += _audit(page, path)
    finally:
        context.close()
    context, page = axe_page(language)
    try:
        log_in(page, lea_user)
        for path in (
            "/accounts/home/",
            "/creators/mine/",
            "/campaigns/",
            f"/campaigns/{campaign.pk}/brief/",
            f"/campaigns/applications/{application}/",
            "/audits/instagram/lea.cuisine/",
        ):
            problems += _audit(page, path)
    finally:
        context.close()
    # then none has a serious or critical violation, and each has exactly one <h1>
    assert problems == [], "\n".join(problems)
