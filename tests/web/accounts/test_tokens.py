from __future__ import annotations

import pytest
from django.test import Client, override_settings

from microreach.web.accounts import services
from microreach.web.accounts.models import ApiToken
from tests import factories


@pytest.mark.django_db
def test_token_is_stored_hashed_and_authenticates_the_api():
    user = factories.member(username="scripted")
    token, raw = services.api_token_create(user=user, name="ci")
    assert raw.startswith("mr_") and raw not in ApiToken.objects.values_list("token_hash", flat=True)
    response = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["username"] == "scripted"
    assert response.json()["organisation"]["id"] == token.organisation_id


@pytest.mark.django_db
def test_revoked_or_wrong_token_gets_the_error_shape():
    user = factories.member()
    token, raw = services.api_token_create(user=user)
    services.api_token_revoke(user=user, token_id=token.pk)
    for bad in (raw, "mr_nope"):
        response = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {bad}")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.django_db
def test_rate_limit_answers_429_with_retry_hint():
    from django.core.cache import cache

    cache.clear()
    user = factories.member()
    _token, raw = services.api_token_create(user=user)
    with override_settings(
        MICROREACH={**__import__("django.conf").conf.settings.MICROREACH, "API_RATE_LIMIT_PER_MINUTE": 3}
    ):
        codes = [
            Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code for _ in range(5)
        ]
    assert codes[:3] == [200, 200, 200]
    assert 429 in codes[3:]


@pytest.mark.django_db
def test_tokens_page_shows_new_token_once(client_for):
    user = factories.member()
    c = client_for(user)
    response = c.post("/accounts/tokens/", {"name": "laptop"})
    body = response.content.decode()
    assert 'id="new-token"' in body
    assert "mr_" in body
    assert 'id="new-token"' not in c.get("/accounts/tokens/").content.decode()
