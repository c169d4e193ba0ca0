"""The report pack: one click puts the dashboard as it is into a Word and a PDF document, in
the background; small numbers are withheld; a pack reopened later says what it said."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as Docx
from pypdf import PdfReader

from howgood.governance import services
from howgood.governance.models import ReportPack
from howgood.improvement.models import Action, DataPoint, Measure
from howgood.improvement.services import action_create, plan_create
from howgood.reports.models import GeneratedReport
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db


def setting_up(cast) -> Measure:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    plan = plan_create(
        partnership=cast.a,
        title="Joint improvement plan",
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=300),
        actor=cast.lead,
    )
    late = action_create(
        plan=plan,
        actor=cast.lead,
        data={"title": "Late action", "due_on": today - timedelta(days=2)},
    )
    Action.objects.filter(pk=late.pk).update(agreed_on=today)  # agreed as it stands
    measure = Measure.objects.create(partnership=cast.a, title="IRDs within 24 hours")
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=date(2025, m, 1), numerator=v)
        for m, v in zip(range(1, 13), [5, 7, 6, 8, 7, 6, 9, 8, 7, 6, 8, 7], strict=True)
    )
    group = services.group_create(
        partnership=cast.a,
        data={"name": "Child protection committee", "kind": "child_protection_committee"},
        actor=cast.lead,
    )
    services.meeting_create(
        group=group, held_on=today - timedelta(days=30), items=[], actor=cast.lead
    )
    return measure


def test_one_click_makes_the_word_and_pdf_pack_and_it_is_kept_as_it_was(  # type: ignore[no-untyped-def]
    cast, client_for, django_capture_on_commit_callbacks
) -> None:
    measure = setting_up(cast)
    lead = client_for("lead")
    meeting_on = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        made = lead.post(
            reverse("governance:pack_create"),
            {"meeting_on": meeting_on.isoformat(), "submission_key": "pack-1"},
        )
    pack = ReportPack.objects.get()
    assert made["Location"] == reverse("governance:pack", args=[pack.pk])
    reports = {r.kind: r for r in GeneratedReport.objects.filter(pack=pack)}
    assert sorted(reports) == ["governance.pack.docx", "governance.pack.pdf"]
    assert {r.status for r in reports.values()} == {"ready"}
    page = page_text(lead.get(made["Location"]))
    assert f"Download report-pack-a-{timezone.localdate():%Y-%m-%d}.docx" in page
    assert f"Download report-pack-a-{timezone.localdate():%Y-%m-%d}.pdf" in page

    doc = Docx(io.BytesIO(bytes(reports["governance.pack.docx"].content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert f"For the strategic group meeting on {meeting_on:%-d %B %Y}" in text
    for heading in ("Contents", "The improvement plan", "Measures", "Governance"):
        assert heading in text
    assert (
        "Joint improvement plan: Red 1, Amber 0, Green 0, Complete 0. 1 agreed this quarter."
        in text
    )
    assert rows[rows.index(["Overdue action", "Owner", "Due", "Why it is red"]) + 1][:3] == [
        "Late action",
        "Not yet named",
        f"{timezone.localdate() - timedelta(days=2):%-d %B %Y}",
    ]
    assert "Figure 1: IRDs within 24 hours" in text
    january = rows[[r[0] for r in rows].index("Jan 2025")]
    assert float(january[1]) == 5
    assert "Since the Child protection committee met on" in text

    pdf = PdfReader(io.BytesIO(bytes(reports["governance.pack.pdf"].content)))
    pdf_text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Report pack" in pdf_text
    assert "Figure 1: IRDs within 24 hours" in pdf_text
    assert len(pdf.pages) >= 3

    # Reopened after the data changed, the pack says what it said.
    DataPoint.objects.filter(measure=measure).update(numerator=50)
    measure.title = "Renamed measure"
    measure.save()
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(reverse("governance:pack_remake", args=[pack.pk]), {"submission_key": "again"})
    again = GeneratedReport.objects.filter(pack=pack, kind="governance.pack.docx").latest("id")
    assert again.pk != reports["governance.pack.docx"].pk
    again_text = "\n".join(p.text for p in Docx(io.BytesIO(bytes(again.content))).paragraphs)
    assert "Figure 1: IRDs within 24 hours" in again_text
    assert "Renamed measure" not in again_text


def test_a_pack_withholds_small_numbers_the_lead_sees_exactly(  # type: ignore[no-untyped-def]
    cast, client_for
) -> None:
    from howgood.childprotection.services import counts_save

    counts_save(
        partnership=cast.a,
        month=date(2025, 6, 1),
        data={
            "concerns": 40,
            "wellbeing": 12,
            "investigations": 20,
            "cppms": 10,
            "cppms_in_time": 8,
            "registrations": 3,
            "on_register": 30,
        },
        actor=cast.coordinator,
    )
    pack = services.pack_create(partnership=cast.a, actor=cast.lead)
    assert pack.snapshot["threshold_figures"] == [
        ["Period", "Jun 2025 to Jun 2025"],
        ["Concerns", "40"],
        ["Re-classified to wellbeing", "30%"],
        ["Initial planning meetings within 28 days", "more than 5 of 10"],
        ["Registrations", "fewer than 5"],
        ["Children on the register at the end", "30"],
    ]
    dashboard = page_text(client_for("lead").get(reverse("governance:dashboard")))
    assert (
        "Jun 2025 to Jun 2025: 40 concerns; 30% re-classified to wellbeing; 80% of initial "
        "planning meetings within 28 days; 3 registrations; 30 children on the register"
    ) in dashboard
    scrutiny = page_text(client_for("scrutiny").get(reverse("governance:dashboard")))
    assert "; fewer than 5 registrations;" in scrutiny


def test_the_pack_page_reads_in_constant_queries(  # type: ignore[no-untyped-def]
    cast, client_for, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    setting_up(cast)
    lead = client_for("lead")
    with django_capture_on_commit_callbacks(execute=True):
        lead.post(reverse("governance:pack_create"), {"submission_key": "p1"})
    pack = ReportPack.objects.get()
    url = reverse("governance:pack", args=[pack.pk])
    lead.get(url)
    with django_assert_num_queries(10) as first:
        lead.get(url)
    queries = len(first.captured_queries)
    for i in range(3):  # more documents made from it, more measures and packs elsewhere
        with django_capture_on_commit_callbacks(execute=True):
            lead.post(
                reverse("governance:pack_remake", args=[pack.pk]), {"submission_key": f"r{i}"}
            )
        Measure.objects.create(partnership=cast.a, title=f"Another {i}")
        services.pack_create(partnership=cast.a, actor=cast.lead)
    with django_assert_num_queries(queries):
        lead.get(url)
