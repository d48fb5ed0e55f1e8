"""What the inbox adds to the navigation (its item with the number of things waiting) and the home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.formatting import number
from microreach.web.home import Figure, NavItem, Section
from microreach.web.inbox import selectors


def nav(tenant: Tenant) -> list[NavItem]:
    if not (tenant.is_brand_side or tenant.is_creator):
        return []
    total = selectors.inbox_total(tenant=tenant, now=timezone.now())
    return [NavItem(_("Inbox"), reverse("inbox:index"), order=5, badge=total)]


def sections(tenant: Tenant) -> list[Section]:
    if not (tenant.is_brand_side or tenant.is_creator):
        return []
    counts = selectors.inbox_counts(tenant=tenant, now=timezone.now())
    url = reverse("inbox:index")
    waiting = [(kind, n) for kind, n in counts.items() if n]
    return [
        Section(
            title=_("To do today"),
            figures=tuple(
                Figure(selectors.counted(kind, n), number(n), url=f"{url}#{kind}") for kind, n in waiting
            ),
            text="" if waiting else _("Nothing waits for you."),
            links=((_("Open my inbox"), url),),
            order=1,
        )
    ]
