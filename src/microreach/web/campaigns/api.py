"""REST endpoints of the campaigns context: one operation each, over the same services as the pages."""

from __future__ import annotations

import dataclasses

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status, UploadedFile

from microreach.web.accounts.contracts import require_verified_email
from microreach.web.apikit.pagination import Page, PageIn, paginate
from microreach.web.campaigns import address_checks, selectors, uploads
from microreach.web.campaigns.commands import CampaignChanges
from microreach.web.campaigns.errors import BrandTeamsOnly, InvalidInput
from microreach.web.campaigns.schemas import (
    AddressIn,
    ApplicantsPageOut,
    ApplicantsQueryIn,
    ApplicationOut,
    ApplyIn,
    BarIn,
    BulkIn,
    BulkOut,
    CampaignIn,
    CampaignOut,
    DecisionIn,
    DraftIn,
    DraftOut,
    FeedItemOut,
    InviteIn,
    InviteOut,
    MessageIn,
    MessageOut,
    PostAcceptIn,
    PostChecksOut,
    PostIn,
    PostOut,
    ReviewIn,
    ShipIn,
    ShipmentOut,
    TransitionIn,
)
from microreach.web.campaigns.services import application as application_service
from microreach.web.campaigns.services import bulk as bulk_service
from microreach.web.campaigns.services import campaign as campaign_service
from microreach.web.campaigns.services import deliverable as deliverable_service
from microreach.web.campaigns.services import message as message_service
from microreach.web.campaigns.services import shipment as shipment_service
from microreach.web.errors import ErrorCode

router = Router(tags=["campaigns"])


def _campaign_changes(payload: CampaignIn) -> CampaignChanges:
    """Every field of the payload counts (an edit through the API sends the whole campaign)."""
    return CampaignChanges.model_validate(payload.dict())


@router.get("", response=Page[CampaignOut], summary="The brand's campaigns (an agency: its clients' too)")
def campaign_list(request: HttpRequest, page: Query[PageIn]):
    if not request.tenant.is_brand_side:
        raise BrandTeamsOnly()
    return paginate(selectors.campaign_list(tenant=request.tenant), page)


@router.post("", response={201: CampaignOut}, summary="Create a campaign (a draft)")
def campaign_create(request: HttpRequest, payload: CampaignIn):
    require_verified_email(request.tenant)
    return Status(
        201, campaign_service.campaign_create(tenant=request.tenant, changes=_campaign_changes(payload))
    )


@router.get(
    "/feed", response=list[FeedItemOut], summary="Open campaigns for the signed-in creator, with why not"
)
def creator_feed(request: HttpRequest):
    return [
        {
            "campaign": i.campaign,
            "fitting_handles": [a.handle for a in i.fitting_accounts],
            "reasons": i.reasons,
            "applied": i.applied,
            "application_id": i.application.pk if i.application else None,
            "application_state": i.application.state if i.application else None,
        }
        for i in selectors.creator_feed(tenant=request.tenant)
    ]


@router.get("/applications/mine", response=list[ApplicationOut], summary="The creator's own applications")
def my_applications(request: HttpRequest):
    return list(selectors.creator_applications(tenant=request.tenant))


@router.get("/{campaign_id}", response=CampaignOut, summary="One campaign")
def campaign_detail(request: HttpRequest, campaign_id: int):
    if request.tenant.is_brand_side:
        return selectors.campaign_get(tenant=request.tenant, campaign_id=campaign_id)
    return selectors.campaign_for_creator(tenant=request.tenant, campaign_id=campaign_id)


@router.put(
    "/{campaign_id}",
    response=CampaignOut,
    summary="Edit a draft or open campaign (the whole campaign: what GET returns, PUT takes back unchanged)",
    description="PUT replaces every field of the campaign. A field left out takes its POST default, as on "
    "creation: `jurisdictions` the organisation's default ones, `currency` the organisation's, the "
    "targeting lists none (every creator).",
)
def campaign_update(request: HttpRequest, campaign_id: int, payload: CampaignIn):
    return campaign_service.campaign_update(
        tenant=request.tenant, campaign_id=campaign_id, changes=_campaign_changes(payload)
    )


@router.post(
    "/{campaign_id}/transition", response=CampaignOut, summary="Publish, close, start, complete or cancel"
)
def campaign_transition(request: HttpRequest, campaign_id: int, payload: TransitionIn):
    return campaign_service.campaign_transition(
        tenant=request.tenant,
        campaign_id=campaign_id,
        to=payload.to,
        confirm_over_budget=payload.confirm_over_budget,
    )


@router.post(
    "/{campaign_id}/duplicate", response={201: CampaignOut}, summary="Copy a campaign as a new draft"
)
def campaign_duplicate(request: HttpRequest, campaign_id: int):
    require_verified_email(request.tenant)
    return Status(201, campaign_service.campaign_duplicate(tenant=request.tenant, campaign_id=campaign_id))


@router.get(
    "/{campaign_id}/applicants", response=ApplicantsPageOut, summary="Applicants, sorted and filtered"
)
def applicants(request: HttpRequest, campaign_id: int, query: Query[ApplicantsQueryIn]):
    if not request.tenant.is_brand_side:
        raise Http404  # a campaign named by its id: the same answer as for another brand's
    found = selectors.applicants_page(tenant=request.tenant, campaign_id=campaign_id, **query.dict())
    if found.page != query.page:
        # Past the last page: empty, like an offset past the end of /api/campaigns (the page clamps it).
        return dataclasses.replace(found, rows=[], page=query.page)
    return found


@router.post("/{campaign_id}/invitations", response=InviteOut, summary="Invite the creators of a shortlist")
def invite(request: HttpRequest, campaign_id: int, payload: InviteIn):
    return application_service.invitations_from_shortlist(
        tenant=request.tenant, campaign_id=campaign_id, shortlist_id=payload.shortlist_id
    )


@router.post("/{campaign_id}/applications", response={201: ApplicationOut}, summary="Apply (creators)")
def apply(request: HttpRequest, campaign_id: int, payload: ApplyIn):
    return Status(
        201,
        application_service.application_create(
            tenant=request.tenant, campaign_id=campaign_id, **payload.dict()
        ),
    )


@router.post(
    "/{campaign_id}/applications/bulk",
    response={200: BulkOut, 409: BulkOut},
    summary="One action on many applications, all or nothing (409 with each refused row: nothing changed)",
)
def applications_bulk(request: HttpRequest, campaign_id: int, payload: BulkIn):
    result = bulk_service.applications_bulk(
        tenant=request.tenant,
        campaign_id=campaign_id,
        action=payload.action,
        application_ids=payload.application_ids,
        message=payload.message,
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        cost=payload.cost,
        confirm_over_budget=payload.confirm_over_budget,
    )
    body = {"action": result.action, "done": result.done, "rows": [vars(r) for r in result.rows]}
    return Status(200 if result.done else 409, body)


@router.get("/applications/{application_id}", response=ApplicationOut, summary="One application")
def application_detail(request: HttpRequest, application_id: int):
    return selectors.application_for_tenant(tenant=request.tenant, application_id=application_id)


@router.post("/applications/{application_id}/shortlist", response=ApplicationOut, summary="Shortlist")
def application_shortlist(request: HttpRequest, application_id: int):
    return application_service.application_shortlist(tenant=request.tenant, application_id=application_id)


@router.post(
    "/applications/{application_id}/accept",
    response=ApplicationOut,
    summary="Accept (refused when full, and over the budget unless confirm_over_budget)",
)
def application_accept(request: HttpRequest, application_id: int, payload: DecisionIn):
    return application_service.application_accept(
        tenant=request.tenant, application_id=application_id, **payload.dict()
    )


@router.post("/applications/{application_id}/decline", response=ApplicationOut, summary="Decline")
def application_decline(request: HttpRequest, application_id: int, payload: DecisionIn):
    return application_service.application_decline(
        tenant=request.tenant, application_id=application_id, message=payload.message
    )


@router.post(
    "/applications/{application_id}/withdraw", response=ApplicationOut, summary="Withdraw (creators)"
)
def application_withdraw(request: HttpRequest, application_id: int):
    return application_service.application_withdraw(tenant=request.tenant, application_id=application_id)


@router.post(
    "/applications/{application_id}/bar", response={204: None}, summary="Bar this creator from the brand"
)
def creator_bar(request: HttpRequest, application_id: int, payload: BarIn):
    app = selectors.application_for_brand(tenant=request.tenant, application_id=application_id)
    application_service.creator_bar(tenant=request.tenant, account_id=app.account_id, reason=payload.reason)
    return Status(204, None)


@router.get("/applications/{application_id}/messages", response=list[MessageOut], summary="The thread")
def messages(request: HttpRequest, application_id: int):
    app = selectors.application_for_tenant(tenant=request.tenant, application_id=application_id)
    return list(selectors.messages_of(application=app))


@router.post("/applications/{application_id}/messages", response={201: MessageOut}, summary="Post a message")
def message_post(request: HttpRequest, application_id: int, payload: MessageIn):
    return Status(
        201,
        message_service.message_post(tenant=request.tenant, application_id=application_id, body=payload.body),
    )


@router.post(
    "/applications/{application_id}/address", response=ShipmentOut, summary="Confirm address (creators)"
)
def address(request: HttpRequest, application_id: int, payload: AddressIn):
    """The same checks as the address form (``address_checks.address_check``): a country of the list, its
    postal code's shape, a phone stored in E.164; 400 ``address_invalid`` with each field's location."""
    selectors.application_for_creator(tenant=request.tenant, application_id=application_id)  # 404 first
    checked = address_checks.address_check(
        country=payload.country, postcode=payload.postcode, phone=payload.phone
    )
    if checked.errors:
        first = next(iter(checked.errors.values()))
        raise InvalidInput(
            ErrorCode.ADDRESS_INVALID,
            first,
            {
                "fields": list(checked.errors),
                "problems": [
                    {"location": f"body.payload.{name}", "reason": reason}
                    for name, reason in checked.errors.items()
                ],
            },
        )
    values = {
        **payload.dict(),
        "country": checked.country,
        "postcode": checked.postcode,
        "phone": checked.phone,
    }
    return shipment_service.shipment_confirm_address(
        tenant=request.tenant, application_id=application_id, **values
    )


@router.post("/applications/{application_id}/shipped", response=ShipmentOut, summary="Mark shipped (brands)")
def shipped(request: HttpRequest, application_id: int, payload: ShipIn):
    return shipment_service.shipment_mark_shipped(
        tenant=request.tenant, application_id=application_id, **payload.dict()
    )


@router.post(
    "/applications/{application_id}/received", response=ShipmentOut, summary="Mark received (creators)"
)
def received(request: HttpRequest, application_id: int):
    return shipment_service.shipment_mark_received(tenant=request.tenant, application_id=application_id)


@router.post(
    "/applications/{application_id}/drafts", response={201: DraftOut}, summary="Submit a draft (checked)"
)
def draft_submit(request: HttpRequest, application_id: int, payload: DraftIn):
    return Status(
        201,
        deliverable_service.draft_submit(
            tenant=request.tenant, application_id=application_id, **payload.dict()
        ),
    )


@router.post(
    "/applications/{application_id}/drafts/upload",
    response={201: DraftOut},
    summary="Submit a draft with its media file (multipart form; checked)",
    description="The fields of a draft as form fields, and `media`: a JPEG, PNG, WebP or GIF image (at most "
    "30 MB) or an MP4, MOV or WebM video (at most 200 MB), checked by its content and structure; served "
    "back as a download.",
)
def draft_upload(
    request: HttpRequest, application_id: int, payload: Form[DraftIn], media: File[UploadedFile]
):
    return Status(
        201,
        deliverable_service.draft_submit(
            tenant=request.tenant, application_id=application_id, media=media, **payload.dict()
        ),
    )


@router.get("/drafts/{draft_id}/media", summary="A draft's media file (the brand and its creator only)")
def draft_media(request: HttpRequest, draft_id: int) -> HttpResponse:
    return uploads.file_response(selectors.draft_media(tenant=request.tenant, draft_id=draft_id))


@router.post("/drafts/{draft_id}/review", response=DraftOut, summary="Approve or request changes (brands)")
def draft_review(request: HttpRequest, draft_id: int, payload: ReviewIn):
    return deliverable_service.draft_review(tenant=request.tenant, draft_id=draft_id, **payload.dict())


@router.post(
    "/applications/{application_id}/posts", response={201: PostOut}, summary="Give the published post link"
)
def post_submit(request: HttpRequest, application_id: int, payload: PostIn):
    return Status(
        201,
        deliverable_service.post_submit(
            tenant=request.tenant, application_id=application_id, **payload.dict()
        ),
    )


@router.post(
    "/applications/{application_id}/posts/upload",
    response={201: PostOut},
    summary="Give the published post link with a screen capture (stories; multipart form)",
    description="`url` and `deliverable` as form fields, and `screen_capture`: a JPEG, PNG, WebP or GIF "
    "image of at most 15 MB. Stories vanish within a day: the capture is the proof of publication.",
)
def post_upload(
    request: HttpRequest, application_id: int, payload: Form[PostIn], screen_capture: File[UploadedFile]
):
    return Status(
        201,
        deliverable_service.post_submit(
            tenant=request.tenant,
            application_id=application_id,
            screen_capture=screen_capture,
            **payload.dict(),
        ),
    )


@router.get("/posts/{post_id}/capture", summary="A post's screen capture (the brand and its creator only)")
def post_capture(request: HttpRequest, post_id: int) -> HttpResponse:
    return uploads.file_response(selectors.post_capture(tenant=request.tenant, post_id=post_id))


@router.get(
    "/posts/{post_id}/checks",
    response=PostChecksOut,
    summary="A published post's checks at the source (the brand and its creator)",
    description="Each check is passed, failed or could_not_verify with its reason and the data's source "
    "and fetched_at; never passed without data.",
)
def post_checks(request: HttpRequest, post_id: int):
    return selectors.post_checks_for(tenant=request.tenant, post_id=post_id)


@router.post(
    "/posts/{post_id}/verify", response=PostChecksOut, summary="Check a published post again at the source"
)
def post_verify(request: HttpRequest, post_id: int):
    deliverable_service.post_verify_again(tenant=request.tenant, post_id=post_id)
    return selectors.post_checks_for(tenant=request.tenant, post_id=post_id)


@router.post(
    "/posts/{post_id}/accept",
    response=PostChecksOut,
    summary="Accept a published post (brands; a note is required unless every check passed)",
)
def post_accept(request: HttpRequest, post_id: int, payload: PostAcceptIn):
    deliverable_service.post_accept(tenant=request.tenant, post_id=post_id, note=payload.note)
    return selectors.post_checks_for(tenant=request.tenant, post_id=post_id)
