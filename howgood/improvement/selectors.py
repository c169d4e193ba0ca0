"""Reads for the improvement pages, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.improvement import smart
from howgood.improvement.charts import MeasureChart, measure_chart
from howgood.improvement.models import (
    Action,
    ActionStatus,
    Annotation,
    ChangeIdea,
    DataPoint,
    DriverDiagram,
    Measure,
    PdsaCycle,
    Phase,
    Plan,
)


def current_plan(partnership: Any) -> Plan | None:
    """The plan in force today, else the latest to start."""
    plans = Plan.objects.filter(partnership=partnership).order_by("-starts_on", "-pk")
    today = timezone.localdate()
    return plans.filter(starts_on__lte=today, ends_on__gte=today).first() or plans.first()


def _actions(plan: Plan) -> QuerySet[Action]:
    return (
        Action.objects.filter(plan=plan)
        .select_related("owner__user", "owner__agency", "measure", "priority")
        .prefetch_related("quality_indicators", "findings")
    )


@dataclass
class ActionRow:
    action: Action
    gaps: list[smart.Gap]
    rag: smart.Rag

    @property
    def smart_letters(self) -> str:
        missing = {g.letter for g in self.gaps}
        return "".join(letter for letter in "SMART" if letter not in missing)


def action_row(action: Action, today: date) -> ActionRow:
    return ActionRow(action, action_gaps(action), action_rag(action, today))


def plan_rows(plan: Plan, today: date) -> list[ActionRow]:
    return [action_row(a, today) for a in _actions(plan)]


def group_by_priority(plan: Plan, rows: list[ActionRow]) -> list[tuple[Any, list[ActionRow]]]:
    by_priority: dict[int | None, list[ActionRow]] = defaultdict(list)
    for row in rows:
        by_priority[row.action.priority_id].append(row)
    groups: list[tuple[Any, list[ActionRow]]] = [
        (p, by_priority.get(p.pk, [])) for p in plan.priorities.all()
    ]
    if by_priority.get(None):
        groups.append((None, by_priority[None]))
    return groups


def summarise(rows: list[ActionRow]) -> dict[str, int]:
    counts = {"red": 0, "amber": 0, "green": 0, "complete": 0, "not_agreed": 0, "total": 0}
    for row in rows:
        counts["total"] += 1
        counts[row.rag.colour or "not_agreed"] += 1
    return counts


def plan_summary(plan: Plan) -> dict[str, int]:
    return summarise(plan_rows(plan, timezone.localdate()))


def actions_owned_by(membership: Any) -> list[ActionRow]:
    today = timezone.localdate()
    actions = (
        Action.objects.filter(owner=membership)
        .exclude(status=ActionStatus.COMPLETE)
        .select_related("plan", "measure", "owner__user", "priority")
        .prefetch_related("quality_indicators", "findings")
        .order_by("due_on", "pk")
    )
    return [action_row(a, today) for a in actions]


def measures_owned_by(membership: Any) -> QuerySet[Measure]:
    return Measure.objects.filter(owner=membership)


def measures_of(partnership: Any) -> QuerySet[Measure]:
    return Measure.objects.filter(partnership=partnership)


def diagrams_of(partnership: Any) -> QuerySet[DriverDiagram]:
    return DriverDiagram.objects.filter(partnership=partnership)


def action_history(action: Action) -> QuerySet[AuditEvent]:
    """Every change to the action, newest first: the audit trail is its history."""
    return AuditEvent.objects.filter(
        target_type="improvement.action", target_id=str(action.pk)
    ).order_by("-created_at", "-id")


def measure_data(measure: Measure) -> dict[str, list[Any]]:
    cycles = list(
        PdsaCycle.objects.filter(change_idea__measures=measure)
        .select_related("change_idea")
        .distinct()
        .order_by("starts_on", "pk")
    )
    return {
        "points": list(measure.points.all()),
        "phases": list(measure.phases.all()),
        "annotations": list(measure.annotations.all()),
        "cycles": cycles,
    }


@dataclass
class MeasureRow:
    measure: Measure
    chart: MeasureChart


def measure_charts(measures: QuerySet[Measure], *, with_cycles: bool = False) -> list[MeasureRow]:
    """Each measure with its chart judged (not drawn), its notes (and, ``with_cycles``, its
    PDSA cycles) on it: a fixed number of queries whatever the number of measures or
    points. The measure list, live evidence and the reports all judge charts this way."""
    loaded = list(
        measures.prefetch_related(
            Prefetch("points", queryset=DataPoint.objects.order_by("period")),
            Prefetch("phases", queryset=Phase.objects.order_by("starts_on")),
            Prefetch("annotations", queryset=Annotation.objects.order_by("on")),
        )
    )
    cycles: dict[int, list[PdsaCycle]] = defaultdict(list)
    if with_cycles and loaded:
        for cycle in (
            PdsaCycle.objects.filter(change_idea__measures__in=loaded)
            .annotate(measure_pk=F("change_idea__measures"))
            .select_related("change_idea")
            .order_by("starts_on", "pk")
        ):
            cycles[cycle.measure_pk].append(cycle)
    return [
        MeasureRow(
            m,
            measure_chart(
                m,
                list(m.points.all()),
                phases=list(m.phases.all()),
                annotations=list(m.annotations.all()),
                cycles=cycles.get(m.pk, []),
            ),
        )
        for m in loaded
    ]


def measure_rows(partnership: Any) -> list[MeasureRow]:
    """Every measure of the partnership with its chart judged, for the measure list."""
    return measure_charts(
        Measure.objects.filter(partnership=partnership).select_related("owner__user")
    )


def diagram_tree(diagram: DriverDiagram) -> dict[str, Any]:
    """Primary drivers, each with its secondary drivers, and the change ideas of each,
    with their measures and cycles."""
    drivers = list(diagram.drivers.all())
    ideas = list(
        ChangeIdea.objects.filter(diagram=diagram)
        .prefetch_related(
            "measures", Prefetch("cycles", queryset=PdsaCycle.objects.order_by("number"))
        )
        .order_by("pk")
    )
    ideas_of: dict[int, list[ChangeIdea]] = defaultdict(list)
    for idea in ideas:
        ideas_of[idea.driver_id].append(idea)
    primaries = [d for d in drivers if d.parent_id is None]
    children: dict[int, list[Any]] = defaultdict(list)
    for d in drivers:
        if d.parent_id is not None:
            children[d.parent_id].append(d)
    return {
        "drivers": drivers,
        "primaries": [
            {
                "driver": p,
                "ideas": ideas_of.get(p.pk, []),
                "secondaries": [
                    {"driver": s, "ideas": ideas_of.get(s.pk, [])} for s in children.get(p.pk, [])
                ],
            }
            for p in primaries
        ],
        "ideas": ideas,
    }


def action_gaps(action: Action) -> list[smart.Gap]:
    """What the action lacks to be SMART (see ``smart.smart_gaps``)."""
    return smart.smart_gaps(
        title=action.title,
        description=action.description,
        has_owner=action.owner_id is not None,
        due_on=action.due_on,
        has_measure=action.measure_id is not None,
        relevant_to=len(action.quality_indicators.all())
        + len(action.findings.all())
        + (1 if action.areas.strip() else 0),
    )


def action_rag(action: Action, today: date | None = None) -> smart.Rag:
    return smart.rag_status(
        agreed=action.agreed_on is not None,
        complete=action.status == ActionStatus.COMPLETE,
        starts_on=action.starts_on or action.agreed_on,
        due_on=action.due_on,
        progress=action.progress,
        last_progress_on=action.last_progress_on,
        today=today or timezone.localdate(),
    )


# --- Reminders ----------------------------------------------------------------------------


def actions_to_remind(today: date) -> list[tuple[Action, str]]:
    """Agreed, unfinished actions with an owner that are overdue or stale, and not
    reminded today: (action, why)."""
    due: list[tuple[Action, str]] = []
    for action in (
        Action.objects.filter(agreed_on__isnull=False, owner__isnull=False)
        .exclude(status=ActionStatus.COMPLETE)
        .exclude(reminded_on=today)
        .select_related("owner__user", "plan__partnership")
    ):
        if action.due_on and action.due_on < today:
            due.append((action, f"it was due on {action.due_on:%-d %B %Y}"))
        elif smart.is_stale(action.last_progress_on, action.starts_on, today):
            due.append(
                (action, f"nothing has been recorded for over {smart.STALE_AFTER.days // 7} weeks")
            )
    return due


def period_start(day: date, frequency: str) -> date:
    """The first day of the period a date falls in (weeks start on Monday)."""
    if frequency == "weekly":
        return date.fromordinal(day.toordinal() - day.weekday())
    if frequency == "quarterly":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)
