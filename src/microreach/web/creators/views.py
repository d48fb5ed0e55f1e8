"""Pages of the creators context: the creator's own profiles and claims."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microreach.web.creators import selectors, services
from microreach.web.creators.forms import ClaimForm
from microreach.web.errors import ApplicationError


@login_required
def my_profiles(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_start(tenant=request.tenant, **form.cleaned_data)
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
def claim_check(request: HttpRequest, claim_id: int) -> HttpResponse:
    try:
        account = services.claim_verify(tenant=request.tenant, claim_id=claim_id)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("@%(handle)s is now yours.") % {"handle": account.handle})
    return redirect("creators:mine")
