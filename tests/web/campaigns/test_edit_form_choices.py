"""The one-page campaign form (the edit page) offers networks, tiers, countries, languages and disclosure
rules as choices named in the reader's language, like the wizard (issue 16 item 4); it keeps taking the
comma-separated codes it took before, and a code stored before the choices existed stays chosen."""

from __future__ import annotations

import re

import pytest

from microreach.web.campaigns.forms import CampaignForm
from microreach.web.campaigns.models import Campaign
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _selected(html: str, name: str) -> list[str]:
    """The values chosen in a select or a set of checkboxes named ``name``."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        return re.findall(r'<option value="([^"]*)" selected>', select.group(1))
    return re.findall(rf'<input type="checkbox" name="{name}" value="([^"]*)"[^>]*checked', html)


def _post_data(campaign: Campaign, **changes: object) -> dict[str, object]:
    data = {k: v for k, v in CampaignForm.initial_from(campaign).items() if v is not None}
    data.update(changes)
    return data


def test_the_edit_page_offers_choices_named_in_french_with_the_stored_codes_chosen(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    Campaign.objects.filter(pk=campaign.pk).update(
        networks=["instagram"], countries=["FR", "BE"], languages=["fr"], tiers=["micro"]
    )
    html = client_for(user).get(f"/campaigns/{campaign.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert sorted(_selected(html, "countries")) == ["BE", "FR"]
    assert _selected(html, "languages") == ["fr"]
    assert _selected(html, "networks") == ["instagram"]
    assert _selected(html, "tiers") == ["micro"]
    assert '<option value="fr" selected>Français</option>' in html
    assert '<option value="DE">Allemagne</option>' in html
    assert "(ISO codes)" not in html and "codes ISO" not in html


def test_the_edit_form_saves_chosen_lists_and_still_reads_comma_separated_codes(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    client = client_for(user)
    # chosen as a browser posts a multiple choice
    response = client.post(
        f"/campaigns/{campaign.pk}/edit/",
        _post_data(campaign, countries=["DE", "at"], languages=["de"], networks=["tiktok", "instagram"]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert (campaign.countries, campaign.languages, campaign.networks) == (
        ["DE", "AT"],
        ["de"],
        ["tiktok", "instagram"],
    )
    # and as the form took them before: one comma-separated value
    response = client.post(
        f"/campaigns/{campaign.pk}/edit/", _post_data(campaign, countries="FR, be", languages="fr, en")
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.countries, campaign.languages) == (["FR", "BE"], ["fr", "en"])


def test_a_code_outside_the_lists_is_refused_saying_which_and_nothing_changes(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    before = list(campaign.networks)
    response = client_for(user).post(
        f"/campaigns/{campaign.pk}/edit/", _post_data(campaign, networks=["instagram", "myspace"])
    )
    assert response.status_code == 200
    assert "myspace" in response.content.decode() and "is not one of the choices" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.networks == before


def test_a_language_code_typed_before_the_choices_stays_chosen(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    Campaign.objects.filter(pk=campaign.pk).update(languages=["fr", "zz"])
    html = client_for(user).get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert sorted(_selected(html, "languages")) == ["fr", "zz"]


def _index_topics(*topics: str) -> None:
    """A creator indexed for search with ``topics``: what the topic lists offer."""
    from microreach.web.discovery.services import search_index_refresh

    account = factories.account(topics=list(topics))
    search_index_refresh(account_ids=[account.pk])


def test_topics_are_chosen_from_the_indexed_creators_topics_on_both_forms(client_for):
    _index_topics("food", "travel")
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    Campaign.objects.filter(pk=campaign.pk).update(topics=["food"])
    client = client_for(user)
    edit = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert _selected(edit, "topics") == ["food"]
    assert '<option value="travel">travel</option>' in edit
    # the wizard's step takes its list from the same place
    step = client.get(f"/campaigns/{campaign.pk}/steps/creators/").content.decode()
    assert _selected(step, "topics") == ["food"] and '<option value="travel">travel</option>' in step
    # chosen as a browser posts it, and as the one-page form took it before (comma-separated)
    response = client.post(f"/campaigns/{campaign.pk}/edit/", _post_data(campaign, topics=["travel", "food"]))
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert campaign.topics == ["travel", "food"]
    response = client.post(f"/campaigns/{campaign.pk}/edit/", _post_data(campaign, topics="Food, travel"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.topics == ["food", "travel"]


def test_a_topic_outside_the_index_is_refused_unless_the_brief_already_had_it(client_for):
    _index_topics("food")
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    client = client_for(user)
    # a new topic nobody is indexed under is refused, saying which, and nothing changes
    response = client.post(f"/campaigns/{campaign.pk}/edit/", _post_data(campaign, topics=["knitting"]))
    assert response.status_code == 200 and "knitting" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.topics == []
    # a topic the brief held before the lists existed stays shown, chosen and kept on save
    Campaign.objects.filter(pk=campaign.pk).update(topics=["food", "knitting"])
    campaign.refresh_from_db()
    html = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert sorted(_selected(html, "topics")) == ["food", "knitting"]
    response = client.post(f"/campaigns/{campaign.pk}/edit/", _post_data(campaign, title="Lin, été"))
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert campaign.topics == ["food", "knitting"] and campaign.title == "Lin, été"


def test_the_edit_form_takes_the_fake_follower_rule_in_percent(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, max_fake_share=0.2)
    client = client_for(user)
    html = client.get(f"/campaigns/{campaign.pk}/edit/").content.decode()
    assert 'name="max_fake_share" value="20"' in html
    response = client.post(f"/campaigns/{campaign.pk}/edit/", _post_data(campaign, max_fake_share="12.5"))
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign.refresh_from_db()
    assert campaign.max_fake_share == pytest.approx(0.125)


def test_the_percent_field_compares_what_was_typed_with_the_stored_fraction():
    field = CampaignForm.base_fields["max_fake_share"]
    assert not field.has_changed(0.2, "20") and not field.has_changed(0.125, "12.5")
    assert field.has_changed(0.2, "0.2") and field.has_changed(None, "5")


def test_topics_are_named_in_the_readers_language_on_both_forms(client_for):
    # given indexed creators in food and in a topic without a name of its own, and a brief kept on food
    _index_topics("food", "urban_gardening")
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    Campaign.objects.filter(pk=campaign.pk).update(topics=["food"])
    client = client_for(user)
    # when a French reader opens the edit page and the wizard's creators step
    edit = client.get(f"/campaigns/{campaign.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    step = client.get(f"/campaigns/{campaign.pk}/steps/creators/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then each topic is named in French (or in words), the codes staying the values
    for html in (edit, step):
        assert '<option value="food" selected>cuisine</option>' in html
        assert '<option value="urban_gardening">urban gardening</option>' in html
