"""Reads of the inbox: what waits for a decision or an action today, for the brand side and for creators.

The inbox owns no rows. Each section is a kind of thing to do, read through the owning context's contract:
campaigns (``todo_counts`` / ``todo_items``, computed from its state machines) and reporting
(``reports_ready``). Brand users see the rows of their organisations (an agency: its clients' too),
creators only their own applications and invitations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns.contracts import TodoItem, todo_counts, todo_items
from microreach.web.reporting.contracts import reports_ready, reports_ready_count

# A completed campaign's report stays in the inbox this long.
REPORTS_READY_DAYS = 14
# Lines shown per section (the section's count says how many there are in all).
LINES_PER_SECTION = 50

BRAND_SECTIONS = (
    "applications_to_review",
    "drafts_to_approve",
    "parcels_to_ship",
    "posts_overdue",
    "reports_ready",
)
CREATOR_SECTIONS = (
    "invitations",
    "briefs_to_answer",
    "addresses_to_give",
    "drafts_to_fix",
    "posts_to_publish",
)

# kind -> what to do on each line
TEXT: dict[str, Promise] = {
    "applications_to_review": _("Review"),
    "drafts_to_approve": _("Review the draft"),
    "parcels_to_ship": _("Ship"),
    "posts_overdue": _("Follow up"),
    "reports_ready": _("Read the report"),
    "invitations": _("Read the brief"),
    "briefs_to_answer": _("Submit your draft"),
    "addresses_to_give": _("Give your address"),
    "drafts_to_fix": _("Fix the draft"),
    "posts_to_publish": _("Give the post link"),
}


# kind -> its name under a count, by how many ("1 draft to approve", "3 drafts to approve"): the home
# page's figures, the inbox's headings and a campaign's "waiting" cards
COUNTED: dict[str, Promise] = {
    "applications_to_review": ngettext_lazy("Application to review", "Applications to review", "n"),
    "drafts_to_approve": ngettext_lazy("Draft to approve", "Drafts to approve", "n"),
    "parcels_to_ship": ngettext_lazy("Parcel to ship", "Parcels to ship", "n"),
    "posts_overdue": ngettext_lazy("Post overdue", "Posts overdue", "n"),
    "reports_ready": ngettext_lazy("Report ready", "Reports ready", "n"),
    "invitations": ngettext_lazy("Invitation", "Invitations", "n"),
    "briefs_to_answer": ngettext_lazy("Brief to answer", "Briefs to answer", "n"),
    "addresses_to_give": ngettext_lazy("Address to give", "Addresses to give", "n"),
    "drafts_to_fix": ngettext_lazy("Draft to fix", "Drafts to fix", "n"),
    "posts_to_publish": ngettext_lazy("Post to publish", "Posts to publish", "n"),
}


def counted(kind: str, count: int) -> str:
    """The name of ``count`` things of ``kind`` waiting, in the reader's language (``COUNTED``)."""
    return str(COUNTED[kind] % {"n": count})


@dataclass(frozen=True)
class InboxLine:
    """One thing to do, with the page where it is done."""

    title: str  # the campaign
    who: str  # "@handle" (the applicant, or the creator's own profile); empty for a report
    network: str
    url: str
    since: datetime | None
    due: date | None
    late: bool


@dataclass(frozen=True)
class InboxSection:
    kind: str
    title: str
    action: str
    count: int
    lines: tuple[InboxLine, ...]

    @property
    def more(self) -> int:
        """Things of this kind not listed (beyond ``LINES_PER_SECTION``)."""
        return max(self.count - len(self.lines), 0)


@dataclass(frozen=True)
class Inbox:
    sections: tuple[InboxSection, ...]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections)


def _reports_since(now: datetime) -> datetime:
    return now - timedelta(days=REPORTS_READY_DAYS)


def inbox_counts(*, tenant: Tenant, now: datetime) -> dict[str, int]:
    """How many things of each kind wait for the tenant (its side's sections, in order); empty for an
    operator or anyone without a side. At most four queries: read on every page for the navigation."""
    counts = todo_counts(tenant=tenant, today=timezone.localdate(now))
    if tenant.is_brand_side:
        counts["reports_ready"] = reports_ready_count(tenant=tenant, since=_reports_since(now))
        return {kind: counts[kind] for kind in BRAND_SECTIONS}
    if tenant.is_creator:
        return {kind: counts[kind] for kind in CREATOR_SECTIONS}
    return {}


def inbox_total(*, tenant: Tenant, now: datetime) -> int:
    """Everything waiting for the tenant: the number on the navigation's Inbox item."""
    return sum(inbox_counts(tenant=tenant, now=now).values())


def _line(item: TodoItem, today: date) -> InboxLine:
    if item.kind == "invitations":
        url = reverse("campaigns:brief", args=[item.campaign_id])
    else:
        url = reverse("campaigns:application", args=[item.application_id])
    return InboxLine(
        title=item.campaign_title,
        who=f"@{item.handle}",
        network=item.network,
        url=url,
        since=item.since,
        due=item.due,
        late=item.due is not None and item.due < today,
    )


def inbox_get(*, tenant: Tenant, now: datetime, limit: int = LINES_PER_SECTION) -> Inbox:
    """The tenant's inbox: one section per kind of its side (empty ones included, in a fixed order)."""
    if not (tenant.is_brand_side or tenant.is_creator):
        return Inbox(sections=())
    today = timezone.localdate(now)
    counts = inbox_counts(tenant=tenant, now=now)
    items = todo_items(tenant=tenant, today=today, limit=limit)
    lines = {kind: tuple(_line(item, today) for item in found) for kind, found in items.items()}
    if tenant.is_brand_side:
        lines["reports_ready"] = tuple(
            InboxLine(
                title=report.title,
                who="",
                network="",
                url=reverse("reporting:report", args=[report.campaign_id]),
                since=report.ended_at,
                due=None,
                late=False,
            )
            for report in reports_ready(tenant=tenant, since=_reports_since(now), limit=limit)
        )
    sections = tuple(
        InboxSection(
            kind=kind,
            title=counted(kind, count),
            action=str(TEXT[kind]),
            count=count,
            lines=lines.get(kind, ()),
        )
        for kind, count in counts.items()
    )
    return Inbox(sections=sections)
