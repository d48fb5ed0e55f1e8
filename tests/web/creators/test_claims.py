from __future__ import annotations

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.creators import services
from microreach.web.creators.errors import AlreadyClaimed, ClaimCodeMissing, NotACreator
from microreach.web.creators.models import SocialAccount
from tests import factories


@pytest.mark.django_db
def test_claim_by_bio_code(creator):
    account = factories.account(handle="lea.cuisine", bio="Cuisine végane à Lyon")
    tenant = tenant_for(creator)
    claim = services.claim_start(tenant=tenant, network="instagram", handle="@Lea.Cuisine")
    # the code is not in the bio yet
    with pytest.raises(ClaimCodeMissing):
        services.claim_verify(tenant=tenant, claim_id=claim.pk)
    # the newest profile data now carries it
    SocialAccount.objects.filter(pk=account.pk).update(bio=f"Cuisine végane à Lyon {claim.code}")
    services.claim_verify(tenant=tenant, claim_id=claim.pk)
    account.refresh_from_db()
    assert account.creator.claimed_by_id == creator.pk


@pytest.mark.django_db
def test_claimed_profile_cannot_be_taken_by_another_creator(creator):
    account = factories.account(handle="taken")
    account.creator.claimed_by = creator
    account.creator.save()
    other = factories.creator_user()
    with pytest.raises(AlreadyClaimed):
        services.claim_start(tenant=tenant_for(other), network="instagram", handle="taken")


@pytest.mark.django_db
def test_brands_cannot_claim(brand_admin):
    factories.account(handle="x1")
    with pytest.raises(NotACreator):
        services.claim_start(tenant=tenant_for(brand_admin), network="instagram", handle="x1")


@pytest.mark.django_db
def test_expired_follower_samples_are_purged_and_others_kept():
    from datetime import UTC, datetime, timedelta

    from microreach.web.creators.models import FollowerSample
    from microreach.web.creators.services import follower_samples_purge_expired

    account = factories.account(handle="sampled")
    org = factories.organisation()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    for key, expires in (("old", now - timedelta(days=1)), ("new", now + timedelta(days=1))):
        FollowerSample.objects.create(
            organisation=org, account=account, follower_key=key, sampled_at=now, expires_at=expires
        )
    assert follower_samples_purge_expired(now=now) == 1
    assert list(FollowerSample.objects.values_list("follower_key", flat=True)) == ["new"]
