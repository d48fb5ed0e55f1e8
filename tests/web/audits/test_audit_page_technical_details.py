"""The audit page speaks the reader's words first: when the audit was made, in a sentence; the version names
(rules, model, population snapshot, benchmarks, score weights) folded under "Technical details" for whoever
must reproduce it. A creator is not told to import a follower sample, which only a brand can do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from microreach.web.audits import services as audit_services
from microreach.web.audits.models import AuditRecord
from microreach.web.formatting import day
from tests.web.test_same_figures import _creator

pytestmark = pytest.mark.django_db


@pytest.fixture
def creators_audit_page():
    """A creator's own profile, audited for real (shared audit, no follower sample); his audit page."""
    user, _tenant, account = _creator("karim.fit", 18_000, seed=5)
    audit_services.population_rebuild()
    audit_services.audits_run(account_ids=[account.pk])
    record = AuditRecord.objects.get(account=account, is_latest=True)
    web = Client()
    web.force_login(user)
    return web.get("/audits/instagram/karim.fit/").content.decode(), record


def _unfolded(page: str) -> str:
    """The page without its folded parts (technical details, each section's "How this is computed")."""
    return re.sub(r"<details\b.*?</details>", "", page, flags=re.S)


def test_the_version_names_are_folded_under_technical_details(creators_audit_page):
    # given a creator's own audit, made with named rules, model and population snapshot
    page, record = creators_audit_page
    names = [*record.versions.values(), record.result["score"]["weights_version"]]
    assert record.versions["population"].startswith("pop-") and len(names) >= 4
    # when he reads it, then a plain sentence says when it was made
    said = f"Audited on {day(record.as_of)}, with the rules, models and reference figures in force that day."
    assert said in page
    # and every version name, the score weights' too, is in the folded technical details, never unfolded
    details = re.search(r'<details id="technical-details".*?</details>', page, re.S)
    assert details is not None and '<details id="technical-details" class="muted">' in details.group(0)
    for name in names:
        assert name in details.group(0), name
        assert name not in _unfolded(page), name
    assert "Versions:" not in page


def test_a_creator_is_told_what_brands_see_not_to_import_a_follower_sample(creators_audit_page):
    # given a creator's own audit whose fake-follower share is estimated (no follower sample)
    page, record = creators_audit_page
    assert record.fake_source == "estimated"
    # then the page does not ask him to import a sample to his organisation, and says what brands see
    assert "import one (it stays private to your organisation)" not in page
    assert "No follower sample: brands see this figure, except a brand that measured your followers" in page


def test_every_table_of_the_audit_page_stacks_on_a_phone():
    # the sponsored posts (a long "Why" per row) and the growth anomalies scrolled sideways in a 390 px
    # window; every table of the page is table.responsive: one labelled card per row on a phone
    source = (Path(__file__).parents[3] / "src/microreach/web/audits/templates/audits/audit.html").read_text()
    tables = re.findall(r"<table\b[^>]*>", source)
    assert len(tables) >= 4
    for table in tables:
        assert re.search(r'class="[^"]*\bresponsive\b', table), table
