"""Deliverables: drafts (checked, reviewed, auto-approved) and published posts (verified, accepted)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant, get_scoped_or_404
from microreach.web.campaigns import content_checks, posters, selectors, uploads, verification
from microreach.web.campaigns.errors import IllegalTransition, InvalidInput
from microreach.web.campaigns.machine import A
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    ApplicationState,
    Campaign,
    CampaignPost,
    ContentDraft,
    ReviewState,
)
from microreach.web.campaigns.services._common import (
    application_move,
    brand_application,
    brand_or_404,
    creator_application,
    creator_email,
    event_log,
    notify,
    recipient_language,
    require_link,
    site_url,
)
from microreach.web.errors import ErrorCode
from microreach.web.jobs.contracts import job_enqueue

log = logging.getLogger(__name__)


@transaction.atomic
def draft_submit(
    *,
    tenant: Tenant,
    application_id: int,
    deliverable: str,
    caption: str,
    link: str = "",
    media: UploadedFile | None = None,
    planned_for: date | None = None,
    declared_retouched: bool = False,
    declared_virtual: bool = False,
    keep_media: bool = False,
) -> ContentDraft:
    """Submit (or resubmit) a deliverable's draft. It is checked first; a draft with errors stays with the
    creator (``blocked``) and the application does not move. ``keep_media`` without a new ``media``: the new
    version keeps the stored file (and poster frame) of the deliverable's previous version, so a caption fix
    asks for no upload again; a new file always wins."""
    app = creator_application(tenant, application_id)
    campaign = app.campaign
    no_product = not campaign.products
    allowed = {A.RECEIVED, A.CONTENT_SUBMITTED} | ({A.ACCEPTED} if no_product else set())
    if app.state not in allowed:
        raise IllegalTransition(
            "application",
            app.state,
            A.CONTENT_SUBMITTED,
            labels=(
                _("application"),
                app.get_state_display(),
                str(ApplicationState(A.CONTENT_SUBMITTED).label),
            ),
        )
    deliverable_require(campaign=campaign, deliverable=deliverable)
    if not caption.strip():
        raise InvalidInput(ErrorCode.EMPTY_CAPTION, _("Write the caption."), {"field": "caption"})
    if link:
        require_link(link, field="link")
    if media is not None:
        media = uploads.checked_upload(media, field="media", allow_video=True)
    items = content_checks.draft_checks(
        caption=caption,
        jurisdictions=list(campaign.jurisdictions),
        mandatory_mentions=list(campaign.mandatory_mentions),
        mandatory_hashtags=list(campaign.mandatory_hashtags),
        declared_retouched=declared_retouched,
        declared_virtual=declared_virtual,
    )
    status = content_checks.check_status(items)
    previous = (
        ContentDraft.objects.filter(application=app, deliverable=deliverable).order_by("-version").first()
    )
    # the stored file is shared, never copied: draft files are kept as long as their drafts
    kept = previous if media is None and keep_media and previous is not None and previous.media else None
    # a new version replaces the earlier ones still open, except that one failing its checks never takes a
    # version waiting for the brand's review away from it (it stays with the creator, the brand reviews that)
    replaced = [ReviewState.APPROVED] + ([ReviewState.SUBMITTED] if status == content_checks.ERROR else [])
    ContentDraft.objects.filter(application=app, deliverable=deliverable).exclude(
        review_state__in=replaced
    ).update(review_state=ReviewState.SUPERSEDED)
    draft = ContentDraft.objects.create(
        organisation_id=app.organisation_id,
        application=app,
        deliverable=deliverable[:60],
        version=(previous.version + 1) if previous else 1,
        caption=caption,
        link=link,
        media=media or (kept.media.name if kept else ""),
        poster=kept.poster.name if kept and kept.poster else "",
        planned_for=planned_for,
        declared_retouched=declared_retouched,
        declared_virtual=declared_virtual,
        checks=content_checks.as_json(items),
        check_status=status,
        review_state=ReviewState.BLOCKED if status == content_checks.ERROR else ReviewState.SUBMITTED,
    )
    event_log(
        campaign,
        "draft.submitted",
        application=app,
        actor_id=tenant.user_id,
        draft=draft.pk,
        version=draft.version,
        check_status=status,
    )
    if draft.review_state == ReviewState.SUBMITTED and app.state != A.CONTENT_SUBMITTED:
        application_move(app, A.CONTENT_SUBMITTED, actor_id=tenant.user_id)
    kind = uploads.media_type_of(draft.media.name) if media is not None or kept else None
    if kind is not None and kind.video and not draft.poster:
        # the poster frame is decoded in the worker, once the draft is committed
        job_enqueue(
            kind="campaigns.draft_poster",
            key=f"campaigns.draft_poster:{draft.pk}",
            payload={"draft_id": draft.pk},
        )
    return draft


def draft_poster_make(*, draft_id: int) -> dict[str, object]:
    """Worker: store the poster frame of a video draft (``campaigns.posters``); idempotent — a draft
    that has one, has no video or is gone is left as it is."""
    draft = ContentDraft.objects.filter(pk=draft_id).first()
    if draft is None or not draft.media or draft.poster:
        return {"poster": "skipped"}
    kind = uploads.media_type_of(draft.media.name)
    if kind is None or not kind.video:
        return {"poster": "skipped"}
    try:
        with draft.media.open("rb") as video:
            data = posters.video_poster(video)
    except posters.PosterRefused as refused:
        log.info("no poster for draft %s: %s", draft_id, refused)
        return {"poster": "refused"}
    draft.poster.save(f"draft-{draft.pk}.webp", ContentFile(data), save=False)
    ContentDraft.objects.filter(pk=draft.pk).update(poster=draft.poster.name)
    return {"poster": draft.poster.name}


def _approved(draft: ContentDraft) -> None:
    """Once a version is approved, a newer one that failed its checks (left with the creator while this one
    waited for review) has nothing left to fix: it is superseded."""
    ContentDraft.objects.filter(
        application_id=draft.application_id,
        deliverable=draft.deliverable,
        version__gt=draft.version,
        review_state=ReviewState.BLOCKED,
    ).update(review_state=ReviewState.SUPERSEDED)


def _approve_if_complete(app: Application, *, actor_id: int | None) -> None:
    kinds = deliverable_names(app.campaign)
    approved = set(
        ContentDraft.objects.filter(application=app, review_state=ReviewState.APPROVED).values_list(
            "deliverable", flat=True
        )
    )
    if app.state == A.CONTENT_SUBMITTED and set(kinds) <= approved:
        application_move(app, A.APPROVED, actor_id=actor_id)


def deliverable_names(campaign: Campaign) -> list[str]:
    """One name per deliverable unit: "instagram reel 1", "instagram story 2"…"""
    names = []
    for d in campaign.deliverables:
        for i in range(int(d.get("count", 1))):
            names.append(f"{d.get('network', '')} {d.get('kind', '')} {i + 1}".strip())
    return names


def deliverable_require(*, campaign: Campaign, deliverable: str) -> None:
    """Refuse a deliverable that is not one of ``deliverable_names(campaign)`` (400 ``unknown_deliverable``
    naming them): the one check of drafts and posts, whose API takes any text."""
    names = deliverable_names(campaign)
    if deliverable not in names:
        raise InvalidInput(
            ErrorCode.UNKNOWN_DELIVERABLE,
            _("“%(d)s” is not a deliverable of this campaign; its deliverables are: %(names)s.")
            % {"d": deliverable[:60], "names": ", ".join(names)},
            {"field": "deliverable", "allowed": names},
        )


@transaction.atomic
def draft_review(
    *, tenant: Tenant, draft_id: int, approve: bool, comment: str = "", confirm_wording: bool = False
) -> ContentDraft:
    brand_or_404(tenant)
    draft = get_scoped_or_404(ContentDraft, tenant, pk=draft_id)
    app = brand_application(tenant, draft.application_id)
    if draft.review_state != ReviewState.SUBMITTED or app.state != A.CONTENT_SUBMITTED:
        raise IllegalTransition(
            "draft",
            draft.review_state,
            "reviewed",
            labels=(_("draft"), draft.get_review_state_display(), _("reviewed")),
        )
    if approve and draft.check_status == content_checks.CONFIRM and not confirm_wording:
        raise InvalidInput(
            ErrorCode.WORDING_UNCONFIRMED,
            _("Confirm the equivalent disclosure wording before approving."),
            {"field": "confirm_wording"},
        )
    if not approve and not comment.strip():
        raise InvalidInput(ErrorCode.COMMENT_REQUIRED, _("Say what to change."), {"field": "comment"})
    draft.review_state = ReviewState.APPROVED if approve else ReviewState.CHANGES_REQUESTED
    draft.review_comment = comment.strip()
    draft.brand_confirmed_wording = confirm_wording
    draft.reviewed_at = timezone.now()
    draft.save()
    event_log(
        app.campaign,
        "draft.approved" if approve else "draft.changes_requested",
        application=app,
        actor_id=tenant.user_id,
        draft=draft.pk,
    )
    if approve:
        _approved(draft)
        _approve_if_complete(app, actor_id=tenant.user_id)
    with recipient_language(app.creator_user_id):
        link = site_url(f"/campaigns/applications/{app.pk}/")
        notify(
            key=f"campaign-review:{draft.pk}",
            user_id=app.creator_user_id,
            to=creator_email(app),
            subject=_("Your draft was reviewed: %(c)s") % {"c": app.campaign.title},
            campaign=app.campaign,
            template="reviewed",
            context={"u": link, "approved": approve, "comment": draft.review_comment},
            action_url=link,
            action_label=_("See the review"),
        )
    return draft


def drafts_auto_approve(*, now: datetime) -> int:
    """Approve drafts whose review delay passed, in campaigns that chose automatic approval."""
    due = ContentDraft.objects.filter(
        review_state=ReviewState.SUBMITTED,
        check_status__in=["ok", "warning"],
        application__campaign__auto_approve=True,
        application__state=A.CONTENT_SUBMITTED,
    ).select_related("application__campaign")
    count = 0
    for draft in due:
        if draft.submitted_at + timedelta(days=draft.application.campaign.review_days) > now:
            continue
        with transaction.atomic():
            app = (
                Application.objects.select_for_update()
                .select_related("campaign")
                .get(pk=draft.application_id)
            )
            updated = ContentDraft.objects.filter(pk=draft.pk, review_state=ReviewState.SUBMITTED).update(
                review_state=ReviewState.APPROVED,
                reviewed_at=now,
                review_comment=_("Approved automatically."),
            )
            if updated:
                event_log(app.campaign, "draft.auto_approved", application=app, draft=draft.pk)
                _approved(draft)
                _approve_if_complete(app, actor_id=None)
                count += 1
    return count


@transaction.atomic
def post_submit(
    *,
    tenant: Tenant,
    application_id: int,
    url: str,
    deliverable: str = "",
    screen_capture: UploadedFile | None = None,
) -> CampaignPost:
    app = creator_application(tenant, application_id)
    if app.state not in (A.APPROVED, A.PUBLISHED):
        raise IllegalTransition(
            "application",
            app.state,
            A.PUBLISHED,
            labels=(_("application"), app.get_state_display(), str(ApplicationState(A.PUBLISHED).label)),
        )
    if deliverable:  # the API's deliverable is optional: a post without one is checked against the campaign
        deliverable_require(campaign=app.campaign, deliverable=deliverable)
    kind = deliverable.split(" ")[1] if deliverable.count(" ") >= 1 else ""
    if kind in content_checks.content_policy().ephemeral_kinds and screen_capture is None:
        raise InvalidInput(
            ErrorCode.CAPTURE_REQUIRED,
            _("Stories vanish within a day: upload a screen capture as proof."),
            {"field": "screen_capture"},
        )
    require_link(url, field="url")
    problem = verification.link_problem(campaign=app.campaign, deliverable=deliverable, url=url)
    if problem is not None:
        raise InvalidInput(ErrorCode.NOT_A_POST_LINK, problem, {"field": "url"})
    if screen_capture is not None:
        screen_capture = uploads.checked_upload(screen_capture, field="screen_capture", allow_video=False)
    post = CampaignPost.objects.create(
        organisation_id=app.organisation_id,
        application=app,
        deliverable=deliverable[:60],
        url=url,
        post_id=selectors.post_lookup(account_id=app.account_id, url=url),
        screen_capture=screen_capture or "",
        published_at=timezone.now(),
    )
    event_log(app.campaign, "post.published", application=app, actor_id=tenant.user_id, post=post.pk)
    if app.state == A.APPROVED:
        application_move(app, A.PUBLISHED, actor_id=tenant.user_id)
    # verified at the source by the worker (network calls stay out of the request)
    job_enqueue(
        kind="campaigns.post_verify", payload={"campaign_post_id": post.pk}, key=f"post_verify:{post.pk}:0"
    )
    return post


@transaction.atomic
def post_verify_again(*, tenant: Tenant, post_id: int) -> CampaignPost:
    """Check a published post again (the brand or its creator), e.g. after connecting the account."""
    post = CampaignPost.objects.filter(pk=post_id).select_related("application__campaign").first()
    if post is None:
        raise Http404("campaign post")
    selectors.application_for_tenant(tenant=tenant, application_id=post.application_id)
    runs = ActivityEvent.objects.filter(
        campaign_id=post.application.campaign_id, event="post.verify_requested", data__post=post.pk
    ).count()
    event_log(
        post.application.campaign,
        "post.verify_requested",
        application=post.application,
        actor_id=tenant.user_id,
        post=post.pk,
    )
    job_enqueue(
        kind="campaigns.post_verify",
        payload={"campaign_post_id": post.pk},
        key=f"post_verify:{post.pk}:{runs + 1}",
    )
    return post


@transaction.atomic
def post_accept(*, tenant: Tenant, post_id: int, note: str = "") -> CampaignPost:
    """The brand accepts a published post; a post whose checks did not all pass needs a note saying why."""
    brand_or_404(tenant)
    post = get_scoped_or_404(CampaignPost, tenant, pk=post_id)
    post = CampaignPost.objects.select_for_update().select_related("application__campaign").get(pk=post.pk)
    note = note.strip()
    if len(note) > 2000:
        raise InvalidInput(
            ErrorCode.TOO_LONG, _("The note is longer than 2000 characters."), {"field": "note"}
        )
    statuses = list(post.checks.values_list("status", flat=True))
    if verification.verification_status(statuses) != verification.PASSED and not note:
        raise InvalidInput(
            ErrorCode.NOTE_REQUIRED,
            _("Some checks did not pass or could not be verified: say in a note why you accept this post."),
            {"field": "note"},
        )
    post.accepted_at = timezone.now()
    post.accepted_note = note
    post.save(update_fields=["accepted_at", "accepted_note"])
    event_log(
        post.application.campaign,
        "post.accepted",
        application=post.application,
        actor_id=tenant.user_id,
        post=post.pk,
    )
    return post
