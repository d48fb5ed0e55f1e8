from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from microreach.web.accounts import selectors
from microreach.web.accounts.schemas import MeOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="Who am I, and for which organisation am I acting")
def me(request: HttpRequest):
    tenant = request.tenant
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "email_verified": user.email_verified_at is not None,
        "is_operator": user.is_staff,
        "organisation": selectors.organisation_get(tenant=tenant),
        "role": tenant.role,
    }
