"""Excel workbooks from plain rows, safe to open.

:func:`workbook` writes an "About" sheet (title, partnership, date made, notes) followed
by one sheet per :class:`Sheet`: a bold, shaded, frozen header row with an autofilter,
sensible column widths, numbers as numbers, dates as real Excel dates, and every text
cell (headers and notes included) passed through :func:`howgood.core.exports.safe_cell`,
so nothing a spreadsheet would run as a formula survives. Characters Excel cannot store
(control characters) are removed first.

Pass numbers as ``int``/``float``/``Decimal`` to keep them numeric; text that looks like a
number stays text. Time-zone-aware datetimes are written in the site's time zone (Excel
has none). Cost: about a second per 50,000 cells; build large exports in a background
task.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from howgood.core.exports import safe_cell

__all__ = ["Sheet", "cell_value", "workbook"]

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
HEADER_FILL = PatternFill("solid", start_color="DCE6F0", end_color="DCE6F0")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_MAX_WIDTH = 60
_MIN_WIDTH = 8


@dataclass
class Sheet:
    """One worksheet: a header row and data rows (one value per header).

    ``column_widths`` are in Excel's character units (default: fitted to the content,
    8–60). ``notes`` are listed on the About sheet under this sheet's title (for example
    "Pseudonymous reading IDs only").
    """

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    column_widths: Sequence[int] | None = None
    notes: Sequence[str] = ()


def cell_value(value: Any) -> Any:
    """What is written to a cell: safe text, numbers, naive datetimes or dates, or None.

    - ``None``, NaN and infinities become empty cells;
    - ``bool``, ``int``, ``float`` and ``Decimal`` stay numbers (booleans stay booleans);
    - ``date`` stays a date; an aware ``datetime`` becomes naive local time;
    - anything else becomes text with illegal characters removed, then ``safe_cell``.
    """
    if value is None:
        return None
    if isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return safe_cell(text)


def workbook(
    sheets: Sequence[Sheet],
    *,
    title: str,
    partnership: str,
    notes: Sequence[str] = (),
    made: dt.date | None = None,
) -> bytes:
    """An .xlsx file: an About sheet, then one worksheet per :class:`Sheet`, in order.

    ``notes`` are workbook-wide notes for the About sheet; ``made`` is the date shown as
    "Date made" (default: today in the site's time zone). Sheet titles are made legal
    for Excel (31 characters, no ``[]:*?/\\``) and unique. Raises ``ValueError`` when a
    row's length differs from its header's.
    """
    for sheet in sheets:
        for number, row in enumerate(sheet.rows, start=2):
            if len(row) != len(sheet.header):
                raise ValueError(
                    f"Sheet {sheet.title!r}, row {number}: {len(row)} cells for "
                    f"{len(sheet.header)} columns."
                )

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    used = {"about"}
    names = []
    for sheet in sheets:
        name = _sheet_name(sheet.title, used)
        used.add(name.lower())
        names.append(name)

    _about(about, sheets, names, title, partnership, notes, made or timezone.localdate())
    for sheet, name in zip(sheets, names, strict=True):
        _data_sheet(book.create_sheet(name), sheet)

    book.properties.title = cell_value(title)
    book.properties.creator = cell_value(partnership)
    book.properties.lastModifiedBy = "HowGood"
    book.properties.language = "en-GB"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", ILLEGAL_CHARACTERS_RE.sub("", title)).strip("' ")
    base = (base or "Sheet")[:31]
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    return name


def _about(
    ws: Worksheet,
    sheets: Sequence[Sheet],
    names: Sequence[str],
    title: str,
    partnership: str,
    notes: Sequence[str],
    made: dt.date,
) -> None:
    ws["A1"] = cell_value(title)
    ws["A1"].font = Font(bold=True, size=14)
    rows: list[tuple[str, Any]] = [("Partnership", partnership), ("Date made", made)]
    row = 3
    for label, value in rows:
        ws.cell(row=row, column=1, value=cell_value(label)).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=cell_value(value))
        if isinstance(value, dt.date):
            cell.number_format = "d mmmm yyyy"
            cell.alignment = Alignment(horizontal="left")
        row += 1

    row += 1
    ws.cell(row=row, column=1, value=cell_value("Sheets")).font = Font(bold=True)
    row += 1
    for sheet, name in zip(sheets, names, strict=True):
        ws.cell(row=row, column=1, value=cell_value(name))
        count = len(sheet.rows)
        ws.cell(row=row, column=2, value=cell_value(f"{count:,} row{'s' if count != 1 else ''}"))
        row += 1

    sheet_notes = [
        (name, note) for sheet, name in zip(sheets, names, strict=True) for note in sheet.notes
    ]
    if notes or sheet_notes:
        row += 1
        ws.cell(row=row, column=1, value=cell_value("Notes")).font = Font(bold=True)
        row += 1
        for note in notes:
            ws.cell(row=row, column=1, value=cell_value(note))
            row += 1
        for name, note in sheet_notes:
            ws.cell(row=row, column=1, value=cell_value(name))
            ws.cell(row=row, column=2, value=cell_value(note))
            row += 1
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 80
    for line in ws.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


def _data_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ws.append([cell_value(h) for h in sheet.header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for values in sheet.rows:
        ws.append([cell_value(v) for v in values])
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT

    ws.freeze_panes = "A2"
    if sheet.header:
        last = get_column_letter(len(sheet.header))
        ws.auto_filter.ref = f"A1:{last}{max(1, len(sheet.rows) + 1)}"
    widths = sheet.column_widths or fitted_widths(sheet)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    # Printing: landscape, one page wide, the header row on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def fitted_widths(sheet: Sheet) -> list[int]:
    """Character widths from the longest value per column (first 500 rows), 8 to 60."""
    widths = []
    for j, heading in enumerate(sheet.header):
        longest = len(str(heading)) + 2  # room for the filter button
        for row in sheet.rows[:500]:
            longest = max(longest, _display_length(row[j]))
        widths.append(max(_MIN_WIDTH, min(_MAX_WIDTH, longest + 2)))
    return widths


def _display_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)
