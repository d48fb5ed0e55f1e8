"""The "engagement vs peers" chart of an audit: the account's engagement rate against the quantiles of
the peer band it was compared with — both read where they are stored (the audit's result, the population
snapshot it used), never computed again."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from microreach.web import formatting
from microreach.web.audits.selectors import peer_band_quantiles
from microreach.web.charts import peer_band_chart

METRIC = "engagement_rate"


def engagement_vs_peers_chart(*, population_id: str, result: dict[str, Any] | None) -> SafeString:
    """The chart, or an empty string when the audit has no engagement rate or no peer band."""
    peer = next((p for p in (result or {}).get("peers", []) if p.get("metric") == METRIC), None)
    if not peer or peer.get("value") is None or peer.get("low_followers") is None or not peer.get("peers"):
        return SafeString("")
    quantiles = peer_band_quantiles(
        population_id=population_id,
        network=str(peer["network"]),
        low_followers=int(peer["low_followers"]),
        metric=METRIC,
    )
    if not quantiles:
        return SafeString("")
    p10, p25, p75, p90 = (quantiles[i] for i in (10, 25, 75, 90))
    return peer_band_chart(
        value=float(peer["value"]),
        quantiles=quantiles,
        title=_("Engagement rate vs %(n)s peers with %(low)s–%(high)s followers")
        % {
            "n": formatting.number(peer["peers"]),
            "low": formatting.number(peer["low_followers"]),
            "high": formatting.number(peer["high_followers"]),
        },
        value_label=_("this account"),
        # the legend says what each shade is and where it ends (the light bar's left end, say, is p10)
        band_label=_("light: middle %(share)s of peers, %(low)s to %(high)s")
        % {
            "share": formatting.percent(0.8, 0),
            "low": formatting.percent(p10, 2),
            "high": formatting.percent(p90, 2),
        },
        narrow_label=_("dark: middle %(share)s, %(low)s to %(high)s")
        % {
            "share": formatting.percent(0.5, 0),
            "low": formatting.percent(p25, 2),
            "high": formatting.percent(p75, 2),
        },
        median_label=_("peer median"),
    )
