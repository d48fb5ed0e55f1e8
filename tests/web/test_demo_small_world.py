"""The demo prepares on a small simulated world (issue 18: a 40-creator world crashed in the demo campaigns
with an InvalidInput about a country mismatch)."""

from __future__ import annotations

from datetime import date

import pytest
from rich.console import Console

from microreach.cli.runtime import _ensure_demo_users
from microreach.web.accounts.models import Membership, User
from microreach.web.campaigns.models import Application, Campaign
from microreach.web.demo_data import demo_prepare
from microreach.web.discovery.models import SearchRow, Shortlist


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_prepares_on_a_40_creator_world(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.MICROREACH["AUDIT_PROCESSES"] = 1
    _ensure_demo_users()
    brand_id = Membership.objects.filter(user__username="brand").values_list("organisation_id", flat=True)[0]
    creator_id = User.objects.get(username="creator").pk

    def prepare():
        return demo_prepare(
            creators=40,
            brand_id=brand_id,
            creator_user_id=creator_id,
            today=date(2026, 11, 1),
            console=Console(quiet=True),
        )

    # when the demo is prepared on a world of 40 creators
    prepared = prepare()
    # then nothing failed and the demo brand has its campaigns in every state, with applicants
    assert prepared.failed == ()
    own = Campaign.objects.filter(organisation_id=brand_id, external_key="")
    assert sorted(own.values_list("state", flat=True)) == [
        "cancelled",
        "closed",
        "completed",
        "draft",
        "open",
        "running",
    ]
    assert Application.objects.filter(campaign__in=own).count() >= 9
    # every application of the open campaign fits its targeting (the country the demo creator's account has)
    opened = own.get(state="open")
    countries = list(opened.countries or [])
    for application in Application.objects.filter(campaign=opened).select_related("account"):
        assert not countries or application.account.country in countries
    # and the demo brand has a shortlist to try, of creators whose fake share is under 10 %
    shortlist = Shortlist.objects.get(organisation_id=brand_id)
    rows = SearchRow.objects.filter(account_id__in=shortlist.entries.values("account_id"))
    assert 1 <= len(rows) <= 8
    assert all(r.fake_share is not None and r.fake_share <= 0.10 for r in rows)
    # and preparing again keeps it as it is: one list, the same creators
    kept = sorted(shortlist.entries.values_list("account_id", flat=True))
    assert prepare().failed == ()
    again = Shortlist.objects.get(organisation_id=brand_id)
    assert sorted(again.entries.values_list("account_id", flat=True)) == kept
