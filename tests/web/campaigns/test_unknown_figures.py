"""Campaign rules and creators not audited yet: the brand chooses, and the creator is told the true reason."""

from __future__ import annotations

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.audits.models import AuditRecord
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import Application
from microreach.web.campaigns.services.application import application_create
from microreach.web.creators.models import Creator
from microreach.web.jobs.models import Job
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _unaudited_creator():
    user = factories.creator_user()
    account = factories.account(followers=20_000, country="FR")
    Creator.objects.filter(pk=account.creator_id).update(
        claimed_by=user, claimed_at=h.datetime(2026, 1, 1, tzinfo=h.UTC)
    )
    return tenant_for(user), account


def _apply(tenant, campaign, account):
    return application_create(
        tenant=tenant, campaign_id=campaign.pk, account_id=account.pk, pitch="", accept_brief=True
    )


def test_a_brand_that_excludes_creators_not_audited_yet_says_so():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, max_fake_share=0.25, unknown_figures="exclude")
    tenant, account = _unaudited_creator()
    with pytest.raises(InvalidInput) as err:
        _apply(tenant, campaign, account)
    assert err.value.details["reasons"] == [
        "this profile has not been audited yet, and the brand only takes audited creators"
    ]
    assert not Application.objects.exists()


@pytest.mark.parametrize("policy, audits_queued", [("allow", 0), ("audit", 1)])
def test_a_creator_not_audited_yet_may_apply_and_is_audited_on_application(policy, audits_queued):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, max_fake_share=0.25, min_quality_score=50, unknown_figures=policy)
    tenant, account = _unaudited_creator()
    app = _apply(tenant, campaign, account)
    assert (app.state, app.audit_at, app.fake_source) == ("applied", None, "none")
    queued = Job.objects.filter(kind="audits.refresh", payload__account_ids=[account.pk]).count()
    assert queued == audits_queued


def test_an_estimated_fake_share_above_the_limit_is_said_as_estimated():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, max_fake_share=0.25)
    _u, tenant, account = h.audited_creator(fake=0.31)
    AuditRecord.objects.filter(account=account).update(fake_source="estimated")
    with pytest.raises(InvalidInput) as err:
        _apply(tenant, campaign, account)
    assert err.value.details["reasons"] == [
        "estimated fake-follower share 31.0% is above 25.0% (no follower sample)"
    ]


def test_a_measured_fake_share_within_the_limit_is_eligible_and_its_figures_are_copied():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, max_fake_share=0.25)
    _u, tenant, account = h.audited_creator(fake=0.1, score=82.7)
    AuditRecord.objects.filter(account=account).update(
        fake_source="measured", fake_low=0.07, fake_high=0.13, risk_level="low"
    )
    app = _apply(tenant, campaign, account)
    assert (
        app.quality_score,
        app.fake_share,
        app.fake_low,
        app.fake_high,
        app.fake_source,
        app.risk_level,
    ) == (
        82.7,
        0.1,
        0.07,
        0.13,
        "measured",
        "low",
    )
