"""Read and validate the reporting configuration: EMV rates (``emv.yaml``), exchange rates (``fx.yaml``), report
alerts (``report_alerts.yaml``) and the market rates the simulator draws campaign money from (``market.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from microreach.config.loader import CONFIG_DIR, ConfigError, _read, default_tier_preset, load_risk_rules
from microreach.core.records import Network
from microreach.core.reporting import EMV_ACTIONS, AlertRules, EmvRate, EmvTable, FxRate, FxTable
from microreach.core.tiers import tier_name


def _decimal(path: Path, value: Any, what: str) -> Decimal:
    try:
        # Strings keep the published digits exactly (a float 0.07 is not 0.07).
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ConfigError(f"{path}: {what} is not a number: {value!r}") from exc
    if not number.is_finite() or number < 0:
        raise ConfigError(f"{path}: {what} must be a finite number ≥ 0, not {value!r}")
    return number


def load_emv(path: Path = CONFIG_DIR / "emv.yaml") -> EmvTable:
    """EMV rates in EUR per network and action, each with its source; one row per (network, action)."""
    data = _read(path)
    if str(data.get("currency", "")).upper() != "EUR":
        raise ConfigError(f"{path}: EMV rates must be in EUR")
    rates: list[EmvRate] = []
    seen: set[tuple[str, str]] = set()
    for row in data.get("rates") or []:
        try:
            network = Network(row["network"])
        except (KeyError, ValueError) as exc:
            raise ConfigError(f"{path}: unknown network in {row!r}") from exc
        action = str(row.get("action", ""))
        if action not in EMV_ACTIONS:
            raise ConfigError(f"{path}: action must be one of {', '.join(EMV_ACTIONS)}, not {action!r}")
        if (network.value, action) in seen:
            raise ConfigError(f"{path}: two rates for {network.value} {action}")
        seen.add((network.value, action))
        per = int(row.get("per", 1))
        if per <= 0:
            raise ConfigError(f"{path}: 'per' must be positive in {row!r}")
        if not row.get("source"):
            raise ConfigError(f"{path}: every EMV rate needs a source")
        rates.append(EmvRate(network, action, _decimal(path, row.get("eur"), "eur"), per, str(row["source"])))
    return EmvTable(str(data["version"]), tuple(rates))


def load_fx(path: Path = CONFIG_DIR / "fx.yaml") -> FxTable:
    """Dated exchange rates: units of each currency per euro, each with its publication date and source."""
    data = _read(path)
    if str(data.get("base", "")).upper() != "EUR":
        raise ConfigError(f"{path}: the base currency must be EUR")
    rates: list[FxRate] = []
    for row in data.get("rates") or []:
        code = str(row.get("currency", "")).upper()
        if len(code) != 3 or not code.isalpha():
            raise ConfigError(f"{path}: bad currency code in {row!r}")
        on = row.get("date")
        if not isinstance(on, date):
            raise ConfigError(f"{path}: {code} needs a 'date' (YYYY-MM-DD)")
        if not row.get("source"):
            raise ConfigError(f"{path}: {code} needs a source")
        rate = _decimal(path, row.get("per_eur"), f"{code} per_eur")
        if rate == 0:
            raise ConfigError(f"{path}: {code} rate must be positive")
        rates.append(FxRate(code, rate, on, str(row["source"])))
    return FxTable(str(data["version"]), tuple(rates))


def load_report_alerts(path: Path = CONFIG_DIR / "report_alerts.yaml") -> AlertRules:
    """When a report raises an alert: the fake-share limit (fraction), the EMV/spend ratio judged implausible
    and the campaign states in which unpublished planned posts are reported."""
    data = _read(path)
    # The fake-share red flag has one home, the risk verdict's High bound (config/risk.yaml): the report's
    # alert and every page's verdict agree on who has too many fake followers.
    share = load_risk_rules().fake_share.high
    ratio = float(data.get("max_emv_ratio", 10))
    if not 0 < share <= 1 or ratio <= 0:
        raise ConfigError(f"{path}: max_fake_share must be in (0, 1] and max_emv_ratio positive")
    return AlertRules(
        max_fake_share=share,
        max_emv_ratio=ratio,
        missing_posts_states=tuple(str(s) for s in data.get("missing_posts_states") or ()),
        pending_posts_states=tuple(str(s) for s in data.get("pending_posts_states") or ()),
        version=str(data["version"]),
    )


@dataclass(frozen=True, slots=True)
class MarketRates:
    """What the simulator draws campaign money from (``market.yaml``): fees per post by network and tier as
    (low, high) in ``currency``, the follower band of each tier, who each compensation recruits, and sales
    per account reached (clicks per reach × orders per click by tier)."""

    version: str
    currency: str
    fees: dict[str, dict[str, tuple[Decimal, Decimal]]]
    bands: dict[str, tuple[int, int]]
    recruit: dict[str, tuple[int, int]]
    clicks_per_reach: float
    orders_per_click: dict[str, float]
    extra_items: float
    sources: tuple[str, ...]

    def tier_of(self, followers: int) -> str:
        """The tier of ``followers`` by ``tiers.yaml``'s default preset (``core.tiers.tier_name``, no
        topic): the market's bands lie inside those tiers (``load_market`` checks it), so the tier is the one
        whose band holds ``followers``, the first below the bands and the last above them."""
        return tier_name(followers=followers, bands=default_tier_preset().bands)


def _check_bands_within_tiers(path: Path, bands: dict[str, tuple[int, int]]) -> None:
    """Tiers are defined in ``tiers.yaml`` alone: each market band names a tier of the default preset and
    lies inside it (the simulator draws follower counts from the bands, reports classify by the tiers)."""
    tiers = {band.name: band for band in default_tier_preset().bands}
    for name, (low, high) in bands.items():
        tier = tiers.get(name)
        if tier is None:
            raise ConfigError(f"{path}: band {name!r} is not a tier of tiers.yaml ({', '.join(tiers)})")
        if low < tier.min_followers or (tier.max_followers is not None and high > tier.max_followers):
            raise ConfigError(
                f"{path}: band {name} [{low}, {high}) leaves the {name} tier of tiers.yaml "
                f"[{tier.min_followers}, {tier.max_followers if tier.max_followers is not None else '∞'})"
            )


def load_market(path: Path = CONFIG_DIR / "market.yaml") -> MarketRates:
    """Market rates for the simulator, validated: every range has low ≤ high, every network has every tier."""
    data = _read(path)
    fees_block = dict(data["fees"])
    bands = {str(k): (int(v[0]), int(v[1])) for k, v in dict(fees_block.pop("bands")).items()}
    _check_bands_within_tiers(path, bands)
    fee_source = str(fees_block.pop("source", ""))
    fees: dict[str, dict[str, tuple[Decimal, Decimal]]] = {}
    for network, tiers in fees_block.items():
        Network(network)  # a known network, or ValueError
        row = {}
        for tier, pair in dict(tiers).items():
            low, high = _decimal(path, pair[0], "fee"), _decimal(path, pair[1], "fee")
            if low > high or tier not in bands:
                raise ConfigError(f"{path}: {network} {tier}: bad range or unknown tier")
            row[str(tier)] = (low, high)
        if set(row) != set(bands):
            raise ConfigError(f"{path}: {network} needs a fee range for every tier")
        fees[str(network)] = row
    sales = dict(data["sales"])
    orders = {str(k): float(v) for k, v in dict(sales["orders_per_click"]).items()}
    if set(orders) != set(bands):
        raise ConfigError(f"{path}: orders_per_click needs every tier")
    if not fee_source or not sales.get("source"):
        raise ConfigError(f"{path}: fees and sales need their source")
    return MarketRates(
        version=str(data["version"]),
        currency=str(data.get("currency", "USD")).upper(),
        fees=fees,
        bands=bands,
        recruit={str(k): (int(v[0]), int(v[1])) for k, v in dict(data["recruit"]).items()},
        clicks_per_reach=float(sales["clicks_per_reach"]),
        orders_per_click=orders,
        extra_items=float(sales.get("extra_items", 0)),
        sources=(fee_source, str(sales["source"])),
    )
