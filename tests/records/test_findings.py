"""Findings, statements, agreement and the exported documents."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from howgood.records import findings
from howgood.records.models import Case, CaseKey, Conclusion, Reading
from howgood.reports.models import GeneratedReport
from tests.pagetext import page_text
from tests.records.conftest import answers, read_and_moderate

pytestmark = pytest.mark.django_db


def test_findings_counts_denominators_words_and_rollups(cast, ready, framework) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    result = findings.compute(ready)
    assert result.moderated == 8
    by_name = {f.item.name: f for f in result.items}
    ird = by_name["ird_held"]
    assert (ird.kind, ird.headline, ird.answered, ird.word()) == ("yes_no", 7, 8, "most")
    timely = by_name["ird_timely"]
    assert (timely.headline, timely.answered) == (2, 7)  # only asked where an IRD was held
    quality = by_name["initial_quality"]
    assert (quality.kind, quality.headline, quality.answered, quality.word()) == (
        "six_point",
        6,
        8,
        "most",
    )
    assert dict((label, n) for label, n, _ in quality.distribution())["4 Good"] == 6
    qi = {r.key: r for r in result.indicators}
    assert (qi["5.2"].six_point, qi["5.2"].good_or_better) == (8, 6)
    assert (qi["5.2"].yes_no, qi["5.2"].yes) == (15, 9)
    assert [r.key for r in result.statements] == ["1", "2"]


def test_suggested_statements_can_be_accepted_edited_and_dropped(
    cast, ready, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    client = client_for("coordinator")
    client.post(reverse("records:conclusions_suggest", args=[ready.pk]))
    statements = {s.key: s for s in Conclusion.objects.filter(exercise=ready)}
    assert (
        statements["ird_held"].kind == "strength"
        and "Most records (7 of 8)" in statements["ird_held"].text
    )
    assert statements["ird_timely"].kind == "improvement"
    edited = "Almost all IRDs happened, but few were timely."
    client.post(
        reverse("records:conclusion_decide", args=[statements["ird_held"].pk]),
        {"status": "accepted", "text": edited},
    )
    client.post(
        reverse("records:conclusion_decide", args=[statements["seen_alone"].pk]),
        {"status": "dropped", "text": ""},
    )
    client.post(
        reverse("records:conclusions_suggest", args=[ready.pk])
    )  # decisions survive a refresh
    statements = {s.key: s for s in Conclusion.objects.filter(exercise=ready)}
    assert statements["ird_held"].text == edited and statements["ird_held"].status == "accepted"
    assert statements["seen_alone"].status == "dropped"
    assert (
        client_for("viewer")
        .post(reverse("records:conclusions_suggest", args=[ready.pk]))
        .status_code
        == 403
    )
    page = client_for("viewer").get(reverse("records:findings", args=[ready.pk]))
    assert page.status_code == 200 and b"most (7 of 8, 88%) yes" in page.content


def test_agreement_between_readers(cast, ready, framework, client_for) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    page = (
        client_for("coordinator")
        .get(reverse("records:agreement", args=[ready.pk]))
        .content.decode()
    )
    assert "How good was the initial response?" in page and "over 8 record" in page


def test_exports_open_and_hold_pseudonyms_only(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    cases = read_and_moderate(cast, ready, answers)
    client = client_for("coordinator")
    references = set(
        CaseKey.objects.filter(exercise=ready).values_list("local_reference", flat=True)
    )
    files = {}
    for fmt in ("docx", "xlsx", "pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("records:findings_export", args=[ready.pk, fmt]))
        report = GeneratedReport.objects.latest("pk")
        assert response["Location"] == reverse("reports:status", args=[report.pk])
        assert report.status == "ready", report.error
        download = client.get(reverse("reports:download", args=[report.pk]))
        files[fmt] = download.content
    text = "\n".join(p.text for p in Document(io.BytesIO(files["docx"])).paragraphs)
    assert "Record reading findings" in text and "Strengths" in text
    book = load_workbook(io.BytesIO(files["xlsx"]))
    sheet = book["Moderated readings"]
    ids = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert ids == {c.reading_id for c in cases}
    cells = {str(c.value) for row in book.worksheets[0].iter_rows() for c in row} | {
        str(c.value) for row in sheet.iter_rows() for c in row
    }
    assert not references & cells  # local references are never exported
    assert files["pdf"].startswith(b"%PDF")
    from pypdf import PdfReader

    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "Record reading findings" in pdf_text
    # Someone without access cannot download them.
    report = GeneratedReport.objects.latest("pk")
    assert (
        client_for("contributor").get(reverse("reports:download", args=[report.pk])).status_code
        == 403
    )
    assert (
        client_for("outsider").get(reverse("reports:download", args=[report.pk])).status_code == 404
    )


def test_shared_pdf_suppresses_small_numbers(
    cast, ready, framework, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, answers)
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("records:findings_export", args=[ready.pk, "pdf"]), {"share": "1"})
    report = GeneratedReport.objects.latest("pk")
    assert report.params == {"share": True} and report.status == "ready", report.error
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(report.content))).pages)
    assert "fewer than 5" in text


def test_findings_page_query_count_does_not_grow(
    cast, ready, framework, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    cases = list(
        Case.objects.filter(exercise=ready, sample_status="sampled").order_by("reading_id")
    )
    # Moderate two records first, measure, then all eight: the same 20 queries, and the
    # page shows the new readings' counts.
    client = client_for("coordinator")
    url = reverse("records:findings", args=[ready.pk])
    read_and_moderate(cast, ready, answers)
    Reading.objects.filter(case__in=cases[2:]).delete()
    from howgood.records.models import Moderation

    Moderation.objects.filter(case__in=cases[2:]).delete()
    client.get(url)
    with django_assert_num_queries(15):
        small = client.get(url)
    assert small.status_code == 200
    text = page_text(small)
    assert "| Based on | 2 | moderated readings." in text
    assert "| QI 5.2 Assessing and responding to risks and needs | 2 of 2 | 4 of 4 |" in text
    Reading.objects.filter(case__in=cases[:2]).delete()
    Moderation.objects.all().delete()
    read_and_moderate(cast, ready, answers)
    # Warm, as the first measurement was: the new findings are kept on first sight.
    client.get(url)
    with django_assert_num_queries(15):
        large = client.get(url)
    assert large.status_code == 200
    text = page_text(large)
    assert "| Based on | 8 | moderated readings." in text
    assert "| QI 5.2 Assessing and responding to risks and needs | 6 of 8 | 9 of 15 |" in text
    assert "| Was the child seen alone? | 8 | less than half (3 of 8, 38%) yes |" in text
