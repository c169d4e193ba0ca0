"""Read an XLSForm questionnaire (ODK / KoboToolbox / Ona) into a :class:`FormDef`.

Entry points:

* :func:`read_xlsform` for one uploaded file: ``.xlsx`` (or ``.xlsm``), ``.xls``, or a
  ``.csv`` in pyxform's single-CSV layout (the sheet name in the first column, then that
  sheet's header and rows);
* :func:`read_xlsform_sheets` for a set of per-sheet CSV files (``survey.csv``,
  ``choices.csv`` and optionally ``settings.csv``).

Both return a :class:`~howgood.questionnaires.definition.FormDef` or raise
:class:`~howgood.questionnaires.definition.DefinitionError` listing *every* problem found,
each with its sheet and row and a plain-English reason addressed to the person editing the
spreadsheet.

The workbook is read with pyxform's own readers and header normalisation, so legacy spellings
(``select one from x``, ``begin group``, ``bind:constraint``, ``list name``, ``string``,
``int``, trailing spaces in headers and types, ``label::English (en)`` language columns) are
understood the way ODK understands them.  Question types are matched without regard to case
(ODK rejects ``Select one from x`` with a capital S; we accept it).  pyxform's own validation
(``workbook_to_json``) is also run and its errors are reported with the rows it gives,
unless we already reported a problem on that row.

What HowGood supports, and what it refuses, is described in :data:`SUPPORTED_TYPES_TEXT` and
the module's messages.  In short: text, integer, decimal, date, select_one, select_multiple
and note questions, grouped by ``begin_group``/``end_group`` into sections.  Top-level groups
become sections; nested groups are flattened into their top-level group, their ``relevant``
being AND-ed into each inner item's ``relevant``.  Runs of questions outside any group become
sections of their own, named from the form title.  Metadata rows (start, end, today,
deviceid, ...) are ignored.  Extra sheets (help sheets, ``entities``, ``external_choices``)
and unknown columns are ignored.  Two HowGood columns are read on the survey sheet: ``qi``
(quality indicator numbers such as ``2.1, 5.3``) and ``statement`` (inspection statements
1-4); on a ``begin_group`` row they apply to every question in the group.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO, cast

from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.parsing.expression import is_xml_tag
from pyxform.parsing.sheet_headers import (
    dealias_and_group_headers,
)
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.survey import Survey
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import (
    DefinitionData,
    xls_to_dict,
    xlsx_to_dict,
)

from howgood.core.tables import TableError, open_workbook
from howgood.questionnaires import definition, expressions
from howgood.questionnaires.definition import (
    ChoiceDef,
    DefinitionError,
    FormDef,
    ItemDef,
    Problem,
    SectionDef,
    derive_bounds,
)

__all__ = [
    "CORRUPT_WORKBOOK_MESSAGE",
    "SUPPORTED_TYPES_TEXT",
    "check_expression",
    "read_xlsform",
    "read_xlsform_sheets",
]

CORRUPT_WORKBOOK_MESSAGE = (
    "This file is not a readable Excel workbook (the file may be damaged). "
    "Save it again from Excel as .xlsx and upload it again."
)
SUPPORTED_TYPES_TEXT = (
    "text, integer, decimal, date, select_one, select_multiple and note "
    "(with begin_group and end_group for sections)"
)

# Question types, keyed by the lower-case, single-spaced spelling found in the type column.
_SIMPLE_TYPES: dict[str, str] = {
    **dict.fromkeys(("text", "string", "q string", "add text prompt"), "text"),
    **dict.fromkeys(("integer", "int", "q int", "add integer prompt"), "integer"),
    **dict.fromkeys(("decimal", "q decimal", "add decimal prompt"), "decimal"),
    **dict.fromkeys(("date", "q date", "add date prompt"), "date"),
    **dict.fromkeys(("note", "q note", "add note prompt"), "note"),
}
# Metadata that ODK records without asking anything: ignored silently.
_METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "imei",
        "username",
        "simserial",
        "subscriberid",
        "phonenumber",
        "email",
        "audit",
        "start time",
        "end time",
        "get start time",
        "get end time",
        "get today",
        "device id",
        "get device id",
        "subscriber id",
        "get subscriber id",
        "sim id",
        "get sim id",
        "phone number",
        "get phone number",
        "uri:deviceid",
        "uri:username",
        "uri:simserial",
        "uri:subscriberid",
        "uri:phonenumber",
        "uri:email",
    }
)
_SELECT_ONE_COMMANDS = (
    "add select one prompt using",
    "select one from",
    "select one using",
    "select_one",
    "select one",
    "select1",
    "q select1",
)
_SELECT_MULTIPLE_COMMANDS = (
    "add select multiple prompt using",
    "select all that apply from",
    "select all that apply",
    "select multiple from",
    "select multiple using",
    "select_multiple",
    "select multiple",
    "q select",
)
_UNSUPPORTED_SELECT_COMMANDS = (
    "select_one_from_file",
    "select_multiple_from_file",
    "select one from file",
    "select multiple from file",
    "select_one_external",
    "select one external",
    "rank",
)


def _alternation(commands: Iterable[str]) -> str:
    ordered = sorted(commands, key=len, reverse=True)
    return "|".join(re.escape(command).replace(r"\ ", r"\s+") for command in ordered)


_SELECT_RE = re.compile(
    rf"^(?P<command>{_alternation(_SELECT_ONE_COMMANDS + _SELECT_MULTIPLE_COMMANDS)})"
    rf"(?:\s+(?P<list_name>\S+))?"
    rf"(?:\s+(?P<other>or_other|or\s+specify\s+other|or\s+other))?$",
    re.IGNORECASE,
)
_UNSUPPORTED_SELECT_RE = re.compile(
    rf"^(?P<command>{_alternation(_UNSUPPORTED_SELECT_COMMANDS)})(?:\s+.*)?$", re.IGNORECASE
)
_CONTROL_RE = re.compile(
    r"^(?P<edge>begin|end)[\s_]+(?P<kind>group|repeat|loop|lgroup|looped\s+group)"
    r"(?:\s+.*)?$",
    re.IGNORECASE,
)
_UNSUPPORTED_TYPE_REASONS: dict[str, str] = {
    "calculate": "calculated fields are not supported",
    "hidden": "hidden fields are not supported",
    "acknowledge": "acknowledgement (tick to confirm) questions are not supported",
    "trigger": "acknowledgement (trigger) questions are not supported",
    "range": "range (slider) questions are not supported; use an integer question "
    "with a constraint such as . >= 0 and . <= 10, or a select_one scale",
    "time": "time questions are not supported",
    "datetime": "date-and-time questions are not supported; use a date question",
    "geopoint": "HowGood does not record locations",
    "geotrace": "HowGood does not record locations",
    "geoshape": "HowGood does not record locations",
    "start-geopoint": "HowGood does not record locations",
    "background-geopoint": "HowGood does not record locations",
    "image": "HowGood does not collect photos or images",
    "photo": "HowGood does not collect photos or images",
    "audio": "HowGood does not collect audio recordings",
    "background-audio": "HowGood does not collect audio recordings",
    "video": "HowGood does not collect video",
    "file": "HowGood does not collect uploaded files",
    "barcode": "barcode questions are not supported",
}
_REPEAT_REASON = (
    "repeating groups are not supported. Change 'begin_repeat' to 'begin_group' "
    "(and its 'end_repeat' to 'end_group') if the questions only need asking once"
)
# Columns whose behaviour HowGood cannot reproduce: refused when they hold anything.
_TRUE_VALUES = frozenset({"yes", "true", "true()", "1", "y"})
_FALSE_VALUES = frozenset({"no", "false", "false()", "0", "n", ""})
_EXTRA_COLUMNS = ("reason_required", "guidance_hint")
_QI_COLUMNS = frozenset({"qi", "qis", "quality_indicator", "quality_indicators"})
_STATEMENT_COLUMNS = frozenset({"statement", "statements"})
_QI_RE = re.compile(r"^\d+\.\d+$")
_SPLIT_LIST_RE = re.compile(r"[,;\s]+")
_ROW_PREFIX_RE = re.compile(r"^\[row\s*:\s*(\d+)\]\s*")
_SHEET_IN_MESSAGE_RE = re.compile(r"On the '(\w+)' sheet,?\s*")
_SHEET_ORDER = {"file": 0, "settings": 1, "survey": 2, "choices": 3}
_DEFAULT_LANGUAGE_KEY = "default"
# A lone "." (the current answer) suggests a constraint typed into the wrong column.
_SELF_REFERENCE_RE = re.compile(r"(?:^|[\s(,=<>!])\.(?:$|[\s),=<>!])")
_CSV_SHEETS = ("survey", "choices", "settings")
# The sheets pyxform reads from a workbook (others, such as help sheets, are never opened).
_READ_SHEETS = frozenset({"survey", "choices", "settings", "external_choices", "entities"})

MAX_SHEET_ROWS = 20_000
"""Most rows with something in them on any sheet HowGood reads (the question and choice
limits in :mod:`~howgood.questionnaires.definition` come first on the survey and choices
sheets)."""


# --------------------------------------------------------------------------------------
# Reading the file into sheets of (row number, {header: text}) rows
# --------------------------------------------------------------------------------------


@dataclass
class _Sheet:
    """One sheet as read: cleaned headers and the non-empty rows with their row numbers."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


@dataclass
class _Workbook:
    sheets: dict[str, _Sheet]
    sheet_names: list[str]
    fallback_title: str


class _Refused(Exception):
    """Internal: stop reading because the file itself cannot be used."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


class _SheetLimits:
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
        where = self.sheet if self.sheet in _SHEET_ORDER else "file"
        if self.sheet == "survey" and self.type_column is not None:
            kind_text = cells[self.type_column] if self.type_column < len(cells) else ""
            if _classify({"type": kind_text}).kind in ("item", "unsupported"):
                self.questions += 1
                if self.questions > definition.MAX_ITEMS:
                    raise _Refused(
                        [
                            Problem(
                                "survey",
                                number,
                                definition.too_many_items(
                                    "The survey sheet has more than "
                                    f"{definition.MAX_ITEMS:,} questions"
                                ),
                            )
                        ]
                    )
        if self.sheet == "choices" and self.rows > definition.MAX_CHOICES:
            raise _Refused(
                [
                    Problem(
                        "choices",
                        number,
                        f"The choices sheet has more than {definition.MAX_CHOICES:,} choices. "
                        f"HowGood takes up to {definition.MAX_CHOICES:,} in one "
                        "questionnaire: split it into smaller questionnaires.",
                    )
                ]
            )
        # A row number past the limit counts too: the rows above it would be padded out.
        if self.rows > MAX_SHEET_ROWS or number > MAX_SHEET_ROWS + 1:
            raise _Refused(
                [
                    Problem(
                        where,
                        number,
                        f"The {self.sheet} sheet has more than {MAX_SHEET_ROWS:,} rows, far "
                        "more than a questionnaire needs. Delete the rows it does not need.",
                    )
                ]
            )


def read_xlsform(data: bytes | BinaryIO | Path, filename: str) -> FormDef:
    """Read one XLSForm file and return its questionnaire definition.

    ``data`` is the file's content (bytes, a binary file object, or a path) and
    ``filename`` its name as uploaded; the name's extension says how to read it, although
    the content is sniffed too (an ``.xls`` saved with an ``.xlsx`` name still reads).
    Raises :class:`DefinitionError` with every problem found.
    """
    raw = _read_bytes(data)
    stem = Path(filename).stem or "questionnaire"
    try:
        workbook = _load(raw, filename, stem)
    except _Refused as refused:
        raise DefinitionError(refused.problems) from None
    return _Converter(workbook).convert()


def read_xlsform_sheets(files: Mapping[str, bytes]) -> FormDef:
    """Read an XLSForm supplied as one CSV file per sheet.

    ``files`` maps file names to their bytes.  A file is taken as the ``survey``,
    ``choices`` or ``settings`` sheet when its name (without ``.csv``) is that word or ends
    with it after ``_``, ``-`` or a space (``bw_survey.csv``); other files are ignored.
    Row numbers in problems are CSV line numbers (the header is line 1).
    Raises :class:`DefinitionError` with every problem found.
    """
    sheets: dict[str, _Sheet] = {}
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
            text = _decode_csv(content, filename)
            sheets[sheet_name] = _csv_sheet(_csv_records(text), sheet_name)
        except _Refused as refused:
            problems.extend(refused.problems)
    if problems:
        raise DefinitionError(problems)
    if "survey" not in sheets:
        given = ", ".join(sorted(files)) or "no files"
        raise DefinitionError(
            [
                Problem(
                    "file",
                    None,
                    "There is no survey sheet. Upload the questionnaire's sheets as CSV "
                    f"files named survey.csv, choices.csv and settings.csv (received: {given}).",
                )
            ]
        )
    workbook = _Workbook(sheets=sheets, sheet_names=names, fallback_title=stem_for_title)
    return _Converter(workbook).convert()


def _read_bytes(data: bytes | BinaryIO | Path) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if isinstance(data, Path):
        return data.read_bytes()
    content = data.read()
    return bytes(content)


def _load(raw: bytes, filename: str, stem: str) -> _Workbook:
    suffix = Path(filename).suffix.lower()
    if not raw:
        raise _Refused([Problem("file", None, "The file is empty. Upload the saved workbook.")])
    if raw.startswith(b"PK\x03\x04") or (
        suffix in (".xlsx", ".xlsm") and not raw.startswith(b"\xd0\xcf\x11\xe0")
    ):
        _check_workbook_size(raw)
        return _load_excel(raw, xlsx_to_dict, stem)
    if raw.startswith(b"\xd0\xcf\x11\xe0") or suffix == ".xls":
        return _load_excel(raw, xls_to_dict, stem)
    if suffix == ".csv":
        text = _decode_csv(raw, filename)
        return _load_single_csv(text, stem)
    raise _Refused(
        [
            Problem(
                "file",
                None,
                f"HowGood cannot read '{filename}'. Upload the questionnaire as an Excel "
                "workbook (.xlsx or .xls) or as a CSV file.",
            )
        ]
    )


def _check_workbook_size(raw: bytes) -> None:
    """Before pyxform reads the workbook: its package within the limits of
    :mod:`howgood.core.tables`, and each sheet pyxform would read streamed once through
    :class:`_SheetLimits`, so an oversized form is refused at its first row too many
    instead of after all of it has been read."""
    if not raw.startswith(b"PK\x03\x04"):
        return  # not a zip at all: pyxform's reader says it is damaged
    try:
        with open_workbook(raw) as book:
            names = book.sheet_names
            for name in names:
                if name.strip().lower() not in _READ_SHEETS and len(names) > 1:
                    continue
                limits = _SheetLimits(name if len(names) > 1 else "survey")
                for number, cells in book.rows(name):
                    limits.add(number, cells)
    except TableError as error:
        problems = [Problem("file", None, message) for message in error.problems]
        if "not a readable Excel workbook" in error.problems[0]:
            problems = [Problem("file", None, CORRUPT_WORKBOOK_MESSAGE)]
        raise _Refused(problems) from None


def _load_excel(raw: bytes, reader: Any, stem: str) -> _Workbook:
    """Read an Excel workbook with pyxform's reader; rows keep their spreadsheet numbers."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = cast(dict[str, Any], reader(io.BytesIO(raw)))
    except PyXFormError as error:
        message = str(error)
        if message.startswith("Duplicate column header:"):
            header = message.split(":", 1)[1].strip()
            raise _Refused(
                [
                    Problem(
                        "file",
                        None,
                        f"The column heading '{header}' appears twice in the first row of a "
                        "sheet. Rename or delete one of the two columns.",
                    )
                ]
            ) from None
        raise _Refused([Problem("file", None, CORRUPT_WORKBOOK_MESSAGE)]) from None
    except Exception:  # any failure inside the zip/OLE readers means an unreadable file
        raise _Refused([Problem("file", None, CORRUPT_WORKBOOK_MESSAGE)]) from None
    sheets: dict[str, _Sheet] = {}
    for key in ("survey", "choices", "settings", "external_choices", "entities"):
        rows = book.get(key)
        if rows is None:
            continue
        header_rows = book.get(f"{key}_header") or [{}]
        headings = [str(name) for name in header_rows[0]] if header_rows else []
        sheet = _Sheet(header=headings)
        # Counted again here for .xls workbooks, which have no streaming check before
        # pyxform reads them; for .xlsx this pass is cheap and changes nothing.
        limits = _SheetLimits(key)
        limits.add(1, headings)
        for index, row in enumerate(rows):
            if row:
                texts = {str(k): str(v) for k, v in row.items()}
                limits.add(index + 2, [texts.get(h, "") for h in headings])
                sheet.rows.append((index + 2, texts))
        sheets[key] = sheet
    names = [str(name) for name in book.get("sheet_names", [])]
    return _Workbook(sheets=sheets, sheet_names=names, fallback_title=stem)


def _decode_csv(raw: bytes, filename: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Refused(
            [
                Problem(
                    "file",
                    None,
                    f"'{filename}' is not saved as UTF-8 text, so its letters cannot be read "
                    "reliably. In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)' "
                    "and upload it again.",
                )
            ]
        ) from None


def _clean_cell(value: str) -> str:
    return value.replace("\u00a0", " ").strip()


def _clean_header(value: str) -> str:
    return " ".join(value.replace("\u00a0", " ").split())


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (quoted cells may span several lines),
    one at a time."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for record in reader:
            yield previous_end + 1, record
            previous_end = reader.line_num
    except csv.Error as error:
        raise _Refused(
            [
                Problem(
                    "file",
                    reader.line_num or None,
                    f"The CSV file cannot be read near line {reader.line_num}: {error}. "
                    "Check that every quotation mark is closed.",
                )
            ]
        ) from None


def _csv_sheet(records: Iterable[tuple[int, list[str]]], sheet_name: str) -> _Sheet:
    """A per-sheet CSV: the first non-empty record is the header."""
    header: list[str] | None = None
    sheet = _Sheet(header=[])
    limits = _SheetLimits(sheet_name)
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
            raise _Refused(
                [
                    Problem(
                        sheet_name,
                        line,
                        f"The column heading '{name}' appears twice. Rename or delete one "
                        "of the two columns.",
                    )
                ]
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


def _load_single_csv(text: str, stem: str) -> _Workbook:
    """pyxform's single-CSV layout: a sheet name in column 1 starts each sheet."""
    sheets: dict[str, _Sheet] = {}
    names: list[str] = []
    current: str | None = None
    header: list[str] | None = None
    limits: dict[str, _SheetLimits] = {}
    for line, cells in _csv_records(text):
        marker = _clean_cell(cells[0]) if cells else ""
        content = cells[1:]
        if marker:
            current = marker.lower()
            names.append(marker)
            header = None
        if current is None or not any(cell.strip() for cell in content):
            continue
        limits.setdefault(current, _SheetLimits(current)).add(line, content)
        if header is None:
            header = _csv_header(content, current, line)
            sheets[current] = _Sheet(header=[name for name in header if name])
            continue
        sheets[current].rows.append((line, _csv_row(header, content)))
    if "survey" not in sheets:
        raise _Refused(
            [
                Problem(
                    "file",
                    None,
                    "This CSV file does not look like an XLSForm. Put 'survey' in the first "
                    "column of the first line, the column headings (type, name, label, ...) "
                    "on the next line, and one question per line after that, or upload "
                    "the workbook as .xlsx.",
                )
            ]
        )
    return _Workbook(sheets=sheets, sheet_names=names, fallback_title=stem)


# --------------------------------------------------------------------------------------
# Expressions
# --------------------------------------------------------------------------------------


def check_expression(
    text: str,
    *,
    what: str,
    sheet: str,
    row: int,
    problems: list[Problem],
    known: Mapping[str, str],
    noun: str = "question",
) -> str | None:
    """Parse an expression and check its ``${name}`` references; return normalised text.

    ``what`` names the expression for messages (for example ``"The relevant"``).
    ``known`` maps every name defined in the source to its kind: ``"question"``
    (usable), ``"refused"`` (a row already reported, so no second message),
    ``"metadata"``, ``"group"`` or anything else (reported as not a question).
    Problems are appended to ``problems``; ``None`` is returned when the expression
    cannot be used.  ``noun`` is what the source calls its questions (REDCap: ``"field"``).
    """
    try:
        node = expressions.parse(text)
    except expressions.ExpressionError as error:
        problems.append(
            Problem(
                sheet,
                row,
                f"{what} '{text}' cannot be read: {_expression_error_text(error)}.",
            )
        )
        return None
    usable = True
    for name in sorted(expressions.references(node)):
        kind = known.get(name)
        if kind in ("question", "refused"):
            continue
        usable = False
        if kind == "metadata":
            reason = (
                f"refers to ${{{name}}}, which is a metadata field that HowGood does not "
                "record. Remove that part of the expression"
            )
        elif kind is not None:
            reason = (
                f"refers to ${{{name}}}, which is a {kind}, not a {noun}. Refer to a {noun} instead"
            )
        else:
            reason = (
                f"refers to ${{{name}}}, but there is no {noun} named '{name}'. Check "
                "the spelling (names are case-sensitive)"
            )
        problems.append(Problem(sheet, row, f"{what} '{text}' {reason}."))
    if not usable:
        return None
    return str(expressions.to_text(node))


def _expression_error_text(error: Exception) -> str:
    message = str(error).rstrip(".")
    position = getattr(error, "position", None)
    if isinstance(position, int) and "character" not in message and "position" not in message:
        message = f"{message} (at character {position + 1})"
    return message


def _and_expressions(*parts: str) -> str:
    """AND normalised expressions together (empty parts are skipped)."""
    present = [part for part in parts if part]
    if not present:
        return ""
    if len(present) == 1:
        return present[0]
    combined = " and ".join(f"({part})" for part in present)
    return str(expressions.to_text(expressions.parse(combined)))


# --------------------------------------------------------------------------------------
# Converting sheets into a FormDef
# --------------------------------------------------------------------------------------


@dataclass
class _Group:
    name: str
    kind: str  # "group" or "repeat"
    row: int
    relevant: str
    qi: list[str]
    statements: list[int]
    path: str


@dataclass
class _Classified:
    kind: str  # item | begin | end | metadata | unsupported | blank
    item_type: str = ""
    list_name: str = ""
    control: str = ""  # group / repeat for begin/end
    reason: str = ""


class _Converter:
    """Turns the sheets of one workbook into a FormDef, collecting every problem."""

    def __init__(self, workbook: _Workbook) -> None:
        self.workbook = workbook
        self.problems: list[Problem] = []

    # -- entry --------------------------------------------------------------------

    def convert(self) -> FormDef:
        sheets = self.workbook.sheets
        if "survey" not in sheets:
            self._no_survey_sheet()
        settings = self._settings()
        survey = self._dealias(
            "survey",
            aliases.survey_header,
            set(MultipleChoiceQuestion.get_slot_names()),
            required={"type"},
            strip=True,
        )
        choices_rows = (
            self._dealias("choices", aliases.list_header, set(Option.get_slot_names()))
            if "choices" in sheets
            else []
        )
        if self.problems:
            raise DefinitionError(self._sorted_problems())

        title = settings.get("title") or settings.get("id_string") or self.workbook.fallback_title
        form_id = settings.get("id_string") or _slug(self.workbook.fallback_title) or "form"
        survey_language, default_language = self._choose_language(
            self._languages("survey"), settings.get("default_language", "")
        )
        choice_language, _ = self._choose_language(
            self._languages("choices"),
            survey_language or settings.get("default_language", ""),
        )
        lists = self._choice_lists(choices_rows, choice_language)
        sections, used_lists = self._survey(survey, lists, survey_language, title)
        self._pyxform_check()
        if not self.problems and not any(section.items for section in sections):
            self.problems.append(
                Problem(
                    "survey",
                    None,
                    "The survey sheet has no questions HowGood can use. Add at least one "
                    f"question of a supported type: {SUPPORTED_TYPES_TEXT}.",
                )
            )
        if self.problems:
            raise DefinitionError(self._sorted_problems())
        formdef = FormDef(
            title=title,
            form_id=form_id,
            version=settings.get("version", ""),
            source_format="xlsform",
            default_language=default_language,
            sections=sections,
            choice_lists={name: lists[name] for name in used_lists},
        )
        if problems := definition.size_problems(formdef):
            raise DefinitionError(problems)
        return formdef

    def _no_survey_sheet(self) -> None:
        names = ", ".join(f"'{name}'" for name in self.workbook.sheet_names) or "none"
        raise DefinitionError(
            [
                Problem(
                    "file",
                    None,
                    "This workbook has no sheet named 'survey', so there are no questions "
                    f"to read (its sheets are: {names}). Rename the sheet that lists the "
                    "questions to 'survey'.",
                )
            ]
        )

    def _sorted_problems(self) -> list[Problem]:
        unique: list[Problem] = []
        seen: set[Problem] = set()
        for problem in self.problems:
            if problem not in seen:
                seen.add(problem)
                unique.append(problem)
        return sorted(
            unique,
            key=lambda p: (_SHEET_ORDER.get(p.sheet, 9), p.row if p.row is not None else 0),
        )

    # -- sheets -------------------------------------------------------------------

    def _dealias(
        self,
        sheet_name: str,
        header_aliases: Mapping[str, Any],
        columns: set[str],
        *,
        required: set[str] | None = None,
        strip: bool = False,
    ) -> list[tuple[int, dict[str, Any]]]:
        """Normalise headers the pyxform way; rows keep their numbers."""
        sheet = self.workbook.sheets[sheet_name]
        header = list(sheet.header)
        data_rows = [row for _, row in sheet.rows]
        if sheet_name == "settings" and {"id_string", "form_id"} <= set(header):
            # pyxform does the same: form_id wins over id_string.
            header.remove("id_string")
            data_rows = [{k: v for k, v in row.items() if k != "id_string"} for row in data_rows]
        try:
            result = dealias_and_group_headers(
                sheet_name=sheet_name,
                sheet_data=data_rows,
                sheet_header=[dict.fromkeys(header)] if header else [],
                header_aliases=header_aliases,
                header_columns=columns,
                headers_required=required,
                default_language=_DEFAULT_LANGUAGE_KEY,
                strip_whitespace=strip,
            )
        except PyXFormError as error:
            self.problems.append(Problem(sheet_name, 1, _header_problem(str(error), sheet_name)))
            return []
        data = cast(list[dict[str, Any]], list(result.data))
        return [(number, row) for (number, _), row in zip(sheet.rows, data, strict=True)]

    def _settings(self) -> dict[str, str]:
        if "settings" not in self.workbook.sheets or not self.workbook.sheets["settings"].rows:
            return {}
        rows = self._dealias("settings", aliases.settings_header, set(Survey.get_slot_names()))
        if not rows:
            return {}
        first = rows[0][1]
        return {key: value.strip() for key, value in first.items() if isinstance(value, str)}

    def _languages(self, sheet_name: str) -> list[str]:
        """Label languages in column order; ``default`` stands for an unsuffixed label."""
        sheet = self.workbook.sheets.get(sheet_name)
        if sheet is None:
            return []
        languages: list[str] = []
        use_double_colon = any("::" in header for header in sheet.header)
        for header in sheet.header:
            parts = header.split("::") if use_double_colon else header.split(":")
            base = parts[0].strip().lower()
            if base not in ("label", "caption"):
                continue
            language = parts[1].strip() if len(parts) > 1 else _DEFAULT_LANGUAGE_KEY
            if language not in languages:
                languages.append(language)
        return languages

    @staticmethod
    def _choose_language(languages: list[str], preferred: str) -> tuple[str, str]:
        """Pick the label language: the preferred one, else English, else unsuffixed, else
        the first.  Returns ``(key used in rows, language name to report)``."""
        named = [language for language in languages if language != _DEFAULT_LANGUAGE_KEY]
        if not named:
            return _DEFAULT_LANGUAGE_KEY, preferred
        if preferred:
            for language in named:
                if _same_language(language, preferred):
                    return language, language
        for language in named:
            if _is_english(language):
                return language, language
        if _DEFAULT_LANGUAGE_KEY in languages:
            return _DEFAULT_LANGUAGE_KEY, preferred
        return named[0], named[0]

    # -- choices ------------------------------------------------------------------

    def _choice_lists(
        self, rows: list[tuple[int, dict[str, Any]]], language: str
    ) -> dict[str, list[ChoiceDef]]:
        lists: dict[str, list[ChoiceDef]] = {}
        seen: dict[tuple[str, str], int] = {}
        for row_number, row in rows:
            list_name = _text(row.get("list name"))
            name = _text(row.get("name"))
            if not list_name:
                if name or _pick(row.get("label"), language):
                    self.problems.append(
                        Problem(
                            "choices",
                            row_number,
                            "This choice has no list_name. Fill in the list_name column "
                            "with the name of the list it belongs to.",
                        )
                    )
                continue
            if not name:
                self.problems.append(
                    Problem(
                        "choices",
                        row_number,
                        f"This choice in the list '{list_name}' has no name. Fill in the "
                        "name column with the value to store when it is picked (for "
                        "example 'yes' or '1').",
                    )
                )
                continue
            earlier = seen.get((list_name, name))
            if earlier is not None:
                self.problems.append(
                    Problem(
                        "choices",
                        row_number,
                        f"The choice name '{name}' is used twice in the list '{list_name}' "
                        f"(also on row {earlier}). Give each choice in a list its own name.",
                    )
                )
                continue
            seen[(list_name, name)] = row_number
            label = _pick(row.get("label"), language)
            lists.setdefault(list_name, []).append(ChoiceDef(name, label, row_number))
        for list_name, options in lists.items():
            if len(options) > definition.MAX_CHOICES_PER_LIST:
                self.problems.append(
                    Problem(
                        "choices",
                        options[definition.MAX_CHOICES_PER_LIST].row,
                        definition.too_many_choices(f"The choice list '{list_name}'", len(options)),
                    )
                )
        return lists

    # -- survey -------------------------------------------------------------------

    def _survey(
        self,
        rows: list[tuple[int, dict[str, Any]]],
        lists: dict[str, list[ChoiceDef]],
        language: str,
        title: str,
    ) -> tuple[list[SectionDef], list[str]]:
        rows = [(number, row) for number, row in rows if not _is_disabled(row)]
        classified = [(number, row, _classify(row)) for number, row in rows]
        known = self._known_names(classified)
        section_base = _unique_name(_slug(title) or "questions", known)

        sections: list[SectionDef] = []
        used_lists: list[str] = []
        stack: list[_Group] = []
        loose: SectionDef | None = None  # the section taking questions outside groups
        reported_lists: set[str] = set()
        loose_count = 0

        for number, row, info in classified:
            if info.kind == "blank":
                if _has_content(row):
                    self.problems.append(
                        Problem(
                            "survey",
                            number,
                            f"Row {number} has no type. Fill in the type column (for "
                            "example text, integer or select_one list_name), or delete the "
                            "row if it is not needed.",
                        )
                    )
                continue
            if info.kind == "metadata":
                continue
            if info.kind == "end":
                self._end_group(stack, info, number)
                continue
            if info.kind == "begin":
                if len(stack) >= definition.MAX_GROUP_DEPTH:
                    self.problems.append(
                        Problem(
                            "survey",
                            number,
                            f"This {info.control} is nested {len(stack) + 1} deep. Groups can "
                            f"be nested up to {definition.MAX_GROUP_DEPTH} deep: move it out "
                            "of one of the groups around it.",
                        )
                    )
                group = self._begin_group(row, info, number, stack, known, language)
                if not stack:
                    loose = None
                    sections.append(
                        SectionDef(
                            name=group.name,
                            title=_pick(row.get("label"), language) or group.name,
                            hint=_pick(row.get("hint"), language),
                            relevant=group.relevant,
                            row=number,
                        )
                    )
                    group.relevant = ""  # the section carries it
                stack.append(group)
                continue
            if info.kind == "unsupported":
                self.problems.append(Problem("survey", number, info.reason))
                continue
            item = self._item(row, info, number, stack, known, lists, language, reported_lists)
            if item is None:
                continue
            if item.choice_list and item.choice_list not in used_lists:
                used_lists.append(item.choice_list)
            if stack:
                sections[-1].items.append(item)
            else:
                if loose is None:
                    loose_count += 1
                    name = (
                        section_base
                        if loose_count == 1
                        else _unique_name(f"{section_base}_{loose_count}", known)
                    )
                    loose = SectionDef(name=name, title=title, row=number)
                    sections.append(loose)
                loose.items.append(item)

        for group in stack:
            self.problems.append(
                Problem(
                    "survey",
                    group.row,
                    f"The {group.kind} '{group.name}' starts on this row but never ends. Add "
                    f"a row with type end_{group.kind} after its last question.",
                )
            )
        return [section for section in sections if section.items], used_lists

    def _known_names(
        self, classified: list[tuple[int, dict[str, Any], _Classified]]
    ) -> dict[str, str]:
        """Every name on the survey sheet, with its kind; reports duplicates."""
        known: dict[str, str] = {}
        first_row: dict[str, int] = {}
        for number, row, info in classified:
            if info.kind in ("blank", "end"):
                continue
            name = _text(row.get("name"))
            if not name and info.kind == "item" and info.item_type == "note":
                name = f"generated_note_name_{number}"
                row["name"] = name
            if not name:
                continue
            if name in first_row:
                self.problems.append(
                    Problem(
                        "survey",
                        number,
                        f"The name '{name}' is already used on row {first_row[name]}. Every "
                        "question and group needs its own name, even in different groups: "
                        "rename one of them.",
                    )
                )
                continue
            first_row[name] = number
            kind = {
                "item": "question",
                "metadata": "metadata",
                "begin": "group",
                "unsupported": "refused",
            }[info.kind]
            if info.kind == "begin" and info.control == "repeat":
                kind = "refused"
            known[name] = kind
        return known

    def _begin_group(
        self,
        row: dict[str, Any],
        info: _Classified,
        number: int,
        stack: list[_Group],
        known: Mapping[str, str],
        language: str,
    ) -> _Group:
        name = _text(row.get("name"))
        if info.control == "repeat":
            self.problems.append(
                Problem("survey", number, f"This row starts a repeat: {_REPEAT_REASON}.")
            )
        if not name:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"This {info.control} has no name. Fill in the name column (letters, "
                    "digits and underscores, starting with a letter).",
                )
            )
            name = f"group_row_{number}"
        elif not is_xml_tag(name):
            self._bad_name(name, number)
        if info.control == "group":
            self._unsupported_columns(row, number, group=True)
        relevant = self._expression(
            row, "relevant", number, known, f"The relevant of group '{name}'"
        )
        qi, statements = self._qi_and_statements(row, number)
        parent = stack[-1] if stack else None
        if parent is not None:
            qi = _merge(parent.qi, qi)
            statements = _merge(parent.statements, statements)
            relevant = self._safe_and(parent.relevant, relevant)
        return _Group(
            name=name,
            kind=info.control,
            row=number,
            relevant=relevant,
            qi=qi,
            statements=statements,
            path=f"{parent.path}/{name}" if parent is not None else name,
        )

    def _end_group(self, stack: list[_Group], info: _Classified, number: int) -> None:
        if not stack:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"This end_{info.control} row has no matching begin_{info.control} above "
                    "it. Delete it, or add the missing begin row.",
                )
            )
            return
        group = stack.pop()
        if group.kind != info.control:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"This row ends a {info.control}, but the block open here is the "
                    f"{group.kind} '{group.name}' started on row {group.row}. Use "
                    f"end_{group.kind} instead.",
                )
            )

    def _item(
        self,
        row: dict[str, Any],
        info: _Classified,
        number: int,
        stack: list[_Group],
        known: Mapping[str, str],
        lists: dict[str, list[ChoiceDef]],
        language: str,
        reported_lists: set[str],
    ) -> ItemDef | None:
        before = len(self.problems)
        name = _text(row.get("name"))
        if not name:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    "This question has no name. Fill in the name column with a short, unique "
                    "name (letters, digits and underscores, starting with a letter).",
                )
            )
            name = f"row_{number}"
        elif not is_xml_tag(name):
            self._bad_name(name, number)
        label = _pick(row.get("label"), language)
        if not label:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"The question '{name}' has no label. Fill in the label column with the "
                    "text people will see.",
                )
            )
        self._unsupported_columns(row, number, group=False)
        required = self._required(row, number)
        relevant = self._expression(row, "relevant", number, known, "The relevant")
        constraint = self._expression(row, "constraint", number, known, "The constraint")
        if info.item_type in ("select_one", "select_multiple"):
            self._check_list(info, number, lists, reported_lists)
        qi, statements = self._qi_and_statements(row, number)
        if len(self.problems) > before:
            return None
        group = stack[-1] if stack else None
        extra = {
            key.strip().lower(): value
            for key, raw in row.items()
            if isinstance(key, str)
            and key.strip().lower() in _EXTRA_COLUMNS
            and (value := _pick(raw, language))
        }
        if group is not None and "/" in group.path:
            extra["group"] = group.path.split("/", 1)[1]
        bounds = derive_bounds(constraint, info.item_type, name)
        return ItemDef(
            name=name,
            type=info.item_type,
            label=label,
            hint=_pick(row.get("hint"), language),
            required=required and info.item_type != "note",
            required_message=_pick(_bind(row, "jr:requiredMsg"), language),
            relevant=self._safe_and(group.relevant if group else "", relevant),
            constraint=constraint,
            constraint_message=_pick(_bind(row, "jr:constraintMsg"), language),
            appearance=_text(_control(row, "appearance")),
            choice_list=info.list_name,
            qi=_merge(group.qi, qi) if group else qi,
            statements=_merge(group.statements, statements) if group else statements,
            row=number,
            extra=extra,
            min_value=bounds.min_value,
            max_value=bounds.max_value,
            min_length=bounds.min_length,
            max_length=bounds.max_length,
        )

    def _bad_name(self, name: str, number: int) -> None:
        self.problems.append(
            Problem(
                "survey",
                number,
                f"The name '{name}' cannot be used. Names must start with a letter or "
                "underscore and contain only letters, digits, underscores, hyphens or full "
                "stops (no spaces).",
            )
        )

    def _check_list(
        self,
        info: _Classified,
        number: int,
        lists: dict[str, list[ChoiceDef]],
        reported_lists: set[str],
    ) -> None:
        choices = lists.get(info.list_name)
        if not choices:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"The choice list '{info.list_name}' has no choices on the choices "
                    "sheet. Add its choices there (list_name, name and label), or correct "
                    "the list name after the type.",
                )
            )
            return
        if info.list_name in reported_lists:
            return
        reported_lists.add(info.list_name)
        for choice in choices:
            if not choice.label:
                self.problems.append(
                    Problem(
                        "choices",
                        choice.row,
                        f"The choice '{choice.name}' in the list '{info.list_name}' has no "
                        "label. Fill in the label column with the text people will see.",
                    )
                )
        if info.item_type == "select_multiple":
            for choice in choices:
                if any(char.isspace() for char in choice.name):
                    self.problems.append(
                        Problem(
                            "choices",
                            choice.row,
                            f"The choice name '{choice.name}' contains a space, which is "
                            f"not allowed in a list used by a select_multiple question "
                            f"('{info.list_name}'). Use underscores instead of spaces.",
                        )
                    )

    def _required(self, row: dict[str, Any], number: int) -> bool:
        value = _text(_bind(row, "required"))
        lowered = value.lower()
        if lowered in _TRUE_VALUES:
            return True
        if lowered in _FALSE_VALUES:
            return False
        self.problems.append(
            Problem(
                "survey",
                number,
                f"The required column says '{value}'. Write yes or no: questions that are "
                "required only in some cases are not supported (use yes together with a "
                "relevant instead).",
            )
        )
        return False

    def _expression(
        self,
        row: dict[str, Any],
        column: str,
        number: int,
        known: Mapping[str, str],
        what: str,
    ) -> str:
        text = _text(_bind(row, column))
        if not text:
            return ""
        result = check_expression(
            text, what=what, sheet="survey", row=number, problems=self.problems, known=known
        )
        return result or ""

    def _safe_and(self, first: str, second: str) -> str:
        try:
            return _and_expressions(first, second)
        except expressions.ExpressionError:  # pragma: no cover - both parts already parse
            return second or first

    def _unsupported_columns(self, row: dict[str, Any], number: int, *, group: bool) -> None:
        checks: list[tuple[str, str, str]] = [
            ("repeat_count", _text(_control(row, "jr:count")), "repeats are not supported"),
            ("calculation", _text(_bind(row, "calculate")), "calculations are not supported"),
            ("default", _text(row.get("default")), "default answers are not supported"),
        ]
        if not group:
            checks.append(
                (
                    "choice_filter",
                    _text(row.get("choice_filter")),
                    "choices cannot be filtered by earlier answers",
                )
            )
        read_only = _text(_bind(row, "readonly"))
        if read_only.lower() not in _FALSE_VALUES:
            checks.append(("read_only", read_only, "read-only questions are not supported"))
        for column, value, reason in checks:
            if not value:
                continue
            message = (
                f"The {column} column is not supported ({reason}), but this row has "
                f"'{value}' in it. Clear that cell."
            )
            if column == "choice_filter" and _SELF_REFERENCE_RE.search(value):
                message = (
                    f"The choice_filter column is not supported ({reason}), but this row has "
                    f"'{value}' in it, which looks like a constraint typed into the wrong "
                    "column. Move it to the constraint column (check that the columns of "
                    "this row line up with the headings)."
                )
                try:
                    expressions.parse(value)
                except expressions.ExpressionError as error:
                    message += (
                        " It would not work there as written either: "
                        f"{_expression_error_text(error)}."
                    )
            self.problems.append(Problem("survey", number, message))

    def _qi_and_statements(self, row: dict[str, Any], number: int) -> tuple[list[str], list[int]]:
        qi: list[str] = []
        statements: list[int] = []
        for key, value in row.items():
            column = key.strip().lower() if isinstance(key, str) else ""
            if not isinstance(value, str) or not value.strip():
                continue
            if column in _QI_COLUMNS:
                for token in _tokens(value):
                    if _QI_RE.match(token):
                        if token not in qi:
                            qi.append(token)
                    else:
                        self.problems.append(
                            Problem(
                                "survey",
                                number,
                                f"The qi column has '{token}', which is not a quality "
                                "indicator number. Write quality indicators as numbers such "
                                "as 2.1 or 5.3, separated by commas.",
                            )
                        )
            elif column in _STATEMENT_COLUMNS:
                for token in _tokens(value):
                    if token.isdigit() and 1 <= int(token) <= 4:
                        if int(token) not in statements:
                            statements.append(int(token))
                    else:
                        self.problems.append(
                            Problem(
                                "survey",
                                number,
                                f"The statement column has '{token}', which is not an "
                                "inspection statement number. Use whole numbers from 1 to 4, "
                                "separated by commas.",
                            )
                        )
        return qi, statements

    # -- pyxform's own checks -----------------------------------------------------

    def _pyxform_check(self) -> None:
        """Run pyxform's validation and report its error unless already covered."""
        data = self._definition_data()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                workbook_to_json(workbook_dict=data, warnings=[])
        except PyXFormError as error:
            covered = {(p.sheet, p.row) for p in self.problems}
            for line in str(error).splitlines():
                problem = _pyxform_problem(line)
                if problem is None:
                    continue
                if problem.row is None and self.problems:
                    continue
                if (problem.sheet, problem.row) in covered:
                    continue
                covered.add((problem.sheet, problem.row))
                self.problems.append(problem)
        except Exception:  # noqa: S110 - pyxform crashing on odd input is not the user's fault
            pass

    def _definition_data(self) -> Any:
        """The sheets in pyxform's format, padded so list positions match row numbers."""
        values: dict[str, Any] = {}
        allowed = {f.name for f in fields(DefinitionData)}
        for key, sheet in self.workbook.sheets.items():
            if key == "entities" or key not in allowed:
                continue  # entities are ignored altogether
            header = [h for h in sheet.header if h != "save_to"]
            rows = [
                (number, {k: v for k, v in row.items() if k != "save_to"})
                for number, row in sheet.rows
            ]
            if key == "settings":
                padded = [copy.deepcopy(row) for _, row in rows]
            else:
                padded = [{} for _ in range((rows[-1][0] - 1) if rows else 0)]
                for number, row in rows:
                    padded[number - 2] = copy.deepcopy(row)
            values[key] = padded
            values[f"{key}_header"] = [dict.fromkeys(header)] if header else []
        values["sheet_names"] = list(self.workbook.sheet_names)
        return DefinitionData(**values)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _classify(row: Mapping[str, Any]) -> _Classified:
    raw = _text(row.get("type"))
    if not raw:
        return _Classified(kind="blank")
    spaced = " ".join(raw.split())
    lowered = spaced.lower()
    if lowered in _SIMPLE_TYPES:
        return _Classified(kind="item", item_type=_SIMPLE_TYPES[lowered])
    if lowered in _METADATA_TYPES:
        return _Classified(kind="metadata")
    if match := _CONTROL_RE.match(spaced):
        kind = match.group("kind").lower()
        control = "group" if kind == "group" else "repeat"
        return _Classified(kind=match.group("edge").lower(), control=control)
    if match := _UNSUPPORTED_SELECT_RE.match(spaced):
        command = match.group("command").lower()
        reason = (
            "ranking questions are not supported"
            if command == "rank"
            else "choices from a file or an external list are not supported; put the "
            "choices on the choices sheet and use select_one or select_multiple"
        )
        return _unsupported(raw, reason)
    if match := _SELECT_RE.match(spaced):
        command = " ".join(match.group("command").lower().split())
        item_type = "select_one" if command in _SELECT_ONE_COMMANDS else "select_multiple"
        list_name = match.group("list_name") or ""
        if not list_name:
            return _Classified(
                kind="unsupported",
                reason=f"The type '{raw}' needs the name of a choice list after it, for "
                f"example '{item_type} yes_no'.",
            )
        if list_name.startswith("${") or Path(list_name).suffix.lower() in (
            ".csv",
            ".xml",
            ".geojson",
        ):
            return _unsupported(raw, "choices must come from a list on the choices sheet")
        if match.group("other"):
            return _Classified(
                kind="unsupported",
                reason=f"The type '{raw}' uses 'or_other', which is not supported. Remove "
                "'or_other', add an 'other' choice to the list, and add a text question "
                f"with a relevant such as selected(${{name}}, 'other') to ask for details.",
            )
        return _Classified(kind="item", item_type=item_type, list_name=list_name)
    reason = _UNSUPPORTED_TYPE_REASONS.get(lowered.split(" ")[0], "")
    return _unsupported(raw, reason)


def _unsupported(raw: str, reason: str) -> _Classified:
    because = f" ({reason})" if reason else ""
    return _Classified(
        kind="unsupported",
        reason=f"The question type '{raw}' is not supported{because}. HowGood questionnaires "
        f"can use: {SUPPORTED_TYPES_TEXT}. Change the type or delete the row.",
    )


def _header_problem(message: str, sheet_name: str) -> str:
    lowered = message.lower()
    missing = "missing" in lowered or "not found" in lowered
    if missing and "'type'" in message:
        return (
            "The survey sheet has no 'type' column. The first row must hold the column "
            "headings type, name and label."
        )
    if missing and "'name'" in message:
        return (
            f"The {sheet_name} sheet has no 'name' column. The first row must hold the "
            "column headings list_name, name and label."
        )
    return f"The column headings of the {sheet_name} sheet cannot be used: {message}"


def _pyxform_problem(line: str) -> Problem | None:
    text = line.strip()
    if not text:
        return None
    row: int | None = None
    if match := _ROW_PREFIX_RE.match(text):
        row = int(match.group(1))
        text = text[match.end() :]
    sheet = "survey" if row is not None else "file"
    if match := _SHEET_IN_MESSAGE_RE.search(text):
        sheet = match.group(1).lower()
        text = (text[: match.start()] + text[match.end() :]).strip()
        text = text[:1].upper() + text[1:]
    return Problem(sheet, row, f"ODK's XLSForm checker reports: {text}")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return ""


def _pick(value: Any, language: str) -> str:
    """The text for ``language`` from a plain or per-language cell value."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in (language, _DEFAULT_LANGUAGE_KEY):
            text = value.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
        for text in value.values():
            if isinstance(text, str) and text.strip():
                return text.strip()
    return ""


def _bind(row: Mapping[str, Any], key: str) -> Any:
    bind = row.get("bind")
    return bind.get(key) if isinstance(bind, dict) else None


def _control(row: Mapping[str, Any], key: str) -> Any:
    control = row.get("control")
    return control.get(key) if isinstance(control, dict) else None


def _is_disabled(row: Mapping[str, Any]) -> bool:
    return _text(row.get("disabled")).lower() in _TRUE_VALUES


def _has_content(row: Mapping[str, Any]) -> bool:
    for value in row.values():
        if isinstance(value, dict):
            if _has_content(value):
                return True
        elif isinstance(value, str) and value.strip():
            return True
    return False


def _tokens(value: str) -> list[str]:
    return [token for token in _SPLIT_LIST_RE.split(value.strip()) if token]


def _merge(first: list[Any], second: list[Any]) -> list[Any]:
    merged = list(first)
    merged.extend(value for value in second if value not in merged)
    return merged


def _language_parts(language: str) -> tuple[str, str]:
    text = language.strip().lower()
    if match := re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", text):
        return match.group(1).strip(), match.group(2).strip()
    return text, ""


def _same_language(first: str, second: str) -> bool:
    name_a, code_a = _language_parts(first)
    name_b, code_b = _language_parts(second)
    if name_a and name_a == name_b:
        return True
    return bool(code_a and code_a == code_b)


def _is_english(language: str) -> bool:
    name, code = _language_parts(language)
    return name in ("english", "en") or code == "en"


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_").lower()
    if slug and slug[0].isdigit():
        slug = f"s_{slug}"
    return slug


def _unique_name(base: str, taken: Mapping[str, str]) -> str:
    name = base
    counter = 1
    while name in taken:
        counter += 1
        name = f"{base}_{counter}"
    return name
