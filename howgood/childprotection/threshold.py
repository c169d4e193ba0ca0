"""The threshold question on one page: what the figures say, assembled once for the page,
its downloads and (later) the strategic group's report pack.

``threshold(partnership, by=..., outside=...)`` gives plain data: the indicators by period,
the re-classified share judged over time, the referring agencies against the overall share,
the path from concern to registration, rates per 1,000 children, time on the register, and
the comparison with Scotland. ``outside`` (a scrutiny partner, or anything shared beyond the
partnership) withholds small numbers with the one disclosure function.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from howgood.childprotection import charts, selectors
from howgood.childprotection.models import Comparator
from howgood.improvement.charts import MeasureChart
from howgood.partnerships.models import Partnership
from howgood.stats import disclosure
from howgood.stats.funnel import POSITION_WORDS as funnel_words
from howgood.stats.funnel import Funnel

BY = {"month": "Month", "quarter": "Quarter", "year": "Year"}
NO_NATIONAL_IRD = (
    "No national statistics are published on inter-agency referral discussions or on "
    "concerns re-classified to wellbeing, so these figures have no Scottish comparison."
)


@dataclass
class Cell:
    """A count as it may be shown: the number, or words when it is withheld."""

    value: int
    shown: str
    exact: bool = True


@dataclass
class Row:
    label: str
    key: str
    cells: dict[str, Cell]
    wellbeing_share: str
    in_time_share: str
    on_register: Cell


@dataclass
class Threshold:
    source: str  # "extract", "counts" or ""
    by: str
    rows: list[Row] = field(default_factory=list)
    first: str = ""
    last: str = ""
    chart: MeasureChart | None = None
    funnel: Funnel | None = None
    funnel_period: str = ""
    funnel_target: str = ""
    funnel_rows: list[dict[str, Any]] = field(default_factory=list)
    pathway: list[dict[str, Any]] = field(default_factory=list)
    pathway_period: str = ""
    late: dict[str, int] = field(default_factory=dict)  # planning meetings later than the timescale
    rates: list[dict[str, Any]] = field(default_factory=list)
    register_times: dict[int, dict[str, Any]] = field(default_factory=dict)
    comparison: list[Comparator] = field(default_factory=list)
    comparison_period: str = ""
    scotland: list[Comparator] = field(default_factory=list)
    own_rate: dict[str, Any] | None = None
    scotland_rate: dict[str, Any] | None = None
    partial: str = ""  # the month not yet over, if the data reaches it
    phases: list[str] = field(default_factory=list)  # each change in practice, before and after
    outside: bool = False
    threshold: int = disclosure.DEFAULT_THRESHOLD
    cppm_days: int = 28
    reregistration_months: int = 18
    version: int = 0
    notes: list[str] = field(default_factory=list)


# The figures' columns, (key, heading), in the order every table of them uses; the
# headings name the timescale in force. A table of them is ``figure_table(found, keys)``.
def figure_columns(found: Threshold) -> list[tuple[str, str]]:
    return [
        ("concerns", "Concerns"),
        ("wellbeing", "Re-classified to wellbeing"),
        ("wellbeing_share", "Share re-classified"),
        ("investigations", "Investigations"),
        ("cppms", "CPPMs"),
        ("cppms_in_time", f"CPPMs within {found.cppm_days} days"),
        ("in_time_share", "Share within the timescale"),
        ("registrations", "Registrations"),
        ("reregistrations", "Re-registrations"),
        ("deregistrations", "De-registrations"),
        ("on_register", "On the register at the end"),
    ]


CONCERN_KEYS = (
    "concerns",
    "wellbeing",
    "wellbeing_share",
    "investigations",
    "cppms",
    "in_time_share",
)
REGISTER_KEYS = ("registrations", "reregistrations", "deregistrations", "on_register")


def figure_table(
    found: Threshold, keys: tuple[str, ...] | None = None
) -> tuple[list[str], list[list[str]]]:
    """The figures by period as (header, rows) of text as shown, with the columns ``keys``
    (all of them when None), for the downloads and the documents."""
    columns = [(k, h) for k, h in figure_columns(found) if keys is None or k in keys]
    header = [BY[found.by], *(h for _, h in columns)]
    rows = []
    for r in found.rows:
        shown = {
            **{k: c.shown for k, c in r.cells.items()},
            "wellbeing_share": r.wellbeing_share,
            "in_time_share": r.in_time_share,
            "on_register": r.on_register.shown,
        }
        rows.append([r.label, *(shown[k] for k, _ in columns)])
    return header, rows


def _cell(value: int, outside: bool, threshold: int) -> Cell:
    if outside and 0 < value < threshold:
        return Cell(value, f"fewer than {threshold}", exact=False)
    return Cell(value, f"{value:,}")


def _share(part: int, whole: int, outside: bool, threshold: int) -> str:
    if not whole:
        return "–"
    if outside:
        shown = disclosure.proportion(part, whole, threshold)
        if shown.form == "withheld":
            return f"not shown: fewer than {threshold} in all"
        if not shown.exact:
            return shown.words
    return f"{100 * part / whole:.0f}%"


def threshold(partnership: Partnership, *, by: str = "quarter", outside: bool = False) -> Threshold:
    settings = selectors.settings_of(partnership)
    limit = partnership.suppression_threshold
    found = Threshold(
        source=selectors.source(partnership),
        by=by if by in BY else "quarter",
        outside=outside,
        threshold=limit,
        cppm_days=settings.cppm_days,
        reregistration_months=settings.reregistration_months,
        version=settings.version,
        notes=[NO_NATIONAL_IRD],
    )
    months = selectors.monthly(partnership, settings) if found.source else {}
    if not months:
        return found
    keys = list(months)
    found.first, found.last = _month_words(keys[0]), _month_words(keys[-1])
    # A month not yet over is in the tables (so far) but not judged on the chart or counted
    # in the last twelve months.
    if keys[-1] == f"{timezone.localdate():%Y-%m}":
        found.partial = found.last
        complete = {k: months[k] for k in keys[:-1]}
    else:
        complete = dict(months)
    keys = list(complete) or keys
    for period in selectors.periods(months, found.by):
        c = period.counts
        found.rows.append(
            Row(
                label=period.label,
                key=period.key,
                cells={k: _cell(v, outside, limit) for k, v in c.items()},
                wellbeing_share=_share(c["wellbeing"], c["concerns"], outside, limit),
                in_time_share=_share(c["cppms_in_time"], c["cppms"], outside, limit),
                on_register=_cell(period.on_register, outside, limit),
            )
        )
    changes = selectors.practice_changes(partnership)
    found.chart = charts.wellbeing_chart(complete, changes, quarterly=outside)
    found.phases = _phase_words(found.chart, changes)
    (year,) = selectors.periods(selectors.last_months(complete or months, 12), "all")
    found.funnel_period = (
        f"{_month_words(keys[-12] if len(keys) >= 12 else keys[0])} to {_month_words(keys[-1])}"
    )
    found.pathway_period = found.funnel_period
    # Outside the partnership, an agency is shown only where its share can be published
    # exactly (neither its re-classified concerns nor the rest are a small number).
    shown_agencies = {
        name: counts
        for name, counts in year.by_agency.items()
        if not outside
        or disclosure.proportion(counts["wellbeing"], counts["concerns"], limit).exact
    }
    found.funnel = charts.agency_funnel(shown_agencies)
    if found.funnel is not None:
        found.funnel_target = f"{100 * found.funnel.target:.0f}%"
        for point in found.funnel.points:
            found.funnel_rows.append(
                {
                    "agency": point.name,
                    "concerns": _cell(point.whole, outside, limit),
                    "wellbeing": _cell(point.part, outside, limit),
                    "share": _share(point.part, point.whole, outside, limit),
                    "position": funnel_words[point.position],
                }
            )
    for step in selectors.pathway(year):
        found.pathway.append(
            {
                "label": step.label,
                "count": _cell(step.count, outside, limit),
                "share": _share(step.count, step.of, outside, limit) if step.of is not None else "",
            }
        )
    population = selectors.populations(partnership)
    found.rates = selectors.rates(population, selectors.periods(months, "year"))
    if found.source == "extract":
        found.late = selectors.late_meetings(partnership, settings, year.start, year.end)
    if found.source == "extract":
        found.register_times = selectors.register_times(partnership, settings)
    found.comparison = selectors.comparators()
    if found.comparison:
        found.comparison_period = found.comparison[0].period
    found.scotland = list(
        Comparator.objects.filter(
            area_name="Scotland", indicator="Children on the Child Protection Register"
        ).order_by("-reference_date")[:6]
    )
    found.own_rate = _own_july_rate(population, months)
    found.scotland_rate = selectors.scotland_register_rate()
    return found


def _phase_words(chart: MeasureChart, changes: list[Any]) -> list[str]:
    """For each change in practice on the chart, the re-classified share from then on
    against the phase before (each phase's mean, the chart's centre line)."""
    if not chart.points or chart.error:
        return []
    words = []
    starts = [0, *chart.phase_starts]
    for before, start in itertools.pairwise(starts):
        first = chart.points[start]
        change = max((c for c in changes if c.month <= first.period), key=lambda c: c.month)
        was, now = chart.points[before].centre, first.centre
        if was is None or now is None:
            continue
        words.append(
            f"From {first.label} ({change.title}): {now:.0f}% of concerns re-classified to "
            f"wellbeing, against {was:.0f}% before."
        )
    return words


def _month_words(key: str) -> str:
    return f"{selectors.MONTH_NAMES[int(key[5:7]) - 1]} {key[:4]}"


def _own_july_rate(population: dict[int, int], months: dict[str, Any]) -> dict[str, Any] | None:
    """Children on the register at the end of July per 1,000 aged 0 to 15, for the latest
    July the data and the population both cover (the national figures are July snapshots)."""
    for key in reversed(list(months)):
        if key.endswith("-07") and int(key[:4]) in population:
            year = int(key[:4])
            on = months[key]["on_register"]
            return {
                "year": year,
                "on_register": on,
                "children": population[year],
                "rate": 1000 * on / population[year],
            }
    return None


@dataclass
class Headline:
    """The threshold question in a line or two, for the strategic dashboard and its pack: the
    last twelve complete months' concerns, the share re-classified to wellbeing, the share of
    planning meetings within the timescale, registrations, and children on the register at
    the end of the last month. Small numbers withheld when ``outside``."""

    period: str
    concerns: str
    wellbeing_share: str
    in_time_share: str
    registrations: str
    on_register: str
    cppm_days: int
    reregistrations: str = ""
    reregistration_months: int = 18
    deregistrations: str = ""
    rate: str = ""  # children on the register per 1,000 aged 0 to 15, at the latest July
    scotland_rate: str = ""  # Scotland's, at the national figures' date


def headline(partnership: Partnership, *, outside: bool = False) -> Headline | None:
    settings = selectors.settings_of(partnership)
    months = selectors.monthly(partnership, settings) if selectors.source(partnership) else {}
    if not months:
        return None
    keys = list(months)
    if keys[-1] == f"{timezone.localdate():%Y-%m}" and len(keys) > 1:
        months = {k: months[k] for k in keys[:-1]}
    (year,) = selectors.periods(selectors.last_months(months, 12), "all")
    last = list(selectors.last_months(months, 12))
    limit = partnership.suppression_threshold
    c = year.counts
    return Headline(
        period=f"{_month_words(last[0])} to {_month_words(last[-1])}",
        concerns=_cell(c["concerns"], outside, limit).shown,
        wellbeing_share=_share(c["wellbeing"], c["concerns"], outside, limit),
        in_time_share=_share(c["cppms_in_time"], c["cppms"], outside, limit),
        registrations=_cell(c["registrations"], outside, limit).shown,
        on_register=_cell(year.on_register, outside, limit).shown,
        cppm_days=settings.cppm_days,
        reregistrations=_cell(c["reregistrations"], outside, limit).shown,
        reregistration_months=settings.reregistration_months,
        deregistrations=_cell(c["deregistrations"], outside, limit).shown,
        rate=(
            f"{own['rate']:.1f} per 1,000 children aged 0 to 15 (July {own['year']})"
            if (own := _own_july_rate(selectors.populations(partnership), months))
            and (not outside or not 0 < own["on_register"] < limit)
            else ""
        ),
        scotland_rate=(
            f"{national['rate']:.1f} per 1,000 (July 2021)"
            if (national := selectors.scotland_register_rate())
            else ""
        ),
    )
