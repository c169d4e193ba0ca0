"""Safe spreadsheet output: every exported cell passes through ``safe_cell``.

Every CSV and Excel file HowGood writes goes through here: ``csv_bytes`` for CSV,
``toolkit.xlsx.workbook`` for report workbooks, and ``safe_row`` for the few exports
that lay out their own sheets (the questionnaire as XLSForm). Nothing else writes a cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
# Characters an .xlsx cell cannot hold (openpyxl refuses them); tab, line feed and carriage
# return are allowed.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_KEPT_AS_THEY_ARE = (bool, int, float, Decimal, dt.date, dt.time, dt.timedelta)


def safe_cell(value: Any) -> Any:
    """Neutralise a value a spreadsheet would run as a formula (CSV/formula injection).

    Text starting with = + - @ tab or carriage return gets a leading apostrophe. Numbers,
    dates and None stay as they are (a negative number is data, not a formula). Anything
    else (a model instance, a lazy translation) is turned into its text first, since a CSV
    writer would print that text unchecked. Characters an .xlsx cell cannot hold are
    dropped.
    """
    if value is None or isinstance(value, _KEPT_AS_THEY_ARE):
        return value
    text = _ILLEGAL.sub("", value if isinstance(value, str) else str(value))
    if text.startswith(_DANGEROUS_START):
        return "'" + text
    return text


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells, each through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV with a UTF-8 byte order mark so Excel reads accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
