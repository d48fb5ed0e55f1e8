"""What the audits context offers other contexts: a notice when audits are stored, and their figures.

Read models (search, campaign applicant tables) subscribe with ``on_audits_stored`` in their
``AppConfig.ready`` and read installation-wide figures with ``shared_figures`` — never an
organisation's private audit (one that used its own follower sample).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AuditsStored:
    job_key: str
    account_ids: tuple[int, ...]


@dataclass(frozen=True)
class SharedFigures:
    """The latest installation-wide audit of one account. Shares are fractions (0–1)."""

    account_id: int
    audited_at: datetime
    status: str
    score: float | None
    tier: str
    engagement_rate: float | None
    fake_share: float | None
    pod_flagged: bool
    growth_spikes: int
    sponsored_share: float | None
    undisclosed_posts: int
    compliance_share: float | None


Listener = Callable[[AuditsStored], None]
_LISTENERS: dict[str, Listener] = {}


def on_audits_stored(name: str, listener: Listener) -> None:
    """Register ``listener`` under a stable name (registering twice replaces it)."""
    _LISTENERS[name] = listener


def audits_stored_announce(*, job_key: str, account_ids: list[int]) -> None:
    notice = AuditsStored(job_key=job_key, account_ids=tuple(account_ids))
    for _name, listener in sorted(_LISTENERS.items()):
        listener(notice)


def shared_figures(*, account_ids: list[int]) -> list[SharedFigures]:
    from microreach.web.audits.selectors import audit_shared_latest_by_account

    return [
        SharedFigures(
            account_id=r.account_id,
            audited_at=r.created_at,
            status=r.status,
            score=r.score,
            tier=r.tier,
            engagement_rate=r.engagement_rate,
            fake_share=r.fake_share,
            pod_flagged=r.pod_flagged,
            growth_spikes=r.growth_spikes,
            sponsored_share=r.sponsored_share,
            undisclosed_posts=r.undisclosed_posts,
            compliance_share=r.compliance_share,
        )
        for r in audit_shared_latest_by_account(account_ids=account_ids).values()
    ]
