"""One declaration per record: every column of every record type reaches a field of its live table.

``sources.columns`` declares each record type once — its file columns and where each one is stored.
These tests walk that declaration to the Django models, to the import's staging and publish SQL, and
through a real import back out of the database, so that a field dropped anywhere on the way fails here.
"""

from __future__ import annotations

import math
from dataclasses import fields, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from microreach.core.pseudonyms import pseudonymise
from microreach.core.records import FollowerRecord, Network
from microreach.sources import open_source
from microreach.sources.columns import LIVE_TABLES, RECORD_COLUMNS, staged_columns, stored_fields
from microreach.web.creators import contracts
from microreach.web.creators.imports import import_batch_create, import_files
from microreach.web.creators.publishing import PUBLISH
from microreach.web.creators.staging import STAGE_COLUMNS
from tests import factories


def _field(label: str, name: str) -> models.Field:
    return apps.get_model(label)._meta.get_field(name)


@pytest.mark.parametrize("record_type", list(RECORD_COLUMNS))
def test_every_declared_column_has_a_field_in_its_django_model(record_type):
    live = LIVE_TABLES[record_type]
    for name, live_field in stored_fields(record_type).items():
        assert _field(live.model, live_field).concrete, (record_type, name)
    for foreign_key, columns in live.parents.items():
        assert _field(live.model, foreign_key).is_relation, (record_type, foreign_key)
        assert set(columns) <= {spec.name for spec in RECORD_COLUMNS[record_type]}
    for name, target in live.elsewhere.items():
        app_label, model, field_name = target.split(".")
        assert _field(f"{app_label}.{model}", field_name).concrete, (record_type, name)
    # every column is placed: stored, finding a parent, or published to another model
    placed = set(stored_fields(record_type)) | live.parent_columns() | set(live.elsewhere)
    assert placed == {spec.name for spec in RECORD_COLUMNS[record_type]}


@pytest.mark.parametrize("record_type", list(PUBLISH))
def test_every_stored_column_is_staged_and_published_and_compared(record_type):
    spec = PUBLISH[record_type]
    staged = {name for name, _kind in STAGE_COLUMNS[record_type]}
    model = apps.get_model(LIVE_TABLES[record_type].model)
    assert model._meta.db_table == spec.table
    for column in staged_columns(record_type):
        assert column.name in staged
        if column.live_field is None:
            continue
        assert spec.columns[column.live_field] in (f"s.{column.name}", f"{{json:s.{column.name}}}")
        assert column.live_field in spec.data_columns or column.live_field in spec.conflict
    # and nothing is written that the model does not have
    columns = {f.column for f in model._meta.concrete_fields}
    assert set(spec.columns) | set(spec.extra) <= columns


def test_a_follower_field_dropped_from_the_model_would_fail_the_walk(monkeypatch):
    # given the follower declaration with a column that has no field in FollowerSample
    follower = LIVE_TABLES["follower"]
    renamed = {**follower.renamed, "full_name_length": "nope"}
    monkeypatch.setitem(
        LIVE_TABLES, "follower", type(follower)(**{**_as_kwargs(follower), "renamed": renamed})
    )
    # then the walk refuses it
    with pytest.raises(Exception, match="has no field named 'nope'"):
        test_every_declared_column_has_a_field_in_its_django_model("follower")


def _as_kwargs(item: object) -> dict[str, object]:
    return {f.name: getattr(item, f.name) for f in fields(item)}  # type: ignore[arg-type]


# One row of each creators record type, every column given a value that is not its default.
FILES = {
    "account": (
        "network,handle,followers,creator_key,creator_name,network_user_id,display_name,bio,topics,language,"
        "country,following,posts_count,verified,private,has_profile_picture,contact_email,external_url,"
        "avatar_url\n"
        "instagram,Lea.Cuisine,12000,lea,Léa Martin,178414,Léa,Cuisine végane,food|vegan,fr,FR,300,41,true,"
        "true,false,lea@example.org,https://lea.example.org,https://cdn.example.org/lea.jpg\n"
    ),
    "post": (
        "network,handle,network_post_id,published_at,post_type,caption,hashtags,mentions,url,likes,comments,"
        "shares,saves,views,reach,impressions,is_paid_partnership,thumbnail_url\n"
        "instagram,lea.cuisine,p1,2025-09-14T18:30:00Z,reel,Publicité,vegan|lyon,verdure.box,"
        "https://instagram.example/p/p1,1520,48,12,30,9000,7000,8000,true,https://cdn.example.org/p1.jpg\n"
    ),
    "comment": (
        "network,handle,network_post_id,network_comment_id,author_handle,commented_at,text,reply_to,"
        "creator_replied\n"
        "instagram,lea.cuisine,p1,c2,Some.Fan,2025-09-14T18:35:00Z,Trop bon !,c1,true\n"
    ),
    "follower": (
        "network,handle,follower_username,followers,following,posts,has_profile_picture,is_private,"
        "is_verified,bio_length,account_created_at,followed_at,username_length,username_digit_count,"
        "full_name_length,has_external_url\n"
        "instagram,lea.cuisine,bot_12345,3,4100,2,false,true,false,17,2024-02-03,2025-08-01T10:00:00Z,"
        "11,4,8,true\n"
    ),
    "follower_count": (
        "network,handle,date,followers,following,posts_count\ninstagram,lea.cuisine,2025-09-01,11900,299,40\n"
    ),
    "audience": "network,handle,dimension,key,share,as_of\ninstagram,lea.cuisine,country,FR,0.62,2025-09-01\n",
    "post_snapshot": (
        "network,handle,network_post_id,captured_on,likes,comments,shares,saves,views,reach\n"
        "instagram,lea.cuisine,p1,2025-09-15,1400,40,10,25,8000,6500\n"
    ),
}


def _files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for record_type, body in FILES.items():
        path = tmp_path / f"{record_type}.csv"
        path.write_text(f"# microreach: record_type={record_type}, version=1\n{body}", encoding="utf-8")
        out[record_type] = path
    return out


def _file_row(path: Path) -> dict[str, object]:
    with open_source(path) as reader:
        (batch,) = list(reader.iter_batches())
    assert batch.error_count == 0
    (row,) = batch.frame.to_dicts()
    return row


def _comparable(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, tuple):
        return list(value)
    return value


@pytest.mark.django_db(transaction=True)
def test_an_import_stores_every_column_of_every_creators_record(tmp_path):
    # given one file per record type with every column set
    files = _files(tmp_path)
    assert {name for name in FILES} == set(PUBLISH)
    for record_type, path in files.items():
        written = set(FILES[record_type].splitlines()[0].split(","))
        assert written == {spec.name for spec in RECORD_COLUMNS[record_type]}, record_type
    org = factories.organisation()
    # when they are imported through the import service
    paths = [str(p) for p in files.values()]
    import_files(batch=import_batch_create(files=paths, organisation_id=org.pk))
    # then every stored column holds the file's value in its live field
    key = str(settings.MICROREACH["PSEUDONYM_KEY"])
    for record_type, path in files.items():
        row = _file_row(path)
        model = apps.get_model(LIVE_TABLES[record_type].model)
        (live,) = model.objects.values()
        for name, live_field in stored_fields(record_type).items():
            expected = row[name]
            if name in LIVE_TABLES[record_type].replaced_by:
                expected = pseudonymise(key, str(row["network"]), str(row[name]))
            elif name == "handle":
                expected = str(expected).lower()
            assert _comparable(live[live_field]) == _comparable(expected), (record_type, name)
    account = apps.get_model("creators.SocialAccount").objects.get()
    assert (account.creator.external_key, account.creator.name) == ("lea", "Léa Martin")
    # and importing the same files again changes nothing (every compared column is equal)
    again = import_files(batch=import_batch_create(files=paths, organisation_id=org.pk))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(FILES))


@pytest.mark.django_db(transaction=True)
def test_a_follower_reads_back_as_the_record_it_was_imported_from(tmp_path):
    # given the follower file with every column set, imported
    files = _files(tmp_path)
    org = factories.organisation()
    import_files(
        batch=import_batch_create(
            files=[str(files["account"]), str(files["follower"])], organisation_id=org.pk
        )
    )
    # when the audit's view of the account is read
    (data,) = contracts.account_records(organisation_id=org.pk, with_followers=True).values()
    # then the follower record is the file's, its username pseudonymised and nothing else changed
    key = str(settings.MICROREACH["PSEUDONYM_KEY"])
    expected = FollowerRecord(
        network=Network.INSTAGRAM,
        handle="lea.cuisine",
        follower_username=pseudonymise(key, "instagram", "bot_12345"),
        followers=3,
        following=4100,
        posts=2,
        has_profile_picture=False,
        is_private=True,
        is_verified=False,
        bio_length=17,
        account_created_at=date(2024, 2, 3),
        followed_at=datetime(2025, 8, 1, 10, tzinfo=UTC),
        username_length=11,
        username_digit_count=4,
        full_name_length=8,
        has_external_url=True,
    )
    assert data.followers == (expected,)
    assert not any(isinstance(v, float) and math.isnan(v) for v in _as_kwargs(expected).values())


READ_BACK = {
    "post": "posts",
    "comment": "comments",
    "follower": "followers",
    "follower_count": "follower_counts",
    "audience": "audience",
}


@pytest.mark.django_db(transaction=True)
def test_every_record_the_audit_reads_comes_back_as_imported(tmp_path):
    # given one row of each record type, every column set, imported
    files = _files(tmp_path)
    org = factories.organisation()
    import_files(batch=import_batch_create(files=[str(p) for p in files.values()], organisation_id=org.pk))
    # when the audit's view of the account is read
    (data,) = contracts.account_records(organisation_id=org.pk, with_followers=True).values()
    # then each record is the file's, handles lower-cased and pseudonymised handles as their pseudonym
    key = str(settings.MICROREACH["PSEUDONYM_KEY"])
    for record_type, attribute in READ_BACK.items():
        with open_source(files[record_type]) as reader:
            (expected,) = next(reader.iter_batches()).records()
        changes: dict[str, object] = {"handle": expected.handle.lower()}
        for name in LIVE_TABLES[record_type].replaced_by:
            changes[name] = pseudonymise(key, expected.network, getattr(expected, name))
        assert getattr(data, attribute) == (replace(expected, **changes),), record_type
