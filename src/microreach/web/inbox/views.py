"""The inbox page: what waits for the signed-in person today, each line linking to where it is done."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from microreach.web.accounts.contracts import TenantRequest, digest_frequency_get
from microreach.web.inbox import selectors


@login_required
def index(request: TenantRequest) -> HttpResponse:
    tenant = request.tenant
    inbox = selectors.inbox_get(tenant=tenant, now=timezone.now())
    return render(
        request,
        "inbox/index.html",
        {
            "inbox": inbox,
            "today": timezone.localdate(),
            "digest": digest_frequency_get(user_id=request.user.pk),
        },
    )
