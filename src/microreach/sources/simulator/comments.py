"""Comment samples of one chunk: organic comments, engagement pods and comment bots."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from microreach.sources.frames import typed_frame
from microreach.sources.simulator import vocabulary as words
from microreach.sources.simulator.accounts import AccountArrays
from microreach.sources.simulator.common import (
    COMMENT_SAMPLE,
    COMMENTED_POSTS,
    MICROSECONDS,
    people_handles,
    pick,
    utc_series,
)
from microreach.sources.simulator.difficulty import Difficulty
from microreach.sources.simulator.posts import PostArrays


def _bot_handles(rng: np.random.Generator, count: int) -> np.ndarray:
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(count):
        kind = rng.integers(0, 3)
        digits = "".join(str(d) for d in rng.integers(0, 10, int(rng.integers(6, 10))))
        if kind == 0:
            out.append(f"user{digits}")
        elif kind == 1:
            out.append("".join(letters[i] for i in rng.integers(0, 26, 5)) + digits)
        else:
            out.append(f"promo_{digits}")
    return np.asarray(out, dtype=object)


@dataclass(frozen=True, slots=True)
class EngagementPod:
    pod_id: int
    members: tuple[int, ...]
    delay_minutes: float


def draw_comments(
    rng: np.random.Generator,
    accounts: AccountArrays,
    posts: PostArrays,
    end_us: int,
    difficulty: Difficulty,
    chunk_index: int,
) -> tuple[pl.DataFrame, list[EngagementPod]]:
    sampled = np.flatnonzero(posts.rank_from_latest < COMMENTED_POSTS)
    post_account = posts.account[sampled]
    organic = np.minimum(np.round(posts.comments[sampled]).astype(np.int64), COMMENT_SAMPLE)
    bot_fraction = accounts.bot_share[post_account]
    bot_count = np.round(organic * bot_fraction / np.maximum(1 - bot_fraction, 0.05)).astype(np.int64)
    bot_count = np.where(accounts.bots[post_account], np.maximum(bot_count, 1), 0)

    # Organic comments.
    which = np.repeat(sampled, organic)
    n = len(which)
    owner = posts.account[which]
    lang = accounts.language[owner].copy()
    lang = np.where(rng.random(n) < 0.1, "en", lang)
    genuine = rng.random(n) < 0.75
    genuine_text = np.asarray(
        [
            words.GENUINE_COMMENTS[str(code)][k % len(words.GENUINE_COMMENTS[str(code)])]
            for code, k in zip(lang, rng.integers(0, 1_000_000, n), strict=True)
        ],
        dtype=object,
    )
    text = np.where(genuine, genuine_text, pick(rng, words.GENERIC_COMMENTS, n))
    author = people_handles(rng, lang)
    delay = rng.exponential(6 * 3600, n) * MICROSECONDS
    at = np.minimum(posts.published_us[which] + delay.astype(np.int64), end_us)
    replied = genuine & (rng.random(n) < accounts.reply_rate[owner])
    kind = np.zeros(n, dtype=np.int8)

    # Bot comments: a farm of digit-heavy handles shared by the chunk, seconds after publication.
    bot_which = np.repeat(sampled, bot_count)
    b = len(bot_which)
    farm = _bot_handles(rng, 200)
    bot_author = farm[rng.integers(0, len(farm), b)]
    bot_text = pick(rng, words.BOT_COMMENTS, b)
    bot_at = np.minimum(posts.published_us[bot_which] + rng.integers(5, 180, b) * MICROSECONDS, end_us)

    # Pods: members of one network comment on each other's latest posts within minutes, generically.
    pods: list[EngagementPod] = []
    pod_which: list[np.ndarray] = []
    pod_author: list[np.ndarray] = []
    pod_at: list[np.ndarray] = []
    for network in ("instagram", "tiktok"):
        members = rng.permutation(np.flatnonzero(accounts.pod & (accounts.network == network)))
        position = 0
        while len(members) - position >= difficulty.pod_sizes[0]:
            size = int(rng.integers(difficulty.pod_sizes[0], difficulty.pod_sizes[1] + 1))
            group = members[position : position + size]
            position += size
            if len(group) < difficulty.pod_sizes[0]:
                break
            pod = EngagementPod(
                chunk_index * 1000 + len(pods),
                tuple(int(x) for x in group),
                float(rng.uniform(*difficulty.pod_delay_minutes)),
            )
            pods.append(pod)
            for member in group:
                member_posts = sampled[post_account == member]
                for other in group:
                    if other == member or not len(member_posts):
                        continue
                    joins = member_posts[rng.random(len(member_posts)) < difficulty.pod_participation]
                    pod_which.append(joins)
                    pod_author.append(np.full(len(joins), accounts.handle[other], dtype=object))
                    minutes = rng.exponential(pod.delay_minutes, len(joins))
                    pod_at.append(
                        np.minimum(
                            posts.published_us[joins] + (minutes * 60 * MICROSECONDS).astype(np.int64), end_us
                        )
                    )
        accounts.pod[members[position:]] = False
    pod_posts = np.concatenate(pod_which) if pod_which else np.zeros(0, dtype=np.int64)
    p = len(pod_posts)
    pod_authors = np.concatenate(pod_author) if pod_author else np.zeros(0, dtype=object)
    pod_times = np.concatenate(pod_at) if pod_at else np.zeros(0, dtype=np.int64)
    pod_text = pick(rng, words.GENERIC_COMMENTS, p)
    # Pod and bot comments count in the post's totals, and pod members like what they comment.
    np.add.at(posts.comments, pod_posts, 1)
    np.add.at(posts.likes, pod_posts, 1)
    np.add.at(posts.comments, bot_which, 1)

    # Creator replies to some genuine comments.
    reply_source = np.flatnonzero(replied)
    r = len(reply_source)
    reply_lang = lang[reply_source]
    reply_text = np.asarray(
        [
            words.CREATOR_REPLIES[str(code)][k % len(words.CREATOR_REPLIES[str(code)])]
            for code, k in zip(reply_lang, rng.integers(0, 1_000_000, r), strict=True)
        ],
        dtype=object,
    )
    reply_at = np.minimum(
        at[reply_source] + (rng.exponential(3 * 3600, r) * MICROSECONDS).astype(np.int64), end_us
    )

    all_which = np.concatenate([which, bot_which, pod_posts, which[reply_source]])
    all_author = np.concatenate(
        [author, bot_author, pod_authors, accounts.handle[posts.account[which[reply_source]]]]
    )
    all_text = np.concatenate([text, bot_text, pod_text, reply_text])
    all_at = np.concatenate([at, bot_at, pod_times, reply_at])
    all_replied = np.concatenate([replied, np.zeros(b + p + r, dtype=bool)])
    all_kind = np.concatenate([kind, np.full(b, 1, np.int8), np.full(p, 2, np.int8), np.full(r, 3, np.int8)])
    order = np.lexsort((all_kind, all_at, all_which))
    all_which, all_author, all_text = all_which[order], all_author[order], all_text[order]
    all_at, all_replied, all_kind = all_at[order], all_replied[order], all_kind[order]
    original_index = np.argsort(order)  # where each unsorted row went
    sequence = np.arange(len(all_which))
    starts = np.searchsorted(all_which, all_which)
    number = sequence - starts
    post_ids = posts.post_id[all_which]
    comment_ids = np.asarray([f"{pid}c{k}" for pid, k in zip(post_ids, number, strict=True)], dtype=object)
    reply_to = np.full(len(all_which), "", dtype=object)
    reply_rows = original_index[n + b + p :]
    replied_rows = original_index[reply_source]
    reply_to[reply_rows] = comment_ids[replied_rows]
    owner_all = posts.account[all_which]
    frame = typed_frame(
        record_type="comment",
        columns={
            "network": accounts.network[owner_all].tolist(),
            "handle": accounts.handle[owner_all].tolist(),
            "network_post_id": post_ids.tolist(),
            "network_comment_id": comment_ids.tolist(),
            "author_handle": all_author.tolist(),
            "commented_at": utc_series(all_at),
            "text": all_text.tolist(),
            "reply_to": reply_to.tolist(),
            "creator_replied": all_replied,
        },
    )
    return frame, pods
