"""Browser tests: Playwright's Python package driving Debian's Chromium (never a downloaded browser).

Where Chromium is absent they skip with a message, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("MICROREACH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "data" / "screenshots"

# Playwright's sync API keeps an event loop in the test thread; the ORM calls our tests make there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One test process runs them all, one after the other (``make test``: ``--dist loadgroup``): a
            # live server, a browser and the jobs a page starts, per test, on a shared machine.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package to run browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


def screenshot(page, name: str) -> None:
    """Save a full-page picture of ``page`` under data/screenshots/ for a reader to look at.

    The picture is a record, not the test's check: Chromium sometimes refuses a full-page capture of a
    tall page on a loaded machine ("Unable to capture screenshot"), so that case keeps the visible part
    instead, and a second refusal is a warning rather than a failure of the behaviour under test."""
    from playwright.sync_api import Error as PlaywrightError

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = str(SCREENSHOTS / f"{name}.png")
    try:
        page.screenshot(path=path, full_page=True)
    except PlaywrightError as full_page_refused:
        try:
            page.screenshot(path=path)
        except PlaywrightError as refused:
            warnings.warn(f"no screenshot {name}: {refused} (full page: {full_page_refused})", stacklevel=2)


def log_in(page, username: str, *, next_path: str = "") -> None:
    """Log ``username`` in through the login form, in any language and at any screen width.

    Waits for the page after the form (not for the "Log out" button: on a phone it sits in the folded menu).
    """
    from tests import factories

    page.goto("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(factories.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def unfold(page, details: str) -> None:
    """Open the ``details`` element (a CSS selector) where a phone shows it folded; a wider screen shows
    its content already (its summary is hidden there)."""
    summary = page.locator(f"{details} > summary")
    if summary.is_visible() and page.locator(f"{details}[open]").count() == 0:
        summary.click()


def open_menu(page) -> None:
    """Unfold the site menu where it is folded behind its "Menu" line (a phone)."""
    unfold(page, "nav.top details.nav-menu")
