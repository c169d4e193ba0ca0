"""Reads for the improvement pages, each in a fixed number of queries."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import models
from django.db.models import Aggregate, Count, F, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.improvement import smart
from howgood.improvement.charts import SPARK_POINTS, ChartPoint, MeasureChart, measure_chart
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
        "points": list(
            measure.points.values_list(
                "period", "numerator", "denominator", "excluded", "note", named=True
            )
        ),
        "phases": list(measure.phases.all()),
        "annotations": list(measure.annotations.all()),
        "cycles": cycles,
    }


@dataclass
class MeasureRow:
    measure: Measure
    chart: MeasureChart


def _judge(measures: Sequence[Measure], cycles: Mapping[int, list[Any]]) -> dict[int, MeasureChart]:
    """Each measure's chart judged (not drawn), from its points, phases and notes read as
    plain values (no model objects): three queries whatever the number of measures."""
    pks = [m.pk for m in measures]
    by_measure: dict[str, dict[int, list[Any]]] = {
        "points": defaultdict(list),
        "phases": defaultdict(list),
        "notes": defaultdict(list),
    }
    reads: dict[str, Any] = {
        "points": DataPoint.objects.order_by("period").values_list(
            "measure_id", "period", "numerator", "denominator", "excluded", "note", named=True
        ),
        "phases": Phase.objects.order_by("starts_on").values_list(
            "measure_id", "starts_on", named=True
        ),
        "notes": Annotation.objects.order_by("on").values_list(
            "measure_id", "on", "text", named=True
        ),
    }
    for name, rows in reads.items():
        for row in rows.filter(measure__in=pks):
            by_measure[name][row.measure_id].append(row)
    return {
        m.pk: measure_chart(
            m,
            by_measure["points"][m.pk],
            phases=by_measure["phases"][m.pk],
            annotations=by_measure["notes"][m.pk],
            cycles=cycles.get(m.pk, []),
        )
        for m in measures
    }


def measure_charts(measures: QuerySet[Measure], *, with_cycles: bool = False) -> list[MeasureRow]:
    """Each measure with its chart judged (not drawn) afresh, from its points and notes
    (and, ``with_cycles``, its PDSA cycles): a fixed number of queries whatever the number
    of measures or points. Live evidence and the reports judge charts this way; the
    measure list and home keep them (``measure_rows``)."""
    loaded = list(measures)
    cycles: dict[int, list[PdsaCycle]] = defaultdict(list)
    if with_cycles and loaded:
        for cycle in (
            PdsaCycle.objects.filter(change_idea__measures__in=loaded)
            .annotate(measure_pk=F("change_idea__measures"))
            .select_related("change_idea")
            .order_by("starts_on", "pk")
        ):
            cycles[cycle.measure_pk].append(cycle)
    judged = _judge(loaded, cycles) if loaded else {}
    return [MeasureRow(m, judged[m.pk]) for m in loaded]


def _per_measure(model: type[models.Model], value: Aggregate) -> Subquery:
    return Subquery(
        model._default_manager.filter(measure=OuterRef("pk"))
        .order_by()
        .values("measure")
        .annotate(value=value)
        .values("value")
    )


#: What a measure's judged chart is computed from, besides the measure's own fields (its
#: ``updated_at``): points saved, added or deleted; phases and notes added or removed
#: (neither is ever edited).
_VERSION_PARTS = {
    "v_points": (DataPoint, Count("pk")),
    "v_point_last": (DataPoint, Max("pk")),
    "v_point_changed": (DataPoint, Max("updated_at")),
    "v_phases": (Phase, Count("pk")),
    "v_phase_last": (Phase, Max("pk")),
    "v_notes": (Annotation, Count("pk")),
    "v_note_last": (Annotation, Max("pk")),
}


def with_versions(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    """The measures, each with the parts of its version (``measure_version``) counted in the
    same query."""
    return measures.annotate(
        **{name: _per_measure(model, value) for name, (model, value) in _VERSION_PARTS.items()}
    )


def measure_version(measure: Measure) -> str:
    """A fingerprint of what a measure's chart is judged from: when the measure was last
    changed, and its points (how many, the newest, the last saved), phases and notes. Read
    from a measure loaded through ``with_versions``. Anything that writes points outside
    the services (the demo loader, a bulk load) changes it too."""
    parts = [getattr(measure, name) for name in _VERSION_PARTS]
    return ".".join([measure.updated_at.isoformat(), *(str(p or 0) for p in parts)])


#: Bump when the judging (``charts.measure_chart``) changes, so charts judged by older code
#: are not served; the dataclasses' fields are in the key too.
JUDGED = 1
KEEP_SECONDS = 7 * 24 * 3600


def _kept_key(partnership: Any) -> str:
    shape = ",".join(f.name for cls in (MeasureChart, ChartPoint) for f in fields(cls))
    digest = hashlib.sha256(f"{JUDGED}:{shape}".encode()).hexdigest()[:16]
    return f"improvement.judged:{partnership.pk}:{digest}"


def measure_rows(partnership: Any) -> list[MeasureRow]:
    """Every measure of the partnership with its chart judged, for the measure list and
    home. Each measure's judged chart is kept in Django's cache, in one entry for the
    partnership, until that measure's version changes (``measure_version``): warm, this is
    the measures (with their versions) and one cache read; only changed measures are
    judged again, and then the entry is written once. Each chart keeps only its latest
    ``SPARK_POINTS`` points, all the list and home show (the latest value and the
    sparkline), so that reading the entry stays cheap; a measure's own page judges its
    chart in full."""
    measures = list(
        with_versions(Measure.objects.filter(partnership=partnership).select_related("owner__user"))
    )
    key = _kept_key(partnership)
    kept: dict[int, tuple[str, MeasureChart]] = cache.get(key) or {}
    versions = {m.pk: measure_version(m) for m in measures}
    stale = [m for m in measures if kept.get(m.pk, ("",))[0] != versions[m.pk]]
    if stale or len(kept) != len(measures):
        judged = {
            pk: replace(chart, points=chart.points[-SPARK_POINTS:])
            for pk, chart in (_judge(stale, {}) if stale else {}).items()
        }
        kept = {
            m.pk: (versions[m.pk], judged[m.pk]) if m.pk in judged else kept[m.pk] for m in measures
        }
        cache.set(key, kept, KEEP_SECONDS)
    return [MeasureRow(m, kept[m.pk][1]) for m in measures]


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
