"""The threshold page's charts: worked out from the monthly indicators, drawn once and kept
until the data changes (the page shows the SVG; documents print the PNG).

Every chart is drawn once and kept under its data, as all HowGood's charts are. The
re-classified share is judged as any plan measure is (``improvement.charts``, on the SPC
engine), with a new phase at each change in practice; the referring agencies are placed on
a funnel plot (``stats.funnel``) so that a small agency is not over-read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from howgood.childprotection.models import PracticeChange
from howgood.improvement import charts as measure_charts
from howgood.stats import funnel

WELLBEING_MEASURE = SimpleNamespace(
    title="Concerns re-classified to wellbeing",
    chart="p",
    rules="mdc",
    multiply=100,
    has_denominator=True,
    frequency="monthly",
    improvement="",
    target=None,
    baseline_points=None,
)


def wellbeing_chart(
    months: Mapping[str, Mapping[str, Any]],
    changes: Sequence[PracticeChange],
    *,
    quarterly: bool = False,
) -> measure_charts.MeasureChart:
    """The share of concerns re-classified to wellbeing as a p-chart with a phase from each
    change in practice: month by month, or by quarter (for anyone outside the partnership,
    so that no point rests on a month's few concerns). Periods with no concerns are left
    out."""
    totals: dict[date, list[int]] = {}
    for key, month in months.items():
        day = date.fromisoformat(f"{key}-01")
        if quarterly:
            day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
        kept = totals.setdefault(day, [0, 0])
        kept[0] += month["wellbeing"]
        kept[1] += month["concerns"]
    points = [
        SimpleNamespace(period=day, numerator=w, denominator=c, excluded=False, note="")
        for day, (w, c) in totals.items()
        if c
    ]
    phases = [SimpleNamespace(starts_on=c.month) for c in changes]
    annotations = [SimpleNamespace(on=c.month, text=c.title) for c in changes]
    measure = QUARTERLY_MEASURE if quarterly else WELLBEING_MEASURE
    return measure_charts.measure_chart(measure, points, phases=phases, annotations=annotations)


QUARTERLY_MEASURE = SimpleNamespace(**{**vars(WELLBEING_MEASURE), "frequency": "quarterly"})


def agency_funnel(by_agency: Mapping[str, Mapping[str, int]]) -> funnel.Funnel | None:
    units = {a: (c["wellbeing"], c["concerns"]) for a, c in by_agency.items() if c["concerns"]}
    return funnel.funnel(units) if units else None


def funnel_arguments(found: funnel.Funnel, period: str) -> dict[str, Any]:
    return {
        "title": f"Concerns re-classified to wellbeing by referring agency, {period}",
        "target": found.target,
        "units": [(p.name, p.part, p.whole, p.position) for p in found.points],
        "curve": [(c.n, c.lower998, c.lower95, c.upper95, c.upper998) for c in found.curve],
        "size_label": "Concerns referred",
        "share_label": "Re-classified to wellbeing",
    }


def draw_wellbeing(chart: measure_charts.MeasureChart, formats: Sequence[str] = ("svg",)) -> Any:
    return measure_charts.draw(WELLBEING_MEASURE, chart, formats=formats)


def draw_funnel(found: funnel.Funnel, period: str, formats: Sequence[str] = ("svg",)) -> Any:
    """Drawn once and kept under its data (``toolkit.charts.base.kept``), as every chart."""
    from howgood.toolkit.charts.base import kept  # matplotlib: only to draw
    from howgood.toolkit.charts.funnel import funnel_chart

    return kept(funnel_chart, **funnel_arguments(found, period), formats=tuple(formats))
