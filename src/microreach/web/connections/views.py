"""Pages of the connections context (creators only): connect, see what the sync brought, sync now,
disconnect. Each view parses its input, calls one service or selector, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from microreach.web.accounts.contracts import TenantRequest, creator_user_id
from microreach.web.connections import networks, selectors, services
from microreach.web.connections.networks import NAMES
from microreach.web.errors import ApplicationError

SESSION_KEY = "connections.pending"


@login_required
def index(request: TenantRequest) -> HttpResponse:
    user_id = creator_user_id(request.tenant)
    rows = selectors.connections_page(user_id=user_id)
    response = render(
        request,
        "connections/index.html",
        {
            "rows": rows,
            "syncing": any(r.syncing for r in rows),
            "has_connections": any(r.connection for r in rows),
        },
    )
    # "Connect" posts here and is redirected to the network's consent page: this page's forms may go there
    origins = [networks.authorize_origin(r.network) for r in rows if r.set_up and r.connection is None]
    if origins:
        setattr(response, "_csp_update", {"form-action": sorted(set(origins))})  # noqa: B010 (django-csp)
    return response


@login_required
@require_POST
def start(request: TenantRequest, network: str) -> HttpResponse:
    user_id = creator_user_id(request.tenant)
    redirect_uri = request.build_absolute_uri(reverse("connections:callback", args=[network]))
    try:
        started = services.connect_start(user_id=user_id, network=network, redirect_uri=redirect_uri)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("connections:index")
    request.session[SESSION_KEY] = started.pending
    return redirect(started.url)


@login_required
def callback(request: TenantRequest, network: str) -> HttpResponse:
    user_id = creator_user_id(request.tenant)
    pending = request.session.pop(SESSION_KEY, None)
    params = {k: request.GET.get(k, "")[:4000] for k in ("code", "state", "error")}
    try:
        connection = services.connect_finish(user_id=user_id, network=network, params=params, pending=pending)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(network)s account @%(handle)s connected: its data is being read.")
            % {"network": NAMES.get(network, network), "handle": connection.handle},
        )
    return redirect("connections:index")


@login_required
@require_POST
def sync_now(request: TenantRequest, pk: int) -> HttpResponse:
    user_id = creator_user_id(request.tenant)
    services.sync_request(user_id=user_id, connection_id=pk)
    messages.success(request, _("Sync started."))
    return redirect("connections:index")


@login_required
@require_POST
def disconnect(request: TenantRequest, pk: int) -> HttpResponse:
    user_id = creator_user_id(request.tenant)
    delete_data = request.POST.get("delete_data") == "1"
    result = services.connection_disconnect(user_id=user_id, connection_id=pk, delete_data=delete_data)
    if delete_data:
        messages.success(
            request,
            _("Disconnected; %(posts)s posts and %(points)s follower counts read from it were deleted.")
            % {"posts": result["posts"], "points": result["follower_points"]},
        )
    else:
        messages.success(request, _("Disconnected: microreach no longer holds access to this account."))
    return redirect("connections:index")


@login_required
def delete_all(request: TenantRequest) -> HttpResponse:
    """Delete my connected data. GET (or a POST without the confirmation): what will be deleted and what
    stays, and the button that confirms. POST with ``confirm``: every connection revoked at its network,
    then deleted with everything read from it (one durable job each)."""
    from microreach.web.connections.deletion import user_connections_delete

    user_id = creator_user_id(request.tenant)
    if request.method != "POST" or request.POST.get("confirm") != "delete":
        rows = [r for r in selectors.connections_page(user_id=user_id) if r.connection]
        if not rows:
            return redirect("connections:index")
        return render(request, "connections/delete_all.html", {"rows": rows})
    count = user_connections_delete(user_id=user_id, delete_data=True)
    messages.success(
        request,
        ngettext(
            "%(n)s connected account is being disconnected: access is revoked at the network, then the "
            "tokens and the data read from it are deleted.",
            "%(n)s connected accounts are being disconnected: access is revoked at each network, then the "
            "tokens and the data read from them are deleted.",
            count,
        )
        % {"n": count},
    )
    return redirect("connections:index")
