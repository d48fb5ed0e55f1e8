"""Pieces every campaigns service shares: the activity log, the state moves, the guards of who may
act, e-mail language and amounts as typed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from microreach.core.money import CENT
from microreach.web.accounts.contracts import Tenant, get_scoped_or_404
from microreach.web.bounds import model_bounds
from microreach.web.campaigns import machine
from microreach.web.campaigns.commands import AmountText
from microreach.web.campaigns.errors import IllegalTransition, InvalidInput, NotAllowed
from microreach.web.campaigns.machine import C
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    ApplicationState,
    Campaign,
    CampaignState,
    Sale,
    Shipment,
)
from microreach.web.errors import ErrorCode
from microreach.web.jobs.contracts import EmailBrand, email_send, in_language, site_link
from microreach.web.links import http_url_problem


def event_log(
    campaign: Campaign,
    event: str,
    *,
    application: Application | None = None,
    actor_id: int | None = None,
    **data: Any,
) -> None:
    ActivityEvent.objects.create(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        application_id_ref=application.pk if application else None,
        actor_id=actor_id,
        event=event,
        data=data,
    )


def site_url(path: str) -> str:
    """The absolute link to ``path`` from the site setting (``jobs.contracts.site_link``)."""
    return site_link(path)


def require_brand(tenant: Tenant) -> int:
    if not tenant.is_brand_side or tenant.organisation_id is None:
        raise NotAllowed(ErrorCode.BRAND_ONLY, _("Only a brand or an agency can do this."))
    return tenant.organisation_id


def brand_or_404(tenant: Tenant) -> None:
    """Object-bound brand operations: to anyone else the object does not exist."""
    if not tenant.is_brand_side or tenant.organisation_id is None:
        raise Http404("campaign")


def brand_campaign(tenant: Tenant, campaign_id: int, *, lock: bool = False) -> Campaign:
    campaign = get_scoped_or_404(Campaign, tenant, pk=campaign_id)
    if lock:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    return campaign


def brand_application(tenant: Tenant, application_id: int) -> Application:
    app = get_scoped_or_404(Application, tenant, pk=application_id)
    return Application.objects.select_for_update().select_related("campaign").get(pk=app.pk)


def creator_application(tenant: Tenant, application_id: int) -> Application:
    app = (
        Application.objects.select_for_update()
        .select_related("campaign")
        .filter(pk=application_id, creator_user_id=tenant.user_id)
        .first()
    )
    if app is None or tenant.user_id is None:
        raise Http404("application")
    return app


def application_move(app: Application, wanted: str, *, actor_id: int | None, **data: Any) -> None:
    if not machine.can_move(machine.APPLICATION, app.state, wanted):
        raise IllegalTransition(
            "application",
            app.state,
            wanted,
            labels=(_("application"), app.get_state_display(), str(ApplicationState(wanted).label)),
        )
    previous = app.state
    app.state = wanted
    app.save(update_fields=["state", "updated_at", *data.pop("_fields", [])])
    event_log(
        app.campaign, f"application.{wanted}", application=app, actor_id=actor_id, previous=previous, **data
    )


def campaign_illegal(campaign: Campaign, wanted: str, wanted_label: str) -> IllegalTransition:
    """The refusal of ``wanted`` (a state or an action) for a campaign in its state."""
    return IllegalTransition(
        "campaign", campaign.state, wanted, labels=(_("campaign"), campaign.get_state_display(), wanted_label)
    )


def campaign_move_check(campaign: Campaign, wanted: str) -> None:
    """Refuse a move the campaign's state machine does not allow (before any other check of the move)."""
    if not machine.can_move(machine.CAMPAIGN, campaign.state, wanted):
        raise campaign_illegal(campaign, wanted, str(CampaignState(wanted).label))


def campaign_move(campaign: Campaign, wanted: str, *, actor_id: int | None) -> Campaign:
    campaign_move_check(campaign, wanted)
    previous = campaign.state
    campaign.state = wanted
    now = timezone.now()
    if wanted == C.OPEN:
        campaign.published_at = now
    if wanted in (C.COMPLETED, C.CANCELLED):
        campaign.ended_at = now
    campaign.save(update_fields=["state", "published_at", "ended_at"])
    event_log(campaign, f"campaign.{wanted}", actor_id=actor_id, previous=previous)
    return campaign


def recipient_language(user_id: int | None) -> translation.override:
    """Write an e-mail in its recipient's language (their preferred one), whoever's request triggers it."""
    language = (
        get_user_model().objects.filter(pk=user_id).values_list("preferred_language", flat=True).first()
        if user_id is not None
        else None
    )
    return in_language(language)


def campaign_email_brand(campaign: Campaign) -> EmailBrand:
    """The brand a campaign's e-mails speak for: its name, and its logo as an absolute link."""
    organisation = campaign.organisation
    logo = site_link(organisation.logo.url) if organisation.logo else ""
    return EmailBrand(name=organisation.name, logo_url=logo)


def notify(
    *,
    key: str,
    user_id: int | None,
    to: str,
    subject: str,
    campaign: Campaign,
    template: str,
    context: dict[str, object],
    action_url: str,
    action_label: str,
) -> None:
    """Queue a campaign e-mail (``campaigns/email/<template>.txt`` and ``.html``) in the active language
    (call it inside ``recipient_language``), with the campaign's brand and a button to ``action_url``."""
    if not to:
        return
    brand = campaign_email_brand(campaign)
    email_send(
        key=key,
        to=to,
        subject=subject,
        template=f"campaigns/email/{template}",
        context={**context, "campaign_title": campaign.title},
        action=(action_url, action_label),
        brand=brand,
    )


# The column each amount is stored in (a product's unit value is priced like the fee): its bounds, read
# from the model field by ``web.bounds``, are the ones every entry (form, API, CSV row) is held to.
_AMOUNT_COLUMNS: dict[str, tuple[type[Model], str]] = {
    "fee": (Campaign, "fee"),
    "budget": (Campaign, "budget"),
    "commission_rate": (Campaign, "commission_rate"),
    "products": (Campaign, "fee"),
    "proposed_fee": (Application, "proposed_fee"),
    "agreed_fee": (Application, "agreed_fee"),
    "cost": (Shipment, "cost"),
    "amount": (Sale, "amount"),
}


def amount_parse(value: AmountText, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidInput(
            ErrorCode.INVALID_AMOUNT, _("Not an amount: %(v)s") % {"v": str(value)[:40]}, {"field": field}
        ) from exc
    if not amount.is_finite():
        raise InvalidInput(
            ErrorCode.INVALID_AMOUNT, _("Not an amount: %(v)s") % {"v": str(value)[:40]}, {"field": field}
        )
    if amount < 0:
        raise InvalidInput(ErrorCode.NEGATIVE_AMOUNT, _("An amount cannot be negative."), {"field": field})
    bounds = model_bounds(*_AMOUNT_COLUMNS[field])
    if amount <= Decimal(str(bounds.upper)):
        amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if not bounds.contains(amount):
        raise InvalidInput(
            ErrorCode.AMOUNT_TOO_LARGE,
            _("%(v)s is above the largest amount allowed here, %(max)s.")
            % {"v": str(value)[:40], "max": bounds.upper},
            {"field": field, "maximum": str(bounds.upper)},
        )
    return amount


def user_email(user_id: int | None) -> str:
    """The user's e-mail address ("" for none or no user)."""
    if user_id is None:
        return ""
    return get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first() or ""


def creator_email(app: Application) -> str:
    return user_email(app.creator_user_id)


def require_link(value: str, *, field: str) -> None:
    """A link someone typed: only http(s) is accepted (a ``javascript:`` link would run on the page)."""
    problem = http_url_problem(value)
    if problem is not None:
        raise InvalidInput(ErrorCode.INVALID_URL, problem, {"field": field})
