"""The wrong-token block of an address refuses wrong tokens only: a valid token from that address passes,
held to its user's limit, and the block answers with its own limit and when to retry."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from microreach.web.accounts import services
from microreach.web.apikit.auth import INVALID_TOKENS_PER_MINUTE
from tests import factories

pytestmark = pytest.mark.django_db
OFFICE = "203.0.113.80"


def _get(token: str, address: str = OFFICE):
    return Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address)


def _broken_script() -> list[int]:
    """One colleague's script sends wrong tokens until the address is blocked."""
    return [_get(f"mr_wrong{i}").status_code for i in range(INVALID_TOKENS_PER_MINUTE + 1)]


def test_a_valid_token_passes_the_block_of_its_address():
    # given an office address blocked by a broken script
    _t, good = services.api_token_create(user=factories.member())
    assert _broken_script() == [401] * INVALID_TOKENS_PER_MINUTE + [429]
    # when a colleague calls with a valid token from the same address
    response = _get(good)
    # then it passes, and wrong tokens from that address are still refused
    assert response.status_code == 200
    assert _get("mr_still_wrong").status_code == 429


def test_the_block_says_its_own_limit_and_when_to_retry():
    # given a blocked address
    _broken_script()
    # when one more wrong token comes from it
    response = _get("mr_one_more")
    # then the answer names the wrong-token limit per address, not the per-user one
    error = response.json()["error"]
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    assert error["code"] == "rate_limited"
    assert error["details"] == {
        "limit_per_minute": INVALID_TOKENS_PER_MINUTE,
        "retry_after_seconds": wait,
        "scope": "wrong_tokens_per_address",
    }
    assert error["message"] == (
        f"Too many wrong API tokens from this address: at most {INVALID_TOKENS_PER_MINUTE} per minute. "
        f"A valid token still passes; retry in {wait} s."
    )
    assert "per user" not in error["message"]


def test_a_valid_token_from_a_blocked_address_keeps_its_users_limit():
    # given a blocked address and a user allowed 2 requests a minute
    user = factories.member()
    _t, good = services.api_token_create(user=user)
    _broken_script()
    with override_settings(MICROREACH={**settings.MICROREACH, "API_RATE_LIMIT_PER_MINUTE": 2}):
        # when the user calls three times from that address
        codes = [_get(good).status_code for _ in range(3)]
        third = _get(good)
    # then the per-user limit applies, with its own message
    assert codes == [200, 200, 429]
    assert third.json()["error"]["details"]["scope"] == "user"
    assert "at most 2 per minute per user" in third.json()["error"]["message"]


def test_valid_tokens_do_not_count_as_wrong_ones():
    # given colleagues calling with valid tokens from the office address
    _t, good = services.api_token_create(user=factories.member())
    assert {_get(good).status_code for _ in range(INVALID_TOKENS_PER_MINUTE + 5)} == {200}
    # then a wrong token from it is still the first one (401, not 429)
    assert _get("mr_typo").status_code == 401
