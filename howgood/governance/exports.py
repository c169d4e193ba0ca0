"""A drafted document in Word: the sections as people left them, then an appendix that
lists every figure the draft was made from, with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from howgood.governance.models import Draft, Meeting, Presence, ReportPack
from howgood.governance.selectors import meeting_page, packs_for
from howgood.improvement.charts import draw_drawing
from howgood.reports.registry import DOCX, PDF, Built, register


def draft_docx(draft: Draft) -> bytes:
    """The draft as a Word document (sections in order, then the figures' sources)."""
    # Imported here, not at the top: the document libraries take seconds to load.
    from howgood.toolkit.word import ReportDocument

    doc = ReportDocument(
        title=draft.get_kind_display(),
        subtitle=f"Draft, with figures as at {draft.as_at:%-d %B %Y}",
        partnership=draft.partnership.name,
        date=draft.as_at,
        marking="OFFICIAL",
    )
    for section in draft.sections:
        doc.heading(section["heading"], 1)
        bullets: list[str] = []
        for line in section["text"].split("\n"):
            if line.startswith("- "):
                bullets.append(line[2:].strip())
                continue
            if bullets:
                doc.bullets(bullets)
                bullets = []
            if line.strip():
                doc.paragraph(line.strip())
        if bullets:
            doc.bullets(bullets)
    doc.heading("Appendix: where the figures come from", 1)
    doc.paragraph(
        f"Each figure this draft was made from, as HowGood held it on {draft.as_at:%-d %B %Y}."
    )
    doc.table(
        ["Figure", "Value", "Where it came from"],
        [(f["label"], f["value"], f["source"]) for f in draft.figures],
        caption="The figures and their sources",
        numeric_columns=(1,),
    )
    return doc.to_bytes()


def filename(draft: Draft) -> str:
    return f"{draft.kind.replace('_', '-')}-{draft.partnership.slug}-{draft.as_at:%Y-%m-%d}.docx"


@register("governance.draft.docx", capability="governance.view")
def build_docx(report: Any) -> Built:
    draft = Draft.objects.select_related("partnership").get(
        pk=report.target_id, partnership_id=report.partnership_id
    )
    return Built(filename(draft), DOCX, draft_docx(draft))


def minutes_docx(meeting: Meeting) -> bytes:
    """A meeting's minutes: who came, the agenda with its discussion, the decisions and the
    plan actions they became."""
    from howgood.toolkit.word import ReportDocument

    page = meeting_page(meeting, timezone.localdate())
    doc = ReportDocument(
        title=f"Minutes: {meeting.group.name}",
        subtitle=f"Meeting of {meeting.held_on:%-d %B %Y}",
        partnership=meeting.group.partnership.name,
        date=meeting.held_on,
        marking="OFFICIAL",
    )
    papers = [p.title for p in packs_for(meeting)] + [d.title for d in meeting.papers.all()]
    if papers:
        doc.heading("Papers", 1)
        doc.bullets(papers)
    doc.heading("Attendance", 1)
    if page.presence:
        doc.table(
            ["Member", "Role", "Agency", "Attendance"],
            [
                (
                    s.display_name,
                    s.role,
                    s.agency.name if s.agency else "",
                    Presence(page.presence[s.pk]).label
                    if s.pk in page.presence
                    else "Not recorded",
                )
                for s in page.seats
            ],
            caption="Who came",
        )
        quorum = meeting.group.quorum
        if page.quorate is not None:
            doc.paragraph(
                f"{page.counts['present']} members present; the quorum is {quorum}: the meeting "
                + ("was quorate." if page.quorate else "was not quorate.")
            )
    else:
        doc.paragraph("Attendance was not recorded.")
    doc.heading("Agenda and discussion", 1)
    for item, about in page.items:
        doc.heading(f"{item.number}. {item.title}", 2)
        if about:
            doc.paragraph(f"About: {about[0]}")
        for paragraph in item.discussion.split("\n\n"):
            if paragraph.strip():
                doc.paragraph(paragraph.strip())
    doc.heading("Decisions", 1)
    if page.decisions:
        doc.table(
            ["Decision", "Action in the plan", "Owner", "Due", "RAG"],
            [
                (
                    d.text,
                    row.action.title if row else "",
                    (row.action.owner.user.full_name if row and row.action.owner else ""),
                    (row.action.due_on if row and row.action.due_on else ""),
                    (row.rag.label if row else ""),
                )
                for d, row in page.decisions
            ],
            caption="Decisions and the actions they became",
        )
    else:
        doc.paragraph("No decisions were recorded.")
    return doc.to_bytes()


@register("governance.minutes.docx", capability="governance.view")
def build_minutes(report: Any) -> Built:
    meeting = Meeting.objects.select_related("group__partnership").get(
        pk=report.target_id, group__partnership_id=report.partnership_id
    )
    name = f"minutes-{slugify(meeting.group.name)}-{meeting.held_on:%Y-%m-%d}.docx"
    return Built(name, DOCX, minutes_docx(meeting))


# --- The report pack -----------------------------------------------------------------------

PACK_SECTIONS = [
    ("plan", "The improvement plan"),
    ("measures", "Measures"),
    ("threshold", "Child protection concerns and thresholds"),
    ("engagement", "Surveys and record reading"),
    ("programme", "The self-evaluation programme"),
    ("governance", "Governance"),
]


@dataclass
class PackContent:
    """What both documents print: the snapshot, with its charts drawn from their data."""

    pack: ReportPack
    s: dict[str, Any]
    charts: list[tuple[dict[str, Any], Any]]  # (measure, chart or None)
    subtitle: str
    notes: list[str] = field(default_factory=list)


def pack_content(pack: ReportPack, *, formats: tuple[str, ...]) -> PackContent:
    s = pack.snapshot
    charts = [
        (m, draw_drawing(m["drawing"], formats=formats) if m["drawing"] else None)
        for m in s["measures"]
    ]
    for_whom = f"For the {s['group']}" if s["group"] else "For the strategic group"
    when = f" meeting on {s['meeting_on']}" if s["meeting_on"] else ""
    return PackContent(
        pack=pack,
        s=s,
        charts=charts,
        subtitle=f"{for_whom}{when}; figures as at {s['as_at']}",
        notes=[
            f'Counts under {s["threshold"]} are withheld ("fewer than {s["threshold"]}"), '
            "as for anything shared outside the partnership.",
            "Nothing in this pack is about an individual child.",
        ],
    )


def pack_docx(pack: ReportPack) -> bytes:
    from howgood.toolkit.word import ReportDocument

    c = pack_content(pack, formats=("png",))
    s = c.s
    doc = ReportDocument(
        title="Report pack", subtitle=c.subtitle, partnership=s["partnership"], date=pack.as_at
    )
    doc.heading("Contents", 1)
    doc.bullets([title for _, title in PACK_SECTIONS])
    for note in c.notes:
        doc.note(note)
    doc.page_break()
    doc.heading("The improvement plan", 1)
    plan = s["plan"]
    if plan:
        doc.paragraph(
            f"{plan['title']}: "
            + ", ".join(f"{label} {n}" for label, n in plan["rag"])
            + (f", and {plan['not_agreed']} not agreed yet" if plan["not_agreed"] else "")
            + f". {plan['agreed_this_quarter']} agreed this quarter."
        )
        if plan["overdue"]:
            doc.table(
                ["Overdue action", "Owner", "Due", "Why it is red"],
                plan["overdue"],
                caption="Overdue actions",
            )
        else:
            doc.paragraph("No action is overdue.")
    else:
        doc.paragraph("There is no improvement plan yet.")
    doc.heading("Measures", 1)
    if not c.charts:
        doc.paragraph("No measures yet.")
    for measure, chart in c.charts:
        doc.heading(measure["title"], 2)
        doc.paragraph(measure["summary"])
        if measure["assurance"]:
            doc.paragraph(f"Assurance: {measure['assurance']}.")
        if chart is not None:
            doc.chart(chart, measure["title"])
    doc.heading("Child protection concerns and thresholds", 1)
    if s["threshold_figures"]:
        doc.table(
            ["Figure", "The last twelve months"], s["threshold_figures"], caption="Thresholds"
        )
    else:
        doc.paragraph("No child protection data yet.")
    doc.paragraph(f"Matters of concern open (raised by record readers): {s['concerns']}.")
    doc.heading("Surveys and record reading", 1)
    if s["surveys"]:
        doc.table(
            ["Survey", "Responses", "Status"], s["surveys"], caption="Surveys", numeric_columns=(1,)
        )
    if s["readings"]:
        doc.table(
            [
                "Record reading",
                "Records read",
                "Last reading",
                "Strengths",
                "Areas for improvement",
            ],
            s["readings"],
            caption="Record reading",
            numeric_columns=(1, 3, 4),
        )
    doc.heading("The self-evaluation programme", 1)
    p = s["programme"]
    doc.paragraph(
        f"{p['done']} of {p['activities']} activities done, {p['in_progress']} in progress, "
        f"{len(p['late'])} overdue."
    )
    if p["late"]:
        doc.table(["Overdue activity", "Due to finish"], p["late"], caption="Overdue activities")
    doc.heading("Governance", 1)
    if s["terms_due"]:
        doc.table(
            ["Group", "Terms due for review"], s["terms_due"], caption="Terms of reference due"
        )
    else:
        doc.paragraph("No terms of reference are due for review.")
    since = s["since"]
    if since:
        doc.paragraph(f"Since the {since['group']} met on {since['held_on']}:")
        doc.bullets([f"{words}: {n}" for words, n in since["changes"]] or ["nothing recorded"])
    return doc.to_bytes()


def pack_pdf(pack: ReportPack) -> bytes:
    from howgood.toolkit.pdf import render_pdf

    c = pack_content(pack, formats=("png",))
    return render_pdf(
        "governance/pack_print.html",
        {
            "c": c,
            "s": c.s,
            "sections": PACK_SECTIONS,
            "title": "Report pack",
            "subtitle": c.subtitle,
            "partnership": c.s["partnership"],
            "date": pack.as_at,
            "overdue_header": ["Overdue action", "Owner", "Due", "Why it is red"],
            "threshold_header": ["Figure", "The last twelve months"],
            "survey_header": ["Survey", "Responses", "Status"],
            "reading_header": [
                "Record reading",
                "Records read",
                "Last reading",
                "Strengths",
                "Areas for improvement",
            ],
            "late_header": ["Overdue activity", "Due to finish"],
            "terms_header": ["Group", "Terms due for review"],
        },
    )


def _pack(report: Any) -> ReportPack:
    return ReportPack.objects.get(pk=report.target_id, partnership_id=report.partnership_id)


def _pack_name(pack: ReportPack, ext: str) -> str:
    return f"report-pack-{pack.partnership.slug}-{pack.as_at:%Y-%m-%d}.{ext}"


@register("governance.pack.docx", capability="governance.view")
def build_pack_docx(report: Any) -> Built:
    pack = _pack(report)
    return Built(_pack_name(pack, "docx"), DOCX, pack_docx(pack))


@register("governance.pack.pdf", capability="governance.view")
def build_pack_pdf(report: Any) -> Built:
    pack = _pack(report)
    return Built(_pack_name(pack, "pdf"), PDF, pack_pdf(pack))
