"""Reading an XLSForm file into sheets of (row number, {heading: text}) rows.

* ``.xlsx`` / ``.xlsm``: first checked as a package and streamed once, sheet by sheet,
  through :class:`SheetLimits` (:func:`howgood.core.tables.open_workbook`), then read with
  openpyxl's read-only reader;
* ``.xls``: read with xlrd, and counted through :class:`SheetLimits` as it is read;
* ``.csv``: pyxform's single-CSV layout (the sheet name in the first column, then that
  sheet's headings and rows), or one CSV file per sheet (:func:`load_csv_sheets`), read
  with :mod:`howgood.questionnaires.csvfile`, the reader REDCap dictionaries use too.

Cells become text the way ODK's pyxform makes them text (whole numbers without ``.0``,
``TRUE``/``FALSE``, no-break spaces as spaces, surrounding spaces stripped), and a sheet
ends, as in pyxform, after a run of 20 empty columns or 60 empty rows. Row numbers are the
spreadsheet's (CSV: the line the record starts on). A file that cannot be used at all is
refused with :class:`~howgood.questionnaires.definition.DefinitionError`.
"""

from __future__ import annotations

import datetime
import io
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from howgood.core.tables import TableError, open_workbook
from howgood.questionnaires import csvfile, definition
from howgood.questionnaires.definition import DefinitionError, Problem
from howgood.questionnaires.xlsform.question_types import classify

__all__ = [
    "CORRUPT_WORKBOOK_MESSAGE",
    "MAX_SHEET_ROWS",
    "SHEET_ORDER",
    "Sheet",
    "SheetLimits",
    "Sheets",
    "load",
    "load_csv_sheets",
    "read_bytes",
]

CORRUPT_WORKBOOK_MESSAGE = (
    "This file is not a readable Excel workbook (the file may be damaged). "
    "Save it again from Excel as .xlsx and upload it again."
)
MAX_SHEET_ROWS = 20_000
"""Most rows with something in them on any sheet HowGood reads (the question and choice
limits in :mod:`~howgood.questionnaires.definition` come first on the survey and choices
sheets)."""
SHEET_ORDER = {"file": 0, "settings": 1, "survey": 2, "choices": 3}
"""The order problems are listed in, by sheet."""

_CSV_SHEETS = ("survey", "choices", "settings")
# The sheets read from a workbook (others, such as help sheets, are never opened).
_READ_SHEETS = frozenset({"survey", "choices", "settings", "external_choices", "entities"})
# The sheets pyxform knows: a workbook's only sheet is read as the survey unless it is one.
_XLSFORM_SHEETS = _READ_SHEETS | {"osm"}
_MAX_EMPTY_COLUMNS = 20
_MAX_EMPTY_ROWS = 60
_SAVE_CSV_ADVICE = f"{csvfile.SAVE_AS_UTF8} and upload it again."


@dataclass
class Sheet:
    """One sheet as read: cleaned headers and the non-empty rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class Sheets:
    """The sheets of one XLSForm, by lower-case name, and every sheet name as written."""

    sheets: dict[str, Sheet]
    sheet_names: list[str]
    fallback_title: str


def _refused(message: str, sheet: str = "file", row: int | None = None) -> DefinitionError:
    return DefinitionError([Problem(sheet, row, message)])


class SheetLimits:
    """Counts one sheet's rows as they are read and stops at the first one past a limit:
    a question past ``MAX_ITEMS`` on the survey sheet, a choice past ``MAX_CHOICES`` on
    the choices sheet, a row past :data:`MAX_SHEET_ROWS` (by count, or by its number) on
    any sheet. So a file of 100,000 questions costs what reading its first 2,001 costs."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet.strip().lower()
        self.type_column: int | None = None
        self.header_seen = False
        self.rows = self.questions = 0

    def add(self, number: int, cells: list[str]) -> None:
        """Count a row with something in it (the first is the header)."""
        if not self.header_seen:
            self.header_seen = True
            headings = [" ".join(c.split()).lower() for c in cells]
            self.type_column = headings.index("type") if "type" in headings else None
            return
        self.rows += 1
        where = self.sheet if self.sheet in SHEET_ORDER else "file"
        if self.sheet == "survey" and self.type_column is not None:
            kind_text = cells[self.type_column] if self.type_column < len(cells) else ""
            if classify({"type": kind_text}).kind in ("item", "unsupported"):
                self.questions += 1
                if self.questions > definition.MAX_ITEMS:
                    raise _refused(
                        definition.too_many_items(
                            f"The survey sheet has more than {definition.MAX_ITEMS:,} questions"
                        ),
                        "survey",
                        number,
                    )
        if self.sheet == "choices" and self.rows > definition.MAX_CHOICES:
            raise _refused(
                f"The choices sheet has more than {definition.MAX_CHOICES:,} choices. "
                f"HowGood takes up to {definition.MAX_CHOICES:,} in one "
                "questionnaire: split it into smaller questionnaires.",
                "choices",
                number,
            )
        # A row number past the limit counts too: the rows above it would be padded out.
        if self.rows > MAX_SHEET_ROWS or number > MAX_SHEET_ROWS + 1:
            raise _refused(
                f"The {self.sheet} sheet has more than {MAX_SHEET_ROWS:,} rows, far "
                "more than a questionnaire needs. Delete the rows it does not need.",
                where,
                number,
            )


def read_bytes(data: bytes | BinaryIO | Path) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, Path):
        return data.read_bytes()
    content = data.read()
    return bytes(content)


def load(raw: bytes, filename: str, stem: str) -> Sheets:
    """One uploaded file's sheets; its name's extension and its first bytes say how it is
    read (an ``.xls`` saved with an ``.xlsx`` name still reads)."""
    suffix = Path(filename).suffix.lower()
    if not raw:
        raise _refused("The file is empty. Upload the saved workbook.")
    if raw.startswith(b"PK\x03\x04") or (
        suffix in (".xlsx", ".xlsm") and not raw.startswith(b"\xd0\xcf\x11\xe0")
    ):
        _check_workbook_size(raw)
        return _load_excel(raw, _xlsx_sheets, stem)
    if raw.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        return _load_excel(raw, _xls_sheets, stem)
    if suffix == ".csv":
        text = csvfile.decode(raw, filename, advice=_SAVE_CSV_ADVICE)
        return _load_single_csv(text, stem)
    raise _refused(
        f"HowGood cannot read '{filename}'. Upload the questionnaire as an Excel "
        "workbook (.xlsx or .xls) or as a CSV file."
    )


def load_csv_sheets(files: Mapping[str, bytes]) -> Sheets:
    """An XLSForm supplied as one CSV file per sheet (see
    :func:`~howgood.questionnaires.xlsform.read_xlsform_sheets`)."""
    sheets: dict[str, Sheet] = {}
    names: list[str] = []
    problems: list[Problem] = []
    stem_for_title = ""
    for filename, content in files.items():
        stem = Path(filename).stem.strip().lower()
        sheet_name = next(
            (
                sheet
                for sheet in _CSV_SHEETS
                if stem == sheet or re.search(rf"[_\-\s]{sheet}$", stem)
            ),
            None,
        )
        if sheet_name is None:
            continue
        names.append(sheet_name)
        if sheet_name == "survey":
            stem_for_title = Path(filename).stem
        try:
            text = csvfile.decode(content, filename, advice=_SAVE_CSV_ADVICE)
            sheets[sheet_name] = _csv_sheet(csvfile.records(text), sheet_name)
        except DefinitionError as refused:
            problems.extend(refused.problems)
    if problems:
        raise DefinitionError(problems)
    if "survey" not in sheets:
        given = ", ".join(sorted(files)) or "no files"
        raise _refused(
            "There is no survey sheet. Upload the questionnaire's sheets as CSV "
            f"files named survey.csv, choices.csv and settings.csv (received: {given})."
        )
    return Sheets(sheets=sheets, sheet_names=names, fallback_title=stem_for_title)


# --------------------------------------------------------------------------------------
# Excel workbooks
# --------------------------------------------------------------------------------------


def _check_workbook_size(raw: bytes) -> None:
    """Before the workbook is read: its package within the limits of
    :mod:`howgood.core.tables`, and each sheet that would be read streamed once through
    :class:`SheetLimits`, so an oversized form is refused at its first row too many
    instead of after all of it has been read."""
    if not raw.startswith(b"PK\x03\x04"):
        return  # not a zip at all: the reader says it is damaged
    try:
        with open_workbook(raw) as book:
            names = book.sheet_names
            for name in names:
                if name.strip().lower() not in _READ_SHEETS and len(names) > 1:
                    continue
                limits = SheetLimits(name if len(names) > 1 else "survey")
                for number, cells in book.rows(name):
                    limits.add(number, cells)
    except TableError as error:
        problems = [Problem("file", None, message) for message in error.problems]
        if "not a readable Excel workbook" in error.problems[0]:
            problems = [Problem("file", None, CORRUPT_WORKBOOK_MESSAGE)]
        raise DefinitionError(problems) from None


class _DuplicateHeading(Exception):
    def __init__(self, heading: str) -> None:
        super().__init__(heading)
        self.heading = heading


_SheetData = tuple[list[str], list[dict[str, str]]]
"""A sheet's headings and its rows from row 2 on (empty rows as empty dicts)."""
_BookData = tuple[dict[str, _SheetData], list[str]]
"""The sheets read, by lower-case name, and every sheet's name as written."""


def _load_excel(raw: bytes, reader: Callable[[bytes], _BookData], stem: str) -> Sheets:
    """A workbook's sheets; rows keep their spreadsheet numbers."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book, sheet_names = reader(raw)
    except _DuplicateHeading as duplicate:
        raise _refused(
            f"The column heading '{duplicate.heading}' appears twice in the first row of a "
            "sheet. Rename or delete one of the two columns."
        ) from None
    except Exception:  # any failure inside the zip/OLE readers means an unreadable file
        raise _refused(CORRUPT_WORKBOOK_MESSAGE) from None
    sheets: dict[str, Sheet] = {}
    for key in ("survey", "choices", "settings", "external_choices", "entities"):
        if key not in book:
            continue
        headings, rows = book[key]
        sheet = Sheet(header=headings)
        # Counted again here for .xls workbooks, which have no streaming check before
        # they are read; for .xlsx this pass is cheap and changes nothing.
        limits = SheetLimits(key)
        limits.add(1, headings)
        for index, row in enumerate(rows):
            if row:
                limits.add(index + 2, [row.get(h, "") for h in headings])
                sheet.rows.append((index + 2, row))
        sheets[key] = sheet
    return Sheets(sheets=sheets, sheet_names=sheet_names, fallback_title=stem)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def _headings(first_row: Iterable[Any]) -> list[str | None]:
    """The headings of the first row, in their columns; they end at a run of empty
    columns. _DuplicateHeading when one is repeated."""
    headings: list[str | None] = []
    empty_run = 0
    for value in first_row:
        if _is_empty(value):
            headings.append(None)
            if empty_run == _MAX_EMPTY_COLUMNS:
                break
            empty_run += 1
            continue
        empty_run = 0
        if value in headings:
            raise _DuplicateHeading(str(value))
        headings.append(re.sub(r"( )+", " ", value.strip()))
    return headings[: len(headings) - empty_run] if empty_run else headings


def _rows(
    headings: list[str | None],
    rows: Iterable[Sequence[Any]],
    text: Callable[[Any], str | None],
) -> list[dict[str, str]]:
    """Each row as {heading: text}, ``text`` giving a cell's text (None when it is
    empty); they end at a run of empty rows."""
    columns = [(index, key) for index, key in enumerate(headings) if key is not None]
    result: list[dict[str, str]] = []
    empty_run = 0
    for row in rows:
        cells: dict[str, str] = {}
        for index, key in columns:
            if index < len(row) and (value := text(row[index])) is not None:
                cells[key] = value
        if cells:
            empty_run = 0
        else:
            if empty_run == _MAX_EMPTY_ROWS:
                break
            empty_run += 1
        result.append(cells)
    return result[: len(result) - empty_run] if empty_run else result


def _sheet_key(name: str, count: int) -> str | None:
    key = name.lower()
    if key in _XLSFORM_SHEETS:
        return key
    return "survey" if count == 1 else None


def _xlsx_text(value: Any) -> str | None:
    if _is_empty(value):
        return None
    if isinstance(value, str):
        value = value.strip()
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u00a0", " ")


def _xlsx_sheets(raw: bytes) -> _BookData:
    # Imported here, not at the top: the spreadsheet libraries take seconds to load and
    # only an uploaded workbook needs them.
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        names = list(book.sheetnames)
        result: dict[str, _SheetData] = {}
        for name in names:
            key = _sheet_key(name, len(names))
            if key is None:
                continue
            sheet = book[name]
            headings = _headings(next(sheet.iter_rows(values_only=True), ()))
            rows = sheet.iter_rows(min_row=2, max_col=len(headings), values_only=True)
            result[key] = (
                [h for h in headings if h is not None],
                _rows(headings, rows, _xlsx_text),
            )
        return result, names
    finally:
        book.close()


def _xls_sheets(raw: bytes) -> _BookData:
    # Imported here, not at the top: the spreadsheet libraries take seconds to load and
    # only an uploaded workbook needs them.
    import xlrd

    book = xlrd.open_workbook(file_contents=raw)

    def text(cell: Any) -> str | None:
        value = cell.value
        if _is_empty(value):
            return None
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return "TRUE" if value else "FALSE"
        if cell.ctype == xlrd.XL_CELL_NUMBER:
            whole = int(value)
            return str(whole) if whole == value else str(value)
        if cell.ctype == xlrd.XL_CELL_DATE:
            parts = xlrd.xldate_as_tuple(value, book.datemode)
            if parts[:3] == (0, 0, 0):
                return str(datetime.time(*parts[3:]))
            return str(datetime.datetime(*parts))
        return str(value).strip().replace("\u00a0", " ")

    try:
        names = [sheet.name for sheet in book.sheets()]
        result: dict[str, _SheetData] = {}
        for sheet in book.sheets():
            key = _sheet_key(sheet.name, len(names))
            if key is None:
                continue
            headings = _headings(c.value for c in next(sheet.get_rows(), []))
            rows = ([sheet.cell(r, c) for c in range(len(headings))] for r in range(1, sheet.nrows))
            result[key] = ([h for h in headings if h is not None], _rows(headings, rows, text))
        return result, names
    finally:
        book.release_resources()


# --------------------------------------------------------------------------------------
# CSV files
# --------------------------------------------------------------------------------------


def _clean_cell(value: str) -> str:
    return value.replace("\u00a0", " ").strip()


def _clean_header(value: str) -> str:
    return " ".join(value.replace("\u00a0", " ").split())


def _csv_sheet(records: Iterable[tuple[int, list[str]]], sheet_name: str) -> Sheet:
    """A per-sheet CSV: the first non-empty record is the header."""
    header: list[str] | None = None
    sheet = Sheet(header=[])
    limits = SheetLimits(sheet_name)
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        limits.add(line, cells)
        if header is None:
            header = _csv_header(cells, sheet_name, line)
            sheet.header = [name for name in header if name]
            continue
        sheet.rows.append((line, _csv_row(header, cells)))
    return sheet


def _csv_header(cells: list[str], sheet_name: str, line: int) -> list[str]:
    header = [_clean_header(cell) for cell in cells]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise _refused(
                f"The column heading '{name}' appears twice. Rename or delete one "
                "of the two columns.",
                sheet_name,
                line,
            )
        seen.add(name)
    return header


def _csv_row(header: list[str], cells: list[str]) -> dict[str, str]:
    row: dict[str, str] = {}
    for name, cell in zip(header, cells, strict=False):
        value = _clean_cell(cell)
        if name and value:
            row[name] = value
    return row


def _load_single_csv(text: str, stem: str) -> Sheets:
    """pyxform's single-CSV layout: a sheet name in column 1 starts each sheet."""
    sheets: dict[str, Sheet] = {}
    names: list[str] = []
    current: str | None = None
    header: list[str] | None = None
    limits: dict[str, SheetLimits] = {}
    for line, cells in csvfile.records(text):
        marker = _clean_cell(cells[0]) if cells else ""
        content = cells[1:]
        if marker:
            current = marker.lower()
            names.append(marker)
            header = None
        if current is None or not any(cell.strip() for cell in content):
            continue
        limits.setdefault(current, SheetLimits(current)).add(line, content)
        if header is None:
            header = _csv_header(content, current, line)
            sheets[current] = Sheet(header=[name for name in header if name])
            continue
        sheets[current].rows.append((line, _csv_row(header, content)))
    if "survey" not in sheets:
        raise _refused(
            "This CSV file does not look like an XLSForm. Put 'survey' in the first "
            "column of the first line, the column headings (type, name, label, ...) "
            "on the next line, and one question per line after that, or upload "
            "the workbook as .xlsx."
        )
    return Sheets(sheets=sheets, sheet_names=names, fallback_title=stem)
