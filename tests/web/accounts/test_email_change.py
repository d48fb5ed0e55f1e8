"""A person moves their account to another e-mail address from their settings: confirmed by their password,
proven by a link sent to the new address, told to the old one; the form never says whether an address has
an account."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client

from microreach.web.accounts.email_change import EMAIL_CHANGE_SALT, masked
from microreach.web.accounts.models import User
from microreach.web.jobs.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ask(client: Client, email: str, password: str = factories.PASSWORD, **extra: str):
    return client.post("/accounts/email/change/", {"email": email, "password": password}, **extra)


def _link(to: str) -> str:
    body = OutboundEmail.objects.get(to=to, key__startswith="email-change:").body
    match = re.search(r"https?://[^\s]+/accounts/email/confirm/[^\s/]+/", body)
    assert match, body
    return "/" + match.group(0).split("/", 3)[3]


def test_the_settings_page_shows_the_address_and_leads_to_its_change():
    user = factories.member(email="mia@example.test")
    page = _client(user).get("/accounts/settings/").content.decode()
    assert "mia@example.test" in page and 'href="/accounts/email/change/"' in page


def test_the_account_moves_only_when_the_new_address_opens_its_link_and_the_old_one_is_told():
    # given a brand member who asks to move to a new address
    user = factories.member(username="mia", email="mia@example.test")
    client = _client(user)
    response = _ask(client, "Mia.New@Example.TEST ")
    # then they are told where the link went and that nothing changed yet
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/"
    page = client.get("/accounts/settings/").content.decode()
    assert "Open the link we sent to mia.new@example.test" in page and "still go to mia@example.test" in page
    user.refresh_from_db()
    assert user.email == "mia@example.test"
    # when the new address opens its link (signed in or not), nothing moves yet: the page says what will
    visitor = Client()
    opened = visitor.get(_link("mia.new@example.test"))
    assert opened.status_code == 200
    assert "The microreach account mia will use mia.new@example.test instead of m•••@example.test." in (
        opened.content.decode()
    )
    user.refresh_from_db()
    assert user.email == "mia@example.test"
    assert not OutboundEmail.objects.filter(key__startswith="email-changed:").exists()
    # and when they confirm on that page
    response = visitor.post(_link("mia.new@example.test"))
    # then the account uses it, confirmed, and the old address is told where it went, masked
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "mia.new@example.test" and user.email_verified_at is not None
    notice = OutboundEmail.objects.get(to="mia@example.test", key__startswith="email-changed:")
    assert notice.subject == "Your microreach e-mail address was changed"
    assert "m•••@example.test" in notice.body and "mia.new@" not in notice.body
    # and the password reset now goes to the new address
    Client().post("/accounts/password/reset/", {"email": "mia.new@example.test"})
    assert OutboundEmail.objects.filter(to="mia.new@example.test", key__startswith="password-reset:").exists()


def test_a_link_works_once_and_not_after_the_address_changed_again():
    user = factories.member(email="ana@example.test")
    client = _client(user)
    _ask(client, "ana.one@example.test")
    _ask(client, "ana.two@example.test")
    first, second = _link("ana.one@example.test"), _link("ana.two@example.test")
    assert Client().post(second).status_code == 302
    # the first link was made for the old address: refused now, and the used one again too, opened or posted
    for used in (first, second):
        for refused in (Client().get(used), Client().post(used)):
            assert refused.status_code == 400 and "invalid or has expired" in refused.content.decode()
    user.refresh_from_db()
    assert user.email == "ana.two@example.test"


def test_a_damaged_or_forged_link_is_refused():
    user = factories.member(email="eve@example.test")
    forged = signing.dumps({"u": user.pk, "e": user.email, "n": "eve@evil.test"}, salt="another-salt")
    for token in (forged, "nonsense", forged[:-2] + "xx"):
        assert Client().get(f"/accounts/email/confirm/{token}/").status_code == 400
        assert Client().post(f"/accounts/email/confirm/{token}/").status_code == 400
    user.refresh_from_db()
    assert user.email == "eve@example.test"
    made = signing.dumps({"u": user.pk, "e": user.email, "n": "eve@new.test"}, salt=EMAIL_CHANGE_SALT)
    assert Client().post(f"/accounts/email/confirm/{made}/").status_code == 302  # the real salt opens


def test_a_wrong_password_or_the_same_address_sends_nothing():
    user = factories.member(email="leo@example.test")
    client = _client(user)
    wrong = _ask(client, "leo.new@example.test", password="not-my-password")
    assert wrong.status_code == 200
    assert "That is not your password: your e-mail address is unchanged." in wrong.content.decode()
    same = _ask(client, "LEO@example.test")
    assert same.status_code == 200 and "This is already your e-mail address." in same.content.decode()
    bad = _ask(client, "not an address")
    assert bad.status_code == 200 and "Enter a valid email address." in bad.content.decode()
    assert not OutboundEmail.objects.filter(key__startswith="email-change").exists()


def test_an_address_with_an_account_is_not_revealed_its_owner_is_told_and_nothing_moves():
    factories.member(email="taken@example.test", username="owner")
    user = factories.member(email="sam@example.test")
    client = _client(user)
    taken = _ask(client, "taken@example.test")
    free = _ask(client, "free@example.test")
    # the requester reads the same answer either way
    assert taken.status_code == free.status_code == 302
    page = client.get("/accounts/settings/").content.decode()
    assert "Open the link we sent to taken@example.test" in page
    # the owner of the taken address gets a notice, no link; the free one a link
    notice = OutboundEmail.objects.get(to="taken@example.test")
    assert notice.key.startswith("email-change-taken:") and "/accounts/email/confirm/" not in notice.body
    assert OutboundEmail.objects.get(to="free@example.test").key.startswith("email-change:")
    user.refresh_from_db()
    assert user.email == "sam@example.test"


def test_an_address_taken_between_the_request_and_the_link_is_refused():
    user = factories.member(email="kim@example.test")
    _ask(_client(user), "kim.new@example.test")
    factories.member(email="kim.new@example.test")
    response = Client().post(_link("kim.new@example.test"))
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "kim@example.test"


def test_in_french_the_page_and_the_emails_speak_french():
    user = factories.member(email="luc@example.test")
    User.objects.filter(pk=user.pk).update(preferred_language="fr")
    user.refresh_from_db()
    client = _client(user)
    page = client.get("/accounts/email/change/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Changer mon adresse e-mail" in page
    _ask(client, "luc.nouveau@example.test", HTTP_ACCEPT_LANGUAGE="fr")
    link = OutboundEmail.objects.get(to="luc.nouveau@example.test")
    assert link.subject == "Confirmez votre nouvelle adresse e-mail pour microreach"
    opened = Client(HTTP_ACCEPT_LANGUAGE="fr").get(_link("luc.nouveau@example.test")).content.decode()
    assert "Utiliser cette adresse e-mail" in opened
    Client().post(_link("luc.nouveau@example.test"))
    told = OutboundEmail.objects.get(to="luc@example.test")
    assert told.subject == "L’adresse e-mail de votre compte microreach a changé"


def test_masked_keeps_the_first_letter_and_the_domain():
    assert masked("nora.b@example.com") == "n•••@example.com"


def test_signed_out_visitors_are_sent_to_the_login():
    response = Client().get("/accounts/email/change/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
