"""Staging of imports at disk speed: COPY on PostgreSQL, a staging file of its own on SQLite (big
transactions, one prepared INSERT), duplicate keys resolved only when a file has them, tags written in
the stored JSON form — with the all-or-nothing guarantee and the located errors unchanged."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from django.db import connection

from microreach.sources import validate_file
from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
from microreach.web.creators.models import Post, SocialAccount
from tests import factories

ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers
instagram,lea.cuisine,12000
instagram,tom.trail,3200
"""

POSTS_HEADER = "# microreach: record_type=post, version=1\nnetwork,handle,network_post_id,published_at,caption,hashtags,likes,comments\n"


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _import(*files: str, progress=None):
    return import_files(batch=import_batch_create(files=list(files)), progress=progress)


def _posts(n: int, *, likes: int = 10) -> str:
    return POSTS_HEADER + "".join(
        f"instagram,{'lea.cuisine' if i % 2 else 'tom.trail'},p{i},2025-09-14T18:30:00Z,Post {i},vegan,{likes + i},1\n"
        for i in range(n)
    )


@pytest.mark.django_db(transaction=True)
def test_duplicate_keys_across_files_keep_the_last_row_and_count_once(tmp_path):
    # given posts p0..p3, then a second file repeating p1 and p3 with other like counts
    accounts = _write(tmp_path, "a.csv", ACCOUNTS)
    first = _write(tmp_path, "p1.csv", _posts(4))
    again = _write(
        tmp_path,
        "p2.csv",
        POSTS_HEADER
        + "instagram,lea.cuisine,p1,2025-09-14T18:30:00Z,Post 1,vegan,500,1\n"
        + "instagram,lea.cuisine,p3,2025-09-14T18:30:00Z,Post 3,vegan,700,1\n",
    )
    # when both files are imported in one batch
    summary = _import(accounts, first, again)
    # then each post is written once, with the row read last
    assert summary.per_type["post"] == {"rows": 4, "inserted": 4, "updated": 0, "unchanged": 0}
    assert dict(Post.objects.values_list("network_post_id", "likes")) == {
        "p0": 10,
        "p1": 500,
        "p2": 12,
        "p3": 700,
    }


@pytest.mark.django_db(transaction=True)
def test_tags_are_staged_in_the_stored_json_form_so_a_reimport_changes_nothing(tmp_path):
    # given a post stored by the app with tags that need escaping (accents, quotes, emoji)
    tags = ["été", 'dit "oui"', "back\\slash", "😀", "vegan"]
    account = factories.account(network="instagram", handle="lea.cuisine")
    Post.objects.create(
        account=account,
        network_post_id="p1",
        published_at="2025-09-14T18:30:00Z",
        caption="Tarte",
        hashtags=tags,
        likes=10,
        comments=1,
    )
    # when a file holding the same post is imported, and then one with a tag more
    row = 'instagram,lea.cuisine,p1,2025-09-14T18:30:00Z,Tarte,"été|dit ""oui""|back\\slash|😀|vegan",10,1\n'
    same = _import(_write(tmp_path, "p.csv", POSTS_HEADER + row))
    more = _import(_write(tmp_path, "p2.csv", POSTS_HEADER + row.replace("|vegan", "|vegan|lyon")))
    # then the first changes nothing and the second updates the tags, read back as written
    assert same.per_type["post"]["unchanged"] == 1
    assert more.per_type["post"]["updated"] == 1
    assert Post.objects.get().hashtags == [*tags, "lyon"]


@pytest.mark.django_db(transaction=True)
def test_a_bad_row_after_many_staged_chunks_refuses_everything_with_its_line(tmp_path, monkeypatch):
    # given staging in chunks of 3 rows and a file whose 11th post (line 13) has negative likes
    monkeypatch.setattr(
        "microreach.web.creators.imports.validate_file", functools.partial(validate_file, batch_rows=3)
    )
    _import(_write(tmp_path, "a.csv", ACCOUNTS))
    before = (SocialAccount.objects.count(), Post.objects.count())
    text = (
        _posts(10) + "instagram,lea.cuisine,p99,2025-09-14T18:30:00Z,x,,-5,1\n" + _posts(5).split("\n", 2)[2]
    )
    # when it is imported
    with pytest.raises(ImportRejected) as caught:
        _import(_write(tmp_path, "p.csv", text))
    # then the row is named by file, line and field, and nothing was written
    error = caught.value.details["errors"][0]
    assert (error["line"], error["field"], error["code"]) == (13, "likes", "out_of_range")
    assert error["file"].endswith("p.csv")
    assert (SocialAccount.objects.count(), Post.objects.count()) == before


@pytest.mark.django_db(transaction=True)
def test_the_larger_publish_cache_is_given_back_after_a_publish_and_after_a_refusal(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")
    # given the connection's page cache size
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
    # when one import publishes and another is refused while publishing (a post of an unknown account)
    _import(_write(tmp_path, "a.csv", ACCOUNTS), _write(tmp_path, "p.csv", _posts(4)))
    orphan = POSTS_HEADER + "instagram,nobody.here,x1,2025-09-14T18:30:00Z,x,,1,1\n"
    with pytest.raises(ImportRejected):
        _import(_write(tmp_path, "o.csv", orphan))
    # then the cache is back to its size
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone() == (before,)
