"""Writes of the connections context: the connect flow (Authlib: state, PKCE where the network has it),
tokens encrypted at rest and refreshed before they expire, disconnect (revoked at the network, tokens
deleted, and on request the synced data), and the syncs run as worker jobs.

A sync writes through the import pipeline (``creators.contracts.import_run``): the network's records become the
import format's records (``core.records``, the one declaration per record kind), staged and published in
one transaction with ``source = connected_api`` and ``fetched_at``, or not at all. A paged sync stores
the network's cursor after each published page: a sync cut short resumes from there, and a page
published twice changes nothing (natural keys).
"""

from __future__ import annotations

import hmac
import logging
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.core.records import (
    AccountRecord,
    FollowerCountRecord,
    Network,
    PostRecord,
    PostSnapshotRecord,
    PostType,
)
from microreach.sources.networks.base import (
    BadResponse,
    NetworkError,
    NetworkPost,
    NetworkProfile,
    NetworkUnavailable,
    NotFound,
    OAuthTokens,
    PermissionMissing,
    TokenExpired,
    TokenRevoked,
)
from microreach.sources.writers import write_records
from microreach.web.connections import networks
from microreach.web.connections.errors import ConnectionFailed, NetworkNotSetUp
from microreach.web.connections.models import Connection, ConnectionState, SyncCursor
from microreach.web.connections.tokens import TokenUnreadable, token_decrypt, token_encrypt, token_rotate
from microreach.web.creators import contracts as creators
from microreach.web.errors import ApplicationError, ErrorCode
from microreach.web.jobs.contracts import job_enqueue
from microreach.web.links import http_url_problem

log = logging.getLogger("microreach.connections")

# A token is refreshed when it has less than this left: a sync never starts on a token about to die.
REFRESH_MARGIN = timedelta(minutes=10)
# Pages a sync job publishes before it hands over to a new job (which resumes from the stored cursor).
PAGES_PER_JOB = 20
# Pages published together (one import batch): fewer batches, and at most this many pages read again
# after a crash.
PUBLISH_EVERY = 5
# Posts younger than this get their figures every hour.
RECENT = timedelta(days=7)
# Once every post was read, the daily sync reads back this far (figures of older posts hardly move).
DAILY = timedelta(days=30)


# --- the connect flow --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectStart:
    url: str
    # kept in the creator's session until the network sends them back
    pending: dict[str, str]


def _oauth_client(network: str, redirect_uri: str) -> tuple[OAuth2Client, Any]:
    app = networks.app_credentials(network)
    if app is None:
        raise NetworkNotSetUp(network)
    endpoints = networks.endpoints(network)
    oauth = OAuth2Client(
        client_id=app.client_id,
        client_secret=app.client_secret,
        scope=endpoints.scope_separator.join(endpoints.scopes),
        redirect_uri=redirect_uri,
        code_challenge_method="S256" if endpoints.pkce else None,
        token_endpoint_auth_method="client_secret_post",
    )
    return oauth, endpoints


def _renamed_client_id(url: str, parameter: str) -> str:
    """TikTok names the client ``client_key`` on its authorize URL; Authlib writes ``client_id``."""
    if parameter == "client_id":
        return url
    parts = urlsplit(url)
    query = [
        (parameter if k == "client_id" else k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def connect_start(*, user_id: int, network: str, redirect_uri: str) -> ConnectStart:
    """The network's consent page address, with a fresh ``state`` (and a PKCE verifier where supported)."""
    if network not in networks.CONNECTABLE:
        raise NetworkNotSetUp(network)
    oauth, endpoints = _oauth_client(network, redirect_uri)
    verifier = generate_token(64) if endpoints.pkce else ""
    state = generate_token(32)
    url, _state = oauth.create_authorization_url(
        endpoints.authorize_url,
        state=state,
        code_verifier=verifier or None,
        **dict(endpoints.authorize_params),
    )
    url = _renamed_client_id(url, endpoints.client_id_parameter)
    pending = {"network": network, "state": state, "verifier": verifier, "redirect_uri": redirect_uri}
    return ConnectStart(url=url, pending=pending)


def _tokens_from(token: dict[str, Any]) -> OAuthTokens:
    expires_at = None
    if token.get("expires_at"):
        expires_at = datetime.fromtimestamp(int(token["expires_at"]), tz=UTC)
    elif token.get("expires_in"):
        expires_at = timezone.now() + timedelta(seconds=int(token["expires_in"]))
    scope = token.get("scope") or ""
    scopes = tuple(s for s in str(scope).replace(",", " ").split() if s)
    return OAuthTokens(
        access_token=str(token["access_token"]),
        refresh_token=str(token["refresh_token"]) if token.get("refresh_token") else None,
        expires_at=expires_at,
        scope=scopes,
        account_id=str(token["open_id"]) if token.get("open_id") else None,
    )


def _exchange(network: str, code: str, pending: dict[str, str]) -> OAuthTokens:
    """The tokens for ``code``, or a typed ``NetworkError`` (never an ``httpx`` error: the callback page
    words each kind of failure for the creator)."""
    redirect_uri = pending["redirect_uri"]
    verifier = pending.get("verifier") or None
    if network == "tiktok":
        # TikTok names the client ``client_key`` in the token request too: its client sends it
        return networks.tiktok_oauth().exchange_code(code, redirect_uri, verifier)
    oauth, endpoints = _oauth_client(network, redirect_uri)
    extra = {"code_verifier": verifier} if verifier else {}
    where = "oauth/token"
    with oauth:
        try:
            token = oauth.fetch_token(endpoints.token_url, code=code, **extra)
        except httpx.TransportError as exc:  # connection refused, timeout, broken answer
            raise NetworkUnavailable(
                f"could not reach the network ({type(exc).__name__})", network=network, where=where
            ) from None
        except httpx.HTTPStatusError as exc:  # Authlib raises it for a 5xx answer
            raise NetworkUnavailable(
                f"the network answered {exc.response.status_code}", network=network, where=where
            ) from None
        except ValueError:  # the answer is not JSON
            raise BadResponse("the answer is not JSON", network=network, where=where) from None
    try:
        return _tokens_from(dict(token))
    except (KeyError, TypeError, ValueError):
        raise BadResponse("the answer has no usable access token", network=network, where=where) from None


def _connect_failure(network: str, exc: NetworkError | OAuthError) -> ConnectionFailed:
    """The creator's words for a code exchange or first profile read that failed; the log line is the
    operator's (the error names the network and endpoint, never a token)."""
    name = networks.NAMES[network]
    cause = getattr(exc, "code", None) or type(exc).__name__
    if isinstance(exc, NetworkError) and (exc.retryable or isinstance(exc, BadResponse)):
        log.warning("connect %s failed, nothing stored: %s (%s)", network, exc, cause)
        if isinstance(exc, BadResponse):
            message = _(
                "%(network)s answered something microreach cannot read; nothing was connected — try again "
                "in a moment."
            )
        else:
            message = _("%(network)s did not answer; nothing was connected — try again in a moment.")
        return ConnectionFailed(network, ErrorCode.EXCHANGE_FAILED, message % {"network": name}, cause=cause)
    log.info("connect %s refused: %s", network, cause)
    return ConnectionFailed(
        network,
        ErrorCode.EXCHANGE_FAILED,
        _("%(network)s refused the connection: start again.") % {"network": name},
        cause=cause,
    )


def connect_finish(
    *, user_id: int, network: str, params: dict[str, str], pending: dict[str, str] | None
) -> Connection:
    """The network sent the creator back: check ``state``, exchange the code, read who consented, store
    the tokens encrypted, and schedule the first sync."""
    if network not in networks.CONNECTABLE:
        raise NetworkNotSetUp(network)
    if not pending or pending.get("network") != network:
        raise ConnectionFailed(
            network, ErrorCode.NO_PENDING, _("This connection was not started here: start again.")
        )
    if not hmac.compare_digest(str(params.get("state", "")), pending.get("state", "")):
        raise ConnectionFailed(
            network, ErrorCode.BAD_STATE, _("The answer does not match the request: start again.")
        )
    if params.get("error"):
        raise ConnectionFailed(
            network,
            ErrorCode.DECLINED,
            _("%(network)s did not give access (you may have declined).")
            % {"network": networks.NAMES[network]},
        )
    code = params.get("code", "")
    if not code or len(code) > 2000:
        raise ConnectionFailed(
            network, ErrorCode.NO_CODE, _("The answer has no authorisation code: start again.")
        )
    try:
        tokens = _exchange(network, code, pending)
        profile = networks.client(network, tokens).profile()
    except (NetworkError, OAuthError) as exc:
        raise _connect_failure(network, exc) from None
    with transaction.atomic():
        existing = (
            Connection.objects.select_for_update()
            .filter(network=network, network_account_id=profile.account_id)
            .first()
        )
        if existing is not None and existing.state == ConnectionState.DELETING:
            raise ConnectionFailed(
                network,
                ErrorCode.CONNECTED_BY_ANOTHER,
                _("This account is being disconnected: connect it again in a few minutes."),
            )
        if existing is not None and existing.user_id != user_id:
            raise ConnectionFailed(
                network,
                ErrorCode.CONNECTED_BY_ANOTHER,
                _("This account is connected by another microreach user."),
            )
        connection = existing or Connection(
            user_id=user_id, network=network, network_account_id=profile.account_id
        )
        connection.handle = profile.handle[:100]
        _store_tokens(connection, tokens)
        connection.state = ConnectionState.ACTIVE
        connection.last_error = ""
        connection.save()
        sync_enqueue(connection=connection, scope="profile", slot="connect")
    return connection


def _store_tokens(connection: Connection, tokens: OAuthTokens) -> None:
    connection.access_token = token_encrypt(tokens.access_token)
    connection.refresh_token = token_encrypt(tokens.refresh_token or "")
    connection.expires_at = tokens.expires_at
    connection.scope = list(tokens.scope)


def _tokens_of(connection: Connection) -> OAuthTokens:
    return OAuthTokens(
        access_token=token_decrypt(connection.access_token),
        refresh_token=token_decrypt(connection.refresh_token) or None,
        expires_at=connection.expires_at,
        scope=tuple(connection.scope),
        account_id=connection.network_account_id,
    )


def connection_tokens(*, connection: Connection, now: datetime | None = None) -> OAuthTokens:
    """The connection's tokens, refreshed first when they expire within ``REFRESH_MARGIN``.

    A network that refuses the refresh (consent withdrawn, refresh token expired) marks the connection
    lost: the creator must connect again; raises ``TokenRevoked``.
    """
    now = now or timezone.now()
    tokens = _tokens_of(connection)
    if connection.expires_at is None or connection.expires_at - now > REFRESH_MARGIN:
        return tokens
    try:
        fresh = networks.client(connection.network, tokens).refresh(tokens)
    except (TokenRevoked, TokenExpired) as exc:
        Connection.objects.filter(pk=connection.pk).update(state=ConnectionState.LOST, last_error=exc.code)
        raise
    _store_tokens(connection, fresh)
    connection.refreshed_at = now
    connection.save(update_fields=["access_token", "refresh_token", "expires_at", "scope", "refreshed_at"])
    return fresh


def connection_disconnect(*, user_id: int, connection_id: int, delete_data: bool = False) -> dict[str, int]:
    """Revoke the consent at the network (best effort: a network that cannot be reached does not keep
    the tokens here), delete the tokens, and on request the posts and figures synced from it."""
    connection = Connection.objects.filter(pk=connection_id, user_id=user_id).first()
    if connection is None:
        from django.http import Http404

        raise Http404("connection")
    revoked = 0
    try:
        tokens = _tokens_of(connection)
        networks.client(connection.network, tokens).revoke(tokens)
        revoked = 1
    except (NetworkError, TokenUnreadable) as exc:  # the tokens go whatever the network answers
        log.info("revoke %s failed: %s", connection.network, getattr(exc, "code", type(exc).__name__))
    deleted = {"posts": 0, "follower_points": 0}
    with transaction.atomic():
        if delete_data and connection.account_id is not None:
            deleted = creators.account_connected_data_delete(account_id=connection.account_id)
        if connection.account_id is not None:
            creators.account_mark_connected(account_id=connection.account_id, connected=False)
        connection.delete()  # the tokens and the sync cursors go with the row
    return {"revoked": revoked, **deleted}


def tokens_reencrypt() -> int:
    """Re-encrypt every stored token under the first key (after a new key was put first)."""
    done = 0
    for pk in Connection.objects.values_list("pk", flat=True):
        with transaction.atomic():
            connection = Connection.objects.select_for_update().get(pk=pk)
            connection.access_token = token_rotate(connection.access_token)
            connection.refresh_token = token_rotate(connection.refresh_token)
            connection.save(update_fields=["access_token", "refresh_token"])
            done += 1
    return done


# --- syncs -------------------------------------------------------------------------------------------


def sync_enqueue(*, connection: Connection, scope: str, slot: str) -> None:
    """One sync job per connection, scope and slot (a day, an hour, a click): enqueued twice, run once."""
    job_enqueue(
        kind="connections.sync",
        payload={"connection_id": connection.pk, "scope": scope},
        key=f"connections.sync:{connection.pk}:{scope}:{slot}",
    )


def sync_request(*, user_id: int, connection_id: int) -> Connection:
    """ "Sync now": the profile, then every post (resumed where the last sync stopped)."""
    connection = Connection.objects.filter(pk=connection_id, user_id=user_id).first()
    if connection is None:
        from django.http import Http404

        raise Http404("connection")
    slot = timezone.now().strftime("now-%Y%m%dT%H%M%S")
    sync_enqueue(connection=connection, scope="profile", slot=slot)
    return connection


def syncs_schedule(*, now: datetime, campaign_account_ids: set[int] | None = None) -> int:
    """The periodic plan (``schedule.syncs_due``): the profile daily (then the posts of the last 30 days),
    the figures of posts under 7 days hourly (YouTube: one batched job with the installation's key),
    every 15 minutes those of accounts in a running campaign, every post weekly."""
    from microreach.web.connections import schedule

    count = 0
    running = campaign_account_ids or set()
    youtube_batched = networks.youtube_public() is not None
    for connection in Connection.objects.filter(state=ConnectionState.ACTIVE, user__isnull=False):
        for scope, slot in schedule.syncs_due(
            connection_id=connection.pk,
            now=now,
            in_campaign=connection.account_id in running,
            batched=youtube_batched and connection.network == "youtube",
        ):
            sync_enqueue(connection=connection, scope=scope, slot=slot)
            count += 1
    if not youtube_batched:
        return count
    youtube = Connection.objects.filter(state=ConnectionState.ACTIVE, network="youtube", user__isnull=False)
    if youtube.exists():
        job_enqueue(kind="connections.youtube_profiles", key=f"connections.youtube_profiles:{now:%Y-%m-%d}")
        job_enqueue(kind="connections.youtube_recent", key=f"connections.youtube_recent:{now:%Y-%m-%dT%H}")
        count += 2
    quarter = now.minute // 15
    in_campaign = sorted(youtube.filter(account_id__in=running).values_list("pk", flat=True))
    if quarter and in_campaign:
        job_enqueue(
            kind="connections.youtube_recent",
            payload={"connection_ids": in_campaign},
            key=f"connections.youtube_recent:{now:%Y-%m-%dT%H}-q{quarter}",
        )
        count += 1
    return count


def _account_record(profile: NetworkProfile, handle: str, creator_key: str | None) -> AccountRecord | None:
    if profile.followers is None:
        return None  # never a 0 for a figure the network did not give
    return AccountRecord(
        network=Network(profile.network),
        handle=handle,
        followers=profile.followers,
        creator_key=creator_key or f"connected:{profile.network}:{profile.account_id}",
        creator_name=(profile.display_name or handle)[:200],
        network_user_id=profile.account_id,
        display_name=(profile.display_name or "")[:200],
        bio=profile.bio or "",
        following=profile.following,
        posts_count=profile.posts,
        external_url=profile.external_url or "",
        avatar_url=_picture_link(profile.avatar_url),  # fetched and resized by the worker (creators.pictures)
    )


def _picture_link(url: str | None) -> str:
    """A network's picture address as the import stores it, or "" (no picture): the import refuses a
    whole batch for one link it cannot store, and a CDN's signed address can be longer than a link
    column holds — the post or profile is worth more than its picture."""
    return url if url and http_url_problem(url) is None else ""


def _insights(client: Any, posts: tuple[NetworkPost, ...], since: datetime) -> dict[str, Any]:
    """Instagram's media insights (reach, saves, views, shares) of the posts published since ``since``:
    one call per post, so only for recent posts; none when the token lacks the permission."""
    if not hasattr(client, "media_insights"):
        return {}
    found: dict[str, Any] = {}
    for post in posts:
        if post.published_at is None or post.published_at < since:
            continue
        try:
            found[post.post_id] = client.media_insights(post.post_id)
        except (PermissionMissing, NotFound):
            # insights need instagram_manage_insights; a story's expire: the post's own figures stay
            continue
    return found


def _post_records(
    posts: tuple[NetworkPost, ...],
    handle: str,
    today: Any,
    insights: dict[str, Any] | None = None,
    kept: dict[str, tuple[int | None, int | None, int | None]] | None = None,
) -> tuple[list[Any], list[Any]]:
    """Import records of a page of posts. ``insights``: fresh Instagram insights by post id; ``kept``:
    (reach, saves, views) already stored, written again for a post read without insights this time (an
    import row replaces the whole stored row)."""
    records, snapshots = [], []
    for post in posts:
        if post.published_at is None:
            continue  # a post without its time cannot be placed in the history
        network = Network(post.network)
        extra = (insights or {}).get(post.post_id)
        stored = (kept or {}).get(post.post_id, (None, None, None))
        reach, saves = (extra.reach, extra.saved) if extra else stored[:2]
        views = post.views if post.views is not None else (extra.views if extra else stored[2])
        shares = post.shares if post.shares is not None else (extra.shares if extra else None)
        records.append(
            PostRecord(
                network=network,
                handle=handle,
                network_post_id=post.post_id,
                published_at=post.published_at,
                post_type=PostType(post.media_type) if post.media_type else PostType.PHOTO,
                caption=post.caption or "",
                url=post.url,
                thumbnail_url=_picture_link(post.thumbnail_url),  # fetched by the data-changed job
                likes=post.likes,
                comments=post.comments,
                shares=shares,
                saves=saves,
                views=views,
                reach=reach,
            )
        )
        snapshots.append(
            PostSnapshotRecord(
                network=network,
                handle=handle,
                network_post_id=post.post_id,
                captured_on=today,
                likes=post.likes,
                comments=post.comments,
                shares=shares,
                saves=saves,
                views=views,
                reach=reach,
            )
        )
    return records, snapshots


def _publish(connection: Connection, records: dict[str, list[Any]]) -> int:
    """Stage and publish one set of records through the import pipeline (all or nothing)."""
    return publish_records(
        records, user_id=connection.user_id, description=f"sync of a connected {connection.network} account"
    )


def publish_records(records: dict[str, list[Any]], *, user_id: int | None, description: str) -> int:
    """Stage and publish records of any accounts in one import batch (all or nothing)."""
    wanted = {kind: rows for kind, rows in records.items() if rows}
    if not wanted:
        return 0
    with tempfile.TemporaryDirectory(prefix="microreach-sync-") as folder:
        files = [
            write_records(Path(folder) / f"{kind}.parquet", record_type=kind, records=rows)
            for kind, rows in wanted.items()
        ]
        creators.import_run(files=files, source="connected_api", user_id=user_id, description=description)
    return sum(len(rows) for rows in wanted.values())


def connection_sync(*, connection_id: int, scope: str, now: datetime | None = None) -> dict[str, Any]:
    """One sync job: ``profile`` (then every post, resumed from the stored cursor) or ``recent`` (the
    figures of posts under 7 days, newest first)."""
    now = now or timezone.now()
    connection = Connection.objects.filter(
        pk=connection_id, state=ConnectionState.ACTIVE, user__isnull=False
    ).first()
    if connection is None:
        return {"skipped": "no active connection"}
    try:
        tokens = connection_tokens(connection=connection, now=now)
        client = networks.client(connection.network, tokens)
        if scope == "profile":
            return _sync_profile(connection, client, now)
        if scope == "recent":
            return _sync_posts(connection, client, now, kind="recent")
        return _sync_posts(connection, client, now, kind="all", full=scope == "full")
    except (TokenRevoked, TokenExpired) as exc:
        Connection.objects.filter(pk=connection.pk).update(state=ConnectionState.LOST, last_error=exc.code)
        return {"lost": exc.code}
    except NetworkError as exc:
        Connection.objects.filter(pk=connection.pk).update(last_error=exc.code)
        if exc.retryable:
            raise  # the job is retried later (jobs' back-off)
        return {"error": exc.code}
    except ApplicationError as exc:
        # the import refused what the network gave (e.g. a post dated in the future): nothing of it was
        # written and the cursor did not move; the refused batch keeps the rows' problems for the operator
        if exc.code != "import_rejected":
            raise
        Connection.objects.filter(pk=connection.pk).update(last_error=exc.code)
        return {"error": exc.code, "batch_id": exc.details.get("batch_id")}


def _sync_profile(
    connection: Connection, client: Any, now: datetime, profile: NetworkProfile | None = None
) -> dict[str, Any]:
    """The profile (read now, or given: YouTube's batched daily read), then the posts chained."""
    if profile is None:
        profile = client.profile(connection.network_account_id)
    handle = profile.handle or connection.handle
    creator_key = creators.account_creator_key(
        network=connection.network, handle=handle, user_id=connection.user_id
    )
    account = _account_record(profile, handle, creator_key)
    follower_points = []
    if profile.followers is not None:
        follower_points.append(
            FollowerCountRecord(
                network=Network(profile.network),
                handle=handle,
                date=timezone.localdate(now),
                followers=profile.followers,
                following=profile.following,
                posts_count=profile.posts,
            )
        )
    written = _publish(
        connection, {"account": [account] if account else [], "follower_count": follower_points}
    )
    account_id = creators.account_claim_connected(
        user_id=connection.user_id, network=connection.network, handle=handle
    )
    Connection.objects.filter(pk=connection.pk).update(
        account_id=account_id, handle=handle[:100], synced_at=now, last_error=""
    )
    connection.account_id = account_id
    # then every post, from where the last full sync stopped
    sync_enqueue(connection=connection, scope="posts", slot=now.strftime("%Y-%m-%dT%H%M%S"))
    return {"records": written, "account_id": account_id}


def _sync_posts(
    connection: Connection, client: Any, now: datetime, *, kind: str, full: bool = False
) -> dict[str, Any]:
    cursor_row, _created = SyncCursor.objects.get_or_create(connection=connection, kind=kind)
    # how far back this run reads: posts under 7 days (hourly), under 30 days once every post was read
    # once (daily), else everything (the first sync, resumed from its cursor until it is complete, and
    # the weekly ``full`` refresh)
    backfilled = kind == "all" and cursor_row.finished_at is not None and not full
    window = RECENT if kind == "recent" else (DAILY if backfilled else None)
    if cursor_row.finished_at is not None:
        # a finished sync starts again from the newest post; an unfinished one resumes from its cursor
        cursor_row.cursor, cursor_row.finished_at, cursor_row.started_at = "", None, now
        cursor_row.save(update_fields=["cursor", "finished_at", "started_at"])
    today = timezone.localdate(now)
    pages = items = 0
    records: list[Any] = []
    snapshots: list[Any] = []
    cursor, finished, buffered = cursor_row.cursor, False, 0
    seen_recent: dict[str, str] = {}

    def publish() -> None:
        # the pages are published, then the cursor after them stored: a crash between the two
        # publishes them again on resume, which changes nothing (natural keys)
        nonlocal records, snapshots, buffered
        _publish(connection, {"post": records, "post_snapshot": snapshots})
        cursor_row.cursor = cursor
        cursor_row.pages += buffered
        cursor_row.items += len(records)
        cursor_row.finished_at = now if finished else None
        cursor_row.save(update_fields=["cursor", "pages", "items", "finished_at"])
        records, snapshots, buffered = [], [], 0

    while pages < PAGES_PER_JOB and not finished:
        page = client.posts(connection.network_account_id, cursor or None)
        insights = _insights(client, page.items, now - RECENT)
        kept = {}
        if connection.account_id is not None:
            kept = creators.post_owner_figures(
                account_id=connection.account_id, network_post_ids=[p.post_id for p in page.items]
            )
        new_records, new_snapshots = _post_records(page.items, connection.handle, today, insights, kept)
        records += new_records
        snapshots += new_snapshots
        items += len(new_records)
        seen_recent.update(
            {
                p.post_id: p.published_at.isoformat()
                for p in page.items
                if p.published_at is not None and p.published_at >= now - RECENT
            }
        )
        cursor, pages, buffered = page.next_cursor or "", pages + 1, buffered + 1
        too_old = window is not None and any(
            p.published_at is not None and p.published_at < now - window for p in page.items
        )
        finished = not page.next_cursor or too_old
        if finished or buffered >= PUBLISH_EVERY:
            publish()
    if buffered:
        publish()
    if not finished:
        # more pages: a new job continues from the stored cursor
        sync_enqueue(
            connection=connection,
            scope=kind if kind == "recent" else "posts",
            slot=f"cont-{cursor_row.pages}",
        )
    Connection.objects.filter(pk=connection.pk).update(
        synced_at=now, last_error="", recent_posts=recent_posts_merge(connection, seen_recent, now)
    )
    return {"pages": pages, "posts": items, "finished": finished}


def recent_posts_merge(connection: Connection, seen: dict[str, str], now: datetime) -> dict[str, str]:
    """The connection's posts under 7 days: those stored plus those just seen, older ones dropped."""
    fresh = {**(connection.recent_posts or {}), **seen}
    since = now - RECENT
    return {k: v for k, v in fresh.items() if datetime.fromisoformat(v) >= since}
