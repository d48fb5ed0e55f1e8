"""The import format's columns are the fields of core.records, and the documentation covers them all."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from microreach.core.records import RECORD_TYPES
from microreach.sources import validate_file
from microreach.sources.columns import RECORD_COLUMNS

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
