"""Improvement workflows: the plan and its actions, measures and their data, driver
diagrams and PDSA cycles, and the daily reminders to owners.

Every change to an action is audited with what it was before and after: that is the
action's history. Reminders are mailed after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.core.updates import NotAllowed, model_create, model_update
from howgood.frameworks.models import QualityIndicator
from howgood.improvement.models import (
    Action,
    ActionStatus,
    Annotation,
    ChangeIdea,
    DataPoint,
    Driver,
    DriverDiagram,
    Measure,
    PdsaCycle,
    Phase,
    Plan,
    Priority,
    ProgressNote,
    RoundsMeasure,
)
from howgood.improvement.selectors import action_gaps, actions_to_remind, period_start
from howgood.partnerships.models import Partnership
from howgood.records.change import round_series
from howgood.records.models import Conclusion, Exercise

# --- The plan -----------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    partnership: Partnership,
    title: str,
    starts_on: date,
    ends_on: date,
    childrens_services_plan: str = "",
    actor: User | None,
) -> Plan:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The plan must end on or after the day it starts."})
    plan = Plan.objects.create(
        partnership=partnership,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        childrens_services_plan=childrens_services_plan,
    )
    audit.log(actor=actor, action="improvement.plan.created", target=plan)
    return plan


@transaction.atomic
def priority_add(*, plan: Plan, title: str, csp_priority: str = "", actor: User | None) -> Priority:
    number = (plan.priorities.aggregate(n=Max("number"))["n"] or 0) + 1
    priority = Priority.objects.create(
        plan=plan, number=number, title=title, csp_priority=csp_priority
    )
    audit.log(
        actor=actor,
        action="improvement.priority.added",
        target=plan,
        data={"priority": str(priority)},
    )
    return priority


ACTION_FIELDS = (
    "title",
    "description",
    "priority",
    "owner",
    "starts_on",
    "due_on",
    "measure",
    "areas",
)


def _check_action(plan: Plan, values: Mapping[str, Any]) -> None:
    refused = sorted(set(values) - set(ACTION_FIELDS))
    if refused:  # status, progress and agreement have their own services and rules
        raise NotAllowed(f"Action cannot be given: {', '.join(refused)}")
    errors: dict[str, str] = {}
    owner = values.get("owner")
    if owner is not None and owner.partnership_id != plan.partnership_id:
        errors["owner"] = "Choose a member of this partnership as the owner."
    measure = values.get("measure")
    if measure is not None and measure.partnership_id != plan.partnership_id:
        errors["measure"] = "Choose a measure of this partnership."
    priority = values.get("priority")
    if priority is not None and priority.plan_id != plan.pk:
        errors["priority"] = "Choose a priority of this plan."
    starts, due = values.get("starts_on"), values.get("due_on")
    if starts and due and due < starts:
        errors["due_on"] = "The due date must be on or after the start date."
    if errors:
        raise ValidationError(errors)


def _snapshot(action: Action) -> dict[str, Any]:
    return {
        "title": action.title,
        "description": action.description,
        "priority": str(action.priority) if action.priority_id else "",
        "owner": action.owner.user.full_name if action.owner is not None else "",
        "starts_on": action.starts_on.isoformat() if action.starts_on else "",
        "due_on": action.due_on.isoformat() if action.due_on else "",
        "measure": str(action.measure) if action.measure_id else "",
        "status": action.get_status_display(),
        "progress": action.progress,
        "quality_indicators": sorted(str(q.number) for q in action.quality_indicators.all()),
        "findings": sorted(f.text[:80] for f in action.findings.all()),
        "areas": action.areas,
    }


@transaction.atomic
def action_create(
    *,
    plan: Plan,
    actor: User | None,
    data: Mapping[str, Any],
    quality_indicators: Iterable[QualityIndicator] = (),
    findings: Iterable[Conclusion] = (),
) -> Action:
    _check_action(plan, data)
    action = model_create(model=Action, fields=ACTION_FIELDS, data=data, plan=plan)
    action.quality_indicators.set(list(quality_indicators))
    action.findings.set([f for f in findings if f.exercise.partnership_id == plan.partnership_id])
    audit.log(
        actor=actor,
        action="improvement.action.created",
        target=action,
        data={"after": _snapshot(action)},
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    actor: User | None,
    data: Mapping[str, Any],
    quality_indicators: Iterable[QualityIndicator] | None = None,
    findings: Iterable[Conclusion] | None = None,
) -> Action:
    """Change an action. Changing what was agreed (its wording, owner, dates or measure)
    does not un-agree it, but the history shows who changed what and when (the history
    compares what the page shows, names rather than ids, so it is not ``model_update``'s)."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    # Dates not being changed are checked as saved.
    _check_action(locked.plan, {"starts_on": locked.starts_on, "due_on": locked.due_on, **data})
    before = _snapshot(locked)
    model_update(instance=locked, fields=ACTION_FIELDS, data=data)
    if quality_indicators is not None:
        locked.quality_indicators.set(list(quality_indicators))
    if findings is not None:
        locked.findings.set(
            [f for f in findings if f.exercise.partnership_id == locked.plan.partnership_id]
        )
    after = _snapshot(locked)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changed:
        audit.log(
            actor=actor,
            action="improvement.action.changed",
            target=locked,
            data={"changes": changed},
        )
    return locked


@transaction.atomic
def action_agree(*, action: Action, actor: User | None) -> Action:
    """Mark the action agreed. Refused, with what is missing, unless it is SMART."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.agreed_on:
        return locked
    gaps = action_gaps(locked)
    if gaps:
        raise ValidationError([g.text for g in gaps])
    today = timezone.localdate()
    locked.agreed_on, locked.agreed_by = today, actor
    if locked.starts_on is None:
        locked.starts_on = min(today, locked.due_on) if locked.due_on else today
    locked.save(update_fields=["agreed_on", "agreed_by", "starts_on", "updated_at"])
    audit.log(actor=actor, action="improvement.action.agreed", target=locked)
    return locked


@transaction.atomic
def action_progress(
    *, action: Action, actor: User | None, text: str, progress: int | None = None, status: str = ""
) -> ProgressNote:
    """Record progress: a note, and optionally the percentage done and a new status."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Say what has happened since the last update."})
    if progress is not None and not 0 <= progress <= 100:
        raise ValidationError({"progress": "Enter a percentage from 0 to 100."})
    if status and status not in ActionStatus.values:
        raise ValidationError({"status": "Choose one of the statuses listed."})
    locked = Action.objects.select_for_update().get(pk=action.pk)
    before = {"status": locked.get_status_display(), "progress": locked.progress}
    today = timezone.localdate()
    if progress is not None:
        locked.progress = progress
    if status:
        locked.status = status
    if locked.status == ActionStatus.COMPLETE:
        locked.progress = 100
    elif locked.progress > 0 and locked.status == ActionStatus.NOT_STARTED:
        locked.status = ActionStatus.IN_PROGRESS
    locked.last_progress_on = today
    locked.save()
    note = ProgressNote.objects.create(
        action=locked,
        author=actor,
        written_on=today,
        text=text,
        progress=progress,
        status=status,
    )
    after = {"status": locked.get_status_display(), "progress": locked.progress}
    audit.log(
        actor=actor,
        action="improvement.action.progress",
        target=locked,
        data={"note": text[:500], "before": before, "after": after},
    )
    return note


def reminders_send(*, today: date | None = None) -> int:
    """Email each owner of an overdue or stale action (at most once a day per action).

    The email names the action and the partnership, and links to it: nothing about a
    child. Returns the number of emails queued.
    """
    today = today or timezone.localdate()
    sent = 0
    for action, why in actions_to_remind(today):
        with transaction.atomic():
            updated = (
                Action.objects.filter(pk=action.pk)
                .exclude(reminded_on=today)
                .update(reminded_on=today)
            )
            if not updated:
                continue  # another worker sent it
            link = settings.HOWGOOD_BASE_URL.rstrip("/") + reverse(
                "improvement:action", args=[action.pk]
            )
            subject = f"HowGood: an action needs your update ({action.plan.partnership.name})"
            body = (
                f"Hello {action.owner.user.full_name},\n\n"  # type: ignore[union-attr]
                f"The improvement action “{action.title}” needs an update: {why}.\n\n"
                f"Add progress or change its status here: {link}\n\n"
                "You are receiving this because you own this action in HowGood."
            )
            recipient = action.owner.user.email  # type: ignore[union-attr]
            transaction.on_commit(partial(send_mail, subject, body, None, [recipient]))
            audit.log(
                actor=None,
                action="improvement.action.reminded",
                target=action,
                data={"why": why},
            )
            sent += 1
    return sent


# --- Measures -----------------------------------------------------------------------------


MEASURE_FIELDS = (
    "title",
    "type",
    "definition",
    "numerator",
    "denominator",
    "frequency",
    "improvement",
    "target",
    "owner",
    "chart",
    "rules",
    "multiply",
    "baseline_points",
)


def _check_measure(partnership: Partnership, values: Mapping[str, Any]) -> None:
    owner = values.get("owner")
    if owner is not None and owner.partnership_id != partnership.pk:
        raise ValidationError({"owner": "Choose a member of this partnership as the owner."})
    if values.get("chart") in ("p", "u") and not values.get("denominator"):
        raise ValidationError(
            {"denominator": "A P or U chart needs a denominator: say what it is out of."}
        )


@transaction.atomic
def measure_create(
    *, partnership: Partnership, data: Mapping[str, Any], actor: User | None
) -> Measure:
    _check_measure(partnership, data)
    measure = model_create(model=Measure, fields=MEASURE_FIELDS, data=data, partnership=partnership)
    audit.log(actor=actor, action="improvement.measure.created", target=measure)
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, data: Mapping[str, Any], actor: User | None) -> Measure:
    _check_measure(
        measure.partnership, {"chart": measure.chart, "denominator": measure.denominator, **data}
    )
    model_update(
        instance=measure,
        fields=MEASURE_FIELDS,
        data=data,
        actor=actor,
        audit_action="improvement.measure.changed",
    )
    return measure


def _check_point(
    measure: Measure, numerator: Decimal, denominator: Decimal | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if numerator < 0:
        errors["numerator"] = "Enter a number of 0 or more."
    if measure.has_denominator:
        if denominator is None:
            errors["denominator"] = f"Enter the denominator ({measure.denominator})."
        elif denominator <= 0:
            errors["denominator"] = "The denominator must be more than 0."
        elif measure.chart == "p" and numerator > denominator:
            errors["numerator"] = "The numerator cannot be more than the denominator."
    if measure.chart in ("p", "c") and numerator != numerator.to_integral_value():
        errors["numerator"] = "Enter a whole number: this chart counts things."
    return errors


@transaction.atomic
def point_save(
    *,
    measure: Measure,
    period: date,
    numerator: Decimal,
    denominator: Decimal | None = None,
    excluded: bool = False,
    note: str = "",
    actor: User | None,
) -> DataPoint:
    """Add a period's value, or replace the one already given for that period."""
    errors = _check_point(measure, numerator, denominator)
    if errors:
        raise ValidationError(errors)
    start = period_start(period, measure.frequency)
    point, created = DataPoint.objects.update_or_create(
        measure=measure,
        period=start,
        defaults={
            "numerator": numerator,
            "denominator": denominator if measure.has_denominator else None,
            "excluded": excluded,
            "note": note,
        },
    )
    audit.log(
        actor=actor,
        action="improvement.point.saved",
        target=measure,
        data={
            "period": start.isoformat(),
            "numerator": str(numerator),
            "denominator": str(denominator) if denominator is not None else "",
            "new": created,
        },
    )
    return point


@dataclass(frozen=True)
class PointRow:
    row: int
    period: date
    numerator: Decimal
    denominator: Decimal | None
    note: str


@transaction.atomic
def points_import(*, measure: Measure, rows: Sequence[PointRow], actor: User | None) -> int:
    """Store every row (replacing values for the same period), or none: ValidationError
    with "Row N: …" for each problem."""
    problems = []
    for r in rows:
        for message in _check_point(measure, r.numerator, r.denominator).values():
            problems.append(f"Row {r.row}: {message}")
    if problems:
        raise ValidationError(problems)
    for r in rows:
        DataPoint.objects.update_or_create(
            measure=measure,
            period=period_start(r.period, measure.frequency),
            defaults={
                "numerator": r.numerator,
                "denominator": r.denominator if measure.has_denominator else None,
                "note": r.note,
            },
        )
    audit.log(
        actor=actor,
        action="improvement.points.imported",
        target=measure,
        data={"rows": len(rows)},
    )
    return len(rows)


@transaction.atomic
def points_set(
    *,
    measure: Measure,
    points: Sequence[tuple[date, Decimal, Decimal | None]],
    actor: User | None,
) -> int:
    """Make the measure's points exactly these (period, numerator, denominator), as for a
    measure whose data comes from elsewhere (the Data section): periods not given are
    removed, changed values replaced, unchanged ones left alone. Returns how many changed."""
    problems = []
    for period, numerator, denominator in points:
        for message in _check_point(measure, numerator, denominator).values():
            problems.append(f"{period:%B %Y}: {message}")
    if problems:
        raise ValidationError(problems)
    wanted = {
        period_start(period, measure.frequency): (
            numerator,
            denominator if measure.has_denominator else None,
        )
        for period, numerator, denominator in points
    }
    held = {
        period: (numerator, denominator)
        for period, numerator, denominator in DataPoint.objects.filter(measure=measure).values_list(
            "period", "numerator", "denominator"
        )
    }
    removed, _ = DataPoint.objects.filter(measure=measure).exclude(period__in=wanted).delete()
    changed = 0
    for period, (numerator, denominator) in wanted.items():
        if held.get(period) == (numerator, denominator):
            continue
        DataPoint.objects.update_or_create(
            measure=measure,
            period=period,
            defaults={"numerator": numerator, "denominator": denominator},
        )
        changed += 1
    if changed or removed:
        audit.log(
            actor=actor,
            action="improvement.points.set",
            target=measure,
            data={"changed": changed, "removed": removed},
        )
    return changed + removed


@transaction.atomic
def phase_add(*, measure: Measure, starts_on: date, label: str, actor: User | None) -> Phase:
    start = period_start(starts_on, measure.frequency)
    if Phase.objects.filter(measure=measure, starts_on=start).exists():
        raise ValidationError({"starts_on": "A new phase already starts in that period."})
    phase = Phase.objects.create(measure=measure, starts_on=start, label=label)
    audit.log(
        actor=actor,
        action="improvement.phase.added",
        target=measure,
        data={"starts_on": start.isoformat(), "label": label},
    )
    return phase


@transaction.atomic
def phase_remove(*, phase: Phase, actor: User | None) -> None:
    measure = phase.measure
    data = {"starts_on": phase.starts_on.isoformat(), "label": phase.label}
    phase.delete()
    audit.log(actor=actor, action="improvement.phase.removed", target=measure, data=data)


@transaction.atomic
def annotation_add(*, measure: Measure, on: date, text: str, actor: User | None) -> Annotation:
    annotation = Annotation.objects.create(measure=measure, on=on, text=text)
    audit.log(
        actor=actor,
        action="improvement.annotation.added",
        target=measure,
        data={"on": on.isoformat(), "text": text},
    )
    return annotation


# --- Driver diagrams and PDSA -------------------------------------------------------------


@transaction.atomic
def diagram_create(
    *, partnership: Partnership, title: str, aim: str, actor: User | None
) -> DriverDiagram:
    diagram = DriverDiagram.objects.create(partnership=partnership, title=title, aim=aim)
    audit.log(actor=actor, action="improvement.diagram.created", target=diagram)
    return diagram


@transaction.atomic
def driver_add(
    *, diagram: DriverDiagram, text: str, parent: Driver | None = None, actor: User | None
) -> Driver:
    if parent is not None and (parent.diagram_id != diagram.pk or parent.parent_id is not None):
        raise ValidationError({"parent": "Choose a primary driver of this diagram."})
    order = (diagram.drivers.aggregate(n=Max("order"))["n"] or 0) + 1
    driver = Driver.objects.create(diagram=diagram, parent=parent, text=text, order=order)
    audit.log(
        actor=actor,
        action="improvement.driver.added",
        target=diagram,
        data={"driver": text, "primary": parent is None},
    )
    return driver


@transaction.atomic
def change_idea_add(
    *,
    diagram: DriverDiagram,
    driver: Driver,
    text: str,
    measures: Iterable[Measure],
    actor: User | None,
) -> ChangeIdea:
    if driver.diagram_id != diagram.pk:
        raise ValidationError({"driver": "Choose a driver of this diagram."})
    chosen = list(measures)
    if any(m.partnership_id != diagram.partnership_id for m in chosen):
        raise ValidationError({"measures": "Choose measures of this partnership."})
    idea = ChangeIdea.objects.create(diagram=diagram, driver=driver, text=text)
    idea.measures.set(chosen)
    audit.log(
        actor=actor, action="improvement.change_idea.added", target=diagram, data={"idea": text}
    )
    return idea


PDSA_FIELDS = (
    "title",
    "objective",
    "questions_predictions",
    "who",
    "what",
    "where",
    "starts_on",
    "data_to_collect",
    "what_happened",
    "problems",
    "study",
    "act",
    "next_cycle",
)


@transaction.atomic
def pdsa_plan(*, change_idea: ChangeIdea, data: Mapping[str, Any], actor: User | None) -> PdsaCycle:
    """Plan a new cycle of a change idea (numbered in turn)."""
    number = (change_idea.cycles.aggregate(n=Max("number"))["n"] or 0) + 1
    cycle = model_create(
        model=PdsaCycle,
        fields=PDSA_FIELDS,
        data=data,
        change_idea=change_idea,
        number=number,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.log(actor=actor, action="improvement.pdsa.planned", target=cycle)
    return cycle


@transaction.atomic
def pdsa_update(*, cycle: PdsaCycle, data: Mapping[str, Any], actor: User | None) -> PdsaCycle:
    """Write up the cycle's do, study and act (or change its plan)."""
    after = {"act": cycle.act, "study": cycle.study, **data}  # what it will say once saved
    if after["act"] and not after["study"]:
        raise ValidationError({"act": "Study the results against the predictions before acting."})
    model_update(
        instance=cycle,
        fields=PDSA_FIELDS,
        data=data,
        actor=actor,
        audit_action="improvement.pdsa.updated",
        audit_data=lambda changes: {"fields": list(changes), "stage": cycle.stage},
    )
    return cycle


@transaction.atomic
def measure_from_rounds(*, exercise: Exercise, item_name: str, actor: User | None) -> Measure:
    """A measure whose points are one question's headline in each round of a record reading
    (a P chart over the rounds). Asked again for the same round and question, the same
    measure, its points brought up to date."""
    try:
        label, what, points = round_series(exercise, item_name)
    except ValueError as error:
        raise ValidationError("Choose a question with a yes or good-or-better count.") from error
    kept = RoundsMeasure.objects.filter(exercise=exercise, item_name=item_name).first()
    if len({p.on.replace(day=1) for p in points}) != len(points):
        raise ValidationError(
            "Two rounds were read in the same month, so they cannot be two points of a measure."
        )
    if kept is not None:
        measure = kept.measure
    else:
        measure = measure_create(
            partnership=exercise.partnership,
            data={
                "title": f"{label} ({what}), by round of record reading"[:200],
                "type": "process",
                "definition": f"Records read in each round of {exercise.title} and the rounds "
                f"before it whose answer to “{label}” was {what}.",
                "numerator": f"Moderated records answering {what}",
                "denominator": "Moderated records that answered the question",
                "frequency": "monthly",
                "improvement": "increase",
                "chart": "p",
                "rules": "ihi",
                "multiply": 100,
            },
            actor=actor,
        )
        RoundsMeasure.objects.create(measure=measure, exercise=exercise, item_name=item_name)
    points_set(
        measure=measure,
        points=[(p.on, Decimal(p.headline), Decimal(p.answered)) for p in points],
        actor=actor,
    )
    return measure
