"""The demo brand's shortlist: what a brand keeps from a first search on Discover (French lifestyle
micro-creators whose fake share is under 10 %, best Audience Quality Score first), made through the real
search and shortlist services, so the Shortlists page, its CSV and "Invite these creators to a campaign"
can be tried from the first login."""

from __future__ import annotations

from microreach.web.accounts.contracts import organisation_first_member_tenant
from microreach.web.discovery import selectors, services
from microreach.web.discovery.schemas import SearchIn

DEMO_SHORTLIST = "Creators to contact"
# The search a brand would run, then wider ones while the list is short (a small world may have no French
# lifestyle micro-creator).
DEMO_SHORTLIST_QUERIES = (
    SearchIn.model_validate(
        {"topic": "lifestyle", "country": "FR", "tier": "micro", "fake_share_max": 10, "sort": "quality"}
    ),
    SearchIn.model_validate({"country": "FR", "fake_share_max": 10, "sort": "quality"}),
    SearchIn.model_validate({"fake_share_max": 10, "sort": "quality"}),
)


def ensure_demo_shortlist(*, brand_organisation_id: int, size: int = 8) -> int:
    """The demo brand's shortlist of up to ``size`` creators (idempotent: a brand with a shortlist keeps its
    own); returns how many creators it holds."""
    tenant = organisation_first_member_tenant(organisation_id=brand_organisation_id)
    if tenant is None:
        raise ValueError("the demo brand has no member")
    existing = selectors.shortlist_list(tenant=tenant).first()
    if existing is not None:
        return existing.entries.count()
    picked: list[int] = []
    for query in DEMO_SHORTLIST_QUERIES:
        found = selectors.creator_search(
            query=query, limit=size, with_total=False, viewer=tenant.organisation_ids
        )
        picked += [row.account_id for row in found.items if row.account_id not in picked][
            : size - len(picked)
        ]
        if len(picked) >= size:
            break
    for account_id in picked:
        services.shortlist_add_creator(
            tenant=tenant, account_id=account_id, shortlist_id=None, new_name=DEMO_SHORTLIST
        )
    return len(picked)
