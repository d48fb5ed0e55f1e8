"""A campaign's dates are judged together (``campaign_dates``): every problem at once, on its field, in the
wizard and by the service; a ship-by date in the past or before applications close is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import Campaign
from microreach.web.campaigns.services.campaign import campaign_update
from tests import factories
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_wizard import _basics, _deliverables

pytestmark = pytest.mark.django_db


def test_the_dates_step_shows_every_problem_at_once_and_saves_nothing(client_for):
    # given a draft in the wizard
    brand = client_for(factories.member())
    _basics(brand)
    campaign = Campaign.objects.get()
    before = (campaign.applications_close_on, campaign.publication_start, campaign.ship_by)
    today = timezone.localdate()
    # when the brand sends impossible dates and a day count out of bounds, all in one submit
    response = brand.post(
        f"/campaigns/{campaign.pk}/steps/deliverables/",
        _deliverables(
            applications_close_on=(today + timedelta(days=25)).isoformat(),
            publication_start=(today + timedelta(days=20)).isoformat(),
            publication_end=(today + timedelta(days=15)).isoformat(),
            ship_by="2025-01-01",
            review_days="0",
        ),
    )
    # then every problem is on its field in the same answer
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert sorted(errors) == ["applications_close_on", "publication_end", "review_days", "ship_by"]
    assert errors["applications_close_on"] == [
        "Applications must close before the publication window starts."
    ]
    assert errors["publication_end"] == ["The publication window ends before it starts."]
    close = (today + timedelta(days=25)).strftime("%b %-d, %Y")
    assert errors["ship_by"] == [
        "The ship-by date (Jan 1, 2025) is in the past.",
        f"The ship-by date (Jan 1, 2025) is before applications close ({close}): "
        "the creators to ship to are not chosen yet.",
    ]
    # and nothing was saved
    campaign.refresh_from_db()
    assert (campaign.applications_close_on, campaign.publication_start, campaign.ship_by) == before


def test_the_service_refuses_a_past_ship_by_date_naming_every_problem():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    with pytest.raises(InvalidInput) as refused:
        campaign_update(
            tenant=tenant,
            campaign_id=campaign.pk,
            changes=h.campaign_changes(ship_by=date(2025, 1, 1), publication_end=h.TODAY),
        )
    assert refused.value.code == "inverted_dates"
    assert [(p["field"], p["code"]) for p in refused.value.details["problems"]] == [
        ("publication_end", "inverted_dates"),
        ("ship_by", "date_in_past"),
        ("ship_by", "inverted_dates"),
    ]
    campaign.refresh_from_db()
    assert campaign.ship_by is None


def test_a_ship_by_date_between_applications_closing_and_today_is_kept():
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    ship_by = campaign.applications_close_on + timedelta(days=3)
    updated = campaign_update(
        tenant=tenant, campaign_id=campaign.pk, changes=h.campaign_changes(ship_by=ship_by)
    )
    assert updated.ship_by == ship_by


def test_a_stored_ship_by_date_that_has_passed_does_not_block_other_edits():
    # given an open campaign whose ship-by date, once valid, has passed
    _user, tenant = h.brand()
    campaign = h.open_campaign(
        tenant,
        applications_close_on=h.TODAY - timedelta(days=10),
        publication_start=h.TODAY + timedelta(days=5),
    )
    Campaign.objects.filter(pk=campaign.pk).update(ship_by=h.TODAY - timedelta(days=2))
    # when the brand edits the title, the form sending the same dates
    updated = campaign_update(
        tenant=tenant,
        campaign_id=campaign.pk,
        changes=h.campaign_changes(
            title="Linen summer (2)",
            applications_close_on=h.TODAY - timedelta(days=10),
            publication_start=h.TODAY + timedelta(days=5),
            ship_by=h.TODAY - timedelta(days=2),
        ),
    )
    # then the edit is saved
    assert updated.title == "Linen summer (2)"
