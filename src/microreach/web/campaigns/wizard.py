"""The campaign wizard's steps: one form per step, choices instead of codes, each saving the draft.

Each step's form parses what the brand chose into the fields of ``CampaignChanges`` (the typed command of
the campaign service); the service then checks and stores them with the same rules as every other caller
(``services.campaign._clean_campaign_data``). Lists of codes are choices: networks and deliverable types
(``core.records``), countries (django-countries), languages (ISO 639-1, named by Babel in the reader's
language), topics (the discovery index), tiers
(``engine_text`` words), disclosure jurisdictions (``config/disclosure.yaml``) and currencies (ISO 4217).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from microreach.core.money import Money, is_currency_code
from microreach.web.bounds import form_field, percent_form_field
from microreach.web.campaigns import brief_tags, budget
from microreach.web.campaigns.campaign_dates import DATE_FIELDS, date_problems
from microreach.web.campaigns.choices import (
    Choice,
    Choices,
    countries_field,
    jurisdiction_choices,
    keep_stored_choices,
    languages_field,
    network_choices,
    post_type_choices,
    tier_choices,
    topics_field,
)
from microreach.web.campaigns.commands import CampaignChanges
from microreach.web.campaigns.forms import _split
from microreach.web.campaigns.models import MAX_DELIVERABLE_COUNT, Campaign, Compensation
from microreach.web.money_input import money_form_field

STEPS: list[tuple[str, Any]] = [
    ("basics", _("Basics")),
    ("creators", _("Creators wanted")),
    ("deliverables", _("Deliverables")),
    ("product", _("Product & budget")),
    ("preview", _("Preview & publish")),
]
STEP_NAMES = [s for s, _label in STEPS]
ROWS = 3  # deliverable and product rows shown (a saved campaign shows its own plus one empty row)


def next_step(step: str) -> str:
    at = STEP_NAMES.index(step)
    return STEP_NAMES[min(at + 1, len(STEP_NAMES) - 1)]


def default_dates(today: date) -> dict[str, date]:
    """Sensible dates for a new draft: two weeks to apply, then a four-week publication window."""
    return {
        "applications_close_on": today + timedelta(days=14),
        "publication_start": today + timedelta(days=21),
        "publication_end": today + timedelta(days=49),
    }


def _currency_choices() -> list[tuple[str, str]]:
    common = ["EUR", "USD", "GBP", "CHF", "CAD", "AUD", "SEK", "DKK", "NOK", "PLN", "JPY"]
    return [(c, c) for c in common if is_currency_code(c)]


# ISO dates whatever the language: a date input reads no other format (French would render 26/11/2026).
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    """A step: ``changes()`` are the fields it sets, as the campaign service takes them."""

    step = ""

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict[str, Any]:
        return {f: getattr(campaign, f) for f in cls.base_fields if hasattr(campaign, f)}


class BasicsForm(StepForm):
    step = "basics"
    organisation_id = forms.TypedChoiceField(label=_("For the brand"), coerce=int, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    what_to_say = forms.CharField(
        label=_("What to say"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    what_not_to_say = forms.CharField(
        label=_("What not to say"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    tone = forms.CharField(label=_("Tone"), max_length=300, required=False)
    examples = forms.CharField(label=_("Examples"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, brands: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if brands and len(brands) > 1:
            self.fields["organisation_id"].choices = brands
        else:
            del self.fields["organisation_id"]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data.get("organisation_id"):
            data.pop("organisation_id", None)
        return data


class CreatorsForm(StepForm):
    step = "creators"
    networks = Choices(label=_("Networks"), choices=network_choices)
    tiers = Choices(label=_("Tiers"), choices=tier_choices)
    countries = countries_field()
    topics = topics_field()
    languages = languages_field()
    min_quality_score = form_field(
        Campaign, "min_quality_score", label=_("Minimum Audience Quality Score"), required=False
    )
    max_fake_share = percent_form_field(
        Campaign, "max_fake_share", label=_("Maximum fake-follower share (%)"), required=False
    )
    unknown_figures = Choice(
        label=_("Creators not audited yet"),
        choices=Campaign.UnknownFigures.choices,
        initial=Campaign.UnknownFigures.AUDIT,
        widget=forms.RadioSelect,
        help_text=_("What the score and fake-share rules do with a creator who has no audit yet."),
    )
    creators_wanted = form_field(Campaign, "creators_wanted", label=_("Creators wanted"), initial=5)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        keep_stored_choices(self)


class DeliverablesForm(StepForm):
    step = "deliverables"
    applications_close_on = forms.DateField(label=_("Applications close on"), widget=_DATE)
    publication_start = forms.DateField(label=_("Publication window start"), widget=_DATE)
    publication_end = forms.DateField(label=_("Publication window end"), widget=_DATE)
    ship_by = forms.DateField(label=_("Ship by"), required=False, widget=_DATE)
    mandatory_mentions = forms.CharField(
        label=_("Mandatory mentions (comma-separated, e.g. @maisonverte)"), required=False
    )
    mandatory_hashtags = forms.CharField(label=_("Mandatory hashtags (comma-separated)"), required=False)
    jurisdictions = Choices(
        label=_("Disclosure rules of"),
        choices=jurisdiction_choices,
        upper=True,
        help_text=_("The countries whose advertising-disclosure rules the posts must follow."),
    )
    min_days_online = form_field(Campaign, "min_days_online", label=_("Minimum days online"), initial=30)
    review_days = form_field(Campaign, "review_days", label=_("Review delay (days)"), initial=10)
    auto_approve = forms.BooleanField(label=_("Approve automatically after the review delay"), required=False)

    def __init__(
        self,
        *args: Any,
        rows: int = ROWS,
        stored_dates: dict[str, date | None] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.rows = rows
        # a published campaign's dates of record (``campaign_dates.dates_of_record``), kept unchanged, may
        # have passed; a draft's are all judged against today, as publishing will
        self.stored_dates = stored_dates or {}
        for i in range(rows):
            self.fields[f"network_{i}"] = Choice(
                label=_("Network"), choices=[("", "—"), *network_choices()], required=False
            )
            self.fields[f"kind_{i}"] = Choice(
                label=_("Type"), choices=[("", "—"), *post_type_choices()], required=False
            )
            self.fields[f"count_{i}"] = forms.IntegerField(
                label=_("How many"), min_value=1, max_value=MAX_DELIVERABLE_COUNT, required=False
            )

    def deliverable_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"network_{i}"], self[f"kind_{i}"], self[f"count_{i}"]) for i in range(self.rows)]

    def plain_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.base_fields]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = []
        for i in range(self.rows):
            network, kind, count = data.get(f"network_{i}"), data.get(f"kind_{i}"), data.get(f"count_{i}")
            if not (network or kind):
                continue
            if not (network and kind):
                self.add_error(
                    f"kind_{i}" if network else f"network_{i}", _("Choose the network and the type.")
                )
                continue
            lines.append({"network": network, "kind": kind, "count": count or 1})
        if not lines and not self.errors:
            self.add_error("network_0", _("Say at least one deliverable."))
        data["deliverables"] = lines
        # each mention a handle and each hashtag a hashtag (``brief_tags``, the service's rule)
        for field in (brief_tags.MENTIONS, brief_tags.HASHTAGS):
            if field in data:
                data[field], problems = brief_tags.tags_clean(
                    field=field, values=brief_tags.tags_split(data[field])
                )
                for problem in problems:
                    self.add_error(field, problem.message)
        # the dates' rules (the campaign service's, one home) with the other fields' errors, all at once
        for date_problem in date_problems(
            **{f: data.get(f) for f in DATE_FIELDS},
            today=timezone.localdate(),
            stored=self.stored_dates,
        ):
            self.add_error(date_problem.field, date_problem.message)
        return data

    def changes(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.base_fields or k == "deliverables"}
        for field in (brief_tags.MENTIONS, brief_tags.HASHTAGS):
            given = data.get(field) or []
            # cleaned: a list; a form that did not validate (the summary's draft) may hold the text typed
            data[field] = given if isinstance(given, list) else brief_tags.tags_split(given)
        return data

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict[str, Any]:
        initial = super().initial_from(campaign)
        initial["mandatory_mentions"] = ", ".join(f"@{m}" for m in campaign.mandatory_mentions)
        initial["mandatory_hashtags"] = ", ".join(f"#{h}" for h in campaign.mandatory_hashtags)
        for i, d in enumerate(campaign.deliverables):
            initial.update({f"network_{i}": d["network"], f"kind_{i}": d["kind"], f"count_{i}": d["count"]})
        return initial


class ProductForm(StepForm):
    step = "product"
    compensation = Choice(
        label=_("Compensation"), choices=Compensation.choices, widget=forms.RadioSelect, initial="product"
    )
    fee = money_form_field(Campaign, "fee", label=_("Fee per creator"), required=False)
    commission_rate = form_field(Campaign, "commission_rate", label=_("Commission rate (%)"), required=False)
    currency = Choice(label=_("Currency"), choices=_currency_choices, initial="EUR")
    budget = money_form_field(Campaign, "budget", label=_("Budget"), required=False)
    cover = forms.FileField(label=_("Cover photo"), required=False)
    product_photo = forms.FileField(label=_("Product photo"), required=False)

    def __init__(self, *args: Any, rows: int = ROWS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for i in range(rows):
            self.fields[f"product_{i}"] = forms.CharField(label=_("Product"), max_length=200, required=False)
            self.fields[f"value_{i}"] = money_form_field(
                Campaign, "fee", label=_("Unit value"), required=False
            )
            self.fields[f"variants_{i}"] = forms.CharField(
                label=_("Variants (comma-separated)"), max_length=300, required=False
            )

    def product_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"product_{i}"], self[f"value_{i}"], self[f"variants_{i}"]) for i in range(self.rows)]

    def money_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("compensation", "fee", "commission_rate", "currency", "budget")]

    def changes(self) -> dict[str, Any]:
        data = {
            k: self.cleaned_data.get(k)
            for k in ("compensation", "fee", "commission_rate", "currency", "budget")
        }
        data["products"] = [
            {
                "name": self.cleaned_data[f"product_{i}"],
                "unit_value": self.cleaned_data.get(f"value_{i}") or "0",
                "variants": _split(self.cleaned_data.get(f"variants_{i}") or ""),
            }
            for i in range(self.rows)
            if (self.cleaned_data.get(f"product_{i}") or "").strip()
        ]
        return data

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict[str, Any]:
        initial = super().initial_from(campaign)
        for i, p in enumerate(campaign.products):
            initial.update(
                {
                    f"product_{i}": p["name"],
                    f"value_{i}": p["unit_value"],
                    f"variants_{i}": ", ".join(p.get("variants", [])),
                }
            )
        return initial


FORMS: dict[str, type[StepForm]] = {
    "basics": BasicsForm,
    "creators": CreatorsForm,
    "deliverables": DeliverablesForm,
    "product": ProductForm,
}


def rows_for(campaign: Campaign | None, step: str) -> int:
    """Rows of deliverables or products to show: the saved ones plus one empty, at least ``ROWS``."""
    if campaign is None:
        return ROWS
    saved = len(campaign.deliverables if step == "deliverables" else campaign.products)
    return max(ROWS, saved + 1)


def to_command(form: StepForm) -> CampaignChanges:
    return CampaignChanges.model_validate(form.changes())


def estimated_cost(campaign: Campaign) -> Money | None:
    """Fees × creators wanted, in the campaign's currency (``budget.planned_fees``: what publishing judges)."""
    return budget.planned_fees(campaign)


# Fields set on a step by rows, not by one form field: where their problem is shown, and what it is called.
_ROW_FIELDS = {
    "deliverables": ("deliverables", "network_0", _("Deliverables")),
    "products": ("product", "product_0", _("Products")),
}


@dataclass(frozen=True)
class PublishProblem:
    """A reason publishing is refused, placed: the field it names, the step and form field that change it
    (``step`` empty for a refusal that names no field, such as fees over the budget)."""

    field: str
    code: str
    message: str
    step: str = ""
    form_field: str = ""
    label: str = ""

    @property
    def step_label(self) -> str:
        return str(dict(STEPS).get(self.step, ""))


def problem_place(field: str) -> tuple[str, str, str]:
    """The step, the form field and the label where a campaign field is changed (empty when none is)."""
    if field in _ROW_FIELDS:
        step, form_field, label = _ROW_FIELDS[field]
        return step, form_field, str(label)
    for step, form in FORMS.items():
        if field in form.base_fields:
            return step, field, str(form.base_fields[field].label)
    return "", "", ""


def publish_problems_placed(problems: Iterable[Mapping[str, Any]]) -> list[PublishProblem]:
    """The problems of a refusal (``{"field", "code", "message"}``, as ``ApplicationError.details`` list them),
    each with the step and form field that fix it."""
    placed = []
    for problem in problems:
        field = str(problem.get("field") or "")
        step, form_field, label = problem_place(field)
        placed.append(
            PublishProblem(
                field=field,
                code=str(problem.get("code") or ""),
                message=str(problem.get("message") or ""),
                step=step,
                form_field=form_field,
                label=label,
            )
        )
    return placed


def show_problems_on(form: StepForm, problems: Iterable[PublishProblem]) -> None:
    """Put each problem of the form's step beside its field, also on a form not submitted (a step opened from
    the preview's link, before anything is typed)."""
    for problem in problems:
        if problem.step == form.step and problem.form_field in form.fields:
            form.errors.setdefault(problem.form_field, form.error_class()).append(problem.message)
