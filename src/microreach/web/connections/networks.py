"""Which networks can be connected on this installation, and their clients (``microreach.sources.networks``).

App credentials come from settings (``MICROREACH_<NETWORK>_CLIENT_ID`` / ``_CLIENT_SECRET``, read in
``web/environment.py``). With ``MICROREACH_FAKE_NETWORKS=1`` every network talks to the local fake served by
this installation (``web/fake_networks``) with the fake's own credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

from microreach.sources.networks import instagram, tiktok, youtube
from microreach.sources.networks.base import OAuthEndpoints, OAuthTokens
from microreach.sources.networks.tiktok_research import TikTokResearchClient, research_client

CONNECTABLE = ("instagram", "tiktok", "youtube")
NAMES = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube"}
FAKE_PREFIX = "/_fake"


@dataclass(frozen=True)
class AppCredentials:
    client_id: str
    client_secret: str


def fake_networks() -> bool:
    return bool(settings.MICROREACH.get("FAKE_NETWORKS"))


def base_url(network: str) -> str | None:
    """The fake's address for ``network`` when the fakes are on, else None (the network's own hosts)."""
    if fake_networks():
        return f"{settings.SITE_URL.rstrip('/')}{FAKE_PREFIX}/{network}"
    return None


def app_credentials(network: str) -> AppCredentials | None:
    """The installation's app on ``network``, or None when it is not set up."""
    client_id, secret = settings.MICROREACH["NETWORK_APPS"].get(network, ("", ""))
    if client_id and secret:
        return AppCredentials(client_id, secret)
    if fake_networks():
        return AppCredentials(f"fake-{network}-client", f"fake-{network}-secret")
    return None


def settings_names(network: str) -> tuple[str, str]:
    """The environment variables that set up ``network``'s app."""
    upper = network.upper()
    return f"MICROREACH_{upper}_CLIENT_ID", f"MICROREACH_{upper}_CLIENT_SECRET"


def endpoints(network: str) -> OAuthEndpoints:
    module = {"instagram": instagram, "tiktok": tiktok, "youtube": youtube}[network]
    return module.oauth_endpoints(base_url(network))


ConnectedClient = instagram.InstagramClient | youtube.YouTubeClient | tiktok.TikTokClient


def tiktok_oauth() -> tiktok.TikTokClient:
    """TikTok's client with the app's credentials only (the code exchange)."""
    app = app_credentials("tiktok")
    return tiktok.TikTokClient(
        base_url=base_url("tiktok"),
        client_key=app.client_id if app else None,
        client_secret=app.client_secret if app else None,
    )


def authorize_origin(network: str) -> str:
    """The origin of ``network``'s consent page (the connect form is redirected there)."""
    parts = urlsplit(endpoints(network).authorize_url)
    return f"{parts.scheme}://{parts.netloc}"


def client(network: str, tokens: OAuthTokens) -> ConnectedClient:
    """The network's client acting for a creator (source ``connected_api``)."""
    app = app_credentials(network)
    cid, secret = (app.client_id, app.client_secret) if app else (None, None)
    if network == "instagram":
        return instagram.InstagramClient(
            tokens=tokens, base_url=base_url(network), app_id=cid, app_secret=secret
        )
    if network == "youtube":
        return youtube.YouTubeClient(
            tokens=tokens, base_url=base_url(network), client_id=cid, client_secret=secret
        )
    if network == "tiktok":
        return tiktok.TikTokClient(
            tokens=tokens, base_url=base_url(network), client_key=cid, client_secret=secret
        )
    raise LookupError(f"no client for network {network!r}")


def youtube_public() -> youtube.YouTubeClient | None:
    """The YouTube Data API with the installation's key (any public channel), or None without a key."""
    key = str(settings.MICROREACH.get("YOUTUBE_API_KEY") or "") or (
        "fake-youtube-key" if fake_networks() else ""
    )
    return youtube.YouTubeClient(api_key=key, base_url=base_url("youtube")) if key else None


def tiktok_public() -> tiktok.TikTokClient:
    """TikTok's oEmbed (no credentials)."""
    return tiktok.TikTokClient(base_url=base_url("tiktok"))


def tiktok_research() -> TikTokResearchClient | None:
    """The TikTok Research API with the installation's research app (public data of any account), or
    None where TikTok granted no access (``MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY`` / ``_SECRET`` unset).
    With the fakes on it is the local fake's (with the app's key and secret when set, else the fake's).

    One client per process and credentials: it keeps its client access token until the token expires
    (2 hours) and counts its requests of the day, instead of a new token for every post."""
    key, secret = settings.MICROREACH.get("TIKTOK_RESEARCH") or ("", "")
    key, secret = str(key or ""), str(secret or "")
    if fake_networks() and not (key and secret):
        key, secret = "fake-tiktok-research-client", "fake-tiktok-research-secret"
    if not key or not secret:
        return None
    return _research_client(key, secret, base_url("tiktok"))


@lru_cache(maxsize=4)
def _research_client(key: str, secret: str, fake_base: str | None) -> TikTokResearchClient:
    client = research_client(key, secret, fake_base)
    if client is None:  # research_client gives None only without a key or a secret, checked above
        raise LookupError("no Research API client without a key and a secret")
    return client


def tiktok_research_forget() -> None:
    """Drop the kept Research API clients (and their tokens): after a change of settings, and in tests."""
    _research_client.cache_clear()
