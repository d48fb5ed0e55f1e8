"""Read and validate the reporting configuration: EMV rates (``emv.yaml``) and exchange rates (``fx.yaml``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from microreach.config.loader import CONFIG_DIR, ConfigError, _read
from microreach.core.records import Network
from microreach.core.reporting import EMV_ACTIONS, EmvRate, EmvTable, FxRate, FxTable


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
