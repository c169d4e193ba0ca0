"""The one CSV reader of the questionnaire imports: XLSForm sheets saved as CSV
(:mod:`howgood.questionnaires.xlsform`) and REDCap data dictionaries
(:mod:`howgood.questionnaires.redcap`).

Both read a file the same way:

* :func:`decode`: UTF-8, with or without a byte-order mark (as Excel's "CSV UTF-8" writes
  it); any other encoding is refused with a plain message saying how to save the file;
* :func:`records`: the CSV records one at a time, each with the line it starts on (line 1
  is the first line of the file; a quoted cell spanning several lines counts them all), so
  a reader can stop at the first record past its limits without reading the rest; a cell
  longer than the ``csv`` module's field limit or an unclosed quotation mark is refused
  with its line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from howgood.questionnaires.definition import DefinitionError, Problem

__all__ = ["SAVE_AS_UTF8", "decode", "records"]

SAVE_AS_UTF8 = "In Excel use File > Save As > 'CSV UTF-8 (Comma delimited)'"
"""How to save a CSV file as UTF-8, for the messages."""


def decode(data: bytes | str, filename: str, *, advice: str) -> str:
    """``data`` as text. A file that is not UTF-8 is refused, with ``advice`` (how to save
    it again) after the reason."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DefinitionError(
            [
                Problem(
                    "file",
                    None,
                    f"'{filename}' is not saved as UTF-8 text, so its letters cannot be read "
                    f"reliably. {advice}",
                )
            ]
        ) from None


def records(text: str, *, sheet: str = "file") -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its cells) for each record of ``text``, one at a time,
    blank records included. A record that cannot be read is refused as a problem on
    ``sheet`` at its line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    previous_end = 0
    try:
        for record in reader:
            yield previous_end + 1, record
            previous_end = reader.line_num
    except csv.Error as error:
        line = reader.line_num or None
        located = bool(Problem(sheet, line, "").location)
        where = "here" if located else f"near line {reader.line_num}"
        raise DefinitionError(
            [
                Problem(
                    sheet,
                    line,
                    f"The CSV file cannot be read {where}: {error}. Check that every "
                    "quotation mark is closed.",
                )
            ]
        ) from None
