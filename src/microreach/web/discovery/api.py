"""The discovery API: creator search, facets, lookalikes, shortlists and saved searches (brand side)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Status

from microreach.web.accounts.contracts import TenantRequest, require_verified_email
from microreach.web.apikit.pagination import PageIn
from microreach.web.discovery import index_status, selectors, services
from microreach.web.discovery.audit_figures import rows_as_seen_by
from microreach.web.discovery.errors import BrandSideOnly
from microreach.web.discovery.schemas import (
    CountIn,
    FacetsOut,
    LookalikeOut,
    SavedSearchIn,
    SavedSearchOut,
    SearchIn,
    SearchPageOut,
    SearchTotalOut,
    ShortlistDetailOut,
    ShortlistEntryIn,
    ShortlistEntryOut,
    ShortlistIn,
    ShortlistNoteIn,
    ShortlistOut,
)
from microreach.web.discovery.shortlist_export import CSV_COLUMNS, shortlist_csv_response

router = Router(tags=["discovery"])
PAGE_PARAMS = frozenset({"limit", "offset", "count"})


def _search_parameters() -> list[dict[str, Any]]:
    """The search's filters as OpenAPI query parameters, from ``SearchIn`` (names, types, bounds, choices).

    The search endpoints do not declare ``SearchIn`` as a ninja parameter: ninja would answer a bad value
    or an inverted range 422 ``invalid_input`` before ``search_query_parse`` could say it as
    ``docs/search.md`` does (400 ``invalid_search``, one problem per filter with its type, limit and
    fields); the schema is only described here.
    """
    properties = SearchIn.model_json_schema()["properties"]
    return [
        {"in": "query", "name": name, "required": False, "schema": schema}
        | ({"description": schema["description"]} if "description" in schema else {})
        for name, schema in properties.items()
    ]


SEARCH_PARAMETERS = {"parameters": _search_parameters()}


def _brand_side(request: TenantRequest) -> None:
    if not request.tenant.is_brand_side:
        raise BrandSideOnly()


def _query(request: TenantRequest) -> SearchIn:
    # Every search reads its query here: searching waits for a confirmed e-mail address.
    require_verified_email(request.tenant)
    # Ninja ignores parameters it does not declare; a search must refuse them (a typo is not a filter).
    return selectors.search_query_parse(params=request.GET.dict(), allowed_extra=PAGE_PARAMS)


@router.get(
    "/search",
    response=SearchPageOut,
    summary="Search creators: free text, combinable filters, sort; paginated",
    description=(
        "Free text (`q`) over bio, names, handle, topics, hashtags and recent captions, accents folded, "
        "ranked by relevance (without `q`, `relevance` lists the best Audience Quality Score first, creators not "
        "audited last). Every filter is optional; they combine with AND. Percentages are in percent. "
        "`total` stops counting at 5,000 (`total_capped`); a search expected to match far more is not "
        "counted: `count_is_estimate` is then true and `total_estimate` gives the database's estimate. "
        "An empty page lists in `emptied_by` the "
        "filters whose removal alone would give results. Unknown parameters, bad values and inverted "
        "ranges answer 400 `invalid_search` with one problem per filter (`field`, `reason`, `type`; "
        "`limit` the bound crossed; an inverted range has type `inverted_range` and `fields`, its two "
        "ends), or 422 `invalid_input` for the page (`limit`, `offset`, `count`)."
    ),
    openapi_extra=SEARCH_PARAMETERS,
)
def search(request: TenantRequest, page: Query[PageIn], count: Query[CountIn]) -> dict[str, Any]:
    _brand_side(request)
    result = selectors.creator_search(
        query=_query(request),
        limit=page.limit,
        offset=page.offset,
        with_total=count.count,
        viewer=request.tenant.organisation_ids,
    )
    index = index_status.search_index_status()
    return {
        "items": rows_as_seen_by(result.items, organisation_ids=request.tenant.organisation_ids),
        "status": index.state,
        "index": {"step": index.step, "done": index.done, "total": index.total, "searchable": index.rows}
        if index.indexing
        else None,
        "total": result.total,
        "total_capped": result.total_capped,
        "count_is_estimate": result.total_estimate is not None,
        "total_estimate": result.total_estimate,
        "limit": result.limit,
        "offset": result.offset,
        "next_offset": result.next_offset,
        "emptied_by": result.emptied_by,
    }


@router.get(
    "/search/total",
    response=SearchTotalOut,
    summary="The total of a search, and what emptied it when it finds nobody",
    description="The count `/search?count=false` leaves out; it stops at 5,000 (`total_capped`), and a "
    "search expected to match far more is estimated, not counted (`count_is_estimate`, `total_estimate`). "
    "Refused filters answer as `/search` says.",
    openapi_extra=SEARCH_PARAMETERS,
)
def search_total(request: TenantRequest) -> dict[str, Any]:
    _brand_side(request)
    found = selectors.search_total(query=_query(request), viewer=request.tenant.organisation_ids)
    return {
        "total": found.total,
        "total_capped": found.capped,
        "count_is_estimate": found.estimated,
        "total_estimate": found.estimate,
        "emptied_by": found.emptied_by,
    }


@router.get(
    "/facets",
    response=FacetsOut,
    summary="Facet counts (network, tier, country, language, topic) of a search",
    description="Counted over the first 5,000 matches; `approximate` says when the search has more. "
    "Refused filters answer as `/search` says.",
    openapi_extra=SEARCH_PARAMETERS,
)
def facets(request: TenantRequest) -> dict[str, Any]:
    _brand_side(request)
    found = selectors.search_facets(query=_query(request), viewer=request.tenant.organisation_ids)
    return {
        "facets": {
            name: [{"value": v, "count": c} for v, c in values] for name, values in found.counts.items()
        },
        "counted": found.counted,
        "approximate": found.approximate,
    }


@router.get(
    "/creators/{account_id}/lookalikes",
    response=list[LookalikeOut],
    summary="Creators like this one, with the reasons",
)
def lookalikes(
    request: TenantRequest, account_id: int, limit: int = Query(12, ge=1, le=50)
) -> list[dict[str, Any]]:
    _brand_side(request)
    found_all = selectors.creator_lookalikes(account_id=account_id, limit=limit)
    rows_as_seen_by([f.row for f in found_all], organisation_ids=request.tenant.organisation_ids)
    return [{"creator": f.row, "similarity": f.similarity, "reasons": f.reasons} for f in found_all]


@router.get(
    "/lookalikes",
    response=list[LookalikeOut],
    summary="Creators like @handle (optionally on one network), with the reasons",
)
def lookalikes_by_handle(
    request: TenantRequest, handle: str, network: str | None = None, limit: int = Query(12, ge=1, le=50)
) -> list[dict[str, Any]]:
    _brand_side(request)
    row = selectors.search_row_by_handle(handle=handle, network=network)
    found_all = selectors.creator_lookalikes(account_id=row.account_id, limit=limit)
    rows_as_seen_by([f.row for f in found_all], organisation_ids=request.tenant.organisation_ids)
    return [{"creator": f.row, "similarity": f.similarity, "reasons": f.reasons} for f in found_all]


def _shortlist_out(shortlist: Any, entries: int) -> dict[str, Any]:
    return {
        "id": shortlist.pk,
        "name": shortlist.name,
        "entries": entries,
        "created_at": shortlist.created_at,
        "updated_at": shortlist.updated_at,
    }


def _entry_out(entry: Any, row: Any, request: TenantRequest) -> dict[str, Any]:
    """A shortlisted creator with the figures this viewer sees (its own audits first, ADR 0005)."""
    if row is not None:
        rows_as_seen_by([row], organisation_ids=request.tenant.organisation_ids)
    return {
        "id": entry.pk,
        "shortlist_id": entry.shortlist_id,
        "account_id": entry.account_id,
        "note": entry.note,
        "added_at": entry.added_at,
        "creator": row,
    }


@router.get("/shortlists", response=list[ShortlistOut], summary="The organisation's shortlists")
def shortlist_list(request: TenantRequest) -> list[dict[str, Any]]:
    _brand_side(request)
    return [_shortlist_out(s, s.entry_count) for s in selectors.shortlist_list(tenant=request.tenant)]


@router.post("/shortlists", response={201: ShortlistOut}, summary="Create a shortlist")
def shortlist_create(request: TenantRequest, payload: ShortlistIn) -> Status:
    _brand_side(request)
    shortlist = services.shortlist_create(tenant=request.tenant, name=payload.name)
    return Status(201, _shortlist_out(shortlist, 0))


@router.get("/shortlists/{shortlist_id}", response=ShortlistDetailOut, summary="A shortlist and its creators")
def shortlist_detail(request: TenantRequest, shortlist_id: int) -> dict[str, Any]:
    _brand_side(request)
    tenant = request.tenant
    shortlist = selectors.shortlist_get(tenant=tenant, shortlist_id=shortlist_id)
    entries = selectors.shortlist_entries(tenant=tenant, shortlist=shortlist)
    return {
        **_shortlist_out(shortlist, len(entries)),
        "items": [_entry_out(e, r, request) for e, r in entries],
    }


@router.patch("/shortlists/{shortlist_id}", response=ShortlistOut, summary="Rename a shortlist")
def shortlist_rename(request: TenantRequest, shortlist_id: int, payload: ShortlistIn) -> dict[str, Any]:
    _brand_side(request)
    tenant = request.tenant
    shortlist = services.shortlist_rename(tenant=tenant, shortlist_id=shortlist_id, name=payload.name)
    return _shortlist_out(shortlist, shortlist.entries.count())


@router.delete("/shortlists/{shortlist_id}", response={204: None}, summary="Delete a shortlist")
def shortlist_delete(request: TenantRequest, shortlist_id: int) -> Status:
    _brand_side(request)
    services.shortlist_delete(tenant=request.tenant, shortlist_id=shortlist_id)
    return Status(204, None)


@router.post(
    "/shortlists/{shortlist_id}/entries",
    response={200: ShortlistEntryOut, 201: ShortlistEntryOut},
    summary="Add a creator (by account id) to a shortlist (201); adding it again returns the existing "
    "entry (200), its note replaced when `note` is given",
)
def shortlist_entry_add(request: TenantRequest, shortlist_id: int, payload: ShortlistEntryIn) -> Status:
    _brand_side(request)
    entry, created = services.shortlist_entry_add(
        tenant=request.tenant,
        shortlist_id=shortlist_id,
        account_id=payload.account_id,
        note=payload.note if "note" in payload.model_fields_set else None,
    )
    row = selectors.search_row_get(account_id=entry.account_id)
    return Status(201 if created else 200, _entry_out(entry, row, request))


@router.get("/shortlists/entries/{entry_id}", response=ShortlistEntryOut, summary="One shortlisted creator")
def shortlist_entry_detail(request: TenantRequest, entry_id: int) -> dict[str, Any]:
    _brand_side(request)
    entry = selectors.shortlist_entry_get(tenant=request.tenant, entry_id=entry_id)
    row = selectors.search_row_get(account_id=entry.account_id) if entry.account_id else None
    return _entry_out(entry, row, request)


@router.patch(
    "/shortlists/entries/{entry_id}", response=ShortlistEntryOut, summary="Change the note of a creator"
)
def shortlist_entry_note(request: TenantRequest, entry_id: int, payload: ShortlistNoteIn) -> dict[str, Any]:
    _brand_side(request)
    entry = services.shortlist_entry_note(tenant=request.tenant, entry_id=entry_id, note=payload.note)
    return _entry_out(entry, selectors.search_row_get(account_id=entry.account_id), request)


@router.delete(
    "/shortlists/entries/{entry_id}", response={204: None}, summary="Remove a creator from its list"
)
def shortlist_entry_remove(request: TenantRequest, entry_id: int) -> Status:
    _brand_side(request)
    services.shortlist_entry_remove(tenant=request.tenant, entry_id=entry_id)
    return Status(204, None)


@router.get(
    "/shortlists/{shortlist_id}/export.csv",
    summary="A shortlist as CSV (one line per creator, with figures and notes)",
    description=(
        "In the request's language (`Accept-Language`), as the web page's export: `,` and `0.0066` in "
        "English; `;`, `0,0066` and a UTF-8 byte order mark in French. Columns: "
        + ", ".join(f"`{name}`" for name in CSV_COLUMNS)
        + " (new columns are only ever added at the end). A text cell a spreadsheet would run as a "
        "formula starts with `'`."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The shortlist as CSV (an attachment)",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def shortlist_export(request: TenantRequest, shortlist_id: int) -> HttpResponse:
    _brand_side(request)
    return shortlist_csv_response(tenant=request.tenant, shortlist_id=shortlist_id)


def _saved_out(saved: Any) -> dict[str, Any]:
    return {"id": saved.pk, "name": saved.name, "query": saved.query, "created_at": saved.created_at}


@router.get("/saved-searches", response=list[SavedSearchOut], summary="The organisation's saved searches")
def saved_search_list(request: TenantRequest) -> list[dict[str, Any]]:
    _brand_side(request)
    return [_saved_out(s) for s in selectors.saved_search_list(tenant=request.tenant)]


@router.post("/saved-searches", response={201: SavedSearchOut}, summary="Save a search under a name")
def saved_search_create(request: TenantRequest, payload: SavedSearchIn) -> Status:
    _brand_side(request)
    saved = services.saved_search_create(tenant=request.tenant, name=payload.name, query=payload.query)
    return Status(201, _saved_out(saved))


@router.get("/saved-searches/{saved_search_id}", response=SavedSearchOut, summary="One saved search")
def saved_search_detail(request: TenantRequest, saved_search_id: int) -> dict[str, Any]:
    _brand_side(request)
    return _saved_out(selectors.saved_search_get(tenant=request.tenant, saved_search_id=saved_search_id))


@router.delete("/saved-searches/{saved_search_id}", response={204: None}, summary="Delete a saved search")
def saved_search_delete(request: TenantRequest, saved_search_id: int) -> Status:
    _brand_side(request)
    services.saved_search_delete(tenant=request.tenant, saved_search_id=saved_search_id)
    return Status(204, None)
