"""Links written by people, on the web side: the form field, the API type and the HTML of a link.

The rule itself (only absolute http(s) URLs) lives in ``microreach.sources.links`` so that import files,
forms, the API and every page agree. A stored value that breaks it (written before the rule) is shown as
plain text, never as an ``href``.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, Field

from microreach.sources.links import is_http_url

LINK_MAX_CHARS = 500  # the URLField columns' max_length


def http_url_problem(value: str) -> str | None:
    """The reader's sentence saying why ``value`` is not accepted as a link, or None when it is."""
    if len(value) > LINK_MAX_CHARS:
        return _("The link is longer than %(limit)d characters.") % {"limit": LINK_MAX_CHARS}
    if not is_http_url(value):
        return _("Only an http:// or https:// link is accepted.")
    return None


def validate_http_url(value: str) -> None:
    """Django validator (forms, models): refuses anything but an absolute http(s) URL."""
    problem = http_url_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_url")


_URL_SHAPE = URLValidator(
    schemes=["http", "https"], message=gettext_lazy("Only an http:// or https:// link is accepted.")
)


def _validate_form_link(value: str) -> None:
    """The form's check of a link: our rule and its sentence, then Django's check of the URL's shape; one
    validator, so that a link failing both says it once."""
    validate_http_url(value)
    _URL_SHAPE(value)


class HttpUrlField(forms.URLField):
    """A form's link: https:// assumed when no scheme is typed, then only http(s) accepted."""

    default_validators = [_validate_form_link]
    default_error_messages = {"invalid": gettext_lazy("Only an http:// or https:// link is accepted.")}

    def __init__(self, *, assume_scheme: str = "https", max_length: int = LINK_MAX_CHARS, **kwargs: Any):
        super().__init__(assume_scheme=assume_scheme, max_length=max_length, **kwargs)


def _api_link(value: str) -> str:
    if value == "":
        return value
    if not is_http_url(value):
        raise ValueError("only an http:// or https:// link is accepted")
    return value


def _api_required_link(value: str) -> str:
    if not is_http_url(value):
        raise ValueError("only an http:// or https:// link is accepted")
    return value


# API schema types: an optional link ("" = none) and a required one.
ApiLink = Annotated[str, Field(max_length=LINK_MAX_CHARS), AfterValidator(_api_link)]
ApiRequiredLink = Annotated[str, Field(max_length=LINK_MAX_CHARS), AfterValidator(_api_required_link)]


def link_html(url: object, label: object = None) -> SafeString:
    """``<a href>`` to ``url`` (opened without the referrer's window), or the value as plain text when it
    is not an http(s) link; ``label`` is the text of the link (``url`` itself by default)."""
    text = url if label in (None, "") else label
    if not is_http_url(url):
        return format_html('<span class="not-a-link">{}</span>', "" if url is None else url)
    return format_html('<a href="{}" rel="noopener noreferrer nofollow ugc">{}</a>', url, text)
