from __future__ import annotations

import re

import pytest
from django.core import mail

from microreach.web.accounts import services
from microreach.web.accounts.errors import EmailTaken, InvalidToken
from microreach.web.accounts.models import Membership, Organisation, User
from microreach.web.jobs.models import OutboundEmail
from tests import factories


def _link(body: str) -> str:
    return re.search(r"http://\S+", body).group(0)


@pytest.mark.django_db(transaction=True)
def test_brand_signup_creates_organisation_admin_and_sends_one_verification_email(client):
    # given a visitor on the brand sign-up page
    # when they sign up
    response = client.post(
        "/accounts/signup/brand/",
        {
            "username": "alice",
            "email": "Alice@Example.test",
            "password": "correct-horse-battery",
            "organisation_name": "Maison Test",
            "kind": "brand",
            "country": "fr",
        },
    )
    # then they are signed in, own a brand organisation and received one verification e-mail
    assert response.status_code == 302
    user = User.objects.get(username="alice")
    assert user.email == "alice@example.test"
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.organisation.kind, membership.organisation.country) == (
        "admin",
        "brand",
        "FR",
    )
    assert membership.organisation.default_jurisdictions == ["FR"]
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().state == "sent"
    # and the link opens a page that changes nothing (a mail scanner opening links confirms nobody)
    link = _link(mail.outbox[0].body).replace("http://127.0.0.1:8000", "")
    opened = client.get(link)
    assert opened.status_code == 200
    assert "Confirm that alice@example.test is the address of the microreach account alice." in (
        opened.content.decode()
    )
    user.refresh_from_db()
    assert user.email_verified_at is None
    # whose button verifies the address
    verify = client.post(link)
    assert verify.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


@pytest.mark.django_db(transaction=True)
def test_creator_signup_creates_own_creator_organisation(client):
    client.post(
        "/accounts/signup/creator/",
        {
            "username": "lea",
            "email": "lea@example.test",
            "password": "correct-horse-battery",
            "display_name": "Léa",
        },
    )
    membership = Membership.objects.get(user__username="lea")
    assert (membership.role, membership.organisation.kind, membership.organisation.name) == (
        "creator",
        "creator",
        "Léa",
    )


@pytest.mark.django_db
def test_signup_with_a_taken_email_is_refused_and_writes_nothing():
    factories.user(email="taken@example.test")
    orgs_before = Organisation.objects.count()
    with pytest.raises(EmailTaken):
        services.user_signup_brand(
            username="bob",
            email="TAKEN@example.test",
            password="correct-horse-battery",
            organisation_name="Bob Inc",
        )
    assert Organisation.objects.count() == orgs_before
    assert not User.objects.filter(username="bob").exists()


@pytest.mark.django_db
def test_signup_form_shows_weak_password_error(client):
    response = client.post(
        "/accounts/signup/brand/",
        {
            "username": "weak",
            "email": "weak@example.test",
            "password": "1234567890",
            "organisation_name": "W",
            "kind": "brand",
        },
    )
    assert response.status_code == 200
    assert "entirely numeric" in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_tampered_verification_token_is_refused(client):
    user = factories.user(verified=False)
    token = services.verification_token(user=user)
    with pytest.raises(InvalidToken):
        services.user_verify_email(token=token[:-2] + "xx")
    assert client.get(f"/accounts/verify/{token[:-2]}xx/").status_code == 400
    assert client.post(f"/accounts/verify/{token[:-2]}xx/").status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


@pytest.mark.django_db
def test_the_owner_of_a_taken_address_is_told_in_their_own_language():
    # given a French-speaking user, and someone signing up with their address from an English page
    owner = factories.user(email="claire@example.com")
    User.objects.filter(pk=owner.pk).update(preferred_language="fr")
    # when the sign-up answers as for a new account
    services.signup_on_taken_email(email="Claire@Example.com")
    # then the owner's e-mail is in French
    sent = OutboundEmail.objects.get(to="claire@example.com")
    assert sent.subject == "Quelqu’un a essayé de s’inscrire sur microreach avec votre adresse e-mail"


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/accounts/signup/creator/", "/accounts/signup/brand/"])
def test_the_signup_offers_countries_by_name_in_the_readers_language_with_the_browsers_region_chosen(
    client, page
):
    # given a visitor whose browser speaks Swiss French
    # when they open a sign-up page
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="fr-CH,fr;q=0.9,en;q=0.8").content.decode()
    # then the country is a list of countries named in French, Switzerland chosen, never a code to type
    assert '<select name="country" id="id_country">' in html
    assert '<option value="CH" selected>Suisse</option>' in html
    assert '<option value="FR">France</option>' in html
    assert "code ISO" not in html


@pytest.mark.django_db
def test_the_signup_chooses_no_country_when_the_browsers_language_names_none(client):
    # given a browser that says a language without a region
    html = client.get("/accounts/signup/creator/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then no country is chosen for the visitor, and none is guessed from the language
    assert '<option value="" selected>—</option>' in html
    assert '<option value="FR" selected>' not in html


@pytest.mark.django_db(transaction=True)
def test_a_creator_signs_up_with_the_country_chosen_in_the_list(client):
    # given a creator choosing Switzerland
    response = client.post(
        "/accounts/signup/creator/",
        {
            "username": "noe",
            "email": "noe@example.test",
            "password": "correct-horse-battery",
            "country": "CH",
        },
    )
    # then their organisation is in Switzerland
    assert response.status_code == 302
    assert Membership.objects.get(user__username="noe").organisation.country == "CH"


@pytest.mark.django_db
@pytest.mark.parametrize("country", ["Suisse", "France", "ZZ", "F"])
def test_a_country_that_is_not_in_the_list_is_refused_on_its_field_and_nothing_is_written(client, country):
    # given a sign-up whose country is a name or an unknown code (a script, an old form)
    organisations = Organisation.objects.count()
    response = client.post(
        "/accounts/signup/creator/",
        {
            "username": "sam",
            "email": "sam@example.test",
            "password": "correct-horse-battery",
            "country": country,
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    # then the page answers on the country's field, never cutting the name to a code, and creates nothing
    assert response.status_code == 200
    assert response.context["form"].errors["country"] == [
        f"Sélectionnez un choix valide. {country.upper()} n’en fait pas partie."
    ]
    assert not User.objects.filter(username="sam").exists()
    assert Organisation.objects.count() == organisations
