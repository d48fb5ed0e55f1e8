"""Writes of the campaign aggregate: create, edit, publish, move through its states, duplicate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.core.money import currency_code, is_currency_code
from microreach.web.accounts.contracts import Tenant, organisation_get
from microreach.web.campaigns import brief_checks, brief_tags, budget
from microreach.web.campaigns.brief_checks import BriefProblem
from microreach.web.campaigns.brief_tags import TagProblem
from microreach.web.campaigns.campaign_dates import (
    DATE_FIELDS,
    DateProblem,
    date_problems,
    dates_of_record,
    publish_problems,
)
from microreach.web.campaigns.commands import CampaignChanges
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.machine import C
from microreach.web.campaigns.models import (
    Campaign,
    CampaignState,
)
from microreach.web.campaigns.services._common import (
    amount_parse,
    brand_campaign,
    brand_or_404,
    campaign_illegal,
    campaign_move,
    campaign_move_check,
    event_log,
    require_brand,
)
from microreach.web.errors import ErrorCode
from microreach.web.plain_text import control_character_problem

CAMPAIGN_FIELDS = [
    "title",
    "what_to_say",
    "what_not_to_say",
    "mandatory_mentions",
    "mandatory_hashtags",
    "tone",
    "examples",
    "products",
    "deliverables",
    "compensation",
    "fee",
    "commission_rate",
    "networks",
    "tiers",
    "topics",
    "countries",
    "languages",
    "min_quality_score",
    "max_fake_share",
    "unknown_figures",
    "creators_wanted",
    "applications_close_on",
    "ship_by",
    "publication_start",
    "publication_end",
    "min_days_online",
    "review_days",
    "auto_approve",
    "jurisdictions",
    "currency",
    "budget",
]


def _clean_campaign_data(data: dict[str, Any], stored: Campaign | None = None) -> dict[str, Any]:
    clean = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    # texts and code lists: one check for every caller (the API, the forms, the import: brief_checks)
    clean, brief_problems = brief_checks.brief_clean(clean, stored=stored)
    problems: list[BriefProblem | TagProblem] = [
        *brief_problems,
        *_product_problems(clean.get("products") or []),
    ]
    for field in ("fee", "budget", "commission_rate"):
        if field in clean:
            clean[field] = amount_parse(clean[field], field)
    products = []
    for product in clean.get("products") or []:
        name = str(product.get("name", "")).strip()
        if not name:
            continue
        value = amount_parse(product.get("unit_value") or "0", "products")
        products.append(
            {
                "name": name,
                "unit_value": str(value),
                "variants": [str(v).strip() for v in product.get("variants") or [] if str(v).strip()],
            }
        )
    if "products" in clean:
        clean["products"] = products
    for field in (brief_tags.MENTIONS, brief_tags.HASHTAGS):
        if field in clean:
            clean[field], found = brief_tags.tags_clean(field=field, values=clean[field] or [])
            problems += found
    _refuse(problems)
    if "currency" in clean:
        given = str(clean["currency"] or "").strip()
        if given and not is_currency_code(given):
            raise InvalidInput(
                ErrorCode.INVALID_INPUT,
                _("%(c)s is not a currency code (ISO 4217, e.g. EUR, USD, GBP).") % {"c": given[:3]},
                {"field": "currency"},
            )
        clean["currency"] = currency_code(given) if given else "EUR"
    if any(f in clean for f in DATE_FIELDS):
        _check_dates(clean, stored)
    return clean


def _product_problems(products: list[Any]) -> list[brief_checks.BriefProblem]:
    """A product's name and variants are one line each, without control characters (as every text)."""
    texts = [
        str(text)
        for product in products
        if isinstance(product, dict)
        for text in (product.get("name", ""), *(product.get("variants") or []))
    ]
    return [
        brief_checks.BriefProblem("products", ErrorCode.CONTROL_CHARACTERS, problem)
        for problem in (control_character_problem(t, multiline=False) for t in texts)
        if problem is not None
    ]


def _check_dates(clean: dict[str, Any], stored: Campaign | None) -> None:
    """Refuse dates that break a rule (``campaign_dates``), naming every problem at once; the dates not
    given are the stored ones."""
    dates = {f: clean[f] if f in clean else getattr(stored, f, None) for f in DATE_FIELDS}
    _refuse(date_problems(**dates, today=timezone.localdate(), stored=dates_of_record(stored)))


@dataclass(frozen=True)
class MissingToPublish:
    """Something a campaign must say before it is published (its deliverables, its jurisdictions)."""

    field: str
    code: ErrorCode
    message: str


def _refuse(problems: Sequence[DateProblem | TagProblem | BriefProblem | MissingToPublish]) -> None:
    """Refuse problems found together: the first one's code and field, every one in the message and in
    ``details["problems"]`` (which the wizard puts each on its field)."""
    if problems:
        raise InvalidInput(
            problems[0].code,
            " ".join(p.message for p in problems),
            {
                "field": problems[0].field,
                "problems": [{"field": p.field, "code": str(p.code), "message": p.message} for p in problems],
            },
        )


def _organisation_defaults(
    clean: dict[str, Any], data: dict[str, Any], *, tenant: Tenant, organisation_id: int, creating: bool
) -> None:
    """What a campaign says where the brand leaves it empty: no jurisdictions chosen, its organisation's
    default ones; no currency, its organisation's. The same on creation and on an edit that gives the field
    empty (the API's PUT sends every field: one left out is the POST's default, never "none" or "EUR")."""
    wants_jurisdictions = (creating or "jurisdictions" in data) and not clean.get("jurisdictions")
    wants_currency = (creating or "currency" in data) and not data.get("currency")
    if not (wants_jurisdictions or wants_currency):
        return
    # request.tenant is a lazy object: build the tenant of the campaign's brand explicitly.
    organisation = organisation_get(
        tenant=Tenant(tenant.user_id, organisation_id, tenant.organisation_ids, tenant.kind, tenant.role)
    )
    if wants_jurisdictions:
        clean["jurisdictions"] = list(getattr(organisation, "default_jurisdictions", None) or [])
    if wants_currency and organisation is not None:
        clean["currency"] = organisation.currency


@transaction.atomic
def campaign_create(*, tenant: Tenant, changes: CampaignChanges) -> Campaign:
    organisation_id = require_brand(tenant)
    data = changes.given()
    # An agency creates campaigns for one of the brands it manages (or for itself).
    wanted = data.get("organisation_id") or organisation_id
    if wanted not in tenant.organisation_ids:
        raise InvalidInput(
            ErrorCode.NOT_YOUR_CLIENT, _("You do not manage this brand."), {"field": "organisation_id"}
        )
    organisation_id = int(wanted)
    clean = _clean_campaign_data(data)
    _organisation_defaults(clean, data, tenant=tenant, organisation_id=organisation_id, creating=True)
    campaign = Campaign.objects.create(organisation_id=organisation_id, created_by_id=tenant.user_id, **clean)
    event_log(campaign, "campaign.created", actor_id=tenant.user_id)
    return campaign


@transaction.atomic
def campaign_update(*, tenant: Tenant, campaign_id: int, changes: CampaignChanges) -> Campaign:
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id, lock=True)
    if campaign.state not in (C.DRAFT, C.OPEN):
        raise campaign_illegal(campaign, "edited", _("edited"))
    data = changes.given()
    moved = data.get("organisation_id")
    if moved is not None and int(moved) != campaign.organisation_id:
        # a campaign stays with the brand it was made for (its applications, addresses and reports are that
        # brand's): never silently ignored, said where the request names it
        raise InvalidInput(
            ErrorCode.NOT_YOUR_CLIENT,
            _("A campaign stays with its brand: duplicate it for another brand you manage."),
            {"field": "organisation_id"},
        )
    clean = _clean_campaign_data(data, campaign)
    _organisation_defaults(
        clean, data, tenant=tenant, organisation_id=campaign.organisation_id, creating=False
    )
    for key, value in clean.items():
        setattr(campaign, key, value)
    campaign.save()
    event_log(campaign, "campaign.updated", actor_id=tenant.user_id, fields=sorted(clean))
    return campaign


@transaction.atomic
def campaign_publish(*, tenant: Tenant, campaign_id: int, confirm_over_budget: bool = False) -> Campaign:
    """Open a draft to applications; refused without deliverables or jurisdictions, with dates that break a
    rule judged against today (applications closed, the window ended, products shipped after it starts:
    ``campaign_dates.publish_problems``), every one of these named at once (``campaign_publish_problems``),
    and when the fees planned exceed the budget unless ``confirm_over_budget``."""
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id, lock=True)
    campaign_move_check(campaign, C.OPEN)  # a completed campaign is not "too late": it cannot reopen
    _refuse(campaign_publish_problems(campaign=campaign, today=timezone.localdate()))
    budget.publish_within_budget(campaign=campaign, confirm_over_budget=confirm_over_budget)
    return campaign_move(campaign, C.OPEN, actor_id=tenant.user_id)


def campaign_publish_problems(*, campaign: Campaign, today: date) -> list[DateProblem | MissingToPublish]:
    """Every rule publishing refuses the campaign for, all at once (empty when it may be published): no
    deliverables, no jurisdictions, dates that break a rule judged against today. What the wizard's preview
    says before "Publish"; fees over the budget are not among them (the brand may confirm them)."""
    problems: list[DateProblem | MissingToPublish] = []
    if not campaign.deliverables:
        problems.append(
            MissingToPublish(
                "deliverables", ErrorCode.NO_DELIVERABLES, _("Say what creators deliver before publishing.")
            )
        )
    if not campaign.jurisdictions:
        problems.append(
            MissingToPublish(
                "jurisdictions",
                ErrorCode.NO_JURISDICTIONS,
                _("Choose the jurisdictions whose disclosure rules apply."),
            )
        )
    return problems + publish_problems(campaign, today=today)


@transaction.atomic
def campaign_transition(
    *, tenant: Tenant, campaign_id: int, to: str, confirm_over_budget: bool = False
) -> Campaign:
    """Close, start, complete or cancel a campaign (publishing has its own checks)."""
    brand_or_404(tenant)
    if to == C.OPEN:
        return campaign_publish(
            tenant=tenant, campaign_id=campaign_id, confirm_over_budget=confirm_over_budget
        )
    if to not in CampaignState.values:
        raise InvalidInput(ErrorCode.UNKNOWN_STATE, _("Unknown state."), {"field": "to"})
    campaign = brand_campaign(tenant, campaign_id, lock=True)
    return campaign_move(campaign, to, actor_id=tenant.user_id)


@transaction.atomic
def campaign_duplicate(*, tenant: Tenant, campaign_id: int) -> Campaign:
    brand_or_404(tenant)
    source = brand_campaign(tenant, campaign_id)
    values = {f: getattr(source, f) for f in CAMPAIGN_FIELDS}
    values["title"] = _("%(title)s (copy)") % {"title": source.title}
    copy = Campaign.objects.create(
        organisation_id=source.organisation_id, created_by_id=tenant.user_id, **values
    )
    event_log(copy, "campaign.created", actor_id=tenant.user_id, duplicated_from=source.pk)
    return copy
