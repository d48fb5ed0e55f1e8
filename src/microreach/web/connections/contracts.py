"""What the connections context offers other contexts: a post read through a creator's connected
account or a public source (for deliverables verified at the source), and the accounts synced more often:
those named by the providers listed in ``microreach.web.wiring.FREQUENT_ACCOUNTS`` (campaigns: accounts
in a running campaign)."""

from __future__ import annotations

import logging

from microreach.sources.networks.base import NetworkPost
from microreach.web.connections import networks
from microreach.web.connections.models import Connection, ConnectionState
from microreach.web.events import resolve, wired

log = logging.getLogger("microreach.connections")


def frequent_account_ids() -> set[int]:
    """Accounts whose posts are synced every 15 minutes (what the ``FREQUENT_ACCOUNTS`` providers name)."""
    return {account_id for target in wired("FREQUENT_ACCOUNTS").values() for account_id in resolve(target)()}


def connected_post(*, account_id: int, network: str, post_id: str | None, url: str) -> NetworkPost | None:
    """The post through the creator's connected account (source ``connected_api``); None when the account
    is not connected or the link names no post id. Raises ``NetworkError`` when the network fails."""
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


def public_post(*, account_id: int, network: str, post_id: str | None, url: str) -> NetworkPost | None:
    """The post through a public source (source ``public_api``): the YouTube Data API with the
    installation's key, TikTok's oEmbed; None for Instagram (its oEmbed needs an app token and gives
    neither time nor type) or without a key."""
    if network == "youtube" and post_id:
        client = networks.youtube_public()
        return client.post(post_id) if client else None
    if network == "tiktok":
        return networks.tiktok_public().oembed(url)
    return None
