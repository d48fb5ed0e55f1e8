"""A person's language is one preference (``User.preferred_language``): the header's switcher and the
settings page change it, logging in applies it (on any browser), and their account e-mails are written in
it; a visitor keeps the cookie / Accept-Language behaviour."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from microreach.web.accounts.models import User
from microreach.web.jobs.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db


def _log_in(client: Client, user: User):
    return client.post(
        "/accounts/login/",
        {"username": user.username, "password": factories.PASSWORD},
        follow=True,
    )


def test_the_switcher_stores_the_language_of_a_signed_in_person(client_for):
    # given a brand member reading in English
    user = factories.member()
    client = client_for(user)
    # when they pick French in the header's switcher
    response = client.post("/accounts/language/", {"language": "fr", "next": "/accounts/settings/"})
    # then the next page is in French and French is their preference
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    user.refresh_from_db()
    assert user.preferred_language == "fr"
    assert '<html lang="fr">' in client.get("/accounts/settings/").content.decode()


def test_the_switcher_stores_no_language_the_site_does_not_speak(client_for):
    user = factories.member()
    client_for(user).post("/accounts/language/", {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == ""


def test_logging_in_on_a_fresh_browser_applies_the_stored_language():
    # given a person who chose French, then logged out
    user = factories.member()
    first = Client()
    _log_in(first, user)
    first.post("/accounts/language/", {"language": "fr", "next": "/"})
    first.post("/accounts/logout/")
    # when they log in on another browser that asks for English (no cookie)
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = _log_in(fresh, user)
    # then the first page after logging in is in French, and so are the next ones
    assert page.status_code == 200 and page.redirect_chain[0][1] == 302
    assert '<html lang="fr">' in page.content.decode()
    assert fresh.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in fresh.get("/accounts/settings/").content.decode()


def test_logging_in_without_a_chosen_language_keeps_the_browsers_and_writes_emails_in_it():
    # given a person who never chose a language, on a browser in French
    user = factories.member(email="lea@example.test")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    # when they log in, then the pages stay in French and no cookie overrides the browser
    page = _log_in(client, user)
    assert '<html lang="fr">' in page.content.decode()
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    # and French becomes their preference: the settings page shows it, their e-mails are in it
    assert User.objects.get(pk=user.pk).preferred_language == "fr"
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/password/reset/", {"email": "lea@example.test"})
    assert "Choisissez un nouveau mot de passe" in OutboundEmail.objects.get(to="lea@example.test").html_body
    # while a chosen language is never replaced by the browser's
    User.objects.filter(pk=user.pk).update(preferred_language="en")
    _log_in(Client(HTTP_ACCEPT_LANGUAGE="fr"), user)
    assert User.objects.get(pk=user.pk).preferred_language == "en"


def test_a_failed_login_changes_no_language():
    user = factories.member()
    User.objects.filter(pk=user.pk).update(preferred_language="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/accounts/login/", {"username": user.username, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="en">' in response.content.decode()


def test_the_settings_page_shows_and_changes_the_same_preference(client_for):
    # given a person who has not chosen, reading in English: the settings page shows the language in use
    user = factories.member()
    client = client_for(user)
    page = client.get("/accounts/settings/").content.decode()
    assert 'name="language" value="en" id="id_language_0" required checked' in page.replace("\n", " ")
    # when they choose French on the settings page
    response = client.post("/accounts/settings/", {"section": "language", "language": "fr"})
    # then it is stored, the next page is in French and says so, and the digest is untouched
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/"
    user.refresh_from_db()
    assert (user.preferred_language, user.digest) == ("fr", "")
    after = client.get("/accounts/settings/").content.decode()
    assert '<html lang="fr">' in after
    assert 'name="language" value="fr" id="id_language_1" required checked' in after.replace("\n", " ")
    # and the switcher shows it too
    assert '<option value="fr" selected>' in after


def test_the_settings_page_refuses_a_language_the_site_does_not_speak(client_for):
    user = factories.member()
    client = client_for(user)
    response = client.post("/accounts/settings/", {"section": "language", "language": "de"})
    assert response.status_code == 200
    assert response.context["language_form"].errors == {
        "language": ["Select a valid choice. de is not one of the available choices."]
    }
    user.refresh_from_db()
    assert user.preferred_language == ""


def test_the_switcher_of_a_visitor_sets_only_the_cookie():
    # given a visitor (not signed in) and a person whose preference is English
    user = factories.member()
    client = Client()
    # when the visitor picks French
    response = client.post("/accounts/language/", {"language": "fr", "next": "/"})
    # then the visitor's pages are in French and no one's preference changed
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()
    assert User.objects.get(pk=user.pk).preferred_language == ""


def test_a_password_reset_email_is_in_the_account_owners_language():
    # given a person who reads in French, and a request from a browser in English
    user = factories.member(email="lea@example.test")
    User.objects.filter(pk=user.pk).update(preferred_language="fr")
    # when a password reset is asked for their address
    Client(HTTP_ACCEPT_LANGUAGE="en").post("/accounts/password/reset/", {"email": "lea@example.test"})
    # then the e-mail is in French
    sent = OutboundEmail.objects.get(to="lea@example.test")
    assert "Choisissez un nouveau mot de passe" in sent.html_body


def test_a_new_confirmation_email_is_in_the_persons_language(client_for):
    # given a French-speaking person whose address is not confirmed, browsing in English
    user = factories.member(email="noe@example.test", verified=False)
    User.objects.filter(pk=user.pk).update(preferred_language="fr")
    client = client_for(User.objects.get(pk=user.pk))
    # when they ask for a new confirmation e-mail
    client.post("/accounts/verify/resend/", HTTP_ACCEPT_LANGUAGE="en")
    # then it is in French
    sent = OutboundEmail.objects.get(to="noe@example.test")
    assert "Confirmer mon adresse e-mail" in sent.html_body
