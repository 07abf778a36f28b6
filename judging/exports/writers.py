"""The files of an export, written row by row into a file object opened
for binary writing (a temporary file on the worker): CSV (UTF-8 with a byte
order mark, so spreadsheets read the Cyrillic right), XLSX (openpyxl's
write-only mode, constant memory) and ZIP (files copied in chunks).

Every CSV and XLSX cell goes through `cells.row_safe`. No Django here.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from .cells import row_safe

CHUNK = 1024 * 1024


def csv_write(out, *, header: list, rows: Iterable[list]) -> int:
    """Write `header` and `rows` as CSV to the binary file `out`; returns
    the number of rows (the header not counted)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow(row_safe(header))
        count = 0
        for row in rows:
            writer.writerow(row_safe(row))
            count += 1
        text.flush()
    finally:
        text.detach()  # `out` stays open for the caller
    return count


def _xlsx_value(value):
    # Excel has no time zones and refuses control characters.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_write(out, *, header: list, rows: Iterable[list], title: str = "") -> int:
    """Write `header` and `rows` as one XLSX sheet (named `title`) to the
    binary file `out`; returns the number of rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(ILLEGAL_CHARACTERS_RE.sub("", title) or "Sheet")[:31].replace("/", "-"))
    # Safety first, then Excel's own limits: an apostrophe added to a
    # cleaned value still starts the cell.
    sheet.append(row_safe([_xlsx_value(v) for v in header]))
    count = 0
    for row in rows:
        sheet.append(row_safe([_xlsx_value(v) for v in row]))
        count += 1
    book.save(out)
    return count


def zip_write(out, *, members: Iterable[tuple[str, Callable]]) -> int:
    """Write a ZIP to `out` holding, for each (name, opener) of `members`,
    the bytes of the binary file `opener()` returns, copied in chunks.
    Stored, not compressed: the members are images, already compressed.
    Returns the number of members."""
    count = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, opener in members:
            with opener() as source, archive.open(name, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, CHUNK)
            count += 1
    return count
