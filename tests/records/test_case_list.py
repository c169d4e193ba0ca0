"""Case list import: validation with row numbers, all-or-nothing, pseudonyms and the key map."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from howgood.core.models import AuditEvent
from howgood.records.caselist import CaseListError, read_case_list
from howgood.records.models import Case, CaseKey
from tests.records.conftest import case_csv

pytestmark = pytest.mark.django_db


def test_reads_a_clean_csv() -> None:
    rows = read_case_list(case_csv(5), "cases.csv")
    assert len(rows) == 5 and rows[0].reference == "SW1000" and rows[0].category == "registered"
    assert rows[0].agencies == ["social_work", "health"] and rows[0].key_dates == {
        "date_concern": "2026-01-10"
    }


def test_every_problem_has_its_row() -> None:
    data = b"reference,category,age_band,sex,date_ird\nA1,registered,5-11,female,2026-01-01\nA2,regstered,5-11,female,\nA1,registered,21,male,31/02/2026\n"
    with pytest.raises(CaseListError) as error:
        read_case_list(data, "cases.csv")
    problems = error.value.problems
    assert (
        "Row 3: category must be one of: registered, investigated not registered, vulnerable young person, care and risk management"
        in problems
    )
    assert any(p.startswith("Row 4: reference A1 is already on row 2") for p in problems)
    assert any(p.startswith("Row 4: age_band must be one of") for p in problems)
    assert any(p.startswith("Row 4: date_ird '31/02/2026' is not a date") for p in problems)


def test_name_columns_are_refused() -> None:
    data = (
        b"reference,category,age_band,sex,Child Name,DOB\nA1,registered,5-11,female,X,2010-01-01\n"
    )
    with pytest.raises(CaseListError) as error:
        read_case_list(data, "cases.csv")
    assert "remove the columns 'Child Name', 'DOB'" in error.value.problems[0]


def test_reads_excel_and_refuses_a_damaged_file() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Reference", "Category", "Age band", "Sex"])
    sheet.append(["X9", "CARM", "16-17", "M"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_case_list(buffer.getvalue(), "cases.xlsx")
    assert rows[0].category == "care_and_risk_management" and rows[0].sex == "male"
    with pytest.raises(CaseListError) as error:
        read_case_list(b"not a zip", "cases.xlsx")
    assert "not a readable Excel workbook" in error.value.problems[0]


def test_import_through_the_page_is_all_or_nothing(cast, exercise, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    url = reverse("records:case_import", args=[exercise.pk])
    bad = client.post(
        url,
        {
            "file": SimpleUploadedFile(
                "c.csv",
                b"reference,category,age_band,sex\nA,registered,5-11,female\nB,nope,5-11,female\n",
            )
        },
    )
    assert bad.status_code == 400 and b"Row 3: category must be one of" in bad.content
    assert not Case.objects.exists()
    ok = client.post(url, {"file": SimpleUploadedFile("c.csv", case_csv(12))})
    assert ok.status_code == 302
    cases = list(Case.objects.filter(exercise=exercise))
    assert len(cases) == 12 and all(c.reading_id.startswith("R-") for c in cases)
    assert len({c.reading_id for c in cases}) == 12
    assert not any("SW10" in c.reading_id for c in cases)
    assert CaseKey.objects.filter(exercise=exercise).count() == 12


def test_key_map_is_for_the_coordinator_alone_and_audited(cast, exercise, client_for) -> None:  # type: ignore[no-untyped-def]
    client_for("coordinator").post(
        reverse("records:case_import", args=[exercise.pk]),
        {"file": SimpleUploadedFile("c.csv", case_csv(4))},
    )
    url = reverse("records:keymap", args=[exercise.pk])
    page = client_for("coordinator").get(url)
    assert page.status_code == 200 and b"SW1000" in page.content
    assert AuditEvent.objects.filter(action="records.keymap.viewed").count() == 1
    assert client_for("lead").get(url).status_code == 403
    # The references appear nowhere else.
    for name in ("records:cases", "records:exercise"):
        assert (
            b"SW1000"
            not in client_for("coordinator").get(reverse(name, args=[exercise.pk])).content
        )


@pytest.mark.parametrize(
    "column",
    [
        "dateofbirth",
        "DateOfBirth",
        "Date of birth",
        "date-of-birth",
        "Date_Of_Birth",
        "date of  birth",
        "D.O.B.",
        "d_o_b",
        "birthdate",
        "Birth date",
        "date_birth",
        "Child's date of birth",
        "CHI number",
        "chinumber",
        "Post-code",
        "FirstName",
        "Sur-name",
    ],
)
def test_identifier_columns_are_refused_however_they_are_written(column: str) -> None:
    data = (
        f"reference,category,age_band,sex,{column}\nA1,registered,5-11,female,2017-03-14\n"
    ).encode()
    with pytest.raises(CaseListError) as error:
        read_case_list(data, "cases.csv")
    assert error.value.problems == [
        f"Row 1: remove the column {column!r}. HowGood never takes children's or families' "
        "names or other identifiers: the local record reference is enough."
    ]


def test_a_date_of_birth_never_reaches_the_key_dates(cast, exercise, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("coordinator").post(
        reverse("records:case_import", args=[exercise.pk]),
        {
            "file": SimpleUploadedFile(
                "c.csv",
                b"reference,category,age_band,sex,date_referral,dateofbirth\n"
                b"A1,registered,5-11,female,2026-01-05,2017-03-14\n",
            )
        },
    )
    assert response.status_code == 400
    assert "Row 1: remove the column &#x27;dateofbirth&#x27;" in response.content.decode()
    assert not Case.objects.exists()


def test_ordinary_date_columns_are_still_key_dates() -> None:
    data = b"reference,category,age_band,sex,Date of IRD,date-registered\nA1,registered,5-11,female,2026-01-05,05/02/2026\n"
    rows = read_case_list(data, "cases.csv")
    assert rows[0].key_dates == {"date_of_ird": "2026-01-05", "date_registered": "2026-02-05"}
