"""The TikTok Research API as a public source of one post (deliverables verified at the source), where
the installation has access (``networks.tiktok_research``).

The video query takes a range of at most 30 UTC days: the post is looked for in the campaign's window
first (a day wider on each side: the window is in calendar days of the installation's time zone, the API
in UTC), then after it up to the submission (a late post), then in the 30 days before it (an early or
reused post): a post found outside the window fails the window check instead of staying unknown. One
request per 30-day slice, none after the first hit. A post exists when it is submitted, so nothing after
the submission day is searched, nor after today. Without a window: the 30 days up to the submission.

The daily limit (1,000 requests per client, reset at 00:00 UTC) is remembered in the shared cache once
the API or the client says it is used up: every process then stops asking until it resets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from microreach.sources.networks.base import NetworkPost, RateLimited
from microreach.sources.networks.tiktok_research import MAX_DAYS, NotInResearchData, TikTokResearchClient

PAUSE_KEY = "connections:tiktok_research:paused_until"
# a wait longer than this is the daily limit (the per-request back-off is the client's own)
PAUSE_ABOVE_SECONDS = 300


def search_ranges(
    *, window: tuple[date, date] | None, submitted_on: date | None, today: date
) -> list[tuple[date, date]]:
    """The UTC day ranges to search, most likely first (see the module's docstring); each range ends by
    the submission's next day and today, and a range left empty is dropped."""
    latest = min(today, (submitted_on or today) + timedelta(days=1))
    if window is None:
        wanted = [(latest - timedelta(days=MAX_DAYS - 1), latest)]
    else:
        start, end = window[0] - timedelta(days=1), window[1] + timedelta(days=1)
        wanted = [
            (start, end),
            (end + timedelta(days=1), end + timedelta(days=MAX_DAYS)),
            (start - timedelta(days=MAX_DAYS), start - timedelta(days=1)),
        ]
    return [(first, min(last, latest)) for first, last in wanted if first <= min(last, latest)]


def _paused(now: datetime) -> RateLimited | None:
    until = cache.get(PAUSE_KEY)
    if isinstance(until, (int, float)) and until > now.timestamp():
        return RateLimited(
            "the Research API's daily limit is used up (remembered until it resets)",
            network="tiktok",
            where="research/video/query",
            retry_after=until - now.timestamp(),
        )
    return None


def research_post(
    client: TikTokResearchClient,
    *,
    post_id: str,
    window: tuple[date, date] | None,
    submitted_at: datetime | None,
    now: datetime | None = None,
) -> NetworkPost | None:
    """The video through the Research API; None when there is no day to search (a window far ahead).
    Raises ``NotInResearchData`` when no searched slice has it (its data lags TikTok by a few days),
    ``RateLimited`` (the daily limit, remembered for every process), ``CredentialsRefused`` (the
    installation's research app) or another ``NetworkError``."""
    now = now or timezone.now()
    paused = _paused(now)
    if paused is not None:
        raise paused
    ranges = search_ranges(
        window=window,
        submitted_on=submitted_at.astimezone(UTC).date() if submitted_at else None,
        today=now.astimezone(UTC).date(),
    )
    if not ranges:
        return None
    try:
        found = client.video_search(post_id, ranges)
    except RateLimited as exc:
        if exc.retry_after and exc.retry_after > PAUSE_ABOVE_SECONDS:
            until = now.timestamp() + exc.retry_after
            cache.set(PAUSE_KEY, until, timeout=int(exc.retry_after) + 1)
        raise
    if found is None:
        raise NotInResearchData(
            f"video {post_id} is not in the Research API's data",
            network="tiktok",
            where="research/video/query",
            searched=(min(first for first, _ in ranges), max(last for _, last in ranges)),
        )
    return found
