"""Posts named as a reader knows them (day, caption, address), looked up for many accounts in one query:
a report with replies from many creators must not run a query per creator, and an account never borrows
another account's post that has the same network id."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microreach.web.creators.contracts import account_posts_by_network_id, accounts_posts_by_network_id
from microreach.web.creators.models import Post, SocialAccount

pytestmark = pytest.mark.django_db


def _account(handle: str, posts: dict[str, str]) -> SocialAccount:
    account = SocialAccount.objects.create(network="instagram", handle=handle, followers=1200)
    for network_post_id, caption in posts.items():
        Post.objects.create(
            account=account,
            network_post_id=network_post_id,
            published_at="2026-10-01T10:00:00Z",
            caption=caption,
            url=f"https://www.instagram.com/p/{handle}-{network_post_id}/",
        )
    return account


def test_many_accounts_posts_in_one_query_each_account_its_own():
    # given two accounts whose posts share a network id ("p1"), and a third without posts
    lea = _account("lea", {"p1": "Léa's bike", "p2": "Léa's café"})
    max_ = _account("max", {"p1": "Max's run", "p3": "Max's shoes"})
    empty = _account("empty", {})
    # when asking for a few posts of each, one of them never stored, one belonging to the other account
    with CaptureQueriesContext(connection) as queries:
        found = accounts_posts_by_network_id(
            wanted={lea.pk: ["p1", "p3"], max_.pk: ["p1", "p3", "gone"], empty.pk: ["p1"]}
        )
    # then one query answers for every account, each gets its own posts only
    assert len(queries.captured_queries) == 1
    assert {k: {pid: p.caption for pid, p in v.items()} for k, v in found.items()} == {
        lea.pk: {"p1": "Léa's bike"},
        max_.pk: {"p1": "Max's run", "p3": "Max's shoes"},
    }
    # and the one-account lookup reads the same
    assert account_posts_by_network_id(account_id=max_.pk, network_post_ids=["p3"])["p3"].url.endswith(
        "/max-p3/"
    )


def test_nothing_asked_runs_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert accounts_posts_by_network_id(wanted={}) == {}
        assert accounts_posts_by_network_id(wanted={1: []}) == {}
    assert not queries.captured_queries
