"""The precision each audit figure is shown at, and how a filter compares a figure at it: the one home.

A brand decides on the figures it reads, so a filter on a figure compares **the figure as shown** with
the bound as given (ADR 0005, point 7): a score shown "80" passes "quality ≥ 80" (stored 79.6), a fake
share shown "12.0 %" passes "fake share ≤ 12 %" (stored 0.12004), whatever the stored decimals.

A figure is shown rounded half away from zero to its ``digits`` (``web/formatting.py``'s rule, read from
the stored float's shortest decimal form, never banker's rounding nor truncation), in its display unit
(``scale``: a share is shown in percent). Since the rounding only ever rises with the stored value, "shown
≥ bound" is "stored ≥ the smallest stored value shown at or above the bound" (``at_least``) and "shown ≤
bound" is "stored < the smallest stored value shown above it" (``above``): search compares the stored
column with these thresholds (its indexes still serve), and Python code (campaign eligibility, the
applicants' filters) with the same thresholds, so that every count agrees to the last bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from microreach.web import formatting


@dataclass(frozen=True)
class ShownFigure:
    """How a stored figure is shown: ``stored × scale`` rounded half up to ``digits`` decimals."""

    name: str
    digits: int
    scale: int = 1

    @property
    def unit(self) -> Decimal:
        """The step between two shown values (1 for a whole score, 0.1 for a percent with one decimal)."""
        return Decimal(1).scaleb(-self.digits)

    @property
    def in_percent(self) -> bool:
        return self.scale == 100


# Every place that shows these figures rounds them so (``engine_text.score_text``, ``percent_text`` with
# these digits): the audit page, the search card, the applicants table, the comparison, the report.
QUALITY_SCORE = ShownFigure("quality_score", digits=0)  # "83"
FAKE_SHARE = ShownFigure("fake_share", digits=1, scale=100)  # "12.0 %"
ENGAGEMENT_RATE = ShownFigure("engagement_rate", digits=2, scale=100)  # "2.61 %"
SPONSORED_SHARE = ShownFigure("sponsored_share", digits=0, scale=100)  # "55 %"
FIGURES = {f.name: f for f in (QUALITY_SCORE, FAKE_SHARE, ENGAGEMENT_RATE, SPONSORED_SHARE)}


def _exact(value: float | int | Decimal) -> Decimal:
    # A float reads as its shortest decimal form (0.1205, not 0.12049999…), as the formatters read it.
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def shown(figure: ShownFigure, value: float | int) -> Decimal:
    """The number a page shows for a stored ``value``, in the display unit: 79.6 → 80, 0.12049 → 12.0."""
    return (_exact(value) * figure.scale).quantize(figure.unit, rounding=ROUND_HALF_UP)


def _first_shown_at_least(figure: ShownFigure, target: Decimal) -> float:
    """The smallest stored float whose shown value is at least ``target`` (a multiple of the unit)."""
    candidate = float((target - figure.unit / 2) / figure.scale)
    # The decimal half-way point is seldom a float: step to the exact float, asking the rounding itself.
    while shown(figure, candidate) < target:
        candidate = math.nextafter(candidate, math.inf)
    while shown(figure, below := math.nextafter(candidate, -math.inf)) >= target:
        candidate = below
    return candidate


def at_least(figure: ShownFigure, bound: float | int | Decimal) -> float:
    """The stored threshold of "shown ≥ ``bound``" (``bound`` in the display unit: 80, 12.5 for 12.5 %):
    ``stored >= at_least(…)`` exactly when the figure as shown is at least ``bound``."""
    lowest = (_exact(bound) / figure.unit).to_integral_value(rounding=ROUND_CEILING) * figure.unit
    return _first_shown_at_least(figure, lowest)


def above(figure: ShownFigure, bound: float | int | Decimal) -> float:
    """The stored threshold of "shown ≤ ``bound``" (in the display unit): ``stored < above(…)`` exactly
    when the figure as shown is at most ``bound``."""
    highest = (_exact(bound) / figure.unit).to_integral_value(rounding=ROUND_FLOOR) * figure.unit
    return _first_shown_at_least(figure, highest + figure.unit)


def bound_of(figure: ShownFigure, stored: float | int) -> Decimal:
    """A bound kept in the stored unit (a campaign's maximum fake share 0.12) in the display unit, as its
    form shows it back (12, to six decimals: the float 0.12 × 100 is 12.000000000000002)."""
    return _exact(round(float(stored) * figure.scale, 6))


def meets_min(figure: ShownFigure, value: float | int, bound: float | int | Decimal) -> bool:
    """Whether a stored ``value`` is shown at least ``bound`` (display unit)."""
    return value >= at_least(figure, bound)


def meets_max(figure: ShownFigure, value: float | int, bound: float | int | Decimal) -> bool:
    """Whether a stored ``value`` is shown at most ``bound`` (display unit)."""
    return value < above(figure, bound)


def bound_text(figure: ShownFigure, bound: float | int | Decimal) -> str:
    """A bound (display unit) written at the figure's precision, or with its own decimals when it has
    more (a bound of 79.4 is never written "79" beside a score shown 79 it refused)."""
    exact = _exact(bound).normalize()
    exponent = exact.as_tuple().exponent
    digits = max(figure.digits, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if figure.in_percent:
        return formatting.percent(exact / 100, min(digits, 6))
    return formatting.number(exact, min(digits, 6))
