"""Issue 10, item 8: findings "for sharing" give small complements as ranges, in the Word and
PDF reports, their tables and charts, through ``stats.disclosure.proportion``."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from howgood.partnerships.models import Membership
from howgood.reports.models import GeneratedReport
from tests.records.conftest import case_csv, exercise, template, train  # noqa: F401
from tests.records.test_findings import read_and_moderate

pytestmark = pytest.mark.django_db


def answers(index: int, who: str) -> dict[str, Any]:
    """31 records: an IRD was held for 27 (so 4 lacked one), timely for 20 of those."""
    return {
        "ird_held": "yes" if index < 27 else "no",
        "ird_timely": ("yes" if index < 20 else "no") if index < 27 else None,
        "initial_quality": "4" if index < 15 else "2",
        "initial_quality_reason": "Reason given here",
        "seen_alone": "yes" if index < 12 else "no",
    }


@pytest.fixture
def thirty_one(cast: Any, exercise: Any) -> Any:  # noqa: F811
    from howgood.records import services
    from howgood.records.caselist import read_case_list

    services.cases_import(
        exercise=exercise,
        rows=read_case_list(case_csv(), "cases.csv"),
        actor=cast.coordinator,
        filename="cases.csv",
    )
    services.sample_draw(
        exercise=exercise,
        confidence=0.95,
        margin=0.1,
        proportion=0.5,
        size=31,
        seed=42,
        actor=cast.coordinator,
    )
    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    train(reader, moderator)
    services.pair_create(
        exercise=exercise, reader=reader, moderator=moderator, actor=cast.coordinator
    )
    services.assign_balanced(exercise=exercise, actor=cast.coordinator)
    read_and_moderate(cast, exercise, answers)
    return exercise


def _document(client: Any, read: Any, fmt: str, share: bool, capture: Any) -> bytes:
    with capture(execute=True):
        client.post(
            reverse("records:findings_export", args=[read.pk, fmt]),
            {"share": "1"} if share else {},
        )
    report = GeneratedReport.objects.latest("pk")
    assert report.status == "ready", report.error
    return bytes(client.get(reverse("reports:download", args=[report.pk])).content)


def _text(fmt: str, body: bytes) -> str:
    if fmt == "pdf":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    from docx import Document

    document = Document(io.BytesIO(body))
    cells = [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_shared_findings_give_small_complements_as_ranges(
    cast: Any,
    thirty_one: Any,
    framework: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for("coordinator")
    internal = _text(
        "docx", _document(client, thirty_one, "docx", False, django_capture_on_commit_callbacks)
    )
    assert "27 of 31" in internal and "20 of 27" in internal  # the partnership's own copy
    for fmt in ("docx", "pdf"):
        text = _text(
            fmt, _document(client, thirty_one, fmt, True, django_capture_on_commit_callbacks)
        )
        flat = " ".join(text.split())
        # "most (27 of 31, 87%) yes" would say that 4 records had no IRD.
        assert "more than 26 of 31" in flat, fmt
        assert "27 of 31" not in flat and "87%" not in flat, fmt
        # Asked only where an IRD was held: its 27 would give the 4 away, so it is not shown.
        assert "20 of 27" not in flat and "74%" not in flat, fmt
        timely = flat.split("Was the IRD timely?")[-1][:80]  # its row of every question
        assert "27" not in timely, (fmt, timely)
        assert timely.startswith(
            " | more than 26 of 31" if fmt == "docx" else " more than 26 of 31"
        )
        # The quality indicator roll-up (IRD held and timely together) is given the same way.
        assert "47 of 58" not in flat and "58" not in flat, fmt
        # Numbers that give nothing away are still there.
        assert "15 of 31 (48%)" in flat and "12 of 31 (39%)" in flat, fmt
