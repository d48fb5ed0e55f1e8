"""The facts of accounts that search's read model projects (discovery), in a few set-based queries per
chunk of accounts; offered to discovery by ``creators.contracts.search_account_facts``.

The projection needs aggregates over posts that no row-by-row read could give fast enough: every query
here takes a chunk of account ids and returns one value (or a few) per account; nothing loops over
posts in Python.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection

ENGAGEMENT_WINDOW_DAYS = 90
TOP_HASHTAGS = 15
RECENT_CAPTIONS = 12
CAPTIONS_MAX_CHARS = 3000
TOP_AUDIENCE_COUNTRIES = 5


def _table(model: str) -> str:
    from microreach.web.creators import models

    table: str = getattr(models, model)._meta.db_table
    return table


def _json_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value] if isinstance(value, list) else []


@dataclass(frozen=True)
class SearchFacts:
    """What search shows and filters on about one account (before its audit's figures are added)."""

    account_id: int
    creator_id: int | None
    network: str
    handle: str
    display_name: str
    bio: str
    topics: list[str]
    language: str
    country: str
    followers: int
    verified: bool
    has_contact: bool
    claimed: bool
    connected: bool
    data_at: datetime | None
    engagement_posts: int = 0
    last_post_at: datetime | None = None
    hashtags: list[str] = field(default_factory=list)
    captions: str = ""
    audience_countries: list[dict[str, object]] = field(default_factory=list)
    growth_30d: float | None = None


def _db_time(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _placeholders(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def account_ids_all(*, after_id: int, limit: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {_table('SocialAccount')} WHERE id > %s ORDER BY id LIMIT %s", [after_id, limit]
        )
        return [int(r[0]) for r in cursor.fetchall()]


def account_facts(*, account_ids: list[int], as_of: datetime) -> dict[int, SearchFacts]:
    """The projected facts of the existing accounts among ``account_ids`` (missing ones are absent, and so
    are accounts whose creator deleted their only data, ``source = data_deleted``: search drops their row)."""
    if not account_ids:
        return {}
    ids = _placeholders(account_ids)
    acc, creator = _table("SocialAccount"), _table("Creator")
    facts: dict[int, SearchFacts] = {}  # replaced field by field as each query answers
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT a.id, a.creator_id, a.network, a.handle, a.display_name, a.bio, a.topics,
                       COALESCE(NULLIF(a.language, ''), c.language, ''), COALESCE(NULLIF(a.country, ''), c.country, ''),
                       a.followers, a.verified, a.contact_email, a.connected, c.claimed_by_id, a.fetched_at, a.updated_at
                FROM {acc} a LEFT JOIN {creator} c ON c.id = a.creator_id
                WHERE a.id IN ({ids}) AND a.source <> %s""",
            [*account_ids, "data_deleted"],
        )
        for row in cursor.fetchall():
            facts[int(row[0])] = SearchFacts(
                account_id=int(row[0]),
                creator_id=row[1],
                network=row[2],
                handle=row[3],
                display_name=row[4] or "",
                bio=row[5] or "",
                topics=_json_list(row[6]),
                language=(row[7] or "").lower(),
                country=(row[8] or "").upper(),
                followers=int(row[9] or 0),
                verified=bool(row[10]),
                has_contact=bool(row[11]),
                claimed=row[13] is not None,
                connected=bool(row[12]),
                data_at=_aware(row[14] or row[15]),
            )
        if not facts:
            return facts
        _engagement(cursor, facts, ids, account_ids, as_of)
        _hashtags(cursor, facts, ids, account_ids, as_of)
        _captions(cursor, facts, ids, account_ids)
        _audience(cursor, facts, ids, account_ids)
        _growth(cursor, facts, ids, account_ids)
    return facts


def _engagement(
    cursor: Any, facts: dict[int, SearchFacts], ids: str, account_ids: list[int], as_of: datetime
) -> None:
    """Posts in the engagement window and the last post date, per account. The engagement rate itself is
    the audit's (``core.engagement``, copied from the audit summary): no second formula here."""
    post = _table("Post")
    cursor.execute(
        f"""SELECT account_id, COUNT(*) FROM {post}
            WHERE account_id IN ({ids}) AND published_at >= %s AND published_at <= %s
            GROUP BY account_id""",
        [*account_ids, _db_time(as_of - timedelta(days=ENGAGEMENT_WINDOW_DAYS)), _db_time(as_of)],
    )
    for account_id, n in cursor.fetchall():
        facts[int(account_id)] = replace(facts[int(account_id)], engagement_posts=int(n))
    cursor.execute(
        f"SELECT account_id, MAX(published_at) FROM {post} WHERE account_id IN ({ids}) GROUP BY account_id",
        account_ids,
    )
    for account_id, last in cursor.fetchall():
        facts[int(account_id)] = replace(facts[int(account_id)], last_post_at=_aware(last))


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    aware: datetime = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware


def _hashtags(
    cursor: Any, facts: dict[int, SearchFacts], ids: str, account_ids: list[int], as_of: datetime
) -> None:
    post = _table("Post")
    if connection.vendor == "postgresql":
        each = "CROSS JOIN LATERAL jsonb_array_elements_text(p.hashtags) AS h(value)"
    else:
        each = "CROSS JOIN json_each(p.hashtags) AS h"
    cursor.execute(
        f"""WITH counted AS (
              SELECT p.account_id, lower(h.value) AS tag, COUNT(*) AS n
              FROM {post} p {each}
              WHERE p.account_id IN ({ids}) AND p.published_at >= %s
              GROUP BY p.account_id, lower(h.value)
            ),
            ranked AS (
              SELECT account_id, tag, n,
                     ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY n DESC, tag) AS rn
              FROM counted
            )
            SELECT account_id, tag FROM ranked WHERE rn <= %s ORDER BY account_id, rn""",
        [*account_ids, _db_time(as_of - timedelta(days=ENGAGEMENT_WINDOW_DAYS)), TOP_HASHTAGS],
    )
    tags: dict[int, list[str]] = defaultdict(list)
    for account_id, tag in cursor.fetchall():
        tags[int(account_id)].append(str(tag).lstrip("#"))
    for account_id, found in tags.items():
        facts[account_id] = replace(facts[account_id], hashtags=found)


def _captions(cursor: Any, facts: dict[int, SearchFacts], ids: str, account_ids: list[int]) -> None:
    post = _table("Post")
    cursor.execute(
        f"""SELECT account_id, caption FROM (
              SELECT account_id, caption,
                     ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY published_at DESC, id DESC) AS rn
              FROM {post} WHERE account_id IN ({ids}) AND caption <> ''
            ) recent WHERE rn <= %s ORDER BY account_id, rn""",
        [*account_ids, RECENT_CAPTIONS],
    )
    parts: dict[int, list[str]] = defaultdict(list)
    for account_id, caption in cursor.fetchall():
        parts[int(account_id)].append(caption)
    for account_id, captions in parts.items():
        facts[account_id] = replace(facts[account_id], captions="\n".join(captions)[:CAPTIONS_MAX_CHARS])


def _audience(cursor: Any, facts: dict[int, SearchFacts], ids: str, account_ids: list[int]) -> None:
    audience = _table("AudienceBreakdown")
    cursor.execute(
        f"""SELECT account_id, key, share FROM {audience}
            WHERE dimension = 'country' AND account_id IN ({ids})
            ORDER BY account_id, share DESC, key""",
        account_ids,
    )
    tops: dict[int, list[dict[str, object]]] = defaultdict(list)
    for account_id, key, share in cursor.fetchall():
        top = tops[int(account_id)]
        if len(top) < TOP_AUDIENCE_COUNTRIES:
            top.append({"country": str(key).upper(), "share": round(float(share), 4)})
    for account_id, top in tops.items():
        facts[account_id] = replace(facts[account_id], audience_countries=top)


def _growth(cursor: Any, facts: dict[int, SearchFacts], ids: str, account_ids: list[int]) -> None:
    """Follower growth over the 30 days before the newest follower count (None without history)."""
    history = _table("FollowerCountSnapshot")
    month_before = "date(last.d, '-30 days')" if connection.vendor == "sqlite" else "last.d - 30"
    cursor.execute(
        f"""WITH last AS (
              SELECT account_id, MAX(date) AS d FROM {history} WHERE account_id IN ({ids}) GROUP BY account_id
            )
            SELECT last.account_id,
                   (SELECT followers FROM {history} s WHERE s.account_id = last.account_id AND s.date = last.d),
                   (SELECT followers FROM {history} s WHERE s.account_id = last.account_id
                      AND s.date <= {month_before} ORDER BY s.date DESC LIMIT 1)
            FROM last""",
        account_ids,
    )
    for account_id, now, before in cursor.fetchall():
        if now is not None and before:
            growth = (float(now) - float(before)) / float(before)
            facts[int(account_id)] = replace(facts[int(account_id)], growth_30d=growth)
