"""PostgreSQL publishes with the live table's foreign-key triggers off and checks parents set-based
(``creators.publishing.parents_checked``): a follower whose account is missing is still refused with its file
and line, before anything is written — never an IntegrityError (a 500 in the upload view, a failed job)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from microreach.web.creators import publishing
from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
from microreach.web.creators.models import FollowerSample, SocialAccount
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers
instagram,lea.cuisine,12000
"""
FOLLOWERS = """# microreach: record_type=follower, version=1
network,handle,follower_username,followers,following,posts
instagram,lea.cuisine,fan_one,30,410,2
instagram,lea.cuisine,fan_two,3,4100,0
instagram,nobody.here,fan_three,12,80,5
"""


@pytest.fixture(autouse=True)
def _postgresql_set_based():
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only: the set-based parent checks (session_replication_role) exist on PostgreSQL; "
            "SQLite checks each foreign key itself and its orphan refusal is tested in test_imports.py"
        )
    with connection.cursor() as cursor:
        assert publishing._may_skip_triggers(cursor), "the test database's role may not skip the triggers"


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_follower_of_a_missing_account_is_refused_with_its_file_and_line(tmp_path):
    org = factories.organisation()
    accounts = _write(tmp_path, "accounts.csv", ACCOUNTS)
    followers = _write(tmp_path, "followers.csv", FOLLOWERS)
    # when followers are imported, one of them of an account neither live nor in the import
    with pytest.raises(ImportRejected) as caught:
        import_files(batch=import_batch_create(files=[accounts, followers], organisation_id=org.pk))
    # then the import is refused with that row's file, line and field, and nothing is written
    (error,) = caught.value.details["errors"]
    assert (Path(str(error["file"])).name, error["line"], error["field"], error["code"]) == (
        "followers.csv",
        5,
        "handle",
        "unknown_parent",
    )
    assert "nobody.here" in str(error["reason"])
    assert caught.value.details["error_count"] == 1
    assert not FollowerSample.objects.exists() and not SocialAccount.objects.exists()


def test_an_account_deleted_while_its_followers_publish_is_a_located_refusal(tmp_path, monkeypatch):
    org = factories.organisation()
    import_files(batch=import_batch_create(files=[_write(tmp_path, "accounts.csv", ACCOUNTS)]))
    followers = _write(
        tmp_path,
        "followers.csv",
        FOLLOWERS.replace("nobody.here", "lea.cuisine").replace("fan_three", "fan_3"),
    )
    # when the account goes away after the orphan check (another session deletes it), before the upsert
    real = publishing.upsert_checked

    def deleting(cursor, *args):
        cursor.execute("DELETE FROM creators_socialaccount WHERE handle = 'lea.cuisine'")
        return real(cursor, *args)

    monkeypatch.setattr(publishing, "upsert_checked", deleting)
    with pytest.raises(ImportRejected) as caught:
        import_files(batch=import_batch_create(files=[followers], organisation_id=org.pk))
    # then the import is refused with a message naming the records and what is missing, nothing written
    (error,) = caught.value.details["errors"][:1]
    assert Path(str(error["file"])).name == "followers.csv" and error["code"] == "unknown_parent"
    assert error["line"] == 3 and "lea.cuisine" in str(error["reason"])
    assert not FollowerSample.objects.exists()
    assert SocialAccount.objects.filter(handle="lea.cuisine").exists()  # the deletion rolled back with it


def test_a_first_import_is_a_plain_insert_and_a_key_written_meanwhile_falls_back_to_the_upsert(
    tmp_path, monkeypatch
):
    org = factories.organisation()
    import_files(batch=import_batch_create(files=[_write(tmp_path, "accounts.csv", ACCOUNTS)]))
    followers = _write(
        tmp_path,
        "followers.csv",
        FOLLOWERS.replace("nobody.here", "lea.cuisine").replace("fan_three", "fan_3"),
    )
    written: list[bool] = []
    real = publishing.upsert_checked

    def racing(cursor, spec, table, joins, write):
        # another session writes one of the keys after they were counted as new
        assert write.only_new
        cursor.execute(f"SELECT follower_key FROM {table} ORDER BY seq LIMIT 1")
        (key,) = cursor.fetchone()
        account = SocialAccount.objects.get(handle="lea.cuisine")
        FollowerSample.objects.create(
            organisation_id=org.pk,
            account=account,
            follower_key=key,
            followers=1,
            sampled_at=account.updated_at,
            expires_at=account.updated_at,
        )
        written.append(real(cursor, spec, table, joins, write))
        return written[-1]

    monkeypatch.setattr(publishing, "upsert_checked", racing)
    summary = import_files(batch=import_batch_create(files=[followers], organisation_id=org.pk))
    # then the plain insert's unique violation is undone and the upsert writes all three rows
    assert written == [False]
    assert FollowerSample.objects.count() == 3
    assert sorted(FollowerSample.objects.values_list("followers", flat=True)) == [3, 12, 30]
    assert (summary.inserted + summary.updated, summary.unchanged) == (3, 0)


def test_a_first_import_of_new_keys_goes_through_the_plain_insert(tmp_path, monkeypatch):
    org = factories.organisation()
    import_files(batch=import_batch_create(files=[_write(tmp_path, "accounts.csv", ACCOUNTS)]))
    followers = _write(
        tmp_path,
        "followers.csv",
        FOLLOWERS.replace("nobody.here", "lea.cuisine").replace("fan_three", "fan_3"),
    )
    written: list[bool] = []
    real = publishing.upsert_checked
    monkeypatch.setattr(
        publishing, "upsert_checked", lambda *args: written.append(real(*args)) or written[-1]
    )
    first = import_files(batch=import_batch_create(files=[followers], organisation_id=org.pk))
    again = import_files(batch=import_batch_create(files=[followers], organisation_id=org.pk))
    # the first import inserts without ON CONFLICT; the second finds every key live and upserts (nothing changes)
    assert written == [True, False]
    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert FollowerSample.objects.count() == 3
