"""Writes of the campaign aggregate: create, edit, publish, move through its states, duplicate."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.core.money import currency_code, is_currency_code
from microreach.web.accounts.contracts import Tenant, organisation_get
from microreach.web.campaigns import budget
from microreach.web.campaigns.campaign_dates import DATE_FIELDS, date_problems
from microreach.web.campaigns.commands import CampaignChanges
from microreach.web.campaigns.errors import IllegalTransition, InvalidInput
from microreach.web.campaigns.machine import C
from microreach.web.campaigns.models import (
    Campaign,
    CampaignState,
)
from microreach.web.campaigns.services._common import (
    amount_parse,
    brand_campaign,
    brand_or_404,
    campaign_move,
    event_log,
    require_brand,
)
from microreach.web.errors import ErrorCode

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
    for field in ("networks", "tiers", "topics", "languages", "mandatory_mentions", "mandatory_hashtags"):
        if field in clean:
            clean[field] = [
                str(v).strip().lstrip("@#") if field.startswith("mandatory") else str(v).strip().lower()
                for v in clean[field] or []
                if str(v).strip()
            ]
    for field in ("countries", "jurisdictions"):
        if field in clean:
            clean[field] = [str(v).strip().upper() for v in clean[field] or [] if str(v).strip()]
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


def _check_dates(clean: dict[str, Any], stored: Campaign | None) -> None:
    """Refuse dates that break a rule (``campaign_dates``), naming every problem at once; the dates not
    given are the stored ones."""
    dates = {f: clean[f] if f in clean else getattr(stored, f, None) for f in DATE_FIELDS}
    problems = date_problems(
        **dates, today=timezone.localdate(), ship_by_was=stored.ship_by if stored is not None else None
    )
    if problems:
        raise InvalidInput(
            problems[0].code,
            " ".join(p.message for p in problems),
            {
                "field": problems[0].field,
                "problems": [{"field": p.field, "code": str(p.code), "message": p.message} for p in problems],
            },
        )


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
    # request.tenant is a lazy object: build the tenant of the chosen brand explicitly.
    organisation = organisation_get(
        tenant=Tenant(tenant.user_id, organisation_id, tenant.organisation_ids, tenant.kind, tenant.role)
    )
    if not clean.get("jurisdictions"):
        clean["jurisdictions"] = list(getattr(organisation, "default_jurisdictions", None) or [])
    if not data.get("currency") and organisation is not None:
        clean["currency"] = organisation.currency
    campaign = Campaign.objects.create(organisation_id=organisation_id, created_by_id=tenant.user_id, **clean)
    event_log(campaign, "campaign.created", actor_id=tenant.user_id)
    return campaign


@transaction.atomic
def campaign_update(*, tenant: Tenant, campaign_id: int, changes: CampaignChanges) -> Campaign:
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id, lock=True)
    if campaign.state not in (C.DRAFT, C.OPEN):
        raise IllegalTransition(_("campaign"), campaign.get_state_display(), _("edited"))
    clean = _clean_campaign_data(changes.given(), campaign)
    for key, value in clean.items():
        setattr(campaign, key, value)
    campaign.save()
    event_log(campaign, "campaign.updated", actor_id=tenant.user_id, fields=sorted(clean))
    return campaign


@transaction.atomic
def campaign_publish(*, tenant: Tenant, campaign_id: int, confirm_over_budget: bool = False) -> Campaign:
    """Open a draft to applications; refused without deliverables or jurisdictions, and when the fees
    planned exceed the budget unless ``confirm_over_budget``."""
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id, lock=True)
    if not campaign.deliverables:
        raise InvalidInput(
            ErrorCode.NO_DELIVERABLES,
            _("Say what creators deliver before publishing."),
            {"field": "deliverables"},
        )
    if not campaign.jurisdictions:
        raise InvalidInput(
            ErrorCode.NO_JURISDICTIONS,
            _("Choose the jurisdictions whose disclosure rules apply."),
            {"field": "jurisdictions"},
        )
    budget.publish_within_budget(campaign=campaign, confirm_over_budget=confirm_over_budget)
    return campaign_move(campaign, C.OPEN, actor_id=tenant.user_id)


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
