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

The package has one module per job:

* :mod:`.readers`: the file into sheets of numbered rows (xlsx, xls, CSV), within the
  limits of :mod:`howgood.core.tables` and :data:`.readers.MAX_SHEET_ROWS`; CSV through
  :mod:`howgood.questionnaires.csvfile`, shared with the REDCap reader;
* :mod:`.headers`: column headings understood the way ODK understands them, so legacy
  spellings (``list name``, ``bind:constraint``, ``caption``, trailing spaces,
  ``label::English (en)`` language columns) work;
* :mod:`.question_types`: the type column (``select one from x``, ``begin group``,
  ``string``, ``int`` ...), matched without regard to case (ODK rejects ``Select one from
  x`` with a capital S; we accept it);
* :mod:`.convert`: the sheets into a FormDef, with every problem;
* :mod:`.errors`: ODK's own check (pyxform's public ``workbook_to_json``), its messages
  reported with the rows it gives unless we already reported a problem on that row.

What HowGood supports, and what it refuses, is described in
:data:`.question_types.SUPPORTED_TYPES_TEXT` and the messages.  In short: text, integer,
decimal, date, select_one, select_multiple and note questions, grouped by
``begin_group``/``end_group`` into sections.  Extra sheets (help sheets, ``entities``,
``external_choices``) and unknown columns are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from howgood.questionnaires.definition import FormDef
from howgood.questionnaires.xlsform.convert import Converter
from howgood.questionnaires.xlsform.readers import load, load_csv_sheets, read_bytes

__all__ = ["read_xlsform", "read_xlsform_sheets"]


def read_xlsform(data: bytes | BinaryIO | Path, filename: str) -> FormDef:
    """Read one XLSForm file and return its questionnaire definition.

    ``data`` is the file's content (bytes, a binary file object, or a path) and
    ``filename`` its name as uploaded; the name's extension says how to read it, although
    the content is sniffed too (an ``.xls`` saved with an ``.xlsx`` name still reads).
    Raises :class:`DefinitionError` with every problem found.
    """
    stem = Path(filename).stem or "questionnaire"
    return Converter(load(read_bytes(data), filename, stem)).convert()


def read_xlsform_sheets(files: Mapping[str, bytes]) -> FormDef:
    """Read an XLSForm supplied as one CSV file per sheet.

    ``files`` maps file names to their bytes.  A file is taken as the ``survey``,
    ``choices`` or ``settings`` sheet when its name (without ``.csv``) is that word or ends
    with it after ``_``, ``-`` or a space (``bw_survey.csv``); other files are ignored.
    Row numbers in problems are CSV line numbers (the header is line 1).
    Raises :class:`DefinitionError` with every problem found.
    """
    return Converter(load_csv_sheets(files)).convert()
