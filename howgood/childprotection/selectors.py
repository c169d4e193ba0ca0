"""Reads of a partnership's child protection data, and the figures made from it.

The monthly indicators come from the concern log when the partnership has applied an
extract, and from its monthly counts otherwise. They are computed by the one pure function
(``stats.childprotection.monthly_indicators``) and kept in the cache under the data's
version, so a page computes them again only after the data has changed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from howgood.childprotection.models import (
    ChildConcern,
    Comparator,
    ConcernImport,
    DataSettings,
    ImportStatus,
    MonthlyCount,
    Population,
    PracticeChange,
    SeriesMeasure,
)
from howgood.partnerships.models import Partnership
from howgood.stats.childprotection import monthly_indicators

COUNT_KEYS = (
    "concerns",
    "wellbeing",
    "investigations",
    "cppms",
    "cppms_in_time",
    "registrations",
    "reregistrations",
    "deregistrations",
)
MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
REGISTER_INDICATOR = "Children on the child protection register"


def settings_of(partnership: Partnership) -> DataSettings:
    """The partnership's settings as stored, or the defaults (unsaved) before any change."""
    return DataSettings.objects.filter(partnership=partnership).first() or DataSettings(
        partnership=partnership
    )


def current_concerns(partnership: Partnership) -> QuerySet[ChildConcern]:
    """The concerns that count: from applied extracts, and not replaced by a later one."""
    return ChildConcern.objects.filter(
        partnership=partnership, batch__status=ImportStatus.APPLIED, superseded_by__isnull=True
    )


def source(partnership: Partnership) -> str:
    """Where the figures come from: "extract", "counts" or "" (no data yet)."""
    if current_concerns(partnership).exists():
        return "extract"
    if MonthlyCount.objects.filter(partnership=partnership).exists():
        return "counts"
    return ""


def _from_counts(partnership: Partnership) -> dict[str, dict[str, Any]]:
    months: dict[str, dict[str, Any]] = {}
    rows: Any = MonthlyCount.objects.filter(partnership=partnership).order_by("month").values()
    for row in rows:
        key = f"{row['month']:%Y-%m}"
        months[key] = {k: row[k] for k in (*COUNT_KEYS, "on_register")}
        months[key]["wellbeing_share"] = (
            row["wellbeing"] / row["concerns"] if row["concerns"] else None
        )
        months[key]["by_agency"] = {}
    return months


def _compute(partnership: Partnership, settings: DataSettings) -> dict[str, dict[str, Any]]:
    if not current_concerns(partnership).exists():
        return _from_counts(partnership)
    rows = current_concerns(partnership).values(
        "child", "received", "agency", "outcome", "cppm", "registered", "deregistered"
    )
    return monthly_indicators(
        rows.iterator(chunk_size=5000),
        cppm_days=settings.cppm_days,
        reregistration_months=settings.reregistration_months,
    )


def _kept(partnership: Partnership, settings: DataSettings, name: str, make: Any) -> Any:
    """A figure kept in the cache until the partnership's data changes (its version)."""
    key = f"childprotection:{name}:{partnership.pk}:{settings.version}"
    kept = cache.get(key)
    if kept is None:
        kept = make()
        cache.set(key, kept, timeout=7 * 24 * 3600)
    return kept


def monthly(
    partnership: Partnership, settings: DataSettings | None = None
) -> dict[str, dict[str, Any]]:
    """``{"YYYY-MM": indicators}`` for every month of the partnership's data (kept)."""
    settings = settings or settings_of(partnership)
    return _kept(partnership, settings, "monthly", lambda: _compute(partnership, settings))


# --- Periods -----------------------------------------------------------------------------


@dataclass
class Period:
    key: str  # "2024-03", "2024 Q1", "2024"
    label: str  # "Mar 2024", "Jan to Mar 2024", "2024"
    start: date
    end: date
    months: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    on_register: int = 0  # at the end of the period's last month
    by_agency: dict[str, dict[str, int]] = field(default_factory=dict)

    def share(self, part: str, whole: str) -> float | None:
        return self.counts[part] / self.counts[whole] if self.counts.get(whole) else None

    @property
    def wellbeing_share(self) -> float | None:
        return self.share("wellbeing", "concerns")

    @property
    def in_time_share(self) -> float | None:
        return self.share("cppms_in_time", "cppms")


def _period_of(key: str, by: str) -> tuple[str, str, date, date]:
    year, month = int(key[:4]), int(key[5:7])
    if by == "all":  # every month given, as one period (it ends with the last of them)
        following = date(year + (month == 12), month % 12 + 1, 1)
        return "all", "", date(year, month, 1), date.fromordinal(following.toordinal() - 1)
    if by == "year":
        return str(year), str(year), date(year, 1, 1), date(year, 12, 31)
    if by == "quarter":
        q = (month - 1) // 3
        first = date(year, 3 * q + 1, 1)
        last_month = 3 * q + 3
        end = date(year + (last_month == 12), last_month % 12 + 1, 1)
        return (
            f"{year} Q{q + 1}",
            f"{MONTH_NAMES[3 * q]} to {MONTH_NAMES[3 * q + 2]} {year}",
            first,
            date.fromordinal(end.toordinal() - 1),
        )
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (
        key,
        f"{MONTH_NAMES[month - 1]} {year}",
        first,
        date.fromordinal(following.toordinal() - 1),
    )


def periods(months: Mapping[str, Mapping[str, Any]], by: str = "month") -> list[Period]:
    """The months added up by month, quarter (calendar), year or ``"all"`` together; the
    register at each period's end."""
    found: dict[str, Period] = {}
    for key, month in months.items():
        period_key, label, start, end = _period_of(key, by)
        period = found.get(period_key)
        if period is None:
            period = found[period_key] = Period(
                period_key, label, start, end, counts=dict.fromkeys(COUNT_KEYS, 0)
            )
        period.end = end
        period.months += 1
        for name in COUNT_KEYS:
            period.counts[name] += month[name]
        period.on_register = month["on_register"]
        for agency, counts in month["by_agency"].items():
            kept = period.by_agency.setdefault(agency, {"concerns": 0, "wellbeing": 0})
            kept["concerns"] += counts["concerns"]
            kept["wellbeing"] += counts["wellbeing"]
    return list(found.values())


def last_months(months: Mapping[str, Mapping[str, Any]], count: int) -> dict[str, Any]:
    keys = list(months)[-count:]
    return {k: months[k] for k in keys}


@dataclass(frozen=True)
class Step:
    label: str
    count: int
    of: int | None  # the count of the step before (None for the first)

    @property
    def share(self) -> float | None:
        return self.count / self.of if self.of else None


def pathway(period: Period) -> list[Step]:
    """From concern to investigation to planning meeting to registration, as counts with
    each one's share of the step before (in the same period: a rough path, not a cohort)."""
    c = period.counts
    return [
        Step("Child protection concerns", c["concerns"], None),
        Step("Investigations (after the IRD)", c["investigations"], c["concerns"]),
        Step("Planning meetings (CPPMs)", c["cppms"], c["investigations"]),
        Step("Registrations", c["registrations"], c["cppms"]),
    ]


def register_times(
    partnership: Partnership, settings: DataSettings | None = None
) -> dict[int, dict[str, Any]]:
    """For the children de-registered (from the concern log): the median days on the
    register and how many within 6 months, by year of de-registration (kept)."""
    settings = settings or settings_of(partnership)
    return _kept(partnership, settings, "register", lambda: _register_times(partnership))


def _register_times(partnership: Partnership) -> dict[int, dict[str, Any]]:
    spells = (
        current_concerns(partnership)
        .filter(registered__isnull=False, deregistered__isnull=False)
        .values_list("child", "registered", "deregistered")
        .distinct()
    )
    by_year: dict[int, list[int]] = defaultdict(list)
    for _, registered, deregistered in spells:
        assert registered is not None and deregistered is not None  # filtered above
        by_year[deregistered.year].append((deregistered - registered).days)
    result: dict[int, dict[str, Any]] = {}
    for year in sorted(by_year):
        days = by_year[year]
        under = sum(1 for d in days if d < 183)
        result[year] = {
            "deregistrations": len(days),
            "median_days": statistics.median(days),
            "under_six_months": under,
            "under_six_share": round(100 * under / len(days)),
        }
    return result


def late_meetings(
    partnership: Partnership, settings: DataSettings, start: date, end: date
) -> dict[str, int]:
    """The planning meetings held from ``start`` to ``end`` later than the timescale (from
    the earliest concern that carries them, as the indicators count), and how many of those
    had an exception agreed by a senior manager, with its reason (kept)."""

    def count() -> dict[str, int]:
        meetings: dict[tuple[str, date], list[Any]] = {}
        rows = current_concerns(partnership).filter(cppm__range=(start, end))
        for child, cppm, received, reason in rows.values_list(
            "child", "cppm", "received", "cppm_exception"
        ):
            assert cppm is not None  # within the range asked for
            kept = meetings.setdefault((child, cppm), [received, False])
            kept[0] = min(kept[0], received)
            kept[1] = kept[1] or bool(reason)
        late = [
            agreed
            for (_, cppm), (first, agreed) in meetings.items()
            if (cppm - first).days > settings.cppm_days
        ]
        return {"meetings": len(meetings), "late": len(late), "agreed": sum(late)}

    return _kept(partnership, settings, f"late:{start}:{end}", count)


def populations(partnership: Partnership) -> dict[int, int]:
    return dict(Population.objects.filter(partnership=partnership).values_list("year", "children"))


def rates(population: Mapping[int, int], years: list[Period]) -> list[dict[str, Any]]:
    """Per 1,000 children aged 0 to 15, per year, where the year's population is entered."""
    rows = []
    for period in years:
        children = population.get(period.start.year)
        if not children:
            continue
        rows.append(
            {
                "year": period.start.year,
                "children": children,
                "concerns": 1000 * period.counts["concerns"] / children,
                "registrations": 1000 * period.counts["registrations"] / children,
                "on_register": 1000 * period.on_register / children,
            }
        )
    return rows


def practice_changes(partnership: Partnership) -> list[PracticeChange]:
    return list(PracticeChange.objects.filter(partnership=partnership))


def extracts_of(partnership: Partnership) -> QuerySet[ConcernImport]:
    return ConcernImport.objects.filter(partnership=partnership).select_related("uploaded_by")


def preview(extract: ConcernImport) -> dict[str, Any]:
    """What applying a staged extract will change: its rows by outcome, and month by month
    the concerns held now against those in the file."""
    staged = ChildConcern.objects.filter(batch=extract)
    outcomes = dict(staged.values_list("outcome").annotate(n=Count("pk")).order_by())
    held = (
        current_concerns(extract.partnership)
        .filter(received__range=(extract.period_start, extract.period_end))
        .values_list("received__year", "received__month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    incoming = (
        staged.values_list("received__year", "received__month").annotate(n=Count("pk")).order_by()
    )
    now = {(y, m): n for y, m, n in held}
    new = {(y, m): n for y, m, n in incoming}
    months = [
        {
            "label": f"{MONTH_NAMES[m - 1]} {y}",
            "held": now.get((y, m), 0),
            "file": new.get((y, m), 0),
        }
        for y, m in sorted(set(now) | set(new))
    ]
    return {
        "outcomes": outcomes,
        "months": months,
        "replaced": sum(now.values()),
        "children": staged.values("child").distinct().count(),
        "agencies": staged.values("agency").distinct().count(),
        "late_with_reason": staged.filter(~Q(cppm_exception="")).count(),
    }


def comparators(indicator: str = REGISTER_INDICATOR) -> list[Comparator]:
    """The councils' published figures, lowest first; those not published last."""
    found = list(Comparator.objects.filter(indicator=indicator))
    return sorted(found, key=lambda c: (c.value is None, c.value or 0, c.area_name))


NATIONAL_REGISTER = "Children on the Child Protection Register"
POPULATION_0_15 = "Mid-year population estimate - aged 0-15 years"


def scotland_register_rate() -> dict[str, Any] | None:
    """Scotland's children on the register per 1,000 aged 0 to 15 at 31 July 2021, the
    date of the councils' figures: the national count over the councils' populations."""
    count = Comparator.objects.filter(
        indicator=NATIONAL_REGISTER, area_name="Scotland", reference_date=date(2021, 7, 31)
    ).first()
    children = sum(
        int(c)
        for c in Comparator.objects.filter(
            indicator=POPULATION_0_15, period="2021 calendar year"
        ).values_list("numerator", flat=True)
        if c is not None
    )
    if count is None or count.value is None or not children:
        return None
    return {
        "count": int(count.value),
        "children": children,
        "rate": 1000 * float(count.value) / children,
        "source": f"{count.source.split(', http')[0]}; population: ScotPHO, mid-2021",
    }


def measured_series(partnership: Partnership) -> dict[str, int]:
    """{series: measure id} for the series already made into plan measures."""
    return dict(
        SeriesMeasure.objects.filter(partnership=partnership).values_list("series", "measure_id")
    )


def undo_blocked_by(extract: ConcernImport) -> ConcernImport | None:
    """The later applied extract that replaced some of this one's rows (undo that first)."""
    if extract.status != ImportStatus.APPLIED:
        return None
    return (
        ConcernImport.objects.filter(superseded__batch=extract, status=ImportStatus.APPLIED)
        .exclude(pk=extract.pk)
        .order_by("-applied_at")
        .first()
    )
