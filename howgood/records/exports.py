"""Findings documents: Word and PDF reports and the Excel data, built in the background.

Two workbooks:
- ``records.readings.xlsx`` (case-level, `records.case_data`: lead, coordinator,
  moderator): one row per moderated reading, one column per item (free text included),
  reading IDs only (never the local references).
- ``records.findings.xlsx`` (`records.findings`): the aggregates, for roles that see no
  case data (viewers, scrutiny partners): per question and answer, the count and how many
  answered, small numbers hidden; per quality indicator the roll-ups. No reading IDs, no
  free text.
Every cell is formula-safe. Anything marked for sharing outside the partnership has small
numbers suppressed (``share`` param); which document a person gets is decided by
``records.access.findings_document_for``.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from howgood.frameworks.selectors import bands_for, default_framework
from howgood.questionnaires.rendering import VersionTree, display_value
from howgood.questionnaires.selectors import answers_of
from howgood.records import findings as findings_module
from howgood.records.change import exercise_change
from howgood.records.findings import shared_words
from howgood.records.models import Conclusion, Exercise, Moderation
from howgood.reports.registry import DOCX, PDF, XLSX, Built, register
from howgood.stats.disclosure import proportion, small_group

SHARE_NOTE = (
    "Numbers smaller than {t} are hidden (shown as 'fewer than {t}' or 'hidden') and, where a hidden "
    "number could be worked out from the others, more are hidden too. Where the rest of a group "
    "would be smaller than {t}, a range is given ('more than 26 of 31'). Questions asked of only "
    "some records are not shown where the number asked would give a small number away."
)
WITHHELD = "not shown, so that a small number cannot be worked out"


def _context(report: Any) -> dict[str, Any]:
    exercise = Exercise.objects.select_related("partnership", "template").get(pk=report.target_id)
    result = findings_module.compute(exercise)
    share = bool(report.params.get("share"))
    threshold = exercise.partnership.suppression_threshold
    if share:
        result = findings_module.for_sharing(result, threshold)
    statements = list(Conclusion.objects.filter(exercise=exercise, status="accepted"))
    return {
        "exercise": exercise,
        "findings": result,
        "bands": bands_for(default_framework()),
        "share": share,
        "threshold": threshold,
        "statements": statements,
        "made": timezone.localdate(),
    }


def shown(count: int | None, share: bool, threshold: int) -> str:
    return "hidden" if count is None else str(count)


def item_rows(ctx: dict[str, Any]) -> list[dict[str, Any]]:
    """Per item: label, denominator, headline text and distribution, for sharing through
    the findings' disclosure rules (``records.findings.for_sharing`` and its helpers)."""
    rows = []
    threshold, share, result = ctx["threshold"], ctx["share"], ctx["findings"]
    for finding in result.items:
        if (
            finding.kind not in ("six_point", "yes_no", "choice", "multiple")
            or not finding.answered
        ):
            continue
        if finding.item.pk in result.withheld:
            rows.append(
                {
                    "finding": finding,
                    "answered": proportion(finding.answered, result.moderated, threshold).words,
                    "headline": WITHHELD,
                    "distribution": [],
                }
            )
            continue
        visible: list[int | None] = (
            findings_module.shared_counts(finding, threshold)
            if share
            else [n for _, _, n in finding.counts]
        )
        rows.append(
            {
                "finding": finding,
                "answered": str(finding.answered),
                "headline": findings_module.headline_words(
                    finding, ctx["bands"], threshold if share else None
                ),
                "distribution": [
                    (label, shown(v, share, threshold))
                    for (_, label, _), v in zip(finding.counts, visible, strict=True)
                ],
            }
        )
    return rows


def _charts(ctx: dict[str, Any]) -> list[tuple[Any, str]]:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.records.charts import section_charts

    return section_charts(ctx["findings"], share=ctx["share"], threshold=ctx["threshold"])


@register("records.findings.docx", capability="records.findings", exact="records.case_data")
def build_docx(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.word import ReportDocument

    ctx = _context(report)
    exercise, result = ctx["exercise"], ctx["findings"]
    doc = ReportDocument(
        title=f"Record reading findings: {exercise.title}",
        subtitle="Joint self-evaluation",
        partnership=exercise.partnership.name,
        date=ctx["made"],
    )
    doc.heading("About this report", 1)
    doc.paragraph(
        f"Pairs of trained readers from different agencies read {result.moderated} children's records, "
        "sampled at random from the partnership's case list, and agreed one moderated reading for each. "
        "The findings are based on a sample, so they cannot assure the quality of work for every child."
    )
    if ctx["share"]:
        doc.note(SHARE_NOTE.format(t=ctx["threshold"]))
    strengths = [s.text for s in ctx["statements"] if s.kind == "strength"]
    areas = [s.text for s in ctx["statements"] if s.kind == "improvement"]
    doc.heading("Strengths", 1)
    doc.bullets(strengths or ["None accepted yet."])
    doc.heading("Areas for improvement", 1)
    doc.bullets(areas or ["None accepted yet."])
    doc.heading("By quality indicator", 1)
    doc.table(
        ["Quality indicator", "Evaluations good or better", "Yes answers"],
        [
            [r.title, _pair(r.good_or_better, r.six_point, ctx), _pair(r.yes, r.yes_no, ctx)]
            for r in result.indicators
        ],
    )
    for chart, caption in _charts(ctx):
        doc.chart(chart, caption)
    doc.heading("Every question", 1)
    doc.table(
        ["Question", "Answered", "Result"],
        [
            [
                row["finding"].item.label,
                row["answered"],
                row["headline"] or "; ".join(f"{label}: {n}" for label, n in row["distribution"]),
            ]
            for row in item_rows(ctx)
        ],
    )
    return Built(
        f"findings-{exercise.pk}{'-shared' if ctx['share'] else ''}.docx", DOCX, doc.to_bytes()
    )


def _pair(part: int, whole: int, ctx: dict[str, Any]) -> str:
    if not whole:
        return "–"
    if ctx["share"]:
        return shared_words(part, whole, ctx["threshold"])
    return f"{part} of {whole} ({round(100 * part / whole)}%)"


@register("records.findings.pdf", capability="records.findings", exact="records.case_data")
def build_pdf(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.pdf import render_pdf

    ctx = _context(report)
    ctx["rows"] = item_rows(ctx)
    ctx["charts"] = _charts(ctx)
    ctx["indicator_rows"] = [
        (r.title, _pair(r.good_or_better, r.six_point, ctx), _pair(r.yes, r.yes_no, ctx))
        for r in ctx["findings"].indicators
    ]
    ctx["indicator_header"] = ["Quality indicator", "Evaluations good or better", "Yes answers"]
    ctx["share_note"] = SHARE_NOTE.format(t=ctx["threshold"]) if ctx["share"] else ""
    pdf = render_pdf("records/findings_print.html", ctx)
    return Built(f"findings-{ctx['exercise'].pk}{'-shared' if ctx['share'] else ''}.pdf", PDF, pdf)


@register("records.readings.xlsx", capability="records.case_data", case_level=True)
def build_readings_xlsx(report: Any) -> Built:
    """Every moderated reading, one row each: case-level data."""
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.xlsx import Sheet, workbook

    ctx = _context(report)
    exercise = ctx["exercise"]
    tree = VersionTree.load(exercise.template)
    items = [i for i in tree.items if i.type != "note"]
    rows = []
    for moderation in (
        Moderation.objects.filter(case__exercise=exercise, completed_at__isnull=False)
        .select_related("case", "submission")
        .order_by("case__reading_id")
    ):
        answers = answers_of(moderation.submission)
        case = moderation.case
        rows.append(
            [
                case.reading_id,
                case.get_category_display(),
                case.get_age_band_display(),
                case.get_sex_display(),
                *[
                    (
                        ""
                        if answers.get(i.name) in (None, "", [])
                        else display_value(tree, i, answers.get(i.name))
                    )
                    for i in items
                ],
            ]
        )
    sheets = [
        Sheet(
            title="Moderated readings",
            header=["Reading ID", "Category", "Age band", "Sex", *[i.name for i in items]],
            rows=rows,
        ),
        Sheet(
            title="Questions",
            header=["Column", "Question", "Type"],
            rows=[[i.name, i.label, i.get_type_display()] for i in items],
        ),
    ]
    content = workbook(
        sheets,
        title=f"Record reading data: {exercise.title}",
        partnership=exercise.partnership.name,
        notes=[
            "Pseudonymous reading IDs only: local record references are never exported.",
            "One row per moderated reading; one column per question.",
        ],
    )
    return Built(f"reading-data-{exercise.pk}.xlsx", XLSX, content)


@register("records.findings.xlsx", capability="records.findings")
def build_xlsx(report: Any) -> Built:
    """The findings as counts per question and answer, small numbers always hidden: no
    reading IDs, no per-reading rows, no free text."""
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.xlsx import Sheet, workbook

    ctx = _context(report)
    ctx["share"] = True
    exercise, threshold = ctx["exercise"], ctx["threshold"]
    rows: list[list[Any]] = []
    for row in item_rows(ctx):
        finding = row["finding"]
        for label, shown_count in row["distribution"]:
            rows.append(
                [
                    finding.section.title,
                    finding.item.label,
                    label,
                    int(shown_count) if shown_count.isdigit() else shown_count,
                    finding.answered,
                ]
            )
    sheets = [
        Sheet(
            title="Findings by question",
            header=["Section", "Question", "Answer", "Records", "Out of"],
            rows=rows,
            notes=[
                "Records: how many moderated readings gave the answer. Out of: how many "
                "answered the question."
            ],
        ),
        Sheet(
            title="By quality indicator",
            header=["Quality indicator", "Evaluations good or better", "Yes answers"],
            rows=[
                [r.title, _pair(r.good_or_better, r.six_point, ctx), _pair(r.yes, r.yes_no, ctx)]
                for r in ctx["findings"].indicators
            ],
        ),
    ]
    content = workbook(
        sheets,
        title=f"Record reading findings: {exercise.title}",
        partnership=exercise.partnership.name,
        notes=[
            f"Based on {ctx['findings'].moderated} moderated readings.",
            *_why_empty(rows, ctx["findings"].moderated, threshold),
            "No individual readings: counts per question only, with no reading IDs and "
            "none of the readers' written reasons.",
            SHARE_NOTE.format(t=threshold),
        ],
    )
    return Built(f"findings-{exercise.pk}.xlsx", XLSX, content)


def _why_empty(rows: list[list[Any]], moderated: int, threshold: int) -> list[str]:
    """Say why a workbook for sharing has no counts by question, rather than leave its
    sheet empty without a word."""
    if rows:
        return []
    if moderated < small_group(threshold):
        return [
            f"No counts by question: {moderated} moderated readings are fewer than "
            f"{small_group(threshold)} (twice the threshold of {threshold} for small numbers), "
            "so any count could point to a child's record. People in the partnership who may "
            "see the findings have them on the findings page."
        ]
    return ["No counts by question: no question has an answer that can be shared."]


CHANGE_HEADER = ["What", "Then", "Now", "Change in points (95% interval)", "Clear change?"]
VERDICT_WORDS = {"up": "Went up", "down": "Went down", "no clear change": "No clear change"}


def _change_rows(rows: list[Any]) -> list[list[str]]:
    return [
        [
            f"{r.title} ({r.what})",
            f"{r.then[0]} of {r.then[1]}",
            f"{r.now[0]} of {r.now[1]}",
            r.change_words,
            VERDICT_WORDS.get(r.verdict, r.verdict),
        ]
        if r.comparison
        else [f"{r.title} ({r.what})", "", "", r.words, ""]
        for r in rows
    ]


@register("records.change.docx", capability="records.findings", exact="records.case_data")
def build_change_docx(report: Any) -> Built:
    """What changed between the exercise and the earlier round it repeats, in Word."""
    from howgood.toolkit.word import ReportDocument

    exercise = Exercise.objects.select_related("partnership", "repeat_of", "template").get(
        pk=report.target_id, partnership_id=report.partnership_id
    )
    share = bool(report.params.get("share"))
    found = exercise_change(exercise, share=share, bands=bands_for(default_framework()))
    doc = ReportDocument(
        title=f"What changed: {exercise.title}",
        subtitle="Record reading, compared with the earlier round"
        + (" (for sharing)" if share else ""),
        partnership=exercise.partnership.name,
        date=timezone.localdate(),
    )
    doc.heading("About this comparison", 1)
    if found is None:
        doc.paragraph("This record reading is not marked as a repeat of an earlier one.")
        return Built(f"change-{exercise.pk}.docx", DOCX, doc.to_bytes())
    doc.paragraph(
        f"{found.then.title} (then) compared with {exercise.title} (now). Each figure is the "
        "number of moderated records. A change is called clear only when its 95% interval "
        "(Newcombe's hybrid score interval) leaves out no change and Fisher's exact test says "
        "it is unlikely to be chance (p < 0.05)."
    )
    if share:
        doc.note(
            f"For sharing: a comparison is withheld where a round's numbers are under "
            f"{exercise.partnership.suppression_threshold}."
        )
    if not found.same_lineage:
        doc.paragraph("The two rounds use different templates, so no question is compared.")
    for heading, lines in (
        ("The areas for improvement accepted last time", found.areas),
        ("The strengths accepted last time", found.strengths),
    ):
        if lines:
            doc.heading(heading, 1)
            doc.bullets([r.words for r in lines])
    for heading, rows in (
        ("Question by question", found.items),
        ("By quality indicator", found.indicators),
        ("By inspection statement", found.statements),
        ("By section", found.sections),
    ):
        if rows:
            doc.heading(heading, 1)
            doc.table(CHANGE_HEADER, _change_rows(rows), caption=heading, numeric_columns=(1, 2, 3))
    return Built(f"change-{slugify(exercise.title)}.docx", DOCX, doc.to_bytes())
