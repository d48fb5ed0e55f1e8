from __future__ import annotations

import re

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.creators import services
from microreach.web.creators.errors import AlreadyClaimed, ClaimCodeMissing, NotACreator
from microreach.web.creators.models import ProfileClaim, SocialAccount
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


# --- the claim form on /creators/mine/ ---------------------------------------------------------------


def _claim_messages(user, handle: str, network: str = "instagram", language: str = "en") -> str:
    """The messages the page shows after the creator's claim."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.post(
        "/creators/mine/", {"network": network, "handle": handle}, follow=True, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    messages = re.search(r'<ul class="messages">(.*?)</ul>', response.content.decode(), re.S)
    assert messages, "no message"
    return messages.group(1)


@pytest.mark.parametrize("typed", ["@lea_cuisine ", "  lea_cuisine", "@ Lea_Cuisine", "@@lea_cuisine"])
def test_the_claim_form_reads_the_handle_without_its_at_and_spaces(typed):
    from microreach.web.creators.forms import ClaimForm

    form = ClaimForm({"network": "instagram", "handle": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["handle"] == "lea_cuisine"


@pytest.mark.parametrize(
    ("typed", "error"), [("@", "Type the handle after the @."), ("lea cuisine", "A handle has no spaces.")]
)
def test_the_claim_form_refuses_what_is_no_handle(typed, error):
    from microreach.web.creators.forms import ClaimForm

    form = ClaimForm({"network": "instagram", "handle": typed})
    assert not form.is_valid()
    assert form.errors["handle"] == [error]


@pytest.mark.django_db
def test_a_handle_typed_with_its_at_and_a_space_is_claimed(creator):
    # given the account is in microreach
    account = factories.account(network="instagram", handle="lea_cuisine")
    # when the creator types it with its "@" and a trailing space
    page = _claim_messages(creator, "@lea_cuisine ")
    # then she gets her code for that account
    claim = ProfileClaim.objects.get(user=creator)
    assert claim.account_id == account.pk
    assert f"Put the code {claim.code} in the bio of @lea_cuisine, then check." in page


@pytest.mark.django_db
def test_an_account_microreach_does_not_hold_says_to_connect_it_instead(creator):
    # when the creator claims an Instagram account microreach does not hold
    page = _claim_messages(creator, "@lea_cuisine ")
    # then the message names it once with its "@" and says what to do instead, with the link
    assert (
        "No Instagram account @lea_cuisine in microreach. Connect it instead: microreach reads it from "
        'Instagram and it is yours, with no code to put in your bio. <a href="/connections/">'
        "Connect my Instagram account</a>"
    ) in page
    assert "@@" not in page
    assert not ProfileClaim.objects.exists()


@pytest.mark.django_db
def test_the_account_not_found_is_said_in_french_without_a_double_at(creator):
    page = _claim_messages(creator, "@lea_cuisine ", language="fr")
    assert "Aucun compte Instagram @lea_cuisine dans microreach." in page
    assert "@@" not in page
    assert '<a href="/connections/">' in page  # its words wait for the French catalogue


@pytest.mark.django_db
def test_a_network_microreach_cannot_connect_offers_no_connection(creator):
    page = _claim_messages(creator, "lea_cuisine", network="twitch")
    assert "No Twitch account @lea_cuisine in microreach." in page
    assert '<a href="/connections/">' not in page
