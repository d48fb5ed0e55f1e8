"""The Inbox item of the navigation carries the number of things waiting, read in a fixed, small number of
queries whatever the number of applications (it is on every page)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.inbox import dashboard
from tests import factories
from tests.web.campaigns import helpers as h
from tests.web.inbox import world

pytestmark = pytest.mark.django_db

# brand: one aggregate over applications, drafts, completed campaigns; creator: applications, drafts, invitations
NAV_QUERIES = 3


def test_the_brand_nav_count_takes_three_queries_whatever_the_number_of_applicants(
    django_assert_max_num_queries,
):
    # given a brand with 40 more applicants waiting for a decision than the world's
    w = world.build()
    for n in range(40):
        h.apply(w.campaign, handle=f"extra.{n}")
    # when the navigation is built
    with django_assert_max_num_queries(NAV_QUERIES):
        started = time.perf_counter()
        items = dashboard.nav(w.brand)
        took = time.perf_counter() - started
    # then the Inbox item counts everything waiting
    assert [(i.label, i.url, i.badge) for i in items] == [("Inbox", "/inbox/", 46)]
    print(f"brand nav count: 46 things waiting in {took * 1000:.1f} ms")


def test_the_creator_nav_count_takes_three_queries(django_assert_max_num_queries):
    w = world.build()
    with django_assert_max_num_queries(NAV_QUERIES):
        items = dashboard.nav(w.creator)
    assert [(i.label, i.badge) for i in items] == [("Inbox", 5)]


def test_the_badge_adds_at_most_three_queries_to_a_page(client_for):
    # given a brand with things waiting
    w = world.build()
    brand_client = client_for(factories.User.objects.get(pk=w.brand.user_id))
    brand_client.get(reverse("accounts:tokens"))  # session and caches warm
    # when it opens a page that is not about campaigns
    with CaptureQueriesContext(connection) as page:
        response = brand_client.get(reverse("accounts:tokens"))
    assert b'class="badge" data-count="6"' in response.content
    badge = [q["sql"] for q in page.captured_queries if "campaigns_" in q["sql"]]
    # then the page reads campaigns' tables only for the badge, in three queries at most
    assert len(badge) <= NAV_QUERIES, badge


def test_nobody_without_a_side_gets_an_inbox_item(operator):
    assert dashboard.nav(tenant_for(operator)) == []
