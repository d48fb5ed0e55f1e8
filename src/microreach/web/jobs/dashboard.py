"""What the jobs context shows operators on their home page."""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext as _

from microreach.web.home import Figure, Section
from microreach.web.jobs.models import Job
from microreach.web.jobs.selectors import job_state_counts


class Viewer(Protocol):
    """What this section reads of the tenant (``accounts.contracts.Tenant`` fits): the jobs context
    imports nothing of accounts, which uses its e-mail functions."""

    @property
    def is_operator(self) -> bool: ...


def sections(tenant: Viewer) -> list[Section]:
    if not tenant.is_operator:
        return []
    counts = job_state_counts()
    return [
        Section(
            title=_("Background jobs"),
            figures=tuple(
                Figure(label, counts.get(state, 0), url=f"/admin/jobs/job/?state__exact={state}")
                for state, label in Job.State.choices
            ),
            order=40,
        )
    ]
