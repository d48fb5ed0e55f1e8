"""Lookalikes: "creators like @handle", from what they post about and who they are.

Each row becomes a bag of features — topics, recent hashtags, caption vocabulary, language, tier,
country and audience countries — weighted by TF-IDF (scikit-learn) over a candidate pool, and the
nearest rows by cosine similarity are the lookalikes. The pool is capped first (neighbouring tiers, and a
shared topic or the same language), so the model is built in memory per request in well under a
second. Each lookalike says why: the shared features that weigh most in its similarity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django_countries import countries

from microreach.web.discovery.models import SearchAttribute, SearchRow
from microreach.web.discovery.tiers import TIERS
from microreach.web.engine_text import term, topic_name
from microreach.web.languages import language_name

CANDIDATE_CAP = 5000
# Below this cosine similarity two creators share too little to be called alike (the demo's weakest listed
# lookalike was 0.06: a language and a tier, nothing they post about).
MIN_SIMILARITY = 0.1
# A caption word said by more than this share of the pool says nothing about a creator ("vous", "tard"):
# it is never given as a reason.
WORD_REASON_MAX_SHARE = 0.05
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
# Caption words too common to say anything about a creator.
_STOP = frozenset(
    [
        "avec",
        "dans",
        "pour",
        "plus",
        "tout",
        "tous",
        "cette",
        "votre",
        "notre",
        "mais",
        "sont",
        "être",
        "avoir",
        "that",
        "this",
        "with",
        "your",
        "from",
        "have",
        "just",
        "what",
        "when",
        "will",
        "about",
        "more",
        "like",
        "very",
        "been",
        "they",
        "them",
        "their",
        "there",
        "here",
        "make",
        "made",
        "time",
        "today",
    ]
)


@dataclass(frozen=True)
class Lookalike:
    row: SearchRow
    similarity: float
    reasons: list[str]


def _features(row: SearchRow) -> list[str]:
    features = [f"topic:{t.lower()}" for t in row.topics] * 3
    features += [f"tag:{h.lower()}" for h in row.hashtags] * 2
    words = [w.lower() for w in _WORD.findall(row.captions + " " + row.bio)]
    features += [f"word:{w}" for w in words if w not in _STOP]
    if row.language:
        features += [f"lang:{row.language}"] * 2
    features += [f"tier:{row.tier}"] * 2
    if row.country:
        features.append(f"country:{row.country}")
    features += [f"audience:{a['country']}" for a in row.audience_countries[:3]]
    return features


def _country(code: str) -> str:
    """A country code as the reader names it (features hold codes, lower or upper case)."""
    return str(countries.name(code.upper()) or code)


def _reason(feature: str) -> str:
    kind, _sep, value = feature.partition(":")
    if kind == "tag":
        return f"#{value}"
    if kind == "topic":
        return _("topic %(topic)s") % {"topic": topic_name(value)}
    if kind == "lang":
        return language_name(value)
    if kind == "tier":
        return _("same tier (%(tier)s)") % {"tier": term("tier", value)}
    if kind == "country":
        return _("based in %(country)s") % {"country": _country(value)}
    if kind == "audience":
        return _("audience in %(country)s") % {"country": _country(value)}
    return _("talks about “%(word)s”") % {"word": value}


def _candidates(target: SearchRow) -> list[SearchRow]:
    index = TIERS.index(target.tier) if target.tier in TIERS else 1
    bands = TIERS[max(0, index - 1) : index + 2]
    topics = [t.lower() for t in target.topics]
    shares_topic = SearchAttribute.objects.filter(kind=SearchAttribute.Kind.TOPIC, value__in=topics).values(
        "row_id"
    )
    pool = (
        SearchRow.objects.filter(tier__in=bands)
        .filter(Q(id__in=shares_topic) | Q(language=target.language))
        .exclude(pk=target.pk)
        .order_by("-followers", "id")
        .only(
            "id",
            "account_id",
            "network",
            "handle",
            "display_name",
            "topics",
            "hashtags",
            "captions",
            "bio",
            "language",
            "tier",
            "country",
            "audience_countries",
            "followers",
            "engagement_rate",
            "quality_score",
            "red_flags",
            "data_at",
            "last_post_at",
            "fake_share",
        )
    )
    return list(pool[:CANDIDATE_CAP])


def lookalikes_for(*, target: SearchRow, limit: int = 12) -> list[Lookalike]:
    """The ``limit`` rows most similar to ``target`` (cosine over TF-IDF features), with reasons."""
    # Imported here: scikit-learn costs half a second to import, and only this page needs it.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors

    pool = _candidates(target)
    if not pool:
        return []
    documents = [_features(target)] + [_features(row) for row in pool]
    vectorizer = TfidfVectorizer(analyzer=lambda features: features, sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(documents)
    model = NearestNeighbors(metric="cosine", algorithm="brute", n_neighbors=min(limit, len(pool)))
    model.fit(matrix[1:])
    distances, indexes = model.kneighbors(matrix[0])
    vocabulary = np.array(vectorizer.get_feature_names_out())
    # idf = ln((1 + n) / (1 + df)) + 1 (scikit-learn's smooth idf): the words too common to be a reason
    n = len(documents)
    common = {
        str(f)
        for f, idf in zip(vocabulary, vectorizer.idf_, strict=True)
        if str(f).startswith("word:") and (1 + n) / np.exp(idf - 1) - 1 > WORD_REASON_MAX_SHARE * n
    }
    target_vector = matrix[0].toarray().ravel()
    # The pool was read with the features only; the few shown are read whole, their audit summaries too.
    whole = SearchRow.objects.in_bulk([pool[int(i)].pk for i in indexes[0]])
    found = []
    for distance, index in zip(distances[0], indexes[0], strict=True):
        similarity = 1.0 - float(distance)
        if similarity < MIN_SIMILARITY:
            continue
        contribution = target_vector * matrix[index + 1].toarray().ravel()
        shared = [
            str(vocabulary[i])
            for i in np.argsort(-contribution)
            if contribution[i] > 0 and str(vocabulary[i]) not in common
        ]
        row = whole.get(pool[index].pk, pool[index])
        found.append(Lookalike(row=row, similarity=round(similarity, 4), reasons=_reasons(shared)))
    return found


def _reasons(shared: list[str]) -> list[str]:
    """What two creators share, most telling first: hashtags and topics, a word or two, then who they are."""
    by_kind: dict[str, list[str]] = {}
    for feature in shared:
        by_kind.setdefault(feature.partition(":")[0], []).append(feature)
    chosen = (
        by_kind.get("tag", [])[:3]
        + by_kind.get("topic", [])[:1]
        + by_kind.get("word", [])[:2]
        + by_kind.get("lang", [])[:1]
        + by_kind.get("tier", [])[:1]
        + by_kind.get("audience", [])[:1]
    )
    return [_reason(feature) for feature in chosen]
