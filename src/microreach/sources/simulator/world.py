"""Generation of one chunk of the simulated world: creators, their accounts and everything around them.

Each chunk draws from its own generator seeded with ``(seed, chunk_index)``, so a chunk is the same
whatever ran before it and the world is written chunk by chunk with flat memory. Draws are
vectorised with numpy; Python loops only touch per-account text and the ground truth.

``generate_chunk`` draws, in this order and from the one generator (the order is part of the seed's
meaning: moving a draw changes every world), the accounts (``accounts``), their posts (``posts``), the
comment samples (``comments``), the follower samples and count histories (``followers``), the
audience breakdowns (``accounts``), then builds the snapshots (``posts``); campaigns
(``campaign_generation``) and subtle cases (``posts.draw_subtle``) come from generators of their own.
``common`` holds the shared constants and column builders. This module assembles the frames and the
ground truth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import polars as pl

from microreach.config.loader import default_tier_preset
from microreach.core.tiers import tier_name
from microreach.sources.simulator import vocabulary as words
from microreach.sources.simulator.accounts import AccountArrays, draw_accounts, draw_audience
from microreach.sources.simulator.campaign_generation import generate_campaigns
from microreach.sources.simulator.campaigns import AccountView, AttachedBrand
from microreach.sources.simulator.comments import EngagementPod, draw_comments
from microreach.sources.simulator.common import MICROSECONDS
from microreach.sources.simulator.difficulty import Difficulty
from microreach.sources.simulator.followers import draw_follower_counts, draw_follower_sample
from microreach.sources.simulator.posts import (
    PostArrays,
    build_posts_frame,
    draw_posts,
    draw_snapshots,
    draw_subtle,
)


@dataclass(slots=True)
class Chunk:
    """What one chunk produced: a typed frame per record type and the ground truth of its accounts."""

    frames: dict[str, pl.DataFrame]
    ground_truth: list[dict[str, object]]
    follower_truth: pl.DataFrame | None = None


def generate_chunk(
    *,
    seed: int,
    chunk_index: int,
    creator_start: int,
    creator_count: int,
    as_of: date,
    difficulty: Difficulty,
    profiles_only: bool = False,
    follower_sample: int = 40,
    campaigns: bool = False,
    attach_brand: AttachedBrand | str | None = None,
    follower_style: str = "legacy",
) -> Chunk:
    """Draw one chunk of ``creator_count`` creators (global numbers from ``creator_start``).

    ``campaigns`` adds the chunk's brands and their campaigns (``simulator.campaigns``); their
    published posts join the creators' posts and snapshots. ``attach_brand`` gives the first brand of
    chunk 0 an existing brand key (no brand row is written for it).
    """
    rng = np.random.default_rng([seed, chunk_index])
    accounts = draw_accounts(rng, creator_start, creator_count, difficulty)
    if profiles_only:
        return Chunk(frames={"account": accounts.frame}, ground_truth=[])
    end = datetime(as_of.year, as_of.month, as_of.day, 23, 59, 59, tzinfo=UTC)
    end_us = int(end.timestamp()) * MICROSECONDS
    posts = draw_posts(rng, accounts, end_us, difficulty)
    # Subtle cases come from a generator of their own: with ``subtle`` = 0 the world is today's, draw for draw.
    subtle = (
        draw_subtle(np.random.default_rng([seed, chunk_index, 13]), accounts, posts, end_us, difficulty)
        if difficulty.subtle > 0
        else None
    )
    comments, pods = draw_comments(rng, accounts, posts, end_us, difficulty, chunk_index)
    posts_frame = build_posts_frame(accounts, posts)
    followers, follower_truth, sample_fake = draw_follower_sample(
        rng, accounts, as_of, end_us, difficulty, follower_sample, follower_style
    )
    counts, events = draw_follower_counts(rng, accounts, posts, as_of, end_us, difficulty, subtle)
    audience = draw_audience(rng, accounts, as_of)
    snapshots = draw_snapshots(accounts, posts, end_us)
    campaign_side = (
        generate_campaigns(
            rng=np.random.default_rng([seed, chunk_index, 7]),
            chunk_index=chunk_index,
            creator_count=creator_count,
            view=_campaign_view(accounts, posts),
            as_of=as_of,
            attach_brand=attach_brand,
        )
        if campaigns
        else None
    )
    if campaign_side is not None:
        posts_frame = pl.concat([posts_frame, campaign_side.posts])
        snapshots = pl.concat([snapshots, campaign_side.snapshots])
    truth = _ground_truth(
        accounts,
        posts,
        pods,
        events,
        sample_fake,
        follower_sample,
        creator_start,
        campaign_side.sponsored if campaign_side is not None else {},
    )
    frames = {
        "account": accounts.frame,
        "post": posts_frame,
        "comment": comments,
        "follower": followers,
        "follower_count": counts,
        "audience": audience,
        "post_snapshot": snapshots,
    }
    if campaign_side is not None:
        frames.update(campaign_side.frames)
    return Chunk(frames=frames, ground_truth=truth, follower_truth=follower_truth)


def _campaign_view(accounts: AccountArrays, posts: PostArrays) -> AccountView:
    """The accounts as the campaign generator sees them, with the mean figures of their posts."""
    m = len(accounts.network)
    per_account = np.maximum(np.bincount(posts.account, minlength=m), 1)

    def mean(values: np.ndarray) -> np.ndarray:
        return np.bincount(posts.account, weights=values, minlength=m) / per_account

    return AccountView(
        network=accounts.network,
        handle=accounts.handle,
        country=accounts.country,
        topic=accounts.topic,
        first_name=accounts.first_name,
        followers=accounts.followers,
        likes=mean(posts.likes),
        comments=mean(posts.comments),
        shares=mean(posts.shares),
        saves=mean(posts.saves),
        views=mean(posts.views),
        reach=mean(posts.reach),
    )


def _tier(followers: float) -> str:
    """The tier of the ground truth: tiers.yaml's default preset, by core's rule (no topic ceiling)."""
    return tier_name(followers=math.floor(followers), bands=default_tier_preset().bands)


def _ground_truth(
    accounts: AccountArrays,
    posts: PostArrays,
    pods: list[EngagementPod],
    events: list[list[dict[str, object]]],
    sample_fake: np.ndarray,
    sample_size: int,
    creator_start: int,
    campaign_posts: dict[int, list[dict[str, object]]],
) -> list[dict[str, object]]:
    pod_of: dict[int, EngagementPod] = {member: pod for pod in pods for member in pod.members}
    sponsored_by_account: dict[int, list[dict[str, object]]] = {}
    for row in np.flatnonzero(posts.sponsored).tolist():
        sponsored_by_account.setdefault(int(posts.account[row]), []).append(
            {
                "network_post_id": str(posts.post_id[row]),
                "sponsored": True,
                "disclosed": bool(posts.disclosed[row]),
                "disclosure": posts.disclosure[row],
            }
        )
    for row, items in campaign_posts.items():
        sponsored_by_account.setdefault(row, []).extend(items)
    post_totals = np.bincount(posts.account, minlength=len(accounts.network))
    for row, items in campaign_posts.items():
        post_totals[row] += len(items)
    truth: list[dict[str, object]] = []
    for row in range(len(accounts.network)):
        pod = pod_of.get(row)
        sponsored = sponsored_by_account.get(row, [])
        truth.append(
            {
                "network": str(accounts.network[row]),
                "handle": str(accounts.handle[row]),
                "creator_key": f"sim-{creator_start + int(accounts.creator[row])}",
                "tier": _tier(float(accounts.followers[row])),
                "topic": words.TOPICS[accounts.topic[row]],
                "followers": int(accounts.followers[row]),
                "fake_follower_share": round(float(accounts.fake_share[row]), 6),
                "fake_follower_share_sample": round(float(sample_fake[row]) / sample_size, 6)
                if sample_size
                else None,
                "bought_followers": bool(accounts.bought[row]),
                "follow_unfollow": bool(accounts.follow_unfollow[row]),
                "pod_id": pod.pod_id if pod else None,
                "pod_size": len(pod.members) if pod else 0,
                "pod_delay_minutes": round(pod.delay_minutes, 2) if pod else None,
                "pod_members": sorted(str(accounts.handle[m]) for m in pod.members) if pod else [],
                "comment_bots": bool(accounts.bots[row]),
                "bot_comment_share": round(float(accounts.bot_share[row]), 4),
                "growth_events": events[row],
                "posts": int(post_totals[row]),
                "sponsored_posts": sponsored,
                "sponsored_share": round(len(sponsored) / post_totals[row], 4) if post_totals[row] else 0.0,
                "undisclosed_sponsored_posts": sum(1 for item in sponsored if not item["disclosed"]),
            }
        )
    return truth
