"""The campaign wizard: each step saves the draft, keeps every typed value on an error, refuses codes
that are not choices, resumes where the brand left; drafts stay invisible to creators; the summary's
count is the marketplace's own judgement; photos are checked, resized and shown."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from microreach.web.campaigns import matching, selectors
from microreach.web.campaigns.models import Campaign, CampaignPhoto
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _basics(client, **overrides):
    data = {"title": "Linen summer", "what_to_say": "Linen breathes.", "tone": "warm", **overrides}
    return client.post("/campaigns/new/steps/", data)


def _creators(**overrides):
    data = {
        "wizard_step": "creators",
        "networks": ["instagram"],
        "countries": ["FR"],
        "unknown_figures": "audit",
        "creators_wanted": "4",
        "languages": [],
    }
    data.update(overrides)
    return data


def _deliverables(**overrides):
    today = timezone.localdate()
    data = {
        "applications_close_on": (today + timedelta(days=10)).isoformat(),
        "publication_start": (today + timedelta(days=20)).isoformat(),
        "publication_end": (today + timedelta(days=40)).isoformat(),
        "network_0": "instagram",
        "kind_0": "reel",
        "count_0": "1",
        "mandatory_mentions": "@maisonverte",
        "mandatory_hashtags": "#lin",
        "jurisdictions": ["FR"],
        "min_days_online": "30",
        "review_days": "10",
    }
    data.update(overrides)
    return data


def _product(**overrides):
    data = {
        "compensation": "fee",
        "fee": "150",
        "currency": "EUR",
        "budget": "1000",
        "product_0": "Linen shirt",
        "value_0": "59.00",
        "variants_0": "S, M, L",
    }
    data.update(overrides)
    return data


def _png(width=800, height=400, colour=(200, 60, 40)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    out.seek(0)
    out.name = "cover.png"
    return out


@pytest.fixture
def brand(client_for):
    return client_for(factories.member())


def test_the_create_url_sends_people_to_the_wizard(brand):
    response = brand.get("/campaigns/new/")
    assert response.status_code == 302 and response["Location"] == "/campaigns/new/steps/"
    page = brand.get("/campaigns/new/steps/")
    assert page.status_code == 200
    assert b'id="wizard-summary"' in page.content and b'id="match-count"' in page.content


def test_each_step_saves_the_draft_and_the_last_one_publishes(brand):
    response = _basics(brand)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/steps/creators/"
    assert (campaign.state, campaign.draft_step, campaign.title) == ("draft", "creators", "Linen summer")
    # sensible defaults: dates, 5 creators, the organisation's disclosure rules
    assert campaign.applications_close_on > timezone.localdate() and campaign.creators_wanted == 5
    base = f"/campaigns/{campaign.pk}/steps/"
    assert brand.post(base + "creators/", _creators(languages=["fr", "en"])).status_code == 302
    assert brand.post(base + "deliverables/", _deliverables()).status_code == 302
    assert brand.post(base + "product/", _product()).status_code == 302
    campaign.refresh_from_db()
    assert (
        campaign.networks == ["instagram"] and campaign.countries == ["FR"] and campaign.creators_wanted == 4
    )
    assert campaign.languages == ["fr", "en"]  # ISO 639-1 codes, as stored before the wizard had choices
    assert campaign.deliverables == [{"network": "instagram", "kind": "reel", "count": 1}]
    assert campaign.mandatory_mentions == ["maisonverte"] and campaign.mandatory_hashtags == ["lin"]
    assert str(campaign.fee) == "150.00" and campaign.products[0]["variants"] == ["S", "M", "L"]
    assert campaign.draft_step == "preview"
    preview = brand.get(base + "preview/")
    assert preview.status_code == 200
    assert next(t.name for t in preview.templates) == "campaigns/brief.html"  # the creators' page itself
    text = preview.content.decode()
    assert 'id="brief"' in text and "@maisonverte" in text and 'id="publish"' in text
    assert "€600.00" in text  # 150 × 4 creators wanted, formatted as money
    # only the brief is framed as what creators see: the summary, its fees and Publish are the brand's own
    framed = text[text.index('id="preview-brief"') :]
    assert "this is the brief exactly as creators will see it." in framed and 'id="brief"' in framed
    assert 'id="wizard-summary"' not in framed and 'id="publish"' not in framed and "€600.00" not in framed
    brand.post(f"/campaigns/{campaign.pk}/transition/", {"to": "open"})
    assert Campaign.objects.get().state == "open"


def test_leaving_and_coming_back_resumes_at_the_step(brand):
    _basics(brand)
    campaign = Campaign.objects.get()
    brand.post(f"/campaigns/{campaign.pk}/steps/creators/", _creators())
    response = brand.get(f"/campaigns/{campaign.pk}/steps/")
    assert response["Location"] == f"/campaigns/{campaign.pk}/steps/deliverables/"
    detail = brand.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f'href="/campaigns/{campaign.pk}/steps/"' in detail


def test_a_code_that_is_not_a_choice_is_refused_and_every_value_is_kept(brand):
    _basics(brand)
    campaign = Campaign.objects.get()
    response = brand.post(
        f"/campaigns/{campaign.pk}/steps/creators/",
        _creators(networks=["instagram", "myspace"], countries=["France"], creators_wanted="7"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"networks", "countries"}
    assert "“myspace” is not one of the choices" in " ".join(form.errors["networks"])
    assert "France" in " ".join(form.errors["countries"])
    text = response.content.decode()
    assert 'name="creators_wanted" value="7"' in text  # kept as typed
    campaign.refresh_from_db()
    assert campaign.networks == [] and campaign.creators_wanted == 5  # nothing saved


def test_a_deliverable_type_typed_by_hand_is_refused(brand):
    _basics(brand)
    campaign = Campaign.objects.get()
    response = brand.post(
        f"/campaigns/{campaign.pk}/steps/deliverables/", _deliverables(kind_0="reels", count_0="2")
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["kind_0"]
    assert 'name="count_0" value="2"' in response.content.decode()


def test_the_service_rules_apply_to_the_step_and_keep_the_values(brand):
    """Inverted dates are the campaign service's rule (one home): the step shows it on the field."""
    _basics(brand)
    campaign = Campaign.objects.get()
    today = timezone.localdate()
    response = brand.post(
        f"/campaigns/{campaign.pk}/steps/deliverables/",
        _deliverables(publication_end=(today + timedelta(days=15)).isoformat(), mandatory_hashtags="#keepme"),
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["publication_end"]
    assert "#keepme" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.deliverables == []


def test_a_missing_title_keeps_the_other_fields(brand):
    response = _basics(brand, title="", what_to_say="Keep this text")
    assert response.status_code == 400
    assert "Keep this text" in response.content.decode()
    assert Campaign.objects.count() == 0


def test_a_draft_is_invisible_to_creators_on_the_web_and_the_api(brand, client_for):
    _basics(brand, title="Secret draft")
    campaign = Campaign.objects.get()
    brand.post(f"/campaigns/{campaign.pk}/steps/deliverables/", _deliverables())
    user, _tenant, _account = h.audited_creator()
    creator = client_for(user)
    assert "Secret draft" not in creator.get("/campaigns/").content.decode()
    assert creator.get(f"/campaigns/{campaign.pk}/brief/").status_code == 404
    assert all(i["campaign"]["id"] != campaign.pk for i in creator.get("/api/campaigns/feed").json())
    assert creator.get(f"/api/campaigns/{campaign.pk}").status_code == 404
    assert creator.get(f"/campaigns/{campaign.pk}/steps/basics/").status_code == 404


def test_the_match_count_equals_the_marketplace_eligible_list():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, countries=["FR"], tiers=["micro"], min_quality_score=60)
    creators = [
        h.audited_creator(score=80, country="FR"),
        h.audited_creator(score=80, country="FR", tier="macro"),
        h.audited_creator(score=40, country="FR"),
        h.audited_creator(score=90, country="BE"),
        h.audited_creator(score=70, country="FR"),
    ]
    factories.account(country="FR")  # not claimed: counted as matching, not as able to apply
    eligible = sum(
        1
        for _u, creator_tenant, _a in creators
        for item in selectors.creator_feed(tenant=creator_tenant)
        if item.campaign.pk == campaign.pk and item.fitting_accounts
    )
    count = matching.match_count(campaign=campaign)
    assert eligible == 2
    assert count.claimed == eligible
    assert count.matching >= count.claimed


def test_the_summary_follows_the_values_being_typed_without_saving(brand):
    h.audited_creator(country="FR")
    h.audited_creator(country="BE")
    _basics(brand)
    campaign = Campaign.objects.get()
    url = f"/campaigns/{campaign.pk}/steps/summary/"
    everyone = brand.post(url, _creators(countries=[]))
    only_fr = brand.post(url, _creators(countries=["FR"]))
    assert everyone.status_code == only_fr.status_code == 200
    assert everyone.context["match"].claimed == 2 and only_fr.context["match"].claimed == 1
    cost = brand.post(url, {"wizard_step": "product", **_product(fee="100")})
    assert "€500.00" in cost.content.decode()  # 100 × the 5 creators wanted by default
    # paid in product only: no fees to pay, said as an amount, never a bare dash
    product_only = brand.post(url, {"wizard_step": "product", **_product(compensation="product", fee="")})
    summary = product_only.content.decode()
    assert '<span class="figure" id="estimated-cost">€0.00</span>' in summary
    assert "No fee set: creators are paid in product." in summary
    campaign.refresh_from_db()
    assert campaign.countries == [] and campaign.fee is None


def test_photos_are_checked_resized_and_shown_to_creators_once_open(brand, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _basics(brand)
    campaign = Campaign.objects.get()
    base = f"/campaigns/{campaign.pk}/steps/"
    brand.post(base + "deliverables/", _deliverables())
    data = _product()
    data["cover"] = _png(3200, 1600)
    assert brand.post(base + "product/", data).status_code == 302
    cover = CampaignPhoto.objects.get(kind="cover")
    assert (cover.width, cover.height) == (1600, 800) and cover.image.name.endswith(".webp")
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "evil.png"
    refused = brand.post(base + "product/", {**_product(), "product_photo": fake})
    assert refused.status_code == 400 and "product_photo" in refused.context["form"].errors
    assert CampaignPhoto.objects.count() == 1
    served = brand.get(f"/campaigns/{campaign.pk}/photos/{cover.pk}/")
    assert served["Content-Type"] == "image/webp" and "sandbox" in served["Content-Security-Policy"]
    user, _tenant, _account = h.audited_creator()
    creator = client_for(user)
    assert creator.get(f"/campaigns/{campaign.pk}/photos/{cover.pk}/").status_code == 404  # a draft's
    brand.post(f"/campaigns/{campaign.pk}/transition/", {"to": "open"})
    assert creator.get(f"/campaigns/{campaign.pk}/photos/{cover.pk}/").status_code == 200
    assert 'id="campaign-cover"' in creator.get(f"/campaigns/{campaign.pk}/brief/").content.decode()
    assert f"/campaigns/{campaign.pk}/photos/{cover.pk}/" in creator.get("/campaigns/").content.decode()


def test_languages_are_chosen_by_name_in_the_readers_language(brand):
    # given a draft at the creators step
    _basics(brand)
    campaign = Campaign.objects.get()
    url = f"/campaigns/{campaign.pk}/steps/creators/"
    # when an English and a French reader open the step
    english = brand.get(url).content.decode()
    french = brand.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the languages are a multiple choice named in each one's language, the common ones first
    assert '<select name="languages" size="6"' in english and "multiple" in english
    assert '<option value="fr">French</option>' in english and '<option value="de">German</option>' in english
    assert (
        '<option value="fr">Français</option>' in french and '<option value="de">Allemand</option>' in french
    )
    assert english.index('value="ar"') < english.index('value="af"')  # Arabic is among the most asked
    assert english.index('value="af"') < english.index('value="sq"')  # Afrikaans, Albanian... by name
    assert "ISO codes" not in english and "Langues" in french
    # and choosing some stores their ISO 639-1 codes
    assert brand.post(url, _creators(languages=["de", "it"])).status_code == 302
    campaign.refresh_from_db()
    assert campaign.languages == ["de", "it"]


def test_a_language_that_is_not_a_choice_is_refused(brand):
    _basics(brand)
    campaign = Campaign.objects.get()
    response = brand.post(f"/campaigns/{campaign.pk}/steps/creators/", _creators(languages=["fr", "french"]))
    assert response.status_code == 400
    assert "“french” is not one of the choices" in " ".join(response.context["form"].errors["languages"])
    campaign.refresh_from_db()
    assert campaign.languages == []  # nothing saved


def test_a_code_typed_before_the_choices_stays_selected_and_is_kept(brand):
    # given a campaign whose languages were typed as free text before the wizard offered choices
    _basics(brand)
    campaign = Campaign.objects.get()
    Campaign.objects.filter(pk=campaign.pk).update(languages=["fr", "klingon"])
    url = f"/campaigns/{campaign.pk}/steps/creators/"
    # when the brand opens the step, the old code shows selected, as entered, beside French
    page = brand.get(url).content.decode()
    assert '<option value="klingon" selected>klingon</option>' in page
    assert '<option value="fr" selected>French</option>' in page
    # and saving the step without touching it keeps both, no error
    assert brand.post(url, _creators(languages=["fr", "klingon"])).status_code == 302
    campaign.refresh_from_db()
    assert campaign.languages == ["fr", "klingon"]
    # while a campaign that never had that code cannot be given it
    _basics(brand, title="Wool winter")
    other = Campaign.objects.exclude(pk=campaign.pk).get()
    refused = brand.post(f"/campaigns/{other.pk}/steps/creators/", _creators(languages=["klingon"]))
    assert refused.status_code == 400
    other.refresh_from_db()
    assert other.languages == []


def test_the_brief_writes_its_fee_as_money_and_its_commission_as_a_percentage(client_for):
    # given an open affiliate campaign at 12.5 % commission with a 150 EUR fee
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant, compensation="affiliate", commission_rate="12.5", fee="150")
    user, _tenant, _account = h.audited_creator()
    creator = client_for(user)
    # when a creator reads the brief in English and in French
    english = creator.get(f"/campaigns/{campaign.pk}/brief/").content.decode()
    french = creator.get(f"/campaigns/{campaign.pk}/brief/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then both figures read the reader's way, through web/formatting.py
    assert " · €150.00 · 12.5%</p>" in english and "12.5 %" not in english
    assert (
        " · 150,00\xa0€ · 12,5\xa0%</p>" in french and "EUR" not in french.split("<h1>")[1].split("</p>")[0]
    )


def test_the_fake_follower_rule_is_typed_and_shown_in_percent(brand):
    # given a draft at the creators step
    _basics(brand)
    campaign = Campaign.objects.get()
    # when the brand types 25 (percent, as every page prints the fake share)
    assert (
        brand.post(f"/campaigns/{campaign.pk}/steps/creators/", _creators(max_fake_share="25")).status_code
        == 302
    )
    # then the rule stored is the fraction the marketplace compares with, and the step shows it back as 25
    campaign.refresh_from_db()
    assert campaign.max_fake_share == pytest.approx(0.25)
    page = brand.get(f"/campaigns/{campaign.pk}/steps/creators/").content.decode()
    assert 'name="max_fake_share" value="25"' in page and "Maximum fake-follower share (%)" in page
    # a share over 100 % is refused in the unit typed, and kept as typed
    response = brand.post(f"/campaigns/{campaign.pk}/steps/creators/", _creators(max_fake_share="250"))
    assert response.status_code == 400
    assert "less than or equal to 100" in " ".join(response.context["form"].errors["max_fake_share"])
    assert 'name="max_fake_share" value="250"' in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.max_fake_share == pytest.approx(0.25)
