"""Read an uploaded table (CSV or Excel) into rows of text, for the imports.

Every import in HowGood is all-or-nothing with row-numbered problems; this module only
turns the file into text cells (row 1 is the header), or raises ``TableError`` with one
plain message when the file itself cannot be read.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Any


class TableError(Exception):
    """Every problem found, as "Row N: ..." messages (row 1 is the header)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def cell_text(value: Any) -> str:
    """A cell as text: dates as ISO dates, whole floats without ".0", strings stripped."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_key(text: Any, aliases: dict[str, str] | None = None) -> str:
    """A column heading as a key: lower case, runs of other characters as "_"."""
    key = re.sub(r"[^a-z0-9+]+", "_", str(text or "").strip().lower()).strip("_")
    return (aliases or {}).get(key, key)


def read_table(data: bytes, filename: str, *, what: str = "the file") -> list[list[str]]:
    """The first sheet of an .xlsx workbook, or a CSV file (UTF-8, or Windows-1252 as saved
    by older Excel), as rows of text cells. TableError for any other file or one that
    cannot be read."""
    name = filename.lower()
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    if name.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged file
            raise TableError(
                [
                    f"This file is not a readable Excel workbook ({type(error).__name__}). "
                    "Save it again from Excel as .xlsx, or as CSV, and upload it again."
                ]
            ) from None
        sheet = book.worksheets[0]
        return [[cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    raise TableError([f"Upload {what} as a CSV file (.csv) or an Excel workbook (.xlsx)."])


def parse_date(text: str) -> date | None:
    """A date written the ways people write them in Scotland (ISO, or day first)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
