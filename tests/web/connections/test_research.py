"""The TikTok Research API is a public source only where the installation has access (its research
app's key and secret in settings); elsewhere there is no client, fakes or not."""

from __future__ import annotations

from microreach.web.connections import networks
from microreach.web.environment import load


def test_the_research_client_exists_only_with_the_research_app_or_the_fakes(settings):
    settings.MICROREACH = {**settings.MICROREACH, "TIKTOK_RESEARCH": ("", ""), "FAKE_NETWORKS": False}
    assert networks.tiktok_research() is None
    settings.MICROREACH = {**settings.MICROREACH, "TIKTOK_RESEARCH": ("research-key", "research-secret")}
    client = networks.tiktok_research()
    assert client is not None
    assert client.url("/v2/research/user/info/").startswith("https://open.tiktokapis.com/")
    # one client per process and credentials: its client token is kept until it expires
    assert networks.tiktok_research() is client
    # the local fakes serve the Research API's video query too
    settings.MICROREACH = {**settings.MICROREACH, "TIKTOK_RESEARCH": ("", ""), "FAKE_NETWORKS": True}
    fake = networks.tiktok_research()
    assert fake is not None
    assert fake.url("/v2/research/video/query/") == (
        f"{settings.SITE_URL.rstrip('/')}/_fake/tiktok/v2/research/video/query/"
    )


def test_the_environment_reads_the_research_app(monkeypatch):
    monkeypatch.setenv("MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY", "k")
    monkeypatch.setenv("MICROREACH_TIKTOK_RESEARCH_CLIENT_SECRET", "s")
    assert load().tiktok_research == ("k", "s")
