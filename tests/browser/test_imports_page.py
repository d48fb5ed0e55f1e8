from __future__ import annotations

import pytest

from microreach.web.creators.models import SocialAccount
from tests import factories
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

CSV = """# microreach: record_type=account, version=1
network,handle,followers,bio
instagram,lea.cuisine,12000,Cuisine végane à Lyon
instagram,tom.trail,3200,=cmd|' /C calc'!A0
"""


def test_operator_upload_shows_located_errors_then_imports(page, tmp_path):
    factories.user(username="ops", staff=True)
    log_in(page, "ops")
    page.get_by_role("link", name="Imports").first.click()
    bad = tmp_path / "accounts.csv"
    bad.write_text(CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Import").click()
    page.locator("#import-state", has_text="Rejected").wait_for()
    row = page.locator("#import-errors tbody tr").first
    assert "4" in row.inner_text() and "bio" in row.inner_text()
    screenshot(page, "import-rejected")
    assert SocialAccount.objects.count() == 0
    # fixing the file and uploading again imports it
    bad.write_text(CSV.replace("=cmd|' /C calc'!A0", "Trail et montagne"), encoding="utf-8")
    page.get_by_role("link", name="Imports").first.click()
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Import").click()
    page.locator("#import-state", has_text="Done").wait_for()
    assert SocialAccount.objects.count() == 2
