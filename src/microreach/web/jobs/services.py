"""Writes of the jobs context: enqueue, claim and run jobs; send e-mails exactly once per trigger."""

from __future__ import annotations

import importlib
import logging
import traceback
import uuid
from collections.abc import Callable, Collection
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.events import resolve
from microreach.web.jobs.emails import EmailBrand, html_from_text, html_with_footer
from microreach.web.jobs.models import EmailOptOut, Job, OutboundEmail, PeriodicClaim
from microreach.web.jobs.registry import handler_for

log = logging.getLogger("microreach.jobs")


def _lease() -> timedelta:
    return timedelta(seconds=int(settings.MICROREACH["JOB_LEASE_SECONDS"]))


# The Huey task that runs a recorded job (``tasks.run_job``) calls ``job_run`` below, which schedules it
# again on a retry: named here and looked up when first needed, like the job handlers, so this module does
# not import ``tasks`` (which imports this one).
RUN_JOB_TASK = "microreach.web.jobs.tasks.run_job"


def _dispatch(job_id: int, delay: int | None = None) -> None:
    run_job = resolve(RUN_JOB_TASK)
    if delay:
        run_job.schedule((job_id,), delay=delay)
    else:
        run_job(job_id)


def job_enqueue(
    *, kind: str, payload: dict | None = None, key: str | None = None, max_attempts: int = 5
) -> Job:
    """Record a job and hand it to the queue once the surrounding transaction commits.

    ``key`` makes the call idempotent: a second enqueue with the same key returns the first job.
    """
    handler_for(kind)  # fail fast on an unknown kind
    key = key or f"{kind}:{uuid.uuid4().hex}"
    with transaction.atomic():
        job, created = Job.objects.get_or_create(
            key=key, defaults={"kind": kind, "payload": payload or {}, "max_attempts": max_attempts}
        )
        if created:
            transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def job_claim(*, job_id: int) -> Job | None:
    """Take the lease of a job that is pending, or running with an expired lease (its worker died)."""
    now = timezone.now()
    claimable = Q(state=Job.State.PENDING) | Q(state=Job.State.RUNNING, lease_until__lt=now)
    with transaction.atomic():
        updated = (
            Job.objects.filter(pk=job_id)
            .filter(claimable)
            .update(state=Job.State.RUNNING, lease_until=now + _lease(), started_at=now)
        )
        if not updated:
            return None
        Job.objects.filter(pk=job_id).update(attempts=F("attempts") + 1)
    return Job.objects.get(pk=job_id)


# Whoever drives jobs in its own process (``jobs_drain``: `microreach demo`) sees their progress as it is
# recorded; a worker has none.
ProgressObserver = Callable[[Job, int | None, int | None, str | None], None]
_observer: ContextVar[ProgressObserver | None] = ContextVar("job_progress_observer", default=None)


def job_heartbeat(
    *, job: Job, done: int | None = None, total: int | None = None, message: str | None = None
) -> None:
    """Extend the lease of a long job and record its progress."""
    observer = _observer.get()
    if observer is not None:
        observer(job, done, total, message)
    fields: dict[str, object] = {"lease_until": timezone.now() + _lease()}
    if done is not None:
        fields["progress_done"] = done
    if total is not None:
        fields["progress_total"] = total
    if message is not None:
        fields["message"] = message[:500]
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(**fields)


def job_run(*, job_id: int) -> str:
    """Run one job if it can be claimed. Returns the resulting state (or 'skipped')."""
    job = job_claim(job_id=job_id)
    if job is None:
        return "skipped"
    try:
        result = handler_for(job.kind)(job) or {}
    except Exception as exc:
        log.exception("job %s failed (attempt %s)", job.pk, job.attempts)
        failed = job.attempts >= job.max_attempts
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED if failed else Job.State.PENDING,
            lease_until=None,
            last_error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-4000:]}",
            finished_at=timezone.now() if failed else None,
        )
        if not failed:
            _dispatch(job.pk, delay=min(300, 5 * 2**job.attempts))
        return "failed" if failed else "retry"
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE, lease_until=None, finished_at=timezone.now(), result=result
    )
    return "done"


def jobs_drain(
    *,
    kinds: Collection[str] | None = None,
    on_start: Callable[[Job], None] | None = None,
    on_progress: ProgressObserver | None = None,
    on_end: Callable[[Job, str], None] | None = None,
) -> int:
    """Run in this process, oldest first, every pending job (of ``kinds``, default all) and the jobs they
    enqueue, until none is left: what a worker would do, through the same claim and handlers. A job that
    fails for good stays failed (``on_end`` says so); a retry runs again at once. Returns the jobs run."""
    ran = 0
    token = _observer.set(on_progress)
    try:
        while True:
            pending = Job.objects.filter(state=Job.State.PENDING)
            if kinds is not None:
                pending = pending.filter(kind__in=list(kinds))
            job = pending.order_by("created_at", "pk").first()
            if job is None:
                return ran
            if on_start:
                on_start(job)
            outcome = job_run(job_id=job.pk)
            ran += 1
            if on_end:
                on_end(job, outcome)
    finally:
        _observer.reset(token)


def job_sweep(*, stale_after_seconds: int = 30) -> int:
    """Re-queue jobs a worker lost: pending ones nobody picked up, running ones whose lease expired."""
    now = timezone.now()
    lost = Job.objects.filter(
        Q(state=Job.State.PENDING, created_at__lt=now - timedelta(seconds=stale_after_seconds))
        | Q(state=Job.State.RUNNING, lease_until__lt=now)
    ).values_list("pk", flat=True)
    count = 0
    for job_id in list(lost[:1000]):
        _dispatch(job_id)
        count += 1
    return count


def periodic_claim(*, name: str, slot: str) -> bool:
    """True for the one consumer that claims this slot of a periodic task; False for every other."""
    try:
        with transaction.atomic():
            PeriodicClaim.objects.create(name=name, slot=slot)
    except IntegrityError:
        return False
    return True


UNSUBSCRIBE_SALT = "microreach.jobs.unsubscribe"


def email_unsubscribe_url(*, address: str) -> str:
    """The opt-out link of ``address``: signed, so it works without signing in and only for that address;
    the same link every time (no time in it), so an e-mail's footer and its ``List-Unsubscribe`` header,
    made when it is queued and when it is sent, agree."""
    token = signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(address.strip().lower(), compress=True)
    return settings.SITE_URL + reverse("accounts:unsubscribe", args=[token])


def email_unsubscribe_address(*, token: str) -> str | None:
    """The address an opt-out link was made for, or None for a forged or damaged link (it never expires).
    Links sent before they were timeless carry their signing time (three parts, not two) and still work."""
    try:
        if token.count(":") == 2:
            address = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        else:
            address = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return address if isinstance(address, str) and "@" in address else None


def email_opt_out(*, address: str) -> EmailOptOut:
    """Record that ``address`` wants no more e-mails; the mailer honours it from now on. Idempotent."""
    opt_out, _created = EmailOptOut.objects.get_or_create(address=address.strip().lower())
    return opt_out


def email_opted_out(*, address: str) -> bool:
    return EmailOptOut.objects.filter(address=address.strip().lower()).exists()


def _with_opt_out_footer(body: str, to: str) -> str:
    footer = _(
        "You receive this e-mail from microreach. To receive no more e-mails from microreach (except those "
        "you ask for yourself, such as a password reset), open: %(url)s"
    ) % {"url": email_unsubscribe_url(address=to)}
    return f"{body}\n\n-- \n{footer}"


def _html_with_opt_out_footer(html: str, to: str) -> str:
    footer = render_to_string(
        "jobs/email/footer.html", {"unsubscribe_url": email_unsubscribe_url(address=to)}
    )
    return html_with_footer(html=html, footer=footer)


def email_queue(
    *,
    key: str,
    to: str,
    subject: str,
    body: str,
    essential: bool = False,
    html_body: str = "",
    brand: EmailBrand | None = None,
) -> OutboundEmail:
    """Record an e-mail for its trigger ``key`` and schedule its sending. Idempotent per key.

    ``body`` is the text part, ``html_body`` the HTML part (``emails.email_render`` renders both from an
    app's templates); without ``html_body`` the HTML part is the text in the common layout of ``brand``.
    Both parts end with an opt-out link, rendered in the active language (the recipient's). An address
    that opted out gets only ``essential`` e-mails (those the person asked for: verification, password
    reset); the others are recorded as suppressed.
    """
    suppressed = not essential and email_opted_out(address=to)
    html = html_body or html_from_text(subject=subject, text=body, brand=brand)
    with transaction.atomic():
        email, created = OutboundEmail.objects.get_or_create(
            key=key,
            defaults={
                "to": to,
                "subject": subject[:300],
                "body": _with_opt_out_footer(body, to),
                "html_body": _html_with_opt_out_footer(html, to),
                "essential": essential,
                "state": OutboundEmail.State.SUPPRESSED if suppressed else OutboundEmail.State.PENDING,
            },
        )
        if created and not suppressed:
            job_enqueue(kind="email.send", payload={"email_id": email.pk}, key=f"email:{key}")
    return email


def email_send(*, email_id: int) -> bool:
    """Send a queued e-mail once: claim it (pending, or sending with an expired lease), then deliver it."""
    if not email_claim(email_id=email_id):
        return False
    return email_deliver(email_id=email_id)


def email_claim(*, email_id: int) -> bool:
    """Take the sending lease of a queued e-mail (pending, or sending with an expired lease: its sender
    died); False when another sender holds it or it left the queue (sent, suppressed, cancelled)."""
    now = timezone.now()
    claimable = Q(state=OutboundEmail.State.PENDING) | Q(
        state=OutboundEmail.State.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        claimed = (
            OutboundEmail.objects.filter(pk=email_id)
            .filter(claimable)
            .update(state=OutboundEmail.State.SENDING, lease_until=now + _lease())
        )
    return bool(claimed)


@transaction.atomic
def email_deliver(*, email_id: int) -> bool:
    """Send an e-mail this sender claimed, and mark it sent, under the row's lock: the recipient's account
    deletion (``email_recipient_erase``) takes the same lock, so either the e-mail left before the
    deletion (and the deletion then blanks the sent row), or the deletion came first and the row is no
    longer ``sending`` — nothing is sent, even by a job claimed before it (jobs run at least once). The
    lock is held while the mail server answers (its timeout bounds the wait)."""
    email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None or email.state != OutboundEmail.State.SENDING or not email.to:
        return False
    if not email.essential and email_opted_out(address=email.to):  # opted out after it was queued
        OutboundEmail.objects.filter(pk=email_id).update(state=OutboundEmail.State.SUPPRESSED)
        return False
    unsubscribe = email_unsubscribe_url(address=email.to)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        to=[email.to],
        headers={
            # A stable Message-ID: should a crash ever force a resend, mail systems see the same message.
            "Message-ID": f"<{email.key.replace(' ', '_')}@microreach>",
            # One-click opt-out in mail clients (RFC 8058): a POST to the same link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    message.send(fail_silently=False)
    OutboundEmail.objects.filter(pk=email_id).update(
        state=OutboundEmail.State.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
    )
    return True


# What a row keeps once its recipient is erased: the key (its trigger stays claimed: never queued again),
# its state and dates; no address, subject or content.
_ERASED = {"to": "", "subject": "", "body": "", "html_body": ""}


@transaction.atomic
def email_recipient_erase(*, address: str) -> int:
    """The person at ``address`` deleted their account: every e-mail to them not sent yet is cancelled and
    every e-mail row to them, sent or not, loses its address, subject and content (in the caller's
    transaction: the deletion's). Waits for a sender delivering one of them (``email_deliver``'s lock).
    Returns how many rows were erased. An opt-out of the address stays (it keeps the wish, nothing else)."""
    address = address.strip()
    if not address:
        return 0
    rows = OutboundEmail.objects.select_for_update().filter(to__iexact=address)
    ids = list(rows.values_list("pk", flat=True))
    unsent = (OutboundEmail.State.PENDING, OutboundEmail.State.SENDING)
    OutboundEmail.objects.filter(pk__in=ids, state__in=unsent).update(
        state=OutboundEmail.State.CANCELLED, lease_until=None
    )
    OutboundEmail.objects.filter(pk__in=ids).update(**_ERASED)
    return len(ids)


def load_extra_job_modules() -> None:
    """Import job modules named in configuration (used by the worker-crash test)."""
    for module in settings.MICROREACH.get("EXTRA_JOB_MODULES", []):
        importlib.import_module(module)
