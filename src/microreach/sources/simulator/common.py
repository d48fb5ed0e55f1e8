"""Shared pieces of the simulator's chunk generation: the window's constants, column builders and names."""

from __future__ import annotations

import unicodedata

import numpy as np
import polars as pl

from microreach.sources.simulator import vocabulary as words

HISTORY_DAYS = 90


COMMENTED_POSTS = 8  # latest posts per account that get a comment sample


COMMENT_SAMPLE = 10  # organic comments sampled per post at most


SNAPSHOT_POSTS = 3  # latest posts per account with daily metric snapshots


SNAPSHOT_DAYS = 7


NETWORKS = ("instagram", "tiktok", "youtube")


NETWORK_WEIGHTS = (0.55, 0.30, 0.15)


POSTS_PER_WINDOW = {"instagram": 22.0, "tiktok": 34.0, "youtube": 10.0}


MICROSECONDS = 1_000_000


def ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def pick(rng: np.random.Generator, pool: tuple[str, ...], size: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size)]


def utc_series(micros: np.ndarray) -> pl.Series:
    return pl.Series(micros.astype(np.int64)).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")


def string_lists(lists: list[list[str]]) -> pl.Series:
    """A list[str] column built through one joined string per row (polars builds nested Python lists slowly)."""
    joined = pl.Series(["|".join(items) for items in lists], dtype=pl.String)
    return (
        pl.select(
            pl.when(joined == "").then(pl.lit([], dtype=pl.List(pl.String))).otherwise(joined.str.split("|"))
        )
        .to_series()
        .cast(pl.List(pl.String))
    )


def nullable_ints(values: np.ndarray, present: np.ndarray) -> pl.Series:
    return pl.Series(np.round(values).astype(np.int64)).set(pl.Series(~present), None)


def people_handles(rng: np.random.Generator, languages: np.ndarray) -> np.ndarray:
    firsts = np.asarray(
        [ascii_lower(name) for lang in words.FIRST_NAMES for name in words.FIRST_NAMES[lang]], dtype=object
    )
    lasts = np.asarray(
        [ascii_lower(name) for lang in words.LAST_NAMES for name in words.LAST_NAMES[lang]], dtype=object
    )
    n = len(languages)
    first = firsts[rng.integers(0, len(firsts), n)]
    last = lasts[rng.integers(0, len(lasts), n)]
    number = rng.integers(0, 100, n)
    style = rng.integers(0, 3, n)
    return np.asarray(
        [
            f"{a}.{b}" if s == 0 else f"{a}_{b}{k:02d}" if s == 1 else f"{a}{b[:4]}{k}"
            for a, b, k, s in zip(first, last, number, style, strict=True)
        ],
        dtype=object,
    )
