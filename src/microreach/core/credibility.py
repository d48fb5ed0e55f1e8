"""Credibility: sponsored share and undisclosed posts, disclosure compliance, replies, comment language,
topic consistency."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from microreach.core.comments import CommentLexicon, detect_language, fold
from microreach.core.disclosure import (
    DisclosureRules,
    LabelMatch,
    check_disclosure,
    detect_sponsorship,
    find_labels,
    mentioned_handles,
    strong_sponsorship,
)
from microreach.core.evidence import Evidence, finding
from microreach.core.records import CommentRecord, PostRecord

TEXT = {
    "credibility_definition": "sponsored share, disclosure, replies, comment language and topic consistency"
}


@dataclass(frozen=True, slots=True)
class SponsoredPost:
    post_id: str
    published_at: str
    disclosed: bool
    compliant: bool
    reasons: tuple[str, ...]
    # The same evidence as codes with parameters (``evidence.Finding.as_dict``; a jurisdiction's
    # verdict adds ``j``), for a user interface to say in its own language.
    findings: tuple[dict[str, object], ...] = ()
    # The jurisdictions whose rule the post does not meet (empty when compliant).
    failed_in: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CredibilityResult:
    posts: int
    sponsored_share: float | None
    sponsored: tuple[SponsoredPost, ...]
    undisclosed_post_ids: tuple[str, ...]
    compliance_share: float | None
    jurisdictions: tuple[str, ...]
    reply_rate: float | None
    conversation_depth: float | None
    comments_language_match: float | None
    languages: tuple[tuple[str, int], ...]
    topic_consistency: float | None
    evidence: Evidence


def _cosine(a: Counter[str], b: Counter[str]) -> float | None:
    if not a or not b:
        return None
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else None


def topic_consistency(*, posts: Sequence[PostRecord], lexicon: CommentLexicon) -> float | None:
    """Cosine similarity (0–1) of hashtag + caption-word counts (stopwords removed) between the older and
    the newer half of the posts; ``None`` with fewer than 4 posts or no terms."""
    if len(posts) < 4:
        return None
    ordered = sorted(posts, key=lambda p: p.published_at)
    stops = set().union(*lexicon.stopwords.values()) if lexicon.stopwords else set()

    def terms(chunk: Sequence[PostRecord]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for p in chunk:
            counts.update(fold(h) for h in p.hashtags)
            counts.update(w for w in fold(p.caption).split() if len(w) > 3 and w not in stops)
        return counts

    half = len(ordered) // 2
    return _cosine(terms(ordered[:half]), terms(ordered[half:]))


def credibility(
    *,
    posts: Sequence[PostRecord],
    comments: Sequence[CommentRecord],
    creator_handle: str,
    creator_language: str,
    jurisdictions: Sequence[str],
    rules: DisclosureRules,
    lexicon: CommentLexicon,
    language_sample: int = 500,
    sponsors: frozenset[str] = frozenset(),
) -> CredibilityResult:
    """Sponsored share = sponsored posts / posts (a post tagging a known sponsor — ``sponsors`` of the
    population or a handle tagged in this creator's clearly sponsored posts — counts); undisclosed = sponsored without a clear label or the
    platform label; compliance share = compliant / sponsored under ``jurisdictions``; reply rate = top-level
    comments answered by the creator / top-level comments by others; depth = mean replies per answered
    thread; language match = share of detected comment languages equal to the creator's (every k-th
    comment, at most ``language_sample``)."""
    seen_posts: set[str] = set()
    sponsored: list[SponsoredPost] = []
    # Each caption's labels are found once and shared by the three checks below.
    labels_of: dict[str, tuple[LabelMatch, ...]] = {}

    def labels(text: str) -> tuple[LabelMatch, ...]:
        found = labels_of.get(text)
        if found is None:
            found = labels_of[text] = find_labels(text=text, rules=rules)
        return found

    # The creator's own clearly sponsored posts name sponsors too: a later post that only tags one is one.
    own_sponsors = frozenset(
        handle
        for p in posts
        if strong_sponsorship(
            text=p.caption,
            is_paid_partnership=p.is_paid_partnership,
            rules=rules,
            labels=None if p.is_paid_partnership else labels(p.caption),
        )
        for handle in mentioned_handles(text=p.caption, mentions=p.mentions)
    )
    known = (sponsors | own_sponsors) - {creator_handle.strip().lstrip("@").lower()}
    for post in sorted(posts, key=lambda p: p.published_at):
        if post.network_post_id in seen_posts:
            continue
        seen_posts.add(post.network_post_id)
        signal = detect_sponsorship(
            text=post.caption,
            mentions=post.mentions,
            is_paid_partnership=post.is_paid_partnership,
            rules=rules,
            sponsors=known,
            labels=labels(post.caption),
        )
        if not signal.sponsored:
            continue
        check = check_disclosure(
            text=post.caption,
            jurisdictions=jurisdictions,
            is_paid_partnership=post.is_paid_partnership,
            rules=rules,
            labels=labels(post.caption),
        )
        sponsored.append(
            SponsoredPost(
                post.network_post_id,
                post.published_at.isoformat(),
                signal.disclosed,
                check.compliant,
                signal.reasons + check.reasons,
                tuple(f.as_dict() for f in signal.findings)
                + tuple(
                    {"code": f.code, "params": {"j": v.jurisdiction, **dict(f.params)}}
                    for v in check.verdicts
                    for f in v.findings
                ),
                tuple(v.jurisdiction for v in check.verdicts if not v.compliant),
            )
        )
    n_posts = len(seen_posts)
    creator = creator_handle.strip().lstrip("@").lower()
    top_level = 0
    answered = 0
    replies_per_thread: Counter[str] = Counter()
    seen_comments: set[str] = set()
    unique: list[CommentRecord] = []
    for c in comments:
        if c.network_comment_id in seen_comments:
            continue
        seen_comments.add(c.network_comment_id)
        unique.append(c)
    by_creator_reply = {
        c.reply_to for c in unique if c.reply_to and c.author_handle.lower().lstrip("@") == creator
    }
    for c in unique:
        if c.reply_to:
            replies_per_thread[c.reply_to] += 1
            continue
        if c.author_handle.lower().lstrip("@") == creator:
            continue
        top_level += 1
        if c.creator_replied or c.network_comment_id in by_creator_reply:
            answered += 1
    depth = sum(replies_per_thread.values()) / len(replies_per_thread) if replies_per_thread else None
    step = max(1, len(unique) // language_sample) if unique else 1
    langs = Counter(
        lang
        for c in unique[::step][:language_sample]
        if (lang := detect_language(text=c.text, lexicon=lexicon))
    )
    detected = sum(langs.values())
    match = langs.get(creator_language.lower(), 0) / detected if detected and creator_language else None
    evidence = Evidence(
        definition=finding(TEXT, "credibility_definition"),
        formula="sponsored / posts; compliant / sponsored; answered / top-level comments; "
        "cosine(terms older half, terms newer half)",
        inputs=(("posts", n_posts), ("comments", len(unique)), ("rules_version", rules.version)),
    )
    return CredibilityResult(
        posts=n_posts,
        sponsored_share=len(sponsored) / n_posts if n_posts else None,
        sponsored=tuple(sponsored),
        undisclosed_post_ids=tuple(s.post_id for s in sponsored if not s.disclosed),
        compliance_share=sum(1 for s in sponsored if s.compliant) / len(sponsored) if sponsored else None,
        jurisdictions=tuple(jurisdictions),
        reply_rate=answered / top_level if top_level else None,
        conversation_depth=depth,
        comments_language_match=match,
        languages=tuple(sorted(langs.items(), key=lambda kv: (-kv[1], kv[0]))),
        topic_consistency=topic_consistency(posts=posts, lexicon=lexicon),
        evidence=evidence,
    )
