"""Issue 16 item 8: every e-mail has a text and an HTML part from templates in the recipient's language,
the brand's name (and logo), absolute links from the site setting, the opt-out footer in both parts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from microreach.web.accounts import services as account_services
from microreach.web.accounts.models import Organisation, User
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.services.application import application_accept
from microreach.web.campaigns.services.deliverable import draft_review
from microreach.web.campaigns.services.message import message_post
from microreach.web.jobs.contracts import (
    EmailBrand,
    email_opt_out,
    email_queue,
    email_render,
    email_send,
    in_language,
)
from microreach.web.jobs.models import OutboundEmail
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

SITE = "https://app.microreach.test"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def _parts(message: mail.EmailMessage) -> tuple[str, str]:
    html = [content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"]
    assert len(html) == 1
    return message.body, html[0]


def _accepted_email(language: str) -> mail.EmailMessage:
    _user, brand = h.brand()
    Organisation.objects.filter(pk=brand.organisation_id).update(name="Maison Verte")
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign, handle="lea.fr")
    User.objects.filter(pk=creator.user_id).update(preferred_language=language)
    mail.outbox.clear()
    application_accept(tenant=brand, application_id=app.pk, agreed_fee=Decimal("120"))
    sent = [m for m in mail.outbox if m.subject.endswith("Linen summer")]
    assert len(sent) == 1
    return sent[0]


@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize(
    ("language", "said", "button", "opt_out"),
    [
        (
            "en",
            "Your application was accepted.",
            "Open the application",
            "Receive no more e-mails from microreach",
        ),
        (
            "fr",
            "Votre candidature a été acceptée.",
            "Ouvrir la candidature",
            "Ne plus recevoir d’e-mails de microreach",
        ),
    ],
)
def test_the_acceptance_email_has_both_parts_in_the_creators_language(language, said, button, opt_out):
    # when a brand accepts a creator who reads in ``language``
    message = _accepted_email(language)
    text, html = _parts(message)
    # then both parts say it in that language, with the brand's name
    assert said in text and said in html
    assert button in html
    assert "Maison Verte" in text and "Maison Verte" in html
    assert f'<html lang="{language}">' in html
    # every link is absolute, from the site setting, in both parts
    assert _links(text) and _links(html)
    assert all(link.startswith(SITE + "/") for link in _links(text) + _links(html))
    # the opt-out footer is in both parts (a signed link, like the List-Unsubscribe header)
    unsubscribe = f"{SITE}/accounts/unsubscribe/"
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{unsubscribe}")
    assert unsubscribe in text and unsubscribe in html
    assert opt_out in html


@override_settings(SITE_URL=SITE)
def test_the_outbox_stores_the_html_part_and_sends_once_per_key():
    # given an e-mail queued twice for one trigger
    content = email_render(
        template="campaigns/email/reviewed",
        context={"u": SITE + "/campaigns/applications/1/", "campaign_title": "Linen summer"},
        brand=EmailBrand(name="Maison Verte"),
    )
    for _ in range(2):
        email_queue(
            key="html-once", to="lea@example.test", subject="S", body=content.text, html_body=content.html
        )
    # then one row holds both parts, footers included, and one message left
    row = OutboundEmail.objects.get(key="html-once")
    assert "Maison Verte" in row.html_body and "/accounts/unsubscribe/" in row.html_body
    assert "/accounts/unsubscribe/" in row.body
    assert len([m for m in mail.outbox if m.to == ["lea@example.test"]]) == 1


@override_settings(SITE_URL=SITE)
def test_email_send_renders_in_the_recipients_language_with_its_button_once_and_essential_past_an_opt_out():
    # given an address that opted out of e-mails
    email_opt_out(address="noor@example.test")
    # when an essential e-mail is sent twice for one trigger, in the recipient's language
    for _ in range(2):
        with in_language("fr"):
            email_send(
                key="send-once",
                to="noor@example.test",
                subject="Sujet",
                template="accounts/email/verify",
                context={"name": "noor", "link": SITE + "/accounts/verify/x/"},
                action=(SITE + "/accounts/verify/x/", "Confirmer mon adresse e-mail"),
                essential=True,
            )
    # then one e-mail left, in French, with its button, the opt-out not stopping it
    row = OutboundEmail.objects.get(key="send-once")
    assert row.state == "sent" and row.subject == "Sujet"
    assert f'href="{SITE}/accounts/verify/x/"' in row.html_body
    assert "Confirmer mon adresse e-mail" in row.html_body and '<html lang="fr">' in row.html_body
    assert len([m for m in mail.outbox if m.to == ["noor@example.test"]]) == 1
    # and a person with no language of their own is written to in the site's
    with in_language(None):
        email_send(
            key="site-lang",
            to="sam@example.test",
            subject="S",
            template="accounts/email/verify",
            context={"name": "sam", "link": SITE},
        )
    assert '<html lang="en">' in OutboundEmail.objects.get(key="site-lang").html_body


def test_an_email_queued_with_text_only_still_gets_an_html_part():
    email_queue(
        key="text-only", to="lea@example.test", subject="Hi", body="See <this> https://x.test/a?b=1&c=2"
    )
    _text, html = _parts(mail.outbox[-1])
    assert "See &lt;this&gt;" in html
    assert 'href="https://x.test/a?b=1&amp;c=2"' in html
    assert "/accounts/unsubscribe/" in html


@override_settings(SITE_URL=SITE)
def test_a_brand_with_a_logo_shows_it_by_an_absolute_link():
    # given a brand with a logo
    _user, brand = h.brand()
    organisation = Organisation.objects.get(pk=brand.organisation_id)
    organisation.logo.save("verte.png", SimpleUploadedFile("verte.png", PNG), save=True)
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    mail.outbox.clear()
    # when the creator writes to the brand
    message_post(tenant=creator, application_id=app.pk, body="Hello!")
    # then the brand's e-mail shows the logo from the site's address
    _text, html = _parts(mail.outbox[-1])
    assert f'<img src="{SITE}{organisation.logo.url}"' in html


@override_settings(SITE_URL=SITE)
def test_account_emails_have_both_parts_and_links_from_the_site_setting():
    # a verification e-mail, a teammate invitation and a review notice
    user = factories.user(email="nina@example.test")
    account_services.verification_send(user=user)
    admin = factories.member()
    Organisation.objects.filter(pk=tenant_for(admin).organisation_id).update(name="Maison Verte")
    account_services.invitation_create(tenant=tenant_for(admin), email="mate@example.test")
    for message in mail.outbox:
        text, html = _parts(message)
        assert all(link.startswith(SITE + "/") for link in _links(text) + _links(html)), message.subject
    invitation = next(m for m in mail.outbox if m.to == ["mate@example.test"])
    text, html = _parts(invitation)
    assert "Maison Verte" in text and "Maison Verte" in html and "Accept the invitation" in html


@override_settings(SITE_URL=SITE)
def test_the_password_reset_link_never_takes_the_requests_host_or_port():
    # given a user asking for a reset through a request on another host and port
    factories.user(email="nina@example.test")
    Client().post("/accounts/password/reset/", {"email": "nina@example.test"}, HTTP_HOST="127.0.0.1:8765")
    # then the link comes from the site setting, in both parts
    text, html = _parts(mail.outbox[-1])
    assert "8765" not in text and "8765" not in html
    assert next(link for link in _links(text) if "/password/" in link).startswith(SITE + "/accounts/")


@override_settings(SITE_URL=SITE)
def test_a_draft_review_notice_names_the_campaign_in_french():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, "content_submitted")
    User.objects.filter(pk=creator.user_id).update(preferred_language="fr")
    mail.outbox.clear()
    draft_review(tenant=brand, draft_id=app.drafts.get().pk, approve=False, comment="Le col, svp.")
    text, html = _parts(mail.outbox[-1])
    assert "Linen summer" in html and "Voir la relecture" in html
    assert all(link.startswith(SITE + "/") for link in _links(text) + _links(html))
    # the brand's request itself is in the e-mail, so the creator can act on it from there
    for part in (text, html):
        assert "La marque demande des modifications de votre brouillon" in part and "Le col, svp." in part


def test_an_approved_draft_notice_says_it_is_approved():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, "content_submitted")
    mail.outbox.clear()
    draft_review(tenant=brand, draft_id=app.drafts.get().pk, approve=True)
    text, html = _parts(mail.outbox[-1])
    assert "The brand approved your draft." in text and "The brand approved your draft." in html
    assert "asks for changes" not in text
