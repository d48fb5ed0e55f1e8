"""What the reporting context adds to the navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.home import NavItem


def nav(tenant: Tenant) -> list[NavItem]:
    if tenant.is_brand_side:
        return [NavItem(_("Reports"), reverse("reporting:index"), order=25)]
    return []
