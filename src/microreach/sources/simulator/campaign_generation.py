"""Generation of the campaign side of one chunk (the rules and terms are in ``campaigns``): each brand's
campaigns, then each application's life (shipment, drafts, messages, the published post, sales)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

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
from microreach.sources.simulator.campaigns import (
    ACCEPTED,
    BRANDS_PER_THOUSAND,
    CAMPAIGN_RECORD_TYPES,
    CAMPAIGN_STATES,
    COMPENSATION,
    DELIVERABLE_KIND,
    EXTRA_APPLICANTS,
    LABEL,
    MARKETS,
    MAX_SNAPSHOT_DAYS,
    POST_TYPE,
    RECEIVED,
    SHIPPED,
    SLOTS,
    TEXT,
    AccountView,
    AttachedBrand,
    CampaignWorld,
    Market,
    Timeline,
    as_money,
    campaign_timeline,
    creator_fee,
    expected_orders,
    market_rates,
    moment_after,
    moment_on,
    promo_code_name,
    recruitable_accounts,
    round_fee,
)


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
            timeline = campaign_timeline(state, as_of, rng)
            slots = SLOTS[state]
            network = str(view.network[int(rng.integers(0, len(view.network)))])
            recruit = market_rates()[0].recruit.get(compensation)
            pool, targeting = recruitable_accounts(view, network, topic, market.country, len(slots), recruit)
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
                    round_fee(float(np.median([float(r) for r in rates.values()])))
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
                    title=f"{product_name}: {words.CAMPAIGN_ANGLES[state_index]} — {brand_name}",
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
    timeline: Timeline,
    compensation: str,
    fee: Decimal | None,
    unit_value: Decimal,
    market: Market,
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
    applied = moment_on(timeline.applied_from + timedelta(days=int(rng.integers(0, span + 1))), rng)
    applied = min(applied, end_of_world)
    proposed = fee  # the creator asks their market rate (``creator_fee``); the brand agrees to it
    accepted = state in ACCEPTED
    accepted_at = (
        moment_after(max(applied, moment_on(timeline.close, rng)), rng, 0, 2, end_of_world)
        if accepted
        else None
    )
    if accepted_at is not None and accepted_at < applied:
        accepted_at = applied
    code = (
        f"{promo_code_name(str(view.first_name[row]))}{row:X}"
        if compensation == "affiliate" and accepted
        else ""
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
    hello = moment_after(applied, rng, 0, 1, end_of_world)
    out["message"].append(MessageRecord(**key, author="creator", sent_at=hello, body=text["hello"]))
    if accepted_at is not None:
        welcome = max(accepted_at, hello + timedelta(seconds=1))
        out["message"].append(MessageRecord(**key, author="brand", sent_at=welcome, body=text["welcome"]))
        if place % 2 == 0:
            thanks = moment_after(welcome, rng, 0, 1, end_of_world)
            if thanks > welcome:
                out["message"].append(
                    MessageRecord(**key, author="creator", sent_at=thanks, body=text["thanks"])
                )
    elif state == "declined":
        out["message"].append(
            MessageRecord(
                **key,
                author="brand",
                sent_at=moment_after(hello, rng, 1, 3, end_of_world),
                body=text["sorry"],
            )
        )
    if not accepted or accepted_at is None:
        return
    # The parcel.
    moment = accepted_at
    if state in SHIPPED:
        shipped = moment_after(moment, rng, 1, 2, end_of_world)
        received = moment_after(shipped, rng, 1, 3, end_of_world) if state in RECEIVED else None
        out["shipment"].append(
            ShipmentRecord(
                **key,
                variant=variants[int(rng.integers(0, len(variants)))] if variants else "",
                carrier=market.carrier,
                tracking_number=f"SIM{campaign_number:03d}{row:05d}{market.country}",
                cost=as_money(float(rng.uniform(4.9, 9.9))),
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
        first = moment_after(moment, rng, 1, 2, end_of_world)
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
        first = moment_after(moment, rng, 1, 2, end_of_world)
        reviewed = moment_after(first, rng, 0, 1, end_of_world)
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
        submitted = moment_after(moment, rng, 0, 1, end_of_world)
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
    submitted = moment_after(moment, rng, 0, 2, end_of_world)
    approved_at = moment_after(submitted, rng, 0, 2, end_of_world) if state != "content_submitted" else None
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
    published = min(moment_after(start, rng, 0, 3, window_end), end_of_world)
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
        extra = market_rates()[0].extra_items
        for n in range(orders):
            ordered = moment_after(published, rng, 0, 10, end_of_world)
            items = 1 + int(rng.poisson(extra))
            out["sale"].append(
                SaleRecord(
                    brand_key=brand_key,
                    campaign_key=campaign_key,
                    order_ref=f"SIM-{campaign_number}-{row}-{n}",
                    amount=as_money(float(unit_value) * items),
                    ordered_at=ordered,
                    promo_code=code,
                    currency=market.currency,
                )
            )
