"""A measure's chart: its data run through the SPC engine (``stats.spc``), explained in words.

``measure_chart`` works on plain lists already loaded (a measure's points, phases,
annotations and PDSA cycles), so the measure list can judge 200 measures from a handful of
queries. Drawing (``draw``) is separate and slower (matplotlib): pages draw one chart.

Conventions: the plotted value is the numerator for counts (C and XmR without a
denominator), and numerator ÷ denominator × the measure's ``multiply`` otherwise (a
percentage with ``multiply`` 100). The engine is always called unscaled and its centre and
limits scaled for display, so every chart type reads in the same units as its data table.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from howgood.stats import spc

#: How many of the latest points the measure list's sparkline draws.
SPARK_POINTS = 24

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

#: The Making Data Count variation icon is about the latest point only; these words say so
#: (the icon's title, and the second sentence of a chart's headline).
VARIATION_WORDS = {
    "common_cause": "The latest point shows common cause variation.",
    "special_cause_improvement_high": (
        "The latest point shows special cause variation: improvement, higher than usual."
    ),
    "special_cause_improvement_low": (
        "The latest point shows special cause variation: improvement, lower than usual."
    ),
    "special_cause_concern_high": (
        "The latest point shows special cause variation: a concern, higher than usual."
    ),
    "special_cause_concern_low": (
        "The latest point shows special cause variation: a concern, lower than usual."
    ),
    "special_cause_neutral_high": "The latest point shows special cause variation: higher than usual.",
    "special_cause_neutral_low": "The latest point shows special cause variation: lower than usual.",
}
NO_CHANGE = "Common cause variation: no sign that the process has changed."
NO_RUN_SIGNAL = "No signal: random variation around the median."
NO_RUN_SIGNAL_LINE = (
    "No signals: the variation is what this process usually produces (random variation)."
)
NO_CONTROL_SIGNAL_LINE = (
    "No signals: the variation is what this process usually produces (common cause)."
)
SIGNAL_KINDS = ("improvement", "concern", "change")
ASSURANCE_WORDS = {
    "consistent_pass": "The target will be met consistently if nothing changes.",
    "consistent_fail": "The target will not be met unless the process changes.",
    "inconsistent": "The target will sometimes be met and sometimes missed: it lies between the limits.",
}
RULE_WORDS = {
    "outside_limits": "outside the limits",
    "shift": "a run of points on one side of the centre line",
    "trend": "a run of points going the same way",
    "two_of_three": "two of three points close to a limit",
    "long_run": "an unusually long run on one side of the median",
    "few_crossings": "the line crosses the median unusually few times",
}


@dataclass
class ChartPoint:
    period: date
    label: str
    value: float | None
    numerator: float
    denominator: float | None
    centre: float | None = None
    lcl: float | None = None
    ucl: float | None = None
    point_type: str = "common_cause"
    rules: tuple[str, ...] = ()
    excluded: bool = False
    note: str = ""


@dataclass
class MeasureChart:
    kind: str  # run, xmr, p, u, c
    rules: str  # ihi, anhoej, mdc
    points: list[ChartPoint]
    centre_label: str
    signals: list[str] = field(default_factory=list)
    variation: str | None = None
    assurance: str | None = None
    provisional: bool = False
    markers: list[tuple[int, str]] = field(default_factory=list)
    phase_starts: list[int] = field(default_factory=list)
    #: The headline: one or two sentences made from ``signals`` (and, on a control chart,
    #: the latest point's variation), so that it can never say something the list does not.
    summary: str = ""
    #: How many signals ``signals`` lists (0 when it says there are none).
    signal_count: int = 0
    error: str = ""  # why the chart cannot be worked out, in words (the data is still listed)
    #: Said under the list when a run chart's runs limits are HowGood's extension of the
    #: published table (more than 60 points not on the median).
    runs_limits_note: str = ""

    @property
    def has_limits(self) -> bool:
        return self.kind != "run"

    @property
    def latest(self) -> ChartPoint | None:
        return next((p for p in reversed(self.points) if p.value is not None), None)

    @property
    def variation_words(self) -> str:
        """The headline of a chart with a Making Data Count variation (control charts);
        "" otherwise."""
        return self.summary if self.variation else ""

    @property
    def assurance_words(self) -> str:
        return ASSURANCE_WORDS.get(self.assurance or "", "")


def period_label(day: date, frequency: str) -> str:
    if frequency == "weekly":
        return f"w/c {day.day} {MONTHS[day.month - 1]} {day.year}"
    if frequency == "quarterly":
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    return f"{MONTHS[day.month - 1]} {day.year}"


def _span(points: Sequence[ChartPoint], first: int, last: int) -> str:
    if first == last:
        return points[first].label
    return f"{points[first].label} to {points[last].label}"


def _runs_of(flags: Sequence[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def measure_chart(
    measure: Any,
    points: Sequence[Any],
    *,
    phases: Sequence[Any] = (),
    annotations: Sequence[Any] = (),
    cycles: Sequence[Any] = (),
    kind: str | None = None,
    rules: str | None = None,
) -> MeasureChart:
    """The chart of a measure's points (DataPoint rows in period order)."""
    kind = kind or measure.chart
    if kind in ("p", "u") and not measure.has_denominator:
        kind = "xmr"
    rules = rules or measure.rules
    if kind == "run" and rules not in ("ihi", "anhoej"):
        rules = "ihi"
    if kind != "run" and rules not in ("mdc", "anhoej"):
        rules = "mdc"
    scale = float(measure.multiply or 1)
    rows: list[ChartPoint] = []
    for p in points:
        numerator = float(p.numerator)
        denominator = float(p.denominator) if p.denominator is not None else None
        if kind in ("c",) or denominator is None:
            value = numerator
        else:
            value = numerator / denominator * scale
        rows.append(
            ChartPoint(
                period=p.period,
                label=period_label(p.period, measure.frequency),
                value=value,
                numerator=numerator,
                denominator=denominator,
                excluded=bool(p.excluded),
                note=p.note,
            )
        )
    chart = MeasureChart(
        kind=kind,
        rules=rules,
        points=rows,
        centre_label="Median" if kind == "run" else "Mean",
    )
    periods = [r.period for r in rows]
    # A phase starts at the first period on or after its date; one at the very start is moot.
    chart.phase_starts = sorted(
        {i for ph in phases if (i := _first_at_or_after(periods, ph.starts_on)) > 0}
    )
    markers: list[tuple[int, str]] = []
    for note in annotations:
        index = _nearest(periods, note.on)
        if index is not None:
            markers.append((index, note.text))
    for cycle in cycles:
        index = _nearest(periods, cycle.starts_on)
        if index is not None:
            markers.append((index, f"PDSA {cycle.number}: {cycle.title}"))
    chart.markers = sorted(markers)
    if not rows:
        chart.summary = "No data yet."
        return chart
    excluded = [i for i, r in enumerate(rows) if r.excluded]
    try:
        if kind == "run":
            _run(chart, measure)
        else:
            _control(chart, measure, kind, rules, scale, excluded)
    except ValueError as error:
        # Data that does not fit this chart (a count above its denominator on a P chart,
        # say): say why, and keep every other page that shows this measure working.
        for row in rows:
            row.centre = row.lcl = row.ucl = None
            row.point_type, row.rules = "common_cause", ()
        chart.error = f"This chart cannot be worked out from the data: {error}"
        chart.signals = [chart.error]
        chart.variation = chart.assurance = None
        chart.summary = chart.error
    return chart


def _first_at_or_after(periods: Sequence[date], day: date) -> int:
    return next((i for i, p in enumerate(periods) if p >= day), -1)


def _nearest(periods: Sequence[date], day: date) -> int | None:
    """The period a date falls in (the last period starting on or before it)."""
    if not periods or day < periods[0]:
        return None
    index = None
    for i, p in enumerate(periods):
        if p <= day:
            index = i
        else:
            break
    return index


def _run(chart: MeasureChart, measure: Any) -> None:
    """A run chart per phase: each phase has its own median (and baseline, in the first).
    One line per signal; the headline counts those lines."""
    rows = chart.points
    bounds = [0, *chart.phase_starts, len(rows)]
    notes: list[str] = []
    limits_notes: list[str] = []
    for number, (start, end) in enumerate(itertools.pairwise(bounds)):
        segment = rows[start:end]
        # With phases, say which one a whole-phase finding is about.
        where = f"From {segment[0].label}: " if len(bounds) > 2 else ""
        values = [r.value or 0.0 for r in segment]
        exclude = [i for i, r in enumerate(segment) if r.excluded]
        baseline = measure.baseline_points if number == 0 and measure.baseline_points else None
        if baseline is not None and baseline < 1:
            baseline = None
        if baseline is not None and baseline > len(values):
            baseline = None
        result = spc.run_chart(
            values,
            rules=cast(spc.RunRules, chart.rules),
            baseline=baseline,
            exclude=exclude or None,
        )
        for r in segment:
            r.centre = result.centre
        flagged = [False] * len(segment)
        for first, last in result.shifts:
            for i in range(first, last + 1):
                flagged[i] = True
                segment[i].rules = (*segment[i].rules, "shift")
            span = _span(segment, first, last)
            length = sum(
                1 for r in segment[first : last + 1] if not r.excluded and r.value != result.centre
            )
            if chart.rules == "anhoej":
                notes.append(
                    f"Unusually long run: {length} points in a row on one side of the median, "
                    f"{span} (more than {result.longest_run_limit} is a signal)."
                )
            else:
                notes.append(f"Shift: {length} points in a row on one side of the median, {span}.")
        for first, last in result.trends:
            for i in range(first, last + 1):
                flagged[i] = True
                segment[i].rules = (*segment[i].rules, "trend")
            notes.append(
                f"Trend: {last - first + 1} points going the same way, "
                f"{_span(segment, first, last)}."
            )
        useful = result.useful_observations
        if chart.rules == "anhoej":
            if result.crossings_limit is not None and result.crossings < result.crossings_limit:
                notes.append(
                    f"{where}Unusually few crossings: the line crosses the median "
                    f"{result.crossings} times (fewer than {result.crossings_limit} is a signal)."
                )
        elif result.runs_signal is not None:
            if result.runs_signal == "too few":
                bound = f"fewer than {result.runs_lower_limit}"
            else:
                bound = f"more than {result.runs_upper_limit}"
            notes.append(
                f"{where}{result.runs_signal.capitalize()} runs: {result.runs} runs across the "
                f"median. With {useful} points not on the median, {bound} runs is unlikely by "
                "chance alone."
            )
        if chart.rules != "anhoej" and result.runs_limits_source == "extension":
            limits_notes.append(
                f"{where}The published runs table (Perla, Provost and Murray 2011) stops at "
                f"60 points not on the median. For {useful} the limits used here, fewer than "
                f"{result.runs_lower_limit} or more than {result.runs_upper_limit} runs, are "
                "HowGood's extension of it, worked out from Swed and Eisenhart's distribution "
                "of runs, which the table was adapted from."
            )
        for i, flag in enumerate(flagged):
            if flag:
                segment[i].point_type = _direction(segment[i], result.centre, measure.improvement)
    chart.runs_limits_note = " ".join(limits_notes)
    chart.variation = None
    _tell(chart, [("change", line) for line in notes])


def _direction(point: ChartPoint, centre: float | None, improvement: str) -> str:
    if centre is None or point.value is None or point.value == centre or not improvement:
        return "special_cause_neutral"
    higher = point.value > centre
    good = higher if improvement == "increase" else not higher
    return "special_cause_improvement" if good else "special_cause_concern"


def _control(
    chart: MeasureChart, measure: Any, kind: str, rules: str, scale: float, excluded: list[int]
) -> None:
    rows = chart.points
    if kind in ("p", "u"):
        values = [r.numerator for r in rows]
        denominators: list[float] | None = [r.denominator or 1.0 for r in rows]
        factor = scale
    else:
        values = [r.value or 0.0 for r in rows]
        denominators = None
        factor = 1.0
    target = float(measure.target) / factor if measure.target is not None else None
    freeze = measure.baseline_points or None
    if freeze is not None and freeze > (chart.phase_starts[0] if chart.phase_starts else len(rows)):
        freeze = None
    result = spc.control_chart(
        values,
        chart=cast(spc.ChartType, kind),
        denominators=denominators,
        rules=cast(spc.ControlRules, rules),
        improvement=measure.improvement or None,
        phases=chart.phase_starts or None,
        freeze=freeze,
        exclude=excluded or None,
        target=target,
    )
    for row, point in zip(rows, result.points, strict=True):
        row.centre = _scaled(point.centre, factor)
        row.lcl = _scaled(point.lcl, factor)
        row.ucl = _scaled(point.ucl, factor)
        row.point_type = point.point_type
        row.rules = tuple(point.rules)
    chart.variation = result.variation
    chart.assurance = result.assurance
    chart.provisional = bool(result.too_few_points)
    found: list[tuple[int, int, str, str]] = []  # (first index, rule order, kind, words)
    for order, (rule, words) in enumerate(RULE_WORDS.items()):
        flags = [rule in r.rules for r in rows]
        for first, last in _runs_of(flags):
            kinds = {rows[i].point_type for i in range(first, last + 1)}
            what = (
                "improvement"
                if "special_cause_improvement" in kinds
                else "concern"
                if "special_cause_concern" in kinds
                else "change"
            )
            if rule == "outside_limits":
                for i in range(first, last + 1):
                    side = (
                        "above the upper"
                        if (rows[i].value or 0) > (rows[i].ucl or 0)
                        else "below the lower"
                    )
                    found.append((i, order, what, f"{rows[i].label}: {side} limit ({what})."))
            else:
                found.append((first, order, what, f"{_span(rows, first, last)}: {words} ({what})."))
    found.sort(key=lambda item: (item[0], item[1]))
    _tell(chart, [(what, words) for _, _, what, words in found])


def _tell(chart: MeasureChart, found: Sequence[tuple[str, str]]) -> None:
    """The one place a chart's words are made: the list of signals (one line each, as
    ``(kind, words)``), how many there are, and the headline counted from that same list,
    so that the headline can never say something the list does not."""
    chart.signal_count = len(found)
    if chart.kind == "run":
        chart.signals = [words for _, words in found] or [NO_RUN_SIGNAL_LINE]
        count = len(found)
        chart.summary = (
            f"Signal of change: {count} signal{'s' if count != 1 else ''}."
            if found
            else NO_RUN_SIGNAL
        )
        return
    chart.signals = [words for _, words in found] or [NO_CONTROL_SIGNAL_LINE]
    chart.summary = _headline([kind for kind, _ in found], chart.variation or "")


def _headline(kinds: Sequence[str], variation: str) -> str:
    """A control chart's headline from the kinds of its listed signals (one per line of
    the list) and the latest point's variation. Only ``_tell`` calls it."""
    if not kinds:
        return NO_CHANGE
    total = len(kinds)
    counts = [(kind, kinds.count(kind)) for kind in SIGNAL_KINDS if kind in kinds]
    if len(counts) == 1:
        what = f"{total} signal{'s' if total != 1 else ''} of {counts[0][0]}"
    else:
        parts = [f"{n} of {kind}" for kind, n in counts]
        what = f"{total} signals, " + ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Special cause variation: {what}. {VARIATION_WORDS.get(variation, '')}".strip()


def _scaled(value: float | None, factor: float) -> float | None:
    """The engine's line in display units; None where it has none (NaN: one point alone)."""
    if value is None or math.isnan(value):
        return None
    return value * factor


def drawing(measure: Any, chart: MeasureChart) -> dict[str, Any]:
    """Everything ``toolkit.charts.spc.spc_chart`` draws for this chart, but the formats:
    plain data (kept as JSON by a document that must print the same chart later)."""
    percent = measure.multiply == 100 and measure.has_denominator and chart.kind != "c"
    unit = "Percentage" if percent else ("Rate" if measure.has_denominator else "Number")
    return {
        "title": measure.title,
        "labels": [p.label for p in chart.points],
        "values": [p.value for p in chart.points],
        "centre": [p.centre for p in chart.points],
        "lcl": [p.lcl for p in chart.points] if chart.has_limits else None,
        "ucl": [p.ucl for p in chart.points] if chart.has_limits else None,
        "point_types": [p.point_type for p in chart.points],
        "excluded": [p.excluded for p in chart.points],
        "target": float(measure.target) if measure.target is not None else None,
        "markers": chart.markers,
        "phase_starts": chart.phase_starts,
        "centre_label": chart.centre_label,
        "value_label": unit,
        "percent": percent,
    }


def draw(measure: Any, chart: MeasureChart, *, formats: Sequence[str] = ("svg", "png")) -> Any:
    """The chart drawn (``toolkit.charts.spc.spc_chart``), with its data table: drawn once
    and kept in the cache under its data (``toolkit.charts.base.kept``)."""
    return draw_drawing(drawing(measure, chart), formats=formats)


def draw_drawing(data: dict[str, Any], *, formats: Sequence[str] = ("svg", "png")) -> Any:
    """A chart drawn from ``drawing``'s data (kept in the cache under its data)."""
    # Imported here, not at the top: toolkit.charts loads matplotlib, which takes seconds,
    # and only drawing the chart needs it.
    from howgood.toolkit.charts.base import kept
    from howgood.toolkit.charts.spc import spc_chart

    markers = [tuple(m) for m in data.get("markers") or []]  # JSON turns tuples into lists
    return kept(spc_chart, **{**data, "markers": markers}, formats=tuple(formats))
