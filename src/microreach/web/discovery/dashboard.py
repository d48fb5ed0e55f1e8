"""What the discovery context shows on the brand side's home page and navigation."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microreach.web import formatting
from microreach.web.accounts.contracts import Tenant
from microreach.web.discovery import index_status, selectors
from microreach.web.home import Figure, NavItem, Section


def sections(tenant: Tenant) -> list[Section]:
    if not tenant.is_brand_side:
        return []
    stats = index_status.search_index_stats()
    all_shortlists = selectors.shortlist_list(tenant=tenant)
    # the five most recently changed are listed; the figure counts them all
    shortlists = list(all_shortlists[:5])
    shortlist_count = all_shortlists.count() if len(shortlists) == 5 else len(shortlists)
    refreshed = stats["refreshed_at"]
    rows = int(str(stats["rows"]))
    return [
        Section(
            title=_("Discovery"),
            figures=(
                Figure(
                    ngettext("searchable creator", "searchable creators", rows),
                    formatting.number(rows),
                    url=reverse("discovery:search"),
                    note=_("index refreshed %(when)s") % {"when": formatting.moment(refreshed)}
                    if isinstance(refreshed, datetime)
                    else "",
                ),
                Figure(
                    ngettext("shortlist", "shortlists", shortlist_count),
                    formatting.number(shortlist_count),
                    url=reverse("discovery:shortlists"),
                ),
            ),
            headers=(_("Shortlist"), _("Creators")) if shortlists else (),
            rows=tuple((s.name, formatting.number(s.entry_count)) for s in shortlists),
            row_urls=tuple(reverse("discovery:shortlist", args=[s.pk]) for s in shortlists),
            links=(
                (_("Search creators"), reverse("discovery:search")),
                (_("Shortlists"), reverse("discovery:shortlists")),
            ),
            order=15,
        )
    ]


def nav(tenant: Tenant) -> list[NavItem]:
    if not tenant.is_brand_side:
        return []
    return [
        NavItem(_("Discover"), reverse("discovery:search"), order=20),
        NavItem(_("Shortlists"), reverse("discovery:shortlists"), order=21),
    ]
