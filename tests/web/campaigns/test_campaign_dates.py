"""A campaign's dates are judged together (``campaign_dates``): every problem at once, on its field, in the
wizard and by the service; a ship-by date in the past or before applications close is refused."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from microreach.web.campaigns import selectors
from microreach.web.campaigns.campaign_dates import date_problems
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import ActivityEvent, Campaign
from microreach.web.campaigns.services.campaign import campaign_create, campaign_publish, campaign_update
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
    # given an open campaign whose closing day and ship-by date, once valid, have passed
    _user, tenant = h.brand()
    campaign = h.open_campaign(
        tenant,
        applications_close_on=h.TODAY + timedelta(days=1),
        publication_start=h.TODAY + timedelta(days=5),
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        applications_close_on=h.TODAY - timedelta(days=10), ship_by=h.TODAY - timedelta(days=2)
    )
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


# --- publishing judges every date against today ---------------------------------------------------------

# The dates a brand typed (10/01/2025, 01/02–01/03/2025, ship by 01/06/2027): all past but the ship-by date,
# which comes after the publication window starts.
PAST_DATES = {
    "applications_close_on": date(2025, 1, 10),
    "publication_start": date(2025, 2, 1),
    "publication_end": date(2025, 3, 1),
    "ship_by": date(2027, 6, 1),
}
PAST_DATE_PROBLEMS = [
    ("applications_close_on", "date_in_past"),
    ("publication_end", "date_in_past"),
    ("ship_by", "inverted_dates"),
]


def _draft_with_past_dates(tenant):
    """A draft saved while its dates were valid, whose dates are now those of the report (as a draft that
    waited, or one saved before the rule)."""
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes())
    Campaign.objects.filter(pk=campaign.pk).update(**PAST_DATES)
    return campaign


def test_publishing_refuses_a_campaign_whose_applications_closed_naming_each_date():
    # given a draft whose applications closed and whose window ended, shipping after it starts
    _user, tenant = h.brand()
    campaign = _draft_with_past_dates(tenant)
    events = list(ActivityEvent.objects.filter(campaign=campaign).values_list("event", flat=True))
    # when the brand publishes it
    with pytest.raises(InvalidInput) as refused:
        campaign_publish(tenant=tenant, campaign_id=campaign.pk, confirm_over_budget=True)
    # then it is refused, every problem on its field
    assert refused.value.code == "date_in_past"
    assert refused.value.details["field"] == "applications_close_on"
    assert [(p["field"], p["code"]) for p in refused.value.details["problems"]] == PAST_DATE_PROBLEMS
    assert refused.value.message == (
        "Applications close on Jan 10, 2025, a day that has passed: creators could not apply. "
        "The publication window ends on Mar 1, 2025, a day that has passed. "
        "The ship-by date (Jun 1, 2027) is after the publication window starts (Feb 1, 2025): "
        "the products must arrive before the creators publish."
    )
    # and nothing changed: still a draft, no event
    campaign.refresh_from_db()
    assert campaign.state == "draft"
    assert list(ActivityEvent.objects.filter(campaign=campaign).values_list("event", flat=True)) == events


def test_the_api_refuses_to_publish_a_campaign_whose_applications_closed(client_for):
    # given a draft whose dates have passed
    user, tenant = h.brand()
    campaign = _draft_with_past_dates(tenant)
    # when the brand publishes it through the API
    response = client_for(user).post(
        f"/api/campaigns/{campaign.pk}/transition",
        json.dumps({"to": "open", "confirm_over_budget": True}),
        content_type="application/json",
    )
    # then the error names each date
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("date_in_past", "applications_close_on")
    assert [(p["field"], p["code"]) for p in error["details"]["problems"]] == PAST_DATE_PROBLEMS
    campaign.refresh_from_db()
    assert campaign.state == "draft"


def test_publishing_on_the_day_applications_close_is_allowed():
    # given a draft whose applications close today, shipped the day the window starts
    _user, tenant = h.brand()
    campaign = campaign_create(
        tenant=tenant,
        changes=h.campaign_changes(
            applications_close_on=timezone.localdate(),
            ship_by=timezone.localdate() + timedelta(days=20),
            publication_start=timezone.localdate() + timedelta(days=20),
        ),
    )
    # when it is published, then it opens
    opened = campaign_publish(tenant=tenant, campaign_id=campaign.pk, confirm_over_budget=True)
    assert opened.state == "open"


def test_the_dates_step_refuses_past_dates_and_a_ship_by_date_after_the_window_starts(client_for):
    # given a draft in the wizard
    brand = client_for(factories.member())
    _basics(brand)
    campaign = Campaign.objects.get()
    before = {f: getattr(campaign, f) for f in PAST_DATES}
    # when the brand types the dates of the report
    response = brand.post(
        f"/campaigns/{campaign.pk}/steps/deliverables/",
        _deliverables(**{f: d.isoformat() for f, d in PAST_DATES.items()}),
    )
    # then the dates step shows each problem on its field
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors == {
        "applications_close_on": [
            "Applications close on Jan 10, 2025, a day that has passed: creators could not apply."
        ],
        "publication_end": ["The publication window ends on Mar 1, 2025, a day that has passed."],
        "ship_by": [
            "The ship-by date (Jun 1, 2027) is after the publication window starts (Feb 1, 2025): "
            "the products must arrive before the creators publish."
        ],
    }
    # and nothing was saved
    campaign.refresh_from_db()
    assert {f: getattr(campaign, f) for f in PAST_DATES} == before


def test_the_preview_warns_that_the_dates_cannot_be_published(client_for):
    # given a draft whose dates have passed
    user, tenant = h.brand()
    campaign = _draft_with_past_dates(tenant)
    # when the brand opens the preview
    page = client_for(user).get(f"/campaigns/{campaign.pk}/steps/preview/")
    # then it says why publishing will be refused, and links to the dates step
    assert [(p.field, p.code) for p in page.context["publish_problems"]] == PAST_DATE_PROBLEMS
    html = page.content.decode()
    assert 'id="publish-problems"' in html
    assert "Applications close on Jan 10, 2025, a day that has passed: creators could not apply." in html
    assert f'href="/campaigns/{campaign.pk}/steps/deliverables/"' in html


def test_the_preview_of_a_publishable_draft_has_no_warning(client_for):
    user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes())
    page = client_for(user).get(f"/campaigns/{campaign.pk}/steps/preview/")
    assert page.context["publish_problems"] == []
    assert 'id="publish-problems"' not in page.content.decode()


def test_the_marketplace_does_not_list_an_open_campaign_whose_applications_closed(client_for):
    # given two open campaigns, one whose closing day passed without its brand closing it
    _user, tenant = h.brand()
    current = h.open_campaign(tenant, title="Current")
    stale = h.open_campaign(tenant, title="Stale")
    Campaign.objects.filter(pk=stale.pk).update(
        applications_close_on=timezone.localdate() - timedelta(days=1)
    )
    creator_user, creator, _account = h.audited_creator()
    # when the creator looks at the open campaigns (selector, page, API)
    feed = [i.campaign.pk for i in selectors.creator_feed(tenant=creator)]
    page = client_for(creator_user).get("/campaigns/")
    api = client_for(creator_user).get("/api/campaigns/feed").json()
    # then only the current one is listed
    assert feed == [current.pk]
    assert [i.campaign.pk for i in page.context["feed"]] == [current.pk]
    assert [f["campaign"]["id"] for f in api] == [current.pk]


def test_the_import_still_judges_past_dates_for_their_order_only():
    # given the dates of a campaign run last year, in order
    dates = {**PAST_DATES, "ship_by": date(2025, 1, 20)}
    # when they are judged as dates of record, then nothing is refused
    assert date_problems(**dates, today=None) == []
    # and a ship-by date after the window starts is refused there too (an order rule)
    assert [(p.field, p.code) for p in date_problems(**PAST_DATES, today=None)] == [
        ("ship_by", "inverted_dates")
    ]
