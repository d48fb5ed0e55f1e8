"""Worker side of the campaigns context: one periodic pass (reminders, auto-approval, no-shows, removed
posts, expired addresses) recorded as a job, so a killed worker's pass is run again by the sweep."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from microreach.web.campaigns import shipping, verification
from microreach.web.campaigns.services import application as application_service
from microreach.web.campaigns.services import deliverable as deliverable_service
from microreach.web.campaigns.services import shipment_watch
from microreach.web.campaigns.services import worker as worker_service
from microreach.web.jobs.contracts import Job, job_enqueue


def handle_worker_pass(job: Job) -> dict:
    return worker_service.campaigns_worker_pass(now=timezone.now())


def handle_shipping_pass(job: Job) -> dict:
    return shipment_watch.shipments_watch(now=timezone.now(), provider=shipping.tracking_provider())


def handle_figures(job: Job) -> dict:
    return {
        "applications": application_service.application_figures_refresh_accounts(
            account_ids=job.payload["account_ids"]
        )
    }


class VerificationDeferred(Exception):
    """A source of the post failed in a way that may pass later (rate limited, unreachable): the checks
    are stored as they are and the job runs again after the jobs' back-off."""


def handle_draft_poster(job: Job) -> dict:
    return deliverable_service.draft_poster_make(draft_id=int(job.payload["draft_id"]))


def handle_post_verify(job: Job) -> dict:
    result = verification.campaign_post_verify(campaign_post_id=int(job.payload["campaign_post_id"]))
    if result.get("retry") and job.attempts < job.max_attempts:
        raise VerificationDeferred(
            f"campaign post {job.payload['campaign_post_id']}: a source will be asked again"
        )
    return result


@db_periodic_task(crontab(minute="*/5"))
def campaigns_periodic() -> None:
    # One job per five-minute slot: every consumer may fire, the job key lets one pass run.
    slot = timezone.now().strftime("%Y-%m-%dT%H:%M")
    job_enqueue(kind="campaigns.worker_pass", key=f"campaigns.worker_pass:{slot}")


@db_periodic_task(crontab(minute="7,37"))
def shipping_periodic() -> None:
    # Parcels: tracking statuses and late reminders, twice an hour (one job per slot, as above).
    slot = timezone.now().strftime("%Y-%m-%dT%H:%M")
    job_enqueue(kind="campaigns.shipping_pass", key=f"campaigns.shipping_pass:{slot}")
