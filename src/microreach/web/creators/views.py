"""Pages of the creators context: the creator's own profiles and claims."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microreach.web.accounts.contracts import TenantRequest
from microreach.web.creators import imports, pictures, selectors, services
from microreach.web.creators.errors import AccountNotFound
from microreach.web.creators.forms import ClaimForm, ImportForm
from microreach.web.engine_text import term
from microreach.web.errors import ApplicationError


def _not_here_connect_instead(exc: AccountNotFound, network: str) -> str:
    """Not a dead end: an account microreach does not hold yet is connected instead (the connections page
    reads it from the network and makes it the creator's, with no code). The networks microreach connects
    are those an app can be set up for (``MICROREACH_<NETWORK>_CLIENT_ID``, read in ``web/environment.py``)."""
    if network not in settings.MICROREACH["NETWORK_APPS"]:
        return exc.message
    name = term("network", network)
    return format_html(
        '{} {} <a href="{}">{}</a>',
        exc.message,
        _(
            "Connect it instead: microreach reads it from %(network)s and it is yours, with no code to put "
            "in your bio."
        )
        % {"network": name},
        reverse("connections:index"),
        _("Connect my %(network)s account") % {"network": name},
    )


@login_required
def my_profiles(request: TenantRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_start(tenant=request.tenant, **form.cleaned_data)
        except AccountNotFound as exc:
            messages.error(request, _not_here_connect_instead(exc, form.cleaned_data["network"]))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.info(
                request,
                _("Put the code %(code)s in the bio of @%(handle)s, then check.")
                % {"code": claim.code, "handle": claim.account.handle},
            )
            return redirect("creators:mine")
    return render(
        request,
        "creators/mine.html",
        {
            "form": form,
            "accounts": selectors.claimed_accounts(user_id=request.user.pk),
            "claims": selectors.pending_claims(user_id=request.user.pk),
        },
    )


@login_required
@require_POST
def claim_check(request: TenantRequest, claim_id: int) -> HttpResponse:
    try:
        account = services.claim_verify(tenant=request.tenant, claim_id=claim_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("@%(handle)s is now yours.") % {"handle": account.handle})
    return redirect("creators:mine")


def _operator_only(request: TenantRequest) -> None:
    if not request.tenant.is_operator:
        raise Http404


@login_required
def import_list(request: TenantRequest) -> HttpResponse:
    """Operators upload files; the import runs in the worker and its progress shows on the batch page."""
    _operator_only(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_upload(
                uploads=form.cleaned_data["files"],
                user_id=request.user.pk,
                organisation_id=form.cleaned_data["organisation"],
                record_type=form.cleaned_data["record_type"] or None,
                share_aggregates=form.cleaned_data["share_aggregates"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.info(
                request,
                _("Import %(id)s queued: it is being validated in the background.") % {"id": batch.pk},
            )
            return redirect("creators:import_detail", batch_id=batch.pk)
    return render(request, "creators/imports.html", {"form": form, "batches": selectors.import_batch_list()})


@login_required
def import_detail(request: TenantRequest, batch_id: int) -> HttpResponse:
    _operator_only(request)
    try:
        batch = selectors.import_batch_get(batch_id=batch_id)
    except ApplicationError as exc:
        raise Http404 from exc
    context = {"batch": batch, "progress": selectors.import_progress(batch=batch)}
    template = "creators/import_detail.html#status" if request.htmx else "creators/import_detail.html"
    return render(request, template, context)


@login_required
def account_avatar(request: TenantRequest, account_id: int) -> HttpResponse:
    """The account's avatar (stored or drawn), for every signed-in user: profile pictures are public."""
    picture = pictures.account_avatar(account_id=account_id)
    if picture is None:
        raise Http404
    return pictures.picture_response(picture)


@login_required
def post_thumbnail(request: TenantRequest, post_id: int) -> HttpResponse:
    """The post's thumbnail (stored or drawn), for every signed-in user: the posts are public."""
    picture = pictures.post_thumbnail(post_id=post_id)
    if picture is None:
        raise Http404
    return pictures.picture_response(picture)
