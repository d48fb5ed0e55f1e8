"""Campaign report figures: recomputed by hand on a small campaign, and properties of the formulas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from microreach.config.loader import load_disclosure
from microreach.config.reporting import load_emv, load_fx
from microreach.core.records import Network, PostRecord, PostSnapshotRecord
from microreach.core.reporting import (
    CampaignReport,
    EmvTable,
    FxTable,
    ReportCreator,
    ReportInput,
    ReportPost,
    ReportSale,
    campaign_report,
    emv_eur,
    final_counts,
    money_per,
    post_engagements,
    ratio,
    split_cents,
)

AS_OF = datetime(2026, 11, 20, tzinfo=UTC)
# One and a half times the profile's examples: 150 in CI (derandomised, profile ``ci``), 3,000 on random seeds
# with ``make test-deep`` (profile ``deep``).
EXAMPLES = settings.default.max_examples * 3 // 2
EMV = load_emv()
FX = load_fx()
RULES = load_disclosure()
D = Decimal


def snap(day: date, likes=None, comments=None, shares=None, saves=None, views=None, reach=None):
    return PostSnapshotRecord(Network.TIKTOK, "tom", "b1", day, likes, comments, shares, saves, views, reach)


def _small_campaign(**overrides) -> ReportInput:
    a = ReportCreator(
        key="A",
        handle="lea",
        network=Network.INSTAGRAM,
        followers=8_000,
        tier="nano",
        planned_posts=2,
        fee=D("100.00"),
        product_value=D("89.00"),
        shipping=D("6.90"),
        quality_score=80.0,
        fake_share=0.1,
    )
    b = ReportCreator(
        key="B",
        handle="tom",
        network=Network.TIKTOK,
        followers=20_000,
        tier="micro",
        planned_posts=1,
        fee=D("150.00"),
        product_value=D("89.00"),
        shipping=D("0"),
        quality_score=60.0,
        fake_share=0.2,
    )
    posts = (
        ReportPost(
            "a1",
            "A",
            Network.INSTAGRAM,
            datetime(2026, 10, 1, 12, tzinfo=UTC),
            caption="Publicité — mon linge préféré @maisonverte",
            likes=400,
            comments=20,
            shares=10,
            saves=30,
            reach=5_000,
        ),
        ReportPost(
            "a2",
            "A",
            Network.INSTAGRAM,
            datetime(2026, 10, 2, 12, tzinfo=UTC),
            caption="love it #sp",
            online=False,
            likes=200,
            comments=10,
        ),
        ReportPost(
            "b1",
            "B",
            Network.TIKTOK,
            datetime(2026, 10, 3, 12, tzinfo=UTC),
            likes=250,
            snapshots=(
                snap(date(2026, 10, 4), likes=100, comments=5, shares=10, views=2_000),
                snap(date(2026, 10, 6), likes=300, comments=15, shares=30, saves=5, views=10_000),
            ),
        ),
    )
    sales = (
        ReportSale("B", D("50.00"), D("5.00"), date(2026, 10, 5)),
        ReportSale("B", D("50.00"), D("5.00"), date(2026, 10, 6)),
        ReportSale(None, D("20.00"), D("2.00"), date(2026, 10, 6)),
    )
    fields = {
        "campaign_id": 1,
        "title": "Spring linen",
        "currency": "EUR",
        "emv": EMV,
        "fx": FX,
        "as_of": AS_OF,
        "creators": (a, b),
        "posts": posts,
        "sales": sales,
        "sales_imported": True,
        "budget": D("1000"),
        "disclosure_rules": RULES,
        "jurisdictions": ("FR",),
        "tier_preset": "default",
    }
    fields.update(overrides)
    return ReportInput(**fields)


def test_every_summary_figure_matches_the_hand_computation():
    # given the small campaign; when
    r = campaign_report(data=_small_campaign())
    v = {m.key: m.value for m in r.summary}
    # then counts (b1 counts with its latest snapshot, not its stale own count of 250 likes)
    assert r.status == "ok"
    assert (v["posts_planned"], v["posts_published"], v["posts_online"]) == (3, 3, 2)
    assert (v["likes"], v["comments"], v["shares"], v["saves"]) == (900, 45, 40, 35)
    assert (v["reach"], v["views"], v["impressions"]) == (5_000, 10_000, None)
    assert v["engagements"] == 460 + 210 + 350
    # rates: ratios of sums over the posts that know both terms
    assert v["er_followers"] == 1020 / 36_000
    assert v["er_reach"] == 460 / 5_000
    assert v["er_views"] == 350 / 10_000
    assert v["relay"] == (40 + 35) / 15_000
    # money: 250 fees + 178 products + 6.90 shipping + 12 commissions
    assert v["spend"] == D("446.90")
    assert v["cpe"] == D("446.90") / 1020
    assert v["cpm"] == D("44.69")
    assert v["emv"] == D("97.20") + D("48.60") + D("200.30")
    assert v["emv_ratio"] == D("346.10") / D("446.90")
    assert (v["sales"], v["revenue"]) == (3, D("120.00"))
    assert v["cost_per_sale"] == D("446.90") / 3
    assert v["quality_score"] == 70.0
    assert abs(v["fake_share"] - 0.15) < 1e-12
    assert v["compliance"] == 0.5  # a1 compliant in FR, a2 "#sp" is not, b1 has no caption
    assert v["budget_used"] == 0.4469
    assert r.spend.fees == D("250.00") and r.spend.products == D("178.00") and r.spend.shipping == D("6.90")


def test_breakdowns_posts_daily_and_rankings_by_hand():
    r = campaign_report(data=_small_campaign())
    creators = {c.key: c for c in r.creators}
    assert creators["A"].spend == D("195.90") and creators["B"].spend == D("249.00")
    assert creators["A"].engagements == 670 and creators["B"].engagements == 350
    assert creators["B"].sales == 2 and creators["B"].revenue == D("100.00")
    assert [n.key for n in r.networks] == ["instagram", "tiktok"]
    assert {t.key: t.creators for t in r.tiers} == {"nano": 1, "micro": 1}
    posts = {p.post_id: p for p in r.posts}
    assert posts["a1"].cost == D("97.95") and posts["a1"].emv == D("97.20")
    assert posts["b1"].emv == D("200.30") and posts["b1"].likes == 300
    assert posts["a1"].compliant is True and posts["a2"].compliant is False and posts["b1"].compliant is None
    # the daily series starts on the first publication day and ends on the tables' totals: a1 and a2 (no
    # snapshot) count from their publication day, b1 from its first snapshot (nothing known on 3 October)
    assert [(p.day, p.engagements, p.views, p.posts_measured) for p in r.daily] == [
        (date(2026, 10, 1), 460, None, 1),
        (date(2026, 10, 2), 670, None, 2),
        (date(2026, 10, 3), 670, None, 2),
        (date(2026, 10, 4), 785, 2_000, 3),
        (date(2026, 10, 6), 1_020, 10_000, 3),
    ]
    assert r.daily[-1].engagements == r.total.engagements
    assert [p.post_id for p in r.top_posts] == ["a1", "b1"]
    assert [p.post_id for p in r.under_performers] == ["a2"]
    assert r.latest_snapshot == date(2026, 10, 6)


def test_emv_is_converted_with_the_dated_rate_and_unknown_currencies_say_so():
    usd = campaign_report(data=_small_campaign(currency="USD"))
    # converted per post to the cent (101.72 + 50.86 + 209.61), so the total is the sum of its posts
    assert usd.metric("emv").value == D("362.19")
    assert sum(p.emv for p in usd.posts if p.emv is not None) == D("362.19")
    assert usd.fx is not None and usd.fx.on == date(2025, 2, 21)
    chf = campaign_report(data=_small_campaign(currency="CHF"))
    assert chf.metric("emv").value is None and chf.metric("emv").missing == "no_fx"
    assert chf.total.emv_eur == D("346.10")
    assert any("CHF" in n.text for n in chf.notes)


def test_a_relay_without_shares_or_saves_says_so_not_that_reach_is_missing():
    # given posts with likes and views but no shares or saves (a network whose export lacks them)
    posts = (
        ReportPost("v1", "B", Network.TIKTOK, datetime(2026, 10, 3, 12, tzinfo=UTC), likes=80, views=2_500),
    )
    r = campaign_report(data=_small_campaign(posts=posts, sales=(), sales_imported=False))
    # then the rate on views is there, and the relay says what it lacks: shares or saves with a basis
    assert r.metric("er_views").value == 80 / 2_500
    assert r.metric("relay").value is None and r.metric("relay").missing == "no_relay"


def test_empty_campaign_gives_no_data_not_zeros():
    r = campaign_report(data=_small_campaign(posts=(), sales=(), sales_imported=False))
    assert r.status == "no_data" and r.no_data_reason == "no_posts"
    for key in ("reach", "views", "engagements", "er_followers", "relay", "cpe", "cpm", "emv", "sales"):
        metric = r.metric(key)
        assert metric.value is None and metric.missing, key
    assert r.metric("spend").value == D("446.90") - D("12.00")  # what was spent is real, even without posts
    assert r.top_posts == () and r.daily == ()


def test_published_but_unmeasured_posts_are_no_data():
    post = ReportPost("x", "A", Network.INSTAGRAM, AS_OF, measured=False)
    r = campaign_report(data=_small_campaign(posts=(post,)))
    assert r.status == "no_data" and r.no_data_reason == "no_metrics"
    assert r.metric("posts_published").value == 1 and r.metric("engagements").value is None


def test_ratio_and_money_per_never_divide_by_zero():
    assert ratio(numerator=5, denominator=0) is None and ratio(numerator=None, denominator=3) is None
    assert money_per(amount=D("10"), count=0) is None
    assert money_per(amount=D("10"), count=4, scale=D(1000)) == D("2500")


counts = st.one_of(st.none(), st.integers(min_value=0, max_value=10**7))
money = st.decimals(min_value=0, max_value=10**5, places=2, allow_nan=False, allow_infinity=False)
networks = st.sampled_from([Network.INSTAGRAM, Network.TIKTOK, Network.YOUTUBE, Network.X])


@st.composite
def campaigns(draw) -> ReportInput:
    n = draw(st.integers(min_value=0, max_value=5))
    creators = tuple(
        ReportCreator(
            key=f"c{i}",
            handle=f"h{i}",
            network=draw(networks),
            followers=draw(st.integers(0, 10**7)),
            tier=draw(st.sampled_from(["nano", "micro", ""])),
            planned_posts=draw(st.integers(0, 3)),
            fee=draw(money),
            product_value=draw(money),
            shipping=draw(money),
            quality_score=draw(st.one_of(st.none(), st.floats(0, 100))),
            fake_share=draw(st.one_of(st.none(), st.floats(0, 1))),
        )
        for i in range(n)
    )
    posts = []
    for j in range(draw(st.integers(0, 8)) if creators else 0):
        c = draw(st.sampled_from(creators))
        snaps = tuple(
            snap(
                date(2026, 10, 1 + k),
                draw(counts),
                draw(counts),
                draw(counts),
                draw(counts),
                draw(counts),
                draw(counts),
            )
            for k in range(draw(st.integers(0, 3)))
        )
        posts.append(
            ReportPost(
                f"p{j}",
                c.key,
                c.network,
                AS_OF,
                caption=draw(st.sampled_from(["", "#ad great", "nice"])),
                measured=draw(st.booleans()),
                online=draw(st.booleans()),
                likes=draw(counts),
                comments=draw(counts),
                shares=draw(counts),
                saves=draw(counts),
                views=draw(counts),
                reach=draw(counts),
                snapshots=snaps,
            )
        )
    sales = tuple(
        ReportSale(
            draw(st.sampled_from([None, *[c.key for c in creators]])),
            draw(money),
            draw(money),
            date(2026, 10, 2),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    return ReportInput(
        campaign_id=1,
        title="t",
        currency=draw(st.sampled_from(["EUR", "USD", "GBP"])),
        emv=EMV,
        fx=FX,
        as_of=AS_OF,
        creators=creators,
        posts=tuple(posts),
        sales=sales,
        sales_imported=bool(sales),
        budget=draw(st.one_of(st.none(), money)),
        disclosure_rules=RULES,
        jurisdictions=("FR", "US"),
    )


def _record(s: PostSnapshotRecord) -> PostRecord:
    return PostRecord(
        s.network,
        s.handle,
        s.network_post_id,
        AS_OF,
        likes=s.likes,
        comments=s.comments,
        shares=s.shares,
        saves=s.saves,
    )


def _check_shares(r: CampaignReport) -> None:
    for row in (r.total, *r.creators, *r.networks, *r.tiers):
        if row.compliance is not None:
            assert 0 <= row.compliance <= 1
        if row.fake_share is not None:
            assert 0 <= row.fake_share <= 1
        for rate in (row.er_followers, row.er_reach, row.er_views, row.relay):
            assert rate is None or rate >= 0
        assert 0 <= row.posts_online <= row.posts_published
        assert row.posts_measured <= row.posts_published


@settings(max_examples=EXAMPLES, deadline=None)
@given(campaigns())
def test_properties_of_any_campaign(data):
    r = campaign_report(data=data)  # never raises (no division by zero)
    _check_shares(r)
    # money spent is the sum of its parts, and of the creators' spend plus unattributed commissions
    s = r.spend
    assert s.total == s.fees + s.products + s.shipping + s.commissions
    unattributed = sum((x.commission for x in data.sales if x.creator_key is None), Decimal(0))
    assert sum((c.spend for c in r.creators), Decimal(0)) + unattributed == s.total
    # breakdowns add up to the total
    for rows in (r.creators, r.networks, r.tiers):
        assert sum(x.engagements or 0 for x in rows) == (r.total.engagements or 0)
        assert sum(x.posts_published for x in rows) == r.total.posts_published
    # no data: never a zero that looks like a result
    if r.status == "no_data":
        for key in ("engagements", "er_followers", "er_reach", "er_views", "relay", "cpe", "cpm", "emv"):
            assert r.metric(key).value is None and r.metric(key).missing
    else:
        engaged = r.metric("engagements")
        assert engaged.value is not None or engaged.missing == "no_counts"
    # a value without data never shows: EMV, CPE and CPM are None exactly when their inputs are unknown
    assert (r.metric("emv").value is None) == (r.total.emv is None)
    # top posts and under-performers never overlap
    assert not {p.post_id for p in r.top_posts} & {p.post_id for p in r.under_performers}
    # the daily series goes day by day and ends on the tables' totals (one set of per-post counts feeds both)
    for a, b in zip(r.daily, r.daily[1:], strict=False):
        assert a.day < b.day
    if r.daily:
        last = r.daily[-1]
        for name in ("likes", "comments", "shares", "saves", "views", "reach", "engagements"):
            assert getattr(last, name) == getattr(r.total, name), name
    else:
        assert not any(p.measured for p in data.posts)


def _known_sum(values):
    known = [v for v in values if v is not None]
    return sum(known) if known else None


@settings(max_examples=EXAMPLES, deadline=None)
@given(campaigns())
def test_every_total_is_the_sum_of_its_rows_and_unknown_stays_unknown(data):
    r = campaign_report(data=data)
    # counts and EMV of the campaign = the sums over its posts; nothing known → None, never 0
    for name in ("likes", "comments", "shares", "saves", "views", "reach", "engagements", "emv", "emv_eur"):
        assert getattr(r.total, name) == _known_sum(getattr(p, name) for p in r.posts), name
    # ... and over each breakdown's rows (creators, networks, tiers)
    for rows in (r.creators, r.networks, r.tiers):
        for name in ("reach", "views", "engagements", "emv", "emv_eur"):
            assert _known_sum(getattr(x, name) for x in rows) == getattr(r.total, name), name
        assert sum(x.posts_measured for x in rows) == r.total.posts_measured
    # a creator's posts share its spend to the cent, exactly
    for c in r.creators:
        own = [p.cost for p in r.posts if p.creator_key == c.key]
        if own:
            assert sum(own, Decimal(0)) == c.spend.quantize(Decimal("0.01"))
            assert max(own) - min(own) <= Decimal("0.01")
    # EMV per post is held to the cent, in EUR and in the campaign currency
    for p in r.posts:
        for value in (p.emv, p.emv_eur):
            assert value is None or value == value.quantize(Decimal("0.01"))
        if not p.measured:
            assert p.engagements is None and p.emv is None and p.cpe is None
    # cost per X is None when X is unknown or zero, never a division by zero or a zero that looks measured
    for row in (r.total, *r.creators):
        assert (row.cpe is None) == (not row.engagements)
        assert (row.cpm is None) == (not row.views)
    # the disclosure alert is there exactly when a checked post is not compliant
    codes = [a.finding.code for a in r.alerts]
    assert ("non_compliant_posts" in codes) == any(p.compliant is False for p in r.posts)
    assert [a.severity for a in r.alerts] == sorted(
        (a.severity for a in r.alerts), key=["red", "amber"].index
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=40),
)
def test_split_cents_adds_up_exactly(amount, parts):
    shares = split_cents(amount=amount, parts=parts)
    assert len(shares) == parts and sum(shares, Decimal(0)) == amount
    assert max(shares) - min(shares) <= Decimal("0.01")


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(counts, min_size=6, max_size=6), networks)
def test_unknown_counts_give_unknown_engagements_and_emv(values, network):
    likes, comments, shares, saves, views, reach = values
    post = ReportPost("p", "c", network, AS_OF, likes=likes, comments=comments, shares=shares, saves=saves,
                      views=views, reach=reach)  # fmt: skip
    counts = final_counts(post=post)
    eng = post_engagements(post=post, counts=counts)
    known = [v for v in (likes, comments, shares, saves) if v is not None]
    assert eng == (sum(known) if known else None)
    value = emv_eur(network=network, counts=counts, table=EMV)
    if all(v is None for v in values):
        assert value is None
    assert ratio(numerator=eng, denominator=reach) is None or (reach or 0) > 0


def test_empty_tables_are_handled():
    r = campaign_report(
        data=_small_campaign(emv=EmvTable("none", ()), fx=FxTable("none", ()), currency="EUR")
    )
    assert r.metric("emv").value is None and r.metric("emv").missing == "no_rate"
    assert r.metric("engagements").value == 1020


def test_posts_outside_the_briefs_dates_are_an_amber_alert():
    # given the small campaign's posts of Oct 1, 2 and 3 and a brief asking for Oct 2 – Oct 2
    r = campaign_report(
        data=_small_campaign(publication_start=date(2026, 10, 2), publication_end=date(2026, 10, 2))
    )
    # then one alert counts the post before and the post after, with the brief's days
    outside = [dict(x.finding.params) for x in r.alerts if x.finding.code == "posts_outside_window"]
    assert outside == [{"posts": 2, "start": "2026-10-02", "end": "2026-10-02", "early": 1, "late": 1}]
    assert next(x.severity for x in r.alerts if x.finding.code == "posts_outside_window") == "amber"
    # and a window holding every post, or none given, says nothing
    for window in ({"publication_start": date(2026, 10, 1), "publication_end": date(2026, 10, 3)}, {}):
        inside = campaign_report(data=_small_campaign(**window))
        assert "posts_outside_window" not in [x.finding.code for x in inside.alerts]


def test_alerts_by_hand_red_before_amber():
    # given the small campaign, completed, over budget, one creator with 30 % fake followers, a2 not labelled
    a, b = _small_campaign().creators
    risky = ReportCreator(**{**{f: getattr(b, f) for f in b.__slots__}, "fake_share": 0.3})
    r = campaign_report(data=_small_campaign(state="completed", budget=D("400"), creators=(a, risky)))
    # then the red alerts come first, each a code with its parameters
    assert [(x.severity, x.finding.code, dict(x.finding.params)) for x in r.alerts] == [
        ("red", "non_compliant_posts", {"posts": 1, "checked": 2, "share": 50}),
        ("red", "high_fake_share", {"creators": 1, "limit": 25, "handles": "@tom"}),
        ("red", "over_budget", {"share": 111.7}),
        ("amber", "posts_unchecked", {"posts": 1}),
        ("amber", "posts_removed", {"posts": 1}),
    ]
    # a running campaign says its planned posts are still to come; a clean one says nothing
    running = campaign_report(data=_small_campaign(state="running", posts=(), sales=(), sales_imported=False))
    assert [(x.finding.code, dict(x.finding.params)) for x in running.alerts] == [
        ("posts_pending", {"pending": 3, "planned": 3})
    ]
