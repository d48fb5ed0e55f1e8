"""The two state machines of a campaign: which state may follow which. Pure data, no database."""

from __future__ import annotations

from microreach.web.campaigns.models import ApplicationState, CampaignState


class C:
    """Campaign states as plain strings (the values of ``CampaignState``), for typed comparisons."""

    DRAFT = str(CampaignState.DRAFT)
    OPEN = str(CampaignState.OPEN)
    CLOSED = str(CampaignState.CLOSED)
    RUNNING = str(CampaignState.RUNNING)
    COMPLETED = str(CampaignState.COMPLETED)
    CANCELLED = str(CampaignState.CANCELLED)


class A:
    """Application states as plain strings (the values of ``ApplicationState``)."""

    APPLIED = str(ApplicationState.APPLIED)
    SHORTLISTED = str(ApplicationState.SHORTLISTED)
    ACCEPTED = str(ApplicationState.ACCEPTED)
    DECLINED = str(ApplicationState.DECLINED)
    WITHDRAWN = str(ApplicationState.WITHDRAWN)
    SHIPPED = str(ApplicationState.SHIPPED)
    RECEIVED = str(ApplicationState.RECEIVED)
    CONTENT_SUBMITTED = str(ApplicationState.CONTENT_SUBMITTED)
    APPROVED = str(ApplicationState.APPROVED)
    PUBLISHED = str(ApplicationState.PUBLISHED)
    NO_SHOW = str(ApplicationState.NO_SHOW)


CAMPAIGN: dict[str, frozenset[str]] = {
    C.DRAFT: frozenset({C.OPEN, C.CANCELLED}),
    C.OPEN: frozenset({C.CLOSED, C.CANCELLED}),
    C.CLOSED: frozenset({C.RUNNING, C.CANCELLED}),
    C.RUNNING: frozenset({C.COMPLETED, C.CANCELLED}),
    C.COMPLETED: frozenset(),
    C.CANCELLED: frozenset(),
}

APPLICATION: dict[str, frozenset[str]] = {
    A.APPLIED: frozenset({A.SHORTLISTED, A.ACCEPTED, A.DECLINED, A.WITHDRAWN}),
    A.SHORTLISTED: frozenset({A.ACCEPTED, A.DECLINED, A.WITHDRAWN}),
    # A campaign without a product to ship goes from acceptance straight to content.
    A.ACCEPTED: frozenset({A.SHIPPED, A.CONTENT_SUBMITTED, A.WITHDRAWN}),
    A.SHIPPED: frozenset({A.RECEIVED, A.NO_SHOW}),
    A.RECEIVED: frozenset({A.CONTENT_SUBMITTED, A.NO_SHOW}),
    A.CONTENT_SUBMITTED: frozenset({A.APPROVED, A.NO_SHOW}),
    A.APPROVED: frozenset({A.PUBLISHED, A.NO_SHOW}),
    A.PUBLISHED: frozenset(),
    A.DECLINED: frozenset(),
    # Final for this application's workflow; the creator may still apply again with the profile while the
    # campaign is open: a new application on the same row (``services.application.application_create``).
    A.WITHDRAWN: frozenset(),
    A.NO_SHOW: frozenset(),
}

# Applications that hold one of the places the campaign wants.
ACCEPTED_STATES = frozenset(
    {A.ACCEPTED, A.SHIPPED, A.RECEIVED, A.CONTENT_SUBMITTED, A.APPROVED, A.PUBLISHED, A.NO_SHOW}
)
# Applications whose brand may see the creator's address.
ADDRESS_VISIBLE_STATES = ACCEPTED_STATES - {A.NO_SHOW}


def can_move(machine: dict[str, frozenset[str]], current: str, wanted: str) -> bool:
    return wanted in machine.get(current, frozenset())
