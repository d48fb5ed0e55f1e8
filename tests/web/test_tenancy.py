"""Tenancy: one organisation never reads another's rows — through selectors, pages or the API.

Every model that belongs to an organisation (a subclass of ``OrganisationOwned``) must have a row
factory below, and every page and endpoint that shows an owned row must be listed with it: the test
fails for a new model nobody registered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from microreach.web.accounts.models import Membership, OrganisationOwned
from microreach.web.accounts.services import api_token_create
from microreach.web.accounts.tenancy import scoped, tenant_for
from microreach.web.campaigns.models import Campaign
from microreach.web.creators.models import FollowerSample
from microreach.web.discovery import services as discovery_services
from microreach.web.discovery.models import SavedSearch, Shortlist, ShortlistEntry
from tests import factories
from tests.web.campaigns import world as campaign_world
from tests.web.reporting import world as report_world


def _follower_sample(org) -> FollowerSample:
    account = factories.account()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    return FollowerSample.objects.create(
        organisation=org,
        account=account,
        follower_key="k" * 32,
        followers=10,
        following=2000,
        sampled_at=now,
        expires_at=now + timedelta(days=90),
    )


def _shortlist(org) -> Shortlist:
    return Shortlist.objects.create(organisation=org, name=f"{org.name} shortlist")


def _shortlist_entry(org) -> ShortlistEntry:
    account = factories.account()
    discovery_services.search_index_refresh(account_ids=[account.pk])
    return ShortlistEntry.objects.create(
        organisation=org, shortlist=_shortlist(org), account_id=account.pk, note=f"{org.name} note"
    )


def _saved_search(org) -> SavedSearch:
    return SavedSearch.objects.create(organisation=org, name=f"{org.name} search", query={"q": "food"})


# model -> (factory(org) -> row, [url templates that show the row; "{pk}" is replaced])
OWNED: dict[type, tuple[Callable, list[str]]] = {
    FollowerSample: (_follower_sample, []),
    Shortlist: (
        _shortlist,
        [
            "/discover/shortlists/{pk}/",
            "/discover/shortlists/{pk}/export.csv",
            "/api/discovery/shortlists/{pk}",
            "/api/discovery/shortlists/{pk}/export.csv",
        ],
    ),
    ShortlistEntry: (_shortlist_entry, ["/api/discovery/shortlists/entries/{pk}"]),
    SavedSearch: (_saved_search, ["/discover/saved/{pk}/", "/api/discovery/saved-searches/{pk}"]),
    **campaign_world.OWNED,
    **report_world.OWNED,
}
# Campaign reports are pages of the campaign: another brand gets 404 on each of them.
OWNED[Campaign] = (OWNED[Campaign][0], [*OWNED[Campaign][1], *report_world.CAMPAIGN_URLS])


def _owned_models() -> list[type]:
    return [m for m in apps.get_models() if issubclass(m, OrganisationOwned)]


def test_every_owned_model_has_a_tenancy_factory():
    missing = [m.__name__ for m in _owned_models() if m not in OWNED]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", _owned_models(), ids=lambda m: m.__name__)
def test_owned_rows_are_invisible_to_another_brand(model):
    # given a row of brand A
    admin_a, admin_b = factories.member(), factories.member()
    org_a = Membership.objects.get(user=admin_a).organisation
    factory, urls = OWNED[model]
    row = factory(org_a)
    # then brand B's tenant sees none of them, brand A sees it
    assert list(scoped(model, tenant_for(admin_b))) == []
    assert list(scoped(model, tenant_for(admin_a))) == [row]
    # and every page / endpoint showing it answers 404 to brand B, changing nothing
    client_b = Client()
    client_b.force_login(admin_b)
    for template in urls:
        url = template.format(pk=row.pk)
        assert client_b.get(url).status_code == 404, url
        assert client_b.post(url, {}).status_code in (404, 405), url
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_agency_acts_for_its_client_brands_only():
    agency = factories.organisation(kind="agency")
    client_brand = factories.organisation(managed_by=agency)
    stranger = factories.organisation()
    agent = factories.member(org=agency)
    tenant = tenant_for(agent)
    assert tenant.organisation_ids == frozenset({agency.pk, client_brand.pk})
    assert stranger.pk not in tenant.organisation_ids


@pytest.mark.django_db
def test_api_token_is_scoped_to_its_organisation():
    user = factories.member()
    second_org = factories.organisation()
    Membership.objects.create(user=user, organisation=second_org, role="member")
    _token, raw = api_token_create(user=user, organisation_id=second_org.pk)
    me = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert me["organisation"]["id"] == second_org.pk


def _all_get_urls() -> list[str]:
    """Every URL pattern of ours without parameters (pages and API list endpoints)."""
    found: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("admin/"):
                    continue
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and "(" not in route and "^" not in route:
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


@pytest.mark.django_db
def test_no_page_or_endpoint_shows_another_brands_owned_rows():
    # given brand A owns one row of every owned model, with recognisable keys
    admin_a, admin_b = factories.member(), factories.member()
    org_a = Membership.objects.get(user=admin_a).organisation
    rows = [factory(org_a) for factory, _urls in OWNED.values()]
    marker = org_a.name
    client_b = Client()
    client_b.force_login(admin_b)
    # when brand B opens every page and endpoint without parameters
    for url in _all_get_urls():
        response = client_b.get(url)
        # then none answers with a server error, and none shows brand A
        assert response.status_code < 500, url
        assert marker.encode() not in response.content, url
    assert all(type(r).objects.filter(pk=r.pk).exists() for r in rows)


def test_creator_user_id_is_the_creators_id_and_404_for_anyone_else():
    from django.http import Http404

    from microreach.web.accounts.tenancy import ANONYMOUS, Tenant, creator_user_id

    creator = Tenant(
        user_id=7, organisation_id=3, organisation_ids=frozenset({3}), kind="creator", role="admin"
    )
    brand = Tenant(user_id=8, organisation_id=4, organisation_ids=frozenset({4}), kind="brand", role="admin")
    assert creator_user_id(creator) == 7
    for other in (brand, ANONYMOUS):
        with pytest.raises(Http404):
            creator_user_id(other)
