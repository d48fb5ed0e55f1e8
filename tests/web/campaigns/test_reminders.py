"""Reminders: each trigger once (unique row claimed with its e-mail), none dropped; no-shows; removed posts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from microreach.web.campaigns import selectors
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    Campaign,
    CampaignPost,
    ContentDraft,
    Invitation,
    Reminder,
    Shipment,
)
from microreach.web.campaigns.services.deliverable import draft_review, post_submit
from microreach.web.campaigns.services.worker import (
    campaigns_worker_pass,
    no_shows_record,
    posts_check_removed,
    reminder_send,
)
from microreach.web.creators.models import Post, SocialAccount
from microreach.web.jobs.models import OutboundEmail
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _world(now):
    """One application (or invitation) waiting on each kind of reminder."""
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=20, review_days=2)
    days = timedelta(days=1)

    def at(step: str):
        creator, app = h.apply(campaign)
        return creator, h.advance(brand, creator, app, step) if step != "applied" else app

    _c, accepted = at("accepted")
    Application.objects.filter(pk=accepted.pk).update(accepted_at=now - 3 * days)
    _c, shipped = at("shipped")
    Shipment.objects.filter(application=shipped).update(shipped_at=now - 8 * days)
    at("received")
    _c, changes = at("content_submitted")
    draft = ContentDraft.objects.get(application=changes)
    draft_review(tenant=brand, draft_id=draft.pk, approve=False, comment="Closer shot")
    ContentDraft.objects.filter(pk=draft.pk).update(reviewed_at=now - 4 * days)
    _c, waiting = at("content_submitted")
    ContentDraft.objects.filter(application=waiting).update(submitted_at=now - 3 * days)
    at("approved")
    _c, published = at("published")
    CampaignPost.objects.filter(application=published).update(removed_at=now)
    _u, _ct, invited_account = h.audited_creator()
    Invitation.objects.create(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        account=invited_account,
        creator_user_id=_ct.user_id,
    )
    # dates that make every time-based trigger due
    Campaign.objects.filter(pk=campaign.pk).update(
        applications_close_on=now.date() + days,
        publication_start=now.date() + 2 * days,
        publication_end=now.date() + 2 * days,
    )
    return campaign


def test_each_reminder_goes_out_once_per_trigger():
    now = timezone.now()
    _world(now)
    due = selectors.reminders_due(now=now)
    assert sorted({t.kind for t in due}) == sorted(
        [
            "address_missing",
            "applications_closing",
            "changes_unanswered",
            "draft_due",
            "not_received",
            "post_removed",
            "publication_window_ending",
            "review_overdue",
        ]
    )
    first = campaigns_worker_pass(now=now)
    second = campaigns_worker_pass(now=now)
    assert first["reminders"] == len(due) == 9
    assert second["reminders"] == 0
    assert Reminder.objects.count() == 9
    assert OutboundEmail.objects.filter(key__startswith="reminder:").count() == 9
    assert ActivityEvent.objects.filter(event__startswith="reminder.").count() == 9


def test_a_claimed_trigger_is_never_sent_twice():
    now = timezone.now()
    _world(now)
    trigger = selectors.reminders_due(now=now)[0]
    assert reminder_send(trigger=trigger) is True
    assert reminder_send(trigger=trigger) is False
    assert OutboundEmail.objects.filter(key=f"reminder:{trigger.key}").count() == 1


def test_creator_who_never_published_is_a_no_show():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    h.advance(brand, creator, app, "received")
    after_window = timezone.now() + timedelta(days=60)
    assert no_shows_record(now=after_window) == 1
    app.refresh_from_db()
    assert app.state == "no_show"
    _page = selectors.applicants_page(tenant=brand, campaign_id=campaign.pk)
    assert ActivityEvent.objects.filter(event="application.no_show", application_id_ref=app.pk).count() == 1


def test_post_missing_from_a_newer_import_counts_as_removed_early():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    now = timezone.now()
    post = factories.post(account=app.account, n=777, url="https://instagram.com/p/C777abc", fetched_at=now)
    h.advance(brand, creator, app, "approved")
    cp = post_submit(tenant=creator, application_id=app.pk, url="https://instagram.com/p/C777abc")
    assert cp.post_id == post.pk
    assert posts_check_removed(now=now) == 0
    # a newer snapshot of the account came in without the post
    SocialAccount.objects.filter(pk=app.account_id).update(fetched_at=now + timedelta(days=3))
    Post.objects.filter(pk=post.pk).update(fetched_at=now + timedelta(days=1))
    assert posts_check_removed(now=now + timedelta(days=3)) == 1
    cp.refresh_from_db()
    assert cp.removed_at is not None


def test_worker_pass_copies_figures_of_an_audit_that_came_after_the_application():
    from microreach.web.audits.models import AuditRecord

    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    _creator, app = h.apply(campaign)
    AuditRecord.objects.all().delete()
    Application.objects.filter(pk=app.pk).update(quality_score=None, audit_at=None, tier="")
    AuditRecord.objects.create(
        account=app.account,
        population_id="p2",
        as_of=timezone.now(),
        status="ok",
        score=66.0,
        tier="micro",
        fake_share=0.02,
        result={},
    )
    assert campaigns_worker_pass(now=timezone.now())["figures_refreshed"] == 1
    app.refresh_from_db()
    assert (app.quality_score, app.fake_share, app.tier) == (66.0, 0.02, "micro")


def test_in_app_reminder_is_listed_then_dismissed_by_its_recipient_only(client_for):
    now = timezone.now()
    _world(now)
    campaigns_worker_pass(now=now)
    reminder = Reminder.objects.filter(kind="review_overdue").get()
    owner = reminder.recipient
    stranger = factories.member()
    assert reminder.text in client_for(owner).get("/campaigns/").content.decode()
    assert client_for(stranger).post(f"/campaigns/reminders/{reminder.pk}/read/").status_code == 404
    assert client_for(owner).post(f"/campaigns/reminders/{reminder.pk}/read/").status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None
