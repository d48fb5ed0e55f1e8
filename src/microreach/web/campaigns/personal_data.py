"""A person's data-access request: everything microreach keeps about them, gathered from each context
through its contract — the accounts' profile (username, e-mail, memberships), the creators' claimed
profiles, the connections' connected accounts, the audits' replies to flags — and, from this context,
every application with its pitch, drafts, captions, published post links, the whole message thread
(both sides) and the shipment (address, carrier, tracking number).

Campaigns reads every other context here because it is the one that may (``lint-imports``: campaigns
imports accounts, audits, connections and creators, none of them imports campaigns).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from microreach.web.accounts.contracts import user_profile
from microreach.web.audits.contracts import audit_replies
from microreach.web.campaigns.models import Application, CampaignPost, ContentDraft, Message, Shipment
from microreach.web.connections.contracts import user_connections
from microreach.web.creators.contracts import creator_accounts_claimed


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _by_application(rows: Iterable[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in rows:
        out.setdefault(row.application_id, []).append(row)
    return out


def _shipment(s: Shipment | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "variant": s.variant,
        "recipient": s.recipient,
        "street": s.street,
        "postcode": s.postcode,
        "city": s.city,
        "country": s.country,
        "phone": s.phone,
        "address_confirmed_at": _when(s.address_confirmed_at),
        "carrier": s.carrier,
        "tracking_number": s.tracking_number,
        "shipped_at": _when(s.shipped_at),
        "received_at": _when(s.received_at),
        "anonymised_at": _when(s.anonymised_at),
    }


def _applications(user_id: int) -> list[dict[str, Any]]:
    apps = list(
        Application.objects.filter(creator_user_id=user_id)
        .select_related("campaign", "account", "shipment")
        .order_by("created_at", "pk")
    )
    ids = [a.pk for a in apps]
    drafts = _by_application(
        ContentDraft.objects.filter(application_id__in=ids).order_by("submitted_at", "pk")
    )
    posts = _by_application(
        CampaignPost.objects.filter(application_id__in=ids).order_by("published_at", "pk")
    )
    thread = _by_application(
        Message.objects.filter(application_id__in=ids).select_related("author").order_by("created_at", "pk")
    )
    return [
        {
            "id": a.pk,
            "campaign": a.campaign.title,
            "network": a.account.network,
            "account": a.account.handle,
            "state": a.state,
            "pitch": a.pitch,
            "proposed_fee": _money(a.proposed_fee),
            "agreed_fee": _money(a.agreed_fee),
            "promo_code": a.promo_code,
            "tracking_link": a.tracking_link,
            "created_at": _when(a.created_at),
            "accepted_at": _when(a.accepted_at),
            "drafts": [
                {
                    "deliverable": d.deliverable,
                    "version": d.version,
                    "caption": d.caption,
                    "link": d.link,
                    "media_file": d.media.name.rsplit("/", 1)[-1] if d.media else "",
                    "planned_for": _when(d.planned_for),
                    "review_state": d.review_state,
                    "review_comment": d.review_comment,
                    "submitted_at": _when(d.submitted_at),
                    "reviewed_at": _when(d.reviewed_at),
                }
                for d in drafts.get(a.pk, [])
            ],
            "published_posts": [
                {
                    "deliverable": p.deliverable,
                    "url": p.url,
                    "published_at": _when(p.published_at),
                    "removed_at": _when(p.removed_at),
                }
                for p in posts.get(a.pk, [])
            ],
            "messages": [
                {
                    "from": "brand" if m.from_brand else "you",
                    "author": m.author.username if m.author is not None else "",
                    "body": m.body,
                    "at": _when(m.created_at),
                }
                for m in thread.get(a.pk, [])
            ],
            "shipment": _shipment(getattr(a, "shipment", None)),
        }
        for a in apps
    ]


def personal_data_export(*, user_id: int) -> dict[str, Any]:
    """Everything microreach keeps about the person ``user_id``, as one JSON-ready document."""
    profile = user_profile(user_id=user_id)
    claimed = creator_accounts_claimed(user_id=user_id)
    replies = audit_replies(account_ids=[a.account_id for a in claimed])
    return {
        "profile": {
            "username": profile.username,
            "email": profile.email,
            "email_verified_at": _when(profile.email_verified_at),
            "date_joined": _when(profile.date_joined),
            "last_login": _when(profile.last_login),
            "language": profile.preferred_language,
            "digest": profile.digest,
            "memberships": [{"organisation": o, "role": r} for o, r in profile.memberships],
        },
        "claimed_profiles": [
            {
                "network": a.network,
                "handle": a.handle,
                "followers": a.followers,
                "creator_name": a.creator_name,
                "country": a.country,
                "language": a.language,
            }
            for a in claimed
        ],
        "connected_accounts": [
            {
                "network": c.network,
                "handle": c.handle,
                "state": c.state,
                "scope": list(c.scope),
                "connected_at": _when(c.connected_at),
                "synced_at": _when(c.synced_at),
            }
            for c in user_connections(user_id=user_id)
        ],
        "audit_replies": [
            {
                "network": a.network,
                "handle": a.handle,
                "finding": r.finding,
                "code": r.code,
                "reply": r.text,
                "updated_at": _when(r.updated_at),
            }
            for a in claimed
            for r in replies.get(a.account_id, ())
        ],
        "applications": _applications(user_id),
    }
