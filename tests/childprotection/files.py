"""Concern extracts for tests: CSV text as a council's system might write it."""

from __future__ import annotations

HEADER = "child_id,date_received,referring_agency,outcome,ird_date,cppm_date,registration_date,deregistration_date"

# Nine concerns, January to March 2024 (by hand: see the tests that read them).
ROWS = [
    "C001,2024-01-05,Police,investigation,2024-01-06,2024-01-20,2024-01-20,",
    "C002,2024-01-10,Education,wellbeing,2024-01-11,,,",
    "C003,2024-01-15,Education,wellbeing,,,,",
    "C004,2024-01-20,Health,no further action,,,,",
    "C005,2024-02-02,Education,wellbeing,2024-02-03,,,",
    "C006,2024-02-10,Police,investigation,2024-02-11,2024-03-20,2024-03-20,",
    "C001,2024-02-15,Health,investigation,2024-02-16,,2024-01-20,2024-03-01",
    "C007,2024-03-01,Third sector,wellbeing,,,,",
    "C008,2024-03-12,Police,investigation,2024-03-13,2024-03-30,,",
]


def csv_of(rows: list[str], header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def extract() -> bytes:
    return csv_of(ROWS)
