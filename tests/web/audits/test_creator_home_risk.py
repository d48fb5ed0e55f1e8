"""A creator's home says each profile's risk once: the column is labelled "Risk", its cell holds the level
alone and the reasons that made it ("Risk: Medium: 1 sponsored post…"), never "Risk: Medium risk" or
"Risque : Risque pas encore évalué"."""

from __future__ import annotations

import re

import pytest

from microreach.web.audits.models import AuditRecord
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _risk_cells(page: str) -> list[str]:
    title = "My audited figures" if "My audited figures" in page else "Mes chiffres audités"
    section = page[page.index("<table", page.index(title)) :]
    return [
        re.sub(r"\s+", " ", cell).strip()
        for cell in re.findall(r'<td data-label="(?:Risk|Risque)">(.*?)</td>', section, re.S)
    ]


def test_a_profile_without_a_risk_verdict_says_not_assessed_yet_once(client_for):
    # given a creator whose audited profile has no risk verdict stored yet
    user, _tenant, _account = h.audited_creator(handle="no.verdict")
    # when she reads her home in English
    page = client_for(user).get("/accounts/home/").content.decode()
    # then the Risk cell says the state in its own words, without repeating the column's label
    assert _risk_cells(page) == ["Not assessed yet"]
    assert "Risk not assessed yet" not in page


def test_a_medium_risk_names_its_level_and_its_reason(client_for):
    # given a creator whose profile is at medium risk for one undisclosed sponsored post
    user, _tenant, account = h.audited_creator(handle="one.undisclosed")
    AuditRecord.objects.filter(account=account).update(
        risk_level="medium",
        risk={
            "level": "medium",
            "reasons": [
                {
                    "code": "risk_undisclosed",
                    "params": {"posts": 1},
                    "level": "medium",
                    "evidence": "credibility",
                }
            ],
        },
    )
    # when she reads her home
    page = client_for(user).get("/accounts/home/").content.decode()
    # then the cell gives the level, then why
    assert _risk_cells(page) == ["Medium: 1 sponsored post without the required label"]
    assert "Medium risk" not in page


def test_in_french_the_risk_cell_does_not_repeat_risque(client_for):
    # given the same creator without a verdict, reading in French (needs the catalogue's "risk" words)
    user, _tenant, _account = h.audited_creator(handle="sans.verdict")
    page = client_for(user).get("/accounts/home/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the cell reads "pas encore évalué", under the column "Risque"
    assert _risk_cells(page) == ["Pas encore évalué"]
    assert "Risque pas encore évalué" not in page
