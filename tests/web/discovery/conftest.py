"""A small searchable world: four creators with posts, audience and audit figures, indexed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from microreach.config.loader import load_risk_rules
from microreach.core.risk import RiskInputs, risk_verdict
from microreach.web import wiring
from microreach.web.creators.models import AudienceBreakdown, Creator, FollowerCountSnapshot
from microreach.web.discovery import services
from microreach.web.discovery.contracts import AuditFigures
from tests import factories

AUDITED_AT = datetime(2026, 11, 1, tzinfo=UTC)


def _audits(account_ids):
    return [figures for figures in AUDITS.values() if figures.account_id in account_ids]


AUDITS: dict[str, AuditFigures] = {}
# Mia's verdict, as core gives it for her figures: fake followers (High), an undisclosed post, a feed half ads.
MIA_RISK = risk_verdict(
    inputs=RiskInputs(
        fake_share=0.31,
        fake_source="measured",
        pod_flagged=False,
        engagement_percentile=None,
        engagement_peers=0,
        undisclosed_posts=1,
        growth_spikes=0,
        sponsored_share=0.55,
    ),
    rules=load_risk_rules(),
)


def build_world() -> dict[str, object]:
    now = timezone.now()
    lea = factories.account(
        handle="lea.cuisine",
        display_name="Léa Martin",
        bio="Cuisine végane à Lyon, recettes faciles",
        topics=["food", "vegan"],
        country="FR",
        language="fr",
        followers=12_000,
        verified=True,
        contact_email="lea@example.test",
    )
    tom = factories.account(
        handle="tom.photo",
        network="tiktok",
        display_name="Tom",
        bio="Photographe à Lyon",
        topics=["photo"],
        country="FR",
        language="fr",
        followers=3_200,
    )
    mia = factories.account(
        handle="mia.glow",
        network="youtube",
        display_name="Mia",
        bio="Beauty and skincare in London",
        topics=["beauty"],
        country="GB",
        language="en",
        followers=80_000,
        connected=True,
    )
    owner = factories.creator_user()
    max_creator = Creator.objects.create(
        name="Max", external_key="test:max", claimed_by=owner, claimed_at=now
    )
    max_ = factories.account(
        handle="max.tech",
        display_name="Max",
        bio="Tech reviews and gadgets",
        topics=["tech"],
        country="US",
        language="en",
        followers=80_000,
        creator=max_creator,
    )
    # Léa: three Instagram posts in the window → rates 0.026, 0.05, 0.01 → median 0.026
    factories.post(
        account=lea,
        published_at=now - timedelta(days=5),
        likes=300,
        comments=12,
        hashtags=["veganfood", "lyon"],
        caption="Curry végane du dimanche",
    )
    factories.post(
        account=lea,
        published_at=now - timedelta(days=10),
        likes=600,
        comments=0,
        hashtags=["veganfood"],
        caption="Tarte aux légumes",
    )
    factories.post(
        account=lea,
        published_at=now - timedelta(days=20),
        likes=100,
        comments=20,
        hashtags=["veganfood", "lyon", "brunch"],
        caption="Brunch à Lyon",
    )
    # and one older than the window, which must not count
    factories.post(account=lea, published_at=now - timedelta(days=200), likes=12_000, comments=0)
    # Tom on TikTok: per view → (100+10+10)/1000 = 0.12 and 50/1000 = 0.05 → median 0.085
    factories.post(
        account=tom,
        published_at=now - timedelta(days=40),
        likes=100,
        comments=10,
        shares=10,
        views=1000,
        hashtags=["photo"],
    )
    factories.post(account=tom, published_at=now - timedelta(days=45), likes=50, comments=0, views=1000)
    AudienceBreakdown.objects.create(account=lea, dimension="country", key="FR", share=0.6, as_of=now.date())
    AudienceBreakdown.objects.create(account=lea, dimension="country", key="BE", share=0.2, as_of=now.date())
    AudienceBreakdown.objects.create(account=mia, dimension="country", key="GB", share=0.7, as_of=now.date())
    today = now.date()
    FollowerCountSnapshot.objects.create(account=lea, date=today - timedelta(days=31), followers=10_000)
    FollowerCountSnapshot.objects.create(account=lea, date=today - timedelta(days=1), followers=12_000)
    AUDITS.clear()
    AUDITS.update(
        {
            # The engagement rates are what core.engagement gives on the posts above (the audit's figure:
            # discovery has no formula of its own).
            "lea.cuisine": AuditFigures(
                account_id=lea.pk,
                audit_at=AUDITED_AT,
                tier="micro",
                engagement_rate=0.026,
                engagement_basis="followers",
                quality_score=82,
                fake_share=0.04,
                sponsored_share=0.10,
                disclosure_ok=True,
                red_flags=(),
            ),
            "tom.photo": AuditFigures(
                account_id=tom.pk,
                audit_at=AUDITED_AT,
                tier="nano",
                engagement_rate=0.085,
                engagement_basis="views",
            ),
            "mia.glow": AuditFigures(
                account_id=mia.pk,
                audit_at=AUDITED_AT,
                quality_score=41,
                fake_share=0.31,
                fake_low=0.25,
                fake_high=0.37,
                fake_source="measured",
                risk_level=MIA_RISK.level or "",
                risk=MIA_RISK.as_dict(),
                sponsored_share=0.55,
                disclosure_ok=False,
                red_flags=("undisclosed_sponsorship",),
            ),
        }
    )
    services.search_index_refresh(account_ids=None)
    return {"lea": lea, "tom": tom, "mia": mia, "max": max_}


@pytest.fixture
def audit_provider(monkeypatch):
    monkeypatch.setitem(wiring.AUDIT_FIGURES_PROVIDERS, "tests", _audits)


@pytest.fixture
def world(db, audit_provider):
    return build_world()
