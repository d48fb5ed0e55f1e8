"""What the creators context shows on each role's home page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microreach.web import formatting
from microreach.web.accounts.contracts import Tenant
from microreach.web.creators import selectors
from microreach.web.engine_text import term
from microreach.web.home import Figure, NavItem, Section


def sections(tenant: Tenant) -> list[Section]:
    if tenant.is_creator and tenant.user_id is not None:
        accounts = selectors.claimed_accounts(user_id=tenant.user_id)
        rows = tuple(
            (a.get_network_display(), f"@{a.handle}", formatting.number(a.followers)) for a in accounts
        )
        return [
            Section(
                title=_("My profiles"),
                headers=(_("Network"), _("Handle"), _("Followers")),
                rows=rows,
                text="" if rows else _("Claim your social accounts to show your audited figures to brands."),
                links=((_("Manage my profiles"), reverse("creators:mine")),),
                order=10,
            )
        ]
    if tenant.is_brand_side or tenant.is_operator:
        counts = selectors.data_counts()
        figures = (
            Figure(
                ngettext("creator", "creators", counts["creators"]), formatting.number(counts["creators"])
            ),
            Figure(
                ngettext("social account", "social accounts", counts["accounts"]),
                formatting.number(counts["accounts"]),
            ),
            Figure(ngettext("post", "posts", counts["posts"]), formatting.number(counts["posts"])),
        ) + tuple(
            Figure(
                ngettext("%(network)s account", "%(network)s accounts", c) % {"network": term("network", n)},
                formatting.number(c),
            )
            for n, c in selectors.accounts_by_network()
        )
        out = [Section(title=_("Data in microreach"), figures=figures, order=20)]
        if tenant.is_operator:
            batches = selectors.recent_batches()
            out.append(
                Section(
                    title=_("Recent data loads"),
                    headers=(_("Batch"), _("Source"), _("Status"), _("Rows"), _("Errors"), _("Started")),
                    rows=tuple(
                        (
                            str(b.pk),
                            b.get_source_display(),
                            b.get_status_display(),
                            formatting.number(b.rows_total),
                            formatting.number(b.error_count),
                            formatting.moment(b.created_at),
                        )
                        for b in batches
                    ),
                    row_urls=tuple(reverse("creators:import_detail", args=[b.pk]) for b in batches),
                    text="" if batches else _("No data loaded yet."),
                    links=((_("Import files"), reverse("creators:imports")),),
                    order=30,
                )
            )
        return out
    return []


def nav(tenant: Tenant) -> list[NavItem]:
    items = []
    if tenant.is_creator:
        items.append(NavItem(_("My profiles"), reverse("creators:mine"), order=10))
    if tenant.is_operator:
        items.append(NavItem(_("Imports"), reverse("creators:imports"), order=60))
    return items
