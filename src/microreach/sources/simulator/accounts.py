"""The simulated creators' accounts of one chunk (profiles and planted fraud) and their audience breakdowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from microreach.sources.frames import typed_frame
from microreach.sources.simulator import vocabulary as words
from microreach.sources.simulator.common import (
    HISTORY_DAYS,
    NETWORK_WEIGHTS,
    NETWORKS,
    ascii_lower,
    base36,
    pick,
    string_lists,
)
from microreach.sources.simulator.difficulty import Difficulty


@dataclass(slots=True)
class AccountArrays:
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


def draw_accounts(
    rng: np.random.Generator, creator_start: int, creator_count: int, difficulty: Difficulty
) -> AccountArrays:
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
    emoji = pick(rng, words.EMOJI, m)
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
        suffix = base36(global_creator * 2 + int(second[row]))
        kind = style[row]
        if kind == 0:
            handle = f"{ascii_lower(first)}.{word}.{suffix}"
        elif kind == 1:
            handle = f"{ascii_lower(first)}_{ascii_lower(last)}.{suffix}"
        elif kind == 2:
            handle = f"{word}.by.{ascii_lower(first)}{suffix}"
        else:
            handle = f"{ascii_lower(first)}{ascii_lower(last)[:3]}_{word}{suffix}"
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
            user_ids.append("UC" + base36(account_number * 7919 + 10**12).rjust(22, "x"))
        else:
            user_ids.append(str(17_841_400_000_000_000 + account_number))
        creator_keys.append(f"sim-{global_creator}")
        topic_list = [topic_name]
        if second_topic[who] >= 0 and second_topic[who] != topic[row]:
            topic_list.append(words.TOPICS[second_topic[who]])
        topics_lists.append(topic_list)
        first_of.append(ascii_lower(first))

    frame = typed_frame(
        record_type="account",
        columns={
            "network": network.tolist(),
            "handle": handles,
            "followers": followers.astype(np.int64),
            "creator_key": creator_keys,
            "creator_name": creator_names,
            "network_user_id": user_ids,
            "display_name": display_names,
            "bio": bios,
            "topics": string_lists(topics_lists),
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
    )
    return AccountArrays(
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


def _shares(rng: np.random.Generator, alpha: np.ndarray) -> np.ndarray:
    """Rows of shares summing to 1, rounded to 4 decimals (the largest share absorbs the rounding)."""
    draws = rng.gamma(alpha)
    shares = np.round(draws / draws.sum(axis=1, keepdims=True), 4)
    largest = shares.argmax(axis=1)
    rows = np.arange(len(shares))
    shares[rows, largest] = np.round(1.0 - (shares.sum(axis=1) - shares[rows, largest]), 4)
    return shares


def draw_audience(rng: np.random.Generator, accounts: AccountArrays, as_of: date) -> pl.DataFrame:
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
    return typed_frame(
        record_type="audience",
        columns={
            "network": accounts.network[account[order]].tolist(),
            "handle": accounts.handle[account[order]].tolist(),
            "dimension": dimension[order].tolist(),
            "key": key[order].tolist(),
            "share": share[order],
            "as_of": [as_of] * len(order),
        },
    )
