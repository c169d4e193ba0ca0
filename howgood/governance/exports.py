"""A drafted document in Word: the sections as people left them, then an appendix that
lists every figure the draft was made from, with where it came from."""

from __future__ import annotations

from typing import Any

from howgood.governance.models import Draft
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
