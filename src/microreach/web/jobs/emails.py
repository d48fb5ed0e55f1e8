"""The e-mails' two parts, text and HTML, rendered from templates in the active language.

An app writes each of its e-mails as a pair of templates, ``<app>/email/<name>.txt`` and
``<app>/email/<name>.html``, extending ``jobs/email/base.txt`` / ``jobs/email/base.html`` (the brand's
name and logo at the top, an optional button, the opt-out footer at the foot), and renders them with
``email_render`` inside ``in_language(<recipient's language>)``; ``email_queue`` then stores and sends both
parts (``contracts.email_send`` does the two). Every link in an e-mail is absolute, built from ``settings.SITE_URL`` (never from a
request's host or port): ``site_link(path)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Where ``email_queue`` puts the opt-out footer of the HTML part (``jobs/email/base.html`` has it).
FOOTER_MARK = "<!--microreach:footer-->"
PRODUCT_NAME = "microreach"


@dataclass(frozen=True)
class EmailBrand:
    """Who the e-mail speaks for: a brand's name and, when it has one, its logo as an absolute URL."""

    name: str = PRODUCT_NAME
    logo_url: str = ""

    @property
    def is_product(self) -> bool:
        return self.name == PRODUCT_NAME and not self.logo_url


@dataclass(frozen=True)
class EmailContent:
    """The two parts of an e-mail, rendered; the opt-out footer is added when it is queued."""

    text: str
    html: str


def site_link(path: str) -> str:
    """The absolute link to ``path`` on this site, from the site setting (``MICROREACH_SITE_URL``)."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def in_language(language: str | None) -> translation.override:
    """Write to a person in their language (``language``, their preference), else the site's, whoever's
    request causes the e-mail: ``with in_language(...):`` around the subject and ``email_render``."""
    return translation.override(language or settings.LANGUAGE_CODE)


def email_render(
    *, template: str, context: Mapping[str, object], brand: EmailBrand | None = None
) -> EmailContent:
    """Render ``<template>.txt`` and ``<template>.html`` in the active language.

    The templates also receive ``brand`` (an ``EmailBrand``), ``site_url`` and ``LANGUAGE_CODE``;
    ``action_url`` / ``action_label`` in the context make the HTML part's button.
    """
    values = {
        **context,
        "brand": brand or EmailBrand(),
        "site_url": settings.SITE_URL.rstrip("/"),
        "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
    }
    return EmailContent(
        text=render_to_string(f"{template}.txt", values).strip() + "\n",
        html=render_to_string(f"{template}.html", values),
    )


def html_from_text(*, subject: str, text: str, brand: EmailBrand | None = None) -> str:
    """An HTML part for an e-mail queued with text only: the text's paragraphs, links made clickable, in
    the same layout as the others."""
    return render_to_string(
        "jobs/email/plain.html",
        {
            "subject": subject,
            # urlize escapes the text (autoescape=True); linebreaks only adds <p> and <br>
            "content": mark_safe(linebreaks(urlize(text, autoescape=True))),  # noqa: S308
            "brand": brand or EmailBrand(),
            "LANGUAGE_CODE": get_language() or settings.LANGUAGE_CODE,
        },
    )


def html_with_footer(*, html: str, footer: str) -> str:
    """``html`` with the opt-out ``footer`` at its mark (else before ``</body>``, else at the end)."""
    if FOOTER_MARK in html:
        return html.replace(FOOTER_MARK, footer, 1)
    if "</body>" in html:
        return html.replace("</body>", footer + "</body>", 1)
    return html + footer
