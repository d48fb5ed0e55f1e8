"""The permission matrix: role × owner × action over every campaigns page and endpoint.

For each action, every role outside its allowed set gets 404 (another tenant's object looks absent)
and nothing changes; an allowed role gets an answer that is neither 404 nor a server error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.web.campaigns import helpers as h
from tests.web.campaigns.world import World, build_world, snapshot

pytestmark = pytest.mark.django_db

ROLES = (
    "owner_admin",
    "owner_member",
    "agency_of_owner",
    "other_brand",
    "other_agency",
    "applicant",
    "other_creator",
)
BRAND = frozenset({"owner_admin", "owner_member", "agency_of_owner"})
APPLICANT = frozenset({"applicant"})
BOTH = BRAND | APPLICANT
CREATORS = frozenset({"applicant", "other_creator"})


@dataclass(frozen=True)
class Action:
    name: str
    method: str  # get | post | api_get | api_post | api_put
    url: str  # formatted with the world: {c} campaign, {ap} applied, {ac} accepted, {sh} shipped, {su} submitted…
    allowed: frozenset[str]
    data: dict | None = None


def _campaign_json() -> dict:
    return {
        "title": "Edited",
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
        **h.open_dates_iso(),
        "jurisdictions": ["FR"],
    }


ACTIONS = [
    # brand pages
    Action("detail", "get", "/campaigns/{c}/", BRAND),
    Action("edit page", "get", "/campaigns/{c}/edit/", BRAND),
    Action("applicants", "get", "/campaigns/{c}/applicants/?sort=fake", BRAND),
    Action("compare", "get", "/campaigns/{c}/compare/?id={ap}&id={ac}", BRAND),
    Action("addresses", "get", "/campaigns/{c}/addresses.csv", BRAND),
    Action("edit", "post", "/campaigns/{c}/edit/", BRAND, {"title": ""}),
    Action("close", "post", "/campaigns/{c}/transition/", BRAND, {"to": "closed"}),
    Action("duplicate", "post", "/campaigns/{c}/duplicate/", BRAND, {}),
    Action("invite", "post", "/campaigns/{c}/invite/", BRAND, {"shortlist": "{sl}"}),
    Action(
        "invite from a shortlist",
        "post",
        "/campaigns/invite/",
        BRAND,
        {"shortlist": "{sl}", "campaign": "{c}"},
    ),
    Action("sales", "post", "/campaigns/{c}/sales/", BRAND, {"file": "CSV"}),
    Action("shortlist", "post", "/campaigns/applications/{ap}/shortlist/", BRAND, {}),
    Action("accept", "post", "/campaigns/applications/{ap}/accept/", BRAND, {"agreed_fee": "90"}),
    Action("decline", "post", "/campaigns/applications/{ap}/decline/", BRAND, {"template": "decline_fit"}),
    Action(
        "ship", "post", "/campaigns/applications/{ac}/ship/", BRAND, {"carrier": "C", "tracking_number": "T"}
    ),
    Action("bar", "post", "/campaigns/applications/{ap}/bar/", BRAND, {}),
    Action("review", "post", "/campaigns/drafts/{d}/review/", BRAND, {"decision": "approve"}),
    # creator pages
    Action("brief", "get", "/campaigns/{c}/brief/", CREATORS),
    Action("withdraw", "post", "/campaigns/applications/{ap}/withdraw/", APPLICANT, {"confirm": "1"}),
    Action(
        "address",
        "post",
        "/campaigns/applications/{ac}/address/",
        APPLICANT,
        {
            "variant": "M",
            "recipient": "L",
            "street": "2 rue",
            "postcode": "1",
            "city": "Paris",
            "country": "FR",
        },
    ),
    Action("received", "post", "/campaigns/applications/{sh}/received/", APPLICANT, {}),
    Action(
        "draft",
        "post",
        "/campaigns/applications/{su}/draft/",
        APPLICANT,
        {"deliverable": "instagram reel 1", "caption": "Publicité @maisonverte #lin"},
    ),
    Action("decline invitation", "post", "/campaigns/invitations/{inv}/decline/", APPLICANT, {}),
    # both sides
    Action("application page", "get", "/campaigns/applications/{ap}/", BOTH),
    Action("message", "post", "/campaigns/applications/{ap}/message/", BOTH, {"body": "Hello"}),
    # API
    Action("api campaign", "api_get", "/api/campaigns/{c}", BRAND | CREATORS),
    Action("api applicants", "api_get", "/api/campaigns/{c}/applicants?sort=score", BRAND),
    Action("api edit", "api_put", "/api/campaigns/{c}", BRAND, _campaign_json()),
    Action("api transition", "api_post", "/api/campaigns/{c}/transition", BRAND, {"to": "closed"}),
    Action("api duplicate", "api_post", "/api/campaigns/{c}/duplicate", BRAND, {}),
    Action("api invite", "api_post", "/api/campaigns/{c}/invitations", BRAND, {"shortlist_id": "{sl}"}),
    Action("api application", "api_get", "/api/campaigns/applications/{ap}", BOTH),
    Action("api shortlist", "api_post", "/api/campaigns/applications/{ap}/shortlist", BRAND, {}),
    Action("api accept", "api_post", "/api/campaigns/applications/{ap}/accept", BRAND, {}),
    Action("api decline", "api_post", "/api/campaigns/applications/{ap}/decline", BRAND, {}),
    Action("api bar", "api_post", "/api/campaigns/applications/{ap}/bar", BRAND, {}),
    Action(
        "api shipped",
        "api_post",
        "/api/campaigns/applications/{ac}/shipped",
        BRAND,
        {"carrier": "C", "tracking_number": "T"},
    ),
    Action(
        "api review",
        "api_post",
        "/api/campaigns/drafts/{d}/review",
        BRAND,
        {"approve": False, "comment": "x"},
    ),
    Action("api withdraw", "api_post", "/api/campaigns/applications/{ap}/withdraw", APPLICANT, {}),
    Action(
        "api address",
        "api_post",
        "/api/campaigns/applications/{ac}/address",
        APPLICANT,
        {
            "variant": "M",
            "recipient": "L",
            "street": "2 rue",
            "postcode": "1",
            "city": "Paris",
            "country": "FR",
        },
    ),
    Action("api received", "api_post", "/api/campaigns/applications/{sh}/received", APPLICANT, {}),
    Action(
        "api draft",
        "api_post",
        "/api/campaigns/applications/{su}/drafts",
        APPLICANT,
        {"deliverable": "instagram reel 1", "caption": "Publicité @maisonverte #lin"},
    ),
    Action("api messages", "api_get", "/api/campaigns/applications/{ap}/messages", BOTH),
    Action("api message", "api_post", "/api/campaigns/applications/{ap}/messages", BOTH, {"body": "Hi"}),
]


def _ids(w: World) -> dict[str, object]:
    return {
        "c": w.campaign.pk,
        "ap": w.applied.pk,
        "ac": w.accepted.pk,
        "sh": w.shipped.pk,
        "su": w.submitted.pk,
        "d": w.draft.pk,
        "sl": w.shortlist_id,
        "inv": w.invitation.pk,
    }


def _call(client: Client, action: Action, ids: dict[str, object]):
    url = action.url.format(**ids)
    data = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in (action.data or {}).items()}
    if "shortlist_id" in data:
        data["shortlist_id"] = int(data["shortlist_id"])
    if action.method == "get" or action.method == "api_get":
        return client.get(url)
    if action.method == "post":
        if data.get("file") == "CSV":
            data["file"] = SimpleUploadedFile("s.csv", b"order,date,amount,promo_code\n1,2026-12-01,10,X\n")
        return client.post(url, data)
    method = client.post if action.method == "api_post" else client.put
    return method(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_permission_matrix(action: Action):
    w = build_world()
    ids = _ids(w)
    before = snapshot()
    for role in ROLES:
        if role in action.allowed:
            continue
        client = Client()
        client.force_login(getattr(w, role))
        response = _call(client, action, ids)
        assert response.status_code == 404, (role, action.name, response.status_code)
        assert snapshot() == before, (role, action.name)
    # anonymous visitors are sent to log in (pages) or refused (API), and change nothing
    response = _call(Client(), action, ids)
    assert response.status_code in (302, 401), action.name
    assert snapshot() == before
    for role in sorted(action.allowed):
        client = Client()
        client.force_login(getattr(w, role))
        response = _call(client, action, ids)
        assert response.status_code not in (404, 405) and response.status_code < 500, (
            role,
            action.name,
            response.status_code,
        )
