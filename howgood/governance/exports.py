"""A drafted document in Word: the sections as people left them, then an appendix that
lists every figure the draft was made from, with where it came from."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from howgood.governance.models import Draft, Meeting, Presence
from howgood.governance.selectors import meeting_page
from howgood.reports.registry import DOCX, Built, register


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
