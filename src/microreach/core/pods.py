"""Engagement pods: a cross-account index of early comments between account owners, pruned to repeated
pairs, reciprocal edges, and community detection; a pod is flagged only when several signals agree."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from microreach.core.comments import CommentLexicon, classify_comment
from microreach.core.evidence import Evidence, finding
from microreach.core.pseudonyms import pseudonymise
from microreach.core.records import AccountData

TEXT = {
    "pod_definition": "membership of a group of accounts whose owners comment on each other's posts reciprocally, repeatedly and early"
}


@dataclass(frozen=True, slots=True)
class PodSettings:
    """``index_minutes``: comments later than this after publication are not indexed; ``fast_minutes``:
    median delay under which the "fast" signal holds; ``min_pair_posts``: distinct posts a commenter
    must have commented on for the directed pair to count; ``min_size``: smallest pod."""

    index_minutes: float = 360.0
    fast_minutes: float = 60.0
    min_pair_posts: int = 3
    min_size: int = 3
    min_reciprocity: float = 0.8
    min_density: float = 0.5
    generic_share: float = 0.5
    coverage: float = 0.4
    signals_needed: int = 1
    random_state: int = 0


@dataclass(frozen=True, slots=True)
class PairStats:
    """Early comments by the owner of ``source`` on the posts of ``target``."""

    source: str
    target: str
    posts: int
    comments: int
    target_posts: int
    median_delay_minutes: float
    generic_share: float


@dataclass(frozen=True, slots=True)
class Pod:
    pod_id: str
    members: tuple[str, ...]
    reciprocity: float
    density: float
    median_delay_minutes: float
    generic_share: float
    median_coverage: float
    signals: tuple[str, ...]
    flagged: bool


@dataclass(frozen=True, slots=True)
class CommenterIndex:
    """``pairs``: owner-to-owner early-comment stats (pruned to ``min_pair_posts``); ``authors``: commenter
    key → accounts it commented early on (only commenters seen on ≥ 2 accounts); ``pods``: communities."""

    pairs: tuple[PairStats, ...]
    authors: Mapping[str, tuple[str, ...]]
    pods: tuple[Pod, ...]
    member_of: Mapping[str, str]
    owner_aliases: Mapping[str, str]


def account_key(*, network: str, handle: str) -> str:
    """Stable key of an account in a population: ``network:handle`` lower-cased, ``@`` stripped."""
    return f"{network.lower()}:{handle.strip().lstrip('@').lower()}"


def _aliases(accounts: Sequence[AccountData], pseudonym_key: str | None) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for data in accounts:
        acc = data.account
        key = account_key(network=acc.network.value, handle=acc.handle)
        aliases[f"{acc.network.value}:{acc.handle.strip().lstrip('@').lower()}"] = key
        if pseudonym_key is not None:
            aliases[f"{acc.network.value}:{pseudonymise(pseudonym_key, acc.network.value, acc.handle)}"] = key
    return aliases


def build_commenter_index(
    *,
    accounts: Sequence[AccountData],
    lexicon: CommentLexicon,
    settings: PodSettings,
    pseudonym_key: str | None = None,
) -> CommenterIndex:
    """Index over all accounts' comments: for each comment within ``index_minutes`` of its post's
    publication, by an author who owns another account of the population (matched on handle or on its
    pseudonym), record (owner → account, post, delay, generic). Pairs on fewer than ``min_pair_posts``
    distinct posts are dropped; the reciprocal pairs form an undirected graph, Louvain communities
    (seeded) of ≥ ``min_size`` members are pod candidates, each scored on reciprocity, density,
    median delay (minutes), generic-text share and coverage (share of the target's posts reached)."""
    aliases = _aliases(accounts, pseudonym_key)
    pairs, author_accounts = commenter_pairs(
        accounts=accounts, settings=settings, lexicon=lexicon, aliases=aliases
    )
    pods = _find_pods(pairs, settings)
    member_of = {m: pod.pod_id for pod in pods for m in pod.members}
    authors = {a: tuple(sorted(accs)) for a, accs in sorted(author_accounts.items()) if len(accs) >= 2}
    return CommenterIndex(pairs, authors, pods, member_of, aliases)


def commenter_pairs(
    *,
    accounts: Sequence[AccountData],
    settings: PodSettings,
    lexicon: CommentLexicon,
    aliases: Mapping[str, str],
) -> tuple[tuple[PairStats, ...], dict[str, set[str]]]:
    """The (owner → account) pairs of ``accounts``' comments within ``index_minutes`` of their post (pairs
    on ≥ ``min_pair_posts`` distinct posts, sorted), and each comment author's set of accounts commented.
    One home for the population build and its partitions (``population_parts``)."""
    pair_posts: dict[tuple[str, str], set[str]] = defaultdict(set)
    pair_delays: dict[tuple[str, str], list[float]] = defaultdict(list)
    pair_generic: dict[tuple[str, str], int] = defaultdict(int)
    author_accounts: dict[str, set[str]] = defaultdict(set)
    post_counts: dict[str, int] = {}
    for data in accounts:
        target = account_key(network=data.account.network.value, handle=data.account.handle)
        published = {p.network_post_id: p.published_at for p in data.posts}
        post_counts[target] = len(published)
        seen: set[str] = set()
        for c in data.comments:
            if c.network_comment_id in seen:
                continue
            seen.add(c.network_comment_id)
            at = published.get(c.network_post_id)
            if at is None or c.reply_to:
                continue
            delay = (c.commented_at - at).total_seconds() / 60.0
            if delay < 0 or delay > settings.index_minutes:
                continue
            author = f"{c.network.value}:{c.author_handle.strip().lstrip('@').lower()}"
            author_accounts[author].add(target)
            source = aliases.get(author)
            if source is None or source == target:
                continue
            pair = (source, target)
            pair_posts[pair].add(c.network_post_id)
            pair_delays[pair].append(delay)
            if classify_comment(text=c.text, lexicon=lexicon).hollow:
                pair_generic[pair] += 1
    pairs = tuple(
        PairStats(
            s,
            t,
            len(ids),
            len(pair_delays[(s, t)]),
            post_counts.get(t, 0),
            float(statistics.median(pair_delays[(s, t)])),
            pair_generic[(s, t)] / len(pair_delays[(s, t)]),
        )
        for (s, t), ids in sorted(pair_posts.items())
        if len(ids) >= settings.min_pair_posts
    )
    return pairs, dict(author_accounts)


def _find_pods(pairs: Sequence[PairStats], settings: PodSettings) -> tuple[Pod, ...]:
    directed = {(p.source, p.target): p for p in pairs}
    graph = nx.Graph()
    for (s, t), stats in directed.items():
        back = directed.get((t, s))
        if back is not None and s < t:
            graph.add_edge(s, t, weight=min(stats.posts, back.posts))
    if graph.number_of_edges() == 0:
        return ()
    communities = nx.community.louvain_communities(graph, weight="weight", seed=settings.random_state)
    pods: list[Pod] = []
    for community in sorted((sorted(c) for c in communities), key=lambda c: c[0]):
        if len(community) < settings.min_size:
            continue
        members = set(community)
        inner = [p for (s, t), p in directed.items() if s in members and t in members]
        reciprocal = sum(1 for p in inner if (p.target, p.source) in directed)
        k = len(community)
        reciprocity = reciprocal / len(inner) if inner else 0.0
        density = (reciprocal / 2) / (k * (k - 1) / 2)
        delays = [p.median_delay_minutes for p in inner]
        comments = sum(p.comments for p in inner)
        generic = sum(p.generic_share * p.comments for p in inner) / comments if comments else 0.0
        coverage = statistics.median(p.posts / p.target_posts for p in inner if p.target_posts > 0)
        delay = float(statistics.median(delays))
        structure = reciprocity >= settings.min_reciprocity and density >= settings.min_density
        signals = tuple(
            name
            for name, holds in (
                ("fast", delay <= settings.fast_minutes),
                ("generic", generic >= settings.generic_share),
                ("coverage", coverage >= settings.coverage),
            )
            if holds
        )
        pods.append(
            Pod(
                pod_id=f"pod-{community[0]}",
                members=tuple(community),
                reciprocity=reciprocity,
                density=density,
                median_delay_minutes=delay,
                generic_share=generic,
                median_coverage=float(coverage),
                signals=(("reciprocal-dense",) if structure else ()) + signals,
                flagged=structure and len(signals) >= settings.signals_needed,
            )
        )
    return tuple(pods)


@dataclass(frozen=True, slots=True)
class PodResult:
    flagged: bool
    pod: Pod | None
    pod_comment_share: float | None
    comments_considered: int
    evidence: Evidence


def pod_verdict(
    *, key: str, index: CommenterIndex, commenter_keys: Sequence[str], settings: PodSettings
) -> PodResult:
    """Pod verdict for one account: flagged when it belongs to a flagged pod of the index; the share of
    its (recent, top-level) comments written by other members' owners is reported as evidence."""
    pod_id = index.member_of.get(key)
    pod = next((p for p in index.pods if p.pod_id == pod_id), None)
    members = set(pod.members) if pod else set()
    owners = [index.owner_aliases.get(a) for a in commenter_keys]
    share = (
        sum(1 for o in owners if o is not None and o != key and o in members) / len(owners)
        if owners
        else None
    )
    evidence = Evidence(
        definition=finding(TEXT, "pod_definition"),
        formula=f"pairs with ≥ {settings.min_pair_posts} posts commented within "
        f"{settings.index_minutes:g} min; "
        f"reciprocal graph; Louvain communities ≥ {settings.min_size}; flagged if reciprocity ≥ "
        f"{settings.min_reciprocity}, density ≥ {settings.min_density} and ≥ {settings.signals_needed} of: "
        f"median delay ≤ {settings.fast_minutes:g} min, generic share ≥ {settings.generic_share}, "
        f"coverage ≥ {settings.coverage}",
        inputs=(("comments_considered", len(owners)),),
    )
    return PodResult(bool(pod and pod.flagged), pod, share, len(owners), evidence)
