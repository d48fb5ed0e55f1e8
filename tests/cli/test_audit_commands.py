from __future__ import annotations

import csv
import json
import re

import pytest
from django.test import Client
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.sources.simulator import simulate
from microreach.web.accounts.models import Membership
from microreach.web.audits.models import AuditRecord
from microreach.web.formatting import percent
from tests import factories
from tests.web.audits.test_audits import _import as import_with_followers

runner = CliRunner()


def test_audit_followers_scores_every_row_and_writes_the_summary(tmp_path):
    profiles = tmp_path / "profiles.csv"
    profiles.write_text(
        "username,followers,following,posts,has_profile_pic\n"
        "alice,320,280,45,true\nbot_99812,3,4900,0,false\nunknown.person,,,,\n",
        encoding="utf-8",
    )
    out, summary = tmp_path / "scores.csv", tmp_path / "summary.json"
    result = runner.invoke(
        app, ["audit", "followers", str(profiles), "--out", str(out), "--summary", str(summary)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["username"] for r in rows] == ["alice", "bot_99812", "unknown.person"]
    assert rows[1]["audience_type"] == "suspicious"
    assert rows[0]["audience_type"] == "real"
    report = json.loads(summary.read_text(encoding="utf-8"))
    low, high = report["fake_share_interval"]
    assert 0 <= low <= report["fake_share"] <= high <= 1


def test_audit_followers_on_a_missing_file_says_so(tmp_path):
    result = runner.invoke(
        app, ["audit", "followers", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 2
    assert "No such file" in result.output


def test_audit_batch_writes_one_line_per_account_and_finds_planted_fraud(tmp_path):
    world = simulate(tmp_path / "world", creators=40, seed=11)
    out = tmp_path / "results.jsonl"
    result = runner.invoke(app, ["audit", "batch", str(world.out_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == world.accounts
    truth = [json.loads(line) for line in world.ground_truth.read_text(encoding="utf-8").splitlines()]
    planted = {
        p["network_post_id"]
        for t in truth
        for p in t["sponsored_posts"]
        if p["sponsored"] and not p["disclosed"]
    }
    found = {pid for r in rows for pid in r["undisclosed_post_ids"]}
    assert len(planted) >= 5
    recall = len(planted & found) / len(planted)
    precision = len(planted & found) / len(found)
    assert recall >= 0.9 and precision >= 0.9
    assert all(r["status"] in ("ok", "not_enough_data") for r in rows)


def test_audit_followers_writes_one_row_per_input_row_with_duplicates_and_blank_usernames(tmp_path):
    # given a profile file with a username twice and a blank username, after an import file's comment line
    profiles = tmp_path / "profiles.csv"
    profiles.write_text(
        "# microreach: record_type=follower, version=1\n"
        "username,full_name,followers,following,posts\n"
        "alice,Alice A,320,280,45\nalice,Alice A,320,280,45\n,,3,4900,0\n@bob_1,,15,300,2\n",
        encoding="utf-8",
    )
    out, summary = tmp_path / "scores.csv", tmp_path / "summary.json"
    result = runner.invoke(
        app, ["audit", "followers", str(profiles), "--out", str(out), "--summary", str(summary)]
    )
    # then every input row has its output row, in file order, the duplicate scored alike
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["username"] for r in rows] == ["alice", "alice", "", "@bob_1"]
    assert rows[0]["fake_probability"] == rows[1]["fake_probability"]
    # and the summary counts alice once (as an import keeps one row per follower), the blank row as its own
    assert json.loads(summary.read_text(encoding="utf-8"))["profiles"] == 3


def test_audit_followers_without_a_username_column_says_so(tmp_path):
    profiles = tmp_path / "profiles.csv"
    profiles.write_text("full_name,followers\nAlice,3\n", encoding="utf-8")
    result = runner.invoke(app, ["audit", "followers", str(profiles), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "a 'username' column is required" in " ".join(result.output.split())
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.django_db(transaction=True)
def test_audit_account_prints_percentages_by_the_one_formatter(tmp_path, django_capture_on_commit_callbacks):
    # given lea.cuisine imported with a follower sample of 30 bots and 70 readers by a brand
    admin = factories.member()
    organisation = Membership.objects.get(user=admin).organisation_id
    import_with_followers(tmp_path, organisation, django_capture_on_commit_callbacks)
    # when the operator audits it from the command line with the brand's sample
    result = runner.invoke(
        app,
        ["audit", "account", "lea.cuisine", "--organisation", str(organisation)],
        env={"COLUMNS": "200"},
    )
    # then the shares read the English way (12.3%, never 12.3 %), as web/formatting.py writes them
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    record = AuditRecord.objects.get(
        account__handle="lea.cuisine", organisation_id=organisation, is_latest=True
    )
    fake = record.result["authenticity"]["fake_share"]
    assert (
        f"Fake followers: {percent(fake['corrected_share'], 1, 'en')} "
        f"[{percent(fake['low'], 1, 'en')}, {percent(fake['high'], 1, 'en')}] on 100 sampled followers"
    ) in shown
    assert re.search(r"Fake followers: \d+\.\d% \[\d+\.\d%, \d+\.\d%\]", shown), shown
    assert re.search(r"Engagement: median \d+\.\d% = ", shown), shown
    # and each part's weight is a whole percentage, the same way
    rows = [row.split("│") for row in result.output.splitlines() if row.startswith("│")]
    weights = [cells[3].strip() for cells in rows if cells[1].strip()]
    assert weights and all(re.fullmatch(r"\d+%", w) for w in weights), weights
    # (only the command's own lines: a worker's log line may share the captured output)
    printed = [line for line in result.output.splitlines() if line.startswith(("│", "Engagement", "Fake"))]
    assert printed and not [line for line in printed if " %" in line]


@pytest.mark.django_db(transaction=True)
def test_audit_account_prints_the_figures_every_brand_sees(tmp_path, django_capture_on_commit_callbacks):
    # given a brand that imported lea.cuisine with a follower sample and shared its figures with every brand
    admin, other = factories.member(), factories.member()
    organisation = Membership.objects.get(user=admin).organisation_id
    import_with_followers(tmp_path, organisation, django_capture_on_commit_callbacks, share=True)
    # when the operator audits it from the command line, for no organisation
    result = runner.invoke(app, ["audit", "account", "lea.cuisine"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    # then it prints what another brand reads in the API: the shared sample's fake share, and the
    # engagement rate creators are compared on
    client = Client()
    client.force_login(other)
    seen = client.get("/api/audits/instagram/lea.cuisine").json()
    assert seen["result"]["authenticity"]["sample_size"] == 100
    low, high = seen["fake_share_interval"]
    assert (
        f"Fake followers: {percent(seen['fake_share'], 1, 'en')} "
        f"[{percent(low, 1, 'en')}, {percent(high, 1, 'en')}] on 100 sampled followers"
    ) in shown
    assert f"measured on the follower sample organisation {organisation} shared" in shown
    assert f"Engagement: median {percent(seen['engagement_rate'], 1, 'en')} = " in shown
