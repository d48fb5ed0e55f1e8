"""The inbox digest e-mail: once per period, only when something waits, never when off or opted out, in the
recipient's language; the periodic task enqueues one job per day."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from microreach.web.accounts.models import User
from microreach.web.inbox import digests, tasks
from microreach.web.jobs.models import Job, OutboundEmail
from microreach.web.jobs.services import email_opt_out
from tests import factories
from tests.web.inbox import world

pytestmark = pytest.mark.django_db


def _on(weekday: int, hour: int = 9) -> datetime:
    """The next day of the week ``weekday`` (0: Monday) from today, at ``hour``."""
    now = timezone.localtime()
    day = now + timedelta(days=(weekday - now.weekday()) % 7)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _digests() -> list[tuple[str, str]]:
    return sorted(OutboundEmail.objects.filter(key__startswith="digest:").values_list("key", "state"))


def test_a_brand_user_gets_one_daily_digest_per_day_listing_what_waits():
    # given a brand user (daily by default) with six things waiting, and a brand with nothing waiting
    w = world.build()
    factories.member()
    tuesday = _on(1)
    # when the digests of the day are sent twice (a job run again after a crash)
    first = digests.digests_send(now=tuesday)
    digests.digests_send(now=tuesday)
    # then the brand user got one e-mail for the day, the empty brand none
    key = f"digest:{w.brand.user_id}:{tuesday.date().isoformat()}"
    assert _digests() == [(key, "pending")]
    assert first["queued"] == 1 and first["empty"] >= 1
    email = OutboundEmail.objects.get(key=key)
    assert email.subject == "microreach: 6 things wait for you"
    assert "Applications to review: 2" in email.body
    assert "@applied.one" in email.body
    assert f"{settings.SITE_URL.rstrip('/')}/campaigns/applications/{w.to_review[0]}/" in email.body
    assert f"{settings.SITE_URL.rstrip('/')}/inbox/" in email.body


def test_creators_get_a_weekly_digest_on_mondays_only():
    # given a creator (weekly by default) with five tasks
    w = world.build()
    # when the digests of a Wednesday, then of a Monday, are sent
    digests.digests_send(now=_on(2))
    assert [k for k, _s in _digests() if k.startswith(f"digest:{w.creator.user_id}:")] == []
    monday = _on(0)
    digests.digests_send(now=monday)
    # then the creator got one digest, named after the ISO week
    year, week, _d = monday.date().isocalendar()
    assert (f"digest:{w.creator.user_id}:{year}-W{week:02d}", "pending") in _digests()


def test_no_digest_when_the_user_turned_it_off():
    w = world.build()
    User.objects.filter(pk=w.brand.user_id).update(digest="off")
    digests.digests_send(now=_on(1))
    assert [k for k, _s in _digests() if k.startswith(f"digest:{w.brand.user_id}:")] == []


def test_an_address_that_opted_out_gets_no_digest():
    # given a brand user who clicked the opt-out link of an earlier e-mail
    w = world.build()
    email_opt_out(address=User.objects.get(pk=w.brand.user_id).email)
    # when the digests are sent
    digests.digests_send(now=_on(1))
    # then the digest is recorded as suppressed, never sent
    assert [s for k, s in _digests() if k.startswith(f"digest:{w.brand.user_id}:")] == ["suppressed"]


def test_the_digest_speaks_the_recipient_language():
    w = world.build()
    User.objects.filter(pk=w.brand.user_id).update(preferred_language="fr")
    digests.digests_send(now=_on(1))
    email = OutboundEmail.objects.get(key__startswith=f"digest:{w.brand.user_id}:")
    assert email.subject == "microreach : 6 choses vous attendent"
    assert "Candidatures à examiner : 2" in email.body


def test_the_periodic_task_enqueues_one_digest_job_per_day_after_the_digest_hour():
    early = _on(1, hour=digests.DIGEST_HOUR - 1)
    later = _on(1, hour=digests.DIGEST_HOUR + 2)
    assert tasks.digest_schedule(now=early) is False
    assert tasks.digest_schedule(now=later) is True
    assert tasks.digest_schedule(now=later + timedelta(hours=1)) is False
    assert list(Job.objects.filter(kind="inbox.digest").values_list("key", flat=True)) == [
        f"inbox.digest:{later.date().isoformat()}"
    ]


def test_the_settings_page_changes_the_digest(brand_admin, client_for):
    # given a brand admin who never chose (daily by default)
    client = client_for(brand_admin)
    page = client.get(reverse("accounts:settings"))
    assert page.context["digest_form"]["digest"].value() == "daily"
    # when they choose weekly
    response = client.post(reverse("accounts:settings"), {"digest": "weekly"})
    # then it is stored
    assert response.status_code == 302
    brand_admin.refresh_from_db()
    assert brand_admin.digest == "weekly"


def test_the_settings_page_refuses_an_unknown_frequency(brand_admin, client_for):
    response = client_for(brand_admin).post(reverse("accounts:settings"), {"digest": "hourly"})
    assert response.status_code == 200
    brand_admin.refresh_from_db()
    assert brand_admin.digest == ""
