"""Spreadsheet cells that cannot run: the one rule every CSV and XLSX the
portal writes goes through (OWASP "CSV injection").

A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` as a formula
(and a leading tab or carriage return can hide one); a child's title or a
judge's comment is text and must stay text. Such a cell is prefixed with an
apostrophe, which spreadsheets show as text. Only text is changed: numbers,
dates and empty cells are the portal's own values and pass as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value):
    """`value` with a leading apostrophe when it is text starting with one
    of `FORMULA_STARTS`; anything else unchanged.

    >>> cell_safe("=1+1"), cell_safe("Camels"), cell_safe(-2)
    ("'=1+1", 'Camels', -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row_safe(row: Iterable) -> list:
    """Every cell of `row` through `cell_safe`."""
    return [cell_safe(value) for value in row]
