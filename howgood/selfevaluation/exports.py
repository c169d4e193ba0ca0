"""The position statement as a document for a scrutiny body, in Word and PDF.

For each inspection statement, the three answers, with every evidence marker replaced by
a numbered reference (E1, E2, … in order of first use); then the evidence, listed with its
numbers, where they come from and when they were taken, and the charts of any measures.
A signed-off version prints exactly as it was signed off, evidence included; the draft
prints with the evidence as it is now. Small numbers are hidden in both: the statement
leaves the partnership.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from howgood.improvement.charts import draw
from howgood.improvement.models import Measure
from howgood.improvement.selectors import measure_charts
from howgood.reports.registry import DOCX, PDF, Built, register
from howgood.selfevaluation.evidence import EvidenceView, resolve
from howgood.selfevaluation.models import EvidenceLink, PositionStatement
from howgood.selfevaluation.selectors import TOKEN, statement_content, statement_words

QUESTIONS = [
    ("now", "How good are we now?"),
    ("how_know", "How do we know?"),
    ("next", "What do we plan to do next?"),
]


@dataclass
class Part:
    number: str
    title: str
    answers: list[tuple[str, list[str]]]  # (question, paragraphs with [E1] references)


@dataclass
class Evidence:
    ref: str
    view: Any
    chart: Any = None
    figure: int = 0


@dataclass
class StatementDocument:
    statement: Any
    version: Any
    made: Any
    status: str
    parts: list[Part]
    evidence: list[Evidence] = field(default_factory=list)
    words: int = 0


def build_document(
    statement: Any, version: Any = None, *, charts: bool = True
) -> StatementDocument:

    if version is not None:
        content = version.content
        words = version.words
    else:
        content = statement_content(statement)
        words = statement_words(statement.sections.all())
    if version is not None and version.signed_off_at:
        views = {int(k): EvidenceView.from_json(v) for k, v in version.evidence.items()}
        status = (
            f"Version {version.number}, signed off by "
            f"{version.signed_off_by.full_name if version.signed_off_by else 'the lead'} on "
            f"{timezone.localtime(version.signed_off_at):%-d %B %Y}"
        )
    else:
        views = resolve(EvidenceLink.objects.filter(section__statement=statement), share=True)
        status = f"Version {version.number} (draft)" if version is not None else "Working draft"
    statements = {
        str(s.inspection_statement.number): s.inspection_statement
        for s in statement.sections.select_related("inspection_statement")
    }
    refs: dict[int, str] = {}

    def cite(match: re.Match[str]) -> str:
        link_id = int(match.group(1))
        if link_id not in views:
            return ""
        refs.setdefault(link_id, f"E{len(refs) + 1}")
        return f"[{refs[link_id]}]"

    parts = []
    for number in sorted(content, key=int):
        s = statements.get(number)
        title = f"Statement {number}: {s.text if s else ''}".strip()
        answers = []
        for key, question in QUESTIONS:
            text = TOKEN.sub(cite, content[number].get(key, ""))
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
            answers.append((question, paragraphs or ["Not written yet."]))
        parts.append(Part(number, title, answers))
    evidence = [Evidence(ref, views[link_id]) for link_id, ref in refs.items()]
    if charts:
        _draw(evidence)
    return StatementDocument(
        statement=statement,
        version=version,
        made=timezone.localdate(),
        status=status,
        parts=parts,
        evidence=evidence,
        words=words,
    )


def _draw(evidence: list[Evidence]) -> None:
    """The chart of each measure cited, drawn once per measure."""

    ids = {e.view.chart_id for e in evidence if e.view.chart_id}
    drawn = {
        row.measure.pk: draw(row.measure, row.chart, formats=("png",))
        for row in measure_charts(Measure.objects.filter(pk__in=ids))
        if row.chart.points
    }
    figure = 0
    for e in evidence:
        # Each measure's chart once, with the first reference to it.
        if e.view.chart_id in drawn:
            figure += 1
            e.chart, e.figure = drawn.pop(e.view.chart_id), figure


def _target(report: Any) -> tuple[Any, Any]:
    statement = PositionStatement.objects.select_related("partnership").get(pk=report.target_id)
    version = None
    if report.params.get("version"):
        version = statement.versions.select_related("signed_off_by").get(
            pk=report.params["version"]
        )
    return statement, version


def _evidence_line(e: Evidence) -> str:
    v = e.view
    taken = v.taken_at[:16].replace("T", " at ")
    return f"{e.ref}. {v.kind_label}: {v.title}. {v.summary} Source: {v.source}; figures as at {taken}."


@register("selfevaluation.statement.docx", capability="selfevaluation.view")
def build_docx(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.word import ReportDocument

    statement, version = _target(report)
    content = build_document(statement, version)
    doc = ReportDocument(
        title=statement.title,
        subtitle=content.status,
        partnership=statement.partnership.name,
        date=content.made,
    )
    doc.heading("About this statement", 1)
    doc.paragraph(
        f"{statement.partnership.name} answers three questions for each inspection statement: "
        "How good are we now? How do we know? What do we plan to do next? References in square "
        "brackets point to the evidence listed at the end, with its figures and when they "
        "were taken."
    )
    doc.note(
        f"{content.words:,} words. Numbers smaller than {statement.partnership.suppression_threshold} "
        "are hidden so that nobody can be identified."
    )
    for part in content.parts:
        doc.heading(part.title, 1)
        for question, paragraphs in part.answers:
            doc.heading(question, 2)
            for paragraph in paragraphs:
                doc.paragraph(paragraph)
    doc.heading("Evidence", 1)
    if not content.evidence:
        doc.paragraph("No evidence is cited yet.")
    for e in content.evidence:
        doc.paragraph(_evidence_line(e))
        if e.view.detail:
            doc.bullets(e.view.detail)
        if e.chart is not None:
            doc.chart(e.chart, f"{e.ref}: {e.view.title}")
    return Built(f"position-statement-{statement.pk}.docx", DOCX, doc.to_bytes())


@register("selfevaluation.statement.pdf", capability="selfevaluation.view")
def build_pdf(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.pdf import render_pdf

    statement, version = _target(report)
    content = build_document(statement, version)
    pdf = render_pdf(
        "selfevaluation/statement_print.html",
        {
            "doc": content,
            "title": statement.title,
            "subtitle": content.status,
            "partnership": statement.partnership.name,
            "date": content.made,
            "threshold": statement.partnership.suppression_threshold,
            "lines": [(e, _evidence_line(e)) for e in content.evidence],
        },
    )
    return Built(f"position-statement-{statement.pk}.pdf", PDF, pdf)
