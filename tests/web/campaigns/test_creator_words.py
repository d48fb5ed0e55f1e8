"""The creator's pages in words: topics, deliverables and disclosure rules named (never codes), an
application's state agreeing with the application, colons inside the translated words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from microreach.web.campaigns import choices
from microreach.web.campaigns.eligibility import campaign_rules
from microreach.web.campaigns.forms import DraftForm
from microreach.web.campaigns.services.application import application_withdraw
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

TEMPLATES = Path(h.__file__).parents[3] / "src/microreach/web/campaigns/templates/campaigns"


def test_the_campaign_s_topics_are_named_in_the_reader_s_language(client_for):
    # given a campaign for parenting and food, and a creator whose profile has neither topic
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, topics=["parenting", "food"])
    user, _tenant, _account = h.audited_creator(handle="lea.lin")
    # when a French reader reads who may apply, and why they cannot
    with translation.override("fr"):
        rules = "; ".join(campaign_rules(campaign))
    page = (
        client_for(user).get(f"/campaigns/{campaign.pk}/brief/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    # then the topics are named in French, never as the codes "parenting, food"
    assert "parentalité, cuisine" in rules and "parenting" not in rules
    why_not = page[page.index('id="why-not"') :]
    assert "parentalité, cuisine</li>" in why_not and "parenting" not in page


def test_a_deliverable_is_said_in_words_on_the_brief_the_draft_form_and_the_drafts():
    # given a campaign asking for two Instagram reels
    assert choices.deliverable_unit_text("instagram reel 2") == "Instagram Reel 2"
    assert choices.deliverable_unit_text("a name of another shape") == "a name of another shape"
    form = DraftForm(deliverables=["instagram reel 1", "tiktok video 1"])
    assert form.fields["deliverable"].choices == [
        ("instagram reel 1", "Instagram Reel 1"),
        ("tiktok video 1", "TikTok Video 1"),
    ]


def test_the_brief_names_its_disclosure_rules_and_its_state_agrees_with_the_application():
    # given a creator who applied to a campaign under the French and EU rules
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, jurisdictions=["FR", "EU"])
    creator, app = h.apply(campaign)
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    # when they read the brief
    brief = client.get(f"/campaigns/{campaign.pk}/brief/").content.decode()
    # then the rules are named, never "FR, EU"
    assert (
        "<strong>Disclosure rules:</strong> French influencer law, EU unfair commercial practices directive"
        in brief
    )
    # and the application's state is the application's own label
    application_withdraw(tenant=creator, application_id=app.pk)
    page = client.get(f"/campaigns/applications/{app.pk}/").content.decode()
    assert 'State: <strong id="application-state">Withdrawn</strong>' in page


def test_the_state_agrees_with_the_application_in_french(monkeypatch):
    # given French words for a state and the "State:" label where they qualify an application
    catalog = translation.trans_real.translation("fr")._catalog._catalogs[0]
    monkeypatch.setitem(catalog, "application state\x04Withdrawn", "Retirée")
    monkeypatch.setitem(catalog, "application\x04State:", "Candidature :")
    # and a creator who withdrew their application
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    application_withdraw(tenant=creator, application_id=app.pk)
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    # when they open it in French
    page = client.get(f"/campaigns/applications/{app.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then its state agrees with "candidature", under the application's own words
    assert 'Candidature : <strong id="application-state">Retirée</strong>' in page
    assert choices.application_state_text("unknown") == "unknown"


@pytest.mark.parametrize(
    "name", ["brief.html", "_brief.html", "application.html", "_post_checks.html", "_shipment.html"]
)
def test_no_colon_is_glued_after_a_translated_word(name):
    # French writes " :" — the colon must be inside the translated string
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    if name == "brief.html":  # the wizard's preview banner at its top is the brand's, worded with the wizard
        text = text[text.index("{% if not preview %}") :]
    assert re.findall(r'{% (?:translate "[^"]*"|endblocktranslate) %}(?:</strong>)?:', text) == []
    assert re.findall(r"}}(?:</strong>)?: ", text) == []
