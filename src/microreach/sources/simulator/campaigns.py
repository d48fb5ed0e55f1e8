"""The campaign side of a simulated world: brands, campaigns in every state and all that follows them.

Each chunk of creators gets its own brands (about 3 per 1,000 creators; the first chunk at least 2), so
the world stays chunk-local: a chunk's campaigns recruit among that chunk's accounts, and their
published posts are written as ``post`` rows of the creators' accounts (with daily ``post_snapshot``
rows) in the same chunk. Draws come from their own generator seeded with ``(seed, chunk_index, 7)``:
the rest of the world is the same whether campaigns are simulated or not.

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
from typing import Any

import numpy as np
import polars as pl

from microreach.config.reporting import MarketRates, load_fx, load_market
from microreach.core.records import (
    ApplicationRecord,
    BrandRecord,
    CampaignPostRecord,
    CampaignRecord,
    DraftRecord,
    MessageRecord,
    Network,
    PostRecord,
    PostSnapshotRecord,
    PostType,
    SaleRecord,
    ShipmentRecord,
)
from microreach.sources.frames import records_to_frame
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
class _Market:
    country: str
    currency: str
    jurisdiction: str
    language: str
    carrier: str
    weight: float


MARKETS = (
    _Market("FR", "EUR", "FR", "fr", "Colissimo", 0.55),
    _Market("US", "USD", "US", "en", "UPS", 0.2),
    _Market("GB", "GBP", "UK", "en", "Royal Mail", 0.15),
    _Market("DE", "EUR", "DE", "de", "DHL", 0.1),
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


def _at(day: date, rng: np.random.Generator, earliest_hour: int = 8) -> datetime:
    """A whole-second time of ``day`` (UTC) during the working day."""
    seconds = int(rng.integers(earliest_hour * 3600, 21 * 3600))
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


def _after(
    moment: datetime, rng: np.random.Generator, low_days: int, high_days: int, limit: datetime
) -> datetime:
    """A moment ``low_days``..``high_days`` after ``moment``, never after ``limit``."""
    step = timedelta(
        days=int(rng.integers(low_days, high_days + 1)), seconds=int(rng.integers(600, 8 * 3600))
    )
    return min(moment + step, limit)


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


@lru_cache(maxsize=1)
def _market() -> tuple[MarketRates, dict[str, float]]:
    """The market rates and, per currency, the units of it per unit of the rates' currency (ECB rates)."""
    market = load_market()
    fx = load_fx()
    per_eur = {"EUR": 1.0, **{r.currency: float(r.per_eur) for r in fx.rates}}
    base = per_eur.get(market.currency)
    if base is None:
        raise ValueError(f"no exchange rate for {market.currency} in {fx.version}")
    return market, {code: rate / base for code, rate in per_eur.items()}


def _round_fee(value: float) -> Decimal:
    """A fee as people write it: to 5 below 100, to 10 below 1,000, to 50 above."""
    step = 5 if value < 100 else 10 if value < 1000 else 50
    return Decimal(max(step, round(value / step) * step))


def creator_fee(*, network: str, followers: int, currency: str, rng: np.random.Generator) -> Decimal:
    """What a creator asks per sponsored post, in ``currency``: the market range of their network and tier,
    placed by their follower count inside the tier's band (log scale), times a lognormal spread (σ 0.2),
    kept inside the range; converted with the ECB rate."""
    market, per_unit = _market()
    rates = market.fees.get(network) or market.fees["instagram"]
    tier = market.tier_of(followers)
    low, high = (float(v) for v in rates[tier])
    band_low, band_high = market.bands[tier]
    place = (math.log(max(followers, 1)) - math.log(band_low)) / (math.log(band_high) - math.log(band_low))
    place = min(max(place, 0.0), 1.0)
    fee = math.exp(math.log(low) + place * (math.log(high) - math.log(low))) * float(rng.lognormal(0.0, 0.2))
    fee = min(max(fee, low), high) * per_unit.get(currency, 1.0)
    return _round_fee(fee)


def expected_orders(*, followers: int, reached: float) -> float:
    """Orders expected from a post that reached ``reached`` accounts: reach × clicks per account reached ×
    orders per click of the creator's tier (``config/market.yaml``)."""
    market, _per_unit = _market()
    tier = market.tier_of(followers)
    return max(reached, 0.0) * market.clicks_per_reach * market.orders_per_click[tier]


@dataclass(frozen=True)
class _Timeline:
    created: datetime
    published: datetime | None
    close: date
    ship_by: date | None
    start: date
    end: date
    ended: datetime | None
    applied_from: date
    applied_to: date


def _timeline(state: str, as_of: date, rng: np.random.Generator) -> _Timeline:
    def days(low: int, high: int) -> timedelta:
        return timedelta(days=int(rng.integers(low, high + 1)))

    if state == "draft":
        start = as_of + days(35, 60)
        close = start - timedelta(days=14)
        return _Timeline(
            _at(as_of - days(1, 5), rng),
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
        return _Timeline(
            _at(published - days(1, 4), rng),
            _at(published, rng),
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
        return _Timeline(
            _at(published - days(1, 4), rng),
            _at(published, rng),
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
        return _Timeline(
            _at(published - days(1, 4), rng),
            _at(published, rng),
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
        return _Timeline(
            _at(published - days(1, 4), rng),
            _at(published, rng),
            close,
            close + timedelta(days=4),
            start,
            end,
            _at(end + timedelta(days=7), rng),
            published,
            close,
        )
    # cancelled while open
    published = as_of - days(30, 40)
    ended = as_of - days(5, 10)
    start = as_of + days(10, 20)
    return _Timeline(
        _at(published - days(1, 4), rng),
        _at(published, rng),
        ended,
        None,
        start,
        start + timedelta(days=21),
        _at(ended, rng),
        published,
        ended - timedelta(days=1),
    )


def _candidates(
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


def _code_name(first_name: str) -> str:
    return re.sub(r"[^A-Za-z]", "", first_name).upper()[:6] or "CODE"


def generate_campaigns(
    *,
    rng: np.random.Generator,
    chunk_index: int,
    creator_count: int,
    view: AccountView,
    as_of: date,
    attach_brand: AttachedBrand | str | None = None,
) -> CampaignWorld:
    """The brands of one chunk and everything their campaigns produced up to ``as_of``."""
    end_of_world = datetime(as_of.year, as_of.month, as_of.day, 23, 59, 59, tzinfo=UTC)
    brand_count = max(2 if chunk_index == 0 else 1, round(BRANDS_PER_THOUSAND * creator_count / 1000))
    out: dict[str, list[Any]] = {name: [] for name in CAMPAIGN_RECORD_TYPES}
    posts: list[PostRecord] = []
    snapshots: list[PostSnapshotRecord] = []
    sponsored: dict[int, list[dict[str, object]]] = {}
    market_weights = np.asarray([m.weight for m in MARKETS])
    campaign_number = 0
    if isinstance(attach_brand, str):
        attach_brand = AttachedBrand(key=attach_brand)
    for k in range(brand_count):
        topic = int(view.topic[int(rng.integers(0, len(view.topic)))])
        topic_name = words.TOPICS[topic]
        mention = words.BRANDS[topic_name][int(rng.integers(0, len(words.BRANDS[topic_name])))]
        hashtag = mention.replace(".", "")
        market = MARKETS[int(rng.choice(len(MARKETS), p=market_weights / market_weights.sum()))]
        attached = attach_brand is not None and chunk_index == 0 and k == 0
        brand_name = mention.replace(".", " ").title()
        brand_key = f"sim-brand-{chunk_index}-{k}"
        if attached and attach_brand is not None:
            # An existing brand (the demo's is French): its campaigns run in the first market. The draws
            # above happened all the same, so the rest of the world does not depend on the attachment.
            market = MARKETS[0]
            brand_key = attach_brand.key
            if attach_brand.topic in words.TOPICS:
                topic_name = attach_brand.topic
                topic = words.TOPICS.index(topic_name)
            mention = attach_brand.mention or mention
            hashtag = mention.replace(".", "")
            brand_name = attach_brand.name or brand_name
        text = TEXT[market.language]
        if not attached:
            out["brand"].append(
                BrandRecord(
                    brand_key=brand_key,
                    name=brand_name,
                    country=market.country,
                    currency=market.currency,
                    jurisdictions=(market.jurisdiction,),
                )
            )
        products = words.CAMPAIGN_PRODUCTS[topic_name]
        for state_index, state in enumerate(CAMPAIGN_STATES):
            campaign_number += 1
            campaign_key = f"sim-campaign-{chunk_index}-{k}-{state_index}"
            product_name, unit_value, variants = products[(k + state_index) % len(products)]
            compensation = COMPENSATION.get(state, "affiliate" if k % 2 == 0 else "fee")
            timeline = _timeline(state, as_of, rng)
            slots = SLOTS[state]
            network = str(view.network[int(rng.integers(0, len(view.network)))])
            recruit = _market()[0].recruit.get(compensation)
            pool, targeting = _candidates(view, network, topic, market.country, len(slots), recruit)
            deliverable_network = network
            kind = DELIVERABLE_KIND.get(deliverable_network, "video")
            deliverable = f"{deliverable_network} {kind} 1"
            applicants = rng.permutation(pool)[
                : len(slots) + int(rng.integers(0, EXTRA_APPLICANTS[state] + 1))
            ]
            states = [slots[i] if i < len(slots) else slots[-1] for i in range(len(applicants))]
            # Each applicant's own rate; a fee campaign's brief offers the applicants' median rate.
            rates = {
                int(row): creator_fee(
                    network=str(view.network[int(row)]),
                    followers=int(view.followers[int(row)]),
                    currency=market.currency,
                    rng=rng,
                )
                for row in applicants.tolist()
            }
            fee = None
            if compensation == "fee":
                # a draft has no applicants yet: it offers the rate of a creator in the middle of its band
                typical = int(math.sqrt(recruit[0] * recruit[1])) if recruit else 20_000
                fee = (
                    _round_fee(float(np.median([float(r) for r in rates.values()])))
                    if rates
                    else creator_fee(network=network, followers=typical, currency=market.currency, rng=rng)
                )
            commission = (
                Decimal(str(int(rng.choice([8, 10, 12, 15])))) if compensation == "affiliate" else None
            )
            wanted = sum(1 for s in states if s in ACCEPTED) + int(rng.integers(1, 4))
            # fee + product + shipping per creator, with room for commissions and a negotiated fee or two
            budget = Decimal(
                math.ceil(float((fee or Decimal("0")) + Decimal(unit_value) + 10) * wanted * 1.3 / 50) * 50
            )
            values = {"product": product_name, "brand": brand_name, "topic": topic_name}
            out["campaign"].append(
                CampaignRecord(
                    brand_key=brand_key,
                    campaign_key=campaign_key,
                    title=f"{product_name} — {brand_name}",
                    applications_close_on=timeline.close,
                    publication_start=timeline.start,
                    publication_end=timeline.end,
                    state=state,
                    what_to_say=text["say"].format(**values),
                    what_not_to_say=text["not_say"],
                    mandatory_mentions=(mention,),
                    mandatory_hashtags=(hashtag,),
                    tone=text["tone"],
                    product_name=product_name,
                    product_value=Decimal(unit_value),
                    product_variants=tuple(variants),
                    deliverables=(f"{deliverable_network}:{kind}:1",),
                    compensation=compensation,
                    fee=fee,
                    commission_rate=commission,
                    networks=tuple(targeting["networks"]),
                    topics=tuple(targeting["topics"]),
                    countries=tuple(targeting["countries"]),
                    creators_wanted=wanted,
                    ship_by=timeline.ship_by,
                    jurisdictions=(market.jurisdiction,),
                    currency=market.currency,
                    budget=budget,
                    created_at=timeline.created,
                    published_at=timeline.published,
                    ended_at=timeline.ended,
                )
            )
            for place, (row, app_state) in enumerate(zip(applicants.tolist(), states, strict=True)):
                _application(
                    rng=rng,
                    out=out,
                    posts=posts,
                    snapshots=snapshots,
                    sponsored=sponsored,
                    view=view,
                    row=int(row),
                    state=app_state,
                    place=place,
                    variant=k + place,
                    brand_key=brand_key,
                    campaign_key=campaign_key,
                    campaign_number=campaign_number,
                    timeline=timeline,
                    compensation=compensation,
                    fee=rates.get(int(row)) if compensation == "fee" else None,
                    unit_value=Decimal(unit_value),
                    market=market,
                    text=text,
                    values=values,
                    mention=mention,
                    hashtag=hashtag,
                    variants=variants,
                    deliverable=deliverable,
                    end_of_world=end_of_world,
                )
    frames = {name: records_to_frame(record_type=name, records=out[name]) for name in CAMPAIGN_RECORD_TYPES}
    return CampaignWorld(
        frames=frames,
        posts=records_to_frame(record_type="post", records=posts),
        snapshots=records_to_frame(record_type="post_snapshot", records=snapshots),
        sponsored=sponsored,
    )


def _application(
    *,
    rng: np.random.Generator,
    out: dict[str, list[Any]],
    posts: list[PostRecord],
    snapshots: list[PostSnapshotRecord],
    sponsored: dict[int, list[dict[str, object]]],
    view: AccountView,
    row: int,
    state: str,
    place: int,
    variant: int,
    brand_key: str,
    campaign_key: str,
    campaign_number: int,
    timeline: _Timeline,
    compensation: str,
    fee: Decimal | None,
    unit_value: Decimal,
    market: _Market,
    text: dict[str, str],
    values: dict[str, str],
    mention: str,
    hashtag: str,
    variants: tuple[str, ...],
    deliverable: str,
    end_of_world: datetime,
) -> None:
    network = Network(str(view.network[row]))
    handle = str(view.handle[row])
    key: dict[str, Any] = {
        "brand_key": brand_key,
        "campaign_key": campaign_key,
        "network": network,
        "handle": handle,
    }
    span = max((timeline.applied_to - timeline.applied_from).days, 0)
    applied = _at(timeline.applied_from + timedelta(days=int(rng.integers(0, span + 1))), rng)
    applied = min(applied, end_of_world)
    proposed = fee  # the creator asks their market rate (``creator_fee``); the brand agrees to it
    accepted = state in ACCEPTED
    accepted_at = (
        _after(max(applied, _at(timeline.close, rng)), rng, 0, 2, end_of_world) if accepted else None
    )
    if accepted_at is not None and accepted_at < applied:
        accepted_at = applied
    code = (
        f"{_code_name(str(view.first_name[row]))}{row:X}" if compensation == "affiliate" and accepted else ""
    )
    out["application"].append(
        ApplicationRecord(
            **key,
            applied_at=applied,
            state=state,
            pitch=text["pitch"].format(**values),
            proposed_fee=proposed,
            agreed_fee=(proposed if accepted else None),
            promo_code=code,
            tracking_link=f"https://{mention}.example/?ref={code}" if code else "",
            accepted_at=accepted_at,
        )
    )
    # The thread: the creator says hello; the brand answers when it decided.
    hello = _after(applied, rng, 0, 1, end_of_world)
    out["message"].append(MessageRecord(**key, author="creator", sent_at=hello, body=text["hello"]))
    if accepted_at is not None:
        welcome = max(accepted_at, hello + timedelta(seconds=1))
        out["message"].append(MessageRecord(**key, author="brand", sent_at=welcome, body=text["welcome"]))
        if place % 2 == 0:
            thanks = _after(welcome, rng, 0, 1, end_of_world)
            if thanks > welcome:
                out["message"].append(
                    MessageRecord(**key, author="creator", sent_at=thanks, body=text["thanks"])
                )
    elif state == "declined":
        out["message"].append(
            MessageRecord(
                **key, author="brand", sent_at=_after(hello, rng, 1, 3, end_of_world), body=text["sorry"]
            )
        )
    if not accepted or accepted_at is None:
        return
    # The parcel.
    moment = accepted_at
    if state in SHIPPED:
        shipped = _after(moment, rng, 1, 2, end_of_world)
        received = _after(shipped, rng, 1, 3, end_of_world) if state in RECEIVED else None
        out["shipment"].append(
            ShipmentRecord(
                **key,
                variant=variants[int(rng.integers(0, len(variants)))] if variants else "",
                carrier=market.carrier,
                tracking_number=f"SIM{campaign_number:03d}{row:05d}{market.country}",
                cost=_money(float(rng.uniform(4.9, 9.9))),
                shipped_at=shipped,
                received_at=received,
            )
        )
        moment = received or shipped
    # The content: a good caption has its label first; a bad one forgot it (the check says so).
    caption = f"{LABEL[market.language]} {text['caption'].format(**values, mention=mention, hashtag=hashtag)}"
    forgot = text["caption"].format(**values, mention=mention, hashtag=hashtag)
    forgot = forgot[0].upper() + forgot[1:]
    planned = max(timeline.start, moment.date() + timedelta(days=2))
    version = 1
    if state in ("content_submitted", "approved", "published") and variant % 3 == 1:
        # first version without the label: blocked by the checks, then fixed
        first = _after(moment, rng, 1, 2, end_of_world)
        out["draft"].append(
            DraftRecord(
                **key,
                deliverable=deliverable,
                version=1,
                caption=forgot,
                submitted_at=first,
                planned_for=planned,
                review_state="superseded",
            )
        )
        moment, version = first, 2
    elif state == "content_submitted" and variant % 3 == 2:
        # the brand asked for a change: the creator has not sent the new version yet
        first = _after(moment, rng, 1, 2, end_of_world)
        reviewed = _after(first, rng, 0, 1, end_of_world)
        out["draft"].append(
            DraftRecord(
                **key,
                deliverable=deliverable,
                version=1,
                caption=caption,
                submitted_at=first,
                planned_for=planned,
                review_state="changes_requested",
                review_comment=text["change"],
                reviewed_at=reviewed,
            )
        )
        if reviewed > first:
            out["message"].append(MessageRecord(**key, author="brand", sent_at=reviewed, body=text["change"]))
        return
    if state == "received" and variant % 2 == 1:
        submitted = _after(moment, rng, 0, 1, end_of_world)
        out["draft"].append(
            DraftRecord(
                **key,
                deliverable=deliverable,
                version=1,
                caption=forgot,
                submitted_at=submitted,
                planned_for=planned,
                review_state="blocked",
            )
        )
    if state not in ("content_submitted", "approved", "published"):
        return
    submitted = _after(moment, rng, 0, 2, end_of_world)
    approved_at = _after(submitted, rng, 0, 2, end_of_world) if state != "content_submitted" else None
    out["draft"].append(
        DraftRecord(
            **key,
            deliverable=deliverable,
            version=version,
            caption=caption,
            submitted_at=submitted,
            planned_for=planned,
            review_state="submitted" if approved_at is None else "approved",
            reviewed_at=approved_at,
        )
    )
    if state != "published" or approved_at is None:
        return
    # The post, its daily metrics, the link to the application; affiliate campaigns also sell.
    window_end = min(
        datetime(timeline.end.year, timeline.end.month, timeline.end.day, 20, tzinfo=UTC), end_of_world
    )
    start = max(
        approved_at, datetime(timeline.start.year, timeline.start.month, timeline.start.day, 9, tzinfo=UTC)
    )
    published = min(_after(start, rng, 0, 3, window_end), end_of_world)
    post_id = f"{handle[:12].replace('.', '')}{row:x}c{campaign_number}"
    url = (
        f"https://www.instagram.com/reel/{post_id}/"
        if network is Network.INSTAGRAM
        else f"https://www.tiktok.com/@{handle}/video/{post_id}"
        if network is Network.TIKTOK
        else f"https://www.youtube.com/watch?v={post_id}"
    )
    boost = float(rng.lognormal(0.0, 0.3))
    metrics = {
        name: float(getattr(view, name)[row]) * boost
        for name in ("likes", "comments", "shares", "saves", "views", "reach")
    }
    present = {
        "shares": network in (Network.INSTAGRAM, Network.TIKTOK),
        "saves": network is Network.INSTAGRAM,
        "reach": network is Network.INSTAGRAM,
    }

    def figure(name: str, share: float) -> int | None:
        return round(metrics[name] * share) if present.get(name, True) else None

    days_online = min((end_of_world - published).days, MAX_SNAPSHOT_DAYS)
    final = 1.0 - np.exp(-max(days_online, 1) / 1.5)
    for day in range(1, days_online + 1):
        share = (1.0 - np.exp(-day / 1.5)) / final
        snapshots.append(
            PostSnapshotRecord(
                network=network,
                handle=handle,
                network_post_id=post_id,
                captured_on=(published + timedelta(days=day)).date(),
                likes=figure("likes", share),
                comments=figure("comments", share),
                shares=figure("shares", share),
                saves=figure("saves", share),
                views=figure("views", share),
                reach=figure("reach", share),
            )
        )
    posts.append(
        PostRecord(
            network=network,
            handle=handle,
            network_post_id=post_id,
            published_at=published,
            post_type=POST_TYPE.get(network.value, PostType.VIDEO),
            caption=caption,
            hashtags=(hashtag,),
            mentions=(mention,),
            url=url,
            likes=figure("likes", 1.0),
            comments=figure("comments", 1.0),
            shares=figure("shares", 1.0),
            saves=figure("saves", 1.0),
            views=figure("views", 1.0),
            reach=figure("reach", 1.0),
            is_paid_partnership=network is Network.INSTAGRAM,
        )
    )
    sponsored.setdefault(row, []).append(
        {
            "network_post_id": post_id,
            "sponsored": True,
            "disclosed": True,
            "disclosure": LABEL[market.language].rstrip(" —"),
            "campaign_key": campaign_key,
        }
    )
    out["campaign_post"].append(
        CampaignPostRecord(
            **key, network_post_id=post_id, deliverable=deliverable, url=url, published_at=published
        )
    )
    if compensation == "affiliate":
        # Orders follow the accounts reached (views stand in where a network gives no reach); each is worth
        # the product's price times its items.
        reached = metrics["reach"] if present["reach"] else metrics["views"]
        orders = int(rng.poisson(expected_orders(followers=int(view.followers[row]), reached=reached)))
        extra = _market()[0].extra_items
        for n in range(orders):
            ordered = _after(published, rng, 0, 10, end_of_world)
            items = 1 + int(rng.poisson(extra))
            out["sale"].append(
                SaleRecord(
                    brand_key=brand_key,
                    campaign_key=campaign_key,
                    order_ref=f"SIM-{campaign_number}-{row}-{n}",
                    amount=_money(float(unit_value) * items),
                    ordered_at=ordered,
                    promo_code=code,
                    currency=market.currency,
                )
            )
