"""Generation of one chunk of the simulated world: creators, their accounts and everything around them.

Each chunk draws from its own generator seeded with ``(seed, chunk_index)``, so a chunk is the same
whatever ran before it and the world is written chunk by chunk with flat memory. Draws are
vectorised with numpy; Python loops only touch per-account text and the ground truth.

The engagement model (per post, before fraud):
- Instagram: likes = real followers x ER, ER = 6.5 % x (real followers / 1,000)^-0.22 x topic factor x
  type factor x noise, so ER falls from ~6 % for nano to ~1.5 % for mega accounts;
- TikTok: views = followers x 0.6 x (followers / 1,000)^-0.05 x heavy-tailed noise, likes = 8 % of views
  (engagement is views-based and barely falls with size);
- YouTube: views = real followers x 12 % x noise, likes = 3.5 % of views.
Bought followers inflate ``followers`` but never engage; pods and bots add comments and likes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

from microreach.sources.frames import frame_schema
from microreach.sources.simulator import vocabulary as words
from microreach.sources.simulator.campaigns import AccountView, AttachedBrand, generate_campaigns
from microreach.sources.simulator.difficulty import Difficulty

HISTORY_DAYS = 90
COMMENTED_POSTS = 8  # latest posts per account that get a comment sample
COMMENT_SAMPLE = 10  # organic comments sampled per post at most
SNAPSHOT_POSTS = 3  # latest posts per account with daily metric snapshots
SNAPSHOT_DAYS = 7
NETWORKS = ("instagram", "tiktok", "youtube")
NETWORK_WEIGHTS = (0.55, 0.30, 0.15)
POSTS_PER_WINDOW = {"instagram": 22.0, "tiktok": 34.0, "youtube": 10.0}
MICROSECONDS = 1_000_000


@dataclass(slots=True)
class Chunk:
    """What one chunk produced: a typed frame per record type and the ground truth of its accounts."""

    frames: dict[str, pl.DataFrame]
    ground_truth: list[dict[str, object]]
    follower_truth: pl.DataFrame | None = None


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _pick(rng: np.random.Generator, pool: tuple[str, ...], size: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size)]


def _utc(micros: np.ndarray) -> pl.Series:
    return pl.Series(micros.astype(np.int64)).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def _string_lists(lists: list[list[str]]) -> pl.Series:
    """A list[str] column built through one joined string per row (polars builds nested Python lists slowly)."""
    joined = pl.Series(["|".join(items) for items in lists], dtype=pl.String)
    return (
        pl.select(
            pl.when(joined == "").then(pl.lit([], dtype=pl.List(pl.String))).otherwise(joined.str.split("|"))
        )
        .to_series()
        .cast(pl.List(pl.String))
    )


def _nullable(values: np.ndarray, present: np.ndarray) -> pl.Series:
    return pl.Series(np.round(values).astype(np.int64)).set(pl.Series(~present), None)


@dataclass(slots=True)
class _Accounts:
    """Per-account arrays of one chunk (index = account row in the chunk)."""

    creator: np.ndarray
    network: np.ndarray
    handle: np.ndarray
    language: np.ndarray
    country: np.ndarray
    locale: np.ndarray
    topic: np.ndarray
    followers: np.ndarray
    following: np.ndarray
    posts_count: np.ndarray
    first_name: np.ndarray
    organic_now: np.ndarray
    fake_share: np.ndarray
    bought: np.ndarray
    jump_day: np.ndarray
    jump_size: np.ndarray
    purge: np.ndarray
    follow_unfollow: np.ndarray
    pod: np.ndarray
    bots: np.ndarray
    bot_share: np.ndarray
    sponsor_rate: np.ndarray
    undisclosed: np.ndarray
    reply_rate: np.ndarray
    frame: pl.DataFrame


def _draw_accounts(
    rng: np.random.Generator, creator_start: int, creator_count: int, difficulty: Difficulty
) -> _Accounts:
    n = creator_count
    locale_weights = np.asarray([entry[2] for entry in words.LOCALES])
    creator_locale = rng.choice(len(words.LOCALES), n, p=locale_weights / locale_weights.sum())
    topic_weights = np.asarray(words.TOPIC_WEIGHTS)
    creator_topic = rng.choice(len(words.TOPICS), n, p=topic_weights / topic_weights.sum())
    second_topic = np.where(rng.random(n) < 0.45, rng.integers(0, len(words.TOPICS), n), -1)
    accounts_per_creator = 1 + (rng.random(n) < 0.25)
    creator = np.repeat(np.arange(n), accounts_per_creator)
    second = np.concatenate([[0] if count == 1 else [0, 1] for count in accounts_per_creator]).astype(bool)
    m = len(creator)
    primary_network = rng.choice(3, n, p=NETWORK_WEIGHTS)
    network_index = np.where(
        second, (primary_network[creator] + 1 + rng.integers(0, 2, m)) % 3, primary_network[creator]
    )
    network = np.asarray(NETWORKS, dtype=object)[network_index]
    # Pareto tail (alpha 0.72 from 800 followers): ~80 % nano, ~13 % micro, ~5 % mid, under 1 % macro / mega.
    followers = 800.0 * (1.0 - rng.random(m)) ** (-1.0 / 0.72)
    followers = np.where(second, followers * rng.lognormal(-1.0, 0.8, m), followers)
    # Capped at 30M: beyond, the tail would invent accounts larger than any creator a brand can hire.
    followers = np.clip(followers, 120, 3e7).round()
    locale = creator_locale[creator]
    topic = creator_topic[creator]
    language = np.asarray([words.LOCALES[index][0] for index in locale], dtype=object)
    country = np.asarray([words.LOCALES[index][1] for index in locale], dtype=object)

    big = followers > 500_000
    following = np.clip(rng.lognormal(np.where(big, 5.5, 6.3), 0.8, m), 5, 7_500).round()
    posts_count = np.clip(rng.lognormal(5.8, 0.8, m), 12, 20_000).round()

    # Planted fraud and behaviour.
    fake_base = rng.beta(2.0, 20.0, m)
    bought = rng.random(m) < difficulty.bought_rate
    jump_fraction = rng.uniform(*difficulty.bought_jump, m)
    jump_day = rng.integers(10, HISTORY_DAYS - 20, m)
    purge_total = rng.uniform(*difficulty.purge_fraction, m)
    days_after = HISTORY_DAYS - 1 - (jump_day + difficulty.jump_days - 1)
    purge_now = purge_total * (1.0 - np.exp(-days_after / 20.0))
    remaining = np.where(bought, jump_fraction * (1.0 - purge_now), 0.0)
    organic_now = np.round(followers / (1.0 + remaining))
    jump_size = np.where(bought, np.round(jump_fraction * organic_now), 0)
    fake_now = followers - organic_now
    fake_share = (fake_base * organic_now + fake_now) / followers
    follow_unfollow = rng.random(m) < difficulty.follow_unfollow_rate
    pod = (network != "youtube") & (rng.random(m) < difficulty.pod_rate)
    bots = rng.random(m) < difficulty.bot_rate
    bot_share = np.where(bots, rng.uniform(*difficulty.bot_share, m), 0.0)
    heavy_sponsoring = rng.random(m) < 0.05
    sponsor_rate = np.where(heavy_sponsoring, rng.beta(5, 5, m), rng.beta(1.2, 8.0, m))
    undisclosed = rng.random(m) < difficulty.undisclosed_rate
    reply_rate = rng.beta(2.0, 5.0, m)

    # Text of the profiles.
    first_names = [words.FIRST_NAMES[str(lang)] for lang in language]
    last_names = [words.LAST_NAMES[str(lang)] for lang in language]
    first_pick = rng.integers(0, 1_000_000, m)
    last_pick = rng.integers(0, 1_000_000, m)
    word_pick = rng.integers(0, 1_000_000, m)
    style = rng.integers(0, 4, m)
    emoji = _pick(rng, words.EMOJI, m)
    phrase_pick = rng.integers(0, 1_000_000, m)
    extra_pick = rng.integers(0, 1_000_000, m)
    city_pick = rng.integers(0, 1_000_000, m)
    has_email = rng.random(m) < 0.5
    has_link = rng.random(m) < 0.3
    verified = rng.random(m) < np.minimum(0.9, followers / 2e6)
    private = (followers < 10_000) & (rng.random(m) < 0.005)
    has_picture = rng.random(m) < 0.995
    handles: list[str] = []
    display_names: list[str] = []
    creator_names: list[str] = []
    bios: list[str] = []
    emails: list[str] = []
    links: list[str] = []
    user_ids: list[str] = []
    creator_keys: list[str] = []
    topics_lists: list[list[str]] = []
    first_of: list[str] = []
    for row in range(m):
        who = int(creator[row])
        global_creator = creator_start + who
        first = first_names[row][first_pick[who] % len(first_names[row])]
        last = last_names[row][last_pick[who] % len(last_names[row])]
        topic_name = words.TOPICS[topic[row]]
        word = words.HANDLE_WORDS[topic_name][word_pick[who] % len(words.HANDLE_WORDS[topic_name])]
        suffix = _base36(global_creator * 2 + int(second[row]))
        kind = style[row]
        if kind == 0:
            handle = f"{_ascii(first)}.{word}.{suffix}"
        elif kind == 1:
            handle = f"{_ascii(first)}_{_ascii(last)}.{suffix}"
        elif kind == 2:
            handle = f"{word}.by.{_ascii(first)}{suffix}"
        else:
            handle = f"{_ascii(first)}{_ascii(last)[:3]}_{word}{suffix}"
        handles.append(handle)
        full_name = f"{first} {last}"
        creator_names.append(full_name)
        display_names.append(full_name if kind != 2 else f"{first} | {word}")
        lang = str(language[row])
        city_pool = words.LOCALES[locale[row]][3]
        city = city_pool[city_pick[who] % len(city_pool)]
        if lang in ("fr", "en"):
            phrases = words.TOPIC_PHRASES[topic_name][0 if lang == "fr" else 1]
        else:
            phrases = words.OTHER_LANGUAGE_PHRASES[lang]
        phrase = phrases[phrase_pick[row] % len(phrases)]
        extras = words.BIO_EXTRAS[lang]
        extra = extras[extra_pick[row] % len(extras)]
        place = f"📍 {city}" if "Lyon" not in phrase else ""
        bio = f"{emoji[row]} {phrase[0].upper()}{phrase[1:]} {place} | {extra}".replace("  ", " ")
        email = f"collab.{handle.replace('_', '.')}@gmail.com" if has_email[row] else ""
        if email:
            bio = f"{bio} | 📩 {email}"
        bios.append(bio)
        emails.append(email)
        links.append(f"https://linktr.ee/{handle}" if has_link[row] else "")
        net = network[row]
        account_number = global_creator * 2 + int(second[row])
        if net == "youtube":
            user_ids.append("UC" + _base36(account_number * 7919 + 10**12).rjust(22, "x"))
        else:
            user_ids.append(str(17_841_400_000_000_000 + account_number))
        creator_keys.append(f"sim-{global_creator}")
        topic_list = [topic_name]
        if second_topic[who] >= 0 and second_topic[who] != topic[row]:
            topic_list.append(words.TOPICS[second_topic[who]])
        topics_lists.append(topic_list)
        first_of.append(_ascii(first))

    frame = pl.DataFrame(
        {
            "network": network.tolist(),
            "handle": handles,
            "followers": followers.astype(np.int64),
            "creator_key": creator_keys,
            "creator_name": creator_names,
            "network_user_id": user_ids,
            "display_name": display_names,
            "bio": bios,
            "topics": _string_lists(topics_lists),
            "language": language.tolist(),
            "country": country.tolist(),
            "following": following.astype(np.int64),
            "posts_count": posts_count.astype(np.int64),
            "verified": verified,
            "private": private,
            "has_profile_picture": has_picture,
            "contact_email": emails,
            "external_url": links,
        },
        schema=frame_schema("account"),
    )
    return _Accounts(
        creator=creator,
        network=network,
        handle=np.asarray(handles, dtype=object),
        language=language,
        country=country,
        locale=locale,
        topic=topic,
        followers=followers,
        following=following,
        posts_count=posts_count,
        first_name=np.asarray(first_of, dtype=object),
        organic_now=organic_now,
        fake_share=fake_share,
        bought=bought,
        jump_day=jump_day,
        jump_size=jump_size,
        purge=purge_total,
        follow_unfollow=follow_unfollow,
        pod=pod,
        bots=bots,
        bot_share=bot_share,
        sponsor_rate=sponsor_rate,
        undisclosed=undisclosed,
        reply_rate=reply_rate,
        frame=frame,
    )


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
    accounts = _draw_accounts(rng, creator_start, creator_count, difficulty)
    if profiles_only:
        return Chunk(frames={"account": accounts.frame}, ground_truth=[])
    end = datetime(as_of.year, as_of.month, as_of.day, 23, 59, 59, tzinfo=UTC)
    end_us = int(end.timestamp()) * MICROSECONDS
    posts = _draw_posts(rng, accounts, end_us, difficulty)
    # Subtle cases come from a generator of their own: with ``subtle`` = 0 the world is today's, draw for draw.
    subtle = (
        _draw_subtle(np.random.default_rng([seed, chunk_index, 13]), accounts, posts, end_us, difficulty)
        if difficulty.subtle > 0
        else None
    )
    comments, pods = _draw_comments(rng, accounts, posts, end_us, difficulty, chunk_index)
    posts_frame = _posts_frame(accounts, posts)
    followers, follower_truth, sample_fake = _draw_follower_sample(
        rng, accounts, as_of, end_us, difficulty, follower_sample, follower_style
    )
    counts, events = _draw_follower_counts(rng, accounts, posts, as_of, end_us, difficulty, subtle)
    audience = _draw_audience(rng, accounts, as_of)
    snapshots = _draw_snapshots(accounts, posts, end_us)
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


def _campaign_view(accounts: _Accounts, posts: _Posts) -> AccountView:
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


@dataclass(slots=True)
class _Posts:
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


def _draw_posts(rng: np.random.Generator, accounts: _Accounts, end_us: int, difficulty: Difficulty) -> _Posts:
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
    emoji = _pick(rng, words.EMOJI, n)
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
    return _Posts(
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
class _Subtle:
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


def _draw_subtle(
    rng: np.random.Generator, accounts: _Accounts, posts: _Posts, end_us: int, difficulty: Difficulty
) -> _Subtle:
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
    return _Subtle(
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
    rng: np.random.Generator, accounts: _Accounts, posts: _Posts, chosen: np.ndarray
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
                friend = str(_people_handles(rng, np.asarray([lang], dtype=object))[0])
                text = one(words.FRIEND_PHRASES).format(friend=friend)
                posts.mentions[row] = [friend]
            elif roll < 0.3:
                club = f"{words.HANDLE_WORDS[topic_name][0].upper()[:4]}{int(rng.integers(10, 99))}"
                text = one(words.CLUB_PHRASES).format(club=club)
            else:
                continue
            posts.caption[row] = f"{text} {phrase} {tag_text}".strip()


def _apply_subtle_growth(
    subtle: _Subtle,
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


def _posts_frame(accounts: _Accounts, posts: _Posts) -> pl.DataFrame:
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
    return pl.DataFrame(
        {
            "network": network.tolist(),
            "handle": accounts.handle[posts.account].tolist(),
            "network_post_id": posts.post_id.tolist(),
            "published_at": _utc(posts.published_us),
            "post_type": posts.post_type.tolist(),
            "caption": posts.caption,
            "hashtags": _string_lists(posts.hashtags),
            "mentions": _string_lists(posts.mentions),
            "url": urls,
            "likes": _nullable(posts.likes, everywhere),
            "comments": _nullable(posts.comments, everywhere),
            "shares": _nullable(posts.shares, is_ig | is_tt),
            "saves": _nullable(posts.saves, is_ig),
            "views": _nullable(posts.views, everywhere),
            "reach": _nullable(posts.reach, is_ig),
            "impressions": pl.Series([None] * len(network), dtype=pl.Int64),
            "is_paid_partnership": posts.paid_flag,
        },
        schema=frame_schema("post"),
    )


def _people_handles(rng: np.random.Generator, languages: np.ndarray) -> np.ndarray:
    firsts = np.asarray(
        [_ascii(name) for lang in words.FIRST_NAMES for name in words.FIRST_NAMES[lang]], dtype=object
    )
    lasts = np.asarray(
        [_ascii(name) for lang in words.LAST_NAMES for name in words.LAST_NAMES[lang]], dtype=object
    )
    n = len(languages)
    first = firsts[rng.integers(0, len(firsts), n)]
    last = lasts[rng.integers(0, len(lasts), n)]
    number = rng.integers(0, 100, n)
    style = rng.integers(0, 3, n)
    return np.asarray(
        [
            f"{a}.{b}" if s == 0 else f"{a}_{b}{k:02d}" if s == 1 else f"{a}{b[:4]}{k}"
            for a, b, k, s in zip(first, last, number, style, strict=True)
        ],
        dtype=object,
    )


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
class _Pod:
    pod_id: int
    members: tuple[int, ...]
    delay_minutes: float


def _draw_comments(
    rng: np.random.Generator,
    accounts: _Accounts,
    posts: _Posts,
    end_us: int,
    difficulty: Difficulty,
    chunk_index: int,
) -> tuple[pl.DataFrame, list[_Pod]]:
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
    text = np.where(genuine, genuine_text, _pick(rng, words.GENERIC_COMMENTS, n))
    author = _people_handles(rng, lang)
    delay = rng.exponential(6 * 3600, n) * MICROSECONDS
    at = np.minimum(posts.published_us[which] + delay.astype(np.int64), end_us)
    replied = genuine & (rng.random(n) < accounts.reply_rate[owner])
    kind = np.zeros(n, dtype=np.int8)

    # Bot comments: a farm of digit-heavy handles shared by the chunk, seconds after publication.
    bot_which = np.repeat(sampled, bot_count)
    b = len(bot_which)
    farm = _bot_handles(rng, 200)
    bot_author = farm[rng.integers(0, len(farm), b)]
    bot_text = _pick(rng, words.BOT_COMMENTS, b)
    bot_at = np.minimum(posts.published_us[bot_which] + rng.integers(5, 180, b) * MICROSECONDS, end_us)

    # Pods: members of one network comment on each other's latest posts within minutes, generically.
    pods: list[_Pod] = []
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
            pod = _Pod(
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
    pod_text = _pick(rng, words.GENERIC_COMMENTS, p)
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
    frame = pl.DataFrame(
        {
            "network": accounts.network[owner_all].tolist(),
            "handle": accounts.handle[owner_all].tolist(),
            "network_post_id": post_ids.tolist(),
            "network_comment_id": comment_ids.tolist(),
            "author_handle": all_author.tolist(),
            "commented_at": _utc(all_at),
            "text": all_text.tolist(),
            "reply_to": reply_to.tolist(),
            "creator_replied": all_replied,
        },
        schema=frame_schema("comment"),
    )
    return frame, pods


#: How sampled followers' profiles are drawn: ``legacy`` (this module's own distributions, the default:
#: today's worlds unchanged), or a style of ``core.suspicious.simulate_labelled_profiles``
#: (``published``: fitted to published statistics, in groups — bought followers, bot farms, aged fakes,
#: ordinary, inactive and new real users, mass followers; ``latent``: a latent-trait generator). Who is
#: fake, handles and follow dates are drawn the same way in every style.
FOLLOWER_STYLES: tuple[str, ...] = ("legacy", "published", "latent")


def _styled_profiles(rng: np.random.Generator, is_fake: np.ndarray, style: str) -> dict[str, np.ndarray]:
    """Profile fields of the sampled followers from a ``core.suspicious`` style (no unknown field)."""
    from microreach.core.suspicious import simulate_labelled_profiles

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


def _draw_follower_sample(
    rng: np.random.Generator,
    accounts: _Accounts,
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
    real_names = _people_handles(rng, languages)
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
    frame = pl.DataFrame(
        {
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
            "followed_at": _utc(followed),
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
        schema=frame_schema("follower"),
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


def _draw_follower_counts(
    rng: np.random.Generator,
    accounts: _Accounts,
    posts: _Posts,
    as_of: date,
    end_us: int,
    difficulty: Difficulty,
    subtle: _Subtle | None = None,
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
    frame = pl.DataFrame(
        {
            "network": accounts.network[rows].tolist(),
            "handle": accounts.handle[rows].tolist(),
            "date": pl.Series(day_numbers.astype(np.int32)).cast(pl.Date),
            "followers": np.maximum(followers[rows, cols], 0).astype(np.int64),
            "following": np.maximum(np.round(following[rows, cols]), 0).astype(np.int64),
            "posts_count": np.maximum(posts_count[rows, cols], 0).astype(np.int64),
        },
        schema=frame_schema("follower_count"),
    )
    return frame, events


def _shares(rng: np.random.Generator, alpha: np.ndarray) -> np.ndarray:
    """Rows of shares summing to 1, rounded to 4 decimals (the largest share absorbs the rounding)."""
    draws = rng.gamma(alpha)
    shares = np.round(draws / draws.sum(axis=1, keepdims=True), 4)
    largest = shares.argmax(axis=1)
    rows = np.arange(len(shares))
    shares[rows, largest] = np.round(1.0 - (shares.sum(axis=1) - shares[rows, largest]), 4)
    return shares


def _draw_audience(rng: np.random.Generator, accounts: _Accounts, as_of: date) -> pl.DataFrame:
    m = len(accounts.network)
    countries = np.asarray(sorted({entry[1] for entry in words.LOCALES}), dtype=object)
    parts: list[tuple[np.ndarray, str, np.ndarray, np.ndarray]] = []

    # Country: home first, then four others; bought followers bring far-away countries.
    others = np.stack([rng.permutation(len(countries))[:5] for _ in range(m)]) if m else np.zeros((0, 5), int)
    keys = countries[others]
    keys[:, 0] = accounts.country
    for row in range(m):
        seen = {keys[row, 0]}
        for column in range(1, 5):
            if keys[row, column] in seen:
                keys[row, column] = next(code for code in countries if code not in seen)
            seen.add(keys[row, column])
    alpha = np.column_stack([np.full(m, 12.0), np.full((m, 4), 1.0)])
    fake_keys = np.asarray(words.FAKE_AUDIENCE_COUNTRIES, dtype=object)[
        rng.integers(0, len(words.FAKE_AUDIENCE_COUNTRIES), m)
    ]
    keys = np.where(accounts.bought[:, None] & (np.arange(5)[None, :] == 4), fake_keys[:, None], keys)
    alpha[:, 4] = np.where(accounts.bought, 1.0 + 40.0 * accounts.fake_share, 1.0)
    parts.append((np.repeat(np.arange(m), 5), "country", keys.ravel(), _shares(rng, alpha).ravel()))

    # City: three cities of the creator's locale and "other".
    city_keys = np.empty((m, 4), dtype=object)
    for row in range(m):
        pool = words.LOCALES[accounts.locale[row]][3]
        chosen = [pool[(k + int(accounts.topic[row])) % len(pool)] for k in range(3)]
        city_keys[row] = [*chosen, "other"]
    city_alpha = np.column_stack([np.full((m, 3), 2.0), np.full(m, 6.0)])
    parts.append((np.repeat(np.arange(m), 4), "city", city_keys.ravel(), _shares(rng, city_alpha).ravel()))

    # Age: younger for gaming, older for finance and parenting.
    base = np.asarray([1.0, 6.0, 8.0, 4.0, 2.0, 1.0])
    young = np.isin(np.asarray(words.TOPICS)[accounts.topic], ["gaming", "fashion", "beauty"])
    old = np.isin(np.asarray(words.TOPICS)[accounts.topic], ["finance", "parenting"])
    age_alpha = np.tile(base, (m, 1))
    age_alpha[young] = [3.0, 9.0, 6.0, 2.0, 1.0, 0.5]
    age_alpha[old] = [0.3, 2.0, 8.0, 7.0, 3.0, 1.5]
    age_keys = np.tile(np.asarray(words.AGE_BANDS, dtype=object), (m, 1))
    parts.append((np.repeat(np.arange(m), 6), "age", age_keys.ravel(), _shares(rng, age_alpha * 4).ravel()))

    female = np.asarray([words.TOPIC_FEMALE[name] for name in words.TOPICS])[accounts.topic]
    gender_alpha = np.column_stack([female * 60, (1 - female) * 60, np.full(m, 1.2)])
    gender_keys = np.tile(np.asarray(["f", "m", "u"], dtype=object), (m, 1))
    parts.append(
        (np.repeat(np.arange(m), 3), "gender", gender_keys.ravel(), _shares(rng, gender_alpha).ravel())
    )

    account = np.concatenate([part[0] for part in parts])
    dimension = np.concatenate([np.full(len(part[0]), part[1], dtype=object) for part in parts])
    key = np.concatenate([part[2] for part in parts])
    share = np.concatenate([part[3] for part in parts])
    order = np.argsort(account, kind="stable")
    return pl.DataFrame(
        {
            "network": accounts.network[account[order]].tolist(),
            "handle": accounts.handle[account[order]].tolist(),
            "dimension": dimension[order].tolist(),
            "key": key[order].tolist(),
            "share": share[order],
            "as_of": [as_of] * len(order),
        },
        schema=frame_schema("audience"),
    )


def _draw_snapshots(accounts: _Accounts, posts: _Posts, end_us: int) -> pl.DataFrame:
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
    return pl.DataFrame(
        {
            "network": network.tolist(),
            "handle": accounts.handle[posts.account[which]].tolist(),
            "network_post_id": posts.post_id[which].tolist(),
            "captured_on": pl.Series(epoch_days).cast(pl.Date),
            "likes": _nullable(posts.likes[which] * growth, everywhere),
            "comments": _nullable(posts.comments[which] * growth, everywhere),
            "shares": _nullable(posts.shares[which] * growth, is_ig | is_tt),
            "saves": _nullable(posts.saves[which] * growth, is_ig),
            "views": _nullable(posts.views[which] * growth, everywhere),
            "reach": _nullable(posts.reach[which] * growth, is_ig),
        },
        schema=frame_schema("post_snapshot"),
    )


def _tier(followers: float) -> str:
    if followers < 10_000:
        return "nano"
    if followers < 50_000:
        return "micro"
    if followers < 500_000:
        return "mid"
    if followers < 1_000_000:
        return "macro"
    return "mega"


def _ground_truth(
    accounts: _Accounts,
    posts: _Posts,
    pods: list[_Pod],
    events: list[list[dict[str, object]]],
    sample_fake: np.ndarray,
    sample_size: int,
    creator_start: int,
    campaign_posts: dict[int, list[dict[str, object]]],
) -> list[dict[str, object]]:
    pod_of: dict[int, _Pod] = {member: pod for pod in pods for member in pod.members}
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
