"""Small XLSForm workbooks built in tests."""

from __future__ import annotations

import io

from openpyxl import Workbook

HEADER = [
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "qi",
    "statement",
]


def workbook(
    rows: list[list[str]], choices: list[list[str]] | None = None, title: str = "Test form"
) -> bytes:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(HEADER)
    for row in rows:
        survey.append(row)
    sheet = wb.create_sheet("choices")
    sheet.append(["list_name", "name", "label"])
    for row in choices or []:
        sheet.append(row)
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append([title, "test_form"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
