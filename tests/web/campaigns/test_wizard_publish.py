"""Publishing from the wizard's preview: a refusal keeps the brand on the preview, each problem with its field
and a link to the step that changes it, nothing published; that step then shows the problem beside the
field."""

from __future__ import annotations

from datetime import date

import pytest

from microreach.web.campaigns.models import ActivityEvent, Campaign
from microreach.web.campaigns.services.campaign import campaign_create
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

PAST = {
    "applications_close_on": date(2025, 1, 10),
    "publication_start": date(2025, 2, 1),
    "publication_end": date(2025, 3, 1),
}


def _draft(tenant, **overrides):
    return campaign_create(tenant=tenant, changes=h.campaign_changes(**overrides))


def _history(campaign):
    return list(ActivityEvent.objects.filter(campaign=campaign).values_list("event", flat=True))


def test_a_refused_publish_stays_on_the_preview_with_each_problem_by_its_field(client_for):
    # given a draft whose dates passed after its preview was opened
    user, tenant = h.brand()
    campaign = _draft(tenant)
    Campaign.objects.filter(pk=campaign.pk).update(draft_step="preview", **PAST)
    history = _history(campaign)
    # when the brand presses "Publish" on the preview
    response = client_for(user).post(f"/campaigns/{campaign.pk}/steps/preview/", {})
    # then they stay on the preview, told why, each problem on its field with the step that changes it
    assert response.status_code == 400
    assert next(t.name for t in response.templates) == "campaigns/brief.html"
    assert [(p.field, p.code, p.step, p.label) for p in response.context["publish_problems"]] == [
        ("applications_close_on", "date_in_past", "deliverables", "Applications close on"),
        ("publication_end", "date_in_past", "deliverables", "Publication window end"),
    ]
    html = response.content.decode()
    assert "Not published. Change these first:" in html
    assert (
        "<strong>Applications close on</strong>: Applications close on Jan 10, 2025, a day that has passed: "
        "creators could not apply."
    ) in html
    assert (
        html.count(f'href="/campaigns/{campaign.pk}/steps/deliverables/">Change it in “Deliverables”</a>')
        == 2
    )
    assert 'id="brief"' in html  # still the preview
    # and nothing was published
    campaign.refresh_from_db()
    assert (campaign.state, campaign.published_at) == ("draft", None)
    assert _history(campaign) == history


def test_the_step_linked_from_the_preview_shows_each_problem_beside_its_field(client_for):
    # given a draft back from a refused preview
    user, tenant = h.brand()
    campaign = _draft(tenant)
    Campaign.objects.filter(pk=campaign.pk).update(draft_step="preview", **PAST)
    # when the brand follows the link to the dates step
    page = client_for(user).get(f"/campaigns/{campaign.pk}/steps/deliverables/")
    # then each problem is beside the field that changes it, the stored values in the fields
    assert page.status_code == 200
    assert page.context["form"].errors == {
        "applications_close_on": [
            "Applications close on Jan 10, 2025, a day that has passed: creators could not apply."
        ],
        "publication_end": ["The publication window ends on Mar 1, 2025, a day that has passed."],
    }
    html = page.content.decode()
    assert 'value="2025-01-10"' in html
    assert (
        '<small class="error">The publication window ends on Mar 1, 2025, a day that has passed.</small>'
        in html
    )


def test_a_step_opened_before_the_preview_shows_no_publishing_problem(client_for):
    # given a fresh draft, not yet previewed, with no deliverables said
    user, tenant = h.brand()
    campaign = _draft(tenant, deliverables=[])
    Campaign.objects.filter(pk=campaign.pk).update(draft_step="deliverables")
    # when the brand opens the deliverables step
    page = client_for(user).get(f"/campaigns/{campaign.pk}/steps/deliverables/")
    # then nothing is reproached before they had a chance to fill it
    assert page.status_code == 200 and page.context["form"].errors == {}


def test_publishing_from_the_preview_opens_the_campaign_and_goes_to_its_page(client_for):
    user, tenant = h.brand()
    campaign = _draft(tenant, budget="5000")
    response = client_for(user).post(f"/campaigns/{campaign.pk}/steps/preview/", {})
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    campaign.refresh_from_db()
    assert campaign.state == "open" and campaign.published_at is not None


def test_fees_over_the_budget_unconfirmed_stay_on_the_preview_and_confirmed_publish(client_for):
    # given a draft whose planned fees (150 × 2) exceed its budget of 200
    user, tenant = h.brand()
    campaign = _draft(tenant, budget="200")
    brand = client_for(user)
    # when the brand publishes without ticking the confirmation
    refused = brand.post(f"/campaigns/{campaign.pk}/steps/preview/", {})
    # then the preview says so, with the confirmation to tick, and nothing is published
    assert refused.status_code == 409
    assert [(p.code, p.step) for p in refused.context["publish_problems"]] == [("over_budget", "")]
    assert 'id="confirm-over-budget"' in refused.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).state == "draft"
    # when they confirm
    brand.post(f"/campaigns/{campaign.pk}/steps/preview/", {"confirm_over_budget": "1"})
    assert Campaign.objects.get(pk=campaign.pk).state == "open"


ALL_PROBLEMS = [
    ("deliverables", "no_deliverables", "deliverables", "Deliverables"),
    ("jurisdictions", "no_jurisdictions", "deliverables", "Disclosure rules of"),
    ("applications_close_on", "date_in_past", "deliverables", "Applications close on"),
    ("publication_end", "date_in_past", "deliverables", "Publication window end"),
]


def _draft_refused_for_everything(tenant):
    campaign = _draft(tenant)
    Campaign.objects.filter(pk=campaign.pk).update(deliverables=[], jurisdictions=[], **PAST)
    return Campaign.objects.get(pk=campaign.pk)


def test_the_preview_names_every_refusal_at_once_and_offers_no_publish_button(client_for):
    # given a draft with no deliverables, no jurisdictions and dates that passed
    user, tenant = h.brand()
    campaign = _draft_refused_for_everything(tenant)
    # when the brand opens its preview
    page = client_for(user).get(f"/campaigns/{campaign.pk}/steps/preview/")
    # then every problem is named at once, each with the step that changes it
    assert page.status_code == 200
    assert [(p.field, p.code, p.step, p.label) for p in page.context["publish_problems"]] == ALL_PROBLEMS
    html = page.content.decode()
    assert "This campaign cannot be published yet:" in html
    assert html.count('class="publish-problem"') == 4
    assert "<strong>Deliverables</strong>: Say what creators deliver before publishing." in html
    # and "Publish" is not offered: the page says why instead
    assert 'id="publish"' not in html
    assert '<p id="publish-blocked">Publishing is possible once each problem above is changed.</p>' in html


def test_the_dates_step_shows_every_refusal_beside_its_field_after_the_preview(client_for):
    user, tenant = h.brand()
    campaign = _draft_refused_for_everything(tenant)
    brand = client_for(user)
    brand.get(f"/campaigns/{campaign.pk}/steps/preview/")
    page = brand.get(f"/campaigns/{campaign.pk}/steps/deliverables/")
    errors = page.context["form"].errors
    assert sorted(errors) == ["applications_close_on", "jurisdictions", "network_0", "publication_end"]
    assert errors["network_0"] == ["Say what creators deliver before publishing."]
    assert errors["jurisdictions"] == ["Choose the jurisdictions whose disclosure rules apply."]


def test_publishing_is_refused_naming_every_problem_and_nothing_changes(client_for):
    # given the same draft, its preview opened before the problems were known
    user, tenant = h.brand()
    campaign = _draft_refused_for_everything(tenant)
    history = _history(campaign)
    # when "Publish" is sent anyway (an old tab)
    response = client_for(user).post(f"/campaigns/{campaign.pk}/steps/preview/", {"confirm_over_budget": "1"})
    # then every refusal is named in one answer, and the draft is unchanged
    assert response.status_code == 400
    assert [(p.field, p.code, p.step, p.label) for p in response.context["publish_problems"]] == ALL_PROBLEMS
    assert 'id="publish"' not in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).state == "draft" and _history(campaign) == history


def test_the_api_refusal_names_every_problem_with_the_first_ones_code(client_for):
    user, tenant = h.brand()
    campaign = _draft_refused_for_everything(tenant)
    response = client_for(user).post(
        f"/api/campaigns/{campaign.pk}/transition",
        {"to": "open", "confirm_over_budget": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("no_deliverables", "deliverables")
    assert [(p["field"], p["code"]) for p in error["details"]["problems"]] == [
        (field, code) for field, code, _step, _label in ALL_PROBLEMS
    ]


def test_fees_over_the_budget_alone_keep_the_publish_button_with_its_confirmation(client_for):
    user, tenant = h.brand()
    campaign = _draft(tenant, budget="200")
    html = client_for(user).get(f"/campaigns/{campaign.pk}/steps/preview/").content.decode()
    assert 'id="publish-problems"' not in html
    assert 'id="publish"' in html and 'id="confirm-over-budget"' in html
