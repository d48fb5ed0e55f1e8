"""Sales attributed to creators by promo code (the affiliate side of a campaign's report)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from microreach.core.money import Money, commission, is_currency_code, minor_units
from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import (
    Application,
    Sale,
)
from microreach.web.campaigns.services._common import (
    amount_parse,
    brand_campaign,
    brand_or_404,
    event_log,
)


@dataclass(frozen=True)
class SalesImport:
    imported: int
    updated: int
    errors: tuple[str, ...]


def sale_commission(*, amount: Decimal, rate: Decimal | None, currency: str) -> Decimal:
    """The commission stored on a sale: ``core.money.commission`` (amount × rate %, half up to the cent)
    on the amount in the campaign's currency.

    Sales are stored to the cent whatever the currency (the column has two decimal places, imported
    amounts at most two decimals), so the formula runs to the cent: a stored code ``Money`` does not
    know (currencies were once checked only as three letters) or a currency without cents (JPY) is
    counted in a stand-in currency with cents, which leaves the stored figures as they always were.
    """
    counted_in = currency if is_currency_code(currency) and minor_units(currency) == 2 else "EUR"
    return commission(amount=Money(amount, counted_in), rate=rate).amount


@transaction.atomic
def sales_import(*, tenant: Tenant, campaign_id: int, csv_text: str) -> SalesImport:
    """Import a shop's CSV (columns order, date, amount, promo_code): one sale per order, matched to the
    creator by promo code; commission = amount × the campaign's rate."""
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id)
    codes = {
        a.promo_code.upper(): a for a in Application.objects.filter(campaign=campaign).exclude(promo_code="")
    }
    imported = updated = 0
    errors: list[str] = []
    for line, row in enumerate(csv.DictReader(io.StringIO(csv_text)), start=2):
        try:
            amount = amount_parse(row.get("amount"), "amount")
            sold_on = date.fromisoformat((row.get("date") or "").strip())
            order = (row.get("order") or "").strip()
            if amount is None or not order:
                raise ValueError
        except (ValueError, InvalidInput):
            errors.append(_("line %(n)s: needs order, date (YYYY-MM-DD) and amount") % {"n": line})
            continue
        code = (row.get("promo_code") or "").strip().upper()
        _sale, created = Sale.objects.update_or_create(
            campaign=campaign,
            order_ref=order,
            defaults={
                "organisation_id": campaign.organisation_id,
                "application": codes.get(code),
                "promo_code": code,
                "amount": amount,
                "commission": sale_commission(
                    amount=amount, rate=campaign.commission_rate, currency=campaign.currency
                ),
                "sold_on": sold_on,
            },
        )
        imported += int(created)
        updated += int(not created)
    event_log(
        campaign,
        "sales.imported",
        actor_id=tenant.user_id,
        imported=imported,
        updated=updated,
        errors=len(errors),
    )
    return SalesImport(imported, updated, tuple(errors))
