"""The posts of one chunk, their subtle variants and daily metric snapshots.

The engagement model (per post, before fraud):
- Instagram: likes = real followers x ER, ER = 6.5 % x (real followers / 1,000)^-0.22 x topic factor x
  type factor x noise, so ER falls from ~6 % for nano to ~1.5 % for mega accounts;
- TikTok: views = followers x 0.6 x (followers / 1,000)^-0.05 x heavy-tailed noise, likes = 8 % of views
  (engagement is views-based and barely falls with size);
- YouTube: views = real followers x 12 % x noise, likes = 3.5 % of views.
Bought followers inflate ``followers`` but never engage; pods and bots add comments and likes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from microreach.sources.frames import typed_frame
from microreach.sources.simulator import vocabulary as words
from microreach.sources.simulator.accounts import AccountArrays
from microreach.sources.simulator.common import (
    HISTORY_DAYS,
    MICROSECONDS,
    POSTS_PER_WINDOW,
    SNAPSHOT_DAYS,
    SNAPSHOT_POSTS,
    nullable_ints,
    people_handles,
    pick,
    string_lists,
    utc_series,
)
from microreach.sources.simulator.difficulty import Difficulty


@dataclass(slots=True)
class PostArrays:
    account: np.ndarray
    published_us: np.ndarray
    post_id: np.ndarray
    post_type: np.ndarray
    caption: list[str]
    hashtags: list[list[str]]
    mentions: list[list[str]]
    likes: np.ndarray
    comments: np.ndarray
    shares: np.ndarray
    saves: np.ndarray
    views: np.ndarray
    reach: np.ndarray
    paid_flag: np.ndarray
    sponsored: np.ndarray
    disclosed: np.ndarray
    disclosure: list[str]
    rank_from_latest: np.ndarray


def draw_posts(
    rng: np.random.Generator, accounts: AccountArrays, end_us: int, difficulty: Difficulty
) -> PostArrays:
    m = len(accounts.network)
    rate = np.asarray([POSTS_PER_WINDOW[str(net)] for net in accounts.network]) * rng.lognormal(0, 0.4, m)
    per_account = np.clip(rng.poisson(rate), 3, 80)
    account = np.repeat(np.arange(m), per_account)
    n = len(account)
    age_us = rng.integers(0, HISTORY_DAYS * 86_400, n) * MICROSECONDS
    order = np.lexsort((age_us, account))
    account = account[order]
    age_us = age_us[order]
    published_us = end_us - age_us
    # rank 0 = the latest post of its account (ages are sorted ascending within an account)
    starts = np.concatenate([[0], np.cumsum(per_account)[:-1]])
    rank_from_latest = np.arange(n) - np.repeat(starts, per_account)

    network = accounts.network[account]
    type_draw = rng.random(n)
    post_type = np.where(
        network == "instagram",
        np.where(type_draw < 0.4, "photo", np.where(type_draw < 0.65, "carousel", "reel")),
        np.where(network == "tiktok", "video", np.where(type_draw < 0.6, "video", "short")),
    ).astype(object)

    topic_names = np.asarray(words.TOPICS, dtype=object)[accounts.topic[account]]
    topic_factor = np.asarray([words.TOPIC_ENGAGEMENT[str(name)] for name in words.TOPICS])[
        accounts.topic[account]
    ]
    save_factor = np.asarray([words.TOPIC_SAVES[str(name)] for name in words.TOPICS])[accounts.topic[account]]
    real = accounts.organic_now[account] * (1.0 - 0.5 * accounts.fake_share[account])
    followers = accounts.followers[account]
    noise = rng.lognormal(0.0, 0.35, n)
    type_factor = np.where(post_type == "carousel", 1.15, np.where(post_type == "reel", 1.3, 1.0))
    instagram_er = 0.065 * np.power(np.maximum(real, 1) / 1000.0, -0.22) * topic_factor * type_factor * noise
    tiktok_views = followers * 0.6 * np.power(followers / 1000.0, -0.05) * rng.lognormal(0.0, 0.9, n)
    youtube_views = real * 0.12 * noise * np.where(post_type == "short", 1.8, 1.0)
    is_ig = network == "instagram"
    is_tt = network == "tiktok"
    views = np.where(
        is_ig, real * 0.35 * type_factor * 1.4 * noise, np.where(is_tt, tiktok_views, youtube_views)
    )
    likes = np.where(
        is_ig,
        real * instagram_er,
        np.where(is_tt, views * 0.08 * topic_factor, views * 0.035 * topic_factor),
    ) * rng.lognormal(0.0, 0.15, n)
    comments = likes * np.where(is_tt, 0.012, np.where(is_ig, 0.025, 0.05)) * rng.lognormal(0.0, 0.4, n)
    shares = likes * np.where(is_ig, 0.04, 0.05) * rng.lognormal(0.0, 0.5, n)
    saves = likes * save_factor * rng.lognormal(0.0, 0.4, n)
    reach = real * 0.3 * type_factor * noise

    # Sponsorship and its disclosure.
    sponsored = rng.random(n) < accounts.sponsor_rate[account]
    hides = accounts.undisclosed[account]
    disclose_chance = np.where(hides, difficulty.undisclosed_disclosure, 0.97)
    disclosed = sponsored & (rng.random(n) < disclose_chance)
    by_flag = disclosed & (rng.random(n) < 0.4)
    language = accounts.language[account]
    opener_pick = rng.integers(0, 1_000_000, n)
    phrase_pick = rng.integers(0, 1_000_000, n)
    closer_pick = rng.integers(0, 1_000_000, n)
    tag_count = rng.integers(0, 5, n)
    tag_pick = rng.integers(0, 1_000_000, (n, 4))
    label_pick = rng.integers(0, 1_000_000, n)
    brand_pick = rng.integers(0, 1_000_000, n)
    promo_pick = rng.integers(0, 1_000_000, n)
    code_number = rng.integers(10, 31, n)
    emoji = pick(rng, words.EMOJI, n)
    handles = accounts.handle[account]
    post_id = np.asarray(
        [
            f"{handles[row][:12].replace('.', '')}{account[row]:x}p{rank}"
            for row, rank in enumerate(rank_from_latest)
        ],
        dtype=object,
    )
    captions: list[str] = []
    hashtags: list[list[str]] = []
    mentions: list[list[str]] = []
    disclosure: list[str] = []
    for row in range(n):
        lang = str(language[row])
        topic_name = str(topic_names[row])
        if lang in ("fr", "en"):
            phrases = words.TOPIC_PHRASES[topic_name][0 if lang == "fr" else 1]
        else:
            phrases = words.OTHER_LANGUAGE_PHRASES[lang]
        openers = words.CAPTION_OPENERS[lang]
        closers = words.CAPTION_CLOSERS[lang]
        tag_pool = words.TOPIC_HASHTAGS[topic_name]
        tags = list(dict.fromkeys(tag_pool[tag_pick[row, k] % len(tag_pool)] for k in range(tag_count[row])))
        parts = [
            openers[opener_pick[row] % len(openers)],
            phrases[phrase_pick[row] % len(phrases)],
            str(emoji[row]),
        ]
        mentioned: list[str] = []
        label = ""
        if sponsored[row]:
            brands = words.BRANDS[topic_name]
            brand = brands[brand_pick[row] % len(brands)]
            promos = words.PROMO_PHRASES[lang]
            code = f"{str(accounts.first_name[account[row]]).upper()[:6]}{code_number[row]}"
            parts.append(promos[promo_pick[row] % len(promos)].format(code=code, brand=brand))
            mentioned.append(brand)
            if disclosed[row] and not by_flag[row]:
                labels = words.DISCLOSURE_LABELS[lang]
                label = labels[label_pick[row] % len(labels)]
                parts.insert(0, label)
                if label.startswith("#"):
                    tags.insert(0, label[1:])
            disclosure.append("platform_flag" if by_flag[row] else label if disclosed[row] else "")
        else:
            disclosure.append("")
        closer = closers[closer_pick[row] % len(closers)]
        if closer:
            parts.append(closer)
        tag_text = " ".join(f"#{tag}" for tag in tags if f"#{tag}" not in parts)
        if tag_text:
            parts.append(tag_text)
        captions.append(" ".join(parts))
        hashtags.append(tags)
        mentions.append(mentioned)
    return PostArrays(
        account=account,
        published_us=published_us,
        post_id=post_id,
        post_type=post_type,
        caption=captions,
        hashtags=hashtags,
        mentions=mentions,
        likes=likes,
        comments=comments,
        shares=shares,
        saves=saves,
        views=views,
        reach=reach,
        paid_flag=by_flag,
        sponsored=sponsored,
        disclosed=disclosed,
        disclosure=disclosure,
        rank_from_latest=rank_from_latest,
    )


@dataclass(slots=True)
class SubtleCases:
    """Subtle fraud and honest look-alikes of one chunk (``Difficulty.subtle``), per account: a purchase
    trickled over a few days (``trickle_*``, size 0 = none), growth after a viral post (``viral_*``, a
    look-alike: the post's engagement matches the growth), a one-off follow batch (``batch_*``, a
    look-alike: never undone)."""

    trickle_day: np.ndarray
    trickle_days: np.ndarray
    trickle_size: np.ndarray
    viral_day: np.ndarray
    viral_gain: np.ndarray
    viral_post: list[str]
    batch_day: np.ndarray
    batch_size: np.ndarray


def draw_subtle(
    rng: np.random.Generator, accounts: AccountArrays, posts: PostArrays, end_us: int, difficulty: Difficulty
) -> SubtleCases:
    m = len(accounts.network)
    chosen = rng.random(m) < difficulty.subtle
    clean = ~accounts.bought & ~accounts.follow_unfollow
    trickle = chosen & clean & (rng.random(m) < 0.15)
    viral = chosen & clean & ~trickle & (rng.random(m) < 0.15)
    batch = chosen & ~accounts.follow_unfollow & (rng.random(m) < 0.12)
    trickle_size = np.where(trickle, np.round(rng.uniform(0.02, 0.06, m) * accounts.organic_now), 0)
    batch_low, batch_high = difficulty.follow_unfollow_size
    day_of_post = HISTORY_DAYS - 1 - (end_us - posts.published_us) // (86_400 * MICROSECONDS)
    viral_day = np.full(m, -1)
    viral_gain = np.zeros(m)
    viral_post = [""] * m
    for row in np.flatnonzero(viral).tolist():
        candidates = np.flatnonzero(
            (posts.account == row) & (day_of_post >= 10) & (day_of_post <= HISTORY_DAYS - 10)
        )
        if not len(candidates):
            continue
        post = int(candidates[rng.integers(0, len(candidates))])
        gain = float(rng.uniform(0.03, 0.08) * accounts.organic_now[row])
        # The post travelled: its interactions grow with the followers it brought (several per new follower).
        factor = max(float(rng.uniform(5.0, 12.0)), 1.0 + 3.0 * gain / max(float(posts.likes[post]), 1.0))
        for metric in (posts.likes, posts.comments, posts.shares, posts.saves, posts.views, posts.reach):
            metric[post] *= factor
        viral_day[row] = int(day_of_post[post])
        viral_gain[row] = gain
        viral_post[row] = str(posts.post_id[post])
    _restyle_captions(rng, accounts, posts, chosen)
    return SubtleCases(
        trickle_day=rng.integers(10, HISTORY_DAYS - 20, m),
        trickle_days=rng.integers(3, 6, m),
        trickle_size=trickle_size,
        viral_day=viral_day,
        viral_gain=viral_gain,
        viral_post=viral_post,
        batch_day=np.where(batch, rng.integers(5, HISTORY_DAYS - 5, m), -1),
        batch_size=np.round(rng.uniform(batch_low, batch_high, m)),
    )


def _restyle_captions(
    rng: np.random.Generator, accounts: AccountArrays, posts: PostArrays, chosen: np.ndarray
) -> None:
    """Captions of the chosen accounts in subtle styles: undisclosed sponsored posts that only tag the brand
    or give a code without the word "code"; disclosed ones with a partnership wording first or a label at
    the end; organic posts that deny being an ad, tag friends or name a club with digits."""
    for row in np.flatnonzero(chosen[posts.account]).tolist():
        owner = int(posts.account[row])
        lang = "fr" if accounts.language[owner] == "fr" else "en"
        topic_name = words.TOPICS[accounts.topic[owner]]
        brands = words.BRANDS[topic_name]
        brand = posts.mentions[row][0] if posts.mentions[row] else brands[int(rng.integers(0, len(brands)))]
        product = words.SUBTLE_PRODUCTS[int(rng.integers(0, len(words.SUBTLE_PRODUCTS)))]
        phrases = words.TOPIC_PHRASES[topic_name][0 if lang == "fr" else 1]
        phrase = phrases[int(rng.integers(0, len(phrases)))]
        tags = [t for t in posts.hashtags[row] if f"#{t}" != posts.disclosure[row].lower()]
        tag_text = " ".join(f"#{t}" for t in tags)
        roll = float(rng.random())

        def one(pool: dict[str, tuple[str, ...]], lang: str = lang) -> str:
            options = pool[lang]
            return options[int(rng.integers(0, len(options)))]

        if posts.sponsored[row] and posts.disclosed[row] and not posts.paid_flag[row]:
            if roll < 0.35:
                opener = one(words.SUBTLE_PARTNER_OPENERS).format(brand=brand)
                posts.caption[row] = f"{opener} {phrase} {tag_text}".strip()
                posts.disclosure[row] = opener.split(" @")[0]
                posts.hashtags[row] = tags
            elif roll < 0.7:
                label = one(words.SUBTLE_END_LABELS)
                posts.caption[row] = f"{phrase} @{brand} {tag_text} {label}".replace("  ", " ")
                posts.disclosure[row] = label
                posts.hashtags[row] = [*tags, label[1:]]
        elif posts.sponsored[row] and not posts.disclosed[row]:
            if roll < 0.5:
                text = one(words.SUBTLE_TAG_PHRASES).format(brand=brand, product=product)
            else:
                code = f"{brand.split('.')[0].upper()[:5]}{int(rng.integers(10, 40))}"
                text = one(words.SUBTLE_CODE_PHRASES).format(brand=brand, code=code)
            posts.caption[row] = f"{phrase} {text} {tag_text}".strip()
            posts.mentions[row] = [brand]
        elif not posts.sponsored[row]:
            if roll < 0.12:
                text = one(words.NOT_AN_AD_PHRASES).format(brand=brand, product=product)
                posts.mentions[row] = [brand]
            elif roll < 0.24:
                friend = str(people_handles(rng, np.asarray([lang], dtype=object))[0])
                text = one(words.FRIEND_PHRASES).format(friend=friend)
                posts.mentions[row] = [friend]
            elif roll < 0.3:
                club = f"{words.HANDLE_WORDS[topic_name][0].upper()[:4]}{int(rng.integers(10, 99))}"
                text = one(words.CLUB_PHRASES).format(club=club)
            else:
                continue
            posts.caption[row] = f"{text} {phrase} {tag_text}".strip()


def build_posts_frame(accounts: AccountArrays, posts: PostArrays) -> pl.DataFrame:
    network = accounts.network[posts.account]
    is_ig = network == "instagram"
    is_tt = network == "tiktok"
    everywhere = np.ones(len(network), dtype=bool)
    urls = [
        f"https://www.instagram.com/p/{pid}/"
        if net == "instagram"
        else f"https://www.tiktok.com/@{handle}/video/{pid}"
        if net == "tiktok"
        else f"https://www.youtube.com/watch?v={pid}"
        for pid, net, handle in zip(posts.post_id, network, accounts.handle[posts.account], strict=True)
    ]
    return typed_frame(
        record_type="post",
        columns={
            "network": network.tolist(),
            "handle": accounts.handle[posts.account].tolist(),
            "network_post_id": posts.post_id.tolist(),
            "published_at": utc_series(posts.published_us),
            "post_type": posts.post_type.tolist(),
            "caption": posts.caption,
            "hashtags": string_lists(posts.hashtags),
            "mentions": string_lists(posts.mentions),
            "url": urls,
            "likes": nullable_ints(posts.likes, everywhere),
            "comments": nullable_ints(posts.comments, everywhere),
            "shares": nullable_ints(posts.shares, is_ig | is_tt),
            "saves": nullable_ints(posts.saves, is_ig),
            "views": nullable_ints(posts.views, everywhere),
            "reach": nullable_ints(posts.reach, is_ig),
            "impressions": pl.Series([None] * len(network), dtype=pl.Int64),
            "is_paid_partnership": posts.paid_flag,
        },
    )


def draw_snapshots(accounts: AccountArrays, posts: PostArrays, end_us: int) -> pl.DataFrame:
    chosen = np.flatnonzero(posts.rank_from_latest < SNAPSHOT_POSTS)
    day_us = 86_400 * MICROSECONDS
    which = np.repeat(chosen, SNAPSHOT_DAYS)
    day = np.tile(np.arange(1, SNAPSHOT_DAYS + 1), len(chosen))
    captured_us = posts.published_us[which] + day * day_us
    keep = captured_us <= end_us
    which, day, captured_us = which[keep], day[keep], captured_us[keep]
    growth = (1.0 - np.exp(-day / 1.5)) / (1.0 - np.exp(-SNAPSHOT_DAYS / 1.5))
    network = accounts.network[posts.account[which]]
    is_ig = network == "instagram"
    is_tt = network == "tiktok"
    everywhere = np.ones(len(which), dtype=bool)
    epoch_days = (captured_us // day_us).astype(np.int32)
    return typed_frame(
        record_type="post_snapshot",
        columns={
            "network": network.tolist(),
            "handle": accounts.handle[posts.account[which]].tolist(),
            "network_post_id": posts.post_id[which].tolist(),
            "captured_on": pl.Series(epoch_days).cast(pl.Date),
            "likes": nullable_ints(posts.likes[which] * growth, everywhere),
            "comments": nullable_ints(posts.comments[which] * growth, everywhere),
            "shares": nullable_ints(posts.shares[which] * growth, is_ig | is_tt),
            "saves": nullable_ints(posts.saves[which] * growth, is_ig),
            "views": nullable_ints(posts.views[which] * growth, everywhere),
            "reach": nullable_ints(posts.reach[which] * growth, is_ig),
        },
    )
