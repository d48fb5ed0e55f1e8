"""Profile features for the suspicious-account model, NaN where a field is unknown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from microreach.core.records import FollowerRecord

FloatArray = npt.NDArray[np.float64]

#: Column order of the model's feature matrix.
FEATURE_NAMES: tuple[str, ...] = (
    "log_followers",
    "log_following",
    "log_posts",
    "log_follower_following_ratio",
    "has_profile_pic",
    "is_private",
    "is_verified",
    "bio_length",
    "username_length",
    "username_digit_count",
    "username_digit_share",
    "full_name_length",
    "has_external_url",
    "log_posts_following_ratio",
    "log_posts_followers_ratio",
)

_PSEUDONYM = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True, slots=True)
class ProfileColumns:
    """Raw profile fields as float arrays of equal length; NaN = unknown; booleans as 0.0 / 1.0."""

    followers: FloatArray
    following: FloatArray
    posts: FloatArray
    has_profile_pic: FloatArray
    is_private: FloatArray
    is_verified: FloatArray
    bio_length: FloatArray
    username_length: FloatArray
    username_digit_count: FloatArray
    full_name_length: FloatArray
    has_external_url: FloatArray

    def __len__(self) -> int:
        return int(self.followers.shape[0])


def feature_matrix(*, columns: ProfileColumns) -> FloatArray:
    """Model features (n × 15, float64, NaN = unknown), in ``FEATURE_NAMES`` order.

    Counts enter as log1p(count); ratios are differences of logs: follower / following ratio =
    log1p(followers) − log1p(following), posts / following = log1p(posts) − log1p(following), posts /
    followers = log1p(posts) − log1p(followers) (scale-free: they carry over between populations whose
    typical counts differ); digit share = digits / username length. Negative counts are treated as
    unknown; a ratio is unknown when either count is.
    """
    with np.errstate(invalid="ignore", divide="ignore"):

        def log_count(values: FloatArray) -> FloatArray:
            clean = np.where(values >= 0, values, np.nan)
            return np.log1p(clean)

        lf = log_count(columns.followers)
        lg = log_count(columns.following)
        lp = log_count(columns.posts)
        share = np.where(
            columns.username_length > 0, columns.username_digit_count / columns.username_length, np.nan
        )
        out = np.column_stack(
            [
                lf,
                lg,
                lp,
                lf - lg,
                columns.has_profile_pic,
                columns.is_private,
                columns.is_verified,
                columns.bio_length,
                columns.username_length,
                columns.username_digit_count,
                share,
                columns.full_name_length,
                columns.has_external_url,
                lp - lg,
                lp - lf,
            ]
        )
    return np.asarray(out, dtype=np.float64)


def _opt(value: int | bool | None) -> float:
    return float("nan") if value is None else float(value)


def username_features(*, username: str) -> tuple[float, float]:
    """(length, digit count) of a handle; NaN, NaN for an empty handle or a 32-hex pseudonym."""
    name = username.strip().lstrip("@")
    if not name or _PSEUDONYM.match(name):
        return float("nan"), float("nan")
    return float(len(name)), float(sum(ch.isdigit() for ch in name))


def columns_from_followers(*, followers: Sequence[FollowerRecord]) -> ProfileColumns:
    """Columns from follower records; explicit username fields win over ones derived from the handle."""
    rows: list[tuple[float, ...]] = []
    append = rows.append
    for f in followers:
        if f.username_length is not None:
            ul, ud = float(f.username_length), _opt(f.username_digit_count)
        else:
            ul, ud = username_features(username=f.follower_username)
        append(
            (
                _opt(f.followers),
                _opt(f.following),
                _opt(f.posts),
                _opt(f.has_profile_picture),
                _opt(f.is_private),
                _opt(f.is_verified),
                _opt(f.bio_length),
                ul,
                ud,
                _opt(f.full_name_length),
                _opt(f.has_external_url),
            )
        )
    matrix = np.array(rows, dtype=np.float64).reshape(len(rows), 11).T
    return ProfileColumns(*(np.ascontiguousarray(matrix[i]) for i in range(11)))
