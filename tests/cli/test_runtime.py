"""`microreach demo` and `serve` give the site the address they serve on, unless MICROREACH_SITE_URL says
another: links to the local fake networks, the token exchange and e-mailed links follow it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from microreach.cli import runtime
from microreach.cli.django_setup import served_site_url, site_url_default
from microreach.cli.main import app

runner = CliRunner()


class _Started(Exception):
    """Stops a command when it starts Django: what it set up so far is what the test reads."""


def _environment_at_start(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> str | None:
    seen: dict[str, str | None] = {}

    def setup_django() -> None:
        seen["site"] = os.environ.get("MICROREACH_SITE_URL")
        raise _Started

    monkeypatch.setattr(runtime, "setup_django", setup_django)
    result = runner.invoke(app, args)
    assert isinstance(result.exception, _Started), result.output
    return seen["site"]


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8011, "http://127.0.0.1:8011"),
        ("localhost", 9000, "http://localhost:9000"),
        ("0.0.0.0", 8011, "http://127.0.0.1:8011"),
        ("::", 8011, "http://[::1]:8011"),
        ("::1", 8012, "http://[::1]:8012"),
    ],
)
def test_the_served_address_is_the_one_a_browser_on_this_machine_opens(host, port, url):
    assert served_site_url(host, port) == url


def test_site_url_default_writes_the_served_address_when_none_is_set():
    # given an environment without a site address
    environ = {"MICROREACH_DATA_DIR": "/tmp/x"}
    # when a server on port 8011 asks for the site's address
    url = site_url_default("127.0.0.1", 8011, environ)
    # then it is the served one, and settings (and a worker started from here) read it
    assert url == "http://127.0.0.1:8011"
    assert environ == {"MICROREACH_DATA_DIR": "/tmp/x", "MICROREACH_SITE_URL": "http://127.0.0.1:8011"}


def test_an_explicit_site_url_always_wins():
    environ = {"MICROREACH_SITE_URL": "https://microreach.example.com/"}
    assert site_url_default("127.0.0.1", 8011, environ) == "https://microreach.example.com"
    assert environ == {"MICROREACH_SITE_URL": "https://microreach.example.com/"}


def test_an_empty_site_url_is_not_set():
    environ = {"MICROREACH_SITE_URL": "  "}
    assert site_url_default("127.0.0.1", 8011, environ) == "http://127.0.0.1:8011"
    assert environ == {"MICROREACH_SITE_URL": "http://127.0.0.1:8011"}


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_the_command_gives_django_the_port_it_serves_on(monkeypatch, command):
    # given no site address in the environment
    monkeypatch.delenv("MICROREACH_SITE_URL", raising=False)
    # when the command is started on port 8011
    site = _environment_at_start(monkeypatch, [command, "--port", "8011"])
    # then Django starts with the site on port 8011, not 8000
    assert site == "http://127.0.0.1:8011"


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_the_command_keeps_an_explicit_site_url(monkeypatch, command):
    monkeypatch.setenv("MICROREACH_SITE_URL", "https://microreach.example.com")
    site = _environment_at_start(monkeypatch, [command, "--port", "8011"])
    assert site == "https://microreach.example.com"


_SERVE_SETTINGS = """
from django.conf import settings
from microreach.cli import runtime
from microreach.cli.main import app
from microreach.web.connections import networks

def _serve(host, port, threads=8):
    print("SITE", settings.SITE_URL)
    print("FAKE", networks.endpoints("instagram").token_url)

runtime._serve = _serve
app(["serve", "--port", "8011"])
"""


def _serve_settings(tmp_path: Path, **extra: str) -> str:
    # A user's shell: none of the test run's settings, database or site address.
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MICROREACH_", "DATABASE_URL"))
    }
    env.update(MICROREACH_DATA_DIR=str(tmp_path), MICROREACH_FAKE_NETWORKS="1", **extra)
    done = subprocess.run(
        [sys.executable, "-c", _SERVE_SETTINGS], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_serve_on_another_port_sends_the_fake_networks_to_that_port(tmp_path):
    # when `microreach serve --port 8011` starts in a shell without MICROREACH_SITE_URL
    output = _serve_settings(tmp_path)
    # then the site and the fake Instagram's token exchange are on port 8011
    assert "SITE http://127.0.0.1:8011\n" in output
    assert "FAKE http://127.0.0.1:8011/_fake/instagram/" in output


def test_serve_keeps_the_site_url_the_environment_sets(tmp_path):
    output = _serve_settings(tmp_path, MICROREACH_SITE_URL="https://microreach.example.com")
    assert "SITE https://microreach.example.com\n" in output
