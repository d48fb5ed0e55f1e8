"""`microreach audit followers`: the file is checked as `microreach import` checks a follower file; what
cannot be read refuses it, a bad value is said and read as unknown."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.core.authenticity import MIN_FAKE_SHARE_SAMPLE

runner = CliRunner()


def _run(tmp_path, content: bytes, *extra: str):
    profiles = tmp_path / "profiles.csv"
    profiles.write_bytes(content)
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["audit", "followers", str(profiles), "--out", str(out), *extra])
    return profiles, out, result, " ".join(result.output.split())


def test_bad_values_are_said_like_the_import_says_them_and_read_as_unknown(tmp_path):
    # given the values the import refuses, one per row
    profiles, out, result, said = _run(
        tmp_path,
        b"username,followers,following,posts,is_private\n"
        b"alice,abc,10,3,true\n"
        b",5,5,5,false\n"
        b"bob,-3,10,1,false\n"
        b"carl,10,1e99,1,false\n"
        b"dan,10,10,2.5,false\n"
        b"eve,1000000000000,1,1,false\n"
        b"fay,10,10,1,maybe\n"
        b"=cmd|calc,1,1,1,false\n",
    )
    # then each problem is said as the import says it: line, field, reason, code
    assert "8 problems in 1 file:" in said
    for line in (
        f"{profiles}:2 [followers]: not an integer: 'abc' (wrong_type)",
        f"{profiles}:3 [username]: required value missing (missing_value)",
        f"{profiles}:4 [followers]: negative value -3: must be 0 or more (out_of_range)",
        f"{profiles}:5 [following]: not an integer: '1e99' (wrong_type)",
        f"{profiles}:6 [posts]: not an integer: '2.5' (wrong_type)",
        f"{profiles}:7 [followers]: 1000000000000 is above the limit 10,000,000,000 (out_of_range)",
        f"{profiles}:8 [is_private]: not a boolean (true, false, 1 or 0): 'maybe' (wrong_type)",
        f"{profiles}:9 [username]: only letters, digits and . _ - are allowed: '=cmd|calc' (bad_format)",
    ):
        assert line in said, line
    # and the values are read as unknown: every profile is scored, one output row per input row (exports
    # of every kind are scored; the acceptance files of a model are such exports)
    assert result.exit_code == 0, result.output
    assert "These values are read as unknown" in said
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["username"] for r in rows] == ["alice", "", "bob", "carl", "dan", "eve", "fay", "=cmd|calc"]
    assert all(0 <= float(r["fake_probability"]) <= 1 for r in rows)


def test_a_file_separated_by_semicolons_says_so(tmp_path):
    _profiles, out, result, said = _run(tmp_path, b"username;followers;following\nalice;3;10\n")
    assert result.exit_code == 2, result.output
    assert "the file seems separated by ';', not commas" in said
    assert "a 'username' column is required" not in said
    assert not out.exists()


def test_a_latin_1_file_names_the_line_and_the_field(tmp_path):
    profiles, out, result, said = _run(tmp_path, b"username,full_name\nalice,Alice\nrenee,Ren\xe9e\n")
    assert result.exit_code == 2, result.output
    assert f"{profiles}:3 [full_name]: invalid UTF-8 byte 0xe9" in said
    assert "save the file as UTF-8 (invalid_utf8)" in said
    assert not out.exists()


def test_a_row_with_fewer_fields_than_the_header_refuses_the_file(tmp_path):
    # given a row cut short (a truncated export, an unquoted comma)
    profiles, out, result, said = _run(
        tmp_path, b"username,followers,following\nalice,3,10\nbob,5\ncarl,1,2\n"
    )
    # then the file is refused with the line, and nothing is written (never "every profile is still scored")
    assert result.exit_code == 2, result.output
    assert f"{profiles}:3: expected 3 fields, found 2" in said and "refused, nothing written" in said
    assert "every profile is still scored" not in said
    assert not out.exists()


def test_a_sample_too_small_gets_its_scores_but_no_fake_share(tmp_path):
    # given three profiles with a username only
    _profiles, out, result, said = _run(
        tmp_path, b"username\nalice\nbob\ncarl\n", "--summary", str(tmp_path / "summary.json")
    )
    # then each is scored, and no fake share is claimed of three followers
    assert result.exit_code == 0, result.output
    assert [r["username"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["alice", "bob", "carl"]
    assert f"Too few profiles for a fake share (3, at least {MIN_FAKE_SHARE_SAMPLE})" in said
    assert "Fake share" not in said
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["sample_too_small"] is True and summary["minimum_sample"] == MIN_FAKE_SHARE_SAMPLE


def test_a_large_enough_sample_says_its_fake_share(tmp_path):
    rows = "".join(f"user{i},{100 + i},{200 + i},{i % 7}\n" for i in range(MIN_FAKE_SHARE_SAMPLE))
    _profiles, _out, result, said = _run(tmp_path, ("username,followers,following,posts\n" + rows).encode())
    assert result.exit_code == 0, result.output
    assert f"{MIN_FAKE_SHARE_SAMPLE} profiles scored" in said and "Fake share " in said


def test_repeated_usernames_are_scored_row_by_row_and_said(tmp_path):
    # given a username on two lines
    _profiles, out, result, said = _run(tmp_path, b"username,followers\nalice,3\nbob,5\nalice,4\n")
    # then every row has its output row, and the repetition is said with its lines
    assert result.exit_code == 0, result.output
    assert [r["username"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["alice", "bob", "alice"]
    assert (
        "1 row(s) repeat a username, each scored in the output; the fake share counts the last row of each "
        "username, as an import keeps it: line 4 ('alice', first on line 2)"
    ) in said
    # and the summary counts alice once, from her last row
    assert "3 profiles scored" in said
    assert "Too few profiles for a fake share (2, at least" in said


def test_a_bad_value_elsewhere_in_the_file_still_counts_each_username_once(tmp_path):
    # given a username on three lines, and another row with a value the import refuses
    rows = "".join(f"user{i},{100 + i}\n" for i in range(MIN_FAKE_SHARE_SAMPLE))
    content = ("username,followers\ndup,3\ndup,3\ndup,3\n" + rows + "other,-5\n").encode()
    _profiles, out, result, said = _run(tmp_path, content, "--summary", str(tmp_path / "summary.json"))
    # then the bad value is said, every row is scored, and the repetition is said and counted once
    assert result.exit_code == 0, result.output
    assert "[followers]: negative" in said and "2 row(s) repeat a username" in said
    rows_out = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows_out) == MIN_FAKE_SHARE_SAMPLE + 4
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert (summary["rows_scored"], summary["profiles"]) == (
        MIN_FAKE_SHARE_SAMPLE + 4,
        MIN_FAKE_SHARE_SAMPLE + 2,
    )
