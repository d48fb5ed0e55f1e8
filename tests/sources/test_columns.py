"""The import format's columns are the fields of core.records, and the documentation covers them all."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

import numpy as np

from microreach.core.profiles import ProfileColumns, columns_from_followers
from microreach.core.records import RECORD_TYPES, FollowerRecord, Network
from microreach.evaluation.profiles import profile_frame_to_columns
from microreach.sources import records_to_frame, validate_file
from microreach.sources.columns import (
    FOLLOWER_FEATURES,
    LIVE_TABLES,
    RECORD_COLUMNS,
    staged_columns,
    stored_fields,
)
from microreach.sources.header_sets import PROFILE_HEADERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"


def test_columns_are_the_record_fields_in_order():
    for record_type, record_class in RECORD_TYPES.items():
        assert [spec.name for spec in RECORD_COLUMNS[record_type]] == [
            item.name for item in fields(record_class)
        ]


def test_required_columns_are_the_fields_without_default():
    for record_type, record_class in RECORD_TYPES.items():
        required = {spec.name for spec in RECORD_COLUMNS[record_type] if spec.required}
        no_default = {
            item.name
            for item in fields(record_class)
            if item.default is item.default_factory  # both MISSING
        }
        assert required == no_default, record_type


def test_every_record_type_and_column_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for record_type, specs in RECORD_COLUMNS.items():
        section = text.split(f"### `{record_type}`", 1)[1].split("### ", 1)[0]
        for spec in specs:
            assert f"| `{spec.name}` |" in section, (record_type, spec.name)


def test_the_documented_examples_are_valid(tmp_path):
    text = DOC.read_text(encoding="utf-8")
    for language, suffix in (("csv", "csv"), ("json", "jsonl")):
        block = re.search(rf"```{language}\n(.*?)```", text, re.S).group(1)
        path = tmp_path / f"example.{suffix}"
        path.write_text(block, encoding="utf-8")
        report = validate_file(path)
        assert report.ok, [str(error) for error in report.errors]
        assert report.valid_rows == 2


def test_every_column_is_placed_once_in_its_live_table():
    for record_type, specs in RECORD_COLUMNS.items():
        live = LIVE_TABLES[record_type]
        stored = set(stored_fields(record_type))
        for spec in specs:
            # stored in its own table, or finding a parent row and/or published to another model
            elsewhere = spec.name in live.parent_columns() or spec.name in live.elsewhere
            assert (spec.name in stored) != elsewhere, (record_type, spec.name)
        assert set(live.natural_key) <= {c.name for c in staged_columns(record_type)}, record_type


def test_the_follower_features_are_the_model_columns():
    follower = {spec.name for spec in RECORD_COLUMNS["follower"]}
    assert set(FOLLOWER_FEATURES) <= follower
    assert sorted(FOLLOWER_FEATURES.values()) == sorted(f.name for f in fields(ProfileColumns))


def test_the_cli_reader_and_the_audit_build_the_same_model_columns():
    # given follower records with every feature set, some unknown, and their frame
    records = [
        FollowerRecord(
            Network.INSTAGRAM, "lea", "bot_123", 3, 4100, 0, False, True, False, 0, None, None, 7, 3, 0, False
        ),
        FollowerRecord(
            Network.INSTAGRAM, "lea", "lea.friend", 300, 200, 45, True, None, False, 24, None, None
        ),
        FollowerRecord(Network.INSTAGRAM, "lea", "x", full_name_length=5, has_external_url=True),
    ]
    frame = records_to_frame(record_type="follower", records=records)
    # when the CLI's reader and the audit's core function build the model's columns
    from_frame = profile_frame_to_columns(frame)
    from_records = columns_from_followers(followers=records)
    # then they are equal column by column (NaN where unknown)
    for item in fields(ProfileColumns):
        assert np.array_equal(
            getattr(from_frame, item.name), getattr(from_records, item.name), equal_nan=True
        ), item.name


def test_the_profile_header_set_gives_follower_fields():
    follower = {spec.name for spec in RECORD_COLUMNS["follower"]}
    given = {name for column in PROFILE_HEADERS.columns for name, _how in column.gives}
    assert given <= follower
    assert PROFILE_HEADERS.column_names() == (
        "username", "full_name", "bio", "followers", "following", "posts",
        "has_profile_pic", "is_private", "is_verified", "external_url",
    )  # fmt: skip
    assert [c.spec.name for c in PROFILE_HEADERS.columns if c.spec.required] == ["username"]
