"""YouTube's hourly refresh of recent videos, batched across every connected channel.

YouTube's quota is per project (10,000 units a day by default), whoever's token makes the call. One
``recent`` sync per channel and hour would cost 3 units (channels.list, playlistItems.list, videos.list):
72 a day per channel, so 1,000 channels would need 72,000. ``videos.list`` takes 50 ids of any channels
for 1 unit, so this job asks once an hour for the videos under 7 days of every connected channel (their
ids are kept on each connection by the syncs that saw them), 50 at a time, with the installation's API
key: 1,000 channels with 7 such videos each cost 140 units an hour.

A video absent from the answer was deleted or made private: it is dropped from the connection's list
(reported in the result, never asked about again); its stored figures stay as last read.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime
from typing import Any

from django.utils import timezone

from microreach.sources.networks.base import NetworkPost
from microreach.web.connections import networks
from microreach.web.connections.models import Connection, ConnectionState
from microreach.web.connections.services import RECENT, _post_records, _sync_profile, publish_records
from microreach.web.errors import ApplicationError

log = logging.getLogger("microreach.connections")


def youtube_recent_refresh(
    *, now: datetime | None = None, connection_ids: list[int] | None = None
) -> dict[str, Any]:
    """One batched refresh of the figures of the connected channels' videos under 7 days: every
    channel's (hourly), or those of ``connection_ids`` (the channels in a running campaign, each quarter)."""
    now = now or timezone.now()
    client = networks.youtube_public()
    if client is None:
        return {"skipped": "no YouTube API key"}
    since = now - RECENT
    chosen = Connection.objects.filter(state=ConnectionState.ACTIVE, network="youtube", user__isnull=False)
    if connection_ids is not None:
        chosen = chosen.filter(pk__in=connection_ids)
    connections = list(chosen)
    owner: dict[str, Connection] = {}
    for connection in connections:
        for video_id, published in (connection.recent_posts or {}).items():
            if datetime.fromisoformat(published) >= since:
                owner[video_id] = connection
    if not owner:
        return {"videos": 0, "calls": 0, "missing": 0}
    batch = client.videos_batch(list(owner))
    found: dict[int, list[NetworkPost]] = defaultdict(list)
    for video_id, post in batch.found.items():
        found[owner[video_id].pk].append(post)
    today = timezone.localdate(now)
    records: list[Any] = []
    snapshots: list[Any] = []
    for connection in connections:
        new_records, new_snapshots = _post_records(
            tuple(found.get(connection.pk, ())), connection.handle, today
        )
        records += new_records
        snapshots += new_snapshots
    publish_records(
        {"post": records, "post_snapshot": snapshots},
        user_id=None,
        description="hourly refresh of connected YouTube channels' recent videos",
    )
    gone = set(batch.missing)
    for connection in connections:
        kept = {
            k: v
            for k, v in (connection.recent_posts or {}).items()
            if k not in gone and datetime.fromisoformat(v) >= since
        }
        if kept != connection.recent_posts:
            Connection.objects.filter(pk=connection.pk).update(recent_posts=kept)
    if gone:
        log.info("youtube recent refresh: %d videos gone or private, no longer asked for", len(gone))
    return {
        "videos": len(batch.found),
        "calls": client.requests_made,
        "quota_units": client.quota_used,
        "missing": len(gone),
    }


def youtube_profiles_refresh(*, now: datetime | None = None) -> dict[str, Any]:
    """The daily profile of every connected channel, 50 a ``channels.list`` call with the installation's
    key (1,000 channels: 20 units instead of 1,000), each written like a per-connection profile sync
    (which chains the connection's ``posts``). A channel missing from the answer (closed, suspended) is
    reported on its connection (``last_error = not_found``) and in the result."""
    now = now or timezone.now()
    client = networks.youtube_public()
    if client is None:
        return {"skipped": "no YouTube API key"}
    connections = list(
        Connection.objects.filter(state=ConnectionState.ACTIVE, network="youtube", user__isnull=False)
    )
    batch = client.channels([c.network_account_id for c in connections])
    written = failed = 0
    for connection in connections:
        profile = batch.found.get(connection.network_account_id)
        if profile is None:
            Connection.objects.filter(pk=connection.pk).update(last_error="not_found")
            continue
        try:
            _sync_profile(connection, None, now, profile=profile)
            written += 1
        except ApplicationError as exc:  # one refused profile does not stop the others
            Connection.objects.filter(pk=connection.pk).update(last_error=exc.code)
            failed += 1
    return {
        "profiles": written,
        "failed": failed,
        "missing": len(batch.missing),
        "calls": client.requests_made,
        "quota_units": client.quota_used,
    }
