"""The TikTok Research API is a public source only where the installation has access (its research
app's key and secret in settings); elsewhere there is no client, fakes or not."""

from __future__ import annotations

from microreach.web.connections import networks
from microreach.web.environment import load


def test_the_research_client_exists_only_with_the_research_app(settings):
    settings.MICROREACH = {**settings.MICROREACH, "TIKTOK_RESEARCH": ("", ""), "FAKE_NETWORKS": True}
    assert networks.tiktok_research() is None
    settings.MICROREACH = {**settings.MICROREACH, "TIKTOK_RESEARCH": ("research-key", "research-secret")}
    client = networks.tiktok_research()
    assert client is not None
    assert client.url("/v2/research/user/info/").startswith("https://open.tiktokapis.com/")


def test_the_environment_reads_the_research_app(monkeypatch):
    monkeypatch.setenv("MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY", "k")
    monkeypatch.setenv("MICROREACH_TIKTOK_RESEARCH_CLIENT_SECRET", "s")
    assert load().tiktok_research == ("k", "s")
