"""Sampled followers (with their truth: who is fake) and the daily follower-count history of one chunk."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from microreach.sources.frames import typed_frame
from microreach.sources.simulator.accounts import AccountArrays
from microreach.sources.simulator.common import HISTORY_DAYS, MICROSECONDS, people_handles, utc_series
from microreach.sources.simulator.difficulty import Difficulty
from microreach.sources.simulator.posts import PostArrays, SubtleCases


def _apply_subtle_growth(
    subtle: SubtleCases,
    followers: np.ndarray,
    following: np.ndarray,
    events: list[list[dict[str, object]]],
    first_day: date,
) -> None:
    """Add the trickled purchases (a growth event), the viral growth and the one-off follow batches (honest:
    no event) to the count histories; the last day keeps the account's current counts."""
    days = np.arange(followers.shape[1])
    for row in np.flatnonzero(subtle.trickle_size > 0).tolist():
        start, span, size = (
            int(subtle.trickle_day[row]),
            int(subtle.trickle_days[row]),
            float(subtle.trickle_size[row]),
        )
        curve = size * np.clip((days - start + 1) / span, 0, 1)
        followers[row] += np.round(curve - curve[-1])
        events[row].append(
            {
                "kind": "bought_followers",
                "date": (first_day + timedelta(days=start + span // 2)).isoformat(),
                "size": int(size),
                "days": span,
                "purge_fraction": 0.0,
                "trickled": True,
            }
        )
    for row in np.flatnonzero(subtle.viral_day >= 0).tolist():
        start, gain = int(subtle.viral_day[row]), float(subtle.viral_gain[row])
        curve = gain * np.clip(1.0 - 0.45 ** (days - start + 1), 0, 1) * (days >= start)
        followers[row] += np.round(curve - curve[-1])
    for row in np.flatnonzero(subtle.batch_day >= 0).tolist():
        following[row, int(subtle.batch_day[row]) :] += float(subtle.batch_size[row])
        following[row] -= float(subtle.batch_size[row])


#: How sampled followers' profiles are drawn: ``legacy`` (this module's own distributions, the default:
#: today's worlds unchanged), or a style of ``core.labelled_profiles.simulate_labelled_profiles``
#: (``published``: fitted to published statistics, in groups — bought followers, bot farms, aged fakes,
#: ordinary, inactive and new real users, mass followers; ``latent``: a latent-trait generator). Who is
#: fake, handles and follow dates are drawn the same way in every style.
FOLLOWER_STYLES: tuple[str, ...] = ("legacy", "published", "latent", "published-silent")


def _styled_profiles(rng: np.random.Generator, is_fake: np.ndarray, style: str) -> dict[str, np.ndarray]:
    """Profile fields of the sampled followers from a ``core.labelled_profiles`` style (no unknown field)."""
    from microreach.core.labelled_profiles import simulate_labelled_profiles

    names = (
        "followers",
        "following",
        "posts",
        "has_profile_pic",
        "is_private",
        "is_verified",
        "bio_length",
        "full_name_length",
        "has_external_url",
    )
    out = {name: np.zeros(len(is_fake)) for name in names}
    for label in (False, True):
        columns, _ = simulate_labelled_profiles(
            n=int(np.sum(is_fake == label)),
            fake_share=float(label),
            missing_rate=0.0,
            random_state=int(rng.integers(0, 2**31)),
            style=style,
        )
        for name in names:
            out[name][is_fake == label] = getattr(columns, name)
    return out


def draw_follower_sample(
    rng: np.random.Generator,
    accounts: AccountArrays,
    as_of: date,
    end_us: int,
    difficulty: Difficulty,
    sample: int,
    style: str = "legacy",
) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray]:
    if style not in FOLLOWER_STYLES:
        raise ValueError(f"unknown follower style {style!r}; choose one of {', '.join(FOLLOWER_STYLES)}")
    m = len(accounts.network)
    account = np.repeat(np.arange(m), sample)
    n = len(account)
    fakes = rng.binomial(sample, np.clip(accounts.fake_share, 0, 1))
    # Bought followers arrive together: they are one block of the sample (the latest follows, in
    # follow order); natural fakes are scattered.
    position = np.tile(np.arange(sample), m)
    block_start = rng.integers(0, sample, m)
    block_start = np.minimum(block_start, sample - fakes)
    in_block = (position >= block_start[account]) & (position < block_start[account] + fakes[account])
    # Natural fakes: exactly the account's drawn count, at random positions (the `fakes[a]` lowest of
    # one uniform per profile). The sample is then a simple random sample of the audience, whose fake
    # count is Binomial(sample, fake_share) — an independent Bernoulli per position drew the count a
    # second time and doubled its variance. The same uniforms are consumed as before, so every later
    # draw of the world is unchanged.
    uniform = rng.random(n)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((uniform, account))] = position
    scatter = rank < fakes[account]
    is_fake = np.where(accounts.bought[account], in_block, scatter)
    sample_fake = np.bincount(account, weights=is_fake, minlength=m)

    languages = accounts.language[account]
    real_names = people_handles(rng, languages)
    digits = rng.integers(10**5, 10**9, n)
    fake_style = rng.integers(0, 3, n)
    fake_names = np.asarray(
        [
            f"user{d}"
            if s == 0
            else f"{name.split('.')[0].split('_')[0][:6]}{d}"
            if s == 1
            else f"x_{d}_{d % 97}"
            for d, s, name in zip(digits, fake_style, real_names, strict=True)
        ],
        dtype=object,
    )
    username = np.where(is_fake, fake_names, real_names)

    real_followers = np.clip(rng.lognormal(5.5, 1.3, n), 0, 5e6)
    real_following = np.clip(rng.lognormal(6.0, 0.9, n), 1, 7500)
    real_posts = np.clip(rng.lognormal(4.0, 1.2, n), 0, 1e5)
    fake_followers = rng.integers(0, 40, n)
    fake_following = rng.integers(difficulty.fake_following[0], difficulty.fake_following[1] + 1, n)
    fake_posts = rng.integers(0, 4, n)
    has_picture = np.where(is_fake, rng.random(n) < difficulty.fake_has_picture, rng.random(n) < 0.95)
    is_private = np.where(is_fake, rng.random(n) < 0.1, rng.random(n) < 0.35)
    is_verified = ~is_fake & (rng.random(n) < 0.003)
    bio_length = np.where(
        is_fake,
        np.where(rng.random(n) < 0.85, 0, rng.integers(3, 30, n)),
        np.where(rng.random(n) < 0.3, 0, rng.integers(5, 150, n)),
    )
    as_of_ordinal = as_of.toordinal()
    jump_ordinal = as_of_ordinal - (HISTORY_DAYS - 1) + accounts.jump_day[account]
    created = np.where(
        is_fake,
        np.where(
            accounts.bought[account],
            jump_ordinal - rng.integers(1, 60, n),
            as_of_ordinal - rng.integers(5, 400, n),
        ),
        rng.integers(date(2011, 1, 1).toordinal(), as_of_ordinal - 30, n),
    )
    day_us = 86_400 * MICROSECONDS
    jump_us = end_us - (HISTORY_DAYS - 1 - accounts.jump_day[account]) * day_us
    followed_real = end_us - rng.integers(0, 3 * 365 * 86_400, n) * MICROSECONDS
    created_us = (created - as_of_ordinal) * day_us + end_us
    followed = np.where(
        is_fake & accounts.bought[account],
        jump_us - day_us + rng.integers(0, difficulty.jump_days * 86_400, n) * MICROSECONDS,
        np.maximum(followed_real, created_us + day_us),
    )
    followed = np.minimum(followed, end_us)
    epoch = date(1970, 1, 1).toordinal()
    frame = typed_frame(
        record_type="follower",
        columns={
            "network": accounts.network[account].tolist(),
            "handle": accounts.handle[account].tolist(),
            "follower_username": username.tolist(),
            "followers": np.where(is_fake, fake_followers, real_followers).round().astype(np.int64),
            "following": np.where(is_fake, fake_following, real_following).round().astype(np.int64),
            "posts": np.where(is_fake, fake_posts, real_posts).round().astype(np.int64),
            "has_profile_picture": has_picture,
            "is_private": is_private,
            "is_verified": is_verified,
            "bio_length": bio_length.astype(np.int64),
            "account_created_at": pl.Series((created - epoch).astype(np.int32)).cast(pl.Date),
            "followed_at": utc_series(followed),
            "username_length": pl.Series(username.tolist(), dtype=pl.String).str.len_chars().cast(pl.Int64),
            "username_digit_count": pl.Series(username.tolist(), dtype=pl.String)
            .str.count_matches(r"\d")
            .cast(pl.Int64),
            "full_name_length": np.where(
                is_fake,
                np.where(rng.random(n) < 0.8, 0, rng.integers(4, 14, n)),
                np.where(rng.random(n) < 0.1, 0, rng.integers(7, 24, n)),
            ).astype(np.int64),
            "has_external_url": np.where(is_fake, rng.random(n) < 0.05, rng.random(n) < 0.12),
        },
    )
    if style != "legacy":
        styled = _styled_profiles(rng, is_fake, style)
        frame = frame.with_columns(
            *(
                pl.Series(name, np.round(styled[key]).astype(np.int64))
                for name, key in (
                    ("followers", "followers"),
                    ("following", "following"),
                    ("posts", "posts"),
                    ("bio_length", "bio_length"),
                    ("full_name_length", "full_name_length"),
                )
            ),
            *(
                pl.Series(name, styled[key] > 0.5)
                for name, key in (
                    ("has_profile_picture", "has_profile_pic"),
                    ("is_private", "is_private"),
                    ("is_verified", "is_verified"),
                    ("has_external_url", "has_external_url"),
                )
            ),
        )
    # One row per follower and account: a person drawn twice for one account gets a distinct name.
    duplicate = ~frame.select(
        pl.struct("network", "handle", "follower_username").is_first_distinct()
    ).to_series()
    if duplicate.any():
        frame = frame.with_columns(
            pl.when(duplicate)
            .then(pl.col("follower_username") + "_" + pl.Series(np.arange(n)).cast(pl.String))
            .otherwise(pl.col("follower_username"))
            .alias("follower_username")
        ).with_columns(
            pl.col("follower_username").str.len_chars().cast(pl.Int64).alias("username_length"),
            pl.col("follower_username").str.count_matches(r"\d").cast(pl.Int64).alias("username_digit_count"),
        )
    truth = frame.select("network", "handle", "follower_username").with_columns(is_fake=pl.Series(is_fake))
    return frame, truth, sample_fake


def draw_follower_counts(
    rng: np.random.Generator,
    accounts: AccountArrays,
    posts: PostArrays,
    as_of: date,
    end_us: int,
    difficulty: Difficulty,
    subtle: SubtleCases | None = None,
) -> tuple[pl.DataFrame, list[list[dict[str, object]]]]:
    m = len(accounts.network)
    days = np.arange(HISTORY_DAYS)
    back = HISTORY_DAYS - 1 - days
    growth = np.clip(rng.normal(0.0015, 0.0012, m), -0.001, 0.006)
    organic = accounts.organic_now[:, None] * np.exp(-growth[:, None] * back[None, :])
    organic *= 1.0 + rng.normal(0, 0.0008, (m, HISTORY_DAYS))
    span = max(difficulty.jump_days, 1)
    since = days[None, :] - accounts.jump_day[:, None]
    ramp = np.clip((since + 1) / span, 0, 1)
    after = np.maximum(since - span + 1, 0)
    purge = accounts.purge[:, None] * (1.0 - np.exp(-after / 20.0))
    fake = accounts.jump_size[:, None] * ramp * (1.0 - purge)
    followers = np.round(organic + fake)
    followers[:, -1] = accounts.followers

    following = accounts.following[:, None] * (1.0 + rng.normal(0, 0.002, (m, HISTORY_DAYS)))
    events: list[list[dict[str, object]]] = [[] for _ in range(m)]
    first_day = as_of - timedelta(days=HISTORY_DAYS - 1)
    for row in np.flatnonzero(accounts.follow_unfollow).tolist():
        for _ in range(int(rng.integers(2, 5))):
            start = int(rng.integers(0, HISTORY_DAYS - 8))
            size = int(rng.integers(*difficulty.follow_unfollow_size))
            back_days = int(rng.integers(2, 6))
            following[row, start] += size
            for step in range(1, back_days + 1):
                following[row, start + step] += size * (1 - step / back_days)
            events[row].append(
                {
                    "kind": "following_burst",
                    "date": (first_day + timedelta(days=start)).isoformat(),
                    "size": size,
                }
            )
    for row in np.flatnonzero(accounts.bought).tolist():
        events[row].append(
            {
                "kind": "bought_followers",
                "date": (first_day + timedelta(days=int(accounts.jump_day[row]))).isoformat(),
                "size": int(accounts.jump_size[row]),
                "days": span,
                "purge_fraction": round(float(accounts.purge[row]), 4),
            }
        )
    if subtle is not None:
        _apply_subtle_growth(subtle, followers, following, events, first_day)
    for row in range(m):
        events[row].sort(key=lambda event: (str(event["date"]), str(event["kind"])))
    following[:, -1] = accounts.following
    day_of_post = HISTORY_DAYS - 1 - (end_us - posts.published_us) // (86_400 * MICROSECONDS)
    published_per_day = np.zeros((m, HISTORY_DAYS), dtype=np.int64)
    np.add.at(published_per_day, (posts.account, np.clip(day_of_post, 0, HISTORY_DAYS - 1)), 1)
    later = np.cumsum(published_per_day[:, ::-1], axis=1)[:, ::-1] - published_per_day
    posts_count = accounts.posts_count[:, None] - later

    # Missing days: scattered ones, and for some accounts a gap of several days.
    present = rng.random((m, HISTORY_DAYS)) > 0.06
    gap = rng.random(m) < 0.2
    gap_start = rng.integers(0, HISTORY_DAYS - 10, m)
    gap_length = rng.integers(3, 10, m)
    in_gap = (
        gap[:, None]
        & (days[None, :] >= gap_start[:, None])
        & (days[None, :] < (gap_start + gap_length)[:, None])
    )
    present &= ~in_gap
    present[:, -1] = True
    rows, cols = np.nonzero(present)
    epoch = date(1970, 1, 1).toordinal()
    day_numbers = first_day.toordinal() - epoch + cols
    frame = typed_frame(
        record_type="follower_count",
        columns={
            "network": accounts.network[rows].tolist(),
            "handle": accounts.handle[rows].tolist(),
            "date": pl.Series(day_numbers.astype(np.int32)).cast(pl.Date),
            "followers": np.maximum(followers[rows, cols], 0).astype(np.int64),
            "following": np.maximum(np.round(following[rows, cols]), 0).astype(np.int64),
            "posts_count": np.maximum(posts_count[rows, cols], 0).astype(np.int64),
        },
    )
    return frame, events
