"""The strategic dashboard: the whole programme on one page for the strategic group, and the
contents of its report pack. Nothing on it is case-level: matters of concern are counted
(the lead, who sees case data, also gets the list on their home page); the threshold
figures are withheld below the partnership's threshold for anyone who may not see them
exactly. Every tile is read in a fixed number of queries, whatever the data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone

from howgood.childprotection.threshold import Headline, headline
from howgood.core.models import AuditEvent
from howgood.governance.models import Group, Meeting
from howgood.governance.selectors import terms_due
from howgood.improvement.selectors import (
    ActionRow,
    MeasureRow,
    current_plan,
    measure_rows,
    plan_rows,
)
from howgood.partnerships.models import Partnership
from howgood.partnerships.roles import can
from howgood.partnerships.selectors import activities_for
from howgood.records.selectors import open_concerns, reading_headlines
from howgood.surveys.selectors import programme_surveys

# What "changed since the last meeting" counts: the audit trail's events that a strategic
# group asks about, in the words the tile uses.
CHANGES: list[tuple[tuple[str, ...], str]] = [
    (("improvement.action.created",), "Actions added to the plan"),
    (("improvement.action.agreed",), "Actions agreed"),
    (("improvement.action.progress",), "Progress updates on actions"),
    (
        ("improvement.point.saved", "improvement.points.imported", "improvement.points.set"),
        "Updates to measures' data",
    ),
    (("improvement.pdsa.updated",), "PDSA cycles written up"),
    (("records.reading.submitted",), "Record readings submitted"),
    (("records.concern.raised",), "Matters of concern raised"),
    (("records.concern.closed",), "Matters of concern closed"),
    (("selfevaluation.focus.evaluated",), "Quality indicators evaluated at workshops"),
    (("selfevaluation.version.signed_off",), "Position statement versions signed off"),
    (("surveys.survey.created",), "Surveys set up"),
    (
        (
            "childprotection.extract.applied",
            "childprotection.counts.saved",
            "childprotection.counts.imported",
        ),
        "Updates to the child protection data",
    ),
    (("governance.decision.recorded",), "Decisions recorded at meetings"),
]
RAG_ORDER = [("red", "Red"), ("amber", "Amber"), ("green", "Green"), ("complete", "Complete")]


@dataclass
class Dashboard:
    on: date
    plan: Any = None
    rag: list[tuple[str, str, int]] = field(default_factory=list)  # (colour, label, count)
    not_agreed: int = 0
    overdue: list[ActionRow] = field(default_factory=list)
    agreed_this_quarter: int = 0
    measures: list[MeasureRow] = field(default_factory=list)
    # Any chart that lists a signal, said in its own headline (not only charts whose latest
    # point is special cause: that would hide earlier signals).
    signalling: list[MeasureRow] = field(default_factory=list)

    @property
    def quiet(self) -> int:
        return len(self.measures) - len(self.signalling)

    concerns: int = 0
    threshold: Headline | None = None
    surveys: list[dict[str, Any]] = field(default_factory=list)
    readings: list[dict[str, Any]] = field(default_factory=list)
    in_progress: int = 0
    late: list[Any] = field(default_factory=list)
    done: int = 0
    activities: int = 0
    terms_due: list[Group] = field(default_factory=list)
    since: Meeting | None = None
    changes: list[tuple[str, int]] = field(default_factory=list)


def _quarter_start(on: date) -> date:
    return date(on.year, 3 * ((on.month - 1) // 3) + 1, 1)


def last_meeting(partnership: Partnership, on: date, group: Group | None = None) -> Meeting | None:
    """The latest meeting held by ``on`` (of ``group``, or of any group)."""
    meetings = Meeting.objects.filter(group__partnership=partnership, held_on__lte=on)
    if group is not None:
        meetings = meetings.filter(group=group)
    return meetings.select_related("group").order_by("-held_on", "-id").first()


def changes_since(partnership: Partnership, since: date) -> list[tuple[str, int]]:
    """What happened in HowGood since the start of ``since``, counted (one query)."""
    start = timezone.make_aware(datetime.combine(since, time.min))
    wanted = {action: words for actions, words in CHANGES for action in actions}
    counts: Counter[str] = Counter()
    for action, n in (
        AuditEvent.objects.filter(
            partnership=partnership, created_at__gte=start, action__in=list(wanted)
        )
        .values_list("action")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[wanted[action]] += n
    return [(words, counts[words]) for _, words in CHANGES if counts[words]]


def dashboard(
    partnership: Partnership,
    role: str,
    *,
    on: date | None = None,
    group: Group | None = None,
    outside: bool | None = None,
) -> Dashboard:
    """The dashboard as ``role`` sees it; ``outside`` (by default: unless the role may see
    the data exactly) withholds small numbers, as for anything shared outside."""
    on = on or timezone.localdate()
    found = Dashboard(on=on)
    plan = current_plan(partnership)
    if plan is not None:
        rows = plan_rows(plan, on)
        colours = Counter(r.rag.colour for r in rows)
        found.plan = plan
        found.rag = [(c, label, colours[c]) for c, label in RAG_ORDER]
        found.not_agreed = colours[""]
        found.overdue = [r for r in rows if r.rag.colour == "red"]
        quarter = _quarter_start(on)
        found.agreed_this_quarter = sum(
            1 for r in rows if r.action.agreed_on and quarter <= r.action.agreed_on <= on
        )
    found.measures = measure_rows(partnership)
    found.signalling = [r for r in found.measures if r.chart.signal_count and not r.chart.error]
    found.concerns = open_concerns(partnership).count()
    if outside is None:
        outside = not can(role, "data.exact")
    found.threshold = headline(partnership, outside=outside)
    found.surveys = programme_surveys(partnership)
    found.readings = reading_headlines(partnership)
    activities = list(activities_for(partnership))
    found.activities = len(activities)
    found.in_progress = sum(1 for a in activities if a.status == "in_progress" and not a.is_late)
    found.late = [a for a in activities if a.is_late]
    found.done = sum(1 for a in activities if a.status == "done")
    found.terms_due = list(terms_due(partnership, on))
    found.since = last_meeting(partnership, on, group)
    if found.since is not None:
        # From the day after: the meeting's own decisions are not news to it.
        found.changes = changes_since(partnership, found.since.held_on + timedelta(days=1))
    return found
