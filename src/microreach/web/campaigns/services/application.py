"""Writes of the application aggregate: apply, shortlist, accept, decline, withdraw; the audit figures a
brand sees; invitations and bars."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant, scoped
from microreach.web.audits.contracts import audit_request, audit_summaries
from microreach.web.campaigns import budget, machine
from microreach.web.campaigns.commands import AmountText
from microreach.web.campaigns.eligibility import campaign_fit_reasons
from microreach.web.campaigns.errors import (
    ApplicationsClosed,
    CampaignFull,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
)
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import (
    Application,
    Campaign,
    CreatorBar,
    Invitation,
)
from microreach.web.campaigns.services._common import (
    amount_parse,
    application_move,
    brand_application,
    brand_campaign,
    brand_or_404,
    campaign_illegal,
    creator_application,
    creator_email,
    event_log,
    notify,
    recipient_language,
    site_url,
    user_email,
)
from microreach.web.campaigns.services.message import message_create
from microreach.web.creators.contracts import creator_account_get, creator_accounts_claimed
from microreach.web.discovery.contracts import shortlist_account_ids
from microreach.web.errors import ErrorCode
from microreach.web.events import AuditsStored
from microreach.web.formatting import clauses
from microreach.web.jobs.contracts import job_enqueue


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
            "sample_size": s.sample_size,
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
    proposed_fee: AmountText = None,
) -> Application:
    """A creator applies with one of their claimed accounts, accepting the brief. A profile whose
    application was withdrawn applies again (``_application_renew``) while the campaign is open."""
    if not tenant.is_creator or tenant.user_id is None:
        raise NotAllowed(ErrorCode.CREATORS_ONLY, _("Only creators apply to campaigns."))
    campaign = Campaign.objects.filter(pk=campaign_id, state=C.OPEN).first()
    if campaign is None:
        raise Http404("campaign")
    # the marketplace stops listing it after its closing day (selectors.creator_feed); a link kept from
    # before must not let an application in either
    if campaign.applications_close_on < timezone.localdate():
        raise ApplicationsClosed(campaign.applications_close_on)
    if not accept_brief:
        raise InvalidInput(
            ErrorCode.BRIEF_NOT_ACCEPTED, _("Accept the brief to apply."), {"field": "accept_brief"}
        )
    claimed = creator_accounts_claimed(user_id=tenant.user_id)
    account = next((a for a in claimed if a.account_id == account_id), None)
    if account is None:
        raise InvalidInput(
            ErrorCode.ACCOUNT_NOT_YOURS, _("Apply with one of your claimed profiles."), {"field": "account"}
        )
    figures = _figures([account.account_id], campaign.organisation_id).get(account.account_id, {})
    barred = CreatorBar.objects.filter(
        organisation_id=campaign.organisation_id, account_id=account.account_id
    ).exists()
    reasons = campaign_fit_reasons(
        campaign=campaign,
        account=account,
        figures=figures,
        barred=barred,
        claimed_networks={a.network for a in claimed},
    )
    if reasons:
        raise InvalidInput(
            ErrorCode.NOT_ELIGIBLE,
            _("This campaign is not open to this profile: %(r)s") % {"r": clauses(reasons)},
            {"reasons": reasons},
        )
    fee = amount_parse(proposed_fee, "proposed_fee") if campaign.compensation != "product" else None
    values: dict[str, Any] = {
        "pitch": pitch.strip(),
        "proposed_fee": fee,
        "brief_accepted_at": timezone.now(),
        "followers": account.followers,
        **figures,
    }
    withdrawn = (
        Application.objects.select_for_update()
        .filter(campaign=campaign, account_id=account.account_id, state=A.WITHDRAWN)
        .first()
    )
    if withdrawn is not None:
        app = _application_renew(withdrawn, user_id=tenant.user_id, values=values)
    else:
        try:
            with transaction.atomic():
                app = Application.objects.create(
                    organisation_id=campaign.organisation_id,
                    campaign=campaign,
                    creator_user_id=tenant.user_id,
                    account_id=account.account_id,
                    **values,
                )
        except IntegrityError as exc:
            raise InvalidInput(
                ErrorCode.ALREADY_APPLIED,
                _("You already applied with this profile."),
                _standing_application(
                    campaign=campaign, account_id=account.account_id, user_id=tenant.user_id
                ),
            ) from exc
        event_log(campaign, "application.applied", application=app, actor_id=tenant.user_id)
    Invitation.objects.filter(campaign=campaign, account_id=account.account_id).update(
        state=Invitation.State.APPLIED
    )
    if app.audit_at is None and campaign.unknown_figures == Campaign.UnknownFigures.AUDIT:
        # the brand judges this creator on an audit: run it now (the figures arrive after audits_stored)
        audit_request(account_id=account.account_id)
    return app


def _standing_application(*, campaign: Campaign, account_id: int, user_id: int | None) -> dict[str, Any]:
    """What ``already_applied`` tells the creator of the application that stands: its id and state, so a
    client can open it instead of applying again (none when the profile's application is a former owner's)."""
    found = (
        Application.objects.filter(campaign=campaign, account_id=account_id, creator_user_id=user_id)
        .values("pk", "state")
        .first()
    )
    return {
        "account_id": account_id,
        "application_id": found["pk"] if found else None,
        "application_state": found["state"] if found else None,
    }


def _application_renew(app: Application, *, user_id: int, values: dict[str, Any]) -> Application:
    """Apply again with a profile whose application was withdrawn: the same row (one application per
    profile and campaign), its thread and history kept for the brand, back to "applied" with the new
    pitch, fee and figures and nothing of what the brand had decided. Withdrawn stays a final state of the
    state machine: this is a new application, recorded as one ("application.applied", ``again``)."""
    if app.creator_user_id != user_id:
        # the profile changed hands: its former owner's thread and address are not the new owner's
        raise InvalidInput(ErrorCode.ALREADY_APPLIED, _("This profile already applied to this campaign."), {})
    for name, value in values.items():
        setattr(app, name, value)
    app.state, app.agreed_fee, app.accepted_at = A.APPLIED, None, None
    app.save()
    event_log(
        app.campaign,
        "application.applied",
        application=app,
        actor_id=user_id,
        previous=A.WITHDRAWN,
        again=True,
    )
    return app


@transaction.atomic
def application_shortlist(*, tenant: Tenant, application_id: int) -> Application:
    brand_or_404(tenant)
    app = brand_application(tenant, application_id)
    application_move(app, A.SHORTLISTED, actor_id=tenant.user_id)
    return app


@transaction.atomic
def application_accept(
    *,
    tenant: Tenant,
    application_id: int,
    agreed_fee: AmountText = None,
    message: str = "",
    confirm_over_budget: bool = False,
) -> Application:
    """Accept a creator (at the agreed fee given, else the proposed one); refused when the campaign is full,
    and when the fee takes the fees committed over the budget unless ``confirm_over_budget``."""
    brand_or_404(tenant)
    app = brand_application(tenant, application_id)
    campaign = Campaign.objects.select_for_update().get(pk=app.campaign_id)
    if campaign.state not in (C.OPEN, C.CLOSED, C.RUNNING):
        raise campaign_illegal(campaign, "accepting_creators", _("accepting creators"))
    taken = Application.objects.filter(campaign=campaign, state__in=machine.ACCEPTED_STATES).count()
    if taken >= campaign.creators_wanted:
        raise CampaignFull(campaign.creators_wanted)
    app.agreed_fee = (
        amount_parse(agreed_fee, "agreed_fee") if agreed_fee not in (None, "") else app.proposed_fee
    )
    budget.accept_within_budget(
        campaign=campaign,
        handle=app.account.handle,
        fee=app.agreed_fee,
        confirm_over_budget=confirm_over_budget,
    )
    app.accepted_at = timezone.now()
    application_move(app, A.ACCEPTED, actor_id=tenant.user_id, _fields=["agreed_fee", "accepted_at"])
    if message.strip():
        message_create(app, author_id=tenant.user_id, from_brand=True, body=message)
    with recipient_language(app.creator_user_id):
        link = site_url(f"/campaigns/applications/{app.pk}/")
        notify(
            key=f"campaign-accepted:{app.pk}",
            user_id=app.creator_user_id,
            to=creator_email(app),
            subject=_("You are in: %(c)s") % {"c": campaign.title},
            campaign=campaign,
            template="accepted",
            context={"u": link},
            action_url=link,
            action_label=_("Open the application"),
        )
    return app


@transaction.atomic
def application_decline(*, tenant: Tenant, application_id: int, message: str = "") -> Application:
    brand_or_404(tenant)
    app = brand_application(tenant, application_id)
    application_move(app, A.DECLINED, actor_id=tenant.user_id)
    if message.strip():
        message_create(app, author_id=tenant.user_id, from_brand=True, body=message)
    return app


@transaction.atomic
def application_withdraw(*, tenant: Tenant, application_id: int) -> Application:
    app = creator_application(tenant, application_id)
    application_move(app, A.WITHDRAWN, actor_id=tenant.user_id)
    return app


@transaction.atomic
def invitation_decline(*, tenant: Tenant, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.filter(pk=invitation_id, creator_user_id=tenant.user_id).first()
    if invitation is None or tenant.user_id is None:
        raise Http404("invitation")
    if invitation.state != Invitation.State.SENT:
        raise IllegalTransition(
            "invitation",
            invitation.state,
            str(Invitation.State.DECLINED),
            labels=(_("invitation"), invitation.get_state_display(), _("declined")),
        )
    invitation.state = Invitation.State.DECLINED
    invitation.save(update_fields=["state"])
    event_log(invitation.campaign, "invitation.declined", actor_id=tenant.user_id, invitation=invitation.pk)
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
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id)
    if campaign.state != C.OPEN:
        raise campaign_illegal(campaign, "inviting_creators", _("inviting creators"))
    account_ids = shortlist_account_ids(tenant=tenant, shortlist_id=shortlist_id)
    barred = set(
        CreatorBar.objects.filter(organisation_id=campaign.organisation_id).values_list(
            "account_id", flat=True
        )
    )
    invited = by_email = skipped = 0
    for shortlisted_id in account_ids:
        account = creator_account_get(account_id=shortlisted_id)
        user_id = account.claimed_by_id
        email = user_email(user_id)
        if account.account_id in barred or not email:
            skipped += 1
            continue
        invitation, created = Invitation.objects.get_or_create(
            campaign=campaign,
            account_id=account.account_id,
            defaults={
                "organisation_id": campaign.organisation_id,
                "creator_user_id": user_id,
                "by_email": user_id is None,
            },
        )
        if not created:
            skipped += 1
            continue
        invited += 1
        by_email += int(user_id is None)
        link = site_url(f"/campaigns/{campaign.pk}/brief/" if user_id else "/accounts/signup/creator/")
        notify(
            key=f"campaign-invite:{invitation.pk}",
            user_id=user_id,
            to=email,
            subject=_("An invitation to apply: %(c)s") % {"c": campaign.title},
            campaign=campaign,
            template="invitation",
            context={
                "h": account.handle,
                "c": campaign.title,
                "d": campaign.applications_close_on,
                "u": link,
            },
            action_url=link,
            action_label=_("See the brief"),
        )
        event_log(
            campaign,
            "invitation.sent",
            actor_id=tenant.user_id,
            invitation=invitation.pk,
            by_email=user_id is None,
        )
    return InviteSummary(invited, by_email, skipped)


@transaction.atomic
def creator_bar(*, tenant: Tenant, account_id: int, reason: str = "") -> CreatorBar:
    brand_or_404(tenant)
    # A brand may bar only a creator who applied to one of its campaigns.
    if not scoped(Application, tenant).filter(account_id=account_id).exists():
        raise Http404("account")
    organisation_id = tenant.organisation_id
    bar, _created = CreatorBar.objects.get_or_create(
        organisation_id=organisation_id, account_id=account_id, defaults={"reason": reason[:300]}
    )
    return bar
