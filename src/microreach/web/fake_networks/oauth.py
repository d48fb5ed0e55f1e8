"""The fake networks' OAuth: signed authorization codes (single use, PKCE checked when a challenge was
sent), signed access and refresh tokens with an expiry, and revocation remembered in the cache. Nothing is
stored in the database: a code or token carries what it grants, signed with this installation's key."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

CODE_SECONDS = 600
ACCESS_SECONDS = {"youtube": 3600, "instagram": 3600, "tiktok": 86400}
REFRESH_SECONDS = 365 * 86400
_SALT = "microreach.fake_networks"


@dataclass(frozen=True)
class Grant:
    network: str
    account_id: str
    scope: tuple[str, ...]
    family: str  # one consent: its tokens are revoked together


def _sign(kind: str, network: str, data: dict[str, object], seconds: int) -> str:
    return signing.dumps(
        {**data, "k": kind, "n": network, "e": int(time.time()) + seconds}, salt=_SALT, compress=True
    )


def _read(kind: str, network: str, value: str) -> dict[str, object] | None:
    try:
        data = signing.loads(value, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != kind or data.get("n") != network:
        return None
    if int(data.get("e", 0)) < time.time():
        return None
    if cache.get(f"fake-networks:revoked:{data.get('f')}"):
        return None
    return data


def code_issue(
    *,
    network: str,
    account_id: str,
    scope: tuple[str, ...],
    redirect_uri: str,
    client_id: str,
    challenge: str,
) -> str:
    return _sign(
        "code",
        network,
        {
            "a": account_id,
            "s": list(scope),
            "r": redirect_uri,
            "c": client_id,
            "cc": challenge,
            "f": secrets.token_hex(8),
        },
        CODE_SECONDS,
    )


def code_redeem(*, network: str, code: str, redirect_uri: str, verifier: str) -> Grant | None:
    """The grant of a valid, unused code whose redirect URI and PKCE verifier match; None otherwise."""
    data = _read("code", network, code)
    if data is None or data.get("r") != redirect_uri:
        return None
    challenge = str(data.get("cc") or "")
    if challenge:
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not secrets.compare_digest(digest, challenge):
            return None
    if not cache.add(f"fake-networks:used:{hashlib.sha256(code.encode()).hexdigest()}", 1, CODE_SECONDS):
        return None  # a code is good once
    return _grant(network, data)


def tokens_issue(grant: Grant) -> tuple[str, str, int]:
    """(access token, refresh token, seconds the access token lives)."""
    body: dict[str, object] = {
        "a": grant.account_id,
        "s": list(grant.scope),
        "f": grant.family,
        "j": secrets.token_hex(4),
    }
    seconds = ACCESS_SECONDS[grant.network]
    access = _sign("access", grant.network, body, seconds)
    return access, _sign("refresh", grant.network, body, REFRESH_SECONDS), seconds


CLIENT_TOKEN_SECONDS = 7200  # TikTok's client access token (client-access-token-management): 2 hours


def client_token_issue(*, network: str, client_id: str, scope: tuple[str, ...]) -> tuple[str, int]:
    """(access token, seconds it lives) of a client-credentials grant: the app itself, no person
    (its grant's account is ``client:<client id>``)."""
    body: dict[str, object] = {
        "a": f"client:{client_id}",
        "s": list(scope),
        "f": secrets.token_hex(8),
        "j": secrets.token_hex(4),
    }
    return _sign("access", network, body, CLIENT_TOKEN_SECONDS), CLIENT_TOKEN_SECONDS


def _grant(network: str, data: dict[str, object] | None) -> Grant | None:
    if data is None:
        return None
    scope = data.get("s")
    return Grant(
        network,
        str(data["a"]),
        tuple(str(s) for s in scope) if isinstance(scope, list) else (),
        str(data["f"]),
    )


def access_grant(network: str, token: str) -> Grant | None:
    return _grant(network, _read("access", network, token))


def refresh_grant(network: str, token: str) -> Grant | None:
    return _grant(network, _read("refresh", network, token))


def revoke(network: str, token: str) -> bool:
    """Revoke the consent a token belongs to (its access and refresh tokens); False for an unknown token."""
    grant = access_grant(network, token) or refresh_grant(network, token)
    if grant is None:
        return False
    cache.set(f"fake-networks:revoked:{grant.family}", 1, REFRESH_SECONDS)
    return True


def bearer(authorization: str) -> str:
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""
