"""docs/schemas/*.json are the generated schemas, and they agree with the readers."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from microreach.sources import validate_file
from microreach.sources.columns import RECORD_COLUMNS
from microreach.sources.json_schemas import json_schema_for
from microreach.sources.simulator import simulate

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


@pytest.mark.parametrize("record_type", sorted(RECORD_COLUMNS))
def test_the_schema_files_are_the_generated_schemas(record_type):
    on_disk = json.loads((SCHEMAS / f"{record_type}.json").read_text(encoding="utf-8"))
    assert on_disk == json_schema_for(record_type)
    jsonschema.Draft202012Validator.check_schema(on_disk)


@pytest.fixture(scope="module")
def jsonl_world(tmp_path_factory):
    # A seed whose small world has rows of every type (sales follow market rates: some worlds have none).
    return simulate(tmp_path_factory.mktemp("jsonl"), creators=15, seed=3, file_format="jsonl")


@pytest.mark.parametrize("record_type", sorted(RECORD_COLUMNS))
def test_valid_generated_rows_pass_the_schema_and_the_reader(jsonl_world, record_type):
    path = jsonl_world.files[record_type]
    validator = jsonschema.Draft202012Validator(json_schema_for(record_type))
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    assert lines
    for line in lines:
        validator.validate(json.loads(line))
    assert validate_file(path).ok


BAD_ROWS = [
    ("post", {"likes": -1}),
    ("post", {"likes": "12"}),
    ("post", {"caption": "=cmd|' /C calc'!A0"}),
    ("post", {"network": "facebook"}),
    ("post", {"published_at": "yesterday"}),
    ("post", {"hashtags": 5}),
    ("post", {"handle": "two words"}),
    ("post", {"unknown": 1}),
    ("audience", {"share": 1.5}),
    ("follower", {"bio_length": 2_000_000}),
    ("account", {"verified": "maybe"}),
    ("comment", {"network_comment_id": ""}),
]


@pytest.mark.parametrize(("record_type", "change"), BAD_ROWS)
def test_bad_rows_fail_both_the_schema_and_the_reader(jsonl_world, tmp_path, record_type, change):
    # given a valid generated row with one bad value
    lines = jsonl_world.files[record_type].read_text(encoding="utf-8").splitlines()
    row = {**json.loads(lines[1]), **change}
    # then the schema refuses it
    assert not jsonschema.Draft202012Validator(json_schema_for(record_type)).is_valid(row)
    # and so does the reader
    path = tmp_path / "row.jsonl"
    path.write_text(lines[0] + "\n" + json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    report = validate_file(path)
    assert not report.ok
    assert report.errors[0].line == 2
