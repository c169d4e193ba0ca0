"""Read a case list (CSV or Excel) into validated rows, or every problem with its row.

The columns are those of a pre-inspection return, pseudonymised: the local record
reference, category, age band, sex, the agencies holding records, and optional key dates
(any column whose name starts with ``date``). Columns that would carry a name or another
identifier are refused outright: HowGood never takes them. Column names are compared
without case, spaces, underscores, hyphens or dots, so "dateofbirth", "Date-Of-Birth" and
"D.O.B." are refused like "date_of_birth", and any column about a birth is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from howgood.core.tables import TableError, header_key, identifier_column, parse_date, read_table

REQUIRED = ("reference", "category", "age_band", "sex")
HEADER_ALIASES = {
    "local_reference": "reference",
    "record_reference": "reference",
    "ref": "reference",
    "case_reference": "reference",
    "reference_number": "reference",
    "local_record_reference": "reference",
    "age": "age_band",
    "ageband": "age_band",
    "gender": "sex",
    "agencies_holding_records": "agencies",
    "records_held_by": "agencies",
}
CATEGORY_WORDS = {
    "investigated_not_registered": "investigated_not_registered",
    "investigated not registered": "investigated_not_registered",
    "investigated, not registered": "investigated_not_registered",
    "investigated": "investigated_not_registered",
    "not registered": "investigated_not_registered",
    "registered": "registered",
    "on the register": "registered",
    "cp register": "registered",
    "vulnerable_young_person": "vulnerable_young_person",
    "vulnerable young person": "vulnerable_young_person",
    "vyp": "vulnerable_young_person",
    "care_and_risk_management": "care_and_risk_management",
    "care and risk management": "care_and_risk_management",
    "carm": "care_and_risk_management",
}
CATEGORY_HELP = (
    "registered, investigated not registered, vulnerable young person, care and risk management"
)
AGE_WORDS = {
    "unborn": "unborn",
    "pre-birth": "unborn",
    "prebirth": "unborn",
    "0-4": "0-4",
    "0 to 4": "0-4",
    "under 5": "0-4",
    "5-11": "5-11",
    "5 to 11": "5-11",
    "12-15": "12-15",
    "12 to 15": "12-15",
    "16-17": "16-17",
    "16 to 17": "16-17",
    "18+": "18+",
    "18 or over": "18+",
    "18 and over": "18+",
}
AGE_HELP = "unborn, 0-4, 5-11, 12-15, 16-17, 18+"
SEX_WORDS = {
    "female": "female",
    "f": "female",
    "girl": "female",
    "male": "male",
    "m": "male",
    "boy": "male",
    "other": "other",
    "not recorded": "not_recorded",
    "not known": "not_recorded",
    "unknown": "not_recorded",
    "not_recorded": "not_recorded",
}
AGENCY_WORDS = {
    "social work": "social_work",
    "social_work": "social_work",
    "sw": "social_work",
    "health": "health",
    "nhs": "health",
    "education": "education",
    "school": "education",
    "police": "police",
    "reporter": "reporter",
    "children's reporter": "reporter",
    "scra": "reporter",
    "third sector": "third_sector",
    "third_sector": "third_sector",
    "voluntary": "third_sector",
    "other": "other",
}
MAX_ROWS = 5000


@dataclass
class CaseRow:
    row: int
    reference: str
    category: str
    age_band: str
    sex: str
    agencies: list[str] = field(default_factory=list)
    key_dates: dict[str, str] = field(default_factory=dict)


CaseListError = TableError  # every problem found, as "Row N: ..." messages


def _norm_header(text: Any) -> str:
    return header_key(text, HEADER_ALIASES)


def _table(data: bytes, filename: str) -> list[list[str]]:
    return read_table(data, filename, what="the case list", max_rows=MAX_ROWS)


def _date(text: str) -> str | None:
    parsed = parse_date(text)
    return parsed.isoformat() if parsed else None


def read_case_list(data: bytes, filename: str) -> list[CaseRow]:
    """Validated rows, or CaseListError with every problem found. Nothing is half-read."""
    table = [row for row in _table(data, filename)]
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise CaseListError(
            ["The file is empty. Put the column names in row 1 and one record per row below."]
        )
    header = [_norm_header(h) for h in table[0]]
    problems: list[str] = []
    forbidden = [table[0][i] for i, h in enumerate(header) if identifier_column(h)]
    if forbidden:
        problems.append(
            f"Row 1: remove the column{'s' if len(forbidden) > 1 else ''} {', '.join(repr(str(f)) for f in forbidden)}. "
            "HowGood never takes children's or families' names or other identifiers: the local record reference is enough."
        )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(
            f"Row 1: add the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
            f"The columns are: reference, category, age_band, sex, agencies (optional), and date columns (optional)."
        )
    if problems:
        raise CaseListError(problems)
    if len(table) - 1 > MAX_ROWS:
        raise CaseListError(
            [
                f"The file has {len(table) - 1} rows; HowGood takes up to {MAX_ROWS} records at a time."
            ]
        )
    index = {h: i for i, h in enumerate(header)}
    date_columns = [h for h in header if h.startswith("date")]
    rows: list[CaseRow] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(table[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        cells = raw + [""] * (len(header) - len(raw))

        def get(column: str, cells: list[str] = cells) -> str:
            return cells[index[column]].strip() if column in index else ""

        reference = get("reference")
        row_problems = []
        if not reference:
            row_problems.append(f"Row {number}: enter the local record reference")
        elif reference in seen:
            row_problems.append(
                f"Row {number}: reference {reference} is already on row {seen[reference]}; each record once"
            )
        else:
            seen[reference] = number
        category = CATEGORY_WORDS.get(get("category").lower())
        if category is None:
            row_problems.append(f"Row {number}: category must be one of: {CATEGORY_HELP}")
        age = AGE_WORDS.get(get("age_band").lower().replace("–", "-").replace(" - ", "-"))
        if age is None:
            row_problems.append(f"Row {number}: age_band must be one of: {AGE_HELP}")
        sex = SEX_WORDS.get(get("sex").lower())
        if sex is None:
            row_problems.append(
                f"Row {number}: sex must be one of: female, male, other, not recorded"
            )
        agencies: list[str] = []
        for part in re.split(r"[;,/]", get("agencies")):
            word = part.strip().lower()
            if not word:
                continue
            agency = AGENCY_WORDS.get(word)
            if agency is None:
                row_problems.append(
                    f"Row {number}: agency {part.strip()!r} is not one of: social work, health, "
                    "education, police, reporter, third sector, other"
                )
            elif agency not in agencies:
                agencies.append(agency)
        dates: dict[str, str] = {}
        for column in date_columns:
            text = get(column)
            if not text:
                continue
            value = _date(text)
            if value is None:
                row_problems.append(
                    f"Row {number}: {column} {text!r} is not a date; write it like 2026-03-27 or 27/03/2026"
                )
            else:
                dates[column] = value
        problems.extend(row_problems)
        if not row_problems:
            assert category and age and sex
            rows.append(CaseRow(number, reference, category, age, sex, agencies, dates))
    if problems:
        raise CaseListError(problems)
    if not rows:
        raise CaseListError(["The file has column names but no records. Add one record per row."])
    return rows
