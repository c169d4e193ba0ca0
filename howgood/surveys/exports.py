"""Survey documents: the responses as CSV or Excel, and a survey report in Word and PDF.

The responses (CSV, Excel) are for the coordinator and lead, once the survey has closed: one
row per complete response in the order of its random token, named by a keyed hash of it,
so neither order nor name reveals when anyone answered; every cell formula-safe.

The report (Word, PDF) is built in the background from the same analysis as the page:
response rates, where services or roles see things differently, each section's positive answers
overall and by agency with charts, comment themes, and only the comments somebody chose
to quote. Breakdowns are always suppressed as on the page; a report "for sharing" also
hides small numbers in the overall counts, the response counts and the theme counts.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac

from howgood.questionnaires.models import Answer
from howgood.questionnaires.rendering import VersionTree, display_value
from howgood.reports.registry import DOCX, PDF, Built, register
from howgood.stats.disclosure import small_group, suppress_groups
from howgood.surveys.analysis import Share, analyse
from howgood.surveys.models import CommentTheme, QuotedComment, Response, Survey
from howgood.surveys.selectors import require_results, response_rates

SHARE_NOTE = (
    "Numbers smaller than {t} are hidden (shown as 'fewer than {t}' or 'hidden') and, where a "
    "hidden number could be worked out from the others, or what is hidden would add up to "
    "fewer than {t}, more are hidden too."
)
NO_GAPS = "The survey found no clear differences between services or roles."
METHOD = [
    "Responses are anonymous: HowGood keeps no name, sign-in, IP address or time with them.",
    "Positive answers are 'strongly agree' and 'agree' (or 'always' and 'mostly', or the "
    "happy face), as a percentage of the people who answered the question.",
    "Results are shown only once the survey has closed, so they never change between two "
    "looks at them. In a breakdown by agency or role, a group is shown on its own only when "
    "it gave at least {g} answers; smaller groups are shown together. Within a breakdown, "
    "numbers smaller than {t} are hidden, and more are hidden where a hidden number could be "
    "worked out from the totals or the hidden numbers would add up to fewer than {t}.",
    "Where services or roles answered a question differently, the report says so. The test "
    "is a Kruskal–Wallis test; its p-values are adjusted for the number of questions tested "
    "(Holm's method), and the size of the difference is given by epsilon squared.",
]


# --- The responses ---------------------------------------------------------------------------


def response_reference(token: str) -> str:
    """A response's name in the exports: a keyed hash of its random token, so neither the
    name nor the rows' order follows the order people answered in (no 1, 2, 3…)."""

    digest = salted_hmac("howgood.surveys.response", token).hexdigest()[:12].upper()
    return f"{digest[:4]}-{digest[4:8]}-{digest[8:]}"


def response_rows(survey: Any) -> tuple[list[str], list[list[Any]]]:
    """One row per complete response: its reference, agency and every answer, in a random
    but stable order (sorted by the response's random token), so neither the order nor
    the references reveal anything. Three queries. Only once the survey has closed."""

    require_results(survey)  # not while the survey is open (ADR 0008)
    tree = VersionTree.load(survey.version)
    items = [i for i in tree.items if i.type != "note"]
    responses = list(
        Response.objects.filter(survey=survey, complete=True)
        .select_related("agency")
        .order_by("token")
        .only("token", "submission_id", "agency__name")
    )
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    for submission_id, name, item_type, text in Answer.objects.filter(
        submission__survey_response__survey=survey, submission__survey_response__complete=True
    ).values_list("submission_id", "item__name", "item__type", "value_text"):
        if item_type == "select_multiple":
            values[submission_id].setdefault(name, []).append(text)
        else:
            values[submission_id][name] = text
    header = ["Response", "Agency", *[i.name for i in items]]
    rows = []
    for response in responses:
        answers = values.get(response.submission_id, {})
        rows.append(
            [
                response_reference(response.token),
                response.agency.name if response.agency else "",
                *[
                    display_value(tree, i, answers.get(i.name))
                    if answers.get(i.name) not in (None, "", [])
                    else ""
                    for i in items
                ],
            ]
        )
    return header, rows


RESPONSES_NOTES = (
    "Anonymous: no names, sign-ins, addresses or times are held.",
    "Rows are in a random order: the order says nothing about who answered when.",
)


def responses_xlsx(survey: Any, header: list[str], rows: list[list[Any]]) -> bytes:
    """The responses as an Excel workbook: an About sheet, then "Responses".

    The same workbook as ``toolkit.xlsx.workbook`` makes (the same values, styles, number
    formats, column widths, frozen header, filter and print settings), written in
    openpyxl's write-only mode: rows are streamed out as they are appended instead of each
    cell being kept as an object, which is several times faster for thousands of responses
    (``bench/responses_xlsx.py``).
    """
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from howgood.toolkit.xlsx import (
        DATE_FORMAT,
        DATETIME_FORMAT,
        HEADER_FILL,
        Sheet,
        cell_value,
        fitted_widths,
    )

    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise ValueError(
                f"Sheet 'Responses', row {number}: {len(row)} cells for {len(header)} columns."
            )
    title = f"Survey responses: {survey.title}"
    partnership = survey.partnership.name
    book = Workbook(write_only=True)

    # The About sheet, cell for cell as toolkit.xlsx._about writes it: from row 3 on, both
    # columns of every row (empty ones too) wrap, top and left.
    about = book.create_sheet("About")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 80
    wrap = Alignment(wrap_text=True, vertical="top", horizontal="left")

    def cell(ws: Any, value: Any, *, bold: bool = False, number_format: str = "") -> Any:
        made = WriteOnlyCell(ws, value=cell_value(value) if value is not None else None)
        if bold:
            made.font = Font(bold=True)
        if number_format:
            made.number_format = number_format
        made.alignment = wrap
        return made

    heading = WriteOnlyCell(about, value=cell_value(title))
    heading.font = Font(bold=True, size=14)
    count = len(rows)
    lines: list[list[Any]] = [
        [heading],
        [],
        [cell(about, "Partnership", bold=True), cell(about, partnership)],
        [
            cell(about, "Date made", bold=True),
            cell(about, timezone.localdate(), number_format="d mmmm yyyy"),
        ],
        [cell(about, None), cell(about, None)],
        [cell(about, "Sheets", bold=True), cell(about, None)],
        [cell(about, "Responses"), cell(about, f"{count:,} row{'s' if count != 1 else ''}")],
        [cell(about, None), cell(about, None)],
        [cell(about, "Notes", bold=True), cell(about, None)],
        *[[cell(about, note), cell(about, None)] for note in RESPONSES_NOTES],
    ]
    for line in lines:
        about.append(line)

    # The responses: a bold, shaded, wrapped header row, frozen, with a filter; dates as
    # Excel dates; columns fitted to their content (as toolkit.xlsx._data_sheet).
    ws = book.create_sheet("Responses")
    for index, width in enumerate(
        fitted_widths(Sheet(title="Responses", header=header, rows=rows)), start=1
    ):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    shaded = []
    for name in header:
        top = WriteOnlyCell(ws, value=cell_value(name))
        top.font = Font(bold=True)
        top.fill = HEADER_FILL
        top.alignment = Alignment(wrap_text=True, vertical="top")
        shaded.append(top)
    ws.append(shaded)
    # Answers repeat ("Agree", "Health"): each distinct text is made safe once.
    safe: dict[str, Any] = {}

    def value_of(value: Any) -> Any:
        if type(value) is not str:
            return cell_value(value)
        if value not in safe:
            safe[value] = cell_value(value)
        return safe[value]

    for row in rows:
        values = [value_of(v) for v in row]
        for j, value in enumerate(values):
            if isinstance(value, dt.date):  # a real Excel date, shown as a date
                values[j] = WriteOnlyCell(ws, value=value)
                values[j].number_format = (
                    DATETIME_FORMAT if isinstance(value, dt.datetime) else DATE_FORMAT
                )
        ws.append(values)

    book.properties.title = cell_value(title)
    book.properties.creator = cell_value(partnership)
    book.properties.lastModifiedBy = "HowGood"
    book.properties.language = "en-GB"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- The report --------------------------------------------------------------------------------


@dataclass
class Figure:
    chart: Any  # a howgood.toolkit.charts.base.Chart
    caption: str
    number: int


@dataclass
class ReportSection:
    title: str
    summary_header: list[str]
    summary_rows: list[list[str]]
    charts: list[Figure] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    caption: str = ""

    @property
    def numeric_columns(self) -> tuple[int, ...]:
        return tuple(range(1, len(self.summary_header)))


@dataclass
class SurveyReport:
    survey: Any
    share: bool
    threshold: int
    made: Any
    responses: str
    intro: list[str]
    rates_header: list[str]
    rates_rows: list[list[str]]
    gaps: list[str]
    gap_charts: list[Figure]
    sections: list[ReportSection]
    themes_header: list[str]
    themes_rows: list[list[str]]
    quotes: list[tuple[str, list[str]]]
    method: list[str]
    withheld: str = ""  # no results yet, and why (the report then says only that)

    rates_numeric = (1, 2, 3)
    themes_numeric = (1,)

    @property
    def small_group(self) -> int:
        return small_group(self.threshold)

    @property
    def share_note(self) -> str:
        return SHARE_NOTE.format(t=self.threshold) if self.share else ""


def _count(n: int, share: bool, threshold: int) -> str:
    return f"fewer than {threshold}" if share and 0 < n < threshold else f"{n:,}"


def _percent(share: Any) -> str:
    if share is None:
        return "not shown"
    if share.note:
        return share.note
    if share.percent is None:
        return "hidden" if share.answered else "–"
    return f"{share.percent:.0f}%"


def build_report(survey: Any, *, share: bool) -> SurveyReport:
    """Everything the Word and PDF reports show, as text, numbers and drawn charts."""
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.charts.base import kept
    from howgood.toolkit.charts.distribution import stacked_distribution

    analysis = analyse(survey)
    threshold = analysis.threshold
    closes = survey.closed_early_on or survey.closes_on
    intro = [
        f"{survey.partnership.name} ran this survey from {survey.opens_on:%-d %B %Y} to "
        f"{closes:%-d %B %Y}. {analysis.responses_words} people completed it.",
    ]
    if analysis.withheld:
        # Asked for before the survey closed, or too few answered: no results at all.
        return SurveyReport(
            survey=survey,
            share=share,
            threshold=threshold,
            made=timezone.localdate(),
            responses=analysis.responses_words,
            intro=intro,
            rates_header=[],
            rates_rows=[],
            gaps=[],
            gap_charts=[],
            sections=[],
            themes_header=[],
            themes_rows=[],
            quotes=[],
            method=[m.format(t=threshold, g=small_group(threshold)) for m in METHOD],
            withheld=analysis.withheld,
        )
    if survey.is_staff_survey:
        intro.append(
            "Staff from every agency in the partnership were asked. The response rate compares "
            "the responses from each agency with its number of staff."
        )
    rates = response_rates(survey) if survey.is_staff_survey else []
    counts: list[int | None] = [row["responses"] for row in rates]
    if share and rates:
        # With the total in the introduction, one hidden agency could be worked out from
        # the others: hide a second where needed (secondary suppression).
        counts = suppress_groups([[row["responses"] for row in rates]], threshold)[0]
    rates_rows = [
        [
            row["agency"].name,
            f"fewer than {threshold}"
            if n is None and row["responses"] < threshold
            else ("hidden" if n is None else f"{n:,}"),
            f"{row['agency'].headcount:,}" if row["agency"].headcount else "not recorded",
            "–" if row["rate"] is None else ("hidden" if n is None else f"{row['rate']}%"),
        ]
        for row, n in zip(rates, counts, strict=True)
    ]
    gaps: list[str] = []
    gap_charts: list[Figure] = []
    figures = iter(range(1, 1000))
    for q, b in analysis.flagged:
        gaps.append(f"{q.item.label} (by {b.dimension}): {b.words}")
        if b.dimension == "agency":
            gap_charts.append(
                Figure(
                    kept(
                        stacked_distribution,
                        title=f"{q.item.label}: answers by agency",
                        categories=b.groups,
                        levels=[label for _, label in b.columns],
                        counts=b.rows,
                        totals=b.totals,
                        value_label="Number of answers",
                        category_label="Agency",
                        formats=("png",),
                    ),
                    f"{q.item.label}: answers by agency",
                    next(figures),
                )
            )
    sections: list[ReportSection] = []
    for section in analysis.sections:
        rows = section.summary_rows
        if not rows:
            continue
        part = ReportSection(
            title=section.section.title,
            summary_header=["Question", "All", *analysis.agencies],
            summary_rows=[],
        )
        # Questions that share a scale are drawn together, one bar each.
        by_scale: dict[tuple[str, ...], list[tuple[str, list[int | None], int]]] = defaultdict(list)
        positive_words: set[str] = set()
        for q, shares in rows:
            counts: list[int | None] = list(q.counts)
            if share:
                if 0 < q.answered < small_group(threshold):
                    part.withheld.append(q.item.label)
                    continue
                counts = suppress_groups([list(q.counts)], threshold)[0]
            top = counts[: q.positive_options]
            overall = Share(
                None if any(c is None for c in top) else sum(c or 0 for c in top), q.answered
            )
            part.summary_rows.append(
                [
                    q.item.label,
                    _percent(overall),
                    *[_percent(s) for s in shares],
                ]
            )
            by_scale[tuple(label for _, label in q.options)].append(
                (q.item.label, counts, q.answered)
            )
            positive_words.add(q.positive_label)
        part.caption = "Percentage of positive answers ({})".format(
            "; ".join(sorted(positive_words))
        )
        for levels, bars in by_scale.items():
            part.charts.append(
                Figure(
                    kept(
                        stacked_distribution,
                        title=f"{section.section.title}: all respondents",
                        categories=[label for label, _, _ in bars],
                        levels=list(levels),
                        counts=[c for _, c, _ in bars],
                        totals=[t for _, _, t in bars],
                        value_label="Number of answers",
                        category_label="Question",
                        formats=("png",),
                    ),
                    f"{section.section.title}: how everyone answered",
                    next(figures),
                )
            )
        sections.append(part)
    themes = [
        [t.name, _count(t.n, share, threshold)]
        for t in CommentTheme.objects.filter(survey=survey)
        .annotate(n=Count("tags"))
        .order_by("-n", "name")
        if t.n
    ]
    quotes: dict[str, list[str]] = defaultdict(list)
    for quote in QuotedComment.objects.filter(survey=survey).select_related("answer__item"):
        quotes[quote.answer.item.label].append(quote.answer.value_text)
    return SurveyReport(
        survey=survey,
        share=share,
        threshold=threshold,
        made=timezone.localdate(),
        responses=f"{analysis.responses:,}",
        intro=intro,
        rates_header=["Agency", "Responses", "Staff", "Response rate"],
        rates_rows=rates_rows,
        gaps=gaps,
        gap_charts=gap_charts,
        sections=sections,
        themes_header=["Theme", "Comments"],
        themes_rows=themes,
        quotes=sorted(quotes.items()),
        method=[m.format(t=threshold, g=small_group(threshold)) for m in METHOD],
    )


def _survey(report: Any) -> Any:
    return Survey.objects.select_related("partnership", "version__questionnaire").get(
        pk=report.target_id
    )


def _filename(content: SurveyReport, ext: str) -> str:
    return f"survey-report-{content.survey.pk}{'-shared' if content.share else ''}.{ext}"


@register("surveys.report.docx", capability="surveys.view", exact="surveys.exact")
def build_docx(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.word import ReportDocument

    content = build_report(_survey(report), share=bool(report.params.get("share")))
    survey = content.survey
    doc = ReportDocument(
        title=survey.title,
        subtitle="Survey report",
        partnership=survey.partnership.name,
        date=content.made,
    )
    doc.heading("About this survey", 1)
    for text in content.intro:
        doc.paragraph(text)
    if content.withheld:
        doc.note(content.withheld)
        return Built(_filename(content, "docx"), DOCX, doc.to_bytes())
    if content.share_note:
        doc.note(content.share_note)
    if content.rates_rows:
        doc.table(
            content.rates_header,
            content.rates_rows,
            caption="Responses by agency",
            numeric_columns=(1, 2, 3),
        )
    doc.heading("Where services or roles see things differently", 1)
    doc.bullets(content.gaps or [NO_GAPS])
    for figure in content.gap_charts:
        doc.chart(figure.chart, figure.caption)
    for section in content.sections:
        doc.heading(section.title, 1)
        doc.table(
            section.summary_header,
            section.summary_rows,
            caption=section.caption,
            numeric_columns=section.numeric_columns,
        )
        if section.withheld:
            doc.note(
                f"Not shown, because fewer than {content.small_group} people answered: "
                + "; ".join(section.withheld)
            )
        for figure in section.charts:
            doc.chart(figure.chart, figure.caption)
    doc.heading("What people said", 1)
    if content.themes_rows:
        doc.table(content.themes_header, content.themes_rows, caption="Comment themes")
    else:
        doc.paragraph("No comments have been given themes.")
    for label, texts in content.quotes:
        doc.heading(label, 2)
        doc.bullets([f"“{t}”" for t in texts])
    doc.heading("How to read this report", 1)
    doc.bullets(content.method)
    return Built(_filename(content, "docx"), DOCX, doc.to_bytes())


@register("surveys.report.pdf", capability="surveys.view", exact="surveys.exact")
def build_pdf(report: Any) -> Built:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from howgood.toolkit.pdf import render_pdf

    content = build_report(_survey(report), share=bool(report.params.get("share")))
    pdf = render_pdf(
        "surveys/report_print.html",
        {
            "report": content,
            "title": content.survey.title,
            "subtitle": "Survey report",
            "partnership": content.survey.partnership.name,
            "date": content.made,
        },
    )
    return Built(_filename(content, "pdf"), PDF, pdf)
