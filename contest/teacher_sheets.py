"""Reading a teacher's class list: a CSV or XLSX spreadsheet, one row per
child, whose columns are named in any of the portal's languages or in
English (`COLUMNS`), and whose rows name the uploaded photos by file name.

Only reading: no models, no saving. `sheet_read` returns the rows as
strings keyed by column (`SheetRow`), with the spreadsheet's line number,
for the row form (`contest.teacher_forms.TeacherRowForm`) to clean."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

# Column key → its heading (what the blank template and the page show).
COLUMNS = {
    "child_first_name": _("First name"),
    "child_last_name": _("Last name"),
    "child_birth_date": _("Date of birth"),
    "title": _("Title of the drawing"),
    "guardian_email": _("Guardian's e-mail"),
    "file": _("Photo file"),
    "consent_file": _("Consent form file"),
}
REQUIRED_COLUMNS = ("child_first_name", "child_last_name", "child_birth_date", "title", "file")
MAX_SHEET_BYTES = 2 * 1024 * 1024


class SheetError(Exception):
    """The spreadsheet cannot be read as a whole: `message` says why, in
    the active language ('unreadable', 'columns', 'too_many' as `code`)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    """One child's row: `line` is its number in the spreadsheet (the
    heading is line 1), `values` the cells by column key, as strings."""

    line: int
    values: dict[str, str]


def _key(text: str) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


def column_aliases() -> dict[str, str]:
    """Normalized heading → column key, for the headings in every language
    of `settings.LANGUAGES` and the keys themselves."""
    aliases = {_key(key): key for key in COLUMNS}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            aliases.update({_key(str(label)): key for key, label in COLUMNS.items()})
    return aliases


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1251")  # Excel's CSV on a Russian-language Windows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise SheetError("unreadable", str(_("The spreadsheet could not be read: send a CSV or XLSX file."))) from None
    try:
        return [[_cell(value) for value in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def sheet_read(*, name: str, content: bytes, max_rows: int) -> list[SheetRow]:
    """The children's rows of a CSV or XLSX file (`name` tells which, by
    its extension; anything else is read as CSV), empty rows skipped.

    Raises `SheetError`: 'unreadable' (not a spreadsheet, over
    `MAX_SHEET_BYTES`), 'columns' (a required column is missing: the
    message names it in the active language), 'too_many' (over `max_rows`
    rows)."""
    if len(content) > MAX_SHEET_BYTES:
        raise SheetError("unreadable", str(_("The spreadsheet is too large.")))
    if name.lower().endswith((".xlsx", ".xlsm")):
        table = _xlsx_rows(content)
    else:
        try:
            table = _csv_rows(content)
        except (UnicodeDecodeError, csv.Error):
            raise SheetError("unreadable", str(_("The spreadsheet could not be read: send a CSV or XLSX file."))) from None
    if not table:
        raise SheetError("columns", str(_("The spreadsheet is empty.")))
    aliases = column_aliases()
    keys = [aliases.get(_key(heading)) for heading in table[0]]
    missing = [str(COLUMNS[key]) for key in REQUIRED_COLUMNS if key not in keys]
    if missing:
        raise SheetError("columns", str(_("The spreadsheet has no column: %(columns)s.")) % {"columns": ", ".join(missing)})
    rows = []
    for line, cells in enumerate(table[1:], start=2):
        values = {key: _cell(cell) for key, cell in zip(keys, cells) if key}
        if any(values.values()):
            rows.append(SheetRow(line=line, values=values))
    if len(rows) > max_rows:
        raise SheetError("too_many", str(_("At most %(n)d children in one batch.")) % {"n": max_rows})
    return rows
