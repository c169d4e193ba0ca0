"""The figures people rely on, as the pages and exports show them (issue 11, item 11).

The fixture's answers (``conftest.answers``) are known: the reader and the moderator give
the same answers except on the six-point "How good was the initial response?", where they
agree on 4 of the 8 records (reader 4,4,4,4,4,4,2,2; moderator 3,4,3,4,3,4,3,2). Worked
by hand: kappa (0.5 - 0.3125) / (1 - 0.3125) = 0.27; linear weights (0.9 - 0.825) /
(1 - 0.825) = 0.43; quadratic (0.98 - 0.95) / (1 - 0.95) = 0.60. Over every item, 27 of
31 answers compared are the same (ird_timely is asked of 7), kappa 0.85. Comparing a
reader with themselves would give 100% and kappa 1.00 everywhere: these tests fail then.
"""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from django.urls import reverse

from tests.records.conftest import answers, read_and_moderate

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _rows(page: str, testid: str) -> list[list[str]]:
    """The body rows of a table on a page, as the text of their cells."""
    table = page[page.index(f'data-testid="{testid}"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [
            re.sub(r"<[^>]+>", "", cell.replace("<br>", "; ")).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_agreement_page_shows_4_of_8_and_the_exact_kappas(
    cast, ready, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    page = _text(client_for("coordinator").get(reverse("records:agreement", args=[ready.pk])))
    assert "over 8 records both submitted" in page
    assert (
        '<p data-testid="overall">87% agreement: 27 of 31 answers compared were the same; '
        "kappa 0.85.</p>"
    ) in page
    assert _rows(page, "by-pair") == [
        ["Reader Person and Moderator Person", "31", "27 of 31 (87%)", "0.85"]
    ]
    assert _rows(page, "by-item") == [
        [
            "Was an inter-agency referral discussion (IRD) held?",
            "8",
            "8 of 8 (100%)",
            "1.00",
            "–",
            "–",
        ],
        ["Was the IRD timely?", "7", "7 of 7 (100%)", "1.00", "–", "–"],
        ["How good was the initial response?", "8", "4 of 8 (50%)", "0.27", "0.43", "0.60"],
        ["Was the child seen alone?", "8", "8 of 8 (100%)", "1.00", "–", "–"],
    ]


def test_findings_page_shows_the_moderated_counts(cast, ready, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    page = _text(client_for("viewer").get(reverse("records:findings", args=[ready.pk])))
    assert "Based on <strong>8</strong> moderated readings." in page
    assert _rows(page, "by-indicator") == [
        ["QI 2.1 Impact on children and young people", "–", "3 of 8"],
        ["QI 5.2 Assessing and responding to risks and needs", "6 of 8", "9 of 15"],
    ]
    assert _rows(page, "by-statement") == [
        ["Statement 1: Risks identified early and responded to", "6 of 8", "9 of 15"],
        ["Statement 2: Planning and support improve children's lives", "–", "3 of 8"],
    ]
    assert _rows(page, "section-1") == [
        [
            "Was an inter-agency referral discussion (IRD) held?",
            "8",
            "most (7 of 8, 88%) yes",
            "Yes: 7; No: 1; Partly: 0; Not applicable: 0",
        ],
        [
            "Was the IRD timely?",
            "7",
            "less than half (2 of 7, 29%) yes",
            "Yes: 2; No: 5; Partly: 0; Not applicable: 0",
        ],
        [
            "How good was the initial response?",
            "8",
            "most (6 of 8, 75%) good or better",
            "6 Excellent: 0; 5 Very good: 0; 4 Good: 6; 3 Adequate: 0; 2 Weak: 2; "
            "1 Unsatisfactory: 0",
        ],
    ]
    assert _rows(page, "section-2") == [
        [
            "Was the child seen alone?",
            "8",
            "less than half (3 of 8, 38%) yes",
            "Yes: 3; No: 5; Partly: 0; Not applicable: 0",
        ]
    ]


def _export(client: Any, exercise: Any, fmt: str, capture: Any) -> bytes:
    from howgood.reports.models import GeneratedReport

    with capture(execute=True):
        response = client.post(reverse("records:findings_export", args=[exercise.pk, fmt]))
    report = GeneratedReport.objects.latest("pk")
    assert response.status_code == 302
    assert report.status == "ready", report.error
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    return bytes(download.content)


def test_findings_exports_show_the_moderated_counts(  # type: ignore[no-untyped-def]
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:
    from docx import Document
    from openpyxl import load_workbook

    read_and_moderate(cast, ready, answers)
    client = client_for("coordinator")
    word = Document(io.BytesIO(_export(client, ready, "docx", django_capture_on_commit_callbacks)))
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in word.tables]
    assert tables[0] == [
        ["Quality indicator", "Evaluations good or better", "Yes answers"],
        ["QI 2.1 Impact on children and young people", "–", "3 of 8 (38%)"],
        ["QI 5.2 Assessing and responding to risks and needs", "6 of 8 (75%)", "9 of 15 (60%)"],
    ]
    assert tables[1][1] == [
        "How good was the initial response?",
        *("0 (0%)", "0 (0%)", "6 (75%)", "0 (0%)", "2 (25%)", "0 (0%)"),
        "8",
    ]
    assert tables[-1] == [
        ["Question", "Answered", "Result"],
        ["Was an inter-agency referral discussion (IRD) held?", "8", "most (7 of 8, 88%) yes"],
        ["Was the IRD timely?", "7", "less than half (2 of 7, 29%) yes"],
        ["How good was the initial response?", "8", "most (6 of 8, 75%) good or better"],
        ["Was the child seen alone?", "8", "less than half (3 of 8, 38%) yes"],
    ]
    # The coordinator's Excel data: the moderated answers, one row per record.
    book = load_workbook(
        io.BytesIO(_export(client, ready, "xlsx", django_capture_on_commit_callbacks))
    )
    sheet = book["Moderated readings"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    column = header.index("initial_quality")
    values = sorted(row[column].value for row in sheet.iter_rows(min_row=2))
    assert values == ["2 Weak"] * 2 + ["4 Good"] * 6


def test_agreement_page_is_kept_until_a_reading_or_a_name_changes(
    cast, ready, framework, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    url = reverse("records:agreement", args=[ready.pk])
    before = _text(client.get(url))
    assert "over 8 records both submitted" not in before
    read_and_moderate(cast, ready, answers)
    page = _text(client.get(url))  # the kept figures of no readings are not shown now
    assert "over 8 records both submitted" in page
    assert _rows(page, "by-pair") == [
        ["Reader Person and Moderator Person", "31", "27 of 31 (87%)", "0.85"]
    ]
    cast.reader.full_name = "Renamed Reader"
    cast.reader.save(update_fields=["full_name"])
    with django_assert_num_queries(12):  # kept: no answers read again (18 when computed)
        page = _text(client.get(url))
    assert _rows(page, "by-pair") == [
        ["Renamed Reader and Moderator Person", "31", "27 of 31 (87%)", "0.85"]
    ]
    assert '<p data-testid="overall">87% agreement: 27 of 31 answers compared' in page
