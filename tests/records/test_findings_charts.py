"""The findings charts: readable with long questions (on the page, in Word and in PDF),
drawn once and kept until the findings change, and never shown to someone who should see
other figures."""

from __future__ import annotations

import gzip
import html
import io
import re
from typing import Any

import pytest
from django.urls import reverse
from docx import Document

from howgood.partnerships.models import Membership, Partnership
from howgood.partnerships.roles import can
from howgood.questionnaires import services as qservices
from howgood.records import access
from howgood.records.models import Case
from howgood.reports.models import GeneratedReport
from howgood.toolkit.charts.base import PAGE_HEIGHT_IN
from tests.questionnaires.workbooks import workbook
from tests.records.conftest import SIX, YNP, read_and_moderate
from tests.toolkit.chart_layout import capture_figures, category_labels, outside, overlaps

pytestmark = pytest.mark.django_db

# Questions as long as the default record-reading template's.
RISK = [
    ("legal", "Were legal measures to protect the child considered where they might be needed?"),
    (
        "education",
        "Was education or early learning and childcare involved where they had a contribution to make?",
    ),
    ("chronology", "Has the chronology been analysed and used to inform assessment and planning?"),
    ("ird_record", "Does the IRD record show the decisions made and the reasons for them?"),
    ("cumulative", "Does the assessment consider the cumulative effect of harm over time?"),
    (
        "contributions",
        "Does the assessment include contributions from the agencies involved with the child?",
    ),
    ("jii", "Was the need for a joint investigative interview (JII) considered?"),
    (
        "views",
        "Were the child's views sought, recorded and taken into account in the decisions made about them?",
    ),
    (
        "plan",
        "Does the plan set out who will do what, by when, and how everyone will know it has worked?",
    ),
    ("siblings", "Were siblings and other children in the household considered?"),
    (
        "carers",
        "Are the views of parents or carers included in the assessment, and were they helped to give them?",
    ),
    ("strengths", "Does the assessment identify strengths and protective factors in the family?"),
    ("alone", "Was the child seen alone?"),
]
QUALITY = "How good was the assessment of risks and needs, taking every agency's contribution into account?"


@pytest.fixture
def template(cast: Any, framework: Any) -> Any:
    """A template whose questions are as long as the real one's (overrides the records one)."""
    rows: list[list[str]] = [["begin_group", "risk", "Recognising and responding to risk"]]
    for name, label in RISK:
        rows.append(["select_one ynp", name, label, "", "yes", "", "", "", "5.2", "1"])
    rows.append(["select_one six_point", "quality", QUALITY, "", "yes", "", "", "", "5.2", "1"])
    rows.append(["end_group", "risk"])
    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"t.xlsx": workbook(rows, SIX + YNP, title="Long questions")},
        actor=cast.coordinator,
        kind="record_reading",
    )
    return qservices.version_publish(version=version, actor=cast.coordinator)


def long_answers(index: int, who: str) -> dict[str, Any]:
    """7 of 8 records answer yes to the first question; the rest vary."""
    values: dict[str, Any] = {
        name: "yes" if (index + position) % 3 else "no" for position, (name, _) in enumerate(RISK)
    }
    values["legal"] = "yes" if index < 7 else "no"
    values["quality"] = "4" if index < 6 else "2"
    return values


def words(text: str) -> str:
    return " ".join(text.split())


def export(client: Any, exercise: Any, fmt: str, capture: Any, **post: str) -> bytes:
    with capture(execute=True):
        client.post(reverse("records:findings_export", args=[exercise.pk, fmt]), post)
    report = GeneratedReport.objects.latest("pk")
    assert report.status == "ready", report.error
    return client.get(reverse("reports:download", args=[report.pk])).content


# --- Item 9: long questions are readable --------------------------------------------------


def test_long_questions_are_whole_and_clear_in_word_and_pdf(
    cast, ready, client_for, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, long_answers)
    figures = capture_figures(monkeypatch)
    client = client_for("coordinator")
    docx = export(client, ready, "docx", django_capture_on_commit_callbacks)

    # Every chart in the report: no text touches other text, nothing is cut off at the
    # edge, each question is whole with its "n = 8", and each chart fits on a page.
    assert figures
    labels = []
    for fig in figures:
        assert overlaps(fig) == []
        assert outside(fig) == []
        assert fig.get_size_inches()[1] <= PAGE_HEIGHT_IN
        labels += category_labels(fig)
    assert labels == [f"{QUALITY} n = 8"] + [f"{label} n = 8" for _, label in RISK]

    # The data table under each figure gives each question in full.
    document = Document(io.BytesIO(docx))
    cells = [words(row.cells[0].text) for table in document.tables for row in table.rows]
    for _, label in RISK:
        assert label in cells
    assert QUALITY in cells
    assert not [c for c in cells if c.endswith(("…", "..."))]
    captions = [p.text for p in document.paragraphs if p.text.startswith("Figure ")]
    assert captions[0].startswith("Figure 1: How the moderated readings evaluated")
    assert len(captions) == len(figures)

    from pypdf import PdfReader

    pdf = export(client, ready, "pdf", django_capture_on_commit_callbacks)
    text = words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    for _, label in RISK:
        assert label in text
    assert "…" not in text


def test_long_questions_on_the_findings_page_chart(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, long_answers)
    client = client_for("viewer")
    page = client.get(reverse("records:findings", args=[ready.pk]))
    sources = re.findall(r'<img src="([^"]+\.svg)', page.content.decode())
    assert len(sources) == 3  # the six-point chart and the yes answers on two charts
    images = [client.get(src).content for src in sources]
    # Text as text and hatches of lines: small enough to fetch at once (they were 400 KB).
    assert max(len(image) for image in images) < 40_000
    svg = b"".join(images).decode()
    # The SVG carries its words as text: every question whole, none cut with "…".
    shown = words(html.unescape(re.sub(r"<[^>]+>", " ", svg)))
    for _, label in RISK:
        assert label in shown
    assert QUALITY in shown
    assert "…" not in shown


# --- Item 10: drawn once, kept until the findings change -------------------------------------


def chart_urls(client: Any, exercise: Any) -> list[str]:
    page = client.get(reverse("records:findings", args=[exercise.pk]))
    assert page.status_code == 200
    return re.findall(r'<img src="([^"]+\.svg)', page.content.decode())


def moderate(exercise: Any, answers_for: Any, cases: list[Case]) -> None:
    """As ``read_and_moderate``, for some of the exercise's records only: both members of
    the pair read each record and the moderator agrees the reader's answers."""
    from howgood.records import services

    order = list(
        Case.objects.filter(exercise=exercise, sample_status="sampled")
        .order_by("reading_id")
        .values_list("pk", flat=True)
    )
    for case in cases:
        index = order.index(case.pk)
        for member, who in ((case.pair.reader, "reader"), (case.pair.moderator, "moderator")):
            reading = services.reading_open(case=case, membership=member)
            services.reading_save(
                reading=reading,
                lock_version=reading.lock_version,
                values=answers_for(index, who),
                section_index=1,
                actor=member.user,
            )
            reading.refresh_from_db()
            services.reading_submit(
                reading=reading, lock_version=reading.lock_version, actor=member.user
            )
        moderation = services.moderation_start(case=case, actor=case.pair.moderator.user)
        services.moderation_save(
            moderation=moderation,
            lock_version=moderation.lock_version,
            values=answers_for(index, "reader"),
            notes={},
            actor=case.pair.moderator.user,
            complete=True,
        )


def test_warm_chart_request_makes_a_fixed_number_of_queries(
    cast, ready, client_for, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    read_and_moderate(cast, ready, long_answers)
    client = client_for("coordinator")
    urls = chart_urls(client, ready)
    assert len(urls) == 3  # the six-point chart and the yes answers, on two page-sized charts
    first = [client.get(url) for url in urls]  # drawn now, then kept
    # The session, the user, their two-factor device, their membership, the exercise, the
    # findings' version, the kept image; then the session saved (a savepoint, the update
    # and its release). None of them grows with the readings.
    with django_assert_num_queries(10):
        again = client.get(urls[1])
    assert again.status_code == 200
    assert again["Content-Type"] == "image/svg+xml"
    assert again.content == first[1].content
    assert b"n = 8" in again.content
    assert b"Were legal measures to" in again.content
    zipped = client.get(urls[1], HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == again.content


def test_a_newly_moderated_record_changes_the_chart(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    cases = list(
        Case.objects.filter(exercise=ready, sample_status="sampled")
        .select_related("pair__reader__user", "pair__moderator__user")
        .order_by("reading_id")
    )
    moderate(ready, long_answers, cases[:7])
    client = client_for("coordinator")
    urls = chart_urls(client, ready)
    before = client.get(urls[1]).content
    assert b"n = 7" in before and b"n = 8" not in before
    moderate(ready, long_answers, cases[7:])
    after = client.get(urls[1]).content
    assert b"n = 8" in after
    assert b"n = 7" not in after


def test_a_viewer_never_gets_the_chart_drawn_for_a_coordinator(
    cast, ready, client_for, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The charts follow the figures the findings page shows the person
    (``records.access.findings_shared_on_page``). Inside the partnership everyone sees
    the exact figures today; were viewers to see shared ones, a chart kept for the
    coordinator must never reach them."""
    read_and_moderate(cast, ready, long_answers)
    # A threshold low enough for 8 records to give some shared figures.
    Partnership.objects.filter(pk=cast.a.pk).update(suppression_threshold=2)
    coordinator, viewer = client_for("coordinator"), client_for("viewer")
    url = chart_urls(coordinator, ready)[1]
    full = coordinator.get(url).content
    assert b"88%" in full  # legal measures: 7 of 8
    # Today: the viewer's page shows exact figures, and so does their chart.
    assert viewer.get(url).content == full

    monkeypatch.setattr(
        access,
        "findings_shared_on_page",
        lambda membership: not can(membership.role, "records.case_data"),
    )
    shared = viewer.get(url)
    assert shared.status_code == 200
    assert b"88%" not in shared.content  # 1 of 8 said no: too few to show
    assert b"suppressed" in shared.content
    assert coordinator.get(url).content == full
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    assert access.findings_shared_on_page(moderator) is False
