"""How many creators a campaign's targeting lets in: the wizard's "312 creators match".

One formula: every stored account is judged by ``eligibility.campaign_fit_reasons`` — the function the
marketplace (``selectors.creator_feed``) uses to say whether a creator may apply — with the same audit
figures — those the campaign's brand sees, its own audits first, as its Discover search counts them
(``eligibility.fit_figures``) — and the brand's bars. ``claimed`` counts the matching accounts a
creator has claimed: those who see the campaign in their marketplace as one they can apply to.
"""

from __future__ import annotations

from dataclasses import dataclass

from microreach.web.campaigns.eligibility import campaign_fit_reasons, fit_figures
from microreach.web.campaigns.models import Campaign, CreatorBar
from microreach.web.creators.contracts import creator_account_list

# Enough for any installation the wizard runs on; the count says "at least" beyond it.
MAX_JUDGED = 50_000


@dataclass(frozen=True)
class MatchCount:
    matching: int  # stored accounts that fit the targeting
    claimed: int  # of which claimed by a creator (they can apply once the campaign is open)
    judged: int  # accounts judged
    capped: bool  # more accounts exist than were judged


def match_count(*, campaign: Campaign) -> MatchCount:
    """The accounts ``campaign`` (saved or not) lets in, judged as the marketplace judges them."""
    accounts = creator_account_list(limit=MAX_JUDGED + 1)
    capped = len(accounts) > MAX_JUDGED
    accounts = accounts[:MAX_JUDGED]
    figures = fit_figures(
        account_ids=[a.account_id for a in accounts], organisation_id=campaign.organisation_id
    )
    barred = set(
        CreatorBar.objects.filter(organisation_id=campaign.organisation_id).values_list(
            "account_id", flat=True
        )
    )
    matching = claimed = 0
    for account in accounts:
        if not campaign_fit_reasons(
            campaign=campaign,
            account=account,
            figures=figures.get(account.account_id, {}),
            barred=account.account_id in barred,
        ):
            matching += 1
            claimed += account.claimed_by_id is not None
    return MatchCount(matching, claimed, len(accounts), capped)
