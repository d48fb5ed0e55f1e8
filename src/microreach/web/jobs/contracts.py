"""What the jobs context offers other contexts: durable background jobs and e-mails sent once.

- ``job_enqueue(kind=, payload=, key=)`` records a job and hands it to the queue on commit; ``key`` makes
  it idempotent. A kind must be listed in ``microreach.web.wiring.JOB_HANDLERS`` (kind -> the dotted path
  of a plain function in the owning app's ``tasks.py``); enqueueing an unknown kind raises ``LookupError``.
- A handler receives the ``Job`` row and returns a small JSON-able dict (or None). **Typing of handlers:**
  ``Job`` below is the jobs model itself, re-exported *for type hints and for reading* (``job.payload``,
  ``job.key``, ``job.attempts``, ``job.max_attempts``, ``job.progress_*``, ``job.message``, ``job.state``,
  ``JobState``). Other contexts never query or write ``Job`` rows themselves: they call the functions
  here. ``jobs_active`` and ``job_by_key`` return the rows as they do today, read-only for callers.
- ``job_heartbeat(job=, done=, total=, message=)`` extends a long job's lease and records its progress;
  ``periodic_claim(name=, slot=)`` lets one consumer run a periodic task for one slot.
- ``email_queue(key=, to=, subject=, body=, html_body=, brand=)`` sends an e-mail once per trigger key
  (opt-outs honoured), as text and HTML; ``email_render(template=, context=, brand=)`` renders an app's
  ``<app>/email/<name>.txt`` / ``.html`` pair (extending ``jobs/email/base.*``) in the active language into
  an ``EmailContent``; ``email_send(key=, to=, subject=, template=, context=, action=, brand=, essential=)``
  does both; ``in_language(language)`` writes them in the recipient's language (else the site's);
  ``EmailBrand(name=, logo_url=)`` is who the e-mail speaks for; ``site_link(path)``
  is the absolute link from the site setting (never a request's host or port);
  ``email_opt_out``, ``email_unsubscribe_address`` and ``email_unsubscribe_url`` serve the opt-out link.

The jobs context imports nothing from any other app (accounts uses its e-mail functions).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from microreach.web.jobs.emails import EmailBrand, EmailContent, email_render, in_language, site_link
from microreach.web.jobs.models import EmailOptOut, Job, OutboundEmail

JobState = Job.State

__all__ = [
    "EmailBrand",
    "EmailContent",
    "EmailOptOut",
    "Job",
    "JobState",
    "OutboundEmail",
    "email_opt_out",
    "email_queue",
    "email_render",
    "email_send",
    "email_unsubscribe_address",
    "email_unsubscribe_url",
    "in_language",
    "job_active_exists",
    "job_by_key",
    "job_counts_by_kind_and_state",
    "job_enqueue",
    "job_heartbeat",
    "job_run_seconds_since",
    "jobs_active",
    "jobs_pending_by_kind",
    "known_kinds",
    "periodic_claim",
    "site_link",
]


def job_enqueue(
    *, kind: str, payload: dict[str, object] | None = None, key: str | None = None, max_attempts: int = 5
) -> Job:
    """Record a job and hand it to the queue once the surrounding transaction commits.

    ``key`` makes the call idempotent: a second enqueue with the same key returns the first job.
    """
    from microreach.web.jobs import services

    return services.job_enqueue(kind=kind, payload=payload, key=key, max_attempts=max_attempts)


def job_heartbeat(
    *, job: Job, done: int | None = None, total: int | None = None, message: str | None = None
) -> None:
    """Extend the lease of a long job and record its progress."""
    from microreach.web.jobs import services

    services.job_heartbeat(job=job, done=done, total=total, message=message)


def periodic_claim(*, name: str, slot: str) -> bool:
    """True for the one consumer that claims this slot of a periodic task; False for every other."""
    from microreach.web.jobs import services

    return services.periodic_claim(name=name, slot=slot)


def jobs_active(*, kinds: Collection[str], limit: int = 50) -> list[Job]:
    """Jobs of ``kinds`` waiting or running (not done, not failed for good), oldest first."""
    from microreach.web.jobs import selectors

    return selectors.jobs_active(kinds=kinds, limit=limit)


def job_by_key(*, key: str) -> Job | None:
    from microreach.web.jobs import selectors

    return selectors.job_by_key(key=key)


def job_active_exists(*, kind: str, key_prefix: str) -> bool:
    """Whether a job of ``kind`` whose key starts with ``key_prefix`` is waiting or running."""
    from microreach.web.jobs import selectors

    return selectors.job_active_exists(kind=kind, key_prefix=key_prefix)


def job_counts_by_kind_and_state() -> list[tuple[str, str, int]]:
    """How many jobs of each kind are in each state (for the metrics of web/ops)."""
    from microreach.web.jobs import selectors

    return selectors.job_counts_by_kind_and_state()


def job_run_seconds_since(*, since: datetime, limit: int) -> list[tuple[str, float]]:
    """Kind and run time of the jobs done since ``since``, newest first (for the metrics of web/ops)."""
    from microreach.web.jobs import selectors

    return selectors.job_run_seconds_since(since=since, limit=limit)


def jobs_pending_by_kind() -> dict[str, int]:
    """How many jobs of each kind wait for a worker."""
    from microreach.web.jobs import selectors

    return selectors.jobs_pending_by_kind()


def known_kinds() -> list[str]:
    """Every job kind a handler is listed for (``wiring.JOB_HANDLERS``), sorted."""
    from microreach.web.jobs import registry

    return registry.known_kinds()


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

    ``body`` is the text part and ``html_body`` the HTML part (from ``email_render``); without it the
    HTML part is the text laid out for ``brand``. An address that opted out gets only ``essential``
    e-mails (those the person asked for); the others are recorded as suppressed. Both parts end with an
    opt-out link.
    """
    from microreach.web.jobs import services

    return services.email_queue(
        key=key, to=to, subject=subject, body=body, essential=essential, html_body=html_body, brand=brand
    )


def email_send(
    *,
    key: str,
    to: str,
    subject: str,
    template: str,
    context: Mapping[str, object],
    action: tuple[str, str] | None = None,
    brand: EmailBrand | None = None,
    essential: bool = False,
) -> OutboundEmail:
    """Render the e-mail ``template`` (``email_render``; its context also gets ``subject``, and ``action``,
    a (url, label) pair, makes its button) and queue it once per ``key`` (``email_queue``). Call it inside
    ``in_language(<recipient's language>)``, where the subject is written too."""
    extra = {"action_url": action[0], "action_label": action[1]} if action else {}
    content = email_render(template=template, context={**context, **extra, "subject": subject}, brand=brand)
    return email_queue(
        key=key,
        to=to,
        subject=subject,
        body=content.text,
        html_body=content.html,
        brand=brand,
        essential=essential,
    )


def email_recipient_erase(*, address: str) -> int:
    """The person at ``address`` deleted their account: e-mails to them not sent yet are cancelled (never
    sent, even by a sender that claimed one before), and every e-mail row to them loses its address,
    subject and content. Call it inside the deletion's transaction. Returns how many rows were erased."""
    from microreach.web.jobs import services

    return int(services.email_recipient_erase(address=address))


def email_opt_out(*, address: str) -> EmailOptOut:
    """Record that ``address`` wants no more e-mails. Idempotent."""
    from microreach.web.jobs import services

    return services.email_opt_out(address=address)


def email_unsubscribe_address(*, token: str) -> str | None:
    """The address an opt-out link was made for, or None for a forged or damaged link."""
    from microreach.web.jobs import services

    return services.email_unsubscribe_address(token=token)


def email_unsubscribe_url(*, address: str) -> str:
    """The signed opt-out link of ``address``."""
    from microreach.web.jobs import services

    return services.email_unsubscribe_url(address=address)
