"""Pages of the campaigns context. Each view parses a form, calls one service or selector, renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from microreach.web.accounts.contracts import TenantRequest, creator_user_id, verified_email_required
from microreach.web.campaigns import budget, selectors, todo, uploads, verification
from microreach.web.campaigns.choices import country_choices
from microreach.web.campaigns.forms import (
    AddressForm,
    ApplyForm,
    CampaignForm,
    DecisionForm,
    DraftForm,
    InviteForm,
    MessageForm,
    PostAcceptForm,
    PostForm,
    ReviewForm,
    SalesForm,
    ShipForm,
    ShortlistInviteForm,
    draft_to_rework,
    drafts_all_sent,
    posts_all_given,
)
from microreach.web.campaigns.models import Application, ApplicationState, CampaignState, Compensation
from microreach.web.campaigns.services import application as application_service
from microreach.web.campaigns.services import campaign as campaign_service
from microreach.web.campaigns.services import deliverable as deliverable_service
from microreach.web.campaigns.services import message as message_service
from microreach.web.campaigns.services import sales as sales_service
from microreach.web.campaigns.services import shipment as shipment_service
from microreach.web.campaigns.services import worker as worker_service
from microreach.web.creators.contracts import creator_accounts_claimed
from microreach.web.discovery.contracts import shortlist_refs
from microreach.web.errors import ApplicationError
from microreach.web.file_names import attachment_header


def _brand(request: TenantRequest) -> None:
    if not request.tenant.is_brand_side:
        raise Http404


def _creator(request: TenantRequest) -> None:
    creator_user_id(request.tenant)


def _attempt(request: TenantRequest, action: Callable[[], Any], success: str) -> Any:
    try:
        result = action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, success)
    return result


def _form_errors(request: TenantRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@login_required
def index(request: TenantRequest) -> HttpResponse:
    tenant = request.tenant
    if tenant.is_brand_side:
        return render(
            request,
            "campaigns/list.html",
            {
                "campaigns": selectors.campaign_list(tenant=tenant, live_first=True),
                "reminders": selectors.reminders_for(tenant=tenant),
            },
        )
    if tenant.is_creator:
        feed = selectors.creator_feed(tenant=tenant)
        return render(
            request,
            "campaigns/creator_index.html",
            {
                # the campaigns a profile fits (or applied to) first; the others folded, each with its why
                "feed": [i for i in feed if i.fitting_accounts or i.application],
                "others": [i for i in feed if not (i.fitting_accounts or i.application)],
                "applications": selectors.creator_applications(tenant=tenant),
                "invitations": selectors.creator_invitations(tenant=tenant),
                "reminders": selectors.reminders_for(tenant=tenant),
            },
        )
    raise Http404


@login_required
@verified_email_required
def create(request: TenantRequest) -> HttpResponse:
    """The one-page form, kept for scripts that POST it; people are sent to the wizard."""
    _brand(request)
    if request.method != "POST":
        return redirect("campaigns:wizard_new")
    from microreach.web.accounts.contracts import managed_brands, organisation_get

    own = organisation_get(tenant=request.tenant)
    brands = [(own.pk, own.name)] if own else []
    brands += [(b.pk, b.name) for b in managed_brands(tenant=request.tenant)]
    form = CampaignForm(request.POST or None, brands=brands)
    if request.method == "POST" and form.is_valid():
        campaign = _attempt(
            request,
            lambda: campaign_service.campaign_create(tenant=request.tenant, changes=form.to_changes()),
            _("Campaign saved as a draft."),
        )
        if campaign:
            return redirect("campaigns:detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


@login_required
def edit(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    form = CampaignForm(request.POST or None, initial=CampaignForm.initial_from(campaign))
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: campaign_service.campaign_update(
                tenant=request.tenant, campaign_id=pk, changes=form.to_changes()
            ),
            _("Campaign saved."),
        )
    ):
        return redirect("campaigns:detail", pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@login_required
def detail(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "accepted": selectors.accepted_count(campaign=campaign),
            # what waits for the brand here, each with the page where it is done
            "waiting": todo.campaign_todo_counts(
                tenant=request.tenant, campaign_id=pk, today=timezone.localdate()
            ),
            "events": selectors.activity_rows(tenant=request.tenant, campaign_id=pk),
            "invite_form": InviteForm(shortlists=shortlist_refs(tenant=request.tenant)),
            "sales_form": SalesForm(),
            "sales": selectors.sales_summary(tenant=request.tenant, campaign_id=pk),
            "over_budget": budget.planned_over_budget(campaign),
            "states": CampaignState,
        },
    )


@login_required
@require_POST
def transition(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    to = request.POST.get("to", "")
    _attempt(
        request,
        lambda: campaign_service.campaign_transition(
            tenant=request.tenant,
            campaign_id=pk,
            to=to,
            confirm_over_budget=request.POST.get("confirm_over_budget") == "1",
        ),
        _("Campaign published.") if to == CampaignState.OPEN else _("Campaign updated."),
    )
    return redirect("campaigns:detail", pk)


@login_required
@require_POST
@verified_email_required
def duplicate(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    copy = _attempt(
        request,
        lambda: campaign_service.campaign_duplicate(tenant=request.tenant, campaign_id=pk),
        _("Campaign duplicated as a draft."),
    )
    return redirect("campaigns:detail", copy.pk if copy else pk)


@login_required
@require_POST
def invite(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    form = InviteForm(request.POST, shortlists=shortlist_refs(tenant=request.tenant))
    if form.is_valid():
        try:
            summary = application_service.invitations_from_shortlist(
                tenant=request.tenant, campaign_id=pk, shortlist_id=form.cleaned_data["shortlist"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s creator invited (%(e)s by e-mail only), %(s)s skipped (no microreach account, barred or "
                    "already invited).",
                    "%(n)s creators invited (%(e)s by e-mail only), %(s)s skipped (no microreach account, barred or "
                    "already invited).",
                    summary.invited,
                )
                % {"n": summary.invited, "e": summary.by_email, "s": summary.skipped},
            )
    else:
        selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
        _form_errors(request, form)
    return redirect("campaigns:detail", pk)


@login_required
@require_POST
def invite_shortlist(request: TenantRequest) -> HttpResponse:
    """From a shortlist's page: invite its creators to the open campaign chosen there (then the campaign's
    page, which lists its invitations)."""
    _brand(request)
    form = ShortlistInviteForm(request.POST, shortlists=shortlist_refs(tenant=request.tenant))
    if form.is_valid():
        return invite(request, form.cleaned_data["campaign"])
    chosen = form.cleaned_data.get("campaign")  # a valid id even when the shortlist is not
    if chosen is not None:
        selectors.campaign_get(tenant=request.tenant, campaign_id=chosen)  # 404: not this brand's
    _form_errors(request, form)
    back = request.POST.get("shortlist", "")
    if back.isdigit() and any(s.shortlist_id == int(back) for s in shortlist_refs(tenant=request.tenant)):
        return redirect("discovery:shortlist", shortlist_id=int(back))
    return redirect("discovery:shortlists")


@login_required
def addresses(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    name, text = selectors.addresses_csv(tenant=request.tenant, campaign_id=pk)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(name)
    return response


@login_required
@require_POST
def sales(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    form = SalesForm(request.POST, request.FILES)
    selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    if form.is_valid():
        text = form.cleaned_data["file"].read().decode("utf-8-sig", errors="replace")
        result = _attempt(
            request,
            lambda: sales_service.sales_import(tenant=request.tenant, campaign_id=pk, csv_text=text),
            _("Sales imported."),
        )
        for error in (result.errors if result else ())[:10]:
            messages.warning(request, error)
    return redirect("campaigns:detail", pk)


@login_required
def compare(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    ids = [int(i) for i in request.GET.getlist("id") if i.isdigit()]
    if len(ids) > 5:
        messages.warning(request, _("Compare at most five applicants side by side: showing the first five."))
    apps = selectors.applicants_compare(tenant=request.tenant, campaign_id=pk, application_ids=ids)
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    return render(request, "campaigns/compare.html", {"campaign": campaign, "apps": apps})


@login_required
def brief(request: TenantRequest, pk: int) -> HttpResponse:
    _creator(request)
    campaign = selectors.campaign_for_creator(tenant=request.tenant, campaign_id=pk)
    item = next((i for i in selectors.creator_feed(tenant=request.tenant) if i.campaign.pk == pk), None)
    accounts = item.fitting_accounts if item else []
    form = ApplyForm(
        request.POST or None,
        accounts=accounts,
        paid=campaign.compensation != Compensation.PRODUCT,
        currency=campaign.currency,
        fee=campaign.fee if campaign.compensation == Compensation.FEE else None,
    )
    if request.method == "POST" and form.is_valid():
        app = _attempt(
            request,
            lambda: application_service.application_create(
                tenant=request.tenant,
                campaign_id=pk,
                account_id=form.cleaned_data["account"],
                pitch=form.cleaned_data["pitch"],
                accept_brief=form.cleaned_data["accept_brief"],
                proposed_fee=form.cleaned_data.get("proposed_fee"),
            ),
            _("Application sent."),
        )
        if app:
            return redirect("campaigns:application", app.pk)
    return render(
        request,
        "campaigns/brief.html",
        {
            "campaign": campaign,
            "item": item,
            "form": form,
            "has_accounts": bool(creator_accounts_claimed(user_id=request.user.pk)),
            "application": selectors.creator_campaign_application(tenant=request.tenant, campaign_id=pk),
            "deliverables": deliverable_service.deliverable_names(campaign),
        },
    )


@login_required
def application(request: TenantRequest, pk: int) -> HttpResponse:
    return _application_page(request, pk)


def _application_page(
    request: TenantRequest,
    pk: int,
    *,
    address_form: AddressForm | None = None,
    draft_form: DraftForm | None = None,
    message_form: MessageForm | None = None,
) -> HttpResponse:
    """The application page; a form given here (bound, with its errors) is shown as the person typed it."""
    tenant = request.tenant
    app = selectors.application_for_tenant(tenant=tenant, application_id=pk)
    brand_side = tenant.is_brand_side
    names = deliverable_service.deliverable_names(app.campaign)
    variants = [v for p in app.campaign.products for v in p.get("variants", [])]
    drafts = list(selectors.drafts_of(application=app))
    posts = list(selectors.posts_of(application=app))
    shipment = selectors.shipment_visible(application=app, brand_side=brand_side)
    return render(
        request,
        "campaigns/application.html",
        {
            "app": app,
            "campaign": app.campaign,
            "brand_side": brand_side,
            "shipment": shipment,
            "shipment_country": dict(country_choices()).get(shipment.country, "") if shipment else "",
            "thread": selectors.messages_of(application=app),
            "drafts": drafts,
            "draft_to_rework": None if brand_side else draft_to_rework(drafts),
            "posts": posts,
            "drafts_all_sent": drafts_all_sent(drafts, names),
            "posts_all_given": posts_all_given(posts, names),
            "post_verifications": verification.posts_shown(application_id=app.pk),
            "events": selectors.application_events(application=app),
            "message_form": message_form or MessageForm(),
            "decision_form": DecisionForm(application=app),
            "ship_form": ShipForm(),
            "address_form": address_form
            or AddressForm.for_page(variants=variants, shipment=shipment, country=_home_country(app)),
            "address_typed": address_form is not None,
            "draft_form": draft_form or DraftForm.reopening(drafts=drafts, deliverables=names),
            # the wording box only for a draft whose checks ask the brand to confirm it
            "review_form": ReviewForm(asks_wording=False),
            "review_form_wording": ReviewForm(),
            "post_form": PostForm(deliverables=names),
            "S": ApplicationState,
        },
    )


def _home_country(app: Application) -> str:
    """Where a parcel most likely goes: the creator's country, else the campaign's when it targets one."""
    countries = app.campaign.countries or []
    return (app.account.country or (countries[0] if len(countries) == 1 else "")).upper()


# --- the application page's actions: one small handler each, dispatched by name ----------------------


def _shortlist(request: TenantRequest, pk: int) -> None:
    _attempt(
        request,
        lambda: application_service.application_shortlist(tenant=request.tenant, application_id=pk),
        _("Shortlisted."),
    )


def _accept(request: TenantRequest, pk: int) -> None:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    _attempt(
        request,
        lambda: application_service.application_accept(
            tenant=request.tenant,
            application_id=pk,
            agreed_fee=form.cleaned_data.get("agreed_fee"),
            message=form.text(),
            confirm_over_budget=form.cleaned_data["confirm_over_budget"],
        ),
        _("Creator accepted."),
    )
    return None


def _decline(request: TenantRequest, pk: int) -> None:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    _attempt(
        request,
        lambda: application_service.application_decline(
            tenant=request.tenant, application_id=pk, message=form.text()
        ),
        _("Application declined."),
    )
    return None


def _withdraw(request: TenantRequest, pk: int) -> None:
    """Withdrawing takes two taps: the page's button opens a confirmation whose form says ``confirm``."""
    if request.POST.get("confirm") != "1":
        messages.error(
            request, _("Your application is not withdrawn: confirm with “Yes, withdraw my application”.")
        )
        return
    _attempt(
        request,
        lambda: application_service.application_withdraw(tenant=request.tenant, application_id=pk),
        _("Application withdrawn."),
    )


def _message(request: TenantRequest, pk: int) -> HttpResponse | None:
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fields marked below."))
        return _application_page(request, pk, message_form=form)
    sent = _attempt(
        request,
        lambda: message_service.message_post(
            tenant=request.tenant, application_id=pk, body=form.cleaned_data["body"]
        ),
        _("Message sent."),
    )
    return None if sent is not None else _application_page(request, pk, message_form=form)


def _address(request: TenantRequest, pk: int) -> HttpResponse | None:
    app = selectors.application_for_creator(tenant=request.tenant, application_id=pk)
    variants = [v for p in app.campaign.products for v in p.get("variants", [])]
    form = AddressForm(request.POST, variants=variants)
    if not form.is_valid():
        messages.error(request, _("Check the fields marked below."))
        return _application_page(request, pk, address_form=form)
    done = _attempt(
        request,
        lambda: shipment_service.shipment_confirm_address(
            tenant=request.tenant, application_id=pk, **form.cleaned_data
        ),
        _("Address confirmed."),
    )
    return None if done is not None else _application_page(request, pk, address_form=form)


def _ship(request: TenantRequest, pk: int) -> None:
    form = ShipForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    shipped = _attempt(
        request,
        lambda: shipment_service.shipment_mark_shipped(
            tenant=request.tenant, application_id=pk, **form.cleaned_data
        ),
        _("Marked as shipped."),
    )
    if shipped and form.format_warning:
        messages.warning(request, form.format_warning)
    return None


def _received(request: TenantRequest, pk: int) -> None:
    _attempt(
        request,
        lambda: shipment_service.shipment_mark_received(tenant=request.tenant, application_id=pk),
        _("Marked as received."),
    )


def _draft(request: TenantRequest, pk: int) -> HttpResponse | None:
    app = selectors.application_for_creator(tenant=request.tenant, application_id=pk)
    rework = draft_to_rework(selectors.drafts_of(application=app))
    form = DraftForm(
        request.POST,
        request.FILES,
        deliverables=deliverable_service.deliverable_names(app.campaign),
        has_media=bool(rework and rework.media),
    )
    if not form.is_valid():
        messages.error(request, _("Check the fields marked below."))
        return _application_page(request, pk, draft_form=form)
    try:
        draft = deliverable_service.draft_submit(
            tenant=request.tenant, application_id=pk, **form.cleaned_data
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _application_page(request, pk, draft_form=form)
    else:
        if draft.review_state == "blocked":
            messages.error(request, _("Your draft does not pass the checks yet: fix it and submit again."))
        else:
            messages.success(request, _("Draft submitted."))
    return None


def _post(request: TenantRequest, pk: int) -> None:
    app = selectors.application_for_creator(tenant=request.tenant, application_id=pk)
    form = PostForm(
        request.POST, request.FILES, deliverables=deliverable_service.deliverable_names(app.campaign)
    )
    if not form.is_valid():
        return _form_errors(request, form)
    _attempt(
        request,
        lambda: deliverable_service.post_submit(
            tenant=request.tenant, application_id=pk, **form.cleaned_data
        ),
        _("Post link saved."),
    )
    return None


def _post_verify(request: TenantRequest, pk: int) -> None:
    form = PostAcceptForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    _attempt(
        request,
        lambda: deliverable_service.post_verify_again(
            tenant=request.tenant, post_id=form.cleaned_data["post"]
        ),
        _("The post will be checked again at the source."),
    )
    return None


def _post_accept(request: TenantRequest, pk: int) -> None:
    form = PostAcceptForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    _attempt(
        request,
        lambda: deliverable_service.post_accept(
            tenant=request.tenant, post_id=form.cleaned_data["post"], note=form.cleaned_data["note"]
        ),
        _("Post accepted."),
    )
    return None


def _bar(request: TenantRequest, pk: int) -> None:
    app = selectors.application_for_brand(tenant=request.tenant, application_id=pk)
    _attempt(
        request,
        lambda: application_service.creator_bar(
            tenant=request.tenant, account_id=app.account_id, reason=request.POST.get("reason", "")
        ),
        _("This creator will not see your future campaigns."),
    )


ActionHandler = Callable[[TenantRequest, int], HttpResponse | None]

# action name -> (who may run it: a guard raising 404 for anyone else, or None for both sides; its handler)
_ACTIONS: dict[str, tuple[Callable[[TenantRequest], None] | None, ActionHandler]] = {
    "shortlist": (_brand, _shortlist),
    "accept": (_brand, _accept),
    "decline": (_brand, _decline),
    "ship": (_brand, _ship),
    "bar": (_brand, _bar),
    "withdraw": (_creator, _withdraw),
    "address": (_creator, _address),
    "received": (_creator, _received),
    "draft": (_creator, _draft),
    "post": (_creator, _post),
    "message": (None, _message),
    "post_verify": (None, _post_verify),
    "post_accept": (None, _post_accept),
}


@login_required
@require_POST
def application_action(request: TenantRequest, pk: int, action: str) -> HttpResponse:
    """Run one action of the application page (``_ACTIONS``); an unknown action does not exist."""
    selectors.application_for_tenant(tenant=request.tenant, application_id=pk)
    guard, handler = _ACTIONS.get(action, (None, None))
    if handler is None:
        raise Http404
    if guard is not None:
        guard(request)
    shown = handler(request, pk)  # a page when a form is shown again with what was typed and its errors
    return shown if isinstance(shown, HttpResponse) else redirect("campaigns:application", pk)


@login_required
def draft_media(request: TenantRequest, pk: int) -> HttpResponse:
    return uploads.file_response(selectors.draft_media(tenant=request.tenant, draft_id=pk))


@login_required
def draft_poster(request: TenantRequest, pk: int) -> HttpResponse:
    return uploads.file_response(selectors.draft_poster(tenant=request.tenant, draft_id=pk))


@login_required
def post_capture(request: TenantRequest, pk: int) -> HttpResponse:
    return uploads.file_response(selectors.post_capture(tenant=request.tenant, post_id=pk))


@login_required
@require_POST
def draft_review(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    from microreach.web.accounts.contracts import get_scoped_or_404
    from microreach.web.campaigns.models import ContentDraft

    draft = get_scoped_or_404(ContentDraft, request.tenant, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        _attempt(
            request,
            lambda: deliverable_service.draft_review(
                tenant=request.tenant,
                draft_id=pk,
                approve=approve,
                comment=form.cleaned_data["comment"],
                confirm_wording=form.cleaned_data["confirm_wording"],
            ),
            _("Draft approved.") if approve else _("Changes requested."),
        )
    return redirect("campaigns:application", draft.application_id)


@login_required
@require_POST
def invitation_decline(request: TenantRequest, pk: int) -> HttpResponse:
    _creator(request)
    _attempt(
        request,
        lambda: application_service.invitation_decline(tenant=request.tenant, invitation_id=pk),
        _("Invitation declined."),
    )
    return redirect("campaigns:index")


@login_required
@require_POST
def reminder_read(request: TenantRequest, pk: int) -> HttpResponse:
    worker_service.reminder_mark_read(tenant=request.tenant, reminder_id=pk)
    return redirect("campaigns:index")
