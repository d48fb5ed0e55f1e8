"""One follower file, two ways in, the same figures: imported through the web import and audited from
the database, or scored by ``microreach audit followers`` — identical per-follower probabilities and the
same fake share. And an optional column that is absent, or empty in every row, is unknown both ways."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from django.conf import settings
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.core.authenticity import score_profiles
from microreach.core.profiles import columns_from_followers
from microreach.core.pseudonyms import pseudonymise
from microreach.evaluation.profiles import profile_frame_to_columns
from microreach.web.audits import services as audit_services
from microreach.web.audits.models import AuditRecord
from microreach.web.creators import contracts
from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
from microreach.web.creators.models import FollowerSample, SocialAccount
from tests import factories

runner = CliRunner()

ACCOUNT = (
    "# microreach: record_type=account, version=1\nnetwork,handle,followers\ninstagram,lea.cuisine,12000\n"
)
PROFILE_HEADER = (
    "network,handle,username,full_name,bio,followers,following,posts,has_profile_pic,is_private,"
    "is_verified,external_url"
)


def _profiles(n: int = 120, seed: int = 3) -> list[dict[str, str]]:
    """Followers of every kind: real-looking, bought-looking, mass followers, and cells left empty."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        fake = i % 3 == 0
        name = f"user{rng.integers(10, 99_999)}_{i}" if fake else f"lea.friend.{i}"
        rows.append(
            {
                "network": "instagram",
                "handle": "lea.cuisine",
                "username": name,
                "full_name": "" if fake and i % 2 else f"Friend {i}",
                "bio": "" if fake else "Cuisine, vélo et voyages" * int(rng.integers(0, 3)),
                "followers": ""
                if i % 17 == 0
                else str(int(rng.integers(0, 40) if fake else rng.integers(80, 3000))),
                "following": str(int(rng.integers(1500, 7000) if fake else rng.integers(50, 900))),
                "posts": str(int(rng.integers(0, 3) if fake else rng.integers(5, 400))),
                "has_profile_pic": "" if i % 11 == 0 else ("false" if fake and i % 2 else "true"),
                "is_private": "true" if i % 5 == 0 else "false",
                "is_verified": "false",
                "external_url": "https://example.org/x" if not fake and i % 4 == 0 else "",
            }
        )
    return rows


def _write_profiles(
    path: Path, rows: list[dict[str, str]], header: str = PROFILE_HEADER, comment: str = ""
) -> Path:
    names = header.split(",")
    with path.open("w", encoding="utf-8", newline="") as sink:
        sink.write(comment)
        writer = csv.writer(sink, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([row.get(name, "") for name in names])
    return path


def _web_import(tmp_path: Path, followers: Path, org_id: int) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNT, encoding="utf-8")
    batch = import_batch_create(files=[str(accounts)], organisation_id=org_id)
    import_files(batch=batch)
    # the follower file declares no record type: the import is told it (the CLI reads the same bytes)
    import_files(
        batch=import_batch_create(files=[str(followers)], organisation_id=org_id), record_type="follower"
    )


def _cli(followers: Path, tmp_path: Path) -> tuple[list[dict[str, str]], dict]:
    out, summary = tmp_path / "scores.csv", tmp_path / "summary.json"
    result = runner.invoke(
        app, ["audit", "followers", str(followers), "--out", str(out), "--summary", str(summary)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    return rows, json.loads(summary.read_text(encoding="utf-8"))


def _stored_probabilities(account_id: int, org_id: int) -> dict[str, float]:
    """Per follower (pseudonym): P(fake) as the stored-data audit computes it, from the database."""
    data = contracts.account_records(account_ids=[account_id], organisation_id=org_id, with_followers=True)
    followers = data[account_id].followers
    probabilities, _codes = score_profiles(
        model=audit_services.audit_config().fake_model, columns=columns_from_followers(followers=followers)
    )
    return {f.follower_username: float(p) for f, p in zip(followers, probabilities, strict=True)}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("comment", ["", "# microreach: record_type=follower, version=1\n"])
def test_the_web_import_and_audit_followers_give_the_same_probabilities_and_fake_share(tmp_path, comment):
    # given one follower file in the profile columns (with network and handle), some cells empty
    rows = _profiles()
    followers = _write_profiles(tmp_path / "followers.csv", rows, comment=comment)
    org = factories.organisation()
    # when it is imported through the web import and the stored data are audited
    _web_import(tmp_path, followers, org.pk)
    account = SocialAccount.objects.get()
    assert FollowerSample.objects.count() == len(rows)
    audit_services.audits_run(account_ids=[account.pk], organisation_id=org.pk)
    stored = AuditRecord.objects.get(account=account, organisation_id=org.pk, is_latest=True)
    web_fake = stored.result["authenticity"]["fake_share"]
    web = _stored_probabilities(account.pk, org.pk)
    # and the same file is scored by `microreach audit followers`
    cli_rows, cli_summary = _cli(followers, tmp_path)
    # then every follower has the same probability (the CLI writes 4 decimals) ...
    key = str(settings.MICROREACH["PSEUDONYM_KEY"])
    assert [r["username"] for r in cli_rows] == [r["username"] for r in rows]
    for row in cli_rows:
        assert float(row["fake_probability"]) == round(
            web[pseudonymise(key, "instagram", row["username"])], 4
        )
    # ... exactly, before rounding, through the function behind the command
    frame = pl.read_csv(followers, infer_schema=False, comment_prefix="#")
    cli_p, _codes = score_profiles(
        model=audit_services.audit_config().fake_model, columns=profile_frame_to_columns(frame)
    )
    web_p = [web[pseudonymise(key, "instagram", r["username"])] for r in rows]
    assert cli_p.tolist() == web_p
    # and the fake share and its interval are the same
    assert cli_summary["profiles"] == web_fake["sample_size"] == len(rows)
    assert cli_summary["fake_share"] == web_fake["corrected_share"]
    assert cli_summary["fake_share_interval"] == [web_fake["low"], web_fake["high"]]
    assert stored.fake_share == pytest.approx(web_fake["corrected_share"])
    assert 0 < cli_summary["fake_share"] < 1


@pytest.mark.django_db(transaction=True)
def test_a_follower_file_in_the_follower_columns_scores_the_same_both_ways(tmp_path):
    # given the same followers written in the follower columns (lengths instead of texts)
    rows = []
    for row in _profiles(40, seed=8):
        rows.append(
            {
                **row,
                "follower_username": row["username"],
                "full_name_length": str(len(row["full_name"])),
                "bio_length": str(len(row["bio"])),
                "has_profile_picture": row["has_profile_pic"],
                "has_external_url": "true" if row["external_url"] else "false",
            }
        )
    header = (
        "network,handle,follower_username,full_name_length,bio_length,followers,following,posts,"
        "has_profile_picture,is_private,is_verified,has_external_url"
    )
    followers = _write_profiles(tmp_path / "followers.csv", rows, header=header)
    org = factories.organisation()
    _web_import(tmp_path, followers, org.pk)
    account = SocialAccount.objects.get()
    web = _stored_probabilities(account.pk, org.pk)
    cli_rows, _summary = _cli(followers, tmp_path)
    key = str(settings.MICROREACH["PSEUDONYM_KEY"])
    assert len(cli_rows) == len(rows) == len(web)
    for row in cli_rows:
        assert float(row["fake_probability"]) == round(
            web[pseudonymise(key, "instagram", row["username"])], 4
        )


def _stored_fields(*names: str) -> list[tuple]:
    return list(FollowerSample.objects.order_by("username_length", "followers").values_list(*names))


@pytest.mark.django_db(transaction=True)
def test_a_text_column_empty_in_every_row_is_unknown_at_import_and_in_the_cli(tmp_path):
    # given profile files whose full_name is empty in every row, bio absent, and external_url partly filled
    header = "network,handle,username,full_name,followers,external_url"
    rows = [
        {
            "network": "instagram",
            "handle": "lea.cuisine",
            "username": "ab",
            "followers": "1",
            "external_url": "",
        },
        {
            "network": "instagram",
            "handle": "lea.cuisine",
            "username": "abc1",
            "followers": "2",
            "external_url": "https://x.example",
        },
    ]
    followers = _write_profiles(tmp_path / "followers.csv", rows, header=header)
    org = factories.organisation()
    # when the file is imported
    _web_import(tmp_path, followers, org.pk)
    # then name and bio are unknown (null), not "no name" / "no bio"; the link is known row by row
    assert _stored_fields(
        "full_name_length", "bio_length", "has_external_url", "username_length", "username_digits"
    ) == [
        (None, None, False, 2, 0),
        (None, None, True, 4, 1),
    ]
    # and the CLI's reader says the same: NaN for the unknown, 0 / 1 for the known
    columns = profile_frame_to_columns(pl.read_csv(followers, infer_schema=False))
    assert np.isnan(columns.full_name_length).all() and np.isnan(columns.bio_length).all()
    assert columns.has_external_url.tolist() == [0.0, 1.0]


def test_the_cli_reader_reads_an_empty_cell_as_none_only_where_the_column_has_values():
    # given a full_name column with one name and one empty cell, and a bio column of spaces only
    frame = pl.DataFrame(
        {
            "username": ["a1", "b2"],
            "full_name": ["Léa M", None],
            "bio": ["  ", None],
            "external_url": [None, None],
        }
    )
    columns = profile_frame_to_columns(frame)
    # then the empty name is "no name" (0), the blank bio and link columns are unknown (NaN)
    assert columns.full_name_length.tolist() == [5.0, 0.0]
    assert all(math.isnan(v) for v in columns.bio_length.tolist() + columns.has_external_url.tolist())
    # and judged on the whole file, a column with a value in another chunk is known in this one
    blank_here = profile_frame_to_columns(frame.slice(1, 1), blank=frozenset({"bio", "external_url"}))
    assert blank_here.full_name_length.tolist() == [0.0]


@pytest.mark.django_db(transaction=True)
def test_a_follower_column_empty_in_every_row_stays_unknown_when_stored(tmp_path):
    # given a follower file in the follower columns with full_name_length and has_external_url empty
    followers = tmp_path / "followers.csv"
    followers.write_text(
        "# microreach: record_type=follower, version=1\n"
        "network,handle,follower_username,full_name_length,has_external_url,bio_length\n"
        "instagram,lea.cuisine,someone,,,0\n",
        encoding="utf-8",
    )
    org = factories.organisation()
    _web_import(tmp_path, followers, org.pk)
    # then they are stored as unknown and read back as unknown; a written 0 stays 0
    assert _stored_fields("full_name_length", "has_external_url", "bio_length") == [(None, None, 0)]
    (data,) = contracts.account_records(organisation_id=org.pk, with_followers=True).values()
    (follower,) = data.followers
    assert (follower.full_name_length, follower.has_external_url, follower.bio_length) == (None, None, 0)


@pytest.mark.django_db(transaction=True)
def test_a_header_giving_one_field_twice_is_refused(tmp_path):
    followers = _write_profiles(
        tmp_path / "followers.csv",
        [{"network": "instagram", "handle": "lea.cuisine", "username": "a", "follower_username": "a"}],
        header="network,handle,username,follower_username",
    )
    org = factories.organisation()
    with pytest.raises(ImportRejected) as caught:
        _web_import(tmp_path, followers, org.pk)
    (error,) = caught.value.details["errors"]
    assert (error["code"], error["field"]) == ("duplicated_column", "follower_username")
    assert FollowerSample.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_file_repeating_usernames_gives_the_same_fake_share_both_ways(tmp_path):
    # given a follower file where some followers come twice, their later row different (a bought-looking
    # profile that came back real-looking, and the reverse)
    rows = _profiles(90, seed=5)
    again = []
    for row in rows[:24]:
        changed = dict(row)
        changed["following"] = "40" if int(row["following"]) > 1500 else "6000"
        changed["posts"] = "120" if row["posts"] in ("0", "1", "2") else "0"
        again.append(changed)
    followers = _write_profiles(tmp_path / "followers.csv", rows + again)
    org = factories.organisation()
    # when it is imported through the web (which keeps the last row of each follower) and audited
    _web_import(tmp_path, followers, org.pk)
    account = SocialAccount.objects.get()
    assert FollowerSample.objects.count() == len(rows)
    audit_services.audits_run(account_ids=[account.pk], organisation_id=org.pk)
    web_fake = AuditRecord.objects.get(account=account, organisation_id=org.pk, is_latest=True).result[
        "authenticity"
    ]["fake_share"]
    # and scored by `microreach audit followers`
    cli_rows, cli_summary = _cli(followers, tmp_path)
    # then the command writes one row per input row, but counts each follower once, from its last row
    assert len(cli_rows) == cli_summary["rows_scored"] == len(rows) + len(again)
    assert cli_summary["profiles"] == web_fake["sample_size"] == len(rows)
    assert cli_summary["fake_share"] == web_fake["corrected_share"]
    assert cli_summary["fake_share_interval"] == [web_fake["low"], web_fake["high"]]
    # and counting every row would have given another share (the test would catch the old count)
    counted_twice = _summary_counting_every_row(rows + again, tmp_path)
    assert counted_twice["profiles"] == len(rows) + len(again)
    assert counted_twice["fake_share"] != web_fake["corrected_share"]


def _summary_counting_every_row(rows: list[dict[str, str]], tmp_path: Path) -> dict:
    """The summary of the same rows, each under a username of its own: what counting every row gives."""
    from microreach.evaluation.profiles import score_profiles_file

    unique = [{**row, "username": f"{row['username']}.{i}"} for i, row in enumerate(rows)]
    return score_profiles_file(
        _write_profiles(tmp_path / "unique.csv", unique),
        tmp_path / "all.csv",
        None,
        model=audit_services.audit_config().fake_model,
    )
