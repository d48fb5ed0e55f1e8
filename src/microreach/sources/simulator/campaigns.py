"""The campaign side of a simulated world: brands, campaigns in every state and all that follows them.

Each chunk of creators gets its own brands (about 3 per 1,000 creators; the first chunk at least 2), so
the world stays chunk-local: a chunk's campaigns recruit among that chunk's accounts, and their
published posts are written as ``post`` rows of the creators' accounts (with daily ``post_snapshot``
rows) in the same chunk. Draws come from their own generator seeded with ``(seed, chunk_index, 7)``:
the rest of the world is the same whether campaigns are simulated or not. This module holds the rules and
terms (states, slots, markets, texts, fees, timelines); ``campaign_generation`` draws the campaigns.

Every brand has one campaign per state (draft, open, closed, running, completed, cancelled), and the
applications of each campaign take the states its life allows, so that every application state
appears: applied and shortlisted in open campaigns, accepted and shipped in closed ones, received,
content submitted, approved and published in running ones, published and no-show in completed ones.
Some drafts fail the disclosure check first and are fixed in a second version. Shipments carry the
carrier and the tracking number, never an address: addresses are personal data and stay out of files.

Money follows the market (``config/market.yaml``, each figure with its source): product-only and affiliate
campaigns recruit small creators, fee campaigns micro to mid-tier ones; each creator asks the fee per post
of their network and tier (growing with their followers inside the tier), converted from the published
dollars with ``config/fx.yaml``; sales through promo codes follow the post's reach × clicks per account
reached × orders per click of the creator's tier, each order worth the product's price.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache

import numpy as np
import polars as pl

from microreach.config.reporting import MarketRates, load_fx, load_market
from microreach.core.records import (
    PostType,
)
from microreach.sources.simulator import vocabulary as words

CAMPAIGN_RECORD_TYPES = (
    "brand",
    "campaign",
    "application",
    "shipment",
    "draft",
    "message",
    "sale",
    "campaign_post",
)
BRANDS_PER_THOUSAND = 3
CAMPAIGN_STATES = ("draft", "open", "closed", "running", "completed", "cancelled")
# The application states each campaign state holds, in the order places are filled: the first ones
# are always there (so small worlds still show every state), extra applicants take the last one.
SLOTS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "open": ("applied", "shortlisted", "declined", "withdrawn", "applied"),
    "closed": ("accepted", "shipped", "declined", "accepted", "declined"),
    "running": ("received", "content_submitted", "approved", "published", "shipped", "received", "declined"),
    "completed": ("published", "no_show", "published", "declined", "published", "declined"),
    "cancelled": ("withdrawn", "applied", "applied"),
}
EXTRA_APPLICANTS = {"draft": 0, "open": 9, "closed": 5, "running": 4, "completed": 5, "cancelled": 2}
COMPENSATION = {
    "draft": "fee",
    "open": "fee",
    "closed": "product",
    "running": "affiliate",
    "cancelled": "product",
}
ACCEPTED = frozenset(
    {"accepted", "shipped", "received", "content_submitted", "approved", "published", "no_show"}
)
SHIPPED = frozenset({"shipped", "received", "content_submitted", "approved", "published", "no_show"})
RECEIVED = frozenset({"received", "content_submitted", "approved", "published"})
DELIVERABLE_KIND = {"instagram": "reel", "tiktok": "video", "youtube": "video"}
POST_TYPE = {"instagram": PostType.REEL, "tiktok": PostType.VIDEO, "youtube": PostType.VIDEO}
MAX_SNAPSHOT_DAYS = 30


@dataclass(frozen=True)
class Market:
    country: str
    currency: str
    jurisdiction: str
    language: str
    carrier: str
    weight: float


MARKETS = (
    Market("FR", "EUR", "FR", "fr", "Colissimo", 0.55),
    Market("US", "USD", "US", "en", "UPS", 0.2),
    Market("GB", "GBP", "UK", "en", "Royal Mail", 0.15),
    Market("DE", "EUR", "DE", "de", "DHL", 0.1),
)

# A disclosure label the checks accept, first in the caption (de: "Anzeige").
LABEL = {"fr": "Publicité —", "en": "#ad", "de": "Anzeige —"}
TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "say": "Montrez {product} dans votre quotidien, avec vos mots.",
        "not_say": "Pas de comparaison de prix avec d'autres marques.",
        "tone": "naturel, lumière du jour",
        "pitch": "J'adore {brand} : ma communauté {topic} va aimer {product}.",
        "caption": "mon avis sur {product} avec @{mention} #{hashtag}",
        "hello": "Bonjour ! Ravie de candidater, des questions sur le brief ?",
        "welcome": "Bienvenue dans la campagne ! Le colis part cette semaine.",
        "sorry": "Merci pour votre candidature, nous avons fait d'autres choix cette fois.",
        "thanks": "Merci, j'ai hâte de commencer.",
        "change": "Pouvez-vous mentionner la couleur du produit ?",
    },
    "en": {
        "say": "Show {product} in your daily life, in your own words.",
        "not_say": "No price comparison with other brands.",
        "tone": "natural, daylight",
        "pitch": "I love {brand}: my {topic} community will enjoy {product}.",
        "caption": "my take on {product} with @{mention} #{hashtag}",
        "hello": "Hi! Happy to apply, any question about the brief?",
        "welcome": "Welcome to the campaign! The parcel leaves this week.",
        "sorry": "Thank you for applying, we chose other profiles this time.",
        "thanks": "Thanks, looking forward to it.",
        "change": "Could you name the colour of the product?",
    },
    "de": {
        "say": "Zeig {product} in deinem Alltag, mit deinen Worten.",
        "not_say": "Keine Preisvergleiche mit anderen Marken.",
        "tone": "natürlich, Tageslicht",
        "pitch": "Ich liebe {brand}: meine {topic}-Community wird {product} mögen.",
        "caption": "mein Test von {product} mit @{mention} #{hashtag}",
        "hello": "Hallo! Gerne dabei, gibt es Fragen zum Briefing?",
        "welcome": "Willkommen in der Kampagne! Das Paket geht diese Woche raus.",
        "sorry": "Danke für die Bewerbung, diesmal haben wir anders entschieden.",
        "thanks": "Danke, ich freue mich darauf.",
        "change": "Kannst du die Farbe des Produkts nennen?",
    },
}


@dataclass
class CampaignWorld:
    """What the campaign side of one chunk adds: its own frames, and posts for the creators' files."""

    frames: dict[str, pl.DataFrame]
    posts: pl.DataFrame
    snapshots: pl.DataFrame
    # account row -> the campaign posts of that account, for the ground truth
    sponsored: dict[int, list[dict[str, object]]] = field(default_factory=dict)


@dataclass(frozen=True)
class AccountView:
    """What the campaign generator reads about the chunk's accounts (index = account row)."""

    network: np.ndarray
    handle: np.ndarray
    country: np.ndarray
    topic: np.ndarray  # index into words.TOPICS
    first_name: np.ndarray
    followers: np.ndarray
    # mean metrics of each account's posts (for the campaign posts' figures)
    likes: np.ndarray
    comments: np.ndarray
    shares: np.ndarray
    saves: np.ndarray
    views: np.ndarray
    reach: np.ndarray


def moment_on(day: date, rng: np.random.Generator, earliest_hour: int = 8) -> datetime:
    """A whole-second time of ``day`` (UTC) during the working day."""
    seconds = int(rng.integers(earliest_hour * 3600, 21 * 3600))
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


def moment_after(
    moment: datetime, rng: np.random.Generator, low_days: int, high_days: int, limit: datetime
) -> datetime:
    """A moment ``low_days``..``high_days`` after ``moment``, never after ``limit``."""
    step = timedelta(
        days=int(rng.integers(low_days, high_days + 1)), seconds=int(rng.integers(600, 8 * 3600))
    )
    return min(moment + step, limit)


def as_money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


@lru_cache(maxsize=1)
def market_rates() -> tuple[MarketRates, dict[str, float]]:
    """The market rates and, per currency, the units of it per unit of the rates' currency (ECB rates)."""
    market = load_market()
    fx = load_fx()
    per_eur = {"EUR": 1.0, **{r.currency: float(r.per_eur) for r in fx.rates}}
    base = per_eur.get(market.currency)
    if base is None:
        raise ValueError(f"no exchange rate for {market.currency} in {fx.version}")
    return market, {code: rate / base for code, rate in per_eur.items()}


def round_fee(value: float) -> Decimal:
    """A fee as people write it: to 5 below 100, to 10 below 1,000, to 50 above."""
    step = 5 if value < 100 else 10 if value < 1000 else 50
    return Decimal(max(step, round(value / step) * step))


def creator_fee(*, network: str, followers: int, currency: str, rng: np.random.Generator) -> Decimal:
    """What a creator asks per sponsored post, in ``currency``: the market range of their network and tier,
    placed by their follower count inside the tier's band (log scale), times a lognormal spread (σ 0.2),
    kept inside the range; converted with the ECB rate."""
    market, per_unit = market_rates()
    rates = market.fees.get(network) or market.fees["instagram"]
    tier = market.tier_of(followers)
    low, high = (float(v) for v in rates[tier])
    band_low, band_high = market.bands[tier]
    place = (math.log(max(followers, 1)) - math.log(band_low)) / (math.log(band_high) - math.log(band_low))
    place = min(max(place, 0.0), 1.0)
    fee = math.exp(math.log(low) + place * (math.log(high) - math.log(low))) * float(rng.lognormal(0.0, 0.2))
    fee = min(max(fee, low), high) * per_unit.get(currency, 1.0)
    return round_fee(fee)


def expected_orders(*, followers: int, reached: float) -> float:
    """Orders expected from a post that reached ``reached`` accounts: reach × clicks per account reached ×
    orders per click of the creator's tier (``config/market.yaml``)."""
    market, _per_unit = market_rates()
    tier = market.tier_of(followers)
    return max(reached, 0.0) * market.clicks_per_reach * market.orders_per_click[tier]


@dataclass(frozen=True)
class Timeline:
    created: datetime
    published: datetime | None
    close: date
    ship_by: date | None
    start: date
    end: date
    ended: datetime | None
    applied_from: date
    applied_to: date


def campaign_timeline(state: str, as_of: date, rng: np.random.Generator) -> Timeline:
    def days(low: int, high: int) -> timedelta:
        return timedelta(days=int(rng.integers(low, high + 1)))

    if state == "draft":
        start = as_of + days(35, 60)
        close = start - timedelta(days=14)
        return Timeline(
            moment_on(as_of - days(1, 5), rng),
            None,
            close,
            start - timedelta(days=7),
            start,
            start + timedelta(days=21),
            None,
            as_of,
            as_of,
        )
    if state == "open":
        published = as_of - days(8, 14)
        close = as_of + days(5, 12)
        start = close + days(7, 14)
        return Timeline(
            moment_on(published - days(1, 4), rng),
            moment_on(published, rng),
            close,
            start - timedelta(days=5),
            start,
            start + timedelta(days=21),
            None,
            published,
            as_of - timedelta(days=1),
        )
    if state == "closed":
        close = as_of - days(4, 7)
        published = close - days(14, 20)
        start = as_of + days(6, 12)
        return Timeline(
            moment_on(published - days(1, 4), rng),
            moment_on(published, rng),
            close,
            start - timedelta(days=3),
            start,
            start + timedelta(days=21),
            None,
            published,
            close,
        )
    if state == "running":
        start = as_of - days(8, 12)
        close = start - timedelta(days=14)
        published = close - days(14, 20)
        return Timeline(
            moment_on(published - days(1, 4), rng),
            moment_on(published, rng),
            close,
            close + timedelta(days=4),
            start,
            as_of + days(10, 20),
            None,
            published,
            close,
        )
    if state == "completed":
        start = as_of - days(50, 65)
        close = start - timedelta(days=14)
        published = close - days(14, 20)
        end = start + timedelta(days=21)
        return Timeline(
            moment_on(published - days(1, 4), rng),
            moment_on(published, rng),
            close,
            close + timedelta(days=4),
            start,
            end,
            moment_on(end + timedelta(days=7), rng),
            published,
            close,
        )
    # cancelled while open
    published = as_of - days(30, 40)
    ended = as_of - days(5, 10)
    start = as_of + days(10, 20)
    return Timeline(
        moment_on(published - days(1, 4), rng),
        moment_on(published, rng),
        ended,
        None,
        start,
        start + timedelta(days=21),
        moment_on(ended, rng),
        published,
        ended - timedelta(days=1),
    )


def recruitable_accounts(
    view: AccountView,
    network: str,
    topic: int,
    country: str,
    wanted: int,
    followers: tuple[int, int] | None = None,
) -> tuple[np.ndarray, dict[str, list[str]]]:
    """Accounts that fit the narrowest targeting with enough of them, and that targeting. ``followers``
    (low, high) keeps the creators a deal of this kind recruits; it is dropped only when even the widest
    targeting lacks them (tiny worlds)."""
    same_network = view.network == network
    topic_name = words.TOPICS[topic]
    options = (
        (
            same_network & (view.topic == topic) & (view.country == country),
            {"networks": [network], "topics": [topic_name], "countries": [country]},
        ),
        (
            same_network & (view.topic == topic),
            {"networks": [network], "topics": [topic_name], "countries": []},
        ),
        (same_network, {"networks": [network], "topics": [], "countries": []}),
    )
    sized = [np.ones(len(view.network), dtype=bool)]
    if followers is not None:
        sized.insert(0, (view.followers >= followers[0]) & (view.followers < followers[1]))
    for size in sized:
        for mask, targeting in options:
            if int((mask & size).sum()) >= wanted:
                return np.flatnonzero(mask & size), targeting
    return np.arange(len(view.network)), {"networks": [], "topics": [], "countries": []}


@dataclass(frozen=True)
class AttachedBrand:
    """An existing brand that takes the first simulated brand's place (no ``brand`` row is written).

    ``name``, ``mention`` (its account, without @) and ``topic`` replace the simulated ones when given,
    so that its campaigns speak of it: the demo brand, a home-linen shop, gets home campaigns that ask
    for @maisonverte, not a simulated granola brand's.
    """

    key: str
    name: str = ""
    mention: str = ""
    topic: str = ""


def promo_code_name(first_name: str) -> str:
    return re.sub(r"[^A-Za-z]", "", first_name).upper()[:6] or "CODE"
