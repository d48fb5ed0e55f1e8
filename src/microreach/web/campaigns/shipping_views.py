"""The shipping page of a campaign (brand side): its parcels with their tracking links, the CSV template to
fill and the upload that marks them shipped, all or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from microreach.web.accounts.contracts import TenantRequest
from microreach.web.campaigns import selectors, shipping, shipping_reads
from microreach.web.campaigns.forms import ShipmentsUploadForm
from microreach.web.campaigns.services import shipment as shipment_service
from microreach.web.errors import ApplicationError
from microreach.web.file_names import attachment_header


def _brand(request: TenantRequest) -> None:
    if not request.tenant.is_brand_side:
        raise Http404


@login_required
def shipping_page(request: TenantRequest, pk: int) -> HttpResponse:
    """GET: the parcels and the upload form. POST: a shipping CSV, then the page again (its problems, line
    by line, when the file was refused; the parcels shipped otherwise)."""
    _brand(request)
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    form = ShipmentsUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = shipment_service.shipments_import(
                tenant=request.tenant, campaign_id=pk, data=form.cleaned_data["file"].read()
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            if not result.problems:
                n = len(result.shipped)
                messages.success(
                    request,
                    ngettext("%(n)s parcel marked shipped.", "%(n)s parcels marked shipped.", n) % {"n": n},
                )
                return redirect("campaigns:shipping", pk)
            messages.error(
                request, _("Nothing was shipped: correct the lines below and upload the file again.")
            )
    parcels = shipping_reads.parcels_of(tenant=request.tenant, campaign=campaign)
    return render(
        request,
        "campaigns/shipping.html",
        {
            "campaign": campaign,
            "parcels": parcels,
            "to_ship": sum(p.to_ship for p in parcels),
            "late": sum(p.late for p in parcels),
            "form": form,
            "result": result,
            "carriers": shipping.shipping_policy().carriers,
            "late_after_days": shipping.late_after_days(),
        },
        status=400 if result is not None and result.problems else 200,
    )


@login_required
def shipping_template(request: TenantRequest, pk: int) -> HttpResponse:
    """The CSV to fill: one row per parcel to ship, in the reader's spreadsheet format."""
    _brand(request)
    campaign = selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    name, text = shipping_reads.shipping_template(tenant=request.tenant, campaign=campaign)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(name)
    return response
