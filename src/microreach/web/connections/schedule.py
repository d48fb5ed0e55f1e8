"""The sync policy of connected accounts: which sync each connection is due at a given time.

The periodic ``connections.plan`` job runs every 15 minutes and asks ``syncs_due`` for each active
connection; each answer is a (scope, slot) pair, enqueued once per slot (the job key names the
connection, the scope and the slot, so a plan that runs twice, or two workers, enqueue one job).

| scope | when | what it reads |
| --- | --- | --- |
| ``profile`` | daily (slot: the day) | the profile and one follower count; then chains ``posts`` |
| ``posts`` | daily, after ``profile`` | every post the first time (resumed from its cursor); afterwards the new posts and those of the last 30 days |
| ``recent`` | hourly (slot: the hour) | the figures of posts under 7 days |
| ``recent`` | quarters 1–3 of each hour, while the account is in a running campaign | the same, so every 15 minutes with the hourly one |
| ``full`` | weekly, on the connection's own weekday (its id mod 7, to spread the load) | every post again, the older ones too |

YouTube: with an installation API key, the daily profile of every YouTube connection is one batched job
(``connections.youtube_profiles``: ``channels.list`` takes 50 ids) and so is the hourly ``recent``
(``connections.youtube_recent``: ``videos.list`` takes 50 ids of any channels), rather than one job per
connection, and each campaign quarter (one batched job for the channels in a running campaign).
"""

from __future__ import annotations

from datetime import datetime

PROFILE = "profile"
POSTS = "posts"
RECENT = "recent"
FULL = "full"
SCOPES = (PROFILE, POSTS, RECENT, FULL)


def _weekly_day(connection_id: int) -> int:
    return connection_id % 7


def syncs_due(
    *, connection_id: int, now: datetime, in_campaign: bool, batched: bool = False
) -> list[tuple[str, str]]:
    """The (scope, slot) pairs a connection is due at ``now`` (a plan runs every 15 minutes; a slot
    enqueued before is enqueued again harmlessly). ``batched``: the daily profile and the hourly and
    campaign ``recent`` are done by batched jobs for the whole network (YouTube with an API key), not per
    connection (the batched profile job chains each connection's ``posts``)."""
    due = []
    if not batched:
        due.append((PROFILE, now.strftime("%Y-%m-%d")))
        due.append((RECENT, now.strftime("%Y-%m-%dT%H")))
    quarter = now.minute // 15
    if in_campaign and quarter > 0 and not batched:
        due.append((RECENT, now.strftime(f"%Y-%m-%dT%H-q{quarter}")))
    if now.weekday() == _weekly_day(connection_id):
        year, week, _day = now.isocalendar()
        due.append((FULL, f"{year}-W{week:02d}"))
    return due
