"""The e-mail digest of the inbox: once per period (a day, or an ISO week sent on Mondays), only to people
with something waiting, in their language, never to an address that opted out (``jobs.contracts.email_queue``
records it as suppressed).

Once per period: the periodic task claims the day (``periodic_claim``) and enqueues one durable job
(``inbox.digest``, listed in ``web/wiring.py``); each e-mail is claimed by its key
``digest:<user id>:<period>`` (``2026-12-07`` for a daily digest, ``2026-W50`` for a weekly one), so a job
run twice (a worker killed mid-way, the sweep) sends nobody a second digest for the same period.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from microreach.web.accounts.contracts import (
    DigestFrequency,
    DigestRecipient,
    digest_recipients,
    tenant_for_user,
)
from microreach.web.inbox.selectors import inbox_get
from microreach.web.jobs.contracts import email_queue, in_language

# Digests leave from this hour of the site's time zone (the first worker pass after it).
DIGEST_HOUR = 7
# Lines listed per section in an e-mail (the count says how many in all).
DIGEST_LINES = 10


def digest_periods(*, today: date) -> dict[str, str]:
    """The periods whose digests are due ``today``: frequency -> the period's name in the e-mail's key."""
    periods = {str(DigestFrequency.DAILY): today.isoformat()}
    if today.weekday() == 0:  # Monday
        year, week, _day = today.isocalendar()
        periods[str(DigestFrequency.WEEKLY)] = f"{year}-W{week:02d}"
    return periods


def digest_key(*, user_id: int, period: str) -> str:
    return f"digest:{user_id}:{period}"


def digest_send(*, recipient: DigestRecipient, period: str, now: datetime) -> bool:
    """Queue the recipient's digest for ``period`` unless nothing waits for them; True when queued (or
    already queued for this period)."""
    tenant = tenant_for_user(user_id=recipient.user_id)
    with in_language(recipient.language):
        inbox = inbox_get(tenant=tenant, now=now, limit=DIGEST_LINES)
        if inbox.total == 0:
            return False
        site = settings.SITE_URL.rstrip("/")
        subject = ngettext(
            "microreach: one thing waits for you", "microreach: %(count)s things wait for you", inbox.total
        ) % {"count": inbox.total}
        body = render_to_string(
            "inbox/email/digest.txt",
            {
                "inbox": inbox,
                "site": site,
                "inbox_url": site + reverse("inbox:index"),
                "settings_url": site + reverse("accounts:settings") + "#digest",
                "weekly": recipient.frequency == DigestFrequency.WEEKLY,
            },
        )
    email_queue(
        key=digest_key(user_id=recipient.user_id, period=period),
        to=recipient.email,
        subject=subject,
        body=body,
    )
    return True


def digests_send(*, now: datetime) -> dict[str, int]:
    """Send the digests due on ``now``'s day to everyone whose chosen (or default) frequency is due."""
    periods = digest_periods(today=timezone.localdate(now))
    recipients = digest_recipients(frequencies=list(periods))
    queued = 0
    for recipient in recipients:
        queued += int(digest_send(recipient=recipient, period=periods[recipient.frequency], now=now))
    return {"recipients": len(recipients), "queued": queued, "empty": len(recipients) - queued}
