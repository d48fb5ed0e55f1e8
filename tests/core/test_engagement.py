from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from microreach.core.engagement import (
    BenchmarkTable,
    FormulaSpec,
    WindowSpec,
    compare_engagement,
    engagement_summary,
    engagements,
    peer_median_source,
    post_rate,
    select_posts,
)
from microreach.core.records import Network
from tests.core import records_factory as f

EMPTY = BenchmarkTable("none", ())


def test_engagements_sums_present_counts_only():
    assert engagements(post=f.post(likes=10, comments=2, shares=None, saves=3)) == 15
    assert engagements(post=f.post(likes=None, comments=None)) is None


def test_instagram_rate_by_followers_mean_and_median():
    # given three posts on a 1,000-follower account
    posts = [
        f.post("a", likes=10, comments=0),
        f.post("b", likes=20, comments=0),
        f.post("c", likes=60, comments=0),
    ]
    # when
    result = engagement_summary(
        posts=posts,
        network=Network.INSTAGRAM,
        followers=1_000,
        window=WindowSpec(),
        as_of=f.AS_OF,
        table=EMPTY,
    )
    # then
    assert result.primary_basis == "followers"
    assert result.primary.mean == 0.03
    assert result.primary.median == 0.02
    assert result.benchmark.kind == "none"


def test_tiktok_rate_by_views_and_reach_when_known():
    views = [f.post("a", network=Network.TIKTOK, likes=50, comments=0, views=1_000)]
    by_views = engagement_summary(
        posts=views, network=Network.TIKTOK, followers=10, window=WindowSpec(), as_of=f.AS_OF, table=EMPTY
    )
    assert (by_views.primary_basis, by_views.primary.median) == ("views", 0.05)
    reach = [f.post("a", likes=50, comments=0, reach=500)]
    by_reach = engagement_summary(
        posts=reach,
        network=Network.INSTAGRAM,
        followers=10_000,
        window=WindowSpec(),
        as_of=f.AS_OF,
        table=EMPTY,
    )
    assert (by_reach.primary_basis, by_reach.primary.median) == ("reach", 0.1)
    assert by_reach.reach_to_followers_median == 0.05


def test_window_skips_young_old_and_duplicate_posts():
    posts = [
        f.post("new", days_ago=0.5),
        f.post("ok", days_ago=5),
        f.post("ok", days_ago=5),
        f.post("old", days_ago=200),
    ]
    chosen = select_posts(posts=posts, window=WindowSpec(last_days=90, last_posts=10), as_of=f.AS_OF)
    assert [p.network_post_id for p in chosen] == ["ok"]


def test_benchmark_compared_on_its_own_formula(config):
    # given a 3k-follower Instagram account with saves (which HypeAuditor's formula ignores)
    posts = [f.post("a", likes=100, comments=20, saves=500)]
    # when
    cmp = compare_engagement(
        posts=posts,
        network=Network.INSTAGRAM,
        followers=3_000,
        table=config.benchmarks,
        peer_median=None,
        peer_label=None,
    )
    # then: (likes + comments) / followers = 0.04 against the 1k–5k row (4.26 %)
    assert cmp.kind == "published"
    assert cmp.account_value == 0.04
    assert cmp.reference_value == 0.0426
    assert "HypeAuditor" in cmp.source.text


def test_peer_median_used_when_no_benchmark_formula(config):
    posts = [f.post("a", network=Network.TIKTOK, likes=100, comments=0, views=1_000)]
    cmp = compare_engagement(
        posts=posts,
        network=Network.TIKTOK,
        followers=3_000,
        table=config.benchmarks,
        peer_median=0.05,
        peer_label=peer_median_source(peers=40, network="tiktok", low=2_500, high=3_500, population="pop-1"),
    )
    assert (cmp.kind, cmp.account_value, cmp.reference_value, cmp.ratio) == ("peer-derived", 0.1, 0.05, 2.0)
    # and it says where its reference comes from, as a code for the interface and in English
    assert cmp.source.code == "peer_median_source"
    assert dict(cmp.source.params)["peers"] == 40
    assert cmp.source.text == "median of 40 tiktok accounts with 2,500–3,500 followers (population pop-1)"


@given(
    st.integers(min_value=-10, max_value=10**7) | st.none(),
    st.integers(min_value=-10, max_value=10**7) | st.none(),
    st.integers(min_value=-10, max_value=10**9),
)
def test_rates_are_never_negative_or_division_by_zero(likes, comments, followers):
    rate = post_rate(
        post=f.post(likes=likes, comments=comments),
        formula=FormulaSpec(("likes", "comments"), "followers", "mean", False),
        followers=followers,
    )
    assert rate is None or rate >= 0


def test_a_relay_nobody_can_compute_is_said_under_the_basis_the_posts_have():
    from microreach.core.engagement import compared_relay

    # given posts without shares or saves: with views (YouTube), and without (an Instagram export)
    with_views = [f.post(str(i), network=Network.YOUTUBE, views=1_000 + i) for i in range(3)]
    without_views = [f.post(str(i)) for i in range(3)]
    # then neither has a relay, each under the basis its peers are compared on
    on_views = compared_relay(posts=with_views, followers=500)
    on_followers = compared_relay(posts=without_views, followers=500)
    assert (on_views.median, on_views.posts_used, on_views.basis) == (None, 0, "views")
    assert (on_followers.median, on_followers.posts_used, on_followers.basis) == (None, 0, "followers")
    # and a post with shares and no views gives the relay per follower
    shared = compared_relay(posts=[f.post("s", shares=5, saves=5)], followers=500)
    assert (shared.median, shared.basis) == (0.02, "followers")
