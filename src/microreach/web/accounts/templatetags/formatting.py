"""``{% load formatting %}``: the filters of ``microreach.web.formatting`` (numbers, money, percentages and
dates in the reader's language), registered once there; this module only makes the library loadable."""

from __future__ import annotations

from microreach.web.formatting import register

__all__ = ["register"]
