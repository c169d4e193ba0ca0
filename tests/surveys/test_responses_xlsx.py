"""The responses workbook (issue 13): written in openpyxl's write-only mode, it must hold
exactly what the normal-mode workbook (``reports.xlsx.workbook``) held: the same sheets,
values, types, number formats, styles, column widths, frozen header, filter and print
settings."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.reports.xlsx import Sheet, workbook
from howgood.surveys import services
from howgood.surveys.exports import RESPONSES_NOTES, responses_xlsx
from tests.surveys.test_analysis import close, respond


def _cells(ws: Worksheet) -> list[tuple[Any, ...]]:
    return [
        (
            c.coordinate,
            c.value,
            c.data_type,
            c.number_format,
            c.font.b,
            c.font.sz,
            c.fill.fill_type,
            c.fill.fgColor.rgb,
            c.alignment.wrap_text,
            c.alignment.vertical,
            c.alignment.horizontal,
        )
        for line in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
        for c in line
    ]


def _sheet_settings(ws: Worksheet) -> tuple[Any, ...]:
    widths = {k: d.width for k, d in ws.column_dimensions.items() if d.width}
    return (
        ws.title,
        ws.max_row,
        ws.max_column,
        widths,
        ws.freeze_panes,
        ws.auto_filter.ref,
        ws.print_title_rows,
        ws.page_setup.orientation,
        ws.page_setup.fitToWidth,
        ws.page_setup.fitToHeight,
        ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
    )


def test_the_same_workbook_as_the_normal_mode_one_cell_for_cell() -> None:
    header = ["Response", "Agency", "when", "count", "amount", "comment", "seen"]
    rows: list[list[Any]] = [
        ["AB12-CD34-EF56", "Health", dt.date(2026, 3, 1), 4, Decimal("2.5"), "=1+1", None],
        ["0000-1111-2222", "", dt.datetime(2026, 3, 2, 9, 30), 0, 1.25, "Bad\x07text", ""],
        ["9999-8888-7777", "Police", "12/03/2026", -3, float("nan"), "A very long " * 9, "x"],
    ]
    survey_like = SimpleNamespace(title="Staff survey", partnership=SimpleNamespace(name="West"))
    before = workbook(
        [Sheet(title="Responses", header=header, rows=rows)],
        title="Survey responses: Staff survey",
        partnership="West",
        notes=list(RESPONSES_NOTES),
    )
    now = responses_xlsx(survey_like, header, rows)
    old, new = load_workbook(io.BytesIO(before)), load_workbook(io.BytesIO(now))
    assert new.sheetnames == old.sheetnames == ["About", "Responses"]
    for name in old.sheetnames:
        assert _sheet_settings(new[name]) == _sheet_settings(old[name])
        assert _cells(new[name]) == _cells(old[name])
    for field in ("title", "creator", "lastModifiedBy", "language"):
        assert getattr(new.properties, field) == getattr(old.properties, field)
    # What that comparison covers, said outright.
    responses = new["Responses"]
    assert responses["C2"].value == dt.datetime(2026, 3, 1)
    assert responses["C2"].number_format == "dd/mm/yyyy"
    assert responses["C3"].number_format == "dd/mm/yyyy hh:mm"
    assert responses["F2"].value == "'=1+1" and responses["F3"].value == "Badtext"
    assert responses["E4"].value is None  # NaN: an empty cell
    assert responses["A1"].font.b and responses.freeze_panes == "A2"


def test_a_row_of_the_wrong_length_is_refused() -> None:
    survey_like = SimpleNamespace(title="S", partnership=SimpleNamespace(name="P"))
    with pytest.raises(ValueError, match="Sheet 'Responses', row 2: 1 cells for 2 columns"):
        responses_xlsx(survey_like, ["Response", "Agency"], [["A"]])


@pytest.fixture
def survey(cast, framework):  # type: ignore[no-untyped-def]
    version = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.a,
            files={"p.xlsx": pulse_survey()},
            actor=cast.coordinator,
            kind="staff_survey",
        ),
        actor=cast.coordinator,
    )
    today = timezone.localdate()
    return services.survey_create(
        partnership=cast.a,
        title="Staff survey",
        version=version,
        audience=[cast.social_work, cast.health],
        opens_on=today,
        closes_on=today + dt.timedelta(days=20),
        access_mode="link",
        actor=cast.coordinator,
    )


def test_the_downloaded_workbook_opens_with_the_responses(cast, survey, client_for) -> None:  # type: ignore[no-untyped-def]
    respond(survey, cast.social_work, "agree", "disagree", comment="More supervision")
    for _ in range(11):  # enough responses for the results to be shown
        respond(survey, cast.health, "strongly_agree", "agree")
    close(cast, survey)
    coordinator = client_for("coordinator")
    exported = coordinator.get(reverse("surveys:export", args=[survey.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    response = coordinator.get(reverse("surveys:export", args=[survey.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'survey-{survey.pk}-responses.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["About", "Responses"]
    about = book["About"]
    assert about["A1"].value == "Survey responses: Staff survey" and about["A1"].font.b
    assert [about["A3"].value, about["B3"].value] == ["Partnership", cast.a.name]
    assert about["A4"].value == "Date made"
    made = about["B4"].value
    assert isinstance(made, dt.datetime) and made.date() == timezone.localdate()
    assert about["B4"].number_format == "d mmmm yyyy"
    assert [about["A7"].value, about["B7"].value] == ["Responses", "12 rows"]
    assert about["A10"].value == RESPONSES_NOTES[0]
    sheet = book["Responses"]
    values = [["" if v is None else v for v in line] for line in sheet.iter_rows(values_only=True)]
    assert values == rows  # every value as the CSV has it, in the same order
    assert values[0][:2] == ["Response", "Agency"]
    assert sum(line.count("More supervision") for line in values) == 1
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "00DCE6F0"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(rows[0]))}13"
    assert sheet.column_dimensions["A"].width == 16  # "AB12-CD34-EF56" and room
