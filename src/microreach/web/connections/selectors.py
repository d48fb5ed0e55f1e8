"""Reads of the connections context: a creator's connections with their figures' source and age."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy

from microreach.web.connections import networks
from microreach.web.connections.models import Connection, ConnectionState, SyncCursor
from microreach.web.creators.contracts import AccountCard, account_card, account_posts_from
from microreach.web.jobs.contracts import job_active_exists

# The last sync error of a connection (a ``NetworkError`` code, or the import's refusal), for the creator.
ERRORS = {
    "token_revoked": gettext_lazy("The network withdrew access: connect the account again."),
    "token_expired": gettext_lazy("The network withdrew access: connect the account again."),
    "permission_missing": gettext_lazy(
        "A permission is missing: connect again and allow every permission asked."
    ),
    "rate_limited": gettext_lazy("The network asked microreach to slow down; it will try again."),
    "network_unavailable": gettext_lazy("The network could not be reached; microreach will try again."),
    "not_found": gettext_lazy("The network no longer finds this account."),
    "bad_response": gettext_lazy("The network answered data microreach refuses; the operator can see why."),
    "import_rejected": gettext_lazy(
        "The network's data was refused (e.g. a post dated in the future); the operator can see why."
    ),
}


def error_text(code: str) -> str:
    if not code:
        return ""
    return str(ERRORS.get(code, gettext_lazy("The last sync failed; microreach will try again.")))


@dataclass(frozen=True)
class NetworkRow:
    network: str
    name: str
    set_up: bool
    connection: Connection | None
    syncing: bool
    account: AccountCard | None  # once synced: followers, and where and when they were read
    posts: int
    posts_fetched_at: datetime | None
    cursor: SyncCursor | None
    setting_id: str
    setting_secret: str
    error: str = ""


def connection_list(*, user_id: int) -> list[Connection]:
    # a connection being revoked and deleted (``deletion``) is gone for its creator
    mine = Connection.objects.filter(user_id=user_id).exclude(state=ConnectionState.DELETING)
    return list(mine.order_by("network", "handle"))


def connection_get(*, user_id: int, connection_id: int) -> Connection | None:
    return Connection.objects.filter(pk=connection_id, user_id=user_id).first()


def connections_page(*, user_id: int) -> list[NetworkRow]:
    """One row per connectable network: set up or not, connected or not, and what the sync brought."""
    mine = {c.network: c for c in connection_list(user_id=user_id)}
    rows = []
    for network in networks.CONNECTABLE:
        connection = mine.get(network)
        account, posts, posts_fetched_at, cursor, syncing = None, 0, None, None, False
        if connection is not None:
            syncing = job_active_exists(
                kind="connections.sync", key_prefix=f"connections.sync:{connection.pk}:"
            )
            cursor = SyncCursor.objects.filter(connection=connection, kind="all").first()
            if connection.account_id is not None:
                account = account_card(account_id=connection.account_id)
                synced = account_posts_from(account_id=connection.account_id, source="connected_api")
                posts, posts_fetched_at = synced.count, synced.fetched_at
        rows.append(
            NetworkRow(
                network=network,
                name=networks.NAMES[network],
                set_up=networks.app_credentials(network) is not None,
                connection=connection,
                syncing=syncing
                or (
                    connection is not None
                    and connection.state == ConnectionState.ACTIVE
                    and connection.synced_at is None
                ),
                account=account,
                posts=posts,
                posts_fetched_at=posts_fetched_at,
                cursor=cursor,
                setting_id=networks.settings_names(network)[0],
                setting_secret=networks.settings_names(network)[1],
                error=error_text(connection.last_error) if connection is not None else "",
            )
        )
    return rows
