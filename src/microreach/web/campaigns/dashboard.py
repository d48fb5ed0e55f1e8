"""What the campaigns context shows on each role's home page and in the navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns import selectors
from microreach.web.campaigns.machine import C
from microreach.web.discovery.contracts import ShortlistAction
from microreach.web.home import NavItem, Section


def sections(tenant: Tenant) -> list[Section]:
    out: list[Section] = []
    reminders = selectors.reminders_for(tenant=tenant, limit=5) if tenant.user_id else []
    if reminders:
        out.append(
            Section(
                title=_("Reminders"),
                rows=tuple((r.text,) for r in reminders),
                links=((_("Campaigns"), reverse("campaigns:index")),),
                order=5,
            )
        )
    if tenant.is_brand_side:
        campaigns = list(selectors.campaign_list(tenant=tenant, live_first=True)[:5])
        out.append(
            Section(
                title=_("Campaigns"),
                headers=(_("Campaign"), _("State"), _("Applicants"), _("Accepted")),
                rows=tuple(
                    (c.title, c.get_state_display(), str(c.applicants), str(c.accepted)) for c in campaigns
                ),
                row_urls=tuple(reverse("campaigns:detail", args=[c.pk]) for c in campaigns),
                text="" if campaigns else _("No campaign yet."),
                links=(
                    (_("All campaigns"), reverse("campaigns:index")),
                    (_("New campaign"), reverse("campaigns:create")),
                ),
                order=15,
            )
        )
    return out


def shortlist_actions(*, tenant: Tenant, shortlist_id: int) -> list[ShortlistAction]:
    """On a shortlist's page: invite its creators to one of the brand's open campaigns."""
    if not tenant.is_brand_side:
        return []
    campaigns = selectors.campaign_list(tenant=tenant).filter(state=C.OPEN)
    if not campaigns:
        return []
    return [
        ShortlistAction(
            title=_("Invite these creators to a campaign"),
            url=reverse("campaigns:invite_shortlist"),
            field="campaign",
            field_label=_("Open campaign"),
            choices=tuple((str(c.pk), c.title) for c in campaigns),
            button=_("Invite"),
        )
    ]


def nav(tenant: Tenant) -> list[NavItem]:
    if tenant.is_brand_side:
        return [NavItem(_("Campaigns"), reverse("campaigns:index"), order=20)]
    if tenant.is_creator:
        return [NavItem(_("Campaigns"), reverse("campaigns:index"), order=20)]
    return []
