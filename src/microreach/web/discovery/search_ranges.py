"""The range filters of a creator search as comparisons of the read model's columns.

A filter on an audit figure compares the figure as the cards show it (``web/shown_figures.py``, ADR 0005
point 7): "quality ≥ 80" keeps a score stored 79.6 and shown 80, "fake share ≤ 12 %" one stored 0.12004
and shown 12.0 %. The bound becomes the stored threshold equivalent at the figure's displayed precision,
and the column is compared as it is, so that its index still serves (a rounded column would not use it).
"""

from __future__ import annotations

from microreach.web import shown_figures
from microreach.web.discovery.schemas import SearchIn

# The range filters on an audit figure: (SearchIn field, the figure, its side).
FIGURE_RANGES = (
    ("engagement_min", shown_figures.ENGAGEMENT_RATE, "min"),
    ("engagement_max", shown_figures.ENGAGEMENT_RATE, "max"),
    ("quality_min", shown_figures.QUALITY_SCORE, "min"),
    ("fake_share_max", shown_figures.FAKE_SHARE, "max"),
    ("sponsored_share_max", shown_figures.SPONSORED_SHARE, "max"),
)


def range_filters(query: SearchIn) -> list[tuple[str, str, str, float | int]]:
    """The range filters set in ``query`` as (SearchIn field, column, operator, value in the column's
    unit). A figure's bound becomes the stored threshold equivalent at its displayed precision
    (``shown_figures.at_least`` / ``above``): the column is compared as it is, so its index still serves."""
    found: list[tuple[str, str, str, float | int]] = []
    if query.followers_min is not None:
        found.append(("followers_min", "followers", ">=", query.followers_min))
    if query.followers_max is not None:
        found.append(("followers_max", "followers", "<=", query.followers_max))
    for name, figure, side in FIGURE_RANGES:
        bound = getattr(query, name)
        if bound is None:
            continue
        if side == "min":
            found.append((name, figure.name, ">=", shown_figures.at_least(figure, bound)))
        else:
            found.append((name, figure.name, "<", shown_figures.above(figure, bound)))
    return found
