"""Typed commands of the campaigns services (what a form, the API, the demo or a test asks a service to do).

``CampaignChanges``: the fields of a campaign a brand sets. Only the fields given count: on creation the
others keep the model's defaults, on an edit they stay as they are (``given()``). Amounts stay as typed
(a ``Decimal`` or text, e.g. ``"150.005"``): the campaign service checks and rounds them, with the same
errors for every caller (``invalid_amount``, ``negative_amount``, ``amount_too_large``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

# An amount as someone typed it: the service parses and bounds it (``services._common.amount_parse``).
AmountText = Decimal | int | str | None


class ProductLine(BaseModel):
    """One product of the brief: its name, unit value (priced like a fee) and variants."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = ""
    unit_value: AmountText = None
    variants: list[str] = []


class DeliverableLine(BaseModel):
    """One deliverable of the brief: ``count`` posts of ``kind`` on ``network``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    network: str
    kind: str
    count: int = 1


class CampaignChanges(BaseModel):
    """The fields of a campaign a brand sets; see the module's note on which fields count."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    organisation_id: int | None = None  # an agency: the managed brand the campaign is for (creation only)
    title: str = ""
    what_to_say: str = ""
    what_not_to_say: str = ""
    mandatory_mentions: list[str] = []
    mandatory_hashtags: list[str] = []
    tone: str = ""
    examples: str = ""
    products: list[ProductLine] = []
    deliverables: list[DeliverableLine] = []
    compensation: str = "product"
    fee: AmountText = None
    commission_rate: AmountText = None
    networks: list[str] = []
    tiers: list[str] = []
    topics: list[str] = []
    countries: list[str] = []
    languages: list[str] = []
    min_quality_score: int | float | None = None
    max_fake_share: int | float | None = None
    unknown_figures: str = "audit"
    creators_wanted: int = 5
    applications_close_on: date | None = None
    ship_by: date | None = None
    publication_start: date | None = None
    publication_end: date | None = None
    min_days_online: int = 30
    review_days: int = 10
    auto_approve: bool = False
    jurisdictions: list[str] = []
    currency: str | None = None
    budget: AmountText = None

    def given(self) -> dict[str, Any]:
        """The fields given, as plain values (products and deliverables as dicts)."""
        return self.model_dump(exclude_unset=True)
