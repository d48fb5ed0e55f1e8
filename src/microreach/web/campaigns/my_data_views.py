"""A creator's data rights in the campaigns context: download everything microreach keeps about them, and
erase their shipping addresses after seeing which accepted applications still wait for a parcel."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext

from microreach.web.accounts.contracts import TenantRequest, creator_user_id
from microreach.web.campaigns import personal_data, shipping_reads
from microreach.web.campaigns.services import shipment as shipment_service
from microreach.web.file_names import attachment_header


@login_required
def my_data(request: TenantRequest) -> HttpResponse:
    user_id = creator_user_id(request.tenant)
    data = personal_data.personal_data_export(user_id=user_id)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = attachment_header("my-data.json")
    return response


@login_required
def my_data_delete(request: TenantRequest) -> HttpResponse:
    """GET: what erasing the addresses does (the accepted applications still waiting for a parcel go back
    to "address needed"). POST with ``confirm``: erase them."""
    user_id = creator_user_id(request.tenant)
    if request.method == "POST" and request.POST.get("confirm") == "erase":
        n = shipment_service.personal_data_delete(tenant=request.tenant)
        messages.success(request, ngettext("%(n)s address erased.", "%(n)s addresses erased.", n) % {"n": n})
        return redirect("campaigns:index")
    waiting = shipping_reads.parcels_waiting_for_address_of(user_id=user_id)
    return render(request, "campaigns/my_data_delete.html", {"waiting": waiting})
