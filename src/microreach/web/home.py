"""The public landing page and the role dashboards that every context contributes sections to.

A context's ``dashboard.py`` offers providers ``(tenant) -> list[Section]`` and ``(tenant) -> list[NavItem]``;
``microreach.web.wiring`` lists them (``DASHBOARD_SECTIONS``, ``NAV_ITEMS``). The home page of each
signed-in user shows the sections their role can see, so it grows as capabilities land.

This module imports no app (apps import its value types): the tenant is passed through untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject

from microreach.web.events import resolve, wired


@dataclass(frozen=True)
class Figure:
    label: str
    value: object
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    figures: tuple[Figure, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (label, url)
    rows: tuple[tuple[str, ...], ...] = ()
    headers: tuple[str, ...] = ()
    text: str = ""
    order: int = 50
    # the page each row opens (its first cell links there; "" for none): a campaign's row opens the campaign
    row_urls: tuple[str, ...] = ()

    @property
    def labelled_rows(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        """Each row's cells as ``(its column's header, cell)``: the home's section tables are
        ``table.responsive``, one card per row on a phone, each cell labelled by its column (data-label)."""
        return tuple(
            tuple((self.headers[i] if i < len(self.headers) else "", cell) for i, cell in enumerate(row))
            for row in self.rows
        )

    @property
    def linked_rows(self) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
        """``labelled_rows`` with the page each row opens: ``(url or "", cells)``."""
        urls = self.row_urls
        return tuple((urls[i] if i < len(urls) else "", row) for i, row in enumerate(self.labelled_rows))


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50
    # a number shown beside the label (things waiting); 0: none shown
    badge: int = 0


def dashboard_sections(*, tenant: object) -> list[Section]:
    """The sections ``tenant`` (an ``accounts.contracts.Tenant``) sees on their home page, by ``order``."""
    sections = [section for provider in wired("DASHBOARD_SECTIONS") for section in resolve(provider)(tenant)]
    return sorted(sections, key=lambda s: s.order)


def nav_items(*, tenant: object) -> list[NavItem]:
    """The navigation entries ``tenant`` (an ``accounts.contracts.Tenant``) sees, by ``order``."""
    items = [item for provider in wired("NAV_ITEMS") for item in resolve(provider)(tenant)]
    return sorted(items, key=lambda i: i.order)


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "landing.html")


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: the navigation entries the user's role can see."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or not request.user.is_authenticated:
        return {"nav_items": [], "nav_waiting": 0}
    # Lazy: read only by a page that shows the navigation (base.html), not by every partial htmx asks for —
    # some items count things in the database (the inbox's badge).
    items = SimpleLazyObject(lambda: nav_items(tenant=tenant))
    # The things waiting, all items together, for the folded menu's line (a phone), where no item shows.
    # A callable: the template calls it where it shows it, and only then are the items counted.
    return {"nav_items": items, "nav_waiting": lambda: sum(item.badge for item in items)}
