"""What the connections context adds to a creator's navigation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.home import NavItem


def nav(tenant: Tenant) -> list[NavItem]:
    if tenant.is_creator:
        return [NavItem(_("Connected accounts"), reverse("connections:index"), order=25)]
    return []
