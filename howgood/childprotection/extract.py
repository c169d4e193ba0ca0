"""Read a council's concern extract (CSV or Excel) into validated rows, or every problem
with its row number.

One row per child protection concern: the pseudonymous child id, the date received, the
referring agency, the outcome at screening or the inter-agency referral discussion (IRD),
and the IRD, planning meeting (CPPM), registration and de-registration dates. Columns that
would carry a name, a CHI number or a date of birth are refused outright, as in every
HowGood import. Column names are matched through the partnership's remembered mapping
first, then through the names councils' systems commonly use; when a needed column cannot
be found, the person maps the file's columns once and HowGood remembers it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from howgood.core.tables import TableError, header_key, identifier_column, parse_date, read_table

MAX_ROWS = 200_000

# HowGood's fields, in the order the mapping page asks for them: (field, label, required).
FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("child", "Pseudonymous child id", True),
    ("received", "Date the concern was received", True),
    ("agency", "Referring agency", True),
    ("outcome", "Outcome at screening or IRD", True),
    ("ird", "IRD date", False),
    ("cppm", "Child protection planning meeting (CPPM) date", False),
    ("registered", "Registration date", False),
    ("deregistered", "De-registration date", False),
    ("cppm_exception", "Reason a late CPPM was agreed", False),
)
FIELD_LABELS = {name: label for name, label, _ in FIELDS}
REQUIRED = tuple(name for name, _, required in FIELDS if required)
DATE_FIELDS = ("received", "ird", "cppm", "registered", "deregistered")

# Column names (as header_key gives them) that councils' systems commonly use.
ALIASES = {
    "child_id": "child",
    "pseudonymous_id": "child",
    "pseudonymous_child_id": "child",
    "pseudonym": "child",
    "child_ref": "child",
    "child_reference": "child",
    "person_id": "child",
    "client_id": "child",
    "subject_id": "child",
    "received": "received",
    "date_received": "received",
    "received_date": "received",
    "received_on": "received",
    "concern_date": "received",
    "date_of_concern": "received",
    "referral_date": "received",
    "date_of_referral": "received",
    "agency": "agency",
    "referring_agency": "agency",
    "referrer": "agency",
    "referrer_agency": "agency",
    "referral_source": "agency",
    "source_of_referral": "agency",
    "outcome": "outcome",
    "screening_outcome": "outcome",
    "ird_outcome": "outcome",
    "decision": "outcome",
    "ird": "ird",
    "ird_date": "ird",
    "date_of_ird": "ird",
    "cppm": "cppm",
    "cppm_date": "cppm",
    "icpcc": "cppm",
    "icpcc_date": "cppm",
    "case_conference_date": "cppm",
    "planning_meeting_date": "cppm",
    "registered": "registered",
    "registration_date": "registered",
    "date_registered": "registered",
    "registered_on": "registered",
    "deregistered": "deregistered",
    "de_registered": "deregistered",
    "deregistration_date": "deregistered",
    "de_registration_date": "deregistered",
    "date_deregistered": "deregistered",
    "deregistered_on": "deregistered",
    "cppm_exception": "cppm_exception",
    "cppm_exception_reason": "cppm_exception",
    "exception_reason": "cppm_exception",
}

OUTCOME_WORDS = {
    "investigation": "investigation",
    "cp investigation": "investigation",
    "child protection investigation": "investigation",
    "joint investigation": "investigation",
    "investigate": "investigation",
    "wellbeing": "wellbeing",
    "wellbeing concern": "wellbeing",
    "child wellbeing": "wellbeing",
    "re-classified": "wellbeing",
    "reclassified": "wellbeing",
    "re-classified to wellbeing": "wellbeing",
    "reclassified to wellbeing": "wellbeing",
    "welfare": "wellbeing",
    "welfare concern": "wellbeing",
    "no further action": "no_further_action",
    "no_further_action": "no_further_action",
    "nfa": "no_further_action",
    "none": "no_further_action",
}
OUTCOME_HELP = "investigation, wellbeing (re-classified to a wellbeing concern), no further action"

# Referring agencies as the charts name them; anything else is kept as written.
AGENCY_WORDS = {
    "police": "Police",
    "police scotland": "Police",
    "education": "Education",
    "school": "Education",
    "nursery": "Education",
    "early years": "Education",
    "health": "Health",
    "nhs": "Health",
    "gp": "Health",
    "health visitor": "Health",
    "hospital": "Health",
    "social work": "Social work",
    "sw": "Social work",
    "children and families": "Social work",
    "third sector": "Third sector",
    "voluntary": "Third sector",
    "voluntary sector": "Third sector",
    "reporter": "Children's Reporter",
    "children's reporter": "Children's Reporter",
    "scra": "Children's Reporter",
    "family": "Family, friends or public",
    "public": "Family, friends or public",
    "member of the public": "Family, friends or public",
    "anonymous": "Family, friends or public",
    "self": "Family, friends or public",
}

# A CHI number is ten digits (a date of birth and four more): never a pseudonym.
_CHI_SHAPE = re.compile(r"\d{10}")


@dataclass(frozen=True)
class ConcernRow:
    row: int
    child: str
    received: date
    agency: str
    outcome: str
    ird: date | None = None
    cppm: date | None = None
    registered: date | None = None
    deregistered: date | None = None
    cppm_exception: str = ""


class MappingNeeded(Exception):
    """The file's columns could not all be matched to HowGood's fields: the person maps
    them. ``columns`` are the file's column names as written; ``guessed`` the match found
    so far ({field: column index})."""

    def __init__(self, columns: list[str], guessed: dict[str, int], missing: list[str]) -> None:
        super().__init__(f"Map the columns: {', '.join(missing)}")
        self.columns, self.guessed, self.missing = columns, guessed, missing


def table_of(data: bytes, filename: str) -> list[list[str]]:
    """The file's rows of text, header first, within the limits; TableError otherwise."""
    table = read_table(data, filename, what="the concern extract", max_rows=MAX_ROWS)
    while table and not any(table[-1]):
        table.pop()
    if not table:
        raise TableError(
            ["The file is empty. Put the column names in row 1 and one concern per row below."]
        )
    return table


def refused_columns(header: list[str]) -> list[str]:
    return [column for column in header if identifier_column(header_key(column))]


def refuse_identifiers(header: list[str]) -> None:
    """TableError if any column would carry a name, a CHI number or a date of birth."""
    refused = refused_columns(header)
    if refused:
        raise TableError(
            [
                f"Row 1: remove the column{'s' if len(refused) > 1 else ''} "
                f"{', '.join(repr(c) for c in refused)}. HowGood never takes children's or "
                "families' names, CHI numbers or dates of birth: the pseudonymous child id "
                "is enough."
            ]
        )


def match_columns(header: list[str], remembered: Mapping[str, str]) -> dict[str, int]:
    """{field: column index}: the partnership's remembered names first, then the usual ones."""
    found: dict[str, int] = {}
    for index, column in enumerate(header):
        key = header_key(column)
        field = remembered.get(key) or ALIASES.get(key)
        if field in FIELD_LABELS and field not in found:
            found[field] = index
    return found


def read_concerns(
    table: list[list[str]], columns: Mapping[str, int], *, today: date
) -> list[ConcernRow]:
    """Validated rows, or TableError with every problem found ("Row N: ..."). ``columns``
    maps HowGood's fields to the file's column indexes (``match_columns``, or a mapping)."""
    header = table[0]
    refuse_identifiers(header)
    missing = [FIELD_LABELS[f] for f in REQUIRED if f not in columns]
    if missing:
        raise TableError([f"Row 1: the file needs a column for: {', '.join(missing)}."])
    problems: list[str] = []
    rows: list[ConcernRow] = []
    seen: dict[tuple[str, date, str], int] = {}
    for number, raw in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        values = {
            field: (raw[index].strip() if index < len(raw) else "")
            for field, index in columns.items()
        }
        row_problems: list[str] = []
        child = values["child"]
        if not child:
            row_problems.append(f"Row {number}: enter the pseudonymous child id")
        elif len(child) > 64:
            row_problems.append(f"Row {number}: the child id is longer than 64 characters")
        elif _CHI_SHAPE.fullmatch(child.replace(" ", "")):
            row_problems.append(
                f"Row {number}: the child id looks like a CHI number. Use the pseudonymous id "
                "from the extract, never a CHI number"
            )
        dates: dict[str, date | None] = {}
        for field in DATE_FIELDS:
            text = values.get(field, "")
            if not text:
                dates[field] = None
                continue
            parsed = parse_date(text)
            if parsed is None:
                row_problems.append(
                    f"Row {number}: {FIELD_LABELS[field].lower()} {text!r} is not a date "
                    "(write it like 2024-03-31 or 31/03/2024)"
                )
            elif parsed > today:
                row_problems.append(
                    f"Row {number}: {FIELD_LABELS[field].lower()} {parsed:%d/%m/%Y} is in the future"
                )
            dates[field] = parsed
        if not values["received"]:
            row_problems.append(f"Row {number}: enter the date the concern was received")
        received, cppm = dates["received"], dates["cppm"]
        registered, deregistered = dates["registered"], dates["deregistered"]
        if received and cppm and cppm < received:
            row_problems.append(
                f"Row {number}: the CPPM date is before the date the concern was received"
            )
        if received and dates["ird"] and dates["ird"] < received:
            row_problems.append(
                f"Row {number}: the IRD date is before the date the concern was received"
            )
        if deregistered and not registered:
            row_problems.append(f"Row {number}: a de-registration date needs a registration date")
        if registered and deregistered and deregistered < registered:
            row_problems.append(f"Row {number}: the de-registration is before the registration")
        agency_text = " ".join(values["agency"].split())
        if not agency_text:
            row_problems.append(f"Row {number}: enter the referring agency")
        elif len(agency_text) > 100:
            row_problems.append(f"Row {number}: the referring agency is longer than 100 characters")
        agency = AGENCY_WORDS.get(agency_text.lower(), agency_text)
        outcome = OUTCOME_WORDS.get(values["outcome"].lower().replace("_", " ").strip())
        if outcome is None:
            row_problems.append(
                f"Row {number}: outcome {values['outcome']!r} is not one of: {OUTCOME_HELP}"
            )
        exception = " ".join(values.get("cppm_exception", "").split())
        if len(exception) > 300:
            row_problems.append(
                f"Row {number}: the CPPM exception reason is longer than 300 characters"
            )
        if row_problems:
            problems.extend(row_problems)
            continue
        assert received is not None and outcome is not None
        key = (child, received, agency)
        if key in seen:
            problems.append(
                f"Row {number}: the same child, date and agency as row {seen[key]}: "
                "each concern once"
            )
            continue
        seen[key] = number
        rows.append(
            ConcernRow(
                row=number,
                child=child,
                received=received,
                agency=agency,
                outcome=outcome,
                ird=dates["ird"],
                cppm=cppm,
                registered=registered,
                deregistered=deregistered,
                cppm_exception=exception,
            )
        )
    if problems:
        raise TableError(problems)
    if not rows:
        raise TableError(["The file has column names but no concerns below them."])
    return rows


# --- Monthly counts (for a partnership without a child-level extract) -------------------------

COUNT_COLUMNS = (
    ("concerns", "concerns"),
    ("wellbeing", "re-classified to wellbeing"),
    ("investigations", "investigations"),
    ("cppms", "planning meetings (CPPMs)"),
    ("cppms_in_time", "planning meetings within the timescale"),
    ("registrations", "registrations"),
    ("reregistrations", "re-registrations"),
    ("deregistrations", "de-registrations"),
    ("on_register", "children on the register at month end"),
)
COUNT_ALIASES = {
    "reclassified": "wellbeing",
    "re_classified": "wellbeing",
    "reclassified_to_wellbeing": "wellbeing",
    "re_classified_to_wellbeing": "wellbeing",
    "cppm": "cppms",
    "cppms_within_timescale": "cppms_in_time",
    "cppm_in_time": "cppms_in_time",
    "re_registrations": "reregistrations",
    "de_registrations": "deregistrations",
    "on_the_register": "on_register",
    "children_on_register": "on_register",
}
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def parse_month(text: str) -> date | None:
    """A month written as 2024-03, Mar 2024, March 2024 or any date in it."""
    text = " ".join(text.strip().split())
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if found and 1 <= int(found.group(2)) <= 12:
        return date(int(found.group(1)), int(found.group(2)), 1)
    found = re.fullmatch(r"([A-Za-z]+)\.? (\d{4})", text)
    if found and found.group(1).lower() in _MONTH_NAMES:
        return date(int(found.group(2)), _MONTH_NAMES[found.group(1).lower()], 1)
    day = parse_date(text)
    return day.replace(day=1) if day else None


def read_counts(table: list[list[str]]) -> list[tuple[int, date, dict[str, int]]]:
    """Monthly counts, one month per row: (row, month, counts), or TableError with every
    problem ("Row N: ..."). Columns: month and the counts (a missing count column is 0)."""
    header = [header_key(h, COUNT_ALIASES) for h in table[0]]
    if "month" not in header:
        raise TableError(["Row 1: the file needs a column called month (like 2024-03)."])
    names = [name for name, _ in COUNT_COLUMNS]
    if not any(name in header for name in names):
        raise TableError([f"Row 1: the file needs count columns; they are: {', '.join(names)}."])
    index = {h: i for i, h in enumerate(header)}
    problems: list[str] = []
    rows: list[tuple[int, date, dict[str, int]]] = []
    seen: dict[date, int] = {}
    for number, raw in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue

        def cell(name: str, raw: list[str] = raw) -> str:
            i = index.get(name)
            return raw[i].strip() if i is not None and i < len(raw) else ""

        month = parse_month(cell("month"))
        if month is None:
            problems.append(f"Row {number}: month {cell('month')!r} is not a month (like 2024-03)")
            continue
        if month in seen:
            problems.append(f"Row {number}: {month:%B %Y} is already on row {seen[month]}")
            continue
        seen[month] = number
        counts: dict[str, int] = {}
        for name, label in COUNT_COLUMNS:
            text = cell(name).replace(",", "")
            if not text:
                counts[name] = 0
            elif text.isdigit():
                counts[name] = int(text)
            else:
                problems.append(f"Row {number}: {label} {text!r} is not a whole number")
        if len(counts) == len(COUNT_COLUMNS):
            rows.append((number, month, counts))
    if problems:
        raise TableError(problems)
    if not rows:
        raise TableError(["The file has column names but no months below them."])
    return rows
