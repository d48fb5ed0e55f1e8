"""Date fields in French (issue 16 item 3): an ``<input type=date>`` reads only ISO values, so the one-page
campaign form (still the edit page), the wizard's dates step and a draft's planned date render
yyyy-mm-dd whatever the language — French's 05/12/2026 would show an empty field."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import translation

from microreach.web.campaigns.forms import DraftForm
from microreach.web.campaigns.models import Campaign
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _date_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="date" name="(\w+)" value="([^"]*)"', html))


def test_the_edit_form_keeps_iso_dates_in_french(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    page = client_for(user).get(f"/campaigns/{campaign.pk}/edit/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="fr"' in html
    assert _date_values(html) == {
        "applications_close_on": campaign.applications_close_on.isoformat(),
        "publication_start": campaign.publication_start.isoformat(),
        "publication_end": campaign.publication_end.isoformat(),
    }


def test_the_wizards_dates_step_keeps_iso_dates_in_french(client_for):
    brand = client_for(factories.member())
    brand.post("/campaigns/new/steps/", {"title": "Lin", "what_to_say": "Le lin respire.", "tone": "warm"})
    campaign = Campaign.objects.get()
    page = brand.get(f"/campaigns/{campaign.pk}/steps/deliverables/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert page.status_code == 200 and 'lang="fr"' in html
    values = _date_values(html)
    assert values["applications_close_on"] == campaign.applications_close_on.isoformat()
    assert values["publication_start"] == campaign.publication_start.isoformat()
    assert values["publication_end"] == campaign.publication_end.isoformat()


def test_a_drafts_planned_date_is_iso_in_french():
    form = DraftForm(initial={"planned_for": date(2026, 12, 5)}, deliverables=["instagram reel 1"])
    with translation.override("fr"):
        html = str(form["planned_for"])
    assert 'value="2026-12-05"' in html
