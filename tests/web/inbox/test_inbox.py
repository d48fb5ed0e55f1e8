"""Each side's inbox: what waits for a decision or an action, scoped to the tenant, linking to where it is done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from microreach.web.accounts.models import Organisation
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.models import Campaign, CampaignState, ContentDraft, Invitation
from microreach.web.campaigns.services.campaign import campaign_transition
from microreach.web.inbox.selectors import inbox_counts, inbox_get
from tests import factories
from tests.web.inbox import world

pytestmark = pytest.mark.django_db


def _urls(inbox, kind):
    return [line.url for section in inbox.sections if section.kind == kind for line in section.lines]


def test_the_brand_inbox_lists_each_kind_of_decision_with_a_link_to_where_it_is_taken():
    # given a brand with one or two things of each kind waiting
    w = world.build()
    now = timezone.now()
    # when the brand reads its inbox
    inbox = inbox_get(tenant=w.brand, now=now)
    # then each section counts and lists them, in the fixed order, each line linking to its page
    assert [(s.kind, s.count) for s in inbox.sections] == [
        ("applications_to_review", 2),
        ("drafts_to_approve", 1),
        ("parcels_to_ship", 1),
        ("posts_overdue", 1),
        ("reports_ready", 1),
    ]
    application = "/campaigns/applications/{}/".format
    assert _urls(inbox, "applications_to_review") == [application(pk) for pk in w.to_review]
    draft_app = ContentDraft.objects.get(pk=w.draft_to_approve).application_id
    assert _urls(inbox, "drafts_to_approve") == [application(draft_app)]
    assert _urls(inbox, "parcels_to_ship") == [application(w.to_ship)]
    assert _urls(inbox, "posts_overdue") == [application(w.overdue)]
    assert _urls(inbox, "reports_ready") == [f"/reports/campaigns/{w.report}/"]
    overdue = next(s for s in inbox.sections if s.kind == "posts_overdue").lines[0]
    assert overdue.late is True
    assert inbox.total == 6
    assert inbox_counts(tenant=w.brand, now=now) == {s.kind: s.count for s in inbox.sections}


def test_the_creator_inbox_lists_their_own_tasks_and_nothing_of_other_creators():
    # given a creator with one task of each kind, and other creators applying to the same brand
    w = world.build()
    now = timezone.now()
    # when the creator reads their inbox
    inbox = inbox_get(tenant=w.creator, now=now)
    # then each section holds exactly their task
    assert [(s.kind, s.count) for s in inbox.sections] == [
        ("invitations", 1),
        ("briefs_to_answer", 1),
        ("addresses_to_give", 1),
        ("drafts_to_fix", 1),
        ("posts_to_publish", 1),
    ]
    application = "/campaigns/applications/{}/".format
    invited = Invitation.objects.get(pk=w.invitation).campaign_id
    assert _urls(inbox, "invitations") == [f"/campaigns/{invited}/brief/"]
    assert _urls(inbox, "briefs_to_answer") == [application(w.brief_to_answer)]
    assert _urls(inbox, "addresses_to_give") == [application(w.address_to_give)]
    fix_app = ContentDraft.objects.get(pk=w.draft_to_fix).application_id
    assert _urls(inbox, "drafts_to_fix") == [application(fix_app)]
    assert _urls(inbox, "posts_to_publish") == [application(w.post_to_publish)]
    assert {line.who for s in inbox.sections for line in s.lines} == {"@lea.lin"}


def test_another_brand_sees_none_of_these_items():
    # given a brand with things waiting, and another brand with none
    w = world.build()
    other = tenant_for(factories.member())
    # when the other brand reads its inbox
    inbox = inbox_get(tenant=other, now=timezone.now())
    # then every section is empty, and its page lists none of the first brand's campaigns
    assert [(s.kind, s.count, s.lines) for s in inbox.sections] == [
        ("applications_to_review", 0, ()),
        ("drafts_to_approve", 0, ()),
        ("parcels_to_ship", 0, ()),
        ("posts_overdue", 0, ()),
        ("reports_ready", 0, ()),
    ]
    assert w.campaign.title == "Linen summer"


def test_the_inbox_page_shows_the_brand_its_lists_and_another_brand_nothing_of_them(client_for):
    # given a brand with things waiting
    w = world.build()
    brand_user = factories.User.objects.get(pk=w.brand.user_id)
    other_user = factories.member()
    # when each brand opens /inbox/
    mine = client_for(brand_user).get(reverse("inbox:index"))
    theirs = client_for(other_user).get(reverse("inbox:index"))
    # then the brand's page lists the applicants, the other brand's none of them
    assert mine.status_code == 200 and theirs.status_code == 200
    assert b"@applied.one" in mine.content and b'id="applications_to_review"' in mine.content
    assert b"@applied.one" not in theirs.content and b"Linen summer" not in theirs.content
    assert b'<span class="badge" data-count="6">6</span>' in mine.content
    assert b'class="badge"' not in theirs.content
    # and an empty inbox says so in words, in French too (never "0 chose vous attend")
    assert "Nothing waits for you." in theirs.content.decode()
    french = client_for(other_user).get(reverse("inbox:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rien ne vous attend." in french and "0 chose" not in french


def test_an_operator_without_a_side_has_no_inbox_items(operator, client_for):
    response = client_for(operator).get(reverse("inbox:index"))
    assert response.status_code == 200
    assert response.context["inbox"].sections == ()


def test_the_inbox_needs_a_signed_in_user(client):
    response = client.get(reverse("inbox:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_agency_sees_its_client_brands_items():
    # given a brand managed by an agency, with things waiting
    w = world.build()
    agency = factories.organisation(kind="agency")
    Organisation.objects.filter(pk=w.brand.organisation_id).update(managed_by=agency)
    agency_tenant = tenant_for(factories.member(org=agency))
    # when the agency's member reads their inbox
    counts = inbox_counts(tenant=agency_tenant, now=timezone.now())
    # then the client brand's things are in it
    assert counts == inbox_counts(tenant=w.brand, now=timezone.now())
    assert sum(counts.values()) == 6


def test_applications_of_a_cancelled_campaign_leave_the_inbox():
    # given a brand with two applications to review in one campaign
    w = world.build()
    before = inbox_counts(tenant=w.brand, now=timezone.now())
    # when the campaign is cancelled
    campaign_transition(tenant=w.brand, campaign_id=w.campaign.pk, to=CampaignState.CANCELLED)
    # then its applications, draft and parcel no longer wait; the rest is unchanged
    after = inbox_counts(tenant=w.brand, now=timezone.now())
    assert before == {
        "applications_to_review": 2,
        "drafts_to_approve": 1,
        "parcels_to_ship": 1,
        "posts_overdue": 1,
        "reports_ready": 1,
    }
    assert after == {
        "applications_to_review": 0,
        "drafts_to_approve": 0,
        "parcels_to_ship": 0,
        "posts_overdue": 1,
        "reports_ready": 1,
    }


def test_a_report_leaves_the_inbox_two_weeks_after_the_campaign_ended():
    w = world.build()
    Campaign.objects.filter(pk=w.report).update(ended_at=timezone.now() - timedelta(days=15))
    assert inbox_counts(tenant=w.brand, now=timezone.now())["reports_ready"] == 0


def test_the_home_page_shows_what_waits_as_figures_linking_to_the_inbox(client_for):
    w = world.build()
    response = client_for(factories.User.objects.get(pk=w.creator.user_id)).get(reverse("accounts:home"))
    section = next(s for s in response.context["sections"] if s.title == "To do today")
    assert [(f.label, f.value, f.url) for f in section.figures] == [
        # one of each: named in the singular ("1 Invitation", never "1 Invitations")
        ("Invitation", "1", "/inbox/#invitations"),
        ("Brief to answer", "1", "/inbox/#briefs_to_answer"),
        ("Address to give", "1", "/inbox/#addresses_to_give"),
        ("Draft to fix", "1", "/inbox/#drafts_to_fix"),
        ("Post to publish", "1", "/inbox/#posts_to_publish"),
    ]
