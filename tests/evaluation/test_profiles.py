"""``score_profiles_file`` (``microreach audit followers``): one pass over the file in Arrow batches, the
same rows whatever the batch size, CSV or Parquet out, lenient flags parsed as before."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest

from microreach.config.loader import load_fake_model
from microreach.evaluation.profiles import profile_frame_to_columns, score_profiles_file

HEADER = (
    "username,full_name,bio,followers,following,posts,has_profile_pic,is_private,is_verified,external_url\n"
)


@pytest.fixture(scope="module")
def model():
    return load_fake_model()


def _rows(bio_at: int | None, n: int = 12) -> str:
    """``n`` profiles; the bio is filled only in row ``bio_at`` (None: empty in every row)."""
    return "".join(
        f"u{i}_{i * 7},Name {i},{'Coffee' if i == bio_at else ''},{i * 40},{i * 90},{i},true,0,,\n"
        for i in range(n)
    )


def test_a_text_column_filled_only_in_a_later_batch_is_known_in_every_batch(tmp_path, model):
    # given a file whose bio is empty in every row but the eleventh
    src = tmp_path / "in.csv"
    src.write_text(HEADER + _rows(bio_at=10), encoding="utf-8")
    # when it is scored in batches of about 2 rows and in one batch
    small = score_profiles_file(src, tmp_path / "small.csv", None, model=model, batch_rows=2)
    whole = score_profiles_file(src, tmp_path / "whole.csv", None, model=model)
    # then the rows and the summary are the same: an empty bio in the first batches is "no bio" (0)
    assert (tmp_path / "small.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert small == whole
    # (and the difference shows: the same rows with the bio unknown score otherwise)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(HEADER + _rows(bio_at=None), encoding="utf-8")
    score_profiles_file(unknown, tmp_path / "unknown_out.csv", None, model=model)
    first = pl.read_csv(tmp_path / "whole.csv")["fake_probability"].head(10)
    assert first.to_list() != pl.read_csv(tmp_path / "unknown_out.csv")["fake_probability"].head(10).to_list()


def test_a_text_column_empty_in_every_row_is_unknown_as_if_absent(tmp_path, model):
    # given the same profiles with a bio column empty in every row, and without a bio column at all
    blank = tmp_path / "blank.csv"
    blank.write_text(HEADER + _rows(bio_at=None), encoding="utf-8")
    absent = tmp_path / "absent.csv"
    pl.read_csv(blank, infer_schema=False).drop("bio").write_csv(absent)
    # when both are scored in small batches
    score_profiles_file(blank, tmp_path / "blank_out.csv", None, model=model, batch_rows=2)
    score_profiles_file(absent, tmp_path / "absent_out.csv", None, model=model, batch_rows=2)
    # then the empty bio column is unknown: the same probabilities as no bio column
    assert (tmp_path / "blank_out.csv").read_bytes() == (tmp_path / "absent_out.csv").read_bytes()


def test_parquet_out_holds_the_csv_rows_exactly(tmp_path, model):
    # given profiles with a duplicate, a blank username and an '@' handle
    src = tmp_path / "in.csv"
    src.write_text(
        HEADER
        + "@bob_1,Bob,,10,2000,0,false,0,,\n"
        + ",,,5,5,5,true,1,,\n"
        + "@bob_1,Bob,,10,2000,0,false,0,,\n"
        + "=cmd,Eve,Hi,300,200,40,true,0,,https://eve.example\n",
        encoding="utf-8",
    )
    # when it is scored to CSV and to Parquet
    csv_summary = score_profiles_file(src, tmp_path / "out.csv", None, model=model)
    parquet_summary = score_profiles_file(src, tmp_path / "out.parquet", None, model=model)
    # then both hold one row per input row, in order, usernames as read, the same figures
    as_csv = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    as_parquet = pq.read_table(tmp_path / "out.parquet")
    assert as_parquet.column_names == ["username", "fake_probability", "audience_type"]
    assert as_parquet.column("username").to_pylist() == ["@bob_1", None, "@bob_1", "=cmd"]
    assert as_csv["username"].to_list() == ["@bob_1", None, "@bob_1", "=cmd"]
    assert as_parquet.column("fake_probability").to_pylist() == [
        float(v) for v in as_csv["fake_probability"].to_list()
    ]
    assert as_parquet.column("audience_type").to_pylist() == as_csv["audience_type"].to_list()
    assert parquet_summary == csv_summary


def test_flags_are_read_leniently_whatever_their_spelling(tmp_path, model):
    # given one profile written with canonical flags and again with other spellings and an unknown word
    canonical = pl.DataFrame(
        {"username": ["a", "b", "c"], "has_profile_pic": ["1", "0", None], "is_private": ["0", "1", None]}
    )
    spelled = pl.DataFrame(
        {
            "username": ["a", "b", "c"],
            "has_profile_pic": [" TRUE ", "No", "maybe"],
            "is_private": ["f", "Y", ""],
        }
    )
    # when both are read
    plain = profile_frame_to_columns(canonical)
    lenient = profile_frame_to_columns(spelled)
    # then the spellings mean the same; an unknown word is unknown (NaN)
    np.testing.assert_array_equal(lenient.has_profile_pic, plain.has_profile_pic)
    np.testing.assert_array_equal(lenient.is_private, plain.is_private)
    assert plain.has_profile_pic[:2].tolist() == [1.0, 0.0] and np.isnan(plain.has_profile_pic[2])
