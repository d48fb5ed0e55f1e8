"""Issue 16 item 6: the address form keeps and checks what the creator typed; a rejected draft reopens
pre-filled with the brand's comment beside it."""

from __future__ import annotations

import pytest
from django.test import Client

from microreach.web.campaigns.address_checks import phone_e164, postcode_valid
from microreach.web.campaigns.forms import AddressForm
from microreach.web.campaigns.models import ContentDraft, Shipment
from microreach.web.campaigns.services.deliverable import draft_review
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

ADDRESS = {
    "variant": "L",
    "recipient": "Léa Martin",
    "street": "1 rue des Lilas",
    "postcode": "69001",
    "city": "Lyon",
    "country": "FR",
    "phone": "06 12 34 56 78",
}


def _accepted(to: str = "accepted"):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, to)
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    return brand, creator, app, client


def _form(**changes: str) -> AddressForm:
    return AddressForm({**ADDRESS, **changes}, variants=["S", "M", "L"])


def test_a_valid_address_is_stored_with_the_phone_in_e164():
    # given an accepted creator
    _brand, _creator, app, client = _accepted()
    # when they confirm a French address with a national phone number
    response = client.post(f"/campaigns/applications/{app.pk}/address/", ADDRESS)
    # then it is stored, the phone in E.164, and the page redirects
    assert response.status_code == 302
    shipment = Shipment.objects.get(application=app)
    assert (shipment.country, shipment.postcode, shipment.phone, shipment.variant) == (
        "FR",
        "69001",
        "+33612345678",
        "L",
    )


def test_a_country_name_is_refused_and_every_field_is_kept():
    # given an accepted creator
    _brand, _creator, app, client = _accepted()
    # when they type "France" as the country
    response = client.post(f"/campaigns/applications/{app.pk}/address/", {**ADDRESS, "country": "France"})
    # then the page shows the form again, every field as typed, the country's error beside it
    assert response.status_code == 200
    html = response.content.decode()
    assert "“France” is not a country code" in html
    assert 'value="06 12 34 56 78"' in html
    assert 'value="1 rue des Lilas"' in html
    assert '<option value="L" selected>L</option>' in html
    # and nothing is stored
    assert not Shipment.objects.filter(application=app).exists()


def test_a_wrong_postcode_and_phone_are_said_per_field_in_french():
    # given an accepted creator browsing in French
    _brand, _creator, app, client = _accepted()
    # when the postcode and the phone are not French ones
    response = client.post(
        f"/campaigns/applications/{app.pk}/address/",
        {**ADDRESS, "postcode": "6900", "phone": "12"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    # then each field says what is wrong, in French, and the typed values stay
    html = response.content.decode()
    assert "Ce n’est pas un code postal de France (par exemple 75011)." in html
    assert "Ce n’est pas un numéro de téléphone valide pour France" in html
    assert 'value="6900"' in html
    assert not Shipment.objects.filter(application=app).exists()


@pytest.mark.parametrize(
    ("country", "postcode", "valid"),
    [
        ("FR", "75011", True),
        ("FR", "7501", False),
        ("BE", "1000", True),
        ("CH", "1200", True),
        ("LU", "L-1118", True),
        ("DE", "10115", True),
        ("ES", "28001", True),
        ("ES", "99001", False),
        ("IT", "00184", True),
        ("NL", "1012 ab", True),
        ("NL", "1012", False),
        ("PT", "1100-148", True),
        ("GB", "sw1a 1aa", True),
        ("GB", "12345", False),
        ("US", "94105-1234", True),
        ("CA", "K1A 0B1", True),
        ("CA", "12345", False),
        ("JP", "100-0001", True),
        ("JP", "!", False),
    ],
)
def test_postcodes_are_checked_per_country(country: str, postcode: str, valid: bool):
    assert postcode_valid(postcode=postcode, country=country) is valid


def test_phones_are_read_in_the_chosen_country_unless_international():
    assert phone_e164(phone="06 12 34 56 78", country="FR") == "+33612345678"
    assert phone_e164(phone="0032 470 12 34 56", country="FR") == "+32470123456"
    assert phone_e164(phone="020 7946 0958", country="GB") == "+442079460958"
    assert phone_e164(phone="12", country="FR") is None


def test_the_form_normalises_a_lower_case_code_and_the_postcode():
    form = _form(country="gb", postcode="sw1a  1aa", phone="")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["country"], form.cleaned_data["postcode"]) == ("GB", "SW1A 1AA")


def test_a_rejected_draft_reopens_prefilled_with_the_brands_comment():
    # given a submitted draft the brand asks to change
    brand, _creator, app, client = _accepted("content_submitted")
    draft = ContentDraft.objects.get(application=app)
    draft_review(tenant=brand, draft_id=draft.pk, approve=False, comment="Show the collar, please.")
    # when the creator opens the application page
    response = client.get(f"/campaigns/applications/{app.pk}/")
    # then the draft form starts with the previous caption and deliverable, the comment beside it
    form = response.context["draft_form"]
    assert form.initial["caption"] == h.CAPTION_OK
    assert form.initial["deliverable"] == "instagram reel 1"
    html = response.content.decode()
    assert '<blockquote id="review-comment">Show the collar, please.</blockquote>' in html
    assert h.CAPTION_OK in html.split('id="rework"')[0]


def test_a_draft_refused_by_the_service_keeps_what_was_typed():
    # given a creator whose product arrived
    _brand, _creator, app, client = _accepted("received")
    # when the caption is only spaces (the service refuses it)
    response = client.post(
        f"/campaigns/applications/{app.pk}/draft/",
        {"deliverable": "instagram reel 1", "caption": "   ", "link": "https://example.test/v.mp4"},
    )
    # then the page is shown again with the link kept, and no draft exists
    assert response.status_code == 200
    assert 'value="https://example.test/v.mp4"' in response.content.decode()
    assert not ContentDraft.objects.filter(application=app).exists()
