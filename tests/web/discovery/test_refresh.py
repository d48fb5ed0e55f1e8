from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from microreach.web.creators.imports import import_batch_create, import_files
from microreach.web.creators.models import SocialAccount
from microreach.web.discovery import services
from microreach.web.discovery.models import SearchAttribute, SearchRow
from microreach.web.discovery.selectors import creator_search, search_query_parse
from microreach.web.jobs.models import Job
from tests import factories
from tests.web.discovery.conftest import AUDITED_AT


def test_the_row_projects_profile_engagement_audience_and_audit(world):
    lea = SearchRow.objects.get(handle="lea.cuisine")
    assert (lea.network, lea.display_name, lea.country, lea.language) == (
        "instagram",
        "Léa Martin",
        "FR",
        "fr",
    )
    assert (lea.tier, lea.tier_preset) == ("micro", "default-2026")
    # median of 312/12000, 600/12000, 120/12000 (the 200-day-old post is outside the window)
    assert lea.engagement_rate == pytest.approx(0.026)
    assert (lea.engagement_formula, lea.engagement_posts) == ("per_follower", 3)
    assert lea.hashtags == ["veganfood", "lyon", "brunch"]
    assert lea.captions.splitlines()[0] == "Curry végane du dimanche"
    assert lea.audience_countries == [{"country": "FR", "share": 0.6}, {"country": "BE", "share": 0.2}]
    assert lea.growth_30d == pytest.approx(0.2)
    assert (lea.verified, lea.has_contact, lea.claimed, lea.connected) == (True, True, False, False)
    assert (lea.quality_score, lea.fake_share, lea.sponsored_share, lea.disclosure_ok) == (
        82,
        0.04,
        0.10,
        True,
    )
    assert lea.audit_at == AUDITED_AT
    tom = SearchRow.objects.get(handle="tom.photo")
    assert (tom.engagement_formula, tom.engagement_rate) == ("per_view", pytest.approx(0.085))
    assert (tom.quality_score, tom.audit_at, tom.red_flags) == (None, AUDITED_AT, [])
    mia = SearchRow.objects.get(handle="mia.glow")
    assert (mia.tier, mia.engagement_rate, mia.red_flags) == ("micro", None, ["undisclosed_sponsorship"])
    assert SearchRow.objects.get(handle="max.tech").claimed is True
    assert sorted(SearchAttribute.objects.filter(row=lea).values_list("kind", "value")) == [
        ("audience_country", "BE"),
        ("audience_country", "FR"),
        ("topic", "food"),
        ("topic", "vegan"),
    ]


def test_refresh_is_idempotent_and_drops_rows_of_deleted_accounts(world):
    before = list(
        SearchRow.objects.order_by("account_id").values_list("account_id", "handle", "engagement_rate")
    )
    services.search_index_refresh(account_ids=[world["lea"].pk, world["tom"].pk])
    after = list(
        SearchRow.objects.order_by("account_id").values_list("account_id", "handle", "engagement_rate")
    )
    assert after == before
    # when an account is deleted and its id refreshed, its row goes (and search no longer finds it)
    tom_id = world["tom"].pk
    SocialAccount.objects.filter(pk=tom_id).delete()
    summary = services.search_index_refresh(account_ids=[tom_id])
    assert (summary.rows_written, summary.rows_removed) == (0, 1)
    assert not SearchRow.objects.filter(account_id=tom_id).exists()
    assert [
        r.handle for r in creator_search(query=search_query_parse(params={"q": "photographe"})).items
    ] == []


def test_a_changed_bio_is_searchable_after_refresh(world):
    SocialAccount.objects.filter(pk=world["tom"].pk).update(bio="Pâtisserie fine à Nantes")
    assert [
        r.handle for r in creator_search(query=search_query_parse(params={"q": "patisserie"})).items
    ] == []
    services.search_index_refresh(account_ids=[world["tom"].pk])
    assert [r.handle for r in creator_search(query=search_query_parse(params={"q": "patisserie"})).items] == [
        "tom.photo"
    ]


@pytest.mark.django_db
def test_refresh_of_a_bulk_world_is_set_based():
    # given 300 accounts with 5 posts each
    now = timezone.now()
    accounts = [factories.account(handle=f"bulk{i}", followers=1000 + i) for i in range(300)]
    for account in accounts:
        for k in range(5):
            factories.post(
                account=account, published_at=now - timedelta(days=k + 1), likes=10 * (k + 1), comments=0
            )
    # when the whole index is rebuilt
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        summary = services.search_index_rebuild()
    # then every account has its row, with a bounded number of queries (not one per account or post)
    assert summary.rows_written == 300
    assert len(queries) < 40
    # and a creator not audited has no engagement figure yet (the rate is the audit's, never a second formula)
    bulk0 = SearchRow.objects.get(handle="bulk0")
    assert (bulk0.engagement_rate, bulk0.engagement_posts, bulk0.audit_at) == (None, 5, None)


ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers,following,display_name,bio,topics,country,language,creator_key,creator_name
instagram,nina.veggie,15000,300,Nina,Cuisine végétale à Bordeaux,food|vegan,FR,fr,nina,Nina
instagram,paul.run,2500,900,Paul,Trail running,sport,BE,fr,,
"""

POSTS = """# microreach: record_type=post, version=1
network,handle,network_post_id,published_at,post_type,caption,hashtags,likes,comments,is_paid_partnership
instagram,nina.veggie,n1,{when},photo,Bowl végétal,veganfood|bordeaux,1500,0,false
"""


@pytest.mark.django_db(transaction=True)
def test_an_import_refreshes_search_through_the_data_changed_listener(tmp_path: Path):
    # given two CSV files of a new import
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS, encoding="utf-8")
    posts = tmp_path / "posts.csv"
    when = (timezone.now() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    posts.write_text(POSTS.format(when=when), encoding="utf-8")
    # when they are imported (jobs run in process in tests)
    batch = import_batch_create(files=[str(accounts), str(posts)])
    import_files(batch=batch)
    # then one coalesced refresh job ran for the batch (another follows the audit run), and search finds them
    job = Job.objects.get(kind="discovery.refresh", key=f"discovery-refresh:{batch.pk}")
    assert job.state == "done"
    assert (
        Job.objects.filter(
            kind="discovery.refresh", key__startswith="discovery-refresh:after:", state="done"
        ).count()
        == 1
    )
    assert job.result == {"rows_written": 2, "rows_removed": 0}
    result = creator_search(query=search_query_parse(params={"q": "vegetale bordeaux"}))
    assert [r.handle for r in result.items] == ["nina.veggie"]
    assert result.items[0].engagement_rate == pytest.approx(0.1)
    assert result.items[0].hashtags == ["bordeaux", "veganfood"]
