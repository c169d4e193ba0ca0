"""The governance report of the improvement plan, for the strategic group, in Word and PDF:
where the plan stands (RAG with its rule), each priority's actions, what is overdue and
what is not yet SMART, and the measures' charts with their signals in words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from howgood.improvement import selectors
from howgood.improvement.charts import draw
from howgood.improvement.models import Measure, Plan
from howgood.improvement.smart import RAG_RULE
from howgood.reports.registry import DOCX, PDF, Built, register


@dataclass
class MeasureSection:
    title: str
    about: str
    signals: list[str]
    headline: str
    assurance: str
    notes: list[str]
    chart: Any
    number: int


@dataclass
class GovernanceReport:
    plan: Any
    made: Any
    summary: str
    rag_rule: str
    priorities: list[tuple[str, str, list[list[str]]]]
    overdue: list[str]
    not_smart: list[tuple[str, list[str]]]
    measures: list[MeasureSection] = field(default_factory=list)
    action_header: tuple[str, ...] = ("Action", "Owner", "Due", "Status", "RAG", "SMART")


def build_report(plan: Any) -> GovernanceReport:
    today = timezone.localdate()
    rows = selectors.plan_rows(plan, today)
    counts = selectors.summarise(rows)
    summary = (
        f"The plan has {counts['total']} action{'s' if counts['total'] != 1 else ''}: "
        f"{counts['red']} red (overdue), {counts['amber']} amber, {counts['green']} green, "
        f"{counts['complete']} complete and {counts['not_agreed']} not yet agreed, "
        f"at {today:%-d %B %Y}."
    )

    def cells(row: Any) -> list[str]:
        a = row.action
        return [
            a.title,
            a.owner.user.full_name if a.owner_id else "Not named",
            f"{a.due_on:%-d %b %Y}" if a.due_on else "–",
            f"{a.get_status_display()}, {a.progress}%",
            row.rag.label,
            "SMART" if not row.gaps else (row.smart_letters or "–"),
        ]

    priorities = [
        (
            f"Priority {p.number}: {p.title}" if p else "Actions without a priority",
            (f"Children's services plan: {p.csp_priority}" if p and p.csp_priority else ""),
            [cells(r) for r in group],
        )
        for p, group in selectors.group_by_priority(plan, rows)
    ]
    overdue = [
        f"{r.action.title}: {r.rag.reason}"
        + (f" Owner: {r.action.owner.user.full_name}." if r.action.owner_id else "")
        for r in rows
        if r.rag.colour == "red"
    ]
    not_smart = [
        (r.action.title, [f"{g.letter}: {g.text}" for g in r.gaps])
        for r in rows
        if r.gaps and not r.action.agreed_on
    ]
    measure_ids = {r.action.measure_id for r in rows if r.action.measure_id}
    sections = []
    number = 0
    for row in selectors.measure_charts(
        Measure.objects.filter(pk__in=measure_ids).order_by("title"), with_cycles=True
    ):
        measure, chart = row.measure, row.chart
        if not chart.points:
            continue
        number += 1
        sections.append(
            MeasureSection(
                title=measure.title,
                about=f"{measure.get_type_display()} measure. {measure.definition}",
                signals=chart.signals,
                headline=chart.summary,
                assurance=chart.assurance_words,
                notes=[chart.runs_limits_note] if chart.runs_limits_note else [],
                chart=draw(measure, chart, formats=("png",)),
                number=number,
            )
        )
    return GovernanceReport(
        plan=plan,
        made=today,
        summary=summary,
        rag_rule=RAG_RULE,
        priorities=priorities,
        overdue=overdue,
        not_smart=not_smart,
        measures=sections,
    )


def _plan(report: Any) -> Any:
    return Plan.objects.select_related("partnership").get(pk=report.target_id)


@register("improvement.plan.docx", capability="improvement.view")
def build_docx(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.word import ReportDocument

    content = build_report(_plan(report))
    plan = content.plan
    doc = ReportDocument(
        title=plan.title,
        subtitle="Improvement plan: report to the strategic group",
        partnership=plan.partnership.name,
        date=content.made,
    )
    doc.heading("Where the plan stands", 1)
    doc.paragraph(content.summary)
    if plan.childrens_services_plan:
        doc.paragraph(f"The plan's priorities align to {plan.childrens_services_plan}.")
    doc.note(f"How the RAG status is worked out. {content.rag_rule}")
    doc.heading("Overdue actions", 1)
    doc.bullets(content.overdue or ["No action is overdue."])
    doc.heading("Actions not yet SMART", 1)
    if content.not_smart:
        for title, gaps in content.not_smart:
            doc.paragraph(title)
            doc.bullets(gaps)
    else:
        doc.paragraph("Every action is SMART.")
    for heading, note, rows in content.priorities:
        doc.heading(heading, 1)
        if note:
            doc.paragraph(note)
        doc.table(list(content.action_header), rows or [["No actions yet.", "", "", "", "", ""]])
    if content.measures:
        doc.heading("Measures", 1)
        for m in content.measures:
            doc.heading(m.title, 2)
            doc.paragraph(m.about)
            for line in (m.headline, m.assurance):
                if line:
                    doc.paragraph(line)
            doc.bullets(m.signals)
            for note in m.notes:
                doc.paragraph(note)
            doc.chart(m.chart, m.title)
    return Built(f"governance-report-{plan.pk}.docx", DOCX, doc.to_bytes())


@register("improvement.plan.pdf", capability="improvement.view")
def build_pdf(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.pdf import render_pdf

    content = build_report(_plan(report))
    pdf = render_pdf(
        "improvement/report_print.html",
        {
            "report": content,
            "title": content.plan.title,
            "subtitle": "Improvement plan: report to the strategic group",
            "partnership": content.plan.partnership.name,
            "date": content.made,
        },
    )
    return Built(f"governance-report-{content.plan.pk}.pdf", PDF, pdf)
