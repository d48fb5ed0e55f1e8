"""Writes of the campaigns context: the campaign and application state machines and everything they drive.

Every write is atomic and leaves an ``ActivityEvent`` (ids and event names only). E-mails leave on
commit through ``jobs.services.email_queue`` with a key per trigger.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from microreach.web.accounts.tenancy import Tenant, get_scoped_or_404, scoped
from microreach.web.audits.contracts import AuditsStored, audit_request, audit_summaries
from microreach.web.bounds import model_bounds
from microreach.web.campaigns import content_checks, machine, uploads
from microreach.web.campaigns.errors import CampaignFull, IllegalTransition, InvalidInput, NotAllowed
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    ApplicationState,
    Campaign,
    CampaignPost,
    CampaignState,
    ContentDraft,
    CreatorBar,
    Invitation,
    Message,
    Reminder,
    ReviewState,
    Sale,
    Shipment,
)
from microreach.web.campaigns.selectors import campaign_fit_reasons
from microreach.web.creators.selectors import account_get_by_id, claimed_accounts
from microreach.web.jobs.services import email_queue, job_enqueue
from microreach.web.links import http_url_problem

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


def _event(
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


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _require_brand(tenant: Tenant) -> int:
    if not tenant.is_brand_side or tenant.organisation_id is None:
        raise NotAllowed("brand_only", _("Only a brand or an agency can do this."))
    return tenant.organisation_id


def _brand_or_404(tenant: Tenant) -> None:
    """Object-bound brand operations: to anyone else the object does not exist."""
    if not tenant.is_brand_side or tenant.organisation_id is None:
        raise Http404("campaign")


def _brand_campaign(tenant: Tenant, campaign_id: int, *, lock: bool = False) -> Campaign:
    campaign = get_scoped_or_404(Campaign, tenant, pk=campaign_id)
    if lock:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    return campaign


def _brand_application(tenant: Tenant, application_id: int) -> Application:
    app = get_scoped_or_404(Application, tenant, pk=application_id)
    return Application.objects.select_for_update().select_related("campaign").get(pk=app.pk)


def _creator_application(tenant: Tenant, application_id: int) -> Application:
    app = (
        Application.objects.select_for_update()
        .select_related("campaign")
        .filter(pk=application_id, creator_user_id=tenant.user_id)
        .first()
    )
    if app is None or tenant.user_id is None:
        raise Http404("application")
    return app


def _move(app: Application, wanted: str, *, actor_id: int | None, **data: Any) -> None:
    if not machine.can_move(machine.APPLICATION, app.state, wanted):
        raise IllegalTransition(
            _("application"), app.get_state_display(), str(ApplicationState(wanted).label)
        )
    previous = app.state
    app.state = wanted
    app.save(update_fields=["state", "updated_at", *data.pop("_fields", [])])
    _event(
        app.campaign, f"application.{wanted}", application=app, actor_id=actor_id, previous=previous, **data
    )


def _move_campaign(campaign: Campaign, wanted: str, *, actor_id: int | None) -> Campaign:
    if not machine.can_move(machine.CAMPAIGN, campaign.state, wanted):
        raise IllegalTransition(_("campaign"), campaign.get_state_display(), str(CampaignState(wanted).label))
    previous = campaign.state
    campaign.state = wanted
    now = timezone.now()
    if wanted == C.OPEN:
        campaign.published_at = now
    if wanted in (C.COMPLETED, C.CANCELLED):
        campaign.ended_at = now
    campaign.save(update_fields=["state", "published_at", "ended_at"])
    _event(campaign, f"campaign.{wanted}", actor_id=actor_id, previous=previous)
    return campaign


def _recipient_language(user_id: int | None) -> translation.override:
    """Write an e-mail in its recipient's language (their preferred one), whoever's request triggers it."""
    language = (
        get_user_model().objects.filter(pk=user_id).values_list("preferred_language", flat=True).first()
        if user_id is not None
        else None
    )
    return translation.override(language or settings.LANGUAGE_CODE)


def _notify(*, key: str, user_id: int | None, to: str, subject: str, body: str) -> None:
    if to:
        email_queue(key=key, to=to, subject=subject, body=body)


# --- campaigns -------------------------------------------------------------------------------------


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


def _decimal(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise InvalidInput(
            "invalid_amount", _("Not an amount: %(v)s") % {"v": str(value)[:40]}, {"field": field}
        ) from exc
    if not amount.is_finite():
        raise InvalidInput(
            "invalid_amount", _("Not an amount: %(v)s") % {"v": str(value)[:40]}, {"field": field}
        )
    if amount < 0:
        raise InvalidInput("negative_amount", _("An amount cannot be negative."), {"field": field})
    bounds = model_bounds(*_AMOUNT_COLUMNS[field])
    if amount <= Decimal(str(bounds.upper)):
        amount = amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not bounds.contains(amount):
        raise InvalidInput(
            "amount_too_large",
            _("%(v)s is above the largest amount allowed here, %(max)s.")
            % {"v": str(value)[:40], "max": bounds.upper},
            {"field": field, "maximum": str(bounds.upper)},
        )
    return amount


def _clean_campaign_data(data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: v for k, v in data.items() if k in CAMPAIGN_FIELDS}
    for field in ("fee", "budget", "commission_rate"):
        if field in clean:
            clean[field] = _decimal(clean[field], field)
    products = []
    for product in clean.get("products") or []:
        name = str(product.get("name", "")).strip()
        if not name:
            continue
        value = _decimal(product.get("unit_value") or "0", "products")
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
        clean["currency"] = str(clean["currency"] or "EUR").upper()[:3]
    start, end, close = (
        clean.get("publication_start"),
        clean.get("publication_end"),
        clean.get("applications_close_on"),
    )
    if start and end and end < start:
        raise InvalidInput(
            "inverted_dates", _("The publication window ends before it starts."), {"field": "publication_end"}
        )
    if close and start and close > start:
        raise InvalidInput(
            "inverted_dates",
            _("Applications must close before the publication window starts."),
            {"field": "applications_close_on"},
        )
    return clean


@transaction.atomic
def campaign_create(*, tenant: Tenant, data: dict[str, Any]) -> Campaign:
    organisation_id = _require_brand(tenant)
    from microreach.web.accounts.selectors import organisation_get

    # An agency creates campaigns for one of the brands it manages (or for itself).
    wanted = data.get("organisation_id") or organisation_id
    if wanted not in tenant.organisation_ids:
        raise InvalidInput(
            "not_your_client", _("You do not manage this brand."), {"field": "organisation_id"}
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
    _event(campaign, "campaign.created", actor_id=tenant.user_id)
    return campaign


@transaction.atomic
def campaign_update(*, tenant: Tenant, campaign_id: int, data: dict[str, Any]) -> Campaign:
    _brand_or_404(tenant)
    campaign = _brand_campaign(tenant, campaign_id, lock=True)
    if campaign.state not in (C.DRAFT, C.OPEN):
        raise IllegalTransition(_("campaign"), campaign.get_state_display(), _("edited"))
    clean = _clean_campaign_data(data)
    for key, value in clean.items():
        setattr(campaign, key, value)
    campaign.save()
    _event(campaign, "campaign.updated", actor_id=tenant.user_id, fields=sorted(clean))
    return campaign


@transaction.atomic
def campaign_publish(*, tenant: Tenant, campaign_id: int) -> Campaign:
    _brand_or_404(tenant)
    campaign = _brand_campaign(tenant, campaign_id, lock=True)
    if not campaign.deliverables:
        raise InvalidInput(
            "no_deliverables", _("Say what creators deliver before publishing."), {"field": "deliverables"}
        )
    if not campaign.jurisdictions:
        raise InvalidInput(
            "no_jurisdictions",
            _("Choose the jurisdictions whose disclosure rules apply."),
            {"field": "jurisdictions"},
        )
    return _move_campaign(campaign, C.OPEN, actor_id=tenant.user_id)


@transaction.atomic
def campaign_transition(*, tenant: Tenant, campaign_id: int, to: str) -> Campaign:
    """Close, start, complete or cancel a campaign (publishing has its own checks)."""
    _brand_or_404(tenant)
    if to == C.OPEN:
        return campaign_publish(tenant=tenant, campaign_id=campaign_id)
    if to not in CampaignState.values:
        raise InvalidInput("unknown_state", _("Unknown state."), {"field": "to"})
    campaign = _brand_campaign(tenant, campaign_id, lock=True)
    return _move_campaign(campaign, to, actor_id=tenant.user_id)


@transaction.atomic
def campaign_duplicate(*, tenant: Tenant, campaign_id: int) -> Campaign:
    _brand_or_404(tenant)
    source = _brand_campaign(tenant, campaign_id)
    values = {f: getattr(source, f) for f in CAMPAIGN_FIELDS}
    values["title"] = _("%(title)s (copy)") % {"title": source.title}
    copy = Campaign.objects.create(
        organisation_id=source.organisation_id, created_by_id=tenant.user_id, **values
    )
    _event(copy, "campaign.created", actor_id=tenant.user_id, duplicated_from=source.pk)
    return copy


# --- applications ----------------------------------------------------------------------------------


def _figures(account_ids: list[int], organisation_id: int) -> dict[int, dict[str, Any]]:
    """The audit summary the campaign's brand sees per account (ADR 0005), as the applicants table stores it."""
    summaries = audit_summaries(account_ids=account_ids, organisation_ids=[organisation_id])
    return {
        account_id: {
            "tier": s.tier,
            "quality_score": s.score,
            "engagement_rate": s.engagement_rate,
            "engagement_vs_benchmark": s.engagement_ratio,
            "engagement_percentile": s.engagement_percentile,
            "fake_share": s.fake_share,
            "fake_low": s.fake_low,
            "fake_high": s.fake_high,
            "fake_source": s.fake_source,
            "risk_level": s.risk_level,
            "risk": s.risk,
            "pod_flagged": s.pod_flagged,
            "growth_spikes": s.growth_spikes,
            "sponsored_share": s.sponsored_share,
            "undisclosed_posts": s.undisclosed_posts,
            "audit_at": s.as_of,
        }
        for account_id, s in summaries.items()
    }


def application_figures_refresh(*, application_ids: list[int]) -> int:
    """Copy the audit summary the brand sees into its applications (the applicants table's read model),
    whatever the application's state: an accepted creator keeps showing their figures."""
    apps = list(
        Application.objects.filter(pk__in=application_ids).values_list(
            "pk", "organisation_id", "account_id", "account__followers"
        )
    )
    by_org: dict[int, list[tuple[int, int, int]]] = {}
    for pk, organisation_id, account_id, followers in apps:
        by_org.setdefault(organisation_id, []).append((pk, account_id, followers))
    # One UPDATE per application in one transaction: much faster than a bulk CASE over 17 columns.
    with transaction.atomic():
        for organisation_id, group in by_org.items():
            figures = _figures(sorted({account_id for _pk, account_id, _f in group}), organisation_id)
            for pk, account_id, followers in group:
                values = figures.get(account_id)
                if values is None:
                    Application.objects.filter(pk=pk).update(followers=followers)
                else:
                    Application.objects.filter(pk=pk).update(followers=followers, **values)
    return len(apps)


def application_figures_after_audits(notice: AuditsStored) -> None:
    """After an audit run, one job refreshes the figures of every application of the audited accounts."""
    if notice.account_ids:
        job_enqueue(
            kind="campaigns.figures",
            payload={"account_ids": list(notice.account_ids)},
            key=f"campaigns-figures:after:{notice.job_key}",
        )


def application_figures_refresh_accounts(*, account_ids: list[int]) -> int:
    ids = list(Application.objects.filter(account_id__in=account_ids).values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), 2000):
        done += application_figures_refresh(application_ids=ids[start : start + 2000])
    return done


@transaction.atomic
def application_create(
    *,
    tenant: Tenant,
    campaign_id: int,
    account_id: int,
    pitch: str,
    accept_brief: bool,
    proposed_fee: Any = None,
) -> Application:
    """A creator applies with one of their claimed accounts, accepting the brief."""
    if not tenant.is_creator or tenant.user_id is None:
        raise NotAllowed("creators_only", _("Only creators apply to campaigns."))
    campaign = Campaign.objects.filter(pk=campaign_id, state=C.OPEN).first()
    if campaign is None:
        raise Http404("campaign")
    if not accept_brief:
        raise InvalidInput("brief_not_accepted", _("Accept the brief to apply."), {"field": "accept_brief"})
    account = claimed_accounts(user_id=tenant.user_id).filter(pk=account_id).first()
    if account is None:
        raise InvalidInput(
            "account_not_yours", _("Apply with one of your claimed profiles."), {"field": "account"}
        )
    figures = _figures([account.pk], campaign.organisation_id).get(account.pk, {})
    barred = CreatorBar.objects.filter(
        organisation_id=campaign.organisation_id, account_id=account.pk
    ).exists()
    reasons = campaign_fit_reasons(campaign=campaign, account=account, figures=figures, barred=barred)
    if reasons:
        raise InvalidInput(
            "not_eligible",
            _("This campaign is not open to this profile: %(r)s") % {"r": "; ".join(reasons)},
            {"reasons": reasons},
        )
    fee = _decimal(proposed_fee, "proposed_fee") if campaign.compensation != "product" else None
    try:
        with transaction.atomic():
            app = Application.objects.create(
                organisation_id=campaign.organisation_id,
                campaign=campaign,
                creator_user_id=tenant.user_id,
                account=account,
                pitch=pitch.strip(),
                proposed_fee=fee,
                brief_accepted_at=timezone.now(),
                followers=account.followers,
                **figures,
            )
    except IntegrityError as exc:
        raise InvalidInput("already_applied", _("You already applied with this profile."), {}) from exc
    Invitation.objects.filter(campaign=campaign, account=account).update(state=Invitation.State.APPLIED)
    _event(campaign, "application.applied", application=app, actor_id=tenant.user_id)
    if app.audit_at is None and campaign.unknown_figures == Campaign.UnknownFigures.AUDIT:
        # the brand judges this creator on an audit: run it now (the figures arrive after audits_stored)
        audit_request(account_id=account.pk)
    return app


@transaction.atomic
def application_shortlist(*, tenant: Tenant, application_id: int) -> Application:
    _brand_or_404(tenant)
    app = _brand_application(tenant, application_id)
    _move(app, A.SHORTLISTED, actor_id=tenant.user_id)
    return app


def _creator_email(app: Application) -> str:
    return (
        get_user_model().objects.filter(pk=app.creator_user_id).values_list("email", flat=True).first() or ""
    )


@transaction.atomic
def application_accept(
    *, tenant: Tenant, application_id: int, agreed_fee: Any = None, message: str = ""
) -> Application:
    _brand_or_404(tenant)
    app = _brand_application(tenant, application_id)
    campaign = Campaign.objects.select_for_update().get(pk=app.campaign_id)
    if campaign.state not in (C.OPEN, C.CLOSED, C.RUNNING):
        raise IllegalTransition(_("campaign"), campaign.get_state_display(), _("accepting creators"))
    taken = Application.objects.filter(campaign=campaign, state__in=machine.ACCEPTED_STATES).count()
    if taken >= campaign.creators_wanted:
        raise CampaignFull(campaign.creators_wanted)
    app.agreed_fee = _decimal(agreed_fee, "agreed_fee") if agreed_fee not in (None, "") else app.proposed_fee
    app.accepted_at = timezone.now()
    _move(app, A.ACCEPTED, actor_id=tenant.user_id, _fields=["agreed_fee", "accepted_at"])
    if message.strip():
        _message_create(app, author_id=tenant.user_id, from_brand=True, body=message)
    with _recipient_language(app.creator_user_id):
        _notify(
            key=f"campaign-accepted:{app.pk}",
            user_id=app.creator_user_id,
            to=_creator_email(app),
            subject=_("You are in: %(c)s") % {"c": campaign.title},
            body=_("Your application was accepted. Confirm your address and variant here: %(u)s")
            % {"u": _site(f"/campaigns/applications/{app.pk}/")},
        )
    return app


@transaction.atomic
def application_decline(*, tenant: Tenant, application_id: int, message: str = "") -> Application:
    _brand_or_404(tenant)
    app = _brand_application(tenant, application_id)
    _move(app, A.DECLINED, actor_id=tenant.user_id)
    if message.strip():
        _message_create(app, author_id=tenant.user_id, from_brand=True, body=message)
    return app


@transaction.atomic
def application_withdraw(*, tenant: Tenant, application_id: int) -> Application:
    app = _creator_application(tenant, application_id)
    _move(app, A.WITHDRAWN, actor_id=tenant.user_id)
    return app


@transaction.atomic
def invitation_decline(*, tenant: Tenant, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(pk=invitation_id, creator_user_id=tenant.user_id).first()
    if invitation is None or tenant.user_id is None:
        raise Http404("invitation")
    if invitation.state != Invitation.State.SENT:
        raise IllegalTransition(_("invitation"), invitation.get_state_display(), _("declined"))
    invitation.state = Invitation.State.DECLINED
    invitation.save(update_fields=["state"])
    _event(invitation.campaign, "invitation.declined", actor_id=tenant.user_id, invitation=invitation.pk)
    return invitation


@dataclass(frozen=True)
class InviteSummary:
    invited: int
    by_email: int
    skipped: int


@transaction.atomic
def invitations_from_shortlist(*, tenant: Tenant, campaign_id: int, shortlist_id: int) -> InviteSummary:
    """Invite every creator of a shortlist who has a microreach account (a claimed profile): in the app and
    by e-mail. A profile known only from imported or public data is skipped: its public contact address
    (a bio) gives no lawful basis to e-mail its owner, who never signed up (GDPR)."""
    from microreach.web.discovery.selectors import shortlist_entries, shortlist_get

    _brand_or_404(tenant)
    campaign = _brand_campaign(tenant, campaign_id)
    if campaign.state != C.OPEN:
        raise IllegalTransition(_("campaign"), campaign.get_state_display(), _("inviting creators"))
    shortlist = shortlist_get(tenant=tenant, shortlist_id=shortlist_id)
    barred = set(
        CreatorBar.objects.filter(organisation_id=campaign.organisation_id).values_list(
            "account_id", flat=True
        )
    )
    invited = by_email = skipped = 0
    for entry, _row in shortlist_entries(tenant=tenant, shortlist=shortlist):
        account = account_get_by_id(account_id=entry.account_id)
        user = account.creator.claimed_by if account.creator else None
        email = user.email if user else ""
        if account.pk in barred or not email:
            skipped += 1
            continue
        invitation, created = Invitation.objects.get_or_create(
            campaign=campaign,
            account=account,
            defaults={
                "organisation_id": campaign.organisation_id,
                "creator_user": user,
                "by_email": user is None,
            },
        )
        if not created:
            skipped += 1
            continue
        invited += 1
        by_email += int(user is None)
        link = f"/campaigns/{campaign.pk}/brief/" if user else "/accounts/signup/creator/"
        email_queue(
            key=f"campaign-invite:{invitation.pk}",
            to=email,
            subject=_("An invitation to apply: %(c)s") % {"c": campaign.title},
            body=_(
                "A brand invites @%(h)s to apply to its campaign « %(c)s ». Applications close on %(d)s: %(u)s"
            )
            % {
                "h": account.handle,
                "c": campaign.title,
                "d": campaign.applications_close_on,
                "u": _site(link),
            },
        )
        _event(
            campaign,
            "invitation.sent",
            actor_id=tenant.user_id,
            invitation=invitation.pk,
            by_email=user is None,
        )
    return InviteSummary(invited, by_email, skipped)


@transaction.atomic
def creator_bar(*, tenant: Tenant, account_id: int, reason: str = "") -> CreatorBar:
    _brand_or_404(tenant)
    # A brand may bar only a creator who applied to one of its campaigns.
    if not scoped(Application, tenant).filter(account_id=account_id).exists():
        raise Http404("account")
    organisation_id = tenant.organisation_id
    bar, _created = CreatorBar.objects.get_or_create(
        organisation_id=organisation_id, account_id=account_id, defaults={"reason": reason[:300]}
    )
    return bar


# --- messages --------------------------------------------------------------------------------------

_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+?\d[\s.-]?){8,}")


def _message_create(app: Application, *, author_id: int | None, from_brand: bool, body: str) -> Message:
    text = body.strip()
    if not text:
        raise InvalidInput("empty_message", _("Write a message."), {"field": "body"})
    if app.state not in machine.ADDRESS_VISIBLE_STATES and _CONTACT.search(text):
        raise InvalidInput(
            "contact_details",
            _("Keep contact details out of messages until the creator is accepted."),
            {"field": "body"},
        )
    message = Message.objects.create(
        organisation_id=app.organisation_id,
        application=app,
        author_id=author_id,
        from_brand=from_brand,
        body=text,
    )
    _event(app.campaign, "message.posted", application=app, actor_id=author_id, message=message.pk)
    if not from_brand:
        owner = (
            get_user_model()
            .objects.filter(pk=app.campaign.created_by_id)
            .values_list("email", flat=True)
            .first()
        )
        with _recipient_language(app.campaign.created_by_id):
            _notify(
                key=f"campaign-message:{message.pk}",
                user_id=app.campaign.created_by_id,
                to=owner or "",
                subject=_("New message about %(c)s") % {"c": app.campaign.title},
                body=_("A creator wrote to you: %(u)s") % {"u": _site(f"/campaigns/applications/{app.pk}/")},
            )
    if from_brand:
        with _recipient_language(app.creator_user_id):
            _notify(
                key=f"campaign-message:{message.pk}",
                user_id=app.creator_user_id,
                to=_creator_email(app),
                subject=_("New message about %(c)s") % {"c": app.campaign.title},
                body=_("You have a new message: %(u)s") % {"u": _site(f"/campaigns/applications/{app.pk}/")},
            )
    return message


@transaction.atomic
def message_post(*, tenant: Tenant, application_id: int, body: str) -> Message:
    if tenant.is_brand_side:
        app = _brand_application(tenant, application_id)
        return _message_create(app, author_id=tenant.user_id, from_brand=True, body=body)
    app = _creator_application(tenant, application_id)
    return _message_create(app, author_id=tenant.user_id, from_brand=False, body=body)


# --- shipping and personal data ----------------------------------------------------------------------

ADDRESS_FIELDS = ("recipient", "street", "postcode", "city", "country", "phone")


@transaction.atomic
def shipment_confirm_address(
    *, tenant: Tenant, application_id: int, variant: str, **address: str
) -> Shipment:
    app = _creator_application(tenant, application_id)
    if app.state != A.ACCEPTED:
        raise IllegalTransition(_("application"), app.get_state_display(), _("given an address"))
    variants = [v for p in app.campaign.products for v in p.get("variants", [])]
    if variants and variant not in variants:
        raise InvalidInput(
            "unknown_variant", _("Choose one of the campaign's variants."), {"field": "variant"}
        )
    missing = [
        f
        for f in ("recipient", "street", "postcode", "city", "country")
        if not str(address.get(f, "")).strip()
    ]
    if missing:
        raise InvalidInput("address_incomplete", _("The address is incomplete."), {"fields": missing})
    values = {f: str(address.get(f, "")).strip()[:300] for f in ADDRESS_FIELDS}
    values["country"] = values["country"].upper()[:2]
    shipment, _created = Shipment.objects.update_or_create(
        application=app,
        defaults={
            "organisation_id": app.organisation_id,
            "variant": variant,
            "address_confirmed_at": timezone.now(),
            **values,
        },
    )
    _event(app.campaign, "shipment.address_confirmed", application=app, actor_id=tenant.user_id)
    return shipment


@transaction.atomic
def shipment_mark_shipped(
    *, tenant: Tenant, application_id: int, carrier: str, tracking_number: str, cost: Any = None
) -> Shipment:
    _brand_or_404(tenant)
    app = _brand_application(tenant, application_id)
    shipment = Shipment.objects.filter(application=app, address_confirmed_at__isnull=False).first()
    if app.state == A.ACCEPTED and shipment is None:
        raise InvalidInput("no_address", _("The creator has not confirmed an address yet."), {})
    _move(app, A.SHIPPED, actor_id=tenant.user_id)
    assert shipment is not None
    shipment.carrier, shipment.tracking_number = carrier.strip()[:100], tracking_number.strip()[:100]
    shipment.cost = _decimal(cost, "cost")
    shipment.shipped_at = timezone.now()
    shipment.save()
    with _recipient_language(app.creator_user_id):
        _notify(
            key=f"campaign-shipped:{app.pk}",
            user_id=app.creator_user_id,
            to=_creator_email(app),
            subject=_("Your parcel is on its way: %(c)s") % {"c": app.campaign.title},
            body=_("Carrier %(c)s, tracking %(t)s. Tell us when it arrives: %(u)s")
            % {
                "c": shipment.carrier,
                "t": shipment.tracking_number,
                "u": _site(f"/campaigns/applications/{app.pk}/"),
            },
        )
    return shipment


@transaction.atomic
def shipment_mark_received(*, tenant: Tenant, application_id: int) -> Shipment:
    app = _creator_application(tenant, application_id)
    _move(app, A.RECEIVED, actor_id=tenant.user_id)
    shipment = Shipment.objects.get(application=app)
    shipment.received_at = timezone.now()
    shipment.save(update_fields=["received_at"])
    return shipment


def _anonymise(shipment: Shipment) -> None:
    for field in ADDRESS_FIELDS:
        setattr(shipment, field, "")
    shipment.anonymised_at = timezone.now()
    shipment.save()


@transaction.atomic
def personal_data_delete(*, tenant: Tenant) -> int:
    """A creator's request: erase their addresses from every shipment (the log keeps only ids)."""
    if tenant.user_id is None:
        raise Http404
    shipments = list(
        Shipment.objects.filter(
            application__creator_user_id=tenant.user_id, anonymised_at__isnull=True
        ).select_related("application__campaign")
    )
    for shipment in shipments:
        _anonymise(shipment)
        _event(
            shipment.application.campaign,
            "shipment.address_deleted",
            application=shipment.application,
            actor_id=tenant.user_id,
        )
    return len(shipments)


def shipments_anonymise_expired(*, now: datetime) -> int:
    """Anonymise addresses ``PERSONAL_DATA_RETENTION_DAYS`` after their campaign ended."""
    days = int(settings.MICROREACH["PERSONAL_DATA_RETENTION_DAYS"])
    cutoff = now - timedelta(days=days)
    expired = Shipment.objects.filter(
        anonymised_at__isnull=True,
        application__campaign__ended_at__lt=cutoff,
        application__campaign__state__in=[C.COMPLETED, C.CANCELLED],
    ).select_related("application__campaign")
    count = 0
    for shipment in expired:
        with transaction.atomic():
            _anonymise(shipment)
            _event(
                shipment.application.campaign, "shipment.address_anonymised", application=shipment.application
            )
        count += 1
    return count


# --- content -----------------------------------------------------------------------------------------


def _require_link(value: str, *, field: str) -> None:
    """A link someone typed: only http(s) is accepted (a ``javascript:`` link would run on the page)."""
    problem = http_url_problem(value)
    if problem is not None:
        raise InvalidInput("invalid_url", problem, {"field": field})


@transaction.atomic
def draft_submit(
    *,
    tenant: Tenant,
    application_id: int,
    deliverable: str,
    caption: str,
    link: str = "",
    media: UploadedFile | None = None,
    planned_for: date | None = None,
    declared_retouched: bool = False,
    declared_virtual: bool = False,
) -> ContentDraft:
    """Submit (or resubmit) a deliverable's draft. It is checked first; a draft with errors stays with the
    creator (``blocked``) and the application does not move."""
    app = _creator_application(tenant, application_id)
    campaign = app.campaign
    no_product = not campaign.products
    allowed = {A.RECEIVED, A.CONTENT_SUBMITTED} | ({A.ACCEPTED} if no_product else set())
    if app.state not in allowed:
        raise IllegalTransition(
            _("application"), app.get_state_display(), str(ApplicationState(A.CONTENT_SUBMITTED).label)
        )
    if not caption.strip():
        raise InvalidInput("empty_caption", _("Write the caption."), {"field": "caption"})
    if link:
        _require_link(link, field="link")
    if media is not None:
        media = uploads.checked_upload(media, field="media", allow_video=True)
    items = content_checks.draft_checks(
        caption=caption,
        jurisdictions=list(campaign.jurisdictions),
        mandatory_mentions=list(campaign.mandatory_mentions),
        mandatory_hashtags=list(campaign.mandatory_hashtags),
        declared_retouched=declared_retouched,
        declared_virtual=declared_virtual,
    )
    status = content_checks.check_status(items)
    previous = (
        ContentDraft.objects.filter(application=app, deliverable=deliverable).order_by("-version").first()
    )
    ContentDraft.objects.filter(application=app, deliverable=deliverable).exclude(
        review_state=ReviewState.APPROVED
    ).update(review_state=ReviewState.SUPERSEDED)
    draft = ContentDraft.objects.create(
        organisation_id=app.organisation_id,
        application=app,
        deliverable=deliverable[:60],
        version=(previous.version + 1) if previous else 1,
        caption=caption,
        link=link,
        media=media or "",
        planned_for=planned_for,
        declared_retouched=declared_retouched,
        declared_virtual=declared_virtual,
        checks=content_checks.as_json(items),
        check_status=status,
        review_state=ReviewState.BLOCKED if status == content_checks.ERROR else ReviewState.SUBMITTED,
    )
    _event(
        campaign,
        "draft.submitted",
        application=app,
        actor_id=tenant.user_id,
        draft=draft.pk,
        version=draft.version,
        check_status=status,
    )
    if draft.review_state == ReviewState.SUBMITTED and app.state != A.CONTENT_SUBMITTED:
        _move(app, A.CONTENT_SUBMITTED, actor_id=tenant.user_id)
    return draft


def _approve_if_complete(app: Application, *, actor_id: int | None) -> None:
    kinds = deliverable_names(app.campaign)
    approved = set(
        ContentDraft.objects.filter(application=app, review_state=ReviewState.APPROVED).values_list(
            "deliverable", flat=True
        )
    )
    if app.state == A.CONTENT_SUBMITTED and set(kinds) <= approved:
        _move(app, A.APPROVED, actor_id=actor_id)


def deliverable_names(campaign: Campaign) -> list[str]:
    """One name per deliverable unit: "instagram reel 1", "instagram story 2"…"""
    names = []
    for d in campaign.deliverables:
        for i in range(int(d.get("count", 1))):
            names.append(f"{d.get('network', '')} {d.get('kind', '')} {i + 1}".strip())
    return names


@transaction.atomic
def draft_review(
    *, tenant: Tenant, draft_id: int, approve: bool, comment: str = "", confirm_wording: bool = False
) -> ContentDraft:
    _brand_or_404(tenant)
    draft = get_scoped_or_404(ContentDraft, tenant, pk=draft_id)
    app = _brand_application(tenant, draft.application_id)
    if draft.review_state != ReviewState.SUBMITTED or app.state != A.CONTENT_SUBMITTED:
        raise IllegalTransition(_("draft"), draft.get_review_state_display(), _("reviewed"))
    if approve and draft.check_status == content_checks.CONFIRM and not confirm_wording:
        raise InvalidInput(
            "wording_unconfirmed",
            _("Confirm the equivalent disclosure wording before approving."),
            {"field": "confirm_wording"},
        )
    if not approve and not comment.strip():
        raise InvalidInput("comment_required", _("Say what to change."), {"field": "comment"})
    draft.review_state = ReviewState.APPROVED if approve else ReviewState.CHANGES_REQUESTED
    draft.review_comment = comment.strip()
    draft.brand_confirmed_wording = confirm_wording
    draft.reviewed_at = timezone.now()
    draft.save()
    _event(
        app.campaign,
        "draft.approved" if approve else "draft.changes_requested",
        application=app,
        actor_id=tenant.user_id,
        draft=draft.pk,
    )
    if approve:
        _approve_if_complete(app, actor_id=tenant.user_id)
    with _recipient_language(app.creator_user_id):
        _notify(
            key=f"campaign-review:{draft.pk}",
            user_id=app.creator_user_id,
            to=_creator_email(app),
            subject=_("Your draft was reviewed: %(c)s") % {"c": app.campaign.title},
            body=_("See the brand's answer: %(u)s") % {"u": _site(f"/campaigns/applications/{app.pk}/")},
        )
    return draft


def drafts_auto_approve(*, now: datetime) -> int:
    """Approve drafts whose review delay passed, in campaigns that chose automatic approval."""
    due = ContentDraft.objects.filter(
        review_state=ReviewState.SUBMITTED,
        check_status__in=["ok", "warning"],
        application__campaign__auto_approve=True,
        application__state=A.CONTENT_SUBMITTED,
    ).select_related("application__campaign")
    count = 0
    for draft in due:
        if draft.submitted_at + timedelta(days=draft.application.campaign.review_days) > now:
            continue
        with transaction.atomic():
            app = (
                Application.objects.select_for_update()
                .select_related("campaign")
                .get(pk=draft.application_id)
            )
            updated = ContentDraft.objects.filter(pk=draft.pk, review_state=ReviewState.SUBMITTED).update(
                review_state=ReviewState.APPROVED,
                reviewed_at=now,
                review_comment=_("Approved automatically."),
            )
            if updated:
                _event(app.campaign, "draft.auto_approved", application=app, draft=draft.pk)
                _approve_if_complete(app, actor_id=None)
                count += 1
    return count


@transaction.atomic
def post_submit(
    *,
    tenant: Tenant,
    application_id: int,
    url: str,
    deliverable: str = "",
    screen_capture: UploadedFile | None = None,
) -> CampaignPost:
    app = _creator_application(tenant, application_id)
    if app.state not in (A.APPROVED, A.PUBLISHED):
        raise IllegalTransition(
            _("application"), app.get_state_display(), str(ApplicationState(A.PUBLISHED).label)
        )
    kind = deliverable.split(" ")[1] if deliverable.count(" ") >= 1 else ""
    if kind in content_checks.content_policy().ephemeral_kinds and screen_capture is None:
        raise InvalidInput(
            "capture_required",
            _("Stories vanish within a day: upload a screen capture as proof."),
            {"field": "screen_capture"},
        )
    _require_link(url, field="url")
    from microreach.web.campaigns import verification

    problem = verification.link_problem(campaign=app.campaign, deliverable=deliverable, url=url)
    if problem is not None:
        raise InvalidInput("not_a_post_link", problem, {"field": "url"})
    if screen_capture is not None:
        screen_capture = uploads.checked_upload(screen_capture, field="screen_capture", allow_video=False)
    from microreach.web.campaigns.selectors import post_lookup

    post = CampaignPost.objects.create(
        organisation_id=app.organisation_id,
        application=app,
        deliverable=deliverable[:60],
        url=url,
        post_id=post_lookup(account_id=app.account_id, url=url),
        screen_capture=screen_capture or "",
        published_at=timezone.now(),
    )
    _event(app.campaign, "post.published", application=app, actor_id=tenant.user_id, post=post.pk)
    if app.state == A.APPROVED:
        _move(app, A.PUBLISHED, actor_id=tenant.user_id)
    # verified at the source by the worker (network calls stay out of the request)
    job_enqueue(
        kind="campaigns.post_verify", payload={"campaign_post_id": post.pk}, key=f"post_verify:{post.pk}:0"
    )
    return post


@transaction.atomic
def post_verify_again(*, tenant: Tenant, post_id: int) -> CampaignPost:
    """Check a published post again (the brand or its creator), e.g. after connecting the account."""
    from microreach.web.campaigns.selectors import application_for_tenant

    post = CampaignPost.objects.filter(pk=post_id).select_related("application__campaign").first()
    if post is None:
        raise Http404("campaign post")
    application_for_tenant(tenant=tenant, application_id=post.application_id)
    runs = ActivityEvent.objects.filter(
        campaign_id=post.application.campaign_id, event="post.verify_requested", data__post=post.pk
    ).count()
    _event(
        post.application.campaign,
        "post.verify_requested",
        application=post.application,
        actor_id=tenant.user_id,
        post=post.pk,
    )
    job_enqueue(
        kind="campaigns.post_verify",
        payload={"campaign_post_id": post.pk},
        key=f"post_verify:{post.pk}:{runs + 1}",
    )
    return post


@transaction.atomic
def post_accept(*, tenant: Tenant, post_id: int, note: str = "") -> CampaignPost:
    """The brand accepts a published post; a post whose checks did not all pass needs a note saying why."""
    _brand_or_404(tenant)
    post = get_scoped_or_404(CampaignPost, tenant, pk=post_id)
    post = CampaignPost.objects.select_for_update().select_related("application__campaign").get(pk=post.pk)
    from microreach.web.campaigns import verification

    note = note.strip()
    if len(note) > 2000:
        raise InvalidInput("too_long", _("The note is longer than 2000 characters."), {"field": "note"})
    statuses = list(post.checks.values_list("status", flat=True))
    if verification.verification_status(statuses) != verification.PASSED and not note:
        raise InvalidInput(
            "note_required",
            _("Some checks did not pass or could not be verified: say in a note why you accept this post."),
            {"field": "note"},
        )
    post.accepted_at = timezone.now()
    post.accepted_note = note
    post.save(update_fields=["accepted_at", "accepted_note"])
    _event(
        post.application.campaign,
        "post.accepted",
        application=post.application,
        actor_id=tenant.user_id,
        post=post.pk,
    )
    return post


# --- sales -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SalesImport:
    imported: int
    updated: int
    errors: tuple[str, ...]


@transaction.atomic
def sales_import(*, tenant: Tenant, campaign_id: int, csv_text: str) -> SalesImport:
    """Import a shop's CSV (columns order, date, amount, promo_code): one sale per order, matched to the
    creator by promo code; commission = amount × the campaign's rate."""
    _brand_or_404(tenant)
    campaign = _brand_campaign(tenant, campaign_id)
    codes = {
        a.promo_code.upper(): a for a in Application.objects.filter(campaign=campaign).exclude(promo_code="")
    }
    rate = (campaign.commission_rate or Decimal("0")) / Decimal("100")
    imported = updated = 0
    errors: list[str] = []
    for line, row in enumerate(csv.DictReader(io.StringIO(csv_text)), start=2):
        try:
            amount = _decimal(row.get("amount"), "amount")
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
                "commission": (amount * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                "sold_on": sold_on,
            },
        )
        imported += int(created)
        updated += int(not created)
    _event(
        campaign,
        "sales.imported",
        actor_id=tenant.user_id,
        imported=imported,
        updated=updated,
        errors=len(errors),
    )
    return SalesImport(imported, updated, tuple(errors))


# --- reminders, no-shows, removed posts (the worker) ---------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    key: str
    kind: str
    campaign_id: int
    organisation_id: int
    application_id: int | None
    recipient_id: int
    text: str


def reminder_send(*, trigger: Trigger) -> bool:
    """Claim the trigger's unique row, then queue its e-mail and log it, in one transaction.

    A second claim of the same trigger fails on the unique key and sends nothing; a crash before the
    commit leaves no row, so the next scan finds the trigger again.
    """
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                organisation_id=trigger.organisation_id,
                campaign_id=trigger.campaign_id,
                application_id=trigger.application_id,
                kind=trigger.kind,
                trigger_key=trigger.key,
                recipient_id=trigger.recipient_id,
                text=trigger.text[:500],
            )
            email = (
                get_user_model()
                .objects.filter(pk=trigger.recipient_id)
                .values_list("email", flat=True)
                .first()
            )
            if email:
                with _recipient_language(trigger.recipient_id):
                    email_queue(
                        key=f"reminder:{trigger.key}",
                        to=email,
                        subject=_("microreach reminder"),
                        body=trigger.text + "\n\n" + _site("/campaigns/"),
                    )
            ActivityEvent.objects.create(
                organisation_id=trigger.organisation_id,
                campaign_id=trigger.campaign_id,
                application_id_ref=trigger.application_id,
                event=f"reminder.{trigger.kind}",
                data={"reminder": reminder.pk},
            )
    except IntegrityError:
        return False
    return True


def no_shows_record(*, now: datetime) -> int:
    """A creator who received the product (or had it shipped) and never published by the end of the
    publication window plus a week is recorded as a no-show."""
    cutoff = (now - timedelta(days=7)).date()
    due = Application.objects.filter(
        state__in=[A.SHIPPED, A.RECEIVED, A.CONTENT_SUBMITTED, A.APPROVED],
        campaign__publication_end__lt=cutoff,
    ).values_list("pk", flat=True)
    count = 0
    for app_id in list(due):
        with transaction.atomic():
            app = Application.objects.select_for_update().select_related("campaign").get(pk=app_id)
            if machine.can_move(machine.APPLICATION, app.state, A.NO_SHOW):
                _move(app, A.NO_SHOW, actor_id=None)
                count += 1
    return count


def posts_check_removed(*, now: datetime) -> int:
    """A tracked post missing from a newer import of its account (its row older than the account's newest
    data) before the minimum time online counts as removed."""
    from microreach.web.campaigns.selectors import posts_removed_candidates

    count = 0
    for post in posts_removed_candidates(now=now):
        with transaction.atomic():
            if CampaignPost.objects.filter(pk=post.pk, removed_at__isnull=True).update(removed_at=now):
                _event(
                    post.application.campaign,
                    "post.removed_early",
                    application=post.application,
                    post=post.pk,
                )
                count += 1
    return count


def campaigns_worker_pass(*, now: datetime) -> dict[str, int]:
    """One pass of the campaigns worker: auto-approvals, no-shows, removed posts, then every due reminder."""
    from microreach.web.campaigns.selectors import reminders_due

    # Applications whose audit was not ready when they were made get their figures once it is.
    waiting = Application.objects.filter(
        campaign__state__in=[C.OPEN, C.CLOSED, C.RUNNING], audit_at__isnull=True
    ).values_list("pk", flat=True)
    result = {
        "figures_refreshed": application_figures_refresh(application_ids=list(waiting[:5000])),
        "auto_approved": drafts_auto_approve(now=now),
        "no_shows": no_shows_record(now=now),
        "removed": posts_check_removed(now=now),
        "anonymised": shipments_anonymise_expired(now=now),
    }
    sent = 0
    for trigger in reminders_due(now=now):
        sent += int(reminder_send(trigger=trigger))
    result["reminders"] = sent
    return result


def reminder_mark_read(*, tenant: Tenant, reminder_id: int) -> None:
    """Dismiss an in-app reminder (only one's own: anything else does not exist)."""
    updated = Reminder.objects.filter(Q(pk=reminder_id) & Q(recipient_id=tenant.user_id)).update(
        read_at=timezone.now()
    )
    if not updated or tenant.user_id is None:
        raise Http404("reminder")
