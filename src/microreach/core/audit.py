"""The one entry point: audit one account against a population snapshot and a configuration."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from microreach.core.audit_parameters import AuditConfig
from microreach.core.authenticity import MIN_FAKE_SHARE_SAMPLE, AuthenticityResult, audit_followers
from microreach.core.comments import CommentKind, classify_comment
from microreach.core.credibility import CredibilityResult, credibility
from microreach.core.engagement import (
    NETWORK_DEFAULT_BASIS,
    EngagementResult,
    engagement_summary,
    engagements,
    peer_median_source,
    select_posts,
)
from microreach.core.evidence import RULES_VERSION, Finding, align_timezone, finding, to_jsonable
from microreach.core.fake_estimate import (
    AccountSignals,
    FakeShareEstimate,
    estimate_fake_share,
    follower_spikes,
)
from microreach.core.growth import GrowthResult, detect_growth_anomalies
from microreach.core.pods import PodResult, account_key, pod_verdict
from microreach.core.population import PeerGroup, PopulationSnapshot, account_metrics, percentile
from microreach.core.records import AccountData, CommentRecord
from microreach.core.score import AudienceQualityScore, PartInput, combine, linear_score
from microreach.core.tiers import TierResult, classify_tier
from microreach.core.typed_json import from_jsonable

MAX_PLAUSIBLE_FOLLOWERS = 5_000_000_000
MAX_PLAUSIBLE_FOLLOWING = 10_000_000

# What the audit says of its parts and of missing data (codes with parameters; see ``evidence.Finding``).
TEXT = {
    "zero_followers": "zero followers",
    "negative_followers": "negative follower count",
    "implausible_counts": "implausible follower / following counts",
    "private_no_posts": "private account with no posts",
    "no_peer_group": "no peer group",
    "no_peer_value": "no value or no peer data",
    "fake_share": "fake share {share}% [{low}%, {high}%] on {sample} followers",
    "reachability": "reachability {share}%",
    "following_unknown": "following counts unknown",
    "no_follower_sample": "no follower sample",
    "follower_sample_too_small": "follower sample too small ({sample} followers, at least {minimum} needed)",
    "no_fake_model": "no suspicious-account model configured",
    "peer_percentile": "percentile {percentile} among {peers} peers",
    "published_ratio": "{ratio:.2f} × the published benchmark",
    "peer_ratio": "{ratio:.2f} × the peers' median",
    "no_engagement_reference": "no engagement data or no reference",
    "inauthentic_comments": "inauthentic comments: {share}% of {comments}",
    "pod_flagged": "pod {pod} ({signals})",
    "no_pod": "no flagged pod",
    "no_recent_comments": "no recent comments",
    "growth_spikes": "spikes in the last 365 days: {spikes}",
    "sponsored": "sponsored {share}%, undisclosed {undisclosed}",
    "no_posts": "no posts",
}


def said(code: str, /, **params: object) -> Finding:
    return finding(TEXT, code, **params)


@dataclass(frozen=True, slots=True)
class PeerRank:
    metric: str
    value: float | None
    percentile: float | None
    network: str
    low_followers: int | None
    high_followers: int | None
    peers: int
    reason: Finding | None


@dataclass(frozen=True, slots=True)
class CommentQuality:
    """Shares of recent, de-duplicated top-level comments by others. ``inauthentic``: at least two of
    hollow text (generic / emoji-only / mention-only), author owns a pod member account, author comments
    early on ≥ 3 accounts of the population, posted within the pod "fast" delay."""

    comments: int
    duplicates: int
    generic_share: float | None
    emoji_only_share: float | None
    mention_only_share: float | None
    hollow_share: float | None
    inauthentic_share: float | None


@dataclass(frozen=True, slots=True)
class Versions:
    rules: str
    config: str
    model: str
    population: str
    benchmarks: str
    disclosure: str


@dataclass(frozen=True, slots=True)
class AuditResult:
    status: Literal["ok", "not_enough_data"]
    reasons: tuple[Finding, ...]
    account: str
    as_of: datetime
    tier: TierResult
    engagement: EngagementResult
    peers: tuple[PeerRank, ...]
    authenticity: AuthenticityResult | None
    comment_quality: CommentQuality
    pods: PodResult
    growth: GrowthResult
    credibility: CredibilityResult
    score: AudienceQualityScore
    data_from: datetime | None
    data_to: datetime | None
    data_age_days: float | None
    versions: Versions
    # Fake share estimated from account-level signals (no follower sample), computed for every account
    # with followers, also when a sample exists: the reader shows the measured share when it may.
    fake_estimate: FakeShareEstimate | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (dates as ISO strings, NaN never appears)."""
        return dict(to_jsonable(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AuditResult:
        """The result ``to_dict`` wrote (a stored audit), typed again: ``from_dict(r.to_dict()) == r``.
        Fields added since a result was stored take their defaults; ``ValueError``/``TypeError`` when the
        data is no audit result."""
        return from_jsonable(cls, dict(data))


def _comment_quality(
    *, data: AccountData, population: PopulationSnapshot, config: AuditConfig, as_of: datetime, key: str
) -> tuple[CommentQuality, list[str]]:
    start = as_of - timedelta(days=config.window.last_days or 3650)
    published = {p.network_post_id: p.published_at for p in data.posts}
    creator = data.account.handle.strip().lstrip("@").lower()
    index = population.commenters
    pod_id = index.member_of.get(key)
    pod_members = next((set(p.members) for p in index.pods if p.pod_id == pod_id and p.flagged), set())
    seen: set[str] = set()
    cache: dict[str, CommentKind] = {}
    recent: list[CommentRecord] = []
    duplicates = 0
    for c in data.comments:
        if c.network_comment_id in seen:
            duplicates += 1
            continue
        seen.add(c.network_comment_id)
        if c.reply_to or not (start <= c.commented_at <= as_of):
            continue
        if c.author_handle.strip().lstrip("@").lower() == creator:
            continue
        recent.append(c)
    counts = [0, 0, 0, 0, 0]
    authors: list[str] = []
    fast = config.pods.fast_minutes
    for c in recent:
        kind = cache.get(c.text)
        if kind is None:
            kind = classify_comment(text=c.text, lexicon=config.lexicon)
            cache[c.text] = kind
        author = f"{c.network.value}:{c.author_handle.strip().lstrip('@').lower()}"
        authors.append(author)
        owner = index.owner_aliases.get(author)
        at = published.get(c.network_post_id)
        factors = (
            int(kind.hollow)
            + int(owner is not None and owner in pod_members)
            + int(len(index.authors.get(author, ())) >= 3)
            + int(at is not None and (c.commented_at - at).total_seconds() <= fast * 60)
        )
        counts[0] += kind.generic
        counts[1] += kind.emoji_only
        counts[2] += kind.mention_only
        counts[3] += kind.hollow
        counts[4] += factors >= 2
    n = len(recent)

    def share(i: int) -> float | None:
        return counts[i] / n if n else None

    quality = CommentQuality(n, duplicates, share(0), share(1), share(2), share(3), share(4))
    return quality, authors


def _data_window(data: AccountData) -> tuple[datetime | None, datetime | None]:
    stamps: list[datetime] = [p.published_at for p in data.posts] + [c.commented_at for c in data.comments]
    stamps += [datetime.combine(r.date, datetime.min.time(), tzinfo=None) for r in data.follower_counts]
    if not stamps:
        return None, None
    aware = [s for s in stamps if s.tzinfo is not None]
    naive = [s for s in stamps if s.tzinfo is None]
    if aware and naive:
        tz = aware[0].tzinfo
        stamps = aware + [s.replace(tzinfo=tz) for s in naive]
    return min(stamps), max(stamps)


def _fake_estimate(
    *,
    data: AccountData,
    config: AuditConfig,
    group: PeerGroup | None,
    engagement_value: float | None,
    posts_in_window: int,
    benchmark_ratio: float | None,
    growth: GrowthResult,
    quality: CommentQuality,
    as_of: datetime,
) -> FakeShareEstimate | None:
    """The account-level fake-share estimate (``core.fake_estimate``) from what the audit measured:
    engagement against peers on a per-follower basis, follower and following spikes, comment authenticity,
    following / followers."""
    model = config.fake_estimate
    acc = data.account
    if model is None or acc.followers <= 0:
        return None
    ratio = spread = None
    reason = ""
    if NETWORK_DEFAULT_BASIS.get(acc.network, "followers") != "followers":
        reason = "views_based"
    elif posts_in_window < model.min_posts:
        reason = "few_posts"
    elif group is not None and engagement_value is not None and "engagement_rate" in group.quantiles:
        q = group.quantiles["engagement_rate"]
        if q[50] > 0 and engagement_value > 0:
            ratio = engagement_value / q[50]
            spread = math.log(q[75] / q[25]) / 1.349 if q[25] > 0 else None
    elif benchmark_ratio is not None and benchmark_ratio > 0:
        ratio = benchmark_ratio
    else:
        reason = "no_reference"
    fraction = None
    if ratio is not None:
        chosen = select_posts(posts=data.posts, window=config.window, as_of=as_of)
        total = sum(engagements(post=p) or 0 for p in chosen)
        fraction = sum(max(p.comments or 0, 0) for p in chosen) / total if total else None
    anomalies = growth.anomalies if growth.status == "ok" else ()
    signals = AccountSignals(
        followers=acc.followers,
        following=acc.following,
        engagement_ratio=ratio,
        engagement_spread=spread,
        engagement_reason=reason,
        growth_known=growth.status == "ok",
        comment_fraction=fraction,
        follower_spikes=follower_spikes(anomalies),
        following_spikes=sum(1 for a in anomalies if a.series == "following" and a.kind == "spike"),
        inauthentic_share=quality.inauthentic_share,
        generic_share=quality.generic_share,
        comments=quality.comments,
    )
    return estimate_fake_share(signals=signals, model=model)


def audit_account(
    *, data: AccountData, population: PopulationSnapshot, config: AuditConfig, as_of: datetime
) -> AuditResult:
    """Audit one account as of ``as_of`` (never read from a clock).

    Tier, engagement (+ benchmark / peers), authenticity of the follower sample, comment quality, pods,
    growth anomalies, credibility; then the Audience Quality Score = weighted mean of the part scores
    (0–100, weights from config, renormalised over parts with data). Bad input gives
    ``status = "not_enough_data"`` with reasons, never an exception or NaN. Timestamps should be
    consistently timezone-aware (UTC) or naive; ``as_of`` is aligned to the records.
    """
    acc = data.account
    stamp = (
        data.posts[0].published_at if data.posts else data.comments[0].commented_at if data.comments else None
    )
    as_of = align_timezone(value=as_of, like=stamp)
    key = account_key(network=acc.network.value, handle=acc.handle)
    blockers: list[Finding] = []
    followers = acc.followers
    if followers <= 0:
        blockers.append(said("zero_followers" if followers == 0 else "negative_followers"))
    if (
        followers > MAX_PLAUSIBLE_FOLLOWERS
        or (acc.following or 0) > MAX_PLAUSIBLE_FOLLOWING
        or (acc.following or 0) < 0
    ):
        blockers.append(said("implausible_counts"))
    if acc.private and not data.posts:
        blockers.append(said("private_no_posts"))
    followers = min(max(followers, 0), MAX_PLAUSIBLE_FOLLOWERS)
    tier = classify_tier(followers=followers, preset=config.preset(), topics=acc.topics)

    group = population.group(network=acc.network.value, followers=followers)
    metrics = account_metrics(data=data, config=config, as_of=as_of) if followers > 0 else {}
    peers = []
    for metric in ("engagement_rate", "relay_rate"):
        value = metrics.get(metric)
        pct = percentile(group=group, metric=metric, value=value) if group and value is not None else None
        reason = None if pct is not None else said("no_peer_group" if group is None else "no_peer_value")
        peers.append(
            PeerRank(
                metric,
                value,
                pct,
                acc.network.value,
                group.low if group else None,
                group.high if group else None,
                group.accounts if group else 0,
                reason,
            )
        )
    peer_median = None
    peer_label = None
    if group is not None and "engagement_rate" in group.quantiles:
        peer_median = group.quantiles["engagement_rate"][50]
        peer_label = peer_median_source(
            peers=group.accounts,
            network=acc.network.value,
            low=group.low,
            high=group.high,
            population=population.population_id,
        )
    engagement = engagement_summary(
        posts=data.posts,
        network=acc.network,
        followers=followers,
        window=config.window,
        as_of=as_of,
        table=config.benchmarks,
        peer_median=peer_median,
        peer_label=peer_label,
    )

    authenticity = None
    no_share = said("no_follower_sample" if not data.followers else "no_fake_model")
    if config.fake_model is not None and data.followers:
        authenticity = audit_followers(
            followers=data.followers, model=config.fake_model, settings=config.fake_share
        )
        if authenticity.sample_size < MIN_FAKE_SHARE_SAMPLE:
            # Too few followers to say a share (the same rule as ``audit followers``): none is measured.
            no_share = said(
                "follower_sample_too_small", sample=authenticity.sample_size, minimum=MIN_FAKE_SHARE_SAMPLE
            )
            authenticity = None
    quality, authors = _comment_quality(data=data, population=population, config=config, as_of=as_of, key=key)
    pods = pod_verdict(key=key, index=population.commenters, commenter_keys=authors, settings=config.pods)
    growth = detect_growth_anomalies(history=data.follower_counts, settings=config.growth, posts=data.posts)
    jurisdictions = config.jurisdictions or config.disclosure.for_country(acc.country)
    cred = credibility(
        posts=data.posts,
        comments=data.comments,
        creator_handle=acc.handle,
        creator_language=acc.language,
        jurisdictions=jurisdictions,
        rules=config.disclosure,
        lexicon=config.lexicon,
        # A snapshot stored (pickled) before ``sponsors`` existed has none: a rebuild adds it.
        sponsors=getattr(population, "sponsors", frozenset()),
    )
    estimate = _fake_estimate(
        data=data,
        config=config,
        group=group,
        engagement_value=peers[0].value,
        posts_in_window=engagement.posts_in_window,
        benchmark_ratio=engagement.benchmark.ratio if engagement.benchmark.kind == "published" else None,
        growth=growth,
        quality=quality,
        as_of=as_of,
    )

    parts: list[PartInput] = []
    if authenticity is not None and authenticity.sample_size > 0:
        fs = authenticity.fake_share
        n = authenticity.sample_size
        parts.append(
            (
                "authenticity",
                100 * (1 - fs.corrected_share),
                min(1.0, n / 1000),
                said(
                    "fake_share",
                    share=round(100 * fs.corrected_share, 1),
                    low=round(100 * fs.low, 1),
                    high=round(100 * fs.high, 1),
                    sample=n,
                ),
                None,
            )
        )
        reach = authenticity.reachability
        parts.append(
            (
                "reachability",
                None if reach is None else 100 * reach,
                min(1.0, n / 1000),
                said("reachability", share=round(100 * reach, 1)) if reach is not None else None,
                None if reach is not None else said("following_unknown"),
            )
        )
    elif estimate is not None and estimate.basis and config.fake_estimate is not None:
        # No measured share: the estimate from account signals stands in (when it rests on some of the
        # account's data, not on the prior alone), with a lower confidence.
        confidence = config.fake_estimate.score_confidence
        parts.append(("authenticity", 100 * (1 - estimate.share), confidence, estimate.summary, None))
        parts.append(("reachability", None, 0.0, None, no_share))
    else:
        parts += [("authenticity", None, 0.0, None, no_share), ("reachability", None, 0.0, None, no_share)]
    er_rank = peers[0]
    cmp = engagement.benchmark
    if er_rank.percentile is not None:
        parts.append(
            (
                "engagement",
                er_rank.percentile,
                min(1.0, engagement.posts_in_window / 12),
                said("peer_percentile", percentile=round(er_rank.percentile), peers=er_rank.peers),
                None,
            )
        )
    elif cmp.ratio is not None:
        parts.append(
            (
                "engagement",
                100 * min(cmp.ratio, 1.0),
                min(1.0, engagement.posts_in_window / 12),
                said(
                    "published_ratio" if cmp.kind == "published" else "peer_ratio", ratio=round(cmp.ratio, 2)
                ),
                None,
            )
        )
    else:
        parts.append(("engagement", None, 0.0, None, said("no_engagement_reference")))
    if quality.inauthentic_share is not None:
        parts.append(
            (
                "comments",
                linear_score(value=quality.inauthentic_share, good=0.15, bad=0.5),
                min(1.0, quality.comments / 200),
                said(
                    "inauthentic_comments",
                    share=round(100 * quality.inauthentic_share, 1),
                    comments=quality.comments,
                ),
                None,
            )
        )
        parts.append(
            (
                "pods",
                0.0 if pods.flagged else 100.0,
                1.0 if population.accounts > 1 else 0.3,
                said("pod_flagged", pod=pods.pod.pod_id, signals=", ".join(pods.pod.signals))
                if pods.flagged and pods.pod
                else said("no_pod"),
                None,
            )
        )
    else:
        parts += [
            ("comments", None, 0.0, None, said("no_recent_comments")),
            ("pods", None, 0.0, None, said("no_recent_comments")),
        ]
    if growth.status == "ok":
        recent = [a for a in growth.anomalies if a.kind == "spike" and (as_of.date() - a.date).days <= 365]
        penalty = sum(25 if a.series == "followers" else 15 for a in recent)
        parts.append(
            (
                "growth",
                max(0.0, 100.0 - penalty),
                min(1.0, growth.points / 90),
                said("growth_spikes", spikes=len(recent)),
                None,
            )
        )
    else:
        parts.append(("growth", None, 0.0, None, growth.reason))
    if cred.sponsored_share is not None:
        undisclosed = len(cred.undisclosed_post_ids) / len(cred.sponsored) if cred.sponsored else 0.0
        value = linear_score(value=cred.sponsored_share, good=0.3, bad=0.8) - 50 * undisclosed
        parts.append(
            (
                "credibility",
                max(value, 0.0),
                min(1.0, cred.posts / 20),
                said(
                    "sponsored",
                    share=round(100 * cred.sponsored_share),
                    undisclosed=len(cred.undisclosed_post_ids),
                ),
                None,
            )
        )
    else:
        parts.append(("credibility", None, 0.0, None, said("no_posts")))
    score = combine(parts=parts, weights=config.weights, blockers=blockers)

    first, last = _data_window(data)
    age = None
    if last is not None:
        ref = as_of if (as_of.tzinfo is None) == (last.tzinfo is None) else as_of.replace(tzinfo=last.tzinfo)
        age = max((ref - last).total_seconds() / 86400, 0.0)
    model_version = config.fake_model.errors.model_version if config.fake_model else "none"
    versions = Versions(
        RULES_VERSION,
        config.version,
        model_version,
        population.population_id,
        config.benchmarks.version,
        config.disclosure.version,
    )
    return AuditResult(
        status=score.status,
        reasons=score.reasons,
        account=key,
        as_of=as_of,
        tier=tier,
        engagement=engagement,
        peers=tuple(peers),
        authenticity=authenticity,
        comment_quality=quality,
        pods=pods,
        growth=growth,
        credibility=cred,
        score=score,
        data_from=first,
        data_to=last,
        data_age_days=age,
        versions=versions,
        fake_estimate=estimate,
    )
