"""Reads of the creators context (installation-wide data; follower samples are organisation-owned)."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.creators.errors import AccountNotFound
from microreach.web.creators.models import (
    Creator,
    FollowerCountSnapshot,
    ImportBatch,
    Post,
    ProfileClaim,
    SocialAccount,
)
from microreach.web.errors import ErrorCode


def account_list(
    *,
    network: str | None = None,
    country: str | None = None,
    handle_prefix: str | None = None,
    min_followers: int | None = None,
    max_followers: int | None = None,
) -> QuerySet[SocialAccount]:
    qs = SocialAccount.objects.all().order_by("-followers", "id")
    if network:
        qs = qs.filter(network=network)
    if country:
        qs = qs.filter(country=country.upper())
    if handle_prefix:
        qs = qs.filter(handle__startswith=handle_prefix.lower().lstrip("@"))
    if min_followers is not None:
        qs = qs.filter(followers__gte=min_followers)
    if max_followers is not None:
        qs = qs.filter(followers__lte=max_followers)
    return qs


def accounts_visible(qs: QuerySet[SocialAccount], *, tenant: Tenant | None) -> QuerySet[SocialAccount]:
    """The accounts a viewer may look up: a creator only the profiles they claimed (finding other creators
    is Discovery's, which is for brand and agency teams); brands, agencies and operators every account.
    ``tenant=None``: no viewer (the code's own reads)."""
    if tenant is not None and tenant.is_creator and not tenant.is_operator:
        return qs.filter(creator__claimed_by_id=tenant.user_id)
    return qs


def account_get(*, network: str, handle: str, tenant: Tenant | None = None) -> SocialAccount:
    """The account, or ``AccountNotFound`` when none is stored or the viewer may not see it
    (``accounts_visible``: the same answer, so a creator cannot tell whether another's profile exists)."""
    qs = SocialAccount.objects.filter(network=network, handle=handle.lstrip("@").lower())
    account = accounts_visible(qs, tenant=tenant).first()
    if account is None:
        raise AccountNotFound(network, handle, among_own=tenant is not None and tenant.is_creator)
    return account


def account_get_by_id(*, account_id: int) -> SocialAccount:
    account = SocialAccount.objects.filter(pk=account_id).select_related("creator").first()
    if account is None:
        raise AccountNotFound("?", str(account_id))
    return account


def post_list(*, account: SocialAccount) -> QuerySet[Post]:
    return Post.objects.filter(account=account).order_by("-published_at", "id")


def follower_history(*, account: SocialAccount) -> QuerySet[FollowerCountSnapshot]:
    return FollowerCountSnapshot.objects.filter(account=account).order_by("date")


def data_counts() -> dict[str, int]:
    return {
        "creators": Creator.objects.count(),
        "accounts": SocialAccount.objects.count(),
        "posts": Post.objects.count(),
    }


def accounts_by_network() -> list[tuple[str, int]]:
    rows = SocialAccount.objects.values("network").annotate(n=Count("id")).order_by("-n")
    return [(r["network"], r["n"]) for r in rows]


def recent_batches(*, limit: int = 5) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.all().order_by("-created_at")[:limit]


def claimed_accounts(*, user_id: int) -> QuerySet[SocialAccount]:
    return SocialAccount.objects.filter(creator__claimed_by_id=user_id).order_by("network", "handle")


def pending_claims(*, user_id: int) -> QuerySet[ProfileClaim]:
    return ProfileClaim.objects.filter(user_id=user_id, verified_at__isnull=True).select_related("account")


def import_batch_list(*, limit: int = 50) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("organisation", "created_by").order_by("-created_at")[:limit]


def import_batch_get(*, batch_id: int) -> ImportBatch:
    from microreach.web.errors import NotFound

    batch = ImportBatch.objects.filter(pk=batch_id).select_related("organisation").first()
    if batch is None:
        raise NotFound(ErrorCode.IMPORT_NOT_FOUND, _("No import batch %(id)s.") % {"id": batch_id})
    return batch


def import_progress(*, batch: ImportBatch) -> dict[str, object]:
    """Where an import stands: its status, and the worker's progress while it runs."""
    from microreach.web.jobs.contracts import job_by_key

    job = job_by_key(key=f"import:{batch.pk}")
    done = job.progress_done if job else 0
    total = job.progress_total if job else 0
    return {
        "status": batch.status,
        "percent": round(100 * done / total)
        if total
        else (100 if batch.status == ImportBatch.Status.DONE else 0),
        "message": job.message if job else "",
        "job_state": job.state if job else None,
        "job_error": (job.last_error.splitlines()[0] if job and job.last_error else ""),
    }


def accounts_by_handle(*, keys: set[tuple[str, str]]) -> dict[tuple[str, str], SocialAccount]:
    """Accounts by (network, lower-case handle), with their creator, for the keys that exist."""
    found: dict[tuple[str, str], SocialAccount] = {}
    handles = sorted({handle for _network, handle in keys})
    for start in range(0, len(handles), 500):
        rows = SocialAccount.objects.filter(handle__in=handles[start : start + 500]).select_related("creator")
        for account in rows:
            if (account.network, account.handle) in keys:
                found[(account.network, account.handle)] = account
    return found


def posts_by_network_id(*, keys: set[tuple[int, str]]) -> dict[tuple[int, str], Post]:
    """Posts by (account id, network post id), for the keys that exist."""
    found: dict[tuple[int, str], Post] = {}
    account_ids = sorted({account_id for account_id, _post in keys})
    for start in range(0, len(account_ids), 500):
        rows = Post.objects.filter(account_id__in=account_ids[start : start + 500])
        for post in rows.only("id", "account_id", "network_post_id", "url", "published_at"):
            if (post.account_id, post.network_post_id) in keys:
                found[(post.account_id, post.network_post_id)] = post
    return found


def post_owner_figures(
    *, account_id: int, network_post_ids: list[str]
) -> dict[str, tuple[int | None, int | None, int | None]]:
    """(reach, saves, views) stored for posts of an account: figures only the owner's connected account
    gives (Instagram's insights), kept when a later sync reads a post without them."""
    rows = Post.objects.filter(account_id=account_id, network_post_id__in=network_post_ids)
    return {
        pid: (reach, saves, views)
        for pid, reach, saves, views in rows.values_list("network_post_id", "reach", "saves", "views")
    }
