"""The site menu on a laptop: when a long menu (French, a brand's) takes two rows, the site's name stays on
the first row, beside the links."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_sites_name_sits_on_the_menus_first_row(browser, live_server, language):
    # given a brand member on a 1366-px laptop, reading in French or English
    factories.member(username=f"menu-{language}")
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": 1366, "height": 768},
    )
    page = context.new_page()
    log_in(page, f"menu-{language}")
    assert page.locator("html").get_attribute("lang") == language
    screenshot(page, f"site-menu-{language}-1366")
    # then the name and the first link share a row (were 47 px apart in French, the name between two rows)
    name = page.locator("nav.top a.brand").bounding_box()
    first = page.locator("nav.top .nav-links a").first.bounding_box()
    assert abs((name["y"] + name["height"] / 2) - (first["y"] + first["height"] / 2)) < 8
    # and the links follow the name, the language and log-out group on the right
    assert first["x"] - (name["x"] + name["width"]) < 40
    logout = page.locator("nav.top .nav-end button[type=submit]").bounding_box()
    assert logout["x"] + logout["width"] > 1366 - 120
    # and nothing of the menu leaves the window
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    context.close()
