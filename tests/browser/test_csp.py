"""The Content-Security-Policy in a real browser: the main pages run (htmx, the language switcher, the API
docs' Swagger UI) without one violation, and /api/docs renders from our own static files."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def _watch(page) -> list[str]:
    """Console errors (a CSP violation is one: "Refused to ...") and requests to another host."""
    problems: list[str] = []
    page.on(
        "console",
        # a failed download is reported below with its address
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            # the browser asks every site for /favicon.ico; the admin's pages do not name ours
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "request",
        lambda request: (
            problems.append(f"external request: {request.url}")
            if not request.url.startswith(("http://localhost", "data:", "blob:"))
            else None
        ),
    )
    return problems


def test_main_pages_run_without_csp_violations(page, live_server):
    problems = _watch(page)
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    # login page, then the brand's pages
    log_in(page, user.username)
    # discover: typing runs htmx (the request leaves empty filters out, see static/microreach.js)
    page.goto("/discover/")
    with page.expect_response(lambda r: "/discover/" in r.url and "q=linen" in r.url) as answer:
        page.get_by_label("Keywords").fill("linen")
    assert answer.value.status == 200
    # the address bar shows only the filters in use: no "network=&tier=&…"
    page.wait_for_url(re.compile(r"/discover/\?q=linen&sort=relevance$"))
    # the applicants list: accepting swaps the row's Decision cell (htmx) without a violation
    _creator, application = h.apply(campaign)
    page.goto(f"/campaigns/{campaign.pk}/applicants/")
    page.locator(f"#row-{application.pk} td.row-actions button").first.click()
    page.locator(f"#row-{application.pk} td.row-actions .decision-taken").wait_for()
    page.wait_for_load_state("networkidle")
    # a campaign page (htmx loaded with the base template)
    page.goto(f"/campaigns/{campaign.pk}/")
    page.get_by_role("heading", name=campaign.title).first.wait_for()
    # the language switcher submits through the static script, not an inline handler
    # (the form submits after the change event: wait for the French page, not for the current one)
    page.get_by_label("Language").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert problems == []


def test_api_docs_render_from_our_static_files(page):
    problems = _watch(page)
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "microreach API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-tag").first.wait_for()
    screenshot(page, "api-docs")
    assert problems == []


def test_admin_pages_run_without_csp_violations(page):
    problems = _watch(page)
    operator = factories.user(username="ops", staff=True)
    operator.is_superuser = True
    operator.save()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("ops")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out")).first.wait_for()
    for path in ("/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{operator.pk}/change/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    screenshot(page, "admin-user-change")
    assert problems == []
