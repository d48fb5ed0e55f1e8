"""web/charts.py: the SVG charts say their texts in the reader's language (dates on the axis, numbers)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import translation

from microreach.web.charts import line_chart


def _axis_dates(svg: str) -> list[str]:
    """The two texts under the x axis (the first and last day), as drawn."""
    return re.findall(r'<text x="[\d.]+" y="212"[^>]*>([^<]*)</text>', svg)


@pytest.mark.parametrize(
    ("language", "expected"), [("en", ["Nov 3", "Nov 20"]), ("fr", ["3 nov.", "20 nov."])]
)
def test_a_line_chart_says_its_first_and_last_day_the_readers_short_way(language, expected):
    # given follower counts from 3 to 20 November 2026
    points = [(date(2026, 11, 3) + timedelta(days=i), 1000.0 + i) for i in range(18)]
    # when the chart is drawn in the reader's language
    with translation.override(language):
        svg = str(line_chart(points=points, title="Followers"))
    # then the axis reads the short dates, never ISO dates
    assert _axis_dates(svg) == expected
    assert "2026-11-03" not in svg


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Dec 20, 2025", "Jan 5, 2026"]), ("fr", ["20 déc. 2025", "5 janv. 2026"])],
)
def test_a_line_chart_across_two_years_gives_each_end_its_year(language, expected):
    # given counts from 20 December 2025 to 5 January 2026
    points = [(date(2025, 12, 20), 10.0), (date(2026, 1, 5), 12.0)]
    # when drawn
    with translation.override(language):
        svg = str(line_chart(points=points, title="Followers"))
    # then each end says its year
    assert _axis_dates(svg) == expected
