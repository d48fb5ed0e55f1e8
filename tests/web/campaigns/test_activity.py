"""The activity log says each event in words, in the reader's language; unknown events keep their name."""

from __future__ import annotations

import pytest
from django.utils import translation

from microreach.web.campaigns.activity import event_label
from tests.web.campaigns import helpers as h


@pytest.mark.parametrize(
    ("event", "data", "english", "french"),
    [
        ("campaign.created", {}, "Campaign created", "Campagne créée"),
        (
            "application.shipped",
            {"previous": "accepted"},
            "Application: Accepted → Product shipped",
            "Candidature : Acceptée → Produit expédié",
        ),
        ("campaign.open", {}, "Campaign: Open for applications", "Campagne : Ouverte aux candidatures"),
        (
            "application.accepted",
            {"previous": "applied"},
            "Application: Applied → Accepted",
            "Candidature : Envoyée → Acceptée",
        ),
        (
            "reminder.address_missing",
            {"reminder": 3},
            "Reminder sent: address missing",
            "Relance envoyée : adresse manquante",
        ),
        ("something.new", {}, "something.new", "something.new"),
    ],
)
def test_events_are_said_in_words(event, data, english, french):
    with translation.override("en"):
        assert event_label(event, data) == english
    with translation.override("fr"):
        assert event_label(event, data) == french


@pytest.mark.django_db
def test_the_application_page_shows_the_history_in_words(client_for):
    brand_user, brand_tenant = h.brand()
    creator_tenant, app = h.apply(h.open_campaign(brand_tenant))
    h.advance(brand_tenant, creator_tenant, app, "shipped")
    html = client_for(brand_user).get(f"/campaigns/applications/{app.pk}/").content.decode()
    assert 'title="application.shipped"' in html
    assert "Application: Accepted → Product shipped" in html
