"""The simulator: deterministic, valid in the import format, and its ground truth matches its files."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import polars as pl
import pytest

from microreach.core.records import AccountRecord
from microreach.sources import validate_file
from microreach.sources.columns import APPLICATION_STATES, CAMPAIGN_STATES
from microreach.sources.simulator import CAMPAIGN_RECORD_TYPES, DEFAULT_AS_OF, simulate, simulate_in_memory

AS_OF = datetime(DEFAULT_AS_OF.year, DEFAULT_AS_OF.month, DEFAULT_AS_OF.day, 23, 59, 59, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("world")
    summary = simulate(folder, creators=400, seed=7, difficulty="easy")
    truth = [json.loads(line) for line in summary.ground_truth.read_text(encoding="utf-8").splitlines()]
    return summary, truth


def test_same_seed_gives_byte_identical_files(tmp_path):
    # given two runs with the same arguments and one with another seed
    first = simulate(tmp_path / "a", creators=60, seed=3, file_format="csv")
    second = simulate(tmp_path / "b", creators=60, seed=3, file_format="csv")
    other = simulate(tmp_path / "c", creators=60, seed=4, file_format="csv")
    # then every file is byte-identical between the first two, and the third differs
    names = sorted(path.name for path in first.out_dir.iterdir())
    assert names == sorted(path.name for path in second.out_dir.iterdir())
    for name in names:
        assert (first.out_dir / name).read_bytes() == (second.out_dir / name).read_bytes(), name
    assert (first.out_dir / "posts.csv").read_bytes() != (other.out_dir / "posts.csv").read_bytes()


def test_parquet_worlds_are_deterministic_too(tmp_path):
    first = simulate(tmp_path / "a", creators=30, seed=5)
    second = simulate(tmp_path / "b", creators=30, seed=5)
    for record_type, path in first.files.items():
        assert path.read_bytes() == second.files[record_type].read_bytes(), record_type


def test_every_simulated_file_is_valid_in_every_format(tmp_path):
    for file_format in ("csv", "jsonl", "parquet"):
        summary = simulate(tmp_path / file_format, creators=25, seed=1, file_format=file_format)
        for record_type, path in summary.files.items():
            report = validate_file(path, as_of=AS_OF)
            assert report.ok, (file_format, record_type, [str(e) for e in report.errors[:3]])
            assert (report.record_type, report.valid_rows) == (record_type, summary.rows[record_type])


def test_follower_counts_are_heavy_tailed_and_mostly_nano_and_micro(world):
    _summary, truth = world
    tiers = Counter(line["tier"] for line in truth)
    assert tiers["nano"] + tiers["micro"] > 0.85 * len(truth)
    assert tiers["mid"] > 0
    assert len({line["network"] for line in truth}) == 3


def test_bought_followers_show_a_jump_on_their_date(world):
    summary, truth = world
    counts = pl.read_parquet(summary.files["follower_count"]).sort("network", "handle", "date")
    steps = counts.with_columns(step=pl.col("followers").diff().over("network", "handle"))
    bought = [line for line in truth if line["bought_followers"]]
    assert len(bought) >= 10
    for line in bought:
        event = next(e for e in line["growth_events"] if e["kind"] == "bought_followers")
        history = steps.filter((pl.col("network") == line["network"]) & (pl.col("handle") == line["handle"]))
        biggest = history.sort("step", descending=True, nulls_last=True).row(0, named=True)
        # the largest day-to-day increase is the purchase, on the first day present from its date on
        first_present = history.filter(pl.col("date") >= date.fromisoformat(event["date"]))["date"].min()
        assert biggest["date"] == first_present
        assert biggest["step"] >= 0.8 * event["size"]


def test_bought_followers_are_a_block_of_fake_profiles_in_the_sample(world):
    summary, truth = world
    sample = pl.read_parquet(summary.files["follower"])
    fakes = pl.read_parquet(summary.follower_truth)
    joined = sample.join(fakes, on=["network", "handle", "follower_username"])
    for line in truth:
        rows = joined.filter((pl.col("network") == line["network"]) & (pl.col("handle") == line["handle"]))
        assert rows["is_fake"].mean() == pytest.approx(line["fake_follower_share_sample"])
        if line["bought_followers"] and rows["is_fake"].sum() > 1:
            positions = [index for index, fake in enumerate(rows["is_fake"].to_list()) if fake]
            assert positions == list(range(positions[0], positions[0] + len(positions)))
    fake_rows = joined.filter(pl.col("is_fake"))
    real_rows = joined.filter(~pl.col("is_fake"))
    assert fake_rows["following"].median() > 3 * real_rows["following"].median()
    assert fake_rows["has_profile_picture"].mean() < 0.2 < real_rows["has_profile_picture"].mean()


def test_pod_members_comment_on_each_other_within_minutes(world):
    summary, truth = world
    comments = pl.read_parquet(summary.files["comment"])
    posts = pl.read_parquet(summary.files["post"]).select(
        "network", "handle", "network_post_id", "published_at"
    )
    pods = defaultdict(list)
    for line in truth:
        if line["pod_id"] is not None:
            pods[line["pod_id"]].append(line)
    assert pods
    for members in pods.values():
        handles = {line["handle"] for line in members}
        assert len(handles) == members[0]["pod_size"] >= 3
        inside = comments.filter(
            pl.col("handle").is_in(list(handles)) & pl.col("author_handle").is_in(list(handles))
        )
        inside = inside.filter(pl.col("author_handle") != pl.col("handle"))
        assert inside.height > 0
        delays = inside.join(posts, on=["network", "handle", "network_post_id"]).select(
            (pl.col("commented_at") - pl.col("published_at")).dt.total_minutes().median()
        )
        assert delays.item() < 60


def test_sponsored_posts_disclosed_or_not_match_the_captions(world):
    summary, truth = world
    posts = pl.read_parquet(summary.files["post"]).select(
        "handle", "network_post_id", "caption", "is_paid_partnership", "mentions"
    )
    by_id = {(row["handle"], row["network_post_id"]): row for row in posts.iter_rows(named=True)}
    labels = (
        "Publicité",
        "Collaboration commerciale",
        "#publicité",
        "#partenariat",
        "#ad",
        "Sponsored",
        "#BrandPartner",
        "#publicidad",
        "#werbung",
        "Anzeige",
        "#adv",
        "#pubblicità",
        "#publi",
        "#publicidade",
    )
    seen = Counter()
    for line in truth:
        for item in line["sponsored_posts"]:
            post = by_id[(line["handle"], item["network_post_id"])]
            assert post["mentions"], "a sponsored post mentions its brand"
            labelled = post["caption"].startswith(labels)
            if item["disclosed"]:
                assert post["is_paid_partnership"] or labelled
            else:
                assert not post["is_paid_partnership"] and not labelled
            seen[item["disclosed"]] += 1
    assert seen[True] > 0 and seen[False] > 0


def test_audience_shares_sum_to_one_per_dimension(world):
    summary, _ = world
    sums = (
        pl.read_parquet(summary.files["audience"])
        .group_by("network", "handle", "dimension")
        .agg(pl.col("share").sum())
    )
    assert (sums["share"] - 1).abs().max() < 1e-9


def test_follower_histories_have_missing_days(world):
    summary, _ = world
    counts = pl.read_parquet(summary.files["follower_count"])
    per_account = counts.group_by("network", "handle").len()
    assert per_account["len"].max() <= 90
    assert per_account["len"].mean() < 88


def test_comments_mix_french_and_english_genuine_and_generic(world):
    summary, _ = world
    texts = set(pl.read_parquet(summary.files["comment"])["text"].to_list())
    assert "Trop belle cette recette, je la teste ce week-end !" in texts
    assert "This recipe looks amazing, trying it this weekend!" in texts
    assert "nice pic 🔥" in texts


def test_profiles_only_writes_accounts_only(tmp_path):
    summary = simulate(tmp_path, creators=200, seed=2, profiles_only=True)
    assert list(summary.files) == ["account"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["accounts.parquet", "world.json"]
    assert validate_file(summary.files["account"]).valid_rows == summary.accounts


def test_in_memory_world_matches_the_written_one(tmp_path):
    world = simulate_in_memory(creators=20, seed=9)
    summary = simulate(tmp_path, creators=20, seed=9)
    assert all(isinstance(record, AccountRecord) for record in world.accounts)
    assert len(world.posts) == summary.rows["post"]
    assert len(world.comments) == summary.rows["comment"]
    assert len(world.ground_truth) == len(world.accounts) == summary.accounts
    for record_type in CAMPAIGN_RECORD_TYPES:
        assert len(world.campaign_side[record_type]) == summary.rows[record_type], record_type


def test_campaign_side_has_every_state_and_holds_together(world):
    summary, truth = world
    read = {name: pl.read_parquet(summary.files[name]) for name in CAMPAIGN_RECORD_TYPES}
    brands = read["brand"]["brand_key"].to_list()
    # about 3 brands per 1,000 creators, at least 2; each with a campaign in every state
    assert len(brands) == 2
    campaigns = read["campaign"]
    for brand in brands:
        states = campaigns.filter(pl.col("brand_key") == brand)["state"].to_list()
        assert sorted(states) == sorted(CAMPAIGN_STATES)
    # every application state appears, and applications name simulated accounts
    applications = read["application"]
    assert set(applications["state"].to_list()) == set(APPLICATION_STATES)
    accounts = pl.read_parquet(summary.files["account"]).select("network", "handle")
    assert applications.join(accounts, on=["network", "handle"], how="anti").height == 0
    draft_states = set(read["draft"]["review_state"].to_list())
    assert draft_states == {"blocked", "submitted", "changes_requested", "approved", "superseded"}
    # nobody applies to a draft campaign; accepted applications only have parcels and content
    keys = ["brand_key", "campaign_key"]
    in_drafts = applications.join(campaigns.filter(pl.col("state") == "draft").select(keys), on=keys)
    assert in_drafts.height == 0
    app_keys = [*keys, "network", "handle"]
    states = applications.select(*app_keys, "state")
    for name, allowed in (
        ("shipment", {"shipped", "received", "content_submitted", "approved", "published", "no_show"}),
        ("draft", {"received", "content_submitted", "approved", "published"}),
        ("campaign_post", {"published"}),
    ):
        joined = read[name].join(states, on=app_keys)
        assert joined.height == read[name].height, name
        assert set(joined["state"].to_list()) <= allowed, name
    # shipments carry no address: only carrier, tracking, cost and dates
    assert set(read["shipment"].columns).isdisjoint({"recipient", "street", "postcode", "city", "phone"})
    # every campaign post is a post of the applicant's account with daily snapshots, disclosed in the truth
    posts = pl.read_parquet(summary.files["post"])
    snapshots = pl.read_parquet(summary.files["post_snapshot"])
    linked = read["campaign_post"].select("network", "handle", "network_post_id")
    assert linked.join(posts, on=["network", "handle", "network_post_id"]).height == linked.height
    per_post = (
        linked.join(snapshots, on=["network", "handle", "network_post_id"]).group_by("network_post_id").len()
    )
    assert per_post.height == linked.height and per_post["len"].min() >= 1
    truth_posts = {
        item["network_post_id"]: item
        for line in truth
        for item in line["sponsored_posts"]
        if "campaign_key" in item
    }
    assert set(truth_posts) == set(linked["network_post_id"].to_list())
    assert all(item["disclosed"] for item in truth_posts.values())
    # affiliate campaigns sell through their creators' promo codes
    sales = read["sale"].join(campaigns.select(*keys, "compensation"), on=keys)
    assert sales.height > 0 and set(sales["compensation"].to_list()) == {"affiliate"}


def test_campaigns_can_be_left_out_and_leave_the_rest_unchanged(tmp_path):
    full = simulate(tmp_path / "full", creators=30, seed=5, file_format="csv")
    bare = simulate(tmp_path / "bare", creators=30, seed=5, file_format="csv", campaigns=False)
    assert set(full.files) - set(bare.files) == set(CAMPAIGN_RECORD_TYPES)
    for name in ("account", "comment", "follower", "follower_count", "audience"):
        assert full.files[name].read_bytes() == bare.files[name].read_bytes(), name
    # the campaign posts come on top of the creators' own posts
    assert full.rows["post"] == bare.rows["post"] + full.rows["campaign_post"]
    manifest = json.loads(full.manifest.read_text(encoding="utf-8"))
    assert manifest["campaigns"] is True and manifest["rows"]["campaign"] == full.rows["campaign"]


def test_the_first_brand_can_be_an_existing_one(tmp_path):
    summary = simulate(tmp_path, creators=30, seed=5, file_format="csv", attach_brand="maison-verte")
    brands = pl.read_csv(summary.files["brand"], comment_prefix="#")["brand_key"].to_list()
    campaigns = pl.read_csv(summary.files["campaign"], comment_prefix="#")
    assert "maison-verte" not in brands and len(brands) == 1
    assert campaigns.filter(pl.col("brand_key") == "maison-verte").height == len(CAMPAIGN_STATES)


def test_follower_sample_is_a_simple_random_sample_of_the_audience(world):
    # given the accounts whose fakes are scattered through their follower sample (not one bought block)
    summary, truth = world
    sizes = pl.read_parquet(summary.out_dir / "followers.parquet").group_by(["network", "handle"]).len()
    size = int(sizes["len"].max())
    rows = [t for t in truth if not t["bought_followers"] and 0.0 < t["fake_follower_share"] < 1.0]
    # then the sample's fake share departs from the audience's by binomial noise alone: the squared
    # standardised gaps average about 1 (drawing the count twice, as the sampler once did, makes 2)
    z2 = [
        (t["fake_follower_share_sample"] - t["fake_follower_share"]) ** 2
        / (t["fake_follower_share"] * (1 - t["fake_follower_share"]) / size)
        for t in rows
    ]
    assert len(rows) > 200
    assert 0.75 < sum(z2) / len(z2) < 1.3
