"""Factories for core records: small functions with overridable fields."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from microreach.core.records import (
    AccountData,
    AccountRecord,
    CommentRecord,
    FollowerCountRecord,
    FollowerRecord,
    Network,
    PostRecord,
)

AS_OF = datetime(2026, 6, 1, 12, 0)


def account(**overrides: Any) -> AccountRecord:
    fields: dict[str, Any] = {"network": Network.INSTAGRAM, "handle": "alice", "followers": 12_000}
    fields.update(overrides)
    return AccountRecord(**fields)


def post(post_id: str = "p1", *, days_ago: float = 3, **overrides: Any) -> PostRecord:
    fields: dict[str, Any] = {
        "network": Network.INSTAGRAM,
        "handle": "alice",
        "network_post_id": post_id,
        "published_at": AS_OF - timedelta(days=days_ago),
        "likes": 300,
        "comments": 20,
    }
    fields.update(overrides)
    return PostRecord(**fields)


def comment(
    comment_id: str, *, post_id: str = "p1", author: str = "bob", minutes: float = 60, **overrides: Any
) -> CommentRecord:
    published = overrides.pop("published_at", AS_OF - timedelta(days=3))
    fields: dict[str, Any] = {
        "network": Network.INSTAGRAM,
        "handle": "alice",
        "network_post_id": post_id,
        "network_comment_id": comment_id,
        "author_handle": author,
        "commented_at": published + timedelta(minutes=minutes),
        "text": "Where did you buy it?",
    }
    fields.update(overrides)
    return CommentRecord(**fields)


def follower(name: str, **overrides: Any) -> FollowerRecord:
    fields: dict[str, Any] = {
        "network": Network.INSTAGRAM,
        "handle": "alice",
        "follower_username": name,
        "followers": 300,
        "following": 350,
        "posts": 80,
        "has_profile_picture": True,
        "is_private": False,
        "bio_length": 40,
    }
    fields.update(overrides)
    return FollowerRecord(**fields)


def history(
    counts: list[int | None], *, start: date = date(2025, 1, 1), following: list[int] | None = None
) -> tuple[FollowerCountRecord, ...]:
    """Daily counts from ``start``; ``None`` = missing day."""
    out = []
    for i, c in enumerate(counts):
        if c is None:
            continue
        out.append(
            FollowerCountRecord(
                Network.INSTAGRAM, "alice", start + timedelta(days=i), c, following[i] if following else None
            )
        )
    return tuple(out)


def data(**overrides: Any) -> AccountData:
    fields: dict[str, Any] = {"account": account()}
    fields.update(overrides)
    return AccountData(**fields)
