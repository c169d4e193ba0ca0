"""Excel workbooks re-open in openpyxl: About sheet, safe text, real numbers and dates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from howgood.toolkit.xlsx import Sheet, cell_value, workbook

DANGEROUS = ["=1+1", "+44 131", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturn"]


def reopen(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def readings() -> Sheet:
    return Sheet(
        title="Readings",
        header=["Reading ID", "Agency", "Score", "Date read", "Note"],
        rows=[
            ["R-001", "Social work", 4, dt.date(2026, 9, 1), '=HYPERLINK("http://x")'],
            ["R-002", "Health", -3, dt.date(2026, 9, 2), "+cmd"],
            ["R-003", None, 2.5, None, "fine"],
        ],
        notes=["Pseudonymous reading IDs only", "=cmd|' /C calc'!A0"],
    )


def test_about_sheet_then_data_sheets() -> None:
    book = reopen(
        workbook(
            [readings(), Sheet(title="Summary", header=["Measure"], rows=[])],
            title="Record reading findings",
            partnership="Anytown Partnership",
            notes=["Figures below 5 are suppressed."],
            made=dt.date(2026, 10, 9),
        )
    )
    assert book.sheetnames == ["About", "Readings", "Summary"]
    about = book["About"]
    values = [cell.value for row in about.iter_rows() for cell in row if cell.value is not None]
    assert values[0] == "Record reading findings"
    assert "Anytown Partnership" in values
    assert dt.datetime(2026, 10, 9) in values  # a real date
    assert "Figures below 5 are suppressed." in values
    assert "Pseudonymous reading IDs only" in values
    assert "'=cmd|' /C calc'!A0" in values  # notes are neutralised too
    assert "3 rows" in values and "0 rows" in values
    assert book.properties.title == "Record reading findings"


def test_header_is_bold_frozen_and_filtered() -> None:
    sheet = reopen(workbook([readings()], title="T", partnership="P"))["Readings"]
    assert [c.value for c in sheet[1]] == ["Reading ID", "Agency", "Score", "Date read", "Note"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E4"
    assert sheet.print_title_rows == "$1:$1"
    assert all(sheet.column_dimensions[col].width >= 8 for col in "ABCDE")


def test_formula_looking_text_is_neutralised_and_numbers_stay_numbers() -> None:
    sheet = reopen(workbook([readings()], title="T", partnership="P"))["Readings"]
    assert sheet["E2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["E3"].value == "'+cmd"
    assert sheet["C2"].value == 4 and sheet["C2"].data_type == "n"
    assert sheet["C3"].value == -3 and sheet["C3"].data_type == "n"  # data, not a formula
    assert sheet["C4"].value == 2.5
    assert sheet["B4"].value is None
    assert not any(c.data_type == "f" for row in sheet.iter_rows() for c in row)


def test_dates_are_real_dates() -> None:
    sheet = reopen(workbook([readings()], title="T", partnership="P"))["Readings"]
    assert sheet["D2"].is_date
    assert sheet["D2"].value == dt.datetime(2026, 9, 1)
    assert sheet["D2"].number_format == "dd/mm/yyyy"


@pytest.mark.parametrize("text", DANGEROUS)
def test_every_dangerous_start_is_neutralised_everywhere(text: str) -> None:
    book = reopen(
        workbook(
            [Sheet(title="Data", header=[text], rows=[[text]], notes=[text])],
            title=text,
            partnership=text,
        )
    )
    cells = [c for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    for cell in cells:
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value


def test_cell_value_conversions() -> None:
    assert cell_value(Decimal("1.50")) == Decimal("1.50")
    assert cell_value(True) is True
    assert cell_value(float("nan")) is None
    assert cell_value("bell\x07 ringing") == "bell ringing"  # Excel cannot store \x07
    assert cell_value("\x01=1+1") == "'=1+1"  # stripped, then neutralised
    aware = dt.datetime(2026, 7, 1, 11, 30, tzinfo=dt.UTC)
    local = cell_value(aware)
    assert local == dt.datetime(2026, 7, 1, 12, 30)  # British Summer Time
    assert local.tzinfo is None
    assert cell_value(
        dt.datetime(2026, 1, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    ) == dt.datetime(2026, 1, 1, 9, 0)


def test_sheet_titles_are_made_legal_and_unique() -> None:
    sheets = [
        Sheet(title="About", header=["A"], rows=[]),
        Sheet(title="Q1/Q2: [draft]*", header=["A"], rows=[]),
        Sheet(title="A very long sheet title that Excel would refuse", header=["A"], rows=[]),
        Sheet(title="A very long sheet title that Excel would refuse", header=["A"], rows=[]),
    ]
    names = reopen(workbook(sheets, title="T", partnership="P")).sheetnames
    assert names[0] == "About"
    assert names[1] == "About (2)"
    assert names[2] == "Q1-Q2- -draft--"
    assert all(len(n) <= 31 for n in names)
    assert len(set(names)) == len(names)


def test_ragged_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="row 2"):
        workbook([Sheet(title="S", header=["A", "B"], rows=[[1]])], title="T", partnership="P")
