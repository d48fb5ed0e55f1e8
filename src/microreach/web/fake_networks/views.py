"""The fake networks' endpoints, at the paths of the official hosts under ``/_fake/<network>/`` (so a
client's ``base_url`` is all that changes). Answers follow the documented shapes the clients parse.

This module holds the OAuth endpoints every network shares (consent, token, revoke) and the helpers
the networks' modules use; ``youtube_views``, ``instagram_views`` and ``tiktok_views`` answer each
network's API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from microreach.sources.links import is_http_url
from microreach.sources.networks import instagram, tiktok, youtube
from microreach.web.fake_networks import oauth, world

NAMES = {"youtube": "YouTube", "instagram": "Instagram", "tiktok": "TikTok"}
SCOPES = {"youtube": youtube.SCOPES, "instagram": instagram.SCOPES, "tiktok": tiktok.SCOPES}


# --- OAuth -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest, network: str) -> HttpResponse:
    """The network's consent page: choose a fake account, allow or deny; back to ``redirect_uri`` with
    ``code`` + ``state`` (or ``error=access_denied``)."""
    # the form posts the authorize parameters back (hidden fields); the query string counts as well
    params = {**request.GET.dict(), **request.POST.dict()}
    client_id = params.get("client_key" if network == "tiktok" else "client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    state = params.get("state", "")
    if not client_id or not is_http_url(redirect_uri) or params.get("response_type", "code") != "code":
        return HttpResponseBadRequest(
            "client_id (client_key), an http(s) redirect_uri and response_type=code are required"
        )
    challenge = params.get("code_challenge", "")
    if challenge and params.get("code_challenge_method", "S256") != "S256":
        return HttpResponseBadRequest("only code_challenge_method=S256 is supported")
    separator = "," if network in {"tiktok", "instagram"} else " "
    scope = tuple(s for s in params.get("scope", "").replace(",", " ").split() if s)
    if request.method == "POST":
        sep = "&" if "?" in redirect_uri else "?"
        if params.get("decision") != "allow":
            return _redirect(f"{redirect_uri}{sep}{urlencode({'error': 'access_denied', 'state': state})}")
        account = world.account_by(network, account_id=params.get("account", ""))
        if account is None:
            return HttpResponseBadRequest("unknown account")
        code = oauth.code_issue(
            network=network,
            account_id=account.account_id(network),
            scope=scope,
            redirect_uri=redirect_uri,
            client_id=client_id,
            challenge=challenge,
        )
        return _redirect(
            f"{redirect_uri}{sep}{urlencode({'code': code, 'state': state, 'scope': separator.join(scope)})}"
        )
    return render(
        request,
        "fake_networks/authorize.html",
        {
            "network": NAMES[network],
            "accounts": [(a.account_id(network), a.handle, a.name) for a in world.ACCOUNTS],
            "scopes": scope,
            "hidden": [
                (k, v) for k, v in params.items() if k not in {"decision", "account", "csrfmiddlewaretoken"}
            ],
        },
    )


def _redirect(url: str) -> HttpResponse:
    response = HttpResponse(status=302)
    response["Location"] = url
    return response


def _oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


def _token_answer(network: str, grant: oauth.Grant) -> JsonResponse:
    access, refresh, seconds = oauth.tokens_issue(grant)
    issued = {"access_token": access, "expires_in": seconds}
    if network == "tiktok":
        return JsonResponse(
            {
                **issued,
                "refresh_token": refresh,
                "open_id": grant.account_id,
                "refresh_expires_in": oauth.REFRESH_SECONDS,
                "scope": ",".join(grant.scope),
                "token_type": "Bearer",
            }
        )
    if network == "instagram":  # Facebook has no refresh token
        return JsonResponse({**issued, "token_type": "bearer"})
    return JsonResponse(
        {**issued, "refresh_token": refresh, "scope": " ".join(grant.scope), "token_type": "Bearer"}
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def token(request: HttpRequest, network: str) -> HttpResponse:
    """Code exchange (PKCE checked) and refresh; Instagram's fb_exchange_token and TikTok's client
    credentials (the Research API) as well."""
    data = request.POST if request.method == "POST" else request.GET
    grant_type = data.get("grant_type", "")
    if network == "instagram" and grant_type == "fb_exchange_token":
        grant = oauth.access_grant(network, data.get("fb_exchange_token", ""))
        if grant is None:
            return graph_error(190, 463, "Error validating access token: Session has expired.", 400)
        return _token_answer(network, grant)
    if network == "instagram" and not grant_type and data.get("code"):
        grant_type = "authorization_code"  # Facebook's code exchange has no grant_type
    if grant_type == "authorization_code":
        grant = oauth.code_redeem(
            network=network,
            code=data.get("code", ""),
            redirect_uri=data.get("redirect_uri", ""),
            verifier=data.get("code_verifier", ""),
        )
        if grant is None:
            return _oauth_error(
                "invalid_grant", "the code is invalid, used, expired, or its verifier does not match"
            )
        return _token_answer(network, grant)
    if network == "tiktok" and grant_type == "client_credentials":
        # the Research API's client access token: any non-empty key and secret stand for an app with access
        if not data.get("client_key") or not data.get("client_secret"):
            return _oauth_error("invalid_client", "Client key or secret is incorrect.", 401)
        access, seconds = oauth.client_token_issue(
            network=network, client_id=data["client_key"], scope=("research.data.basic",)
        )
        return JsonResponse({"access_token": access, "expires_in": seconds, "token_type": "Bearer"})
    if grant_type == "refresh_token":
        grant = oauth.refresh_grant(network, data.get("refresh_token", ""))
        if grant is None:
            return _oauth_error("invalid_grant", "Token has been expired or revoked.")
        return _token_answer(network, grant)
    return _oauth_error("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")


@csrf_exempt
@require_http_methods(["POST"])
def revoke(request: HttpRequest, network: str) -> HttpResponse:
    if not oauth.revoke(network, request.POST.get("token", "") or request.GET.get("token", "")):
        return _oauth_error("invalid_token", "the token is unknown, expired or already revoked")
    return JsonResponse({})


# --- shared by the networks' endpoints -------------------------------------------------------------


def graph_error(code: int, subcode: int | None, message: str, status: int) -> JsonResponse:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "FAKE"}
    if subcode:
        error["error_subcode"] = subcode
    return JsonResponse({"error": error}, status=status)


def iso_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def paged(total: int, token: str, size: int) -> tuple[range, str | None]:
    start = int(token) if token.isdigit() else 0
    end = min(total, start + size)
    return range(start, end), (str(end) if end < total else None)


def page_size(raw: str, default: int, most: int) -> int:
    return max(1, min(most, int(raw))) if raw.isdigit() else default
