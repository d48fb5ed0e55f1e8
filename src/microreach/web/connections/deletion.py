"""A creator who deletes their account, or asks to delete the data read from their connected accounts,
has each connection's consent revoked at the network, then the connection deleted (tokens, cursors) with
the posts and follower counts read from it.

Each connection is one durable job (``connections.revoke``, key ``connections.revoke:<id>``: enqueued
twice, run once), retried with the jobs' back-off while the network cannot be reached. The connection is
marked ``deleting`` at once (no sync runs any more, the creator no longer sees it), and ``revoked_at`` is
stored as soon as the network confirmed: a job retried after that (the deletion failed, the worker died)
never revokes twice. A network that says the token is already invalid or revoked counts as revoked.

A person deleting their own account (``accounts``' settings page): ``on_user_erasing`` schedules every
connection at once, like the button. Deleting the user row (the admin): the user's connections lose their
user (``SET_NULL``) instead of vanishing with it; the next plan (``orphans_schedule``, within 15 minutes)
schedules their revocation like above. No signal, no start-up hook.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from microreach.sources.networks.base import NetworkError, NotFound, TokenExpired, TokenRevoked
from microreach.web.connections import networks
from microreach.web.connections.models import Connection, ConnectionState
from microreach.web.connections.services import _tokens_of
from microreach.web.connections.tokens import TokenUnreadable
from microreach.web.creators import contracts as creators
from microreach.web.events import UserErasing
from microreach.web.jobs.contracts import job_enqueue

log = logging.getLogger("microreach.connections")

# A network out of reach for longer than the jobs' back-off over these attempts leaves the job failed,
# listed on the operator's jobs page (the tokens stay encrypted until it is run again).
REVOKE_ATTEMPTS = 8


def user_connections_delete(*, user_id: int, delete_data: bool = True) -> int:
    """Revoke and delete every connection of the user, each in its own durable job; returns how many
    were scheduled. The connections stop syncing and leave the creator's page at once."""
    ids = list(Connection.objects.filter(user_id=user_id).values_list("pk", flat=True))
    return _schedule(ids, delete_data=delete_data)


def on_user_erasing(event: UserErasing) -> None:
    """A person deletes their account (the row is anonymised, not deleted): every connection of theirs is
    revoked and deleted with what was read from it, as "Delete my connected data" does."""
    user_connections_delete(user_id=event.user_id, delete_data=True)


def _schedule(ids: list[int], *, delete_data: bool) -> int:
    if not ids:
        return 0
    Connection.objects.filter(pk__in=ids).update(state=ConnectionState.DELETING)
    for pk in ids:
        job_enqueue(
            kind="connections.revoke",
            payload={"connection_id": pk, "delete_data": delete_data},
            key=f"connections.revoke:{pk}",
            max_attempts=REVOKE_ATTEMPTS,
        )
    return len(ids)


def orphans_schedule() -> int:
    """Connections whose user was deleted (the admin, or any future "delete my account": the foreign key
    sets their user to null instead of deleting them): scheduled for revocation. Run by every
    ``connections.plan`` (each 15 minutes); such a connection is never synced meanwhile."""
    ids = list(
        Connection.objects.filter(user__isnull=True)
        .exclude(state=ConnectionState.DELETING)
        .values_list("pk", flat=True)
    )
    return _schedule(ids, delete_data=True)


def connection_revoke_and_delete(*, connection_id: int, delete_data: bool) -> dict[str, Any]:
    """The job: revoke at the network (once), then delete the connection and, on request, its data."""
    connection = Connection.objects.filter(pk=connection_id).first()
    if connection is None:
        return {"skipped": "already deleted"}
    revoked = 0
    if connection.revoked_at is None:
        try:
            tokens = _tokens_of(connection)
            networks.client(connection.network, tokens).revoke(tokens)
            revoked = 1
        except (TokenRevoked, TokenExpired, NotFound, TokenUnreadable) as exc:
            # nothing left to revoke: the network already refuses the token (or it cannot be read)
            log.info(
                "revoke %s: nothing to revoke (%s)", connection.network, getattr(exc, "code", "unreadable")
            )
        except NetworkError as exc:
            Connection.objects.filter(pk=connection.pk).update(last_error=exc.code)
            if exc.retryable:
                raise  # retried with the jobs' back-off
            log.warning("revoke %s refused for good: %s", connection.network, exc.code)
        Connection.objects.filter(pk=connection.pk).update(revoked_at=timezone.now())
    deleted = {"posts": 0, "follower_points": 0}
    with transaction.atomic():
        if delete_data and connection.account_id is not None:
            deleted = creators.account_connected_data_delete(account_id=connection.account_id)
        if connection.account_id is not None:
            creators.account_mark_connected(account_id=connection.account_id, connected=False)
        Connection.objects.filter(pk=connection.pk).delete()
    return {"revoked": revoked, **deleted}
