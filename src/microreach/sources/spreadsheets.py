"""Text cells of the files people open in a spreadsheet (CSV and XLSX exports): never run as formulas.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets
skip before reading the rest as a formula) would be evaluated when the file is opened: creator-typed
text could then compute, fetch or exfiltrate. So would one where spaces (or other blanks) come first:
some spreadsheets trim them before reading ``  =1+1`` as a formula. Such a cell gets a leading ``'``
(OWASP's advice for CSV injection): the spreadsheet shows the text as written. Every export of user
text goes through here (not `audit followers` output: a data file joined back to its input by username,
written as read).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """``value`` as a cell a spreadsheet will not evaluate: a leading = + - @ tab or CR, or one of them
    after leading blanks (spaces, no-break spaces), gets a quote."""
    return (
        "'" + value
        if value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)
        else value
    )


def safe_cell(value: object) -> object:
    """Any cell value: text is made safe (``safe_text``), numbers, dates and None pass unchanged."""
    return safe_text(value) if isinstance(value, str) else value
