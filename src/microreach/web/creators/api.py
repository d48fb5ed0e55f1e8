from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from microreach.web.accounts.contracts import TenantRequest
from microreach.web.apikit.pagination import Page, PageIn, paginate
from microreach.web.creators import imports, selectors
from microreach.web.creators.errors import OperatorsOnly
from microreach.web.creators.schemas import (
    AccountFilterIn,
    AccountOut,
    FollowerCountOut,
    ImportBatchOut,
    PostOut,
)
from microreach.web.errors import ApplicationError, ErrorCode

router = Router(tags=["creators"])


@router.get(
    "/accounts",
    response=Page[AccountOut],
    summary="Social accounts (installation-wide; a creator's own claimed profiles), paginated",
)
def account_list(request: TenantRequest, filters: Query[AccountFilterIn], page: Query[PageIn]):
    if (
        filters.min_followers is not None
        and filters.max_followers is not None
        and filters.min_followers > filters.max_followers
    ):
        raise ApplicationError(
            ErrorCode.INVERTED_RANGE,
            _("min_followers is greater than max_followers."),
            # ``fields``: the range's two ends, as the search's inverted_range problems name them
            {"field": "min_followers", "fields": ["min_followers", "max_followers"]},
        )
    accounts = selectors.accounts_visible(selectors.account_list(**filters.dict()), tenant=request.tenant)
    return paginate(accounts, page)


@router.get("/accounts/{network}/{handle}", response=AccountOut, summary="One social account")
def account_detail(request: TenantRequest, network: str, handle: str):
    return selectors.account_get(network=network, handle=handle, tenant=request.tenant)


@router.get(
    "/accounts/{network}/{handle}/posts", response=Page[PostOut], summary="Posts of an account, newest first"
)
def account_posts(request: TenantRequest, network: str, handle: str, page: Query[PageIn]):
    account = selectors.account_get(network=network, handle=handle, tenant=request.tenant)
    return paginate(selectors.post_list(account=account), page)


@router.get(
    "/accounts/{network}/{handle}/follower-history",
    response=list[FollowerCountOut],
    summary="Daily follower counts (days may be missing)",
)
def account_follower_history(request: TenantRequest, network: str, handle: str):
    account = selectors.account_get(network=network, handle=handle, tenant=request.tenant)
    return list(selectors.follower_history(account=account))


def _batch_out(batch) -> dict[str, object]:
    return {
        "id": batch.pk,
        "status": batch.status,
        "source": batch.source,
        "record_type": batch.record_type,
        "share_aggregates": batch.share_aggregates,
        "files": [str(f).rsplit("/", 1)[-1] for f in batch.files],
        "rows_total": batch.rows_total,
        "rows_inserted": batch.rows_inserted,
        "rows_updated": batch.rows_updated,
        "rows_unchanged": batch.rows_unchanged,
        "error_count": batch.error_count,
        "errors": batch.errors,
        "accounts_touched": len(batch.accounts_touched),
        "progress": selectors.import_progress(batch=batch),
        "created_at": batch.created_at,
        "finished_at": batch.finished_at,
    }


@router.post(
    "/imports",
    response={202: ImportBatchOut},
    summary="Upload files to import (operators; runs in the worker)",
)
def import_create(
    request: TenantRequest,
    files: File[list[UploadedFile]],
    record_type: Form[str | None] = None,
    organisation_id: Form[int | None] = None,
    share_aggregates: Form[bool] = False,
):
    if not request.tenant.is_operator:
        raise OperatorsOnly()
    batch = imports.import_upload(
        uploads=files,
        user_id=request.user.pk,
        organisation_id=organisation_id,
        record_type=record_type or None,
        share_aggregates=share_aggregates,
    )
    return Status(202, _batch_out(batch))


@router.get(
    "/imports/{batch_id}", response=ImportBatchOut, summary="Status, progress and errors of an import"
)
def import_detail(request: TenantRequest, batch_id: int):
    if not request.tenant.is_operator:
        raise OperatorsOnly()
    return _batch_out(selectors.import_batch_get(batch_id=batch_id))
