"""ODK's own XLSForm check, and its messages in HowGood's terms.

After HowGood's converter has read a form, pyxform's public converter
(:func:`pyxform.xls2json.workbook_to_json`) checks it too, the way ODK would.  Its
``[row : N]`` messages become problems on that row of the right sheet (prefixed "ODK's
XLSForm checker reports:"), unless HowGood has already reported a problem on that row.
Column-heading problems found while reading (:class:`~.headers.HeaderError`) are put in
plain words here as well.
"""

from __future__ import annotations

import copy
import re
import warnings
from dataclasses import dataclass
from typing import Any

from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json

from howgood.questionnaires.definition import Problem
from howgood.questionnaires.xlsform.readers import Sheets

__all__ = ["header_problem", "pyxform_check", "pyxform_problem"]

_ROW_PREFIX_RE = re.compile(r"^\[row\s*:\s*(\d+)\]\s*")
_SHEET_IN_MESSAGE_RE = re.compile(r"On the '(\w+)' sheet,?\s*")
# The sheets pyxform's check is given (entities are ignored altogether).
_CHECKED_SHEETS = ("survey", "choices", "settings", "external_choices")


@dataclass
class _Definition:
    """The workbook as pyxform's converter reads it: each sheet's rows (positions matching
    row numbers) and its headings, by attribute."""

    survey: list[dict[str, str]] | None = None
    survey_header: list[dict[str, None]] | None = None
    choices: list[dict[str, str]] | None = None
    choices_header: list[dict[str, None]] | None = None
    settings: list[dict[str, str]] | None = None
    settings_header: list[dict[str, None]] | None = None
    external_choices: list[dict[str, str]] | None = None
    external_choices_header: list[dict[str, None]] | None = None
    entities: list[dict[str, str]] | None = None
    entities_header: list[dict[str, None]] | None = None
    osm: list[dict[str, str]] | None = None
    osm_header: list[dict[str, None]] | None = None
    sheet_names: list[str] | None = None
    fallback_form_name: str | None = None


def pyxform_check(sheets: Sheets, problems: list[Problem]) -> None:
    """Run pyxform's check and add its problems to ``problems`` unless already covered."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook_to_json(workbook_dict=_definition(sheets), warnings=[])
    except PyXFormError as error:
        covered = {(p.sheet, p.row) for p in problems}
        for line in str(error).splitlines():
            problem = pyxform_problem(line)
            if problem is None:
                continue
            if problem.row is None and problems:
                continue
            if (problem.sheet, problem.row) in covered:
                continue
            covered.add((problem.sheet, problem.row))
            problems.append(problem)
    except Exception:  # noqa: S110 - pyxform crashing on odd input is not the user's fault
        pass


def _definition(sheets: Sheets) -> _Definition:
    """The sheets in pyxform's format, padded so list positions match row numbers."""
    values: dict[str, Any] = {}
    for key, sheet in sheets.sheets.items():
        if key not in _CHECKED_SHEETS:
            continue
        header = [h for h in sheet.header if h != "save_to"]
        rows = [
            (number, {k: v for k, v in row.items() if k != "save_to"}) for number, row in sheet.rows
        ]
        if key == "settings":
            padded = [copy.deepcopy(row) for _, row in rows]
        else:
            padded = [{} for _ in range((rows[-1][0] - 1) if rows else 0)]
            for number, row in rows:
                padded[number - 2] = copy.deepcopy(row)
        values[key] = padded
        values[f"{key}_header"] = [dict.fromkeys(header)] if header else []
    values["sheet_names"] = list(sheets.sheet_names)
    return _Definition(**values)


def header_problem(message: str, sheet_name: str) -> str:
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


def pyxform_problem(line: str) -> Problem | None:
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
