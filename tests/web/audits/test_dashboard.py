"""audits/dashboard.py: what a brand's home says of the audits, in words, never the snapshot's id."""

from __future__ import annotations

import pytest

from microreach.web.audits import selectors
from microreach.web.audits import services as audit_services
from tests.web.campaigns import helpers as h
from tests.web.test_same_figures import _creator

pytestmark = pytest.mark.django_db


def test_the_brand_home_dates_the_peer_figures_without_the_snapshot_id(client_for):
    # given a creator audited against a population snapshot (named 'pop-…')
    _user, _tenant, account = _creator("home.dated", 18_000, seed=5)
    audit_services.population_rebuild()
    audit_services.audits_run(account_ids=[account.pk])
    population = selectors.audit_summary()["population_id"]
    assert str(population).startswith("pop-")
    # when a brand reads its home
    user, _tenant = h.brand()
    html = client_for(user).get("/accounts/home/").content.decode()
    section = html[html.index("<strong>Audits</strong>") :].split("</article>")[0]
    # then the section says when the peers were measured, in words, and not the snapshot's id
    assert "Each creator is compared with their peers as measured on " in section
    assert population not in section and "pop-" not in section
