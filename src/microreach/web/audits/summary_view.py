"""How an audit summary is shown and serialised, in one place for every decision point (ADR 0005).

The summary reaches pages through several read models — the audit row itself, the search read model,
a campaign's applications — which store the same figures under the same names (``quality_score`` or
``score``, ``engagement_vs_benchmark`` or ``engagement_ratio`` for older fields). ``summary_view`` reads
any of them into one ``SummaryView``; templates (``{% audit_summary %}``) and API schemas
(``summary_out``) read that view, so the same creator shows the same figures, to the displayed
precision, on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microreach.web import engine_text
from microreach.web.shown_figures import ENGAGEMENT_RATE, FAKE_SHARE


@dataclass(frozen=True)
class RiskReasonView:
    code: str
    params: dict[str, object]
    text: str
    level: str
    evidence: str


@dataclass(frozen=True)
class SummaryView:
    audited: bool
    status: str
    audited_at: datetime | None
    tier: str
    score: float | None
    engagement_rate: float | None
    engagement_percentile: float | None
    engagement_ratio: float | None
    relay_rate: float | None
    fake_share: float | None
    fake_low: float | None
    fake_high: float | None
    fake_source: str
    sample_size: int | None
    risk_level: str
    reasons: tuple[RiskReasonView, ...]

    @property
    def score_text(self) -> str:
        return engine_text.score_text(self.score)

    @property
    def fake_text(self) -> str:
        return engine_text.percent_text(self.fake_share, FAKE_SHARE.digits)

    @property
    def fake_interval_text(self) -> str:
        """``[low, high]`` in the reader's way, or empty when there is no interval."""
        if self.fake_low is None or self.fake_high is None:
            return ""
        low, high = (engine_text.percent_text(v, FAKE_SHARE.digits) for v in (self.fake_low, self.fake_high))
        return f"[{low}, {high}]"

    @property
    def fake_source_label(self) -> str:
        return engine_text.fake_source_text(self.fake_source, self.sample_size)

    @property
    def fake_source_short(self) -> str:
        """``measured`` / ``estimated``: the source in one word, for tables."""
        return engine_text.term("fake_source_short", self.fake_source)

    @property
    def engagement_text(self) -> str:
        return engine_text.percent_text(self.engagement_rate, ENGAGEMENT_RATE.digits)

    @property
    def engagement_vs_peers_text(self) -> str:
        """``p37 of 120 peers``-like wording, or the ratio to the reference when there is no peer rank."""
        return engine_text.engagement_vs_peers_text(self.engagement_percentile, self.engagement_ratio)

    @property
    def risk_label(self) -> str:
        if not self.audited:
            return engine_text.term("risk", "")
        return engine_text.term("risk", self.risk_level or "unknown")


def _get(obj: Any, *names: str) -> Any:
    for name in names:
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


def summary_view(obj: Any) -> SummaryView:
    """The summary of an audit row, an audits contract summary, a search row or an application (``None``:
    not audited)."""
    audited_at = _get(obj, "audit_at", "as_of") if obj is not None else None
    audited = obj is not None and audited_at is not None
    risk = (_get(obj, "risk") or {}) if audited else {}
    reasons = tuple(
        RiskReasonView(
            code=str(r.get("code", "")),
            params=dict(r.get("params") or {}),
            text=engine_text.finding_text(r),
            level=str(r.get("level", "")),
            evidence=str(r.get("evidence", "")),
        )
        for r in (risk.get("reasons") or [])
        if isinstance(r, dict)
    )
    if not audited:
        reasons = (
            RiskReasonView(
                "risk_not_audited", {}, engine_text.finding_text({"code": "risk_not_audited"}), "", ""
            ),
        )
    return SummaryView(
        audited=audited,
        status=str(_get(obj, "status") or ("ok" if audited else "")),
        audited_at=audited_at,
        tier=str(_get(obj, "tier") or ""),
        score=_get(obj, "quality_score", "score") if audited else None,
        engagement_rate=_get(obj, "engagement_rate") if audited else None,
        engagement_percentile=_get(obj, "engagement_percentile") if audited else None,
        engagement_ratio=_get(obj, "engagement_ratio", "engagement_vs_benchmark") if audited else None,
        relay_rate=_get(obj, "relay_rate") if audited else None,
        fake_share=_get(obj, "fake_share") if audited else None,
        fake_low=_get(obj, "fake_low") if audited else None,
        fake_high=_get(obj, "fake_high") if audited else None,
        fake_source=str(_get(obj, "fake_source") or "none") if audited else "none",
        sample_size=_get(obj, "sample_size") if audited else None,
        risk_level=str(_get(obj, "risk_level") or "") if audited else "",
        reasons=reasons,
    )


def summary_out(view: SummaryView) -> dict[str, object]:
    """The API form of a summary (``schemas.AuditSummaryOut``); words in the request's language."""
    return {
        "status": view.status if view.audited else "not_audited",
        "audited_at": view.audited_at,
        "tier": view.tier,
        "score": view.score,
        "quality_score": view.score,
        "engagement_rate": view.engagement_rate,
        "engagement_percentile": view.engagement_percentile,
        "engagement_ratio": view.engagement_ratio,
        "relay_rate": view.relay_rate,
        "fake_share": view.fake_share,
        "fake_share_interval": [view.fake_low, view.fake_high]
        if view.fake_low is not None and view.fake_high is not None
        else None,
        "fake_share_source": view.fake_source,
        "follower_sample_size": view.sample_size,
        "risk": risk_out(view),
    }


def risk_out(view: SummaryView) -> dict[str, object]:
    return {
        "level": view.risk_level or None,
        "label": view.risk_label,
        "reasons": [
            {"code": r.code, "params": r.params, "text": r.text, "level": r.level, "evidence": r.evidence}
            for r in view.reasons
        ],
    }
