"""The Data section through its pages: import (refused, mapped, previewed, applied,
replaced, undone), the figures each role sees, series into measures, and re-classified
concerns into a record-reading case list. The expected figures are worked out by hand from
``files.ROWS``:

month    concerns  wellbeing  investigations  CPPMs (in time)  registered  de-registered  on register
Jan 2024     4         2            1              1 (1)           1            0              1
Feb 2024     3         1            2              0 (0)           0            0              1
Mar 2024     2         1            1              2 (1)           1            1              1
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from howgood.childprotection import services
from howgood.childprotection.models import ChildConcern, ConcernImport, MonthlyCount, SeriesMeasure
from howgood.core.models import AuditEvent
from howgood.improvement.models import DataPoint
from howgood.records.models import Case
from tests.childprotection.files import HEADER, ROWS, csv_of, extract

pytestmark = pytest.mark.django_db


def _upload(client: Any, data: bytes, name: str = "extract.csv") -> Any:
    return client.post(
        reverse("childprotection:extracts"), {"file": SimpleUploadedFile(name, data)}
    )


def _cells(html: str, testid: str) -> list[list[str]]:
    table = html.split(f'data-testid="{testid}"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
        ]
        for r in rows
    ]


def _applied(cast: Any, data: bytes | None = None) -> ConcernImport:
    staged = services.extract_stage(
        partnership=cast.a, data=data or extract(), filename="x.csv", actor=cast.coordinator
    )
    return services.extract_apply(extract=staged, actor=cast.coordinator)


def test_a_file_with_bad_rows_is_refused_whole_with_each_row_named(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    rows = list(ROWS)
    rows[1] = "C002,2024-01-10,Education,maybe,,,,"
    rows[3] = "C004,31/02/2024,Health,no further action,,,,"
    rows[5] = "0101011234,2024-02-10,Police,investigation,,2024-02-01,,"
    page = _upload(client_for("coordinator"), csv_of(rows))
    assert page.status_code == 400
    problems = re.findall(
        r"<li>(.*?)</li>",
        page.content.decode().split('data-testid="import-problems"')[1].split("</ul>")[0],
    )
    assert problems == [
        "Row 3: outcome &#x27;maybe&#x27; is not one of: investigation, wellbeing (re-classified to a wellbeing concern), no further action",
        "Row 5: date the concern was received &#x27;31/02/2024&#x27; is not a date (write it like 2024-03-31 or 31/03/2024)",
        "Row 7: the child id looks like a CHI number. Use the pseudonymous id from the extract, never a CHI number",
        "Row 7: the CPPM date is before the date the concern was received",
    ]
    assert not ConcernImport.objects.exists() and not ChildConcern.objects.exists()


def test_identifier_columns_are_refused_and_nothing_is_kept(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    page = _upload(
        client_for("coordinator"),
        csv_of(
            ["C1,2024-01-01,Police,investigation,2015-05-05"],
            "child_id,received,agency,outcome,Date of Birth",
        ),
    )
    assert page.status_code == 400
    assert "Row 1: remove the column &#x27;Date of Birth&#x27;" in page.content.decode()
    assert not ConcernImport.objects.exists()


def test_import_preview_apply_replace_and_undo(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    staged = _upload(coordinator, extract())
    extract_page = coordinator.get(staged["Location"]).content.decode()
    assert "9 concerns about 8 children from 4 referring agencies" in extract_page
    assert "No concerns are held now for these months." in extract_page
    assert _cells(extract_page, "months") == [
        ["Month", "Held now", "In this file"],
        ["Jan 2024", "0", "4"],
        ["Feb 2024", "0", "3"],
        ["Mar 2024", "0", "2"],
    ]
    # Nothing counts until it is applied.
    assert (
        "There is no child protection data yet"
        in coordinator.get(reverse("childprotection:index")).content.decode()
    )
    coordinator.post(staged["Location"], {"action": "apply"})
    figures = coordinator.get(reverse("childprotection:index")).content.decode()
    assert _cells(figures, "figures")[1] == [
        "Jan to Mar 2024",
        "9",
        "4",
        "44%",
        "4",
        "3",
        "67%",
        "2",
        "0",
        "1",
        "1",
    ]
    monthly = _cells(
        coordinator.get(reverse("childprotection:index") + "?by=month").content.decode(), "figures"
    )
    assert [row[:4] for row in monthly[1:]] == [
        ["Jan 2024", "4", "2", "50%"],
        ["Feb 2024", "3", "1", "33%"],
        ["Mar 2024", "2", "1", "50%"],
    ]
    # The agencies against the overall share (4 of 9), and the path to registration.
    assert _cells(figures, "agency-table")[1:] == [
        ["Education", "3", "3", "100%", "within the limits"],
        ["Health", "2", "0", "0%", "within the limits"],
        ["Police", "3", "0", "0%", "within the limits"],
        ["Third sector", "1", "1", "100%", "within the limits"],
    ]
    # C001: registered 20 January, de-registered 1 March: 41 days, under six months.
    assert _cells(figures, "register-times")[1:] == [["2024", "1", "41 days", "1 of 1 (100%)"]]
    assert _cells(figures, "pathway")[1:] == [
        ["Child protection concerns", "9", ""],
        ["Investigations (after the IRD)", "4", "44%"],
        ["Planning meetings (CPPMs)", "3", "75%"],
        ["Registrations", "2", "67%"],
    ]
    # A March extract replaces March (two concerns) and nothing else.
    march = csv_of(
        [
            "C009,2024-03-02,Education,wellbeing,,,,",
            "C010,2024-03-05,Education,wellbeing,,,,",
            "C011,2024-03-09,Police,investigation,,,,",
        ]
    )
    second = _upload(coordinator, march, "march.csv")
    preview = coordinator.get(second["Location"]).content.decode()
    assert "They replace the 2 concerns held now for these months." in preview
    coordinator.post(second["Location"], {"action": "apply"})
    figures = coordinator.get(reverse("childprotection:index")).content.decode()
    assert _cells(figures, "figures")[1][:4] == ["Jan to Mar 2024", "10", "5", "50%"]
    assert (
        ChildConcern.objects.filter(superseded_by__isnull=True, batch__status="applied").count()
        == 10
    )
    # The first extract cannot be undone while the second has replaced some of it.
    first = ConcernImport.objects.get(filename="extract.csv")
    assert (
        "first undo the later one"
        in coordinator.get(reverse("childprotection:extract", args=[first.pk])).content.decode()
    )
    coordinator.post(second["Location"], {"action": "undo"})
    figures = coordinator.get(reverse("childprotection:index")).content.decode()
    assert _cells(figures, "figures")[1][:4] == ["Jan to Mar 2024", "9", "4", "44%"]
    assert list(
        AuditEvent.objects.filter(action__startswith="childprotection.extract")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == [
        "childprotection.extract.staged",
        "childprotection.extract.applied",
        "childprotection.extract.staged",
        "childprotection.extract.applied",
        "childprotection.extract.undone",
    ]


def test_columns_are_matched_once_and_remembered(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    odd = "Ref,Recd,Source,Result\nX1,2024-05-01,Police,investigation\nX2,2024-05-03,School,re-classified\n"
    first = _upload(coordinator, odd.encode(), "odd.csv")
    assert first["Location"].endswith("/columns/")
    page = coordinator.get(first["Location"]).content.decode()
    assert "Match the columns" in page
    chosen = coordinator.post(
        first["Location"], {"child": "0", "received": "1", "agency": "2", "outcome": "3"}
    )
    assert re.search(r"/data/extracts/\d+/$", chosen["Location"])
    assert "2 concerns about 2 children" in coordinator.get(chosen["Location"]).content.decode()
    # The next file with those names goes straight to its preview.
    again = _upload(coordinator, odd.replace("2024-05", "2024-06").encode(), "june.csv")
    assert re.search(r"/data/extracts/\d+/$", again["Location"])
    assert ConcernImport.objects.get(filename="june.csv").rows == 2


def test_each_role_sees_what_it_may(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    applied = _applied(cast)
    viewer = client_for("viewer")
    page = viewer.get(reverse("childprotection:index")).content.decode()
    assert _cells(page, "figures")[1][:4] == ["Jan to Mar 2024", "9", "4", "44%"]
    assert "Import a concern extract" not in page
    assert "C001" not in page
    assert viewer.get(reverse("childprotection:rows", args=[applied.pk])).status_code == 403
    # A scrutiny partner, outside the partnership: counts under 5 withheld.
    scrutiny = client_for("scrutiny").get(reverse("childprotection:index")).content.decode()
    assert _cells(scrutiny, "figures")[1][:4] == [
        "Jan to Mar 2024",
        "9",
        "fewer than 5",
        "fewer than 5 of 9",
    ]
    assert "Counts under 5 are withheld" in scrutiny
    # The rows: the coordinator, audited each time.
    rows = client_for("coordinator").get(reverse("childprotection:rows", args=[applied.pk]))
    assert rows.status_code == 200 and "C006" in rows.content.decode()
    assert AuditEvent.objects.filter(action="childprotection.rows.viewed").count() == 1
    assert client_for("reader").get(reverse("childprotection:index")).status_code == 403


def test_the_figures_download_withholds_for_scrutiny(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _applied(cast)
    mine = client_for("lead").get(reverse("childprotection:export", args=["csv"])).content.decode()
    theirs = (
        client_for("scrutiny").get(reverse("childprotection:export", args=["csv"])).content.decode()
    )
    assert mine.splitlines()[1].startswith("Jan to Mar 2024,9,4,44%,4,3,2,67%,2,0,1,1")
    assert theirs.splitlines()[1].startswith("Jan to Mar 2024,9,fewer than 5,fewer than 5 of 9,")


def test_a_series_becomes_a_measure_kept_in_step(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _applied(cast)
    made = client_for("coordinator").post(
        reverse("childprotection:measure"), {"series": "wellbeing_share"}
    )
    link = SeriesMeasure.objects.get()
    assert made["Location"] == reverse("improvement:measure", args=[link.measure.pk])
    points = lambda: list(  # noqa: E731
        DataPoint.objects.filter(measure=link.measure).values_list(
            "period", "numerator", "denominator"
        )
    )
    assert points() == [
        (date(2024, 1, 1), Decimal(2), Decimal(4)),
        (date(2024, 2, 1), Decimal(1), Decimal(3)),
        (date(2024, 3, 1), Decimal(1), Decimal(2)),
    ]
    _applied(
        cast,
        csv_of(
            [
                "C009,2024-03-02,Education,wellbeing,,,,",
                "C011,2024-03-09,Police,investigation,,,,",
                "C012,2024-04-01,Health,wellbeing,,,,",
            ]
        ),
    )
    assert points()[2:] == [
        (date(2024, 3, 1), Decimal(1), Decimal(2)),
        (date(2024, 4, 1), Decimal(1), Decimal(1)),
    ]


def test_reclassified_concerns_become_a_case_list(cast, client_for, exercise) -> None:  # type: ignore[no-untyped-def]
    _applied(cast)
    done = client_for("coordinator").post(
        reverse("childprotection:sample"),
        {"exercise": exercise.pk, "start": "2024-01-01", "end": "2024-02-29"},
    )
    assert done["Location"] == reverse("records:exercise", args=[exercise.pk])
    cases = Case.objects.filter(exercise=exercise)
    assert sorted(cases.values_list("key__local_reference", flat=True)) == ["C002", "C003", "C005"]
    assert set(cases.values_list("category", flat=True)) == {"reclassified_wellbeing"}


def test_monthly_counts_without_an_extract(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    wrong = coordinator.post(
        reverse("childprotection:counts"),
        {
            "month_of": "2024-05-10",
            "concerns": "3",
            "wellbeing": "5",
            "investigations": "1",
            "cppms": "0",
            "cppms_in_time": "0",
            "registrations": "0",
            "reregistrations": "0",
            "deregistrations": "0",
            "on_register": "4",
        },
    )
    assert wrong.status_code == 400
    assert "Re-classified concerns cannot be more than the concerns." in wrong.content.decode()
    assert 'value="2024-05-10"' in wrong.content.decode()  # what was typed is kept
    coordinator.post(
        reverse("childprotection:counts"),
        {
            "month_of": "2024-05-10",
            "concerns": "30",
            "wellbeing": "12",
            "investigations": "10",
            "cppms": "4",
            "cppms_in_time": "3",
            "registrations": "3",
            "reregistrations": "1",
            "deregistrations": "2",
            "on_register": "25",
        },
    )
    figures = coordinator.get(reverse("childprotection:index") + "?by=month").content.decode()
    assert _cells(figures, "figures")[1] == [
        "May 2024",
        "30",
        "12",
        "40%",
        "10",
        "4",
        "75%",
        "3",
        "1",
        "2",
        "25",
    ]


def test_the_page_reads_a_fixed_number_of_queries_as_data_grows(
    cast, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _applied(cast)
    viewer = client_for("viewer")
    viewer.get(reverse("childprotection:index"))  # the figures are now kept
    with django_assert_num_queries(18):
        viewer.get(reverse("childprotection:index"))
    more = [
        f"D{i:04d},2023-{1 + i % 12:02d}-{1 + i % 28:02d},Police,wellbeing,,,," for i in range(300)
    ]
    _applied(cast, csv_of(more))
    viewer.get(reverse("childprotection:index"))
    with django_assert_num_queries(18):
        page = viewer.get(reverse("childprotection:index"))
    assert _cells(page.content.decode(), "figures")[1][:2] == ["Jan to Mar 2023", "75"]


def _document_tables(report: Any) -> list[list[list[str]]]:
    import io

    import docx

    document = docx.Document(io.BytesIO(bytes(report.content)))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def test_the_page_as_a_word_document_for_members_and_for_sharing(
    cast, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from howgood.reports.models import GeneratedReport

    _applied(cast)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post(reverse("childprotection:report", args=["docx"]))
        client_for("scrutiny").post(reverse("childprotection:report", args=["docx"]))
    mine, theirs = GeneratedReport.objects.order_by("pk")
    assert (mine.status, theirs.status) == ("ready", "ready")
    assert mine.title == "Child protection data: Word document"
    assert theirs.title == "Child protection data: Word document (for sharing)"
    concerns = next(t for t in _document_tables(mine) if t[0][:2] == ["Quarter", "Concerns"])
    register = next(t for t in _document_tables(mine) if t[0][:2] == ["Quarter", "Registrations"])
    assert concerns[1] == ["Jan to Mar 2024", "9", "4", "44%", "4", "3", "67%"]
    assert register[1] == ["Jan to Mar 2024", "2", "0", "1", "1"]
    shared = next(t for t in _document_tables(theirs) if t[0][:2] == ["Quarter", "Concerns"])
    assert shared[1][:4] == ["Jan to Mar 2024", "9", "fewer than 5", "fewer than 5 of 9"]
    shared_register = next(
        t for t in _document_tables(theirs) if t[0][:2] == ["Quarter", "Registrations"]
    )
    assert shared_register[1] == [
        "Jan to Mar 2024",
        "fewer than 5",
        "0",
        "fewer than 5",
        "fewer than 5",
    ]
    assert not any("C00" in cell for t in _document_tables(mine) for row in t for cell in row)
    # The scrutiny partner may have the shared document, never the exact one.
    scrutiny = client_for("scrutiny")
    assert scrutiny.get(reverse("reports:download", args=[theirs.pk])).status_code == 200
    assert scrutiny.get(reverse("reports:download", args=[mine.pk])).status_code == 403
    assert client_for("viewer").get(reverse("reports:download", args=[mine.pk])).status_code == 200


def test_monthly_counts_import_from_a_file_all_or_nothing(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    bad = "Month,Concerns,Re-classified,CPPMs,CPPMs within timescale\n2024-01,20,8,3,2\nFeb 2024,12,14,2,1\nsoon,1,1,0,0\n"
    page = coordinator.post(
        reverse("childprotection:counts"),
        {"form": "file", "file": SimpleUploadedFile("c.csv", bad.encode())},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert (
        "Row 3: Re-classified concerns cannot be more than the concerns." not in text
    )  # the file is not read so far
    assert "Row 4: month &#x27;soon&#x27; is not a month (like 2024-03)" in text
    assert not MonthlyCount.objects.exists()
    mixed = bad.replace("soon,1,1,0,0\n", "")
    page = coordinator.post(
        reverse("childprotection:counts"),
        {"form": "file", "file": SimpleUploadedFile("c.csv", mixed.encode())},
    )
    assert (
        "Row 3: Re-classified concerns cannot be more than the concerns." in page.content.decode()
    )
    assert not MonthlyCount.objects.exists()
    good = mixed.replace("Feb 2024,12,14", "March 2024,12,4")
    done = coordinator.post(
        reverse("childprotection:counts"),
        {"form": "file", "file": SimpleUploadedFile("c.csv", good.encode())},
    )
    assert done.status_code == 302
    assert list(
        MonthlyCount.objects.order_by("month").values_list(
            "month", "concerns", "wellbeing", "cppms_in_time"
        )
    ) == [
        (date(2024, 1, 1), 20, 8, 2),
        (date(2024, 3, 1), 12, 4, 1),
    ]


def test_a_matched_file_with_a_wrong_row_is_not_kept_but_its_columns_are(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    odd = (
        "Ref,Recd,Source,Result\nX1,2024-05-01,Police,investigation\nX2,2024-05-03,School,perhaps\n"
    )
    first = _upload(coordinator, odd.encode(), "odd.csv")
    refused = coordinator.post(
        first["Location"], {"child": "0", "received": "1", "agency": "2", "outcome": "3"}
    )
    assert refused.status_code == 400
    assert "Row 3: outcome &#x27;perhaps&#x27; is not one of" in refused.content.decode()
    extract = ConcernImport.objects.get()
    assert (extract.status, bytes(extract.upload), ChildConcern.objects.count()) == (
        "discarded",
        b"",
        0,
    )
    fixed = _upload(coordinator, odd.replace("perhaps", "wellbeing").encode(), "fixed.csv")
    assert re.search(r"/data/extracts/\d+/$", fixed["Location"])


def test_late_planning_meetings_and_their_agreed_exceptions(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    # C006: concern 10 Feb, meeting 20 Mar (39 days: late), with a reason agreed.
    rows = [
        r + ("," if i != 5 else ",Family abroad; agreed by the service manager")
        for i, r in enumerate(ROWS)
    ]
    header = HEADER + ",cppm_exception_reason"
    _applied(cast, csv_of(rows, header))
    page = client_for("lead").get(reverse("childprotection:index")).content.decode()
    late = re.sub(r"\s+", " ", page.split('data-testid="late">')[1].split("</p>")[0])
    assert late == (
        "Of the 3 planning meetings held, 1 was later than 28 days after the concern; "
        "1 of 1 had an exception agreed by a senior manager, with the reason recorded."
    )


def test_a_double_click_stages_one_extract(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    sent = [
        coordinator.post(
            reverse("childprotection:extracts"),
            {"file": SimpleUploadedFile("x.csv", extract()), "submission_key": "one-click-key"},
        )
        for _ in range(2)
    ]
    assert sent[0]["Location"] == sent[1]["Location"]
    assert ConcernImport.objects.count() == 1 and ChildConcern.objects.count() == 9


def test_a_change_in_practice_is_read_before_and_after(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _applied(cast)
    services.practice_change_add(
        partnership=cast.a,
        month=date(2024, 2, 14),
        title="New IRD guidance",
        actor=cast.coordinator,
    )
    page = client_for("viewer").get(reverse("childprotection:index")).content.decode()
    phases = re.findall(r"<li>(.*?)</li>", page.split('data-testid="phases"')[1].split("</ul>")[0])
    # January: 2 of 4 re-classified; February and March: 2 of 5.
    assert phases == [
        "From Feb 2024 (New IRD guidance): 40% of concerns re-classified to wellbeing, "
        "against 50% before."
    ]
