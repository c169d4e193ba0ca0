"""Self-evaluation workflows: documents, the audit register, workshops, evidence links,
the position statement and its versions, and turning next steps into plan actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.core.updates import NotAllowed
from howgood.frameworks.models import InspectionStatement, QualityIndicator
from howgood.frameworks.selectors import default_framework, inspection_statements_for
from howgood.improvement.models import Action, Plan
from howgood.improvement.services import action_create
from howgood.partnerships.models import Activity, Agency, Partnership
from howgood.selfevaluation.evidence import resolve
from howgood.selfevaluation.files import check_upload
from howgood.selfevaluation.models import (
    WORD_LIMIT,
    ActionSource,
    Contribution,
    ContributionKind,
    Document,
    EvidenceKind,
    EvidenceLink,
    Focus,
    PositionStatement,
    ServiceAudit,
    ServiceAuditFinding,
    StatementComment,
    StatementSection,
    StatementVersion,
    Workshop,
)
from howgood.selfevaluation.selectors import TOKEN, statement_content, statement_words

# --- Evidence library and audit register ---------------------------------------------------


def _same_partnership(partnership: Partnership, *things: models.Model | None) -> None:
    for thing in things:
        if thing is not None and getattr(thing, "partnership_id", partnership.pk) != partnership.pk:
            raise ValidationError("Choose something from this partnership.")


@transaction.atomic
def document_upload(
    *,
    partnership: Partnership,
    title: str,
    dated: date,
    type: str,
    summary: str,
    name: str,
    data: bytes,
    actor: User | None,
    agency: Agency | None = None,
    quality_indicators: Iterable[QualityIndicator] = (),
) -> Document:
    """Check the file (type, size, content, no macros) and store it privately."""
    checked = check_upload(name, data)
    _same_partnership(partnership, agency)
    document = Document(
        partnership=partnership,
        title=title,
        agency=agency,
        dated=dated,
        type=type,
        summary=summary,
        original_name=name[-200:],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    document.quality_indicators.set(list(quality_indicators))
    audit.log(
        actor=actor,
        action="selfevaluation.document.uploaded",
        target=document,
        data={"size": checked.size, "type": checked.content_type},
    )
    return document


@transaction.atomic
def service_audit_create(
    *,
    partnership: Partnership,
    title: str,
    kind: str,
    dated: date,
    summary: str,
    actor: User | None,
    agency: Agency | None = None,
    document: Document | None = None,
    findings: Iterable[str] = (),
) -> ServiceAudit:
    _same_partnership(partnership, agency, document)
    record = ServiceAudit.objects.create(
        partnership=partnership,
        title=title,
        kind=kind,
        agency=agency,
        dated=dated,
        summary=summary,
        document=document,
        created_by=actor,
    )
    for text in findings:
        if text.strip():
            ServiceAuditFinding.objects.create(audit=record, text=text.strip(), raised_on=dated)
    audit.log(actor=actor, action="selfevaluation.audit.logged", target=record)
    return record


@transaction.atomic
def finding_add(
    *,
    service_audit: ServiceAudit,
    text: str,
    actor: User | None,
    action: str = "",
    action_status: str = "",
    repeat_of: ServiceAuditFinding | None = None,
) -> ServiceAuditFinding:
    if repeat_of is not None and repeat_of.audit.partnership_id != service_audit.partnership_id:
        raise ValidationError({"repeat_of": "Choose a finding of this partnership."})
    finding = ServiceAuditFinding.objects.create(
        audit=service_audit,
        text=text,
        action=action,
        action_status=action_status,
        raised_on=(repeat_of.raised_on if repeat_of else service_audit.dated),
        repeat_of=repeat_of,
    )
    audit.log(
        actor=actor,
        action="selfevaluation.finding.added",
        target=service_audit,
        data={"finding": text[:200], "repeat": bool(repeat_of)},
    )
    return finding


@transaction.atomic
def finding_close(
    *, finding: ServiceAuditFinding, closed_on: date, action_status: str, actor: User | None
) -> ServiceAuditFinding:
    if closed_on < finding.raised_on:
        raise ValidationError({"closed_on": "A finding cannot close before it was raised."})
    finding.status, finding.closed_on = "closed", closed_on
    finding.action_status = action_status or finding.action_status
    finding.save()
    audit.log(
        actor=actor,
        action="selfevaluation.finding.closed",
        target=finding.audit,
        data={"finding": finding.text[:200], "closed_on": closed_on.isoformat()},
    )
    return finding


# --- Workshops -----------------------------------------------------------------------------


@transaction.atomic
def workshop_create(
    *,
    partnership: Partnership,
    title: str,
    actor: User | None,
    activity: Activity | None = None,
    held_on: date | None = None,
    quality_indicators: Iterable[QualityIndicator] = (),
    statements: Iterable[InspectionStatement] = (),
) -> Workshop:
    _same_partnership(partnership, activity)
    if activity is not None and Workshop.objects.filter(activity=activity).exists():
        raise ValidationError({"activity": "That programme workshop already has its page."})
    workshop = Workshop.objects.create(
        partnership=partnership,
        title=title,
        activity=activity,
        held_on=held_on or (activity.starts_on if activity else None),
        facilitator=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for qi in quality_indicators:
        Focus.objects.create(workshop=workshop, quality_indicator=qi)
    for statement in statements:
        Focus.objects.create(workshop=workshop, statement=statement)
    if not workshop.foci.exists():
        raise ValidationError(
            {"quality_indicators": "Choose at least one quality indicator or inspection statement."}
        )
    audit.log(actor=actor, action="selfevaluation.workshop.created", target=workshop)
    return workshop


@transaction.atomic
def contribution_add(
    *, focus: Focus, kind: str, text: str, actor: User | None, agency: Agency | None = None
) -> Contribution:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write your contribution."})
    if kind not in ContributionKind.values:
        raise ValidationError({"kind": "Choose what kind of contribution it is."})
    contribution = Contribution.objects.create(
        focus=focus, kind=kind, text=text, author=actor, agency=agency
    )
    audit.log(
        actor=actor,
        action="selfevaluation.contribution.added",
        target=focus,
        data={"kind": kind},
    )
    return contribution


@transaction.atomic
def contributions_merge(
    *, keep: Contribution, others: Iterable[Contribution], actor: User | None
) -> int:
    """Merge duplicates into ``keep``: they stay on record, shown under it."""
    merged = 0
    for other in others:
        if other.pk == keep.pk or other.focus_id != keep.focus_id:
            continue
        Contribution.objects.filter(merged_into=other).update(merged_into=keep)
        other.merged_into = keep
        other.save(update_fields=["merged_into"])
        merged += 1
    if merged:
        audit.log(
            actor=actor,
            action="selfevaluation.contribution.merged",
            target=keep.focus,
            data={"kept": keep.pk, "merged": merged},
        )
    return merged


@transaction.atomic
def focus_evaluate(*, focus: Focus, level: int, reasons: str, actor: User | None) -> Focus:
    if not 1 <= level <= 6:
        raise ValidationError({"level": "Choose a level from 1 to 6."})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the group's reasons for the evaluation."})
    before = focus.evaluation
    focus.evaluation, focus.evaluation_reasons = level, reasons.strip()
    focus.evaluated_by, focus.evaluated_on = actor, timezone.localdate()
    focus.save()
    audit.log(
        actor=actor,
        action="selfevaluation.focus.evaluated",
        target=focus,
        data={"before": before, "after": level},
    )
    return focus


# --- Evidence links ------------------------------------------------------------------------

TARGETS: dict[str, tuple[str, ...]] = {
    EvidenceKind.SURVEY_QUESTION: ("survey", "item"),
    EvidenceKind.READING_ITEM: ("exercise", "item"),
    EvidenceKind.READING_INDICATOR: ("exercise", "quality_indicator"),
    EvidenceKind.MEASURE: ("measure",),
    EvidenceKind.ACTION: ("action",),
    EvidenceKind.DOCUMENT: ("document",),
}


@transaction.atomic
def evidence_add(
    *,
    partnership: Partnership,
    kind: str,
    actor: User | None,
    section: StatementSection | None = None,
    focus: Focus | None = None,
    note: str = "",
    targets: Mapping[str, Any],
) -> EvidenceLink:
    """Link live evidence to a section of the position statement or a workshop focus.

    ``targets`` names what the evidence points at, by the link's field: exactly those its
    kind takes (``TARGETS``); any other raises NotAllowed."""
    if kind not in TARGETS:
        raise ValidationError({"kind": "Choose what kind of evidence it is."})
    needed = TARGETS[kind]
    refused = sorted(set(targets) - set(needed))
    if refused:
        raise NotAllowed(f"Evidence of kind {kind} cannot point at: {', '.join(refused)}")
    missing = [name for name in needed if targets.get(name) is None]
    if missing:
        raise ValidationError({missing[0]: "Choose what the evidence points at."})
    for name in needed:
        thing = targets[name]
        owner = getattr(thing, "partnership_id", None)
        if name == "action":
            owner = thing.plan.partnership_id
        if name == "item":
            parent = targets.get("survey") or targets.get("exercise")
            version_id = getattr(parent, "version_id", None) or getattr(parent, "template_id", None)
            if thing.version_id != version_id:
                raise ValidationError({"item": "Choose a question of that survey or exercise."})
            continue
        if name == "quality_indicator":
            continue
        if owner != partnership.pk:
            raise ValidationError({name: "Choose something from this partnership."})
    link = EvidenceLink.objects.create(
        partnership=partnership,
        kind=kind,
        section=section,
        focus=focus,
        note=note,
        created_by=actor,
        **{name: targets[name] for name in needed},
    )
    audit.log(
        actor=actor,
        action="selfevaluation.evidence.linked",
        target=section or focus or link,
        partnership=partnership,
        data={"kind": kind, "link": link.pk},
    )
    return link


# --- Position statement -------------------------------------------------------------------


@transaction.atomic
def statement_create(
    *, partnership: Partnership, title: str, actor: User | None
) -> PositionStatement:
    framework = default_framework()
    if framework is None:
        raise ValidationError("Load the quality framework first (manage.py load_framework).")
    statement = PositionStatement.objects.create(partnership=partnership, title=title)
    for inspection_statement in inspection_statements_for(framework):
        StatementSection.objects.create(
            statement=statement, inspection_statement=inspection_statement
        )
    audit.log(actor=actor, action="selfevaluation.statement.created", target=statement)
    return statement


@transaction.atomic
def section_save(
    *, section: StatementSection, now: str, how_know: str, next: str, actor: User | None
) -> StatementSection:
    """Save a section's three answers. Evidence markers must point at the statement's own
    evidence; the whole statement may run over the word limit while it is a draft (the
    page says so), but cannot be signed off over it."""
    known = set(
        EvidenceLink.objects.filter(section__statement=section.statement).values_list(
            "pk", flat=True
        )
    )
    for name, text in (("now", now), ("how_know", how_know), ("next", next)):
        unknown = [int(n) for n in TOKEN.findall(text) if int(n) not in known]
        if unknown:
            raise ValidationError(
                {name: f"[evidence {unknown[0]}] is not evidence of this statement: add it first."}
            )
    before = statement_words([section])
    section.now, section.how_know, section.next = now, how_know, next
    section.updated_by = actor
    section.save()
    audit.log(
        actor=actor,
        action="selfevaluation.section.saved",
        target=section,
        data={"words_before": before, "words_after": statement_words([section])},
    )
    return section


@transaction.atomic
def version_save(
    *, statement: PositionStatement, actor: User | None, note: str = ""
) -> StatementVersion:
    number = (statement.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    sections = list(statement.sections.all())
    version = StatementVersion.objects.create(
        statement=statement,
        number=number,
        content=statement_content(statement),
        words=statement_words(sections),
        note=note,
        created_by=actor,
    )
    audit.log(
        actor=actor,
        action="selfevaluation.version.saved",
        target=version,
        partnership=statement.partnership,
        data={"words": version.words},
    )
    return version


@transaction.atomic
def version_sign_off(*, version: StatementVersion, actor: User | None) -> StatementVersion:
    """The lead signs a version off: it is frozen, with its evidence as it stands now
    (worked out for sharing, small numbers hidden)."""
    locked = StatementVersion.objects.select_for_update().get(pk=version.pk)
    if locked.signed_off_at:
        raise ValidationError("This version is already signed off.")
    if locked.words > WORD_LIMIT:
        raise ValidationError(
            f"The statement has {locked.words:,} words: bring it within {WORD_LIMIT:,} first."
        )
    links = EvidenceLink.objects.filter(section__statement=locked.statement)
    locked.evidence = {str(k): v.as_json() for k, v in resolve(links, share=True).items()}
    locked.signed_off_by, locked.signed_off_at = actor, timezone.now()
    locked.save()
    audit.log(
        actor=actor,
        action="selfevaluation.version.signed_off",
        target=locked,
        partnership=locked.statement.partnership,
        data={"number": locked.number, "words": locked.words},
    )
    return locked


@transaction.atomic
def comment_add(*, section: StatementSection, text: str, actor: User | None) -> StatementComment:
    if not text.strip():
        raise ValidationError({"text": "Write your comment."})
    comment = StatementComment.objects.create(section=section, text=text.strip(), author=actor)
    audit.log(actor=actor, action="selfevaluation.comment.added", target=section)
    return comment


# --- Into the plan ------------------------------------------------------------------------


@transaction.atomic
def action_from_contribution(
    *, contribution: Contribution, plan: Plan, actor: User | None
) -> Action:
    """A draft plan action from a workshop's potential action (or area for improvement),
    linked to the quality indicator and the areas for improvement it came from.

    Refused (ValidationError) for a strength or a source of evidence, for a contribution
    merged into another, and for one already in the plan: the contribution's row is locked
    first, so two presses of the button (or two people at once) make one action.
    """
    contribution = (
        Contribution.objects.select_for_update(
            of=("self",)
        )  # only this row: its links may be empty
        .select_related("focus__workshop", "merged_into")
        .get(pk=contribution.pk)
    )
    focus = contribution.focus
    if plan.partnership_id != focus.workshop.partnership_id:
        raise ValidationError("Choose a plan of this partnership.")
    if contribution.kind not in (ContributionKind.AREA, ContributionKind.ACTION):
        words = {ContributionKind.STRENGTH: "a strength"}.get(
            ContributionKind(contribution.kind), "a source of evidence"
        )
        raise ValidationError(
            f"Only areas for improvement and potential actions become plan actions, not {words}."
        )
    if contribution.merged_into is not None:
        raise ValidationError(
            f"“{contribution.text[:80]}” was merged into “{contribution.merged_into.text[:80]}”: "
            "add that one to the plan instead."
        )
    if ActionSource.objects.filter(contribution=contribution).exists():
        raise ValidationError(
            f"“{contribution.text[:80]}” is already in the plan as a draft action."
        )
    areas = [
        c.text
        for c in focus.contributions.filter(kind=ContributionKind.AREA, merged_into__isnull=True)
    ]
    if contribution.kind == ContributionKind.AREA:
        areas = [contribution.text]
    action = action_create(
        plan=plan,
        actor=actor,
        quality_indicators=[focus.quality_indicator] if focus.quality_indicator is not None else [],
        data={
            "title": contribution.text[:300],
            "description": f"From the workshop “{focus.workshop.title}” on {focus}.",
            "areas": "\n".join(areas),
        },
    )
    ActionSource.objects.create(action=action, contribution=contribution)
    audit.log(
        actor=actor,
        action="selfevaluation.action.drafted",
        target=focus,
        data={"action": action.pk},
    )
    return action


@transaction.atomic
def action_from_section(
    *, section: StatementSection, text: str, plan: Plan, actor: User | None
) -> Action:
    """A draft plan action from a "What do we plan to do next?" step."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the step to turn into an action."})
    if plan.partnership_id != section.statement.partnership_id:
        raise ValidationError("Choose a plan of this partnership.")
    statement = section.inspection_statement
    action = action_create(
        plan=plan,
        actor=actor,
        data={
            "title": text[:300],
            "description": f"From the position statement, statement {statement.number}: "
            f"{statement.short_title}.",
            "areas": f"Statement {statement.number}: {statement.short_title}",
        },
    )
    ActionSource.objects.create(action=action, section=section, text=text)
    audit.log(
        actor=actor,
        action="selfevaluation.action.drafted",
        target=section,
        data={"action": action.pk},
    )
    return action
