"""Recorded answers of the networks' APIs (``recordings/<network>/<name>.json``), written from each
official documentation page's examples and field lists (the page and the fields are in ``_recording``).

A recording: ``_recording`` (documentation, fields, note), ``model`` (the pydantic model of the documented
response, in the client's ``MODELS``), ``expect`` ("valid", or {"refused": "<field path>"} for a hostile
payload), ``request`` (method, url, params it is an answer to) and ``response`` (status, headers, body).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).parent / "recordings"


def load(network: str, name: str) -> dict[str, Any]:
    return json.loads((ROOT / network / f"{name}.json").read_text(encoding="utf-8"))


def every() -> list[tuple[str, str]]:
    return sorted((p.parent.name, p.stem) for p in ROOT.glob("*/*.json"))


def response(network: str, name: str) -> httpx.Response:
    recorded = load(network, name)["response"]
    body = recorded["body"]
    content = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
    return httpx.Response(recorded["status"], headers=recorded.get("headers") or {}, content=content)


def url(network: str, name: str) -> str:
    return load(network, name)["request"]["url"]
