"""The campaign wizard's pages: one step a page, each a normal POST that saves the draft, better with htmx.

Step 1 creates the draft (``campaign_create``, with sensible dates the Deliverables step lets the brand
change); every later step updates it (``campaign_update``) with the fields of its form only. The step a
draft was last saved at is kept (``Campaign.draft_step``): ``<pk>/steps/`` resumes there. The summary
beside the form (estimated cost, creators matching) is in the first response and redrawn by htmx when a
field changes (``wizard_summary``, which saves nothing). The last step renders the creators' brief page
itself (``campaigns/brief.html``) with the draft.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microreach.web.accounts.contracts import TenantRequest, verified_email_required
from microreach.web.campaigns import budget, campaign_dates, matching, selectors, uploads, wizard
from microreach.web.campaigns.machine import C
from microreach.web.campaigns.models import Campaign, CampaignPhoto
from microreach.web.campaigns.services import campaign as campaign_service
from microreach.web.campaigns.services import deliverable as deliverable_service
from microreach.web.campaigns.services import photos as photo_service
from microreach.web.campaigns.services.campaign import CAMPAIGN_FIELDS
from microreach.web.errors import ApplicationError


def _brand(request: TenantRequest) -> None:
    if not request.tenant.is_brand_side:
        raise Http404


def _brands(request: TenantRequest) -> list[tuple[int, str]]:
    from microreach.web.accounts.contracts import managed_brands, organisation_get

    own = organisation_get(tenant=request.tenant)
    brands = [(own.pk, own.name)] if own else []
    return brands + [(b.pk, b.name) for b in managed_brands(tenant=request.tenant)]


def _form(
    request: TenantRequest, step: str, campaign: Campaign | None, data: Any = None, files: Any = None
) -> wizard.StepForm:
    cls = wizard.FORMS[step]
    initial = cls.initial_from(campaign) if campaign is not None else {}
    kwargs: dict[str, Any] = {"initial": initial}
    if step == "basics":
        kwargs["brands"] = _brands(request) if campaign is None else None
    if step in ("deliverables", "product"):
        kwargs["rows"] = wizard.rows_for(campaign, step)
    if step == "deliverables":
        kwargs["stored_dates"] = campaign_dates.dates_of_record(campaign)
    return cls(data, files, **kwargs)


def _draft_of(request: TenantRequest, campaign: Campaign | None, form: wizard.StepForm | None) -> Campaign:
    """The campaign as the form would make it, not saved: what the summary judges and counts."""
    draft = (
        copy.copy(campaign)
        if campaign is not None
        else Campaign(
            organisation_id=request.tenant.organisation_id, **wizard.default_dates(timezone.localdate())
        )
    )
    if form is not None:
        try:
            changes = form.changes()
        except (KeyError, ValueError, TypeError):
            changes = {}
        for key, value in changes.items():
            if key in CAMPAIGN_FIELDS and value is not None:
                setattr(draft, key, value)
    return draft


def _summary(draft: Campaign) -> dict[str, Any]:
    return {
        "draft": draft,
        "cost": wizard.estimated_cost(draft),
        "over_budget": budget.planned_over_budget(draft),
        "match": matching.match_count(campaign=draft),
    }


def _page(
    request: TenantRequest, step: str, campaign: Campaign | None, form: wizard.StepForm, status: int = 200
) -> HttpResponse:
    draft = _draft_of(request, campaign, form if form.is_bound else None)
    context = {
        "campaign": campaign,
        "form": form,
        "step": step,
        "steps": wizard.STEPS,
        "step_names": wizard.STEP_NAMES,
        "photos": list(campaign.photos.all()) if campaign is not None else [],
        **_summary(draft),
    }
    return render(request, "campaigns/wizard.html", context, status=status)


def _save(
    request: TenantRequest, step: str, campaign: Campaign | None, form: wizard.StepForm
) -> Campaign | None:
    """Save the step's fields (creating the draft on the first step); on a refusal the error goes on the
    field it names and None is returned, every typed value kept by the bound form."""
    try:
        changes = wizard.to_command(form)
        if campaign is None:
            given = changes.given()
            given.update(wizard.default_dates(timezone.localdate()))
            saved = campaign_service.campaign_create(
                tenant=request.tenant, changes=type(changes).model_validate(given)
            )
        else:
            saved = campaign_service.campaign_update(
                tenant=request.tenant, campaign_id=campaign.pk, changes=changes
            )
        if step == "product":
            for field, kind in (
                ("cover", CampaignPhoto.Kind.COVER),
                ("product_photo", CampaignPhoto.Kind.PRODUCT),
            ):
                upload = request.FILES.get(field)
                if upload is not None:
                    photo_service.photo_add(
                        tenant=request.tenant, campaign_id=saved.pk, file=upload, kind=kind
                    )
    except ApplicationError as exc:
        # a refusal naming several problems (the dates' rules) puts each on its field
        problems = exc.details.get("problems") or [
            {"field": exc.details.get("field"), "message": exc.message}
        ]
        for problem in problems:
            field = str(problem.get("field") or "")
            field = "product_0" if field == "products" else field
            form.add_error(
                field if field in form.fields else None, str(problem.get("message") or exc.message)
            )
        return None
    Campaign.objects.filter(pk=saved.pk).update(draft_step=wizard.next_step(step))
    return saved


def _step_response(request: TenantRequest, step: str, campaign: Campaign | None) -> HttpResponse:
    form = _form(
        request, step, campaign, request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST":
        if form.is_valid():
            saved = _save(request, step, campaign, form)
            if saved is not None:
                messages.success(request, _("Draft saved."))
                target = step if "stay" in request.POST else wizard.next_step(step)
                return redirect("campaigns:wizard_step", saved.pk, target)
        return _page(request, step, campaign, form, status=400)
    if campaign is not None and campaign.draft_step == "preview":
        # back from the preview (its links): what stops publishing, beside the fields that change it
        wizard.show_problems_on(form, _publish_problems(campaign))
    return _page(request, step, campaign, form)


@login_required
@verified_email_required
def wizard_new(request: TenantRequest) -> HttpResponse:
    """Step 1 of a new campaign: saving it creates the draft."""
    _brand(request)
    return _step_response(request, "basics", None)


@login_required
def wizard_resume(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    step = campaign.draft_step if campaign.draft_step in wizard.STEP_NAMES else "basics"
    return redirect("campaigns:wizard_step", pk, step)


@login_required
def wizard_step(request: TenantRequest, pk: int, step: str) -> HttpResponse:
    _brand(request)
    if step not in wizard.STEP_NAMES:
        raise Http404
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    if campaign.state not in (C.DRAFT, C.OPEN):
        messages.error(request, _("This campaign can no longer be edited."))
        return redirect("campaigns:detail", pk)
    if step == "preview":
        if request.method == "POST":
            return _publish(request, campaign)
        return _preview(request, campaign)
    return _step_response(request, step, campaign)


def _publish_problems(campaign: Campaign) -> list[wizard.PublishProblem]:
    """What publishing the draft would refuse, every problem known before "Publish" (the service's rules)."""
    if campaign.state != C.DRAFT:
        return []
    known = campaign_service.campaign_publish_problems(campaign=campaign, today=timezone.localdate())
    return wizard.publish_problems_placed(
        {"field": p.field, "code": str(p.code), "message": p.message} for p in known
    )


def _publish(request: TenantRequest, campaign: Campaign) -> HttpResponse:
    """Publish from the preview; a refusal keeps the brand on the preview, each problem by the field and
    step that fix it, nothing published."""
    try:
        campaign_service.campaign_publish(
            tenant=request.tenant,
            campaign_id=campaign.pk,
            confirm_over_budget=request.POST.get("confirm_over_budget") == "1",
        )
    except ApplicationError as exc:
        problems = exc.details.get("problems") or [
            {"field": exc.details.get("field"), "code": str(exc.code), "message": exc.message}
        ]
        return _preview(request, campaign, wizard.publish_problems_placed(problems), status=exc.status)
    messages.success(request, _("Campaign published."))
    return redirect("campaigns:detail", campaign.pk)


def _preview(
    request: TenantRequest,
    campaign: Campaign,
    problems: list[wizard.PublishProblem] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The creators' brief page itself (``campaigns/brief.html``), with the draft and the wizard above it;
    ``problems``: those of a refused publish, else those the preview knows before "Publish"."""
    if campaign.draft_step != "preview" and campaign.state == C.DRAFT:
        Campaign.objects.filter(pk=campaign.pk).update(draft_step="preview")
    shown = _publish_problems(campaign) if problems is None else problems
    return render(
        request,
        "campaigns/brief.html",
        {
            "campaign": campaign,
            "item": None,
            "form": None,
            "has_accounts": True,
            "deliverables": deliverable_service.deliverable_names(campaign),
            "photos": list(campaign.photos.all()),
            "preview": True,
            "publish_problems": shown,
            "refused": problems is not None,
            # a refusal of a field is not offered "Publish" (fees over the budget are confirmed instead)
            "publish_blocked": any(p.step for p in shown),
            "step": "preview",
            "steps": wizard.STEPS,
            **_summary(campaign),
        },
        status=status,
    )


@login_required
@require_POST
def wizard_summary(request: TenantRequest, pk: int | None = None) -> HttpResponse:
    """The summary for the values being typed (htmx, on change): nothing is saved."""
    _brand(request)
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk) if pk else None
    step = request.POST.get("wizard_step", "basics")
    if step not in wizard.FORMS:
        step = "basics"
    form = _form(request, step, campaign, request.POST)
    form.is_valid()
    return render(request, "campaigns/_wizard_summary.html", _summary(_draft_of(request, campaign, form)))


@login_required
def photo(request: TenantRequest, pk: int, photo_id: int) -> HttpResponse:
    """A campaign photo: to its brand, or to a creator who may read its brief (never a draft's)."""
    if request.tenant.is_brand_side:
        campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    elif request.tenant.is_creator:
        campaign = selectors.campaign_for_creator(tenant=request.tenant, campaign_id=pk)
    else:
        raise Http404
    found = campaign.photos.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    return uploads.file_response(found.image)


@login_required
@require_POST
def photo_delete(request: TenantRequest, pk: int, photo_id: int) -> HttpResponse:
    _brand(request)
    photo_service.photo_remove(tenant=request.tenant, campaign_id=pk, photo_id=photo_id)
    messages.success(request, _("Photo removed."))
    return redirect("campaigns:wizard_step", pk, "product")
