"""Bulk actions on a selection of a campaign's applications: accept, decline, shortlist, message, mark
shipped, approve drafts. Each runs the per-aggregate service row by row in ONE transaction: if a row is
refused, nothing changes (the whole selection is rolled back, e-mails and events included, since they
leave on commit) and the answer says, row by row, which were refused and why (an ``ErrorCode``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns.commands import AmountText
from microreach.web.campaigns.errors import IllegalTransition, InvalidInput
from microreach.web.campaigns.machine import A
from microreach.web.campaigns.models import Application, ContentDraft, ReviewState
from microreach.web.campaigns.services import application as application_service
from microreach.web.campaigns.services import deliverable as deliverable_service
from microreach.web.campaigns.services import message as message_service
from microreach.web.campaigns.services import shipment as shipment_service
from microreach.web.campaigns.services._common import brand_campaign, brand_or_404
from microreach.web.errors import ApplicationError, ErrorCode

# The most rows one bulk action takes (a campaign's whole applicant list fits).
MAX_ROWS = 1000


class BulkAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    SHORTLIST = "shortlist"
    MESSAGE = "message"
    SHIP = "ship"
    APPROVE = "approve"


@dataclass(frozen=True)
class RowResult:
    """One row of a bulk action: done, or refused with a stable code and a message for people."""

    application_id: int
    handle: str
    ok: bool
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class BulkResult:
    """``done``: every row went through and the changes are stored; otherwise nothing changed."""

    action: str
    done: bool
    rows: tuple[RowResult, ...]

    @property
    def refused(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.rows if not r.ok)

    @property
    def count(self) -> int:
        return len(self.rows)


def _approve_drafts(tenant: Tenant, app: Application) -> None:
    """Approve every draft of the application waiting for review (a draft whose disclosure wording must
    be confirmed is refused here: the brand reads it on the application page)."""
    drafts = list(
        ContentDraft.objects.filter(application=app, review_state=ReviewState.SUBMITTED).values_list(
            "pk", flat=True
        )
    )
    if app.state != A.CONTENT_SUBMITTED or not drafts:
        raise IllegalTransition(
            "application",
            app.state,
            "approved",
            labels=(_("application"), app.get_state_display(), _("approved")),
        )
    for draft_id in drafts:
        deliverable_service.draft_review(tenant=tenant, draft_id=draft_id, approve=True)


def _runner(
    *,
    tenant: Tenant,
    action: BulkAction,
    message: str,
    carrier: str,
    tracking_number: str,
    cost: AmountText,
    confirm_over_budget: bool = False,
) -> Callable[[Application], object]:
    if action == BulkAction.ACCEPT:
        return lambda app: application_service.application_accept(
            tenant=tenant, application_id=app.pk, message=message, confirm_over_budget=confirm_over_budget
        )
    if action == BulkAction.DECLINE:
        return lambda app: application_service.application_decline(
            tenant=tenant, application_id=app.pk, message=message
        )
    if action == BulkAction.SHORTLIST:
        return lambda app: application_service.application_shortlist(tenant=tenant, application_id=app.pk)
    if action == BulkAction.MESSAGE:
        return lambda app: message_service.message_post(tenant=tenant, application_id=app.pk, body=message)
    if action == BulkAction.SHIP:
        return lambda app: shipment_service.shipment_mark_shipped(
            tenant=tenant,
            application_id=app.pk,
            carrier=carrier,
            tracking_number=tracking_number,
            cost=cost,
        )
    return lambda app: _approve_drafts(tenant, app)


def applications_bulk(
    *,
    tenant: Tenant,
    campaign_id: int,
    action: str,
    application_ids: Sequence[int],
    message: str = "",
    carrier: str = "",
    tracking_number: str = "",
    cost: AmountText = None,
    confirm_over_budget: bool = False,
) -> BulkResult:
    """Run ``action`` on each selected application of the campaign, all or nothing.

    Rows are tried in the order given (ids repeated count once); every row is tried even after a refusal,
    so the answer lists every refused row. A refused row (an ``ApplicationError`` of the row's service, an
    application that is not this campaign's) rolls the whole action back: ``done`` is then False and no
    row changed. An empty selection, an unknown action or a message action without text is refused as a
    whole (``InvalidInput``). Accepting over the budget is refused row by row unless
    ``confirm_over_budget``."""
    brand_or_404(tenant)
    try:
        wanted = BulkAction(action)
    except ValueError as exc:
        raise InvalidInput(
            ErrorCode.INVALID_INPUT, _("Unknown action: %(a)s") % {"a": action[:40]}, {"field": "action"}
        ) from exc
    ids = list(dict.fromkeys(int(i) for i in application_ids))
    if not ids:
        raise InvalidInput(
            ErrorCode.EMPTY_SELECTION, _("Select at least one applicant."), {"field": "application_ids"}
        )
    if len(ids) > MAX_ROWS:
        raise InvalidInput(
            ErrorCode.TOO_LARGE,
            _("Select at most %(n)s applicants at once.") % {"n": MAX_ROWS},
            {"field": "application_ids", "maximum": MAX_ROWS},
        )
    if wanted == BulkAction.MESSAGE and not message.strip():
        raise InvalidInput(ErrorCode.EMPTY_MESSAGE, _("Write a message."), {"field": "message"})
    run = _runner(
        tenant=tenant,
        action=wanted,
        message=message,
        carrier=carrier,
        tracking_number=tracking_number,
        cost=cost,
        confirm_over_budget=confirm_over_budget,
    )
    rows: list[RowResult] = []
    with transaction.atomic():
        campaign = brand_campaign(tenant, campaign_id)
        apps = Application.objects.filter(campaign=campaign, pk__in=ids).select_related("account")
        found = {a.pk: a for a in apps}
        for application_id in ids:
            app = found.get(application_id)
            if app is None:
                rows.append(
                    RowResult(
                        application_id,
                        "",
                        False,
                        ErrorCode.NOT_FOUND,
                        _("Not an application of this campaign."),
                    )
                )
                continue
            handle = app.account.handle
            try:
                with transaction.atomic():
                    run(app)
            except ApplicationError as exc:
                rows.append(RowResult(application_id, handle, False, str(exc.code), exc.message))
            except Http404:
                rows.append(
                    RowResult(
                        application_id,
                        handle,
                        False,
                        ErrorCode.NOT_FOUND,
                        _("Not an application of this campaign."),
                    )
                )
            else:
                rows.append(RowResult(application_id, handle, True))
        done = all(r.ok for r in rows)
        if not done:
            # all or nothing: the rows that went through are undone with the refused ones
            transaction.set_rollback(True)
    return BulkResult(str(wanted), done, tuple(rows))
