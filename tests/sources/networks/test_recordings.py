"""Every recording names its documentation page and fields, and validates against the pydantic model of
the documented response that the client parses with (or, for a hostile one, is refused at its field)."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest

from microreach.sources.networks.base import BadResponse
from microreach.sources.networks.http import parse_model
from tests.sources.networks import recordings

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def test_there_are_recordings_for_each_network():
    networks = {network for network, _ in recordings.every()}
    assert networks == {"youtube", "instagram", "tiktok", "tiktok_research"}


@pytest.mark.parametrize(("network", "name"), recordings.every())
def test_recording_follows_its_documented_model(network, name):
    recorded = recordings.load(network, name)
    models = importlib.import_module(f"microreach.sources.networks.{network}").MODELS

    assert recorded["_recording"]["documentation"].startswith("https://")
    assert recorded["_recording"]["fields"]
    model = models[recorded["model"]]
    body = recorded["response"]["body"]
    if recorded["expect"] == "valid":
        parse_model(model, body, network=network, where=name, now=NOW)
    else:
        with pytest.raises(BadResponse) as raised:
            parse_model(model, body, network=network, where=name, now=NOW)
        assert raised.value.field == recorded["expect"]["refused"]
