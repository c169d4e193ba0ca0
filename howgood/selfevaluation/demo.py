"""The demo's self-evaluation, all invented: documents and audits on the register,
workshops on three quality indicators with contributions from several agencies and the
group's evaluations, and a position statement draft citing live evidence from the demo's
surveys, record reading and measures, with one earlier version signed off."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from howgood.core.demobuild import DemoBuild
from howgood.frameworks.models import QualityIndicator
from howgood.partnerships.models import Agency, Partnership
from howgood.questionnaires.models import Item
from howgood.records.models import Exercise
from howgood.selfevaluation import services
from howgood.selfevaluation.models import Document, EvidenceLink


def _docx(title: str, paragraphs: list[str]) -> bytes:
    # Imported here, not at the top: the document libraries (matplotlib, python-docx,
    # openpyxl, WeasyPrint) take seconds to load and only document builders need them.
    from docx import Document

    document = Document()
    document.add_heading(title, 1)
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


CONTRIBUTIONS = {
    "2.1": [
        ("strength", "Children tell us they have a trusted adult who helps them.", "health"),
        (
            "strength",
            "Most children on the register are seen alone by their social worker.",
            "social_work",
        ),
        ("area", "We cannot yet show that children's lives improve after our help.", "education"),
        (
            "evidence",
            "Children's survey: nearly all children know who to talk to if worried.",
            "third_sector",
        ),
        (
            "action",
            "Agree two outcome measures for children on child protection plans.",
            "social_work",
        ),
    ],
    "5.2": [
        (
            "strength",
            "IRDs are held quickly and police, health and social work take part.",
            "police",
        ),
        ("area", "Teachers are not told the outcome when they raise a concern.", "education"),
        ("area", "Schools do not hear back after a child protection referral.", "education"),
        ("area", "Health information arrives after decisions are made.", "health"),
        (
            "evidence",
            "Staff survey: education staff far less sure they hear what happened.",
            "education",
        ),
        ("action", "Give every referrer written feedback within five working days.", "social_work"),
    ],
    "5.3": [
        (
            "strength",
            "Core groups meet regularly and most plans are reviewed on time.",
            "social_work",
        ),
        ("area", "Plans do not always say what needs to change and by when.", "health"),
        ("action", "Train staff in SMART child's plans with the Reporter and schools.", "reporter"),
    ],
}


def load(build: DemoBuild) -> None:
    _load(
        build.partnership,
        build.people,
        build.activities,
        build.made.get("surveys", {}),
        build.made.get("improvement", {}),
    )


def clear(partnerships: QuerySet[Partnership]) -> None:
    """The demo's evidence (it points at surveys, readings and measures, so it goes first) and
    its uploaded documents with their stored files."""
    for document in Document.objects.filter(partnership__in=partnerships):
        document.file.delete(save=False)  # the stored file, not only its row
    EvidenceLink.objects.filter(partnership__in=partnerships).delete()


def _load(
    partnership: Any,
    people: dict[str, Any],
    activities: dict[str, Any],
    surveys: dict[str, Any],
    measures: dict[str, Any],
) -> None:

    coordinator = people["coordinator"].user
    lead = people["lead"].user
    agencies = {a.type: a for a in Agency.objects.filter(partnership=partnership)}
    qis = {q.number: q for q in QualityIndicator.objects.filter(number__in=CONTRIBUTIONS)}
    today = date.today()

    policy = services.document_upload(
        partnership=partnership,
        title="Forthvale inter-agency child protection procedures (demo)",
        dated=today - timedelta(days=300),
        type="policy",
        summary="The partnership's procedures for responding to child protection concerns, "
        "including inter-agency referral discussions.",
        name="forthvale-procedures.docx",
        data=_docx("Inter-agency child protection procedures", ["An invented document."]),
        actor=coordinator,
        quality_indicators=[qis["5.2"]],
    )
    audit_doc = services.document_upload(
        partnership=partnership,
        title="Social work case file audit report 2025 (demo)",
        dated=today - timedelta(days=120),
        type="audit",
        summary="A single-service audit of 40 case files: chronologies and plans.",
        name="case-file-audit-2025.docx",
        data=_docx("Case file audit 2025", ["An invented audit report."]),
        actor=coordinator,
        agency=agencies.get("social_work"),
        quality_indicators=[qis["5.3"]],
    )
    earlier = services.service_audit_create(
        partnership=partnership,
        title="Social work case file audit 2023",
        kind="audit",
        agency=agencies.get("social_work"),
        dated=today - timedelta(days=700),
        summary="Chronologies were up to date in fewer than half of the files read.",
        findings=["Chronologies are not kept up to date", "Plans lack timescales"],
        actor=coordinator,
    )
    later = services.service_audit_create(
        partnership=partnership,
        title="Social work case file audit 2025",
        kind="audit",
        agency=agencies.get("social_work"),
        dated=today - timedelta(days=120),
        summary="Plans improved; chronologies still out of date in many files.",
        document=audit_doc,
        actor=coordinator,
    )
    first_chronology = earlier.findings.order_by("pk").first()
    services.finding_add(
        service_audit=later,
        text="Chronologies are still not kept up to date",
        action="Chronology template and monthly supervision check",
        action_status="Template agreed; checks not started",
        repeat_of=first_chronology,
        actor=coordinator,
    )
    services.finding_close(
        finding=earlier.findings.order_by("pk").last(),
        closed_on=today - timedelta(days=200),
        action_status="SMART plan template in use",
        actor=coordinator,
    )
    services.service_audit_create(
        partnership=partnership,
        title="Health visiting record-keeping audit",
        kind="audit",
        agency=agencies.get("health"),
        dated=today - timedelta(days=60),
        summary="Records show the child's voice in most cases; IRD outcomes not always filed.",
        findings=["IRD outcomes are not always filed in the health record"],
        actor=coordinator,
    )

    workshop_activities = [
        a for t, a in activities.items() if t.startswith("Workshop ") and "QI" in t
    ]
    foci = {}
    for activity, number in zip(workshop_activities, ["2.1", "5.2", "5.3"], strict=False):
        workshop = services.workshop_create(
            partnership=partnership,
            title=activity.title,
            activity=activity,
            quality_indicators=[qis[number]],
            actor=coordinator,
        )
        focus = workshop.foci.get()
        foci[number] = focus
        for kind, text, agency_type in CONTRIBUTIONS[number]:
            services.contribution_add(
                focus=focus,
                kind=kind,
                text=text,
                actor=people["contributor"].user,
                agency=agencies.get(agency_type),
            )
    areas = list(foci["5.2"].contributions.filter(kind="area").order_by("pk")[:2])
    services.contributions_merge(keep=areas[0], others=areas[1:], actor=coordinator)
    for number, level, reasons in (
        (
            "2.1",
            4,
            "Children tell us they feel safe and listened to, but we cannot yet show outcomes.",
        ),
        (
            "5.2",
            4,
            "A prompt joint response to concerns; feedback to referrers and health information are weaker.",
        ),
        ("5.3", 3, "Plans are reviewed but too often lack clear, timed outcomes."),
    ):
        services.focus_evaluate(focus=foci[number], level=level, reasons=reasons, actor=coordinator)

    # Live evidence: a staff survey question, a record-reading roll-up, a measure, a document.
    staff = surveys.get("staff")
    told = (
        Item.objects.filter(version=staff.version, name="told_outcome").first() if staff else None
    )
    exercise = Exercise.objects.filter(partnership=partnership).first()
    statement = services.statement_create(
        partnership=partnership, title="Forthvale position statement", actor=coordinator
    )
    sections = list(
        statement.sections.select_related("inspection_statement").order_by(
            "inspection_statement__number"
        )
    )
    first = sections[0]
    links = []
    if staff and told:
        links.append(
            services.evidence_add(
                partnership=partnership,
                kind="survey_question",
                section=first,
                actor=coordinator,
                targets={"survey": staff, "item": told},
            )
        )
    if exercise and "5.2" in qis:
        links.append(
            services.evidence_add(
                partnership=partnership,
                kind="reading_indicator",
                section=first,
                actor=coordinator,
                targets={"exercise": exercise, "quality_indicator": qis["5.2"]},
            )
        )
    if measures.get("reclassified"):
        links.append(
            services.evidence_add(
                partnership=partnership,
                kind="measure",
                section=first,
                actor=coordinator,
                targets={"measure": measures["reclassified"]},
            )
        )
    links.append(
        services.evidence_add(
            partnership=partnership,
            kind="document",
            section=first,
            actor=coordinator,
            targets={"document": policy},
        )
    )
    services.evidence_add(
        partnership=partnership,
        kind="survey_question",
        focus=foci["5.2"],
        actor=coordinator,
        targets={"survey": staff, "item": told},
    ) if staff and told else None
    cites = " ".join(link.token for link in links)
    services.section_save(
        section=first,
        now="Children and young people at risk of harm get a prompt, joint response when "
        "concerns are raised. Police, health and social work take part in inter-agency "
        "referral discussions (IRDs), which are held quickly.",
        how_know=f"Our staff survey, the records we read together and our measures tell us "
        f"so: {cites}. Teachers are far less sure than social work staff that they hear what "
        "happened after they raise a concern.",
        next="Give every referrer written feedback within five working days, and bring health "
        "information to IRDs before decisions are made.",
        actor=coordinator,
    )
    version = services.version_save(
        statement=statement, actor=coordinator, note="For the strategic group"
    )
    services.version_sign_off(version=version, actor=lead)
    services.section_save(
        section=sections[1] if len(sections) > 1 else first,
        now="Most children's plans are reviewed on time, but too many do not say what needs to "
        "change and by when.",
        how_know="Our case file audits and the records we read show plans improving.",
        next="Train staff in SMART child's plans with the Reporter and schools.",
        actor=coordinator,
    )
    services.comment_add(
        section=first,
        text="Can we add what children told us in their survey here?",
        actor=people["contributor"].user,
    )
