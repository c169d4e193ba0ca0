"""The Data section's figures as a Word or PDF document: the threshold page on paper, each
chart with its data table: the figures exactly (a copy not for sharing needs ``data.exact``:
members inside the partnership, to ask for and to download) or for sharing (small numbers
withheld, ``data.view``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from howgood.childprotection import charts
from howgood.childprotection.models import DataSettings
from howgood.childprotection.threshold import (
    CONCERN_KEYS,
    REGISTER_KEYS,
    Threshold,
    figure_table,
    threshold,
)
from howgood.reports.registry import DOCX, PDF, Built, register

PATHWAY_HEADER = ["Step", "Number", "Of the step before"]


@dataclass
class DataReport:
    partnership: str
    made: Any
    found: Threshold
    share: bool
    intro: str
    wellbeing_caption: str = "Concerns re-classified to wellbeing, by month"
    wellbeing_chart: Any = None
    funnel_chart: Any = None
    pathway: list[list[str]] = field(default_factory=list)
    # The figures in two tables, so that each fits a portrait page.
    concerns_header: list[str] = field(default_factory=list)
    concerns: list[list[str]] = field(default_factory=list)
    register_header: list[str] = field(default_factory=list)
    register: list[list[str]] = field(default_factory=list)
    scotland: list[list[str]] = field(default_factory=list)


def build_report(settings: DataSettings, *, share: bool) -> DataReport:
    partnership = settings.partnership
    found = threshold(partnership, by="quarter", outside=share)
    made = timezone.localdate()
    if not found.source:
        intro = "There is no child protection data yet."
    else:
        intro = (
            f"From {found.first} to {found.last}, "
            + (
                "worked out from the concern log (one row per concern)."
                if found.source == "extract"
                else "from the monthly counts entered."
            )
            + (f" Counts under {found.threshold} are withheld." if share else "")
        )
    content = DataReport(
        partnership=partnership.name, made=made, found=found, share=share, intro=intro
    )
    if share:
        content.wellbeing_caption = "Concerns re-classified to wellbeing, by quarter"
    if found.chart is not None and found.chart.points:
        content.wellbeing_chart = charts.draw_wellbeing(found.chart, formats=("png",))
    if found.funnel is not None:
        content.funnel_chart = charts.draw_funnel(
            found.funnel, found.funnel_period, formats=("png",)
        )
    content.pathway = [[s["label"], s["count"].shown, s["share"]] for s in found.pathway]
    content.concerns_header, content.concerns = figure_table(found, CONCERN_KEYS)
    content.register_header, content.register = figure_table(found, REGISTER_KEYS)
    if found.own_rate:
        own = found.own_rate
        content.scotland.append(
            [
                "This partnership",
                f"31 July {own['year']}",
                str(own["on_register"]),
                f"{own['rate']:.1f}",
            ]
        )
    if found.scotland_rate:
        nat = found.scotland_rate
        content.scotland.append(
            ["Scotland", "31 July 2021", f"{nat['count']:,}", f"{nat['rate']:.1f}"]
        )
    return content


def _settings(report: Any) -> DataSettings:
    return DataSettings.objects.select_related("partnership").get(pk=report.target_id)


TITLE = "Child protection concerns and thresholds"


def _share(report: Any) -> bool:
    return bool(report.params.get("share"))


@register("childprotection.figures.docx", capability="data.view", exact="data.exact")
def build_docx(report: Any) -> Built:
    # Imported here, not at the top: the document libraries take seconds to load.
    from howgood.toolkit.word import ReportDocument

    content = build_report(_settings(report), share=_share(report))
    found = content.found
    doc = ReportDocument(
        title=TITLE,
        subtitle="The partnership's child protection data"
        + (" (for sharing)" if content.share else ""),
        partnership=content.partnership,
        date=content.made,
    )
    doc.paragraph(content.intro)
    if content.wellbeing_chart is not None and found.chart is not None:
        doc.heading("How many concerns are re-classified to wellbeing?", 1)
        doc.paragraph(found.chart.summary)
        doc.bullets([*found.phases, *found.chart.signals])
        doc.chart(content.wellbeing_chart, content.wellbeing_caption)
    if content.funnel_chart is not None:
        doc.heading("Which agencies' concerns are re-classified?", 1)
        doc.paragraph(
            f"{found.funnel_period}. Each referring agency against the partnership's overall "
            f"share ({found.funnel_target}): an agency outside the limits differs by more than "
            "chance; a small agency far from the line may not."
        )
        doc.chart(content.funnel_chart, "Re-classified share by referring agency")
    if content.pathway:
        doc.heading("From concern to registration", 1)
        doc.paragraph(f"{found.pathway_period}: each step, and its share of the step before.")
        doc.table(PATHWAY_HEADER, content.pathway)
    if content.scotland:
        doc.heading("Beside Scotland", 1)
        doc.table(
            ["", "On", "Children on the register", "Per 1,000 aged 0 to 15"], content.scotland
        )
    for note in found.notes:
        doc.note(note)
    if content.concerns:
        doc.heading("Concerns by quarter", 1)
        doc.table(content.concerns_header, content.concerns)
        doc.heading("The register by quarter", 1)
        doc.table(content.register_header, content.register)
        doc.note(
            f"A re-registration is a registration of a child de-registered in the "
            f"{found.reregistration_months} months before it (a local convention). In time: "
            f"the planning meeting within {found.cppm_days} calendar days of the concern."
        )
    return Built("child-protection-data.docx", DOCX, doc.to_bytes())


@register("childprotection.figures.pdf", capability="data.view", exact="data.exact")
def build_pdf(report: Any) -> Built:
    from howgood.toolkit.pdf import render_pdf

    content = build_report(_settings(report), share=_share(report))
    pdf = render_pdf(
        "childprotection/report_print.html",
        {
            "report": content,
            "found": content.found,
            "title": TITLE,
            "subtitle": "The partnership's child protection data"
            + (" (for sharing)" if content.share else ""),
            "partnership": content.partnership,
            "date": content.made,
            "pathway_header": PATHWAY_HEADER,
            "scotland_header": ["", "On", "Children on the register", "Per 1,000 aged 0 to 15"],
        },
    )
    return Built("child-protection-data.pdf", PDF, pdf)
