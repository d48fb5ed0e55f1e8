"""A small planted world for the accuracy check: accounts with known pods, growth bursts, undisclosed
sponsored posts and fake-follower shares. Independent of ``microreach.sources.simulator`` and of the
profile generator the shipped model was fitted on (its follower profiles use other distributions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np

from microreach.core.records import (
    AccountData,
    AccountRecord,
    CommentRecord,
    FollowerCountRecord,
    FollowerRecord,
    Network,
    PostRecord,
    PostType,
)


@dataclass(frozen=True, slots=True)
class WorldSpec:
    """Fixed before tuning: sizes and the hard cases (small / slow pods, bursts mixed with organic growth,
    partial and tiny samples, ambiguous friends' clusters, organic brand mentions)."""

    seed: int = 11
    accounts: int = 48
    posts_per_account: int = 36
    days_of_history: int = 400
    pod_sizes: tuple[int, ...] = (3, 5, 7)
    slow_pod_size: int = 4
    friends_cluster_size: int = 4
    sample_sizes: tuple[int, ...] = (1500, 1200, 2000, 300, 120)
    as_of: datetime = datetime(2026, 6, 1, 12, 0)
    # Subtle fraud and honest look-alikes (drawn from a generator of their own, so the rest of the world is
    # the same): purchases trickled over 3–5 days, growth after a viral post, one-off follow batches,
    # tag-only and code-without-word sponsored posts, "#pub" at the end, "En partenariat avec @…",
    # "Not an ad, I just love my…".
    subtle: bool = False


@dataclass(slots=True)
class Truth:
    pod_members: set[str] = field(default_factory=set)
    undisclosed_posts: set[str] = field(default_factory=set)
    sponsored_posts: set[str] = field(default_factory=set)
    growth_events: list[tuple[str, str, date]] = field(default_factory=list)  # (account, series, date)
    fake_share: dict[str, float] = field(default_factory=dict)  # the follower sample's own share
    sample_size: dict[str, int] = field(default_factory=dict)
    # The share the sample was drawn at (each follower fake with this probability): the audience's share,
    # which the fake-share interval brackets (it includes the sampling of the sample).
    audience_share: dict[str, float] = field(default_factory=dict)


ORGANIC_COMMENTS = (
    "Where did you buy this jacket?",
    "I tried this recipe yesterday and my kids loved it",
    "Trop bien cette adresse, on y va ce week-end avec les enfants",
    "How long did the whole trip take you?",
    "C'est quoi la marque de ton sac ? il est super joli",
    "This made my morning, thank you for sharing the story behind it",
    "I disagree a bit, the second option looks better to me",
    "On a testé la recette, un peu trop salée pour nous mais top",
    "nice",
    "😍😍",
    "Love this!",
    "magnifique",
)
POD_COMMENTS = (
    "Amazing! 🔥",
    "love this",
    "So good 😍",
    "great post",
    "wow",
    "🔥🔥🔥",
    "Superbe !",
    "nice pic",
)
CAPTIONS = (
    "Sunday market haul and a slow breakfast at home #food #sunday",
    "Nouvelle recette de gratin, simple et rapide #recette #cuisine",
    "A walk by the river before work, the light was unreal #nature",
    "Mes trois livres préférés du mois #lecture",
    "Trying the new dress code at the office, what do you think? #work",
    "Weekend with @lea.martin and @tom_b in the mountains #hiking",
    "Petit tour au marché avec @julie.cuisine #marche",
)


def _follower_sample(
    rng: np.random.Generator, account: str, n: int, fake_share: float
) -> tuple[list[FollowerRecord], float]:
    fake = rng.random(n) < fake_share
    out = []
    for i in range(n):
        if fake[i]:
            kind = rng.random()
            followers = int(rng.lognormal(np.log(25 if kind < 0.6 else 120), 1.0))
            following = int(min(rng.lognormal(np.log(1300 if kind < 0.6 else 800), 0.6), 7500))
            posts = int(rng.integers(0, 3)) if kind < 0.6 else int(rng.integers(0, 15))
            pic = rng.random() < (0.4 if kind < 0.6 else 0.85)
            bio = 0 if rng.random() < 0.85 else int(rng.integers(5, 60))
            digits = int(rng.integers(2, 7)) if rng.random() < 0.6 else 0
        else:
            followers = int(rng.lognormal(np.log(350), 1.2))
            following = int(min(rng.lognormal(np.log(380), 0.85), 7500))
            posts = int(rng.lognormal(np.log(60), 1.2)) if rng.random() > 0.1 else int(rng.integers(0, 4))
            pic = rng.random() < 0.93
            bio = 0 if rng.random() < 0.45 else int(rng.integers(5, 150))
            digits = int(rng.integers(1, 4)) if rng.random() < 0.3 else 0
        length = int(np.clip(rng.normal(13 if fake[i] else 11, 3), digits + 3, 30))
        out.append(
            FollowerRecord(
                network=Network.INSTAGRAM,
                handle=account,
                follower_username=f"f{account}{i}",
                followers=followers if rng.random() > 0.05 else None,
                following=following if rng.random() > 0.05 else None,
                posts=posts,
                has_profile_picture=bool(pic),
                is_private=bool(rng.random() < (0.3 if fake[i] else 0.45)),
                is_verified=None,
                bio_length=bio,
                username_length=length,
                username_digit_count=digits,
            )
        )
    return out, float(np.mean(fake)) if n else 0.0


@dataclass(frozen=True, slots=True)
class _SubtleGrowth:
    """Subtle changes of one history: a trickled purchase (truth), viral growth after a post and a one-off
    follow batch (look-alikes). Days are indexes into the history; -1 = none."""

    trickle_day: int = -1
    trickle_days: int = 0
    trickle_share: float = 0.0
    viral_day: int = -1
    viral_share: float = 0.0
    batch_day: int = -1
    batch_size: float = 0.0


def _history(
    rng: np.random.Generator,
    account: str,
    followers: int,
    days: int,
    as_of: date,
    truth: Truth,
    planted: bool,
    subtle: _SubtleGrowth | None = None,
) -> list[FollowerCountRecord]:
    start = as_of - timedelta(days=days)
    daily_growth = followers * rng.uniform(0.0002, 0.002)
    noise = max(3.0, np.sqrt(daily_growth) * 2.5)
    steps = daily_growth * (1 + 0.5 * np.sin(np.arange(days) / 45.0)) + rng.normal(0, noise, days)
    following_steps = rng.normal(0, 2.0, days)
    if planted:
        kinds = ["spike", "drop", "following"]
        spike_day = -1000
        for kind in kinds[: int(rng.integers(1, 4))]:
            day = int(rng.integers(40, days - 20))
            # A drop soon after a spike would be that spike's purge (reported on the spike): keep the
            # planted independent drop at least 45 days away from it.
            while kind == "drop" and abs(day - spike_day) < 45:
                day = int(rng.integers(40, days - 20))
            if kind == "spike":
                size = followers * rng.uniform(0.03, 0.12)
                span = int(rng.integers(1, 3))
                steps[day : day + span] += size / span
                spike_day = day
                truth.growth_events.append(
                    (f"instagram:{account}", "followers", start + timedelta(days=day + 1))
                )
            elif kind == "drop":
                steps[day] -= followers * rng.uniform(0.03, 0.08)
                truth.growth_events.append(
                    (f"instagram:{account}", "followers", start + timedelta(days=day + 1))
                )
            else:
                # Follow / unfollow automation: a follow burst undone over the next days (a follow batch
                # never undone is no fraud; the subtle variant plants such look-alikes).
                size = rng.uniform(800, 2000)
                following_steps[day] += size
                back = 2 + int(size) % 4
                following_steps[day + 1 : day + 1 + back] -= size / back
                truth.growth_events.append(
                    (f"instagram:{account}", "following", start + timedelta(days=day + 1))
                )
    if subtle is not None and subtle.trickle_day >= 0:
        span = subtle.trickle_days
        steps[subtle.trickle_day : subtle.trickle_day + span] += followers * subtle.trickle_share / span
        truth.growth_events.append(
            (f"instagram:{account}", "followers", start + timedelta(days=subtle.trickle_day + 1 + span // 2))
        )
    if subtle is not None and subtle.viral_day >= 0:
        gain = followers * subtle.viral_share
        steps[subtle.viral_day : subtle.viral_day + 3] += gain * np.array([0.6, 0.3, 0.1])
    if subtle is not None and subtle.batch_day >= 0:
        following_steps[subtle.batch_day] += subtle.batch_size
    counts = followers - np.cumsum(steps[::-1])[::-1] + steps[-1]
    follow = 400 + np.cumsum(following_steps)
    keep = rng.random(days) > 0.1
    gap = int(rng.integers(50, days - 60))
    keep[gap : gap + 5] = False
    keep[-1] = True
    return [
        FollowerCountRecord(
            Network.INSTAGRAM,
            account,
            start + timedelta(days=d + 1),
            int(max(counts[d], 0)),
            int(max(follow[d], 0)),
        )
        for d in range(days)
        if keep[d]
    ]


def _subtle_growth(spec: WorldSpec, handles: list[str]) -> tuple[dict[str, _SubtleGrowth], dict[str, int]]:
    """Per unplanted account of a subtle world: a trickled purchase of 2–6 % over 3–5 days, or growth of
    3–8 % over three days after a post with 8× the likes (``viral_post``: its index), and sometimes a
    one-off follow batch of 300–1,500 accounts. Its own generator: the rest of the world is unchanged."""
    if not spec.subtle:
        return {}, {}
    rng = np.random.default_rng([spec.seed, 7])
    out: dict[str, _SubtleGrowth] = {}
    viral: dict[str, int] = {}
    days = spec.days_of_history
    for i, h in enumerate(handles):
        if i % 3 == 0:
            continue
        batch_day = int(rng.integers(40, days - 20)) if rng.random() < 0.3 else -1
        batch = float(rng.uniform(300, 1500))
        if i % 3 == 1:
            out[h] = _SubtleGrowth(
                trickle_day=int(rng.integers(40, days - 20)),
                trickle_days=int(rng.integers(3, 6)),
                trickle_share=float(rng.uniform(0.02, 0.06)),
                batch_day=batch_day,
                batch_size=batch,
            )
        else:
            k = int(rng.integers(2, min(spec.posts_per_account, (days - 30) // 3)))
            viral[h] = k
            # Post k is published 2 + 3k days (and a few hours) before as_of: history index days − 3 − 3k.
            out[h] = _SubtleGrowth(
                viral_day=days - 3 - 3 * k,
                viral_share=float(rng.uniform(0.03, 0.08)),
                batch_day=batch_day,
                batch_size=batch,
            )
    return out, viral


def planted_world(spec: WorldSpec | None = None) -> tuple[list[AccountData], Truth]:
    """The accounts and the ground truth of a planted world (deterministic for ``spec.seed``)."""
    spec = spec or WorldSpec()
    rng = np.random.default_rng(spec.seed)
    truth = Truth()
    handles = [f"creator{i:03d}" for i in range(spec.accounts)]
    groups: list[tuple[list[str], str]] = []
    cursor = 0
    for size in spec.pod_sizes:
        groups.append((handles[cursor : cursor + size], "fast"))
        cursor += size
    groups.append((handles[cursor : cursor + spec.slow_pod_size], "slow"))
    cursor += spec.slow_pod_size
    groups.append((handles[cursor : cursor + spec.friends_cluster_size], "friends"))
    cursor += spec.friends_cluster_size
    for members, kind in groups:
        if kind != "friends":
            truth.pod_members.update(f"instagram:{h}" for h in members)
    posts: dict[str, list[PostRecord]] = {}
    comments: dict[str, list[CommentRecord]] = {h: [] for h in handles}
    followers_of: dict[str, int] = {}
    growth_of, viral_post = _subtle_growth(spec, handles)
    for h in handles:
        followers = int(rng.lognormal(np.log(15000), 0.9)) + 1500
        followers_of[h] = followers
        er = rng.lognormal(np.log(0.03), 0.4)
        items = []
        for k in range(spec.posts_per_account):
            published = spec.as_of - timedelta(days=2 + k * 3, hours=float(rng.uniform(0, 12)))
            pid = f"{h}-p{k}"
            caption = str(rng.choice(CAPTIONS))
            paid = False
            roll = rng.random()
            if roll < 0.08:
                caption = "Publicité | Ma routine du soir avec @marque_beaute, je vous dis tout #skincare"
            elif roll < 0.12:
                paid = True
                caption = "My evening routine with @brandco, honest review #skincare"
            elif roll < 0.16:
                caption = f"Obsessed with these sneakers from @kicksco! Use code KICKS{k}0 for 15% off #style"
                truth.undisclosed_posts.add(pid)
            elif roll < 0.18:
                caption = "Mes favoris du mois, liens ici: https://amzn.to/3xYz #favoris"
                truth.undisclosed_posts.add(pid)
            elif roll < 0.20:
                caption = "Thanks @coffeeco for the new blend, so good with oat milk #sp #coffee"
                truth.undisclosed_posts.add(pid)
            elif spec.subtle and roll < 0.22:
                caption = "My new favourite sneakers from @kicksco ✨ #style"
                truth.undisclosed_posts.add(pid)
            elif spec.subtle and roll < 0.24:
                caption = f"Nouveau vélo pour l'été ! -15 % avec VELO{k}0 chez @velomania #velo"
                truth.undisclosed_posts.add(pid)
            elif spec.subtle and roll < 0.26:
                caption = "Ma routine du soir, je vous dis tout @marque_beaute #skincare #soir #pub"
                truth.sponsored_posts.add(pid)
            elif spec.subtle and roll < 0.28:
                caption = "En partenariat avec @marque_beaute : ma routine du soir #skincare"
                truth.sponsored_posts.add(pid)
            elif spec.subtle and roll < 0.30:
                caption = "Not an ad, I just love my sneakers from @kicksco #style"
            if roll < 0.16 or pid in truth.undisclosed_posts:
                truth.sponsored_posts.add(pid)
            likes = int(followers * er * rng.lognormal(0, 0.3))
            if viral_post.get(h) == k:
                likes *= 8
            items.append(
                PostRecord(
                    Network.INSTAGRAM,
                    h,
                    pid,
                    published,
                    PostType.REEL if k % 3 == 0 else PostType.PHOTO,
                    caption,
                    likes=likes,
                    comments=int(likes * 0.03),
                    saves=int(likes * 0.05) if k % 2 else None,
                    shares=int(likes * 0.02) if k % 2 else None,
                    is_paid_partnership=paid,
                )
            )
        posts[h] = items
        n_comments = int(rng.integers(20, 60))
        for post in items:
            for j in range(n_comments // 4):
                delay = float(rng.exponential(600))
                comments[h].append(
                    CommentRecord(
                        Network.INSTAGRAM,
                        h,
                        post.network_post_id,
                        f"{post.network_post_id}-c{j}",
                        f"user{int(rng.integers(0, 20000))}",
                        post.published_at + timedelta(minutes=delay),
                        str(rng.choice(ORGANIC_COMMENTS)),
                        creator_replied=bool(rng.random() < 0.2),
                    )
                )
    for members, kind in groups:
        for target in members:
            for post in posts[target]:
                for source in members:
                    if source == target:
                        continue
                    p_comment = 0.15 if kind == "friends" else 0.8
                    if rng.random() > p_comment:
                        continue
                    if kind == "fast":
                        delay = float(rng.uniform(1, 25))
                    elif kind == "slow":
                        delay = float(rng.uniform(60, 300))
                    else:
                        delay = float(rng.exponential(900))
                    text = str(rng.choice(ORGANIC_COMMENTS if kind == "friends" else POD_COMMENTS))
                    comments[target].append(
                        CommentRecord(
                            Network.INSTAGRAM,
                            target,
                            post.network_post_id,
                            f"{post.network_post_id}-{source}",
                            source,
                            post.published_at + timedelta(minutes=delay),
                            text,
                        )
                    )
    accounts = []
    for i, h in enumerate(handles):
        key = f"instagram:{h}"
        size = spec.sample_sizes[i % len(spec.sample_sizes)]
        share = float(rng.choice([0.0, 0.05, 0.1, 0.2, 0.35]))
        sample, realised = _follower_sample(rng, h, size, share)
        truth.fake_share[key] = realised
        truth.sample_size[key] = size
        truth.audience_share[key] = share
        history = _history(
            rng,
            h,
            followers_of[h],
            spec.days_of_history,
            spec.as_of.date(),
            truth,
            planted=i % 3 == 0,
            subtle=growth_of.get(h),
        )
        accounts.append(
            AccountData(
                account=AccountRecord(
                    Network.INSTAGRAM,
                    h,
                    followers_of[h],
                    topics=("food",) if i % 2 else ("beauty",),
                    language="fr" if i % 2 else "en",
                    country="FR" if i % 2 else "US",
                    following=400,
                ),
                posts=tuple(posts[h]),
                comments=tuple(comments[h]),
                followers=tuple(sample),
                follower_counts=tuple(history),
            )
        )
    return accounts, truth


def large_account(
    *,
    seed: int = 5,
    followers_sample: int = 50_000,
    posts: int = 300,
    comments: int = 30_000,
    days: int = 730,
) -> AccountData:
    """One big account for the speed benchmark (sizes from the issue's performance target)."""
    rng = np.random.default_rng(seed)
    as_of = WorldSpec().as_of
    handle = "bigcreator"
    items = [
        PostRecord(
            Network.INSTAGRAM,
            handle,
            f"b{k}",
            as_of - timedelta(days=1 + k * 2, hours=float(rng.uniform(0, 20))),
            PostType.REEL if k % 4 == 0 else PostType.PHOTO,
            str(rng.choice(CAPTIONS)) if k % 10 else "Use code BIG20 with @shop #style",
            likes=int(rng.integers(500, 5000)),
            comments=int(rng.integers(10, 200)),
            saves=int(rng.integers(0, 300)),
            shares=int(rng.integers(0, 100)),
            reach=int(rng.integers(20_000, 90_000)),
        )
        for k in range(posts)
    ]
    comment_rows = []
    for j in range(comments):
        post = items[j % posts]
        comment_rows.append(
            CommentRecord(
                Network.INSTAGRAM,
                handle,
                post.network_post_id,
                f"c{j}",
                f"user{int(rng.integers(0, 40_000))}",
                post.published_at + timedelta(minutes=float(rng.exponential(500))),
                str(rng.choice(ORGANIC_COMMENTS)) + ("" if j % 3 else f" {j}"),
                creator_replied=bool(j % 7 == 0),
            )
        )
    sample, _ = _follower_sample(rng, handle, followers_sample, 0.15)
    truth = Truth()
    history = _history(rng, handle, 60_000, days, as_of.date(), truth, planted=True)
    return AccountData(
        account=AccountRecord(Network.INSTAGRAM, handle, 60_000, language="en", country="US", following=700),
        posts=tuple(items),
        comments=tuple(comment_rows),
        followers=tuple(sample),
        follower_counts=tuple(history),
    )
