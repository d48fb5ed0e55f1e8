"""Where an account's stored figures come from: per kind of data, each source with its rows, the data
window and when it was last fetched (``creators.contracts.account_data_sources``).

Every stored row keeps its provenance (``models.Provenance``: ``source``, ``batch``, ``fetched_at``); a row
without its own ``fetched_at`` (older file imports) counts from its batch's end.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce

from microreach.web.creators.models import (
    AudienceBreakdown,
    Comment,
    FollowerCountSnapshot,
    FollowerSample,
    Post,
    PostMetricSnapshot,
    SocialAccount,
    Source,
)

# kind of data -> (model, the filter naming the account, the field that dates the data)
KINDS: tuple[tuple[str, Any, str, str], ...] = (
    ("follower_history", FollowerCountSnapshot, "account_id", "date"),
    ("posts", Post, "account_id", "published_at"),
    ("post_metrics", PostMetricSnapshot, "post__account_id", "captured_on"),
    ("comments", Comment, "post__account_id", "commented_at"),
    ("audience", AudienceBreakdown, "account_id", "as_of"),
    ("follower_sample", FollowerSample, "account_id", "sampled_at"),
)


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def data_sources(
    *, account_id: int, organisation_ids: Collection[int] = ()
) -> list[tuple[str, str, int, date | None, date | None, datetime | None]]:
    """(kind, source, rows, first day, last day, fetched at) per kind and source, the profile first (none for
    an account whose data its creator deleted, ``source = data_deleted``). Follower
    samples count only those of ``organisation_ids`` (they stay private to the organisation that imported
    them) and those whose owner shares their aggregates."""
    out: list[tuple[str, str, int, date | None, date | None, datetime | None]] = []
    account = (
        SocialAccount.objects.filter(pk=account_id)
        .values("source", "fetched_at", "batch__finished_at", "updated_at")
        .first()
    )
    if account is None:
        return out
    if account["source"] != Source.DATA_DELETED:  # its creator deleted the profile's only source: none held
        fetched = account["fetched_at"] or account["batch__finished_at"] or account["updated_at"]
        out.append(("profile", account["source"], 1, None, _day(fetched), fetched))
    for kind, model, account_field, dated in KINDS:
        rows = model.objects.filter(**{account_field: account_id})
        if model is FollowerSample:
            rows = rows.filter(
                Q(organisation_id__in=list(organisation_ids)) | Q(batch__share_aggregates=True)
            )
        grouped = (
            rows.values("source")
            .annotate(
                n=Count("id"),
                first=Min(dated),
                last=Max(dated),
                fetched=Coalesce(Max("fetched_at"), Max("batch__finished_at")),
            )
            .order_by("source")
        )
        for g in grouped:
            out.append((kind, g["source"], g["n"], _day(g["first"]), _day(g["last"]), g["fetched"]))
    return out
