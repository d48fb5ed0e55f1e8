"""Writes of the discovery context: the search read model's refresh, shortlists, saved searches."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from microreach.web.accounts.contracts import Tenant, get_scoped_or_404
from microreach.web.creators import contracts as creators
from microreach.web.creators.contracts import DataChanged
from microreach.web.discovery import ranked_cache, tiers
from microreach.web.discovery.audit_figures import audit_figures_apply
from microreach.web.discovery.contracts import AuditFigures, audit_figures_providers
from microreach.web.discovery.errors import BrandSideOnly, ShortlistNameInvalid
from microreach.web.discovery.models import (
    SavedSearch,
    SearchAttribute,
    SearchRow,
    Shortlist,
    ShortlistEntry,
)
from microreach.web.discovery.schemas import SearchIn
from microreach.web.discovery.search_backends import backend_for, filter_terms_of
from microreach.web.discovery.selectors import search_row_get
from microreach.web.jobs.contracts import job_enqueue
from microreach.web.plain_text import control_character_problem

log = logging.getLogger("microreach.discovery")

REFRESH_CHUNK = 2000


@dataclass(frozen=True)
class RefreshSummary:
    rows_written: int
    rows_removed: int


def _audit_figures(account_ids: list[int]) -> dict[int, AuditFigures]:
    found: dict[int, AuditFigures] = {}
    for _name, provider in sorted(audit_figures_providers().items()):
        for figures in provider(account_ids):
            current = found.get(figures.account_id)
            if current is None or figures.audit_at > current.audit_at:
                found[figures.account_id] = figures
    return found


def _row(facts: creators.SearchFacts, audit: AuditFigures | None) -> SearchRow:
    row = SearchRow(
        account_id=facts.account_id,
        creator_id=facts.creator_id,
        network=facts.network,
        handle=facts.handle,
        display_name=facts.display_name[:200],
        bio=facts.bio,
        topics=facts.topics,
        hashtags=facts.hashtags,
        captions=facts.captions,
        language=facts.language[:8],
        country=facts.country[:2],
        followers=facts.followers,
        tier=tiers.tier_for(followers=facts.followers, topics=facts.topics),
        tier_preset=tiers.PRESET,
        engagement_rate=None,
        engagement_formula="",
        engagement_posts=facts.engagement_posts,
        last_post_at=facts.last_post_at,
        verified=facts.verified,
        has_contact=facts.has_contact,
        claimed=facts.claimed,
        connected=facts.connected,
        audience_countries=facts.audience_countries,
        growth_30d=facts.growth_30d,
        data_at=facts.data_at,
    )
    if audit is not None:
        audit_figures_apply(row, audit)
    row.filter_terms = filter_terms_of(row)
    return row


def _refresh_chunk(account_ids: list[int], as_of: datetime) -> tuple[int, int]:
    facts = creators.search_account_facts(account_ids=account_ids, as_of=as_of)
    audits = _audit_figures(sorted(facts))
    rows = [_row(f, audits.get(account_id)) for account_id, f in facts.items()]
    with transaction.atomic():
        SearchAttribute.objects.filter(row__account_id__in=account_ids).delete()
        removed, _ = SearchRow.objects.filter(account_id__in=account_ids).delete()
        created = SearchRow.objects.bulk_create(rows, batch_size=500)
        attributes = [
            SearchAttribute(row_id=row.pk, kind=SearchAttribute.Kind.TOPIC, value=topic[:64])
            for row in created
            for topic in dict.fromkeys(t.lower() for t in row.topics)
        ] + [
            SearchAttribute(
                row_id=row.pk,
                kind=SearchAttribute.Kind.AUDIENCE_COUNTRY,
                value=str(entry["country"])[:64],
                share=float(str(entry["share"])),
            )
            for row in created
            for entry in row.audience_countries
        ]
        SearchAttribute.objects.bulk_create(attributes, batch_size=1000)
        ranked_cache.search_rows_changed()
    return len(created), max(0, removed - len(created))


def search_index_refresh(
    *,
    account_ids: Sequence[int] | None,
    as_of: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RefreshSummary:
    """Rebuild the search rows of ``account_ids`` (all accounts when ``None``) from the social data.

    Idempotent: running it twice gives the same rows. Accounts that no longer exist lose their row.
    Engagement is the median over the posts of the ``ENGAGEMENT_WINDOW_DAYS`` days before ``as_of``.
    """
    as_of = as_of or timezone.now()
    written = removed = 0
    if account_ids is not None:
        wanted = sorted(set(account_ids))
        for start in range(0, len(wanted), REFRESH_CHUNK):
            w, r = _refresh_chunk(wanted[start : start + REFRESH_CHUNK], as_of)
            written, removed = written + w, removed + r
            if progress:
                progress(min(start + REFRESH_CHUNK, len(wanted)), len(wanted))
        return RefreshSummary(rows_written=written, rows_removed=removed)
    started = timezone.now()
    after = 0
    backend = backend_for(connection.vendor)
    dropped = False
    # (not inside a caller's transaction: the index would stay dropped, and the table locked, until it ends)
    if not connection.in_atomic_block and SearchRow.objects.count() >= BULK_REBUILD_ROWS:
        with connection.cursor() as cursor:
            dropped = backend.bulk_write_begin(cursor)
    try:
        while chunk := creators.search_account_ids(after_id=after, limit=REFRESH_CHUNK):
            w, _r = _refresh_chunk(chunk, as_of)
            written += w
            after = chunk[-1]
            if progress:
                progress(written, 0)
        stale = SearchRow.objects.filter(refreshed_at__lt=started)
        SearchAttribute.objects.filter(row__in=stale).delete()
        removed, _ = stale.delete()
        ranked_cache.search_rows_changed()
    finally:
        if dropped:
            with connection.cursor() as cursor:
                backend.bulk_write_end(cursor)
    log.info("search index rebuilt: %s rows, %s removed", written, removed)
    return RefreshSummary(rows_written=written, rows_removed=removed)


# A whole rebuild of at least this many rows drops the indexes that are cheaper to build again than to
# update row by row (``SearchBackend.bulk_write_begin``: PostgreSQL's RUM index), and builds them after;
# ranked searches read slowly in between.
BULK_REBUILD_ROWS = 20_000


def search_index_rebuild() -> RefreshSummary:
    """Rebuild the whole search read model (``microreach demo`` calls it after loading its world)."""
    return search_index_refresh(account_ids=None)


def search_refresh_schedule(notice: DataChanged) -> None:
    """The creators data-changed listener: one coalesced refresh job per import batch."""
    if not notice.account_ids:
        return
    job_enqueue(
        kind="discovery.refresh",
        payload={"account_ids": list(notice.account_ids), "batch_id": notice.batch_id},
        key=f"discovery-refresh:{notice.batch_id}",
    )


# Shortlists and saved searches: organisation-owned, written only for the tenant's active organisation.


def _require_brand(tenant: Tenant) -> int:
    if not tenant.is_brand_side or tenant.organisation_id is None:
        raise BrandSideOnly()
    return tenant.organisation_id


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())  # line breaks and tabs become spaces; other control characters refused
    if not cleaned or len(cleaned) > 200:
        raise ShortlistNameInvalid()
    problem = control_character_problem(cleaned, multiline=False)
    if problem is not None:
        raise ShortlistNameInvalid(problem)
    return cleaned


def shortlist_create(*, tenant: Tenant, name: str) -> Shortlist:
    organisation_id = _require_brand(tenant)
    return Shortlist.objects.create(
        organisation_id=organisation_id, name=_clean_name(name), created_by_id=tenant.user_id
    )


def _shortlist_named(*, tenant: Tenant, name: str) -> Shortlist:
    """The organisation's list called ``name`` (the most recently used if several), created if none."""
    organisation_id = _require_brand(tenant)
    cleaned = _clean_name(name)
    found = (
        Shortlist.objects.select_for_update()
        .filter(organisation_id=organisation_id, name=cleaned)
        .order_by("-updated_at", "-id")
        .first()
    )
    return found if found is not None else shortlist_create(tenant=tenant, name=cleaned)


def shortlist_rename(*, tenant: Tenant, shortlist_id: int, name: str) -> Shortlist:
    _require_brand(tenant)
    shortlist = get_scoped_or_404(Shortlist, tenant, pk=shortlist_id)
    shortlist.name = _clean_name(name)
    shortlist.save(update_fields=["name", "updated_at"])
    return shortlist


def shortlist_delete(*, tenant: Tenant, shortlist_id: int) -> None:
    _require_brand(tenant)
    get_scoped_or_404(Shortlist, tenant, pk=shortlist_id).delete()


@transaction.atomic
def shortlist_entry_add(
    *, tenant: Tenant, shortlist_id: int, account_id: int, note: str | None = None
) -> tuple[ShortlistEntry, bool]:
    """Add a creator (by account id) to a shortlist; returns the entry and whether it is new. Adding it
    again keeps the one entry; a ``note`` given then replaces its note (None keeps it)."""
    _require_brand(tenant)
    shortlist = get_scoped_or_404(Shortlist, tenant, pk=shortlist_id)
    search_row_get(account_id=account_id)  # only creators that search knows can be shortlisted
    entry, created = ShortlistEntry.objects.get_or_create(
        shortlist=shortlist,
        account_id=account_id,
        defaults={
            "organisation_id": shortlist.organisation_id,
            "note": (note or "")[:5000],
            "added_by_id": tenant.user_id,
        },
    )
    if created:
        shortlist.save(update_fields=["updated_at"])
    elif note is not None and entry.note != note[:5000]:
        entry.note = note[:5000]
        entry.save(update_fields=["note"])
    return entry, created


def shortlist_add_creator(
    *, tenant: Tenant, account_id: int, shortlist_id: int | None, new_name: str = ""
) -> ShortlistEntry:
    """Add a creator from search results to an existing list, or to the list named ``new_name``: created
    by the first add, reused by the next ones (three cards shortlisted with "New list" make one list of
    three, not three lists of one)."""
    with transaction.atomic():
        if shortlist_id is None:
            shortlist_id = _shortlist_named(tenant=tenant, name=new_name).pk
        entry, _created = shortlist_entry_add(tenant=tenant, shortlist_id=shortlist_id, account_id=account_id)
        return entry


def shortlist_entry_note(*, tenant: Tenant, entry_id: int, note: str) -> ShortlistEntry:
    _require_brand(tenant)
    entry = get_scoped_or_404(ShortlistEntry, tenant, pk=entry_id)
    entry.note = note[:5000]
    entry.save(update_fields=["note"])
    return entry


def shortlist_entry_remove(*, tenant: Tenant, entry_id: int) -> None:
    _require_brand(tenant)
    get_scoped_or_404(ShortlistEntry, tenant, pk=entry_id).delete()


def saved_search_create(*, tenant: Tenant, name: str, query: SearchIn) -> SavedSearch:
    organisation_id = _require_brand(tenant)
    stored = {k: v for k, v in query.model_dump(mode="json").items() if v not in (None, "")}
    return SavedSearch.objects.create(
        organisation_id=organisation_id, name=_clean_name(name), query=stored, created_by_id=tenant.user_id
    )


def saved_search_delete(*, tenant: Tenant, saved_search_id: int) -> None:
    _require_brand(tenant)
    get_scoped_or_404(SavedSearch, tenant, pk=saved_search_id).delete()
