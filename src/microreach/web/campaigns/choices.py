"""What a brief's targeting is chosen from (networks, tiers, countries, languages, disclosure rules), named in
the reader's language; stored as codes. The wizard and the one-page campaign form both take them from here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy
from django_countries import countries

from microreach.config.loader import load_disclosure
from microreach.core.records import Network, PostType
from microreach.web.campaigns import address_checks
from microreach.web.discovery.contracts import TIERS
from microreach.web.discovery.contracts import topic_choices as indexed_topics
from microreach.web.engine_text import TERMS, term, topic_name
from microreach.web.languages import language_choices

CHOOSE = _("Choose from the list: “%(value)s” is not one of the choices.")


def network_choices() -> list[tuple[str, str]]:
    return [(n.value, term("network", n.value)) for n in Network]


POST_TYPE_LABELS = {
    "photo": _("Photo"),
    "carousel": _("Carousel"),
    "reel": _("Reel"),
    "video": _("Video"),
    "short": _("Short"),
    "story": _("Story"),
    "live": _("Live"),
    "text": _("Text"),
}


def post_type_choices() -> list[tuple[str, Any]]:
    return [(k.value, POST_TYPE_LABELS.get(k.value, k.value)) for k in PostType]


# The same post types inside a sentence, with their article ("This is a reel; the brief asks for a story."):
# each language gives its own (gender, "a"/"an"), so the article is part of the name.
POST_TYPE_NOUNS = {
    "photo": _("a photo"),
    "carousel": _("a carousel"),
    "reel": _("a reel"),
    "video": _("a video"),
    "short": _("a short"),
    "story": _("a story"),
    "live": _("a live video"),
    "text": _("a text post"),
}


def post_type_noun(code: str) -> str:
    """A post type as a sentence names it ("a reel"); a code this list does not know, quoted as stored."""
    noun = POST_TYPE_NOUNS.get(str(code).lower())
    return str(noun) if noun is not None else f"“{code}”"


def deliverable_text(deliverable: dict[str, Any]) -> str:
    """One line of a brief's deliverables as people write it: "2 × Instagram Reel"; a stored line that is
    not a dict with a count shows what it has, never an error."""
    if not isinstance(deliverable, dict):
        return str(deliverable)
    network = term("network", deliverable.get("network", ""))
    kind = str(POST_TYPE_LABELS.get(str(deliverable.get("kind", "")), deliverable.get("kind", "")))
    # each language puts the network and the post type in its own order ("1 × Reel Instagram" in French)
    return pgettext("deliverable line", "%(count)s × %(network)s %(kind)s") % {
        "count": deliverable.get("count", 1),
        "network": network,
        "kind": kind,
    }


def deliverable_unit_text(name: object) -> str:
    """One deliverable a creator sends a draft or a post for, as stored (``deliverable_names``: "instagram reel
    2", the second reel on Instagram) said in words: "Instagram Reel 2" ("Reel Instagram 2" in French); a name
    of another shape is shown as stored."""
    words = str(name or "").split()
    if len(words) != 3 or not words[2].isdecimal():
        return str(name or "")
    network, kind, number = words
    return pgettext("deliverable unit", "%(network)s %(kind)s %(number)s") % {
        "network": term("network", network.lower()),
        "kind": POST_TYPE_LABELS.get(kind.lower(), kind),
        "number": number,
    }


# An application's state where it qualifies the application ("Your application: Withdrawn", the application
# page's "State:"): a context of its own, so that a language with genders agrees it with its word for an
# application (French: "Retirée", "Acceptée", for "candidature"). Lists of states keep ApplicationState's.
APPLICATION_STATE_LABELS = {
    "applied": pgettext_lazy("application state", "Applied"),
    "shortlisted": pgettext_lazy("application state", "Shortlisted"),
    "accepted": pgettext_lazy("application state", "Accepted"),
    "declined": pgettext_lazy("application state", "Declined"),
    "withdrawn": pgettext_lazy("application state", "Withdrawn"),
    "shipped": pgettext_lazy("application state", "Product shipped"),
    "received": pgettext_lazy("application state", "Product received"),
    "content_submitted": pgettext_lazy("application state", "Content submitted"),
    "approved": pgettext_lazy("application state", "Content approved"),
    "published": pgettext_lazy("application state", "Published"),
    "no_show": pgettext_lazy("application state", "No-show"),
}


def application_state_text(state: object) -> str:
    """An application's state qualifying the application (``APPLICATION_STATE_LABELS``); unknown, as stored."""
    label = APPLICATION_STATE_LABELS.get(str(state))
    return str(label) if label is not None else str(state or "")


def jurisdiction_names(codes: Iterable[object]) -> str:
    """Disclosure rules named (``engine_text.term("jurisdiction", …)``: "French influencer law"), comma-joined."""
    return ", ".join(term("jurisdiction", str(code).upper()) for code in codes)


def country_choices() -> list[tuple[str, str]]:
    """Every country as (ISO 3166 alpha-2 code, name in the reader's language), sorted by name."""
    return [(c.code, str(c.name)) for c in countries]


# The tiers a brief targets and the applicants list filters on (the forms' choices, the API's enum):
# the default preset's tiers, smallest first, as search classifies and filters them (one home: tiers.yaml).
TIER_CODES: tuple[str, ...] = TIERS


def tier_choices() -> list[tuple[str, Any]]:
    return [(t, TERMS["tier"][t]) for t in TIER_CODES]


def jurisdiction_choices() -> list[tuple[str, str]]:
    return [(r.code, f"{r.name} ({r.code})") for r in load_disclosure().jurisdictions]


class Choices(forms.MultipleChoiceField):
    """Several values from a list; a code that is not in it is refused, saying which. A value posted as a
    comma-separated list (``"instagram, tiktok"``, how the one-page form took them before) reads as its
    entries."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid_choice": CHOOSE}

    def __init__(self, *, upper: bool = False, **kwargs: Any):
        self.upper = upper
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        entries = [part for v in super().to_python(value) for part in v.split(",")]
        values = [v for v in entries if v.strip()]  # an empty entry is no choice
        return [address_checks.country_code(v) if self.upper else v.strip().lower() for v in values]


class Choice(forms.ChoiceField):
    default_error_messages = {"invalid_choice": CHOOSE}


def countries_field() -> Choices:
    return Choices(
        label=_("Countries"),
        choices=country_choices,
        upper=True,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: every country. Hold Ctrl (⌘ on a Mac) to choose several."),
    )


def languages_field() -> Choices:
    return Choices(
        label=_("Languages"),
        choices=language_choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: every language. Hold Ctrl (⌘ on a Mac) to choose several."),
    )


def topic_choices(kept: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The indexed creators' topics (the search's topic facet), most common first; ``kept``: a brief's
    stored topics the index no longer lists (typed before the forms offered choices, or gone from the
    index) are offered too, so a form shows and keeps them instead of refusing what the user did not
    touch."""
    indexed = indexed_topics()
    return [(t, topic_name(t)) for t in [*indexed, *(t for t in kept if t not in indexed)]]


def topics_field() -> Choices:
    return Choices(
        label=_("Topics"),
        choices=topic_choices,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("None chosen: every topic. Hold Ctrl (⌘ on a Mac) to choose several."),
    )


def keep_stored_choices(form: forms.Form) -> None:
    """Languages and topics stored before the forms offered choices (typed by hand), or no longer in the
    list, stay shown and chosen."""
    languages = list(form.initial.get("languages") or [])
    if languages and "languages" in form.fields:
        form.fields["languages"].choices = lambda: language_choices(kept=languages)
    topics = list(form.initial.get("topics") or [])
    if topics and "topics" in form.fields:
        form.fields["topics"].choices = lambda: topic_choices(kept=topics)
