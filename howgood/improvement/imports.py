"""Read a measure's data from a CSV file or Excel workbook: every row checked, every
problem reported with its row number, nothing stored unless all of it is right."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from howgood.core.tables import TableError, header_key, parse_date, read_table
from howgood.improvement.selectors import period_start
from howgood.improvement.services import PointRow

ALIASES = {
    "month": "period",
    "week": "period",
    "quarter": "period",
    "date": "period",
    "numerator": "value",
    "count": "value",
    "denominator": "out_of",
    "outof": "out_of",
    "total": "out_of",
    "notes": "note",
    "comment": "note",
}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}


def parse_period(text: str) -> date | None:
    """A date, or a month written "2025-03", "03/2025", "Mar 2025" or "March 2025"."""
    text = text.strip()
    found = parse_date(text)
    if found:
        return found if 1900 <= found.year <= 2200 else None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text) or None
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
        if match:
            month, year = int(match.group(1)), int(match.group(2))
        else:
            match = re.fullmatch(r"([A-Za-z]{3,9})\.?\s+(\d{4})", text)
            if not match or match.group(1)[:3].lower() not in MONTHS:
                return None
            month, year = MONTHS[match.group(1)[:3].lower()], int(match.group(2))
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    return date(year, month, 1)


def _number(text: str) -> Decimal | None:
    """A number the database can hold (up to 10 digits before the point, 4 after)."""
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 10:
        return None
    return value.quantize(Decimal("0.0001")) if value.as_tuple().exponent < -4 else value


def read_points(data: bytes, filename: str, measure: Any) -> list[PointRow]:
    """Rows of the file as PointRow values, or TableError listing every problem."""
    # Blank rows are skipped but keep their place, so "Row N" is the file's row N.
    table = [
        (number, row)
        for number, row in enumerate(read_table(data, filename, what="the data"), start=1)
        if any(row)
    ]
    if not table:
        raise TableError(["The file is empty: it needs a header row and one row per period."])
    header_number, header_row = table[0]
    header = [header_key(h, ALIASES) for h in header_row]
    needed = ["period", "value"] + (["out_of"] if measure.has_denominator else [])
    missing = [c for c in needed if c not in header]
    if missing:
        raise TableError(
            [
                f"Row {header_number}: the file needs the columns "
                + ", ".join(needed)
                + f" (missing: {', '.join(missing)})."
            ]
        )
    at = {name: header.index(name) for name in header}
    problems: list[str] = []
    rows: list[PointRow] = []
    seen: dict[date, int] = {}
    for number, row in table[1:]:
        cells = row + [""] * (len(header) - len(row))

        def get(name: str, cells: list[str] = cells) -> str:
            return cells[at[name]].strip() if name in at else ""

        period = parse_period(get("period"))
        if period is None:
            problems.append(
                f"Row {number}: period must be a date or a month, like 2025-03 or Mar 2025."
            )
        value = _number(get("value"))
        if value is None:
            problems.append(f"Row {number}: value must be a number (up to 10 digits).")
        out_of = None
        if measure.has_denominator:
            out_of = _number(get("out_of"))
            if out_of is None:
                problems.append(f"Row {number}: out_of must be a number.")
        if period is not None:
            start = period_start(period, measure.frequency)
            if start in seen:
                problems.append(
                    f"Row {number}: the same period as row {seen[start]}; give each period once."
                )
            seen[start] = number
        if (
            period is not None
            and value is not None
            and (out_of is not None or not measure.has_denominator)
        ):
            rows.append(PointRow(number, period, value, out_of, get("note")[:300]))
    if problems:
        raise TableError(problems)
    return rows
