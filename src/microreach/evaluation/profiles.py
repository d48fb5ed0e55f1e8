"""Score a profile file (CSV / Parquet) in bulk: streaming with polars, vectorised model inference."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from microreach.core.authenticity import AUDIENCE_TYPES, FakeShareSettings, score_profiles, summarise_audience
from microreach.core.evidence import to_jsonable
from microreach.core.profiles import ProfileColumns
from microreach.core.suspicious import FakeModel

PROFILE_COLUMNS = (
    "username",
    "full_name",
    "bio",
    "followers",
    "following",
    "posts",
    "has_profile_pic",
    "is_private",
    "is_verified",
    "external_url",
)
_TRUE = ("true", "1", "yes", "t", "y")
_FALSE = ("false", "0", "no", "f", "n")


def _bool(name: str, schema: dict[str, Any]) -> pl.Expr:
    if name not in schema:
        return pl.lit(None, dtype=pl.Float64)
    text = pl.col(name).cast(pl.Utf8).str.strip_chars().str.to_lowercase()
    return (
        pl.when(text.is_in(_TRUE))
        .then(1.0)
        .when(text.is_in(_FALSE))
        .then(0.0)
        .otherwise(None)
        .cast(pl.Float64)
    )


def _count(name: str, schema: dict[str, Any]) -> pl.Expr:
    if name not in schema:
        return pl.lit(None, dtype=pl.Float64)
    return pl.col(name).cast(pl.Utf8).str.strip_chars().cast(pl.Float64, strict=False)


def _length(name: str, schema: dict[str, Any]) -> pl.Expr:
    if name not in schema:
        return pl.lit(None, dtype=pl.Float64)
    return pl.col(name).cast(pl.Utf8).str.len_chars().cast(pl.Float64)


def profile_frame_to_columns(frame: pl.DataFrame) -> ProfileColumns:
    """Normalise a frame of the documented profile format (any column but ``username`` may be absent;
    empty = unknown) into model columns. Usernames give length and digit count."""
    schema = dict(frame.schema)
    username = pl.col("username").cast(pl.Utf8).str.strip_chars().str.strip_chars_start("@")
    url = (
        pl.when(pl.col("external_url").cast(pl.Utf8).str.strip_chars().str.len_chars() > 0)
        .then(1.0)
        .otherwise(0.0)
        if "external_url" in schema
        else pl.lit(None, dtype=pl.Float64)
    )
    out = frame.select(
        _count("followers", schema).alias("followers"),
        _count("following", schema).alias("following"),
        _count("posts", schema).alias("posts"),
        _bool("has_profile_pic", schema).alias("has_profile_pic"),
        _bool("is_private", schema).alias("is_private"),
        _bool("is_verified", schema).alias("is_verified"),
        (_length("bio", schema).fill_null(0.0) if "bio" in schema else pl.lit(None, dtype=pl.Float64)).alias(
            "bio_length"
        ),
        pl.when(username.str.len_chars() > 0)
        .then(username.str.len_chars())
        .otherwise(None)
        .cast(pl.Float64)
        .alias("username_length"),
        pl.when(username.str.len_chars() > 0)
        .then(username.str.count_matches(r"\d"))
        .otherwise(None)
        .cast(pl.Float64)
        .alias("username_digit_count"),
        (
            _length("full_name", schema).fill_null(0.0)
            if "full_name" in schema
            else pl.lit(None, dtype=pl.Float64)
        ).alias("full_name_length"),
        url.alias("has_external_url"),
    )
    return ProfileColumns(*(out.get_column(c).to_numpy().astype(np.float64, copy=False) for c in out.columns))


def _batches(path: Path, batch_rows: int) -> Iterator[pl.DataFrame]:
    """The file in slices of about ``batch_rows`` rows, every column as text (CSV) or as stored (Parquet)."""
    if path.suffix.lower() == ".parquet":
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows):
            yield cast(pl.DataFrame, pl.from_arrow(batch))
        return
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(block_size=64 * batch_rows),
        convert_options=pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in header}, strings_can_be_null=True
        ),
    )
    for batch in reader:
        yield cast(pl.DataFrame, pl.from_arrow(batch))


def score_profiles_file(
    in_path: Path,
    out_path: Path,
    summary_path: Path | None,
    *,
    model: FakeModel,
    settings: FakeShareSettings | None = None,
    batch_rows: int = 100_000,
) -> dict[str, Any]:
    """Write ``username, fake_probability, audience_type`` per input row and return (and optionally write)
    the summary: fake share with its interval, reachability, audience types. Streams ``batch_rows`` rows
    at a time, so memory stays flat apart from 17 bytes per profile kept for the summary."""
    probabilities = []
    codes = []
    following = []
    names = np.array(AUDIENCE_TYPES)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with out_path.open("w", encoding="utf-8", newline="") as sink:
        sink.write("username,fake_probability,audience_type\n")
        for chunk in _batches(in_path, batch_rows):
            if "username" not in chunk.columns:
                raise ValueError(f"{in_path}: a 'username' column is required")
            columns = profile_frame_to_columns(chunk)
            p, c = score_profiles(model=model, columns=columns)
            pl.DataFrame(
                {
                    "username": chunk.get_column("username").cast(pl.Utf8),
                    "fake_probability": np.round(p, 4),
                    "audience_type": names[c.astype(np.int64)] if c.size else np.array([], dtype=str),
                }
            ).write_csv(sink, include_header=False)
            probabilities.append(p)
            codes.append(c)
            following.append(columns.following)
    proba = np.concatenate(probabilities) if probabilities else np.zeros(0)
    code = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int8)
    result = summarise_audience(
        codes=code,
        probabilities=proba,
        following=np.concatenate(following) if following else np.zeros(0),
        model=model,
        settings=settings or FakeShareSettings(),
    )
    summary: dict[str, Any] = {
        "profiles": result.sample_size,
        "fake_share": result.fake_share.corrected_share,
        "fake_share_interval": [result.fake_share.low, result.fake_share.high],
        "interval_level": result.fake_share.level,
        "apparent_fake_share": result.fake_share.apparent_share,
        "reachability": result.reachability,
        "audience_types": dict(result.type_shares),
        "model_version": model.errors.model_version,
        "evidence": to_jsonable(result.fake_share.evidence),
        "notes": [note.text for note in result.evidence.notes],
    }
    if summary_path is not None:
        summary_path.write_text(json.dumps(to_jsonable(summary), indent=2), encoding="utf-8")
    return summary
