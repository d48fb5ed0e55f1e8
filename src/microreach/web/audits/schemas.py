from __future__ import annotations

from datetime import datetime

from ninja import Schema


class AuditOut(Schema):
    account_id: int
    network: str
    handle: str
    status: str
    score: float | None
    confidence: str
    tier: str
    engagement_rate: float | None
    fake_share: float | None
    fake_share_interval: list[float] | None
    pod_flagged: bool
    growth_spikes: int
    sponsored_share: float | None
    undisclosed_posts: int
    uses_own_follower_sample: bool
    as_of: datetime
    data_from: datetime | None
    data_to: datetime | None
    versions: dict[str, object]
    result: dict[str, object]
