"""The public landing page and the role dashboards that every context contributes sections to.

A context registers a provider (``register_dashboard_section``) in its ``AppConfig.ready``; the home
page of each signed-in user shows the sections their role can see, so it grows as capabilities land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from microreach.web.accounts.tenancy import Tenant


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


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int = 50


SectionProvider = Callable[[Tenant], list[Section]]
NavProvider = Callable[[Tenant], list[NavItem]]
_SECTION_PROVIDERS: list[SectionProvider] = []
_NAV_PROVIDERS: list[NavProvider] = []


def register_dashboard_section(provider: SectionProvider) -> None:
    if provider not in _SECTION_PROVIDERS:
        _SECTION_PROVIDERS.append(provider)


def register_nav_item(provider: NavProvider) -> None:
    if provider not in _NAV_PROVIDERS:
        _NAV_PROVIDERS.append(provider)


def dashboard_sections(*, tenant: Tenant) -> list[Section]:
    sections = [section for provider in _SECTION_PROVIDERS for section in provider(tenant)]
    return sorted(sections, key=lambda s: s.order)


def nav_items(*, tenant: Tenant) -> list[NavItem]:
    items = [item for provider in _NAV_PROVIDERS for item in provider(tenant)]
    return sorted(items, key=lambda i: i.order)


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "landing.html")


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: the navigation entries the user's role can see."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or not request.user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_items(tenant=tenant)}
