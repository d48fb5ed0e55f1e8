"""Imports at the database level: every kind of bad file leaves the database exactly as it was, and
any valid generated file imports, reads back the same, and changes nothing when imported again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microreach.core.records import AccountRecord, Network, PostRecord
from microreach.sources import write_records
from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
from microreach.web.creators.models import Creator, ImportBatch, Post, SocialAccount

HEADER = "# microreach: record_type=account, version=1\n"
GOOD = HEADER + "network,handle,followers\ninstagram,first.one,1000\n"

BAD_FILES = {
    "wrong type": HEADER + "network,handle,followers\ninstagram,a.b,many\n",
    "missing required column": HEADER + "network,handle\ninstagram,a.b\n",
    "broken utf-8": (HEADER + "network,handle,followers,bio\ninstagram,a.b,1,").encode() + b"\xff\xfe\n",
    "nul byte": HEADER + "network,handle,followers,bio\ninstagram,a.b,1,nul\x00here\n",
    "truncated csv": HEADER + 'network,handle,followers,bio\ninstagram,a.b,1,"never closed\n',
    "duplicated header": HEADER + "network,handle,handle,followers\ninstagram,a,b,1\n",
    "empty file": "",
    "1 MB field": HEADER + "network,handle,followers,bio\ninstagram,a.b,1," + "x" * 1_000_001 + "\n",
    "formula injection": HEADER + "network,handle,followers,bio\ninstagram,a.b,1,=cmd|' /C calc'!A0\n",
    "unknown column": HEADER + "network,handle,followers,colour\ninstagram,a.b,1,red\n",
    "no record type": "network,handle,followers\ninstagram,a.b,1\n",
    "truncated parquet": b"PAR1\x00\x00garbage",
}


def _snapshot() -> tuple:
    return (
        list(Creator.objects.order_by("pk").values_list("pk", "name", "batch_id")),
        list(SocialAccount.objects.order_by("pk").values_list("pk", "handle", "followers", "batch_id")),
        Post.objects.count(),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_each_bad_file_is_refused_with_a_location_and_changes_nothing(tmp_path, kind):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    import_files(batch=import_batch_create(files=[str(good)]))
    before = _snapshot()
    content = BAD_FILES[kind]
    bad = tmp_path / ("bad.parquet" if kind == "truncated parquet" else "bad.csv")
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_files(batch=import_batch_create(files=[str(good), str(bad)]))
    errors = caught.value.details["errors"]
    assert errors, kind
    assert errors[0]["file"] == str(bad)
    assert errors[0]["reason"]
    assert _snapshot() == before
    assert ImportBatch.objects.latest("pk").status == "rejected"


handles = st.from_regex(r"[a-z][a-z0-9_.]{2,20}", fullmatch=True)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60).filter(
    lambda t: not t.strip().startswith(("=", "+", "-", "@"))
)


@st.composite
def worlds(draw):
    names = draw(st.lists(handles, min_size=1, max_size=5, unique=True))
    accounts = [
        AccountRecord(
            network=Network.INSTAGRAM,
            handle=h,
            followers=draw(st.integers(0, 10**9)),
            bio=draw(texts),
            topics=tuple(
                draw(st.lists(st.sampled_from(["food", "travel", "tech"]), max_size=2, unique=True))
            ),
        )
        for h in names
    ]
    posts = [
        PostRecord(
            network=Network.INSTAGRAM,
            handle=draw(st.sampled_from(names)),
            network_post_id=f"p{i}",
            published_at=datetime(2025, 1, 1 + i % 28, 12, i % 60, tzinfo=UTC),
            caption=draw(texts),
            likes=draw(st.none() | st.integers(0, 10**6)),
            comments=draw(st.none() | st.integers(0, 10**5)),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    return accounts, posts


@pytest.mark.django_db(transaction=True)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds(), file_format=st.sampled_from(["csv", "jsonl", "parquet"]))
def test_any_valid_world_round_trips_and_reimports_without_change(tmp_path: Path, world, file_format):
    accounts, posts = world
    folder = tmp_path / f"{file_format}-{abs(hash((tuple(accounts), tuple(posts))))}"
    folder.mkdir(exist_ok=True)  # the same world can be drawn twice (a replayed example)
    files = [folder / f"accounts.{file_format}", folder / f"posts.{file_format}"]
    write_records(files[0], record_type="account", records=accounts)
    write_records(files[1], record_type="post", records=posts)
    SocialAccount.objects.all().delete()
    Creator.objects.all().delete()
    first = import_files(batch=import_batch_create(files=[str(f) for f in files]))
    stored = {a.handle: a for a in SocialAccount.objects.all()}
    assert {a.handle: (a.followers, a.bio, tuple(a.topics)) for a in accounts} == {
        h: (a.followers, a.bio, tuple(a.topics)) for h, a in stored.items()
    }
    assert sorted((p.handle, p.network_post_id, p.likes, p.caption) for p in posts) == sorted(
        Post.objects.values_list("account__handle", "network_post_id", "likes", "caption")
    )
    again = import_files(batch=import_batch_create(files=[str(f) for f in files]))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, first.inserted)
