from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from microreach.core.pseudonyms import pseudonymise
from microreach.web import wiring
from microreach.web.creators import contracts
from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
from microreach.web.creators.models import Comment, Creator, FollowerSample, ImportBatch, Post, SocialAccount
from microreach.web.jobs.models import Job
from tests import factories

ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers,following,display_name,bio,topics,country,language,creator_key,creator_name
instagram,Lea.Cuisine,12000,300,Léa,Cuisine végane à Lyon,food|vegan,FR,fr,lea,Léa Martin
tiktok,lea.cuisine,56000,120,Léa,Recettes,food,FR,fr,lea,Léa Martin
instagram,tom.trail,3200,900,Tom,Trail running,sport,BE,fr,,
"""

POSTS = """# microreach: record_type=post, version=1
network,handle,network_post_id,published_at,post_type,caption,hashtags,likes,comments,is_paid_partnership
instagram,lea.cuisine,p1,2025-09-14T18:30:00Z,carousel,Publicité — cuisine végane,vegan|lyon,1520,48,true
instagram,lea.cuisine,p2,2025-09-15T18:30:00Z,photo,Tarte,vegan,900,20,false
instagram,tom.trail,t1,2025-09-16T07:00:00Z,photo,Sortie,trail,150,4,false
"""

COMMENTS = """# microreach: record_type=comment, version=1
network,handle,network_post_id,network_comment_id,author_handle,commented_at,text
instagram,lea.cuisine,p1,c1,Some.Fan,2025-09-14T18:35:00Z,Trop bon !
"""


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _import(*files: str, organisation_id: int | None = None):
    batch = import_batch_create(files=list(files), organisation_id=organisation_id)
    return import_files(batch=batch)


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Creator, SocialAccount, Post, Comment, FollowerSample))


@pytest.mark.django_db(transaction=True)
def test_import_publishes_every_type_and_reimport_changes_nothing(tmp_path):
    files = [
        _write(tmp_path, "a.csv", ACCOUNTS),
        _write(tmp_path, "p.csv", POSTS),
        _write(tmp_path, "c.csv", COMMENTS),
    ]
    # when the files are imported (children listed before parents on purpose)
    first = _import(*reversed(files))
    # then creators are grouped by creator_key, handles lower-cased, provenance recorded
    assert (first.inserted, first.updated, first.unchanged, first.accounts_touched) == (7, 0, 0, 3)
    lea = SocialAccount.objects.get(network="instagram", handle="lea.cuisine")
    assert lea.creator.name == "Léa Martin"
    assert SocialAccount.objects.get(network="tiktok", handle="lea.cuisine").creator_id == lea.creator_id
    assert (lea.topics, lea.source, lea.batch_id) == (["food", "vegan"], "file_import", first.batch_id)
    post = Post.objects.get(account=lea, network_post_id="p1")
    assert (post.hashtags, post.likes, post.is_paid_partnership, post.shares) == (
        ["vegan", "lyon"],
        1520,
        True,
        None,
    )
    # and comment authors are pseudonymised with the installation key
    comment = Comment.objects.get()
    assert comment.author_handle == ""
    assert comment.author_key == pseudonymise(settings.MICROREACH["PSEUDONYM_KEY"], "instagram", "some.fan")
    # when the same files are imported again, nothing changes
    before = list(SocialAccount.objects.values_list("id", "batch_id", "updated_at"))
    second = _import(*files)
    assert (second.inserted, second.updated, second.unchanged, second.accounts_touched) == (0, 0, 7, 0)
    assert list(SocialAccount.objects.values_list("id", "batch_id", "updated_at")) == before


@pytest.mark.django_db(transaction=True)
def test_changed_row_is_updated_in_place(tmp_path):
    _import(_write(tmp_path, "a.csv", ACCOUNTS), _write(tmp_path, "p.csv", POSTS))
    changed = POSTS.replace("1520,48", "1600,50")
    result = _import(_write(tmp_path, "p2.csv", changed))
    assert (result.inserted, result.updated, result.unchanged, result.accounts_touched) == (0, 1, 2, 1)
    assert Post.objects.get(network_post_id="p1").likes == 1600
    assert Post.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_one_bad_row_refuses_everything_with_its_location(tmp_path):
    _import(_write(tmp_path, "a.csv", ACCOUNTS))
    before = _counts()
    bad_posts = POSTS + "instagram,lea.cuisine,p9,2025-09-17T07:00:00Z,photo,x,,-5,1,false\n"
    with pytest.raises(ImportRejected) as caught:
        _import(_write(tmp_path, "p.csv", bad_posts), _write(tmp_path, "c.csv", COMMENTS))
    error = caught.value.details["errors"][0]
    assert (error["line"], error["field"], error["code"]) == (6, "likes", "out_of_range")
    assert error["file"].endswith("p.csv")
    assert _counts() == before
    assert ImportBatch.objects.latest("pk").status == "rejected"


@pytest.mark.django_db(transaction=True)
def test_rows_pointing_to_unknown_accounts_are_refused(tmp_path):
    orphan = POSTS.replace("tom.trail", "nobody.here")
    with pytest.raises(ImportRejected) as caught:
        _import(
            _write(
                tmp_path,
                "a.csv",
                ACCOUNTS.replace("instagram,tom.trail,3200,900,Tom,Trail running,sport,BE,fr,,\n", ""),
            ),
            _write(tmp_path, "p.csv", orphan),
        )
    details = caught.value.details
    assert details["error_count"] == 1
    assert (details["errors"][0]["line"], details["errors"][0]["code"]) == (5, "unknown_parent")
    assert _counts() == (0, 0, 0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_follower_samples_need_an_organisation_and_are_pseudonymised(tmp_path):
    followers = """# microreach: record_type=follower, version=1
network,handle,follower_username,followers,following,posts
instagram,lea.cuisine,bot_12345,3,4100,0
"""
    accounts = _write(tmp_path, "a.csv", ACCOUNTS)
    sample = _write(tmp_path, "f.csv", followers)
    with pytest.raises(ImportRejected):
        _import(accounts, sample)
    assert _counts() == (0, 0, 0, 0, 0)
    org = factories.organisation()
    _import(accounts, sample, organisation_id=org.pk)
    row = FollowerSample.objects.get()
    assert (row.organisation_id, row.username, row.username_length, row.username_digits) == (org.pk, "", 9, 5)
    assert row.expires_at > row.sampled_at


@pytest.mark.django_db(transaction=True)
def test_an_import_announces_one_change_notice_per_batch(
    tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    seen: list[contracts.DataChanged] = []
    monkeypatch.setitem(wiring.EVENT_HANDLERS[contracts.DataChanged], "test-listener", seen.append)
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(_write(tmp_path, "a.csv", ACCOUNTS), _write(tmp_path, "p.csv", POSTS))
    assert Job.objects.filter(kind="creators.data_changed").count() == 1
    assert len(seen) == 1
    assert seen[0].batch_id == result.batch_id
    assert set(seen[0].account_ids) == set(SocialAccount.objects.values_list("id", flat=True))
