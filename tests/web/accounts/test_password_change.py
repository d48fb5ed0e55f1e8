"""A signed-in person changes their password from their settings: the current one first, Django's rules for
the new one; they stay signed in, their other sessions and API tokens end, and their address is told once,
in their language. A reset link's new password tells them too."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from microreach.web.accounts import services
from microreach.web.accounts.models import ApiToken, User
from microreach.web.jobs.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-long-passphrase"


def _logs_in(client: Client, user: User, password: str) -> bool:
    """Through the login page, as a person does (django-axes counts it)."""
    response = client.post("/accounts/login/", {"username": user.username, "password": password})
    return response.status_code == 302


def _signed_in(user: User) -> Client:
    client = Client()
    assert _logs_in(client, user, factories.PASSWORD)
    return client


def _change(client: Client, old: str, new1: str = NEW, new2: str = NEW, **extra: str):
    return client.post(
        "/accounts/password/change/",
        {"old_password": old, "new_password1": new1, "new_password2": new2},
        **extra,
    )


def test_the_settings_page_leads_to_the_change_of_password():
    user = factories.member()
    page = _signed_in(user).get("/accounts/settings/").content.decode()
    assert 'href="/accounts/password/change/"' in page
    form = _signed_in(user).get("/accounts/password/change/").content.decode()
    assert 'name="old_password"' in form and 'name="new_password1"' in form and 'name="new_password2"' in form
    # the rules are said in the one sentence signing up says them in
    rules = "At least 10 characters, not only digits, not a common password, not like your name"
    assert rules in form and rules in Client().get("/accounts/signup/brand/").content.decode()


def test_a_changed_password_keeps_this_session_ends_the_others_and_the_tokens_and_tells_the_owner():
    # given a brand member signed in on two browsers, with an API token
    user = factories.member(email="nora@example.test")
    here, elsewhere = _signed_in(user), _signed_in(user)
    _token, raw = services.api_token_create(user=user)
    # when they change their password on one of them
    response = _change(here, factories.PASSWORD)
    # then they are back on their settings, told what ended, and still signed in there
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/"
    settings_page = here.get("/accounts/settings/")
    assert settings_page.status_code == 200
    assert "Your other sessions and your API tokens have ended" in settings_page.content.decode()
    # the other browser is signed out, the token refused
    assert elsewhere.get("/accounts/settings/").status_code == 302
    assert Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    # the new password signs in, the old one no longer does
    assert _logs_in(Client(), user, NEW)
    assert not _logs_in(Client(), user, factories.PASSWORD)
    # and the address on file is told once, with the way back if it was not them
    email = OutboundEmail.objects.get(to="nora@example.test", key__startswith="password-changed:")
    assert email.subject == "Your microreach password was changed"
    assert "If it was not you" in email.body and "/accounts/password/reset/" in email.body


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing():
    user = factories.member()
    client = _signed_in(user)
    wrong = _change(client, "not-my-password")
    assert wrong.status_code == 200 and "Your old password was entered incorrectly" in wrong.content.decode()
    weak = _change(client, factories.PASSWORD, "123", "123")
    assert weak.status_code == 200 and "This password is too short" in weak.content.decode()
    mismatch = _change(client, factories.PASSWORD, NEW, NEW + "x")
    assert mismatch.status_code == 200 and "didn’t match" in mismatch.content.decode()
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)
    assert not OutboundEmail.objects.filter(key__startswith="password-changed:").exists()


def test_the_change_is_said_in_french_and_the_notice_in_the_owner_s_language():
    user = factories.member(email="luc@example.test")
    User.objects.filter(pk=user.pk).update(preferred_language="fr")
    client = _signed_in(user)
    form = client.get("/accounts/password/change/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Changer mon mot de passe" in form and "Ancien mot de passe" in form
    _change(client, factories.PASSWORD, HTTP_ACCEPT_LANGUAGE="fr")
    email = OutboundEmail.objects.get(to="luc@example.test", key__startswith="password-changed:")
    assert email.subject == "Votre mot de passe microreach a été changé"


def test_a_reset_link_s_new_password_tells_the_owner_too():
    user = factories.member(email="dora@example.test")
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    form_page = client.get(
        f"/accounts/password/reset/{uid}/{default_token_generator.make_token(user)}/", follow=True
    )
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert (
        OutboundEmail.objects.filter(to="dora@example.test", key__startswith="password-changed:").count() == 1
    )


def test_signed_out_visitors_are_sent_to_the_login():
    response = Client().get("/accounts/password/change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
