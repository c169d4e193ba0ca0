"""Read an uploaded table (CSV or Excel) into rows of text, for the imports.

Every import in HowGood is all-or-nothing with row-numbered problems; this module only
turns the file into text cells (row 1 is the header), or raises ``TableError`` with one
plain message when the file itself cannot be read.

The reading is bounded whatever the file claims about itself: at most ``max_rows`` rows
of data below the header and ``max_columns`` columns (a value beyond either is refused
with its row), the upload size limit, and for workbooks the package limits of
:mod:`howgood.core.packages`. A workbook's ``<dimension>`` tag is never trusted: the
sheet is streamed row by row and only cells that hold something count, so a 1.6 KB file
claiming ``A1:XFD1048576`` costs what its few cells cost. Blank rows and columns are
neither counted nor stored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Final
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import iterparse
from django.conf import settings

from howgood.core.forms import too_large
from howgood.core.packages import DamagedPackage, PackageError, open_package

MAX_ROWS: Final = 10_000
"""Rows of data (below the header) an import reads unless it asks for fewer."""
MAX_COLUMNS: Final = 200
"""Columns an import reads (A to GR)."""
MAX_UNPACKED_BYTES: Final = 50 * 1024 * 1024
"""What a workbook may unpack to in all."""
MAX_SMALL_PART_BYTES: Final = 8 * 1024 * 1024
"""Largest workbook part other than the sheet (shared text, styles), which Excel readers
hold in memory whole."""
MAX_SHEET_ENTRIES: Final = 2_000_000
"""XML elements read from the sheet before giving up (a full 10,000 x 200 table of values
is 4 million; real imports are a few thousand)."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW = f"{_MAIN}row"
_MAX_ROW_ENTRIES = 4 * 16_384  # a value in every one of Excel's columns, with room to spare


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


# Column names that would carry a name or another identifier of a child or family.
FORBIDDEN = {
    "name",
    "names",
    "first_name",
    "firstname",
    "forename",
    "forenames",
    "given_name",
    "surname",
    "last_name",
    "lastname",
    "family_name",
    "full_name",
    "child_name",
    "childs_name",
    "child",
    "parent",
    "parent_name",
    "mother",
    "father",
    "carer",
    "dob",
    "date_of_birth",
    "birth_date",
    "chi",
    "chi_number",
    "nhs_number",
    "address",
    "postcode",
    "post_code",
    "scn",
    "candidate_number",
    "phone",
    "telephone",
    "email",
}
# Compared with every column name written the same way (see identifier_column).
_FORBIDDEN_COMPACT = {name.replace("_", "") for name in FORBIDDEN}
# Refused wherever they appear in a column name: a birth date or a CHI number by any name.
FORBIDDEN_PARTS = ("birth", "chinumber")


def identifier_column(key: str) -> bool:
    """Whether a column (its name as ``header_key`` gives it) would carry a name or another
    identifier of a child or family: HowGood never takes such a column, in any import."""
    compact = key.replace("_", "")
    return compact in _FORBIDDEN_COMPACT or any(part in compact for part in FORBIDDEN_PARTS)


def header_key(text: Any, aliases: dict[str, str] | None = None) -> str:
    """A column heading as a key: lower case, runs of other characters as "_"."""
    key = re.sub(r"[^a-z0-9+]+", "_", str(text or "").strip().lower()).strip("_")
    return (aliases or {}).get(key, key)


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_table(
    data: bytes,
    filename: str,
    *,
    what: str = "the file",
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> list[list[str]]:
    """The first sheet of an .xlsx workbook, or a CSV file (UTF-8, or Windows-1252 as saved
    by older Excel), as rows of text cells. Row i of the list is row i + 1 of the file; a
    row stops at its last cell that holds something. TableError for any other file, one
    that cannot be read, or one with something beyond ``max_rows`` rows of data or
    ``max_columns`` columns."""
    limit = settings.HOWGOOD_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise TableError([too_large(limit)])
    name = filename.lower()
    if name.endswith(".csv"):
        rows = _csv_rows(data)
    elif name.endswith((".xlsx", ".xlsm")):
        rows = _workbook_rows(data)
    else:
        raise TableError([f"Upload {what} as a CSV file (.csv) or an Excel workbook (.xlsx)."])
    return _bounded(rows, what=what, max_rows=max_rows, max_columns=max_columns)


def _bounded(
    rows: Iterator[tuple[int, list[str]]], *, what: str, max_rows: int, max_columns: int
) -> list[list[str]]:
    """Rows with content, placed at their numbers; refused past the limits."""
    table: list[list[str]] = []
    for number, cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if number > max_rows + 1:
            raise TableError(
                [
                    f"Row {number}: {what} has more than {max_rows:,} rows. HowGood takes up "
                    f"to {max_rows:,} rows at a time: split the file and import each part."
                ]
            )
        if len(cells) > max_columns:
            raise TableError(
                [
                    f"Row {number}: there is something in column {column_letter(len(cells))}, "
                    f"but HowGood reads only the first {max_columns} columns (A to "
                    f"{column_letter(max_columns)}). Delete what is beyond them, or copy the "
                    "columns you need into a new sheet."
                ]
            )
        table.extend([] for _ in range(number - 1 - len(table)))
        table.append(cells)
    return table


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise TableError(
                [
                    f"Row {number + 1}: a cell is longer than {csv.field_size_limit():,} "
                    "characters (or a quotation mark is not closed), so the file cannot be "
                    "read. Check the row and upload the file again."
                ]
            ) from None
        number += 1
        yield number, [c.strip() for c in cells]


class Workbook:
    """An .xlsx upload opened for streaming its sheets' rows (see :func:`open_workbook`)."""

    def __init__(self, reader: Any, sheets: list[tuple[str, str]]) -> None:
        self._reader = reader
        self._parts = dict(sheets)
        self.sheet_names: list[str] = [name for name, _ in sheets]

    def rows(self, sheet: int | str = 0) -> Iterator[tuple[int, list[str]]]:
        """(row number, texts up to the last cell holding something) for each row of the
        sheet (by position or name), streamed from its XML so that nothing but the current
        row is held. Its size tag is never read."""
        # Imported here, not at the top: openpyxl takes seconds to load and only reading an
        # uploaded workbook needs it.
        from openpyxl.worksheet._reader import WorkSheetParser

        name = self.sheet_names[sheet] if isinstance(sheet, int) else sheet
        book = self._reader.wb
        try:
            source = self._reader.archive.open(self._parts[name])
        except (KeyError, ValueError, OSError):
            raise _unreadable() from None
        # openpyxl's own cell parser turns each <c> into its value (shared text, numbers,
        # dates by their style), exactly as its read-only worksheets do.
        cells = WorkSheetParser(
            source,
            self._reader.shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        try:
            yield from _stream_rows(source, cells)
        except TableError:
            raise
        except Exception:
            raise _unreadable() from None
        finally:
            source.close()


@contextmanager
def open_workbook(data: bytes) -> Iterator[Workbook]:
    """An .xlsx file opened for reading its sheets row by row, once its package is within
    the limits (:data:`MAX_UNPACKED_BYTES`, :data:`MAX_SMALL_PART_BYTES`). TableError with
    one plain message when it is not.

    openpyxl reads the workbook's list of sheets, its shared text and its styles (parts
    capped at MAX_SMALL_PART_BYTES); its worksheet objects are not made, because making a
    read-only one reads the whole sheet when the sheet has no size tag."""
    # Imported here, not at the top: openpyxl takes seconds to load and only reading an
    # uploaded workbook needs it.
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        package = open_package(data, max_bytes=MAX_UNPACKED_BYTES)
    except DamagedPackage:
        raise _unreadable() from None
    except PackageError as error:
        raise TableError([str(error)]) from None
    for info in package.infolist():
        if "/worksheets/" not in info.filename and info.file_size > MAX_SMALL_PART_BYTES:
            raise TableError(
                [
                    f"This workbook's {info.filename} part is larger than "
                    f"{MAX_SMALL_PART_BYTES // (1024 * 1024)} MB, far larger than an import "
                    "needs. Copy the rows to import into a new workbook, or save it as CSV."
                ]
            )
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            (sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if "worksheet" in rel.Type and rel.target in reader.valid_files
        ]
    except Exception:  # openpyxl raises many types for a damaged file
        raise _unreadable() from None
    try:
        yield Workbook(reader, sheets)
    finally:
        reader.archive.close()


def _workbook_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    with open_workbook(data) as book:
        if not book.sheet_names:
            raise _unreadable()
        yield from book.rows(0)


def _unreadable() -> TableError:
    return TableError(
        [
            "This file is not a readable Excel workbook. Save it again from Excel as .xlsx, "
            "or as CSV, and upload it again."
        ]
    )


def _stream_rows(source: Any, cells: Any) -> Iterator[tuple[int, list[str]]]:
    """(row number, texts) for each <row>. Every element is dropped once read, so memory
    holds one row, and a row may hold no more entries than Excel allows columns."""
    parents: list[Element] = []
    entries = row_entries = 0
    in_row = False
    for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            entries += 1
            if in_row:
                row_entries += 1
            if entries > MAX_SHEET_ENTRIES or row_entries > _MAX_ROW_ENTRIES:
                raise TableError(
                    [
                        "The workbook's sheet holds far more than an import needs. Copy the "
                        "rows to import into a new workbook, or save it as CSV."
                    ]
                )
            if element.tag == _ROW:
                in_row, row_entries = True, 0
            parents.append(element)
            continue
        parents.pop()
        if in_row and element.tag != _ROW:
            continue  # read with its row
        if element.tag == _ROW:
            in_row = False
            number, parsed = cells.parse_row(element)  # numbers rows that do not say theirs
            values: dict[int, str] = {}
            for cell in parsed:
                text = cell_text(cell["value"])
                if text:
                    values[cell["column"]] = text
            if values:  # an empty row (formatting only) has nothing to read
                yield number, [values.get(c, "") for c in range(1, max(values) + 1)]
        element.clear()
        if parents:
            parents[-1].remove(element)


def parse_date(text: str) -> date | None:
    """A date written the ways people write them in Scotland (ISO, or day first)."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:  # ISO, as exports write it: ten times quicker than strptime
            return date.fromisoformat(text)
        except ValueError:
            return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
