"""What the connections context offers other contexts: a post read through a creator's connected
account, a public source or an embed (for deliverables verified at the source), and the accounts synced
more often:
those named by the providers listed in ``microreach.web.wiring.FREQUENT_ACCOUNTS`` (campaigns: accounts
in a running campaign)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from microreach.sources.networks.base import NetworkPost
from microreach.web.connections import networks, research
from microreach.web.connections.models import Connection, ConnectionState
from microreach.web.events import resolve, wired

log = logging.getLogger("microreach.connections")


def frequent_account_ids() -> set[int]:
    """Accounts whose posts are synced every 15 minutes (what the ``FREQUENT_ACCOUNTS`` providers name)."""
    return {account_id for target in wired("FREQUENT_ACCOUNTS").values() for account_id in resolve(target)()}


def connected_post(
    *,
    account_id: int,
    network: str,
    post_id: str | None,
    url: str,
    window: tuple[date, date] | None = None,
    submitted_at: datetime | None = None,
) -> NetworkPost | None:
    """The post through the creator's connected account (source ``connected_api``); None when the account
    is not connected or the link names no post id. Raises ``NetworkError`` when the network fails.
    ``window`` and ``submitted_at`` are not needed: the connected APIs read a post by its id."""
    from microreach.web.connections.services import connection_tokens

    if post_id is None:
        return None
    connection = Connection.objects.filter(
        account_id=account_id, network=network, state=ConnectionState.ACTIVE
    ).first()
    if connection is None:
        return None
    tokens = connection_tokens(connection=connection)
    return networks.client(network, tokens).post(post_id)


def public_post(
    *,
    account_id: int,
    network: str,
    post_id: str | None,
    url: str,
    window: tuple[date, date] | None = None,
    submitted_at: datetime | None = None,
) -> NetworkPost | None:
    """The post through a public API (source ``public_api``): the YouTube Data API with the installation's
    key, the TikTok Research API where the installation has access (searched by date: ``window`` is the
    campaign's publication window, ``submitted_at`` when the post was given; see ``research``); None for
    Instagram and without a key or access. Raises ``NetworkError`` when the source fails: ``RateLimited``,
    ``CredentialsRefused``, ``NotInResearchData`` (no record of the post in the days searched: the
    Research API lags TikTok by a few days)."""
    if network == "youtube" and post_id:
        client = networks.youtube_public()
        return client.post(post_id) if client else None
    if network == "tiktok" and post_id:
        research_client = networks.tiktok_research()
        if research_client is None:
            return None
        return research.research_post(
            research_client, post_id=post_id, window=window, submitted_at=submitted_at
        )
    return None


def embedded_post(
    *,
    account_id: int,
    network: str,
    post_id: str | None,
    url: str,
    window: tuple[date, date] | None = None,
    submitted_at: datetime | None = None,
) -> NetworkPost | None:
    """What a public embed (oEmbed) says of the post (source ``public_api``): TikTok's author and caption,
    with no publish time nor type; None for the other networks (Instagram's oEmbed needs an app token and
    gives neither time nor type; YouTube's public API is better)."""
    if network == "tiktok":
        return networks.tiktok_public().oembed(url)
    return None


@dataclass(frozen=True)
class ConnectionLine:
    """One of a creator's connected accounts, as their data export shows it (never a token)."""

    network: str
    handle: str
    state: str
    scope: tuple[str, ...]
    connected_at: datetime
    synced_at: datetime | None


def user_connections(*, user_id: int) -> list[ConnectionLine]:
    """The connections of the user ``user_id`` (those being deleted too), oldest first."""
    rows = Connection.objects.filter(user_id=user_id).order_by("connected_at", "pk")
    return [
        ConnectionLine(
            network=c.network,
            handle=c.handle,
            state=str(c.state),
            scope=tuple(str(s) for s in c.scope or ()),
            connected_at=c.connected_at,
            synced_at=c.synced_at,
        )
        for c in rows
    ]
