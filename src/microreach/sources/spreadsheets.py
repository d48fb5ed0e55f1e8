"""Text cells of the files people open in a spreadsheet (CSV and XLSX exports): never run as formulas.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets
skip before reading the rest as a formula) would be evaluated when the file is opened: creator-typed
text could then compute, fetch or exfiltrate. Such a cell gets a leading ``'`` (OWASP's advice for CSV
injection): the spreadsheet shows the text as written. Every export of user text goes through here.
"""

from __future__ import annotations

import re

import polars as pl

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_PATTERN = "^[" + re.escape("".join(FORMULA_STARTS)) + "]"


def safe_text(value: str) -> str:
    """``value`` as a cell a spreadsheet will not evaluate: a leading = + - @ tab or CR gets a quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: object) -> object:
    """Any cell value: text is made safe (``safe_text``), numbers, dates and None pass unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def safe_text_expr(column: pl.Expr) -> pl.Expr:
    """``safe_text`` on every value of a text column (polars), for exports written frame by frame."""
    return pl.when(column.str.contains(_FORMULA_START_PATTERN)).then(pl.lit("'") + column).otherwise(column)
