"""What a campaign's fees commit against its budget, and the refusal to go over it unasked.

Planned fees: the fee per creator × the creators wanted (what the wizard's summary shows and publishing
judges). Committed fees: what the accepted creators are paid: their agreed fee, else the campaign's fee
when it pays one; a no-show is not paid (as in the report). Going over the budget stays the brand's call,
made explicitly: the services refuse with ``OverBudget`` unless ``confirm_over_budget`` is given.
"""

from __future__ import annotations

from decimal import Decimal

from microreach.core.money import Money, is_currency_code
from microreach.web.campaigns import machine
from microreach.web.campaigns.errors import OverBudget
from microreach.web.campaigns.machine import A
from microreach.web.campaigns.models import Application, Campaign, Compensation

PAID_STATES = machine.ACCEPTED_STATES - {A.NO_SHOW}


def planned_fees(campaign: Campaign) -> Money | None:
    """Fees × creators wanted, in the campaign's currency (None for a campaign paid in product only)."""
    if campaign.fee is None or not is_currency_code(campaign.currency or ""):
        return None
    try:
        fee = Decimal(str(campaign.fee))
    except ArithmeticError:
        return None
    return Money(fee * int(campaign.creators_wanted or 0), campaign.currency)


def fee_paid(
    *, compensation: str, campaign_fee: Decimal | None, agreed_fee: Decimal | None
) -> Decimal | None:
    """What one accepted creator is paid, the one rule (budget, report): the agreed fee, else the campaign's
    fee when it pays a fixed fee; None when neither (paid in product or commission only)."""
    if agreed_fee is not None:
        return Decimal(agreed_fee)
    if compensation == Compensation.FEE and campaign_fee is not None:
        return Decimal(campaign_fee)
    return None


def creator_fee(*, campaign: Campaign, agreed_fee: Decimal | None) -> Decimal:
    """What one accepted creator of ``campaign`` is paid (``fee_paid``), 0 when no fee."""
    paid = fee_paid(compensation=campaign.compensation, campaign_fee=campaign.fee, agreed_fee=agreed_fee)
    return Decimal(0) if paid is None else paid


def committed_fees(campaign: Campaign) -> Decimal:
    """The fees of the creators accepted so far (one query)."""
    agreed = Application.objects.filter(campaign=campaign, state__in=PAID_STATES).values_list(
        "agreed_fee", flat=True
    )
    return sum((creator_fee(campaign=campaign, agreed_fee=fee) for fee in agreed), Decimal(0))


def accept_within_budget(
    *, campaign: Campaign, handle: str, fee: Decimal | None, confirm_over_budget: bool
) -> None:
    """Refuse accepting a creator whose fee takes the committed fees over the budget, unless confirmed."""
    if campaign.budget is None or confirm_over_budget:
        return
    paid = creator_fee(campaign=campaign, agreed_fee=fee)
    committed = committed_fees(campaign) + paid
    if paid > 0 and committed > campaign.budget:
        raise OverBudget.on_accept(
            handle=handle,
            fee=paid,
            committed=committed,
            budget=Decimal(campaign.budget),
            currency=campaign.currency,
        )


def planned_over_budget(campaign: Campaign) -> bool:
    """Whether the fees planned exceed the campaign's budget (publishing then asks for a confirmation)."""
    planned = planned_fees(campaign)
    return campaign.budget is not None and planned is not None and planned.amount > campaign.budget


def publish_within_budget(*, campaign: Campaign, confirm_over_budget: bool) -> None:
    """Refuse publishing a campaign whose planned fees exceed its budget, unless confirmed."""
    if confirm_over_budget or not planned_over_budget(campaign):
        return
    planned = planned_fees(campaign)
    raise OverBudget.on_publish(
        planned=planned.amount if planned else Decimal(0),
        budget=Decimal(campaign.budget or 0),
        currency=campaign.currency,
    )
