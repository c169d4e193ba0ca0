"""Uploaded tables are read within fixed limits, whatever the file claims about itself:
through ``core.tables`` and through the measure and case-list imports that use it."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from howgood.core.tables import MAX_COLUMNS, MAX_ROWS, TableError, read_table
from howgood.improvement import services as improvement
from howgood.improvement.models import DataPoint
from howgood.partnerships.models import Membership
from howgood.records.models import Case
from tests.core.hostile import far_cell_xlsx, tiny_xlsx, xlsx_bomb
from tests.records.conftest import exercise, template  # noqa: F401 - fixtures

HEADER = ["period", "value", "out_of"]
DATA = [HEADER, ["2025-01", "5", "40"], ["2025-02", "6", "40"]]


def refusal(data: bytes, name: str = "data.xlsx", **limits: int) -> list[str]:
    with pytest.raises(TableError) as refused:
        read_table(data, name, what="the data", **limits)
    return refused.value.problems


def test_a_huge_dimension_tag_is_not_trusted() -> None:
    """A 1.6 KB workbook whose sheet claims A1:XFD1048576 reads as the three columns and
    three rows it holds (the tag used to make every row 16,384 cells wide)."""
    data = tiny_xlsx(DATA, dimension="A1:XFD1048576")
    assert len(data) < 2000
    assert read_table(data, "data.xlsx") == DATA


def test_a_value_far_down_the_sheet_is_refused_with_its_row() -> None:
    data = far_cell_xlsx(HEADER, row=1_048_576, column=1)
    assert len(data) < 2000
    (problem,) = refusal(data)
    assert problem == (
        f"Row 1048576: the data has more than {MAX_ROWS:,} rows. HowGood takes up to "
        f"{MAX_ROWS:,} rows at a time: split the file and import each part."
    )


def test_a_value_far_to_the_right_is_refused_with_its_row_and_column() -> None:
    (problem,) = refusal(far_cell_xlsx(HEADER, row=2, column=16_384))
    assert problem == (
        f"Row 2: there is something in column XFD, but HowGood reads only the first "
        f"{MAX_COLUMNS} columns (A to GR). Delete what is beyond them, or copy the columns "
        "you need into a new sheet."
    )


def test_limits_can_be_tighter_for_one_import() -> None:
    rows = [HEADER] + [[f"2025-{m:02d}", "5", "40"] for m in range(1, 13)]
    assert len(read_table(tiny_xlsx(rows), "d.xlsx", max_rows=12)) == 13
    (problem,) = refusal(tiny_xlsx(rows), max_rows=11)
    assert problem.startswith("Row 13: the data has more than 11 rows.")
    csv = ("\n".join(",".join(r) for r in rows) + "\n").encode()
    (problem,) = refusal(csv, "d.csv", max_rows=11)
    assert problem.startswith("Row 13: the data has more than 11 rows.")


def test_blank_rows_and_columns_cost_nothing_and_are_not_counted() -> None:
    """Ten thousand blank lines after the data, and empty columns to the right, are
    ignored, not stored; the rows keep their numbers."""
    csv = b"period,value" + b"," * 5000 + b"\n2025-01,5\n" + b"\n" * 100_000
    assert read_table(csv, "d.csv") == [["period", "value"], ["2025-01", "5"]]


def test_a_csv_row_too_wide_or_a_cell_too_long_gets_a_clear_message() -> None:
    wide = b"period,value\n2025-01,5" + b",x" * (MAX_COLUMNS - 1) + b"\n"  # 201 columns
    (problem,) = refusal(wide, "d.csv")
    assert problem.startswith("Row 2: there is something in column GS, but HowGood reads only")
    long = b'period,value\n2025-01,5,x\n2025-02,6,"' + b"x" * 200_000 + b'"\n'
    (problem,) = refusal(long, "d.csv")
    assert problem == (
        "Row 3: a cell is longer than 131,072 characters (or a quotation mark is not closed), "
        "so the file cannot be read. Check the row and upload the file again."
    )


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused() -> None:
    data = xlsx_bomb(unpacked_mb=30)
    assert len(data) < 100_000
    (problem,) = refusal(data)
    assert "packed far more tightly than an ordinary document" in problem


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOWGOOD_MAX_UPLOAD_BYTES = 1024 * 1024
    (problem,) = refusal(b"period,value\n" + b"2025-01,5\n" * 120_000, "d.csv")
    assert problem == "The file is larger than 1 MB. Upload a smaller one."


# --- Through the pages that take uploads -----------------------------------------------


@pytest.fixture
def measure(cast: Any) -> Any:
    owner = Membership.objects.get(user=cast.action_owner, partnership=cast.a)
    return improvement.measure_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "Referrals re-classified",
            "type": "outcome",
            "definition": "Of the referrals in the month, those re-classified.",
            "numerator": "Re-classified",
            "denominator": "Referrals",
            "improvement": "decrease",
            "target": Decimal("25"),
            "owner": owner,
            "chart": "p",
            "rules": "mdc",
            "multiply": 100,
        },
    )


@pytest.mark.django_db
def test_measure_import_refuses_the_far_row_workbook_and_stores_nothing(
    cast, measure, client_for
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("improvement:measure_import", args=[measure.pk])
    client = client_for("action_owner")
    hostile = far_cell_xlsx(HEADER, row=1_048_576, column=1, dimension="A1:XFD1048576")
    response = client.post(url, {"file": SimpleUploadedFile("data.xlsx", hostile)})
    assert response.status_code == 400
    assert f"Row 1048576: the data has more than {MAX_ROWS:,} rows." in response.content.decode()
    assert not DataPoint.objects.filter(measure=measure).exists()
    ok = client.post(
        url, {"file": SimpleUploadedFile("data.xlsx", tiny_xlsx(DATA, dimension="A1:XFD8000"))}
    )
    assert ok.status_code == 302
    assert sorted(p.numerator for p in DataPoint.objects.filter(measure=measure)) == [5, 6]


@pytest.mark.django_db
def test_case_list_import_refuses_the_far_row_workbook_and_stores_nothing(
    cast,
    exercise,  # noqa: F811
    client_for,
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("records:case_import", args=[exercise.pk])
    header = ["reference", "category", "age_band", "sex"]
    hostile = far_cell_xlsx(header, row=1_048_576, column=1, dimension="A1:XFD1048576")
    response = client_for("coordinator").post(
        url, {"file": SimpleUploadedFile("cases.xlsx", hostile)}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Row 1048576: the case list has more than 5,000 rows." in body
    assert not Case.objects.exists()
    rows = [header, ["SW1", "registered", "5-11", "female"]]
    ok = client_for("coordinator").post(
        url,
        {"file": SimpleUploadedFile("cases.xlsx", tiny_xlsx(rows, dimension="A1:XFD1048576"))},
    )
    assert ok.status_code == 302 and Case.objects.count() == 1


def test_builders_make_what_they_say() -> None:
    """The hostile workbook is a real one: its sheet claims the whole grid."""
    with zipfile.ZipFile(io.BytesIO(tiny_xlsx(DATA, dimension="A1:XFD1048576"))) as package:
        assert b'<dimension ref="A1:XFD1048576"/>' in package.read("xl/worksheets/sheet1.xml")


@pytest.mark.django_db
def test_measure_import_problems_give_the_row_of_the_file_even_after_blank_rows(
    cast, measure, client_for
) -> None:  # type: ignore[no-untyped-def]
    data = b"\nperiod,value,out_of\n2020-01,5,40\n\n\nsometime,6,40\n"
    response = client_for("action_owner").post(
        reverse("improvement:measure_import", args=[measure.pk]),
        {"file": SimpleUploadedFile("data.csv", data)},
    )
    assert response.status_code == 400
    assert "Row 6: period must be a date or a month" in response.content.decode()
    far = far_cell_xlsx(HEADER, row=8000, column=1, dimension="A1:XFD8000")
    response = client_for("action_owner").post(
        reverse("improvement:measure_import", args=[measure.pk]),
        {"file": SimpleUploadedFile("data.xlsx", far)},
    )
    assert "Row 8000: value must be a number" in response.content.decode()


def test_a_sheet_without_a_size_tag_is_streamed_not_read_whole() -> None:
    """openpyxl's read-only sheets read a whole sheet to size it when it has no
    <dimension> tag; the reader never asks. 30,000 empty rows and a value past the limit
    are refused at that value, holding one row at a time."""
    import tracemalloc

    empty_rows = "".join(f'<row r="{n}"/>' for n in range(2, 30_002))
    far = '<row r="30002"><c r="A30002" t="inlineStr"><is><t>2025-01</t></is></c></row>'
    first = '<row r="1"><c r="A1" t="inlineStr"><is><t>period</t></is></c></row>'
    data = tiny_xlsx([], sheet_xml=first + empty_rows + far, dimension="")
    tracemalloc.start()
    try:
        (problem,) = refusal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem.startswith(f"Row 30002: the data has more than {MAX_ROWS:,} rows.")
    assert peak < 20 * 1024 * 1024


class NotToBeRead(Exception):
    pass


def _must_not_read(*args: Any, **kwargs: Any) -> Any:
    raise NotToBeRead("An upload over the limit was read")


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["measure", "case list", "questionnaire", "evidence"])
def test_an_upload_over_the_limit_is_refused_by_its_form_before_it_is_read(
    where,
    cast,
    measure,
    exercise,  # noqa: F811
    client_for,
    settings,
    monkeypatch,
) -> None:  # type: ignore[no-untyped-def]
    """The size is the upload's own, known before a byte is read: the form refuses it,
    keeps what was typed, and nothing reads the file into memory."""
    settings.HOWGOOD_MAX_UPLOAD_BYTES = 1000
    big = b"period,value,out_of\n" + b"2025-01,5,40\n" * 200

    def upload(name: str) -> io.BytesIO:  # read by the test client, not by HowGood
        sent = io.BytesIO(big)
        sent.name = name
        return sent

    if where == "measure":
        url, client = reverse("improvement:measure_import", args=[measure.pk]), "action_owner"
        data: dict[str, Any] = {"file": upload("data.csv")}
    elif where == "case list":
        url, client = reverse("records:case_import", args=[exercise.pk]), "coordinator"
        data = {"file": upload("cases.csv")}
    elif where == "questionnaire":
        url, client = reverse("questionnaires:upload"), "coordinator"
        data = {"title": "Kept title", "kind": "other", "files": upload("q.csv")}
    else:
        url, client = reverse("selfevaluation:document_add"), "coordinator"
        data = {"title": "Kept title", "file": upload("notes.csv")}
    signed_in = client_for(client)
    monkeypatch.setattr("django.core.files.uploadedfile.InMemoryUploadedFile.read", _must_not_read)
    response = signed_in.post(url, data)
    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert "The file is larger than 1,000 bytes. Upload a smaller one." in body
    if "title" in data:
        assert 'value="Kept title"' in body
