"""Statistical process control: run charts and control charts (XmR, p, u, c).

Two entry points, both pure functions of their arguments:

* :func:`run_chart` — the median line and the run-chart rules, either the IHI rules
  (shift, trend, too few or too many runs) or the Anhøj rules (longest run, crossings).
* :func:`control_chart` — the centre line and 3-sigma limits of an XmR, p, u or c chart,
  each point judged under the NHS Making Data Count rules (``"mdc"``), the Anhøj rules
  or Shewhart's rule alone, with the Making Data Count variation and assurance icons.

Conventions (shared by both functions; each one settles a case where the references
differ, and the tests pin every one of them):

* Indices are 0-based positions in ``values``. ``exclude`` lists points that stay on the
  chart but take no part in any calculation: not in the median, mean or moving ranges,
  and skipped by every sequence rule (they neither count towards nor break a run, a
  trend or a 2-of-3 window, and they are not useful observations). On a control chart
  they are still judged against the limits, so an excluded point outside them is
  flagged (as qicharts2 does). Moving ranges join the included points either side of an
  excluded one (qicharts2's ``qic.i``).
* A point exactly on a limit is not outside it; a point exactly on the centre line is
  on neither side (it neither counts towards nor breaks an IHI or Anhøj run, and it
  breaks a Making Data Count run of points on one side).
* Limits are computed however few the points; ``too_few_points`` says a phase has fewer
  than 13, so that pages can call its limits provisional (the MDC Single Chart Tool v5
  shows limits from 13 points; NHSRplotthedots warns below 13).
* Results are frozen dataclasses; a :class:`Point` is a named tuple.
  ``ControlChartResult.points`` is a read-only sequence that makes each point when it is
  read, at about the cost of a plain tuple (iteration makes them in C), so a chart of
  10,000 points is built and every point read in under 20 ms, and a million in linear
  time (``bench/spc_engine.py`` times exactly that: the chart and every point's fields
  as the measure page reads them).
* Bad input raises :class:`ValueError` with a message naming the argument: wrong
  lengths, NaN or infinite numbers, an unknown chart or rule set, missing, zero or
  negative denominators, negative counts, a p-chart numerator above its denominator, or
  an index out of range.
* Time is linear in the number of points, apart from one sort per median (run charts).

Deliberate differences from the reference implementations (each has a test):

* XmR limits are the mean ± 2.66 × mean moving range (NHSRplotthedots and the MDC
  tool). qicharts2 uses σ = MR̄ / 1.128 and ± 3σ, that is ± 2.6596 × MR̄, so its limits
  are 0.015% narrower. The centre line and moving ranges agree exactly.
* The MDC shift, trend and 2-of-3 runs continue across a phase boundary, each point
  judged against its own phase's lines (the MDC Single Chart Tool v5); NHSRplotthedots
  starts them afresh in each rebased group. Anhøj statistics are per phase, as in
  qicharts2.
* A point that is both improvement and concern (say below the lower limit but at the
  end of a rising trend) counts as improvement (MDC Single Chart Tool v5);
  NHSRplotthedots takes the first rule in its order outside limits, trend, 2-of-3,
  shift.
* 2-of-3 counts a point beyond a limit as beyond the two-thirds line too (the rule as
  worded: "beyond two thirds of the way to a limit"); NHSRplotthedots counts only points
  between the two-thirds line and the limit. As in NHSRplotthedots, all three points of
  the window must be on the same side of the centre line, and the points beyond the
  two-thirds line are the ones flagged. For p and u charts the two-thirds line is 2σ
  from the centre, two thirds of the way to the 3σ limit before clipping to [0, 1] or 0.
* ``freeze`` counts the first n points of every phase (NHSRplotthedots'
  ``fix_after_n_points``, applied per rebase group); qicharts2 ignores ``freeze`` when
  the chart has parts. Excluded points count towards the n, as in qicharts2.
* IHI runs limits (too few or too many runs) are the published rows of Perla, Provost &
  Murray (2011) Table 1, exactly as printed, from 10 to 60 useful observations. Above 60
  there is no published row: the limits are HowGood's extension, Swed & Eisenhart's 5%
  construction that the table was adapted from (``RunChartResult.runs_limits_source``
  is ``"extension"`` so that pages can say so). Within 10 to 60 that construction
  differs from the table by one run in 15 rows; the table wins.
* ``multiply`` scales u charts only (the plotted rate, centre, limits and the target's
  scale); qicharts2 also scales other charts, which here would break the [0, 1] scale of
  p and the meaning of counts.

Sources:

* Perla, R. J., Provost, L. P. & Murray, S. K. (2011) "The run chart: a simple
  analytical tool for learning from variation in healthcare processes", BMJ Quality &
  Safety 20(1):46–51 (shift of 6, trend of 5, Table 1 of runs limits).
* Swed, F. S. & Eisenhart, C. (1943) "Tables for testing randomness of grouping in a
  sequence of alternatives", Ann. Math. Statist. 14(1):66–87 (the runs distribution).
* Anhøj, J. & Olesen, A. V. (2014) "Run charts revisited", PLoS ONE 9(11):e113825;
  Anhøj, J. (2015) "Diagnostic value of run chart analysis", PLoS ONE 10(3):e0121349
  (longest run above round(log₂ n + 3); crossings below the 5th percentile of
  Binomial(n − 1, ½)); qicharts2 (github.com/anhoej/qicharts2, R/helper.functions.R).
* NHS England, *Making Data Count* (2019) and the MDC Single Chart Tool v5; the
  NHS-R community's NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots,
  R/ptd_spc_standard.R, R/ptd_calculate_point_type.R, R/ptd_calculate_assurance_type.R).
* Nelson, L. S. (1982) "Control charts for individual measurements", J. Quality
  Technology 14(3):172–173 (screening moving ranges at 3.267 × MR̄).
* Montgomery, D. C. *Introduction to Statistical Quality Control* (p, u and c limits).
* Provost, L. P. & Murray, S. K. (2011) *The Health Care Data Guide* (XmR, p, u, c).

No Django imports, no numpy, no plotting.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, repeat
from typing import Literal, NamedTuple, overload

__all__ = [
    "CHART_TYPES",
    "CONTROL_RULES",
    "IHI_RUNS_TABLE",
    "IHI_SHIFT",
    "IHI_TABLE_FIRST",
    "IHI_TABLE_LAST",
    "IHI_TREND",
    "MDC_SHIFT",
    "MDC_TREND",
    "MIN_PHASE_POINTS",
    "POINT_TYPES",
    "RULE_NAMES",
    "RUN_RULES",
    "VARIATIONS",
    "XMR_LIMIT_FACTOR",
    "XMR_SCREEN_FACTOR",
    "ControlChartResult",
    "PhaseStats",
    "Point",
    "PointSequence",
    "RunChartResult",
    "control_chart",
    "crossings_limit",
    "ihi_runs_limits",
    "ihi_runs_source",
    "longest_run_limit",
    "run_chart",
]

RunRules = Literal["ihi", "anhoej"]
ChartType = Literal["xmr", "p", "u", "c"]
ControlRules = Literal["mdc", "anhoej", "shewhart"]
Improvement = Literal["increase", "decrease"]

RUN_RULES: tuple[str, ...] = ("ihi", "anhoej")
CHART_TYPES: tuple[str, ...] = ("xmr", "p", "u", "c")
CONTROL_RULES: tuple[str, ...] = ("mdc", "anhoej", "shewhart")

#: Names a point's ``rules`` can hold, always in this order.
RULE_NAMES: tuple[str, ...] = (
    "outside_limits",
    "shift",
    "trend",
    "two_of_three",
    "long_run",
    "few_crossings",
)
POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral",
)
VARIATIONS: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement_high",
    "special_cause_improvement_low",
    "special_cause_concern_high",
    "special_cause_concern_low",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)

#: XmR limits: mean ± 2.66 × mean moving range (3 / d₂ with d₂ = 1.128, rounded as in the
#: MDC tool and NHSRplotthedots).
XMR_LIMIT_FACTOR = 2.66
#: Upper limit of a moving range, D₄ = 3.267; screening drops moving ranges at or above
#: 3.267 × their mean (Nelson 1982), as NHSRplotthedots' ``screen_outliers``.
XMR_SCREEN_FACTOR = 3.267
#: A phase with fewer points than this has provisional limits.
MIN_PHASE_POINTS = 13
IHI_SHIFT = 6
IHI_TREND = 5
MDC_SHIFT = 7
MDC_TREND = 7

_SIGMA = 3.0
_ALPHA = 0.05
# Above this many observations the exact (integer) tail sums give way to floating point.
_EXACT_LIMIT = 1000

#: Perla, Provost & Murray (2011), Table 1 ("Checking for too many or too few runs on a run
#: chart", adapted from Swed & Eisenhart), every published row, 10 to 60 useful
#: observations: n → (lower, upper); fewer runs than ``lower`` are too few, more runs than
#: ``upper`` too many. Read off the table itself (a copy is in the public notes of IHI's
#: QI 104 course); ``tests/stats/test_spc_runs_table.py`` types it again and checks every
#: row through :func:`run_chart`.
IHI_RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16),
    22: (7, 17), 23: (7, 17), 24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (10, 19),
    28: (10, 20), 29: (10, 20), 30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23),
    34: (12, 24), 35: (12, 24), 36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (15, 27), 42: (16, 28), 43: (16, 28), 44: (17, 29), 45: (17, 30),
    46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33),
    52: (20, 34), 53: (21, 34), 54: (21, 35), 55: (22, 35), 56: (22, 35), 57: (23, 36),
    58: (23, 37), 59: (24, 38), 60: (24, 38),
}  # fmt: skip
#: The first and last rows of the published table; above the last, the limits are
#: HowGood's extension (see :func:`ihi_runs_limits`).
IHI_TABLE_FIRST = 10
IHI_TABLE_LAST = 60

# Bits for a point's rules (same order as RULE_NAMES) and for its direction.
_OUTSIDE, _SHIFT, _TREND, _TWO, _LONG, _FEW = 1, 2, 4, 8, 16, 32
_HIGH, _LOW = 1, 2
_NO_RULES: tuple[str, ...] = ()
_RULES_BY_MASK: tuple[tuple[str, ...], ...] = tuple(
    tuple(name for bit, name in enumerate(RULE_NAMES) if mask >> bit & 1) for mask in range(64)
)


# ---------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class RunChartResult:
    """What :func:`run_chart` found.

    Attributes:
        rules: ``"ihi"`` or ``"anhoej"``.
        centre: the median (of the first ``baseline`` points when given), excluded
            points left out.
        n: number of values (excluded ones included).
        useful_observations: included points not on the median.
        shifts: ``(first_index, last_index)`` of each shift. IHI: 6 or more consecutive
            useful points on one side of the median. Anhøj: each run longer than
            ``longest_run_limit``. The span may contain points on the median or
            excluded points, which are not part of the run.
        trends: ``(first_index, last_index)`` of each IHI trend: 5 or more points each
            higher (or each lower) than the one before, a repeated value counting once
            (a run of equal values is one point, and a trend may start anywhere on a
            plateau's first index). Always ``[]`` under the Anhøj rules, which have no
            trend rule.
        runs: number of runs (crossings + 1; 0 with no useful observations).
        runs_lower_limit, runs_upper_limit: IHI runs limits for ``useful_observations``
            (see :func:`ihi_runs_limits`); ``None`` below 10 useful observations or
            under the Anhøj rules.
        runs_limits_source: where those limits come from: ``"published"`` (Perla,
            Provost & Murray 2011, Table 1, for 10 to 60 useful observations),
            ``"extension"`` (HowGood's extension of the table, above 60; pages must say
            so) or ``None`` (no limits).
        runs_signal: IHI: ``"too few"`` (runs below the lower limit), ``"too many"``
            (above the upper limit) or ``None``. Anhøj: ``"too few"`` when crossings are
            below ``crossings_limit`` (fewer crossings is the same as fewer runs),
            otherwise ``None``.
        longest_run, longest_run_limit: length of the longest run of useful points and
            ``round(log₂ n + 3)`` for n useful observations (``None`` when n = 0).
        crossings, crossings_limit: times the line crosses the median, and the 5th
            percentile of Binomial(n − 1, ½) (``None`` when n = 0).
        anhoej_signal: longest run above its limit or crossings below theirs.
        signal: the chosen rule set signals non-random variation. IHI: any shift, trend
            or runs signal; Anhøj: ``anhoej_signal``.
    """

    rules: str
    centre: float
    n: int
    useful_observations: int
    shifts: list[tuple[int, int]]
    trends: list[tuple[int, int]]
    runs: int
    runs_lower_limit: int | None
    runs_upper_limit: int | None
    runs_limits_source: str | None
    runs_signal: str | None
    longest_run: int
    longest_run_limit: int | None
    crossings: int
    crossings_limit: int | None
    anhoej_signal: bool
    signal: bool


class Point(NamedTuple):
    """One point of a control chart (an immutable named tuple).

    ``value`` is what is plotted: the value itself (XmR), the proportion x/n (p), the
    rate x/n × ``multiply`` (u) or the count (c). ``centre``, ``lcl`` and ``ucl`` are
    this point's lines (they vary by point on p and u charts; NaN on an XmR phase with a
    single point to compute from). ``rules`` names the rules that flag it, in the order
    of :data:`RULE_NAMES`; ``special_cause`` is ``bool(rules)``. ``point_type`` is one
    of :data:`POINT_TYPES`. ``phase`` counts from 0. (``index`` is the point's position
    and hides the tuple method of that name.)
    """

    index: int  # type: ignore[assignment]
    value: float
    centre: float
    lcl: float
    ucl: float
    special_cause: bool
    rules: tuple[str, ...]
    point_type: str
    excluded: bool
    phase: int


_new_tuple = tuple.__new__


class PointSequence(Sequence[Point]):
    """The points of a control chart: a read-only sequence of :class:`Point`.

    The chart keeps its columns (tuples); a point is made when it is read
    (``chart.points[i]``, iteration, slicing), as a named tuple, which costs about as
    much as making a plain tuple: iterating makes every point in C (``map`` over the
    columns), so reading all 10,000 points of a chart adds 2 to 3 ms, and points that are
    read and dropped never reach the garbage collector's older generations (a million
    points kept alive would: that is why they are not made up front). Two sequences are
    equal when their columns are.
    """

    __slots__ = (
        "_centres",
        "_excluded",
        "_lcls",
        "_masks",
        "_phases",
        "_types",
        "_ucls",
        "_values",
    )

    def __init__(
        self,
        values: Sequence[float],
        centres: Sequence[float],
        lcls: Sequence[float],
        ucls: Sequence[float],
        masks: Sequence[int],
        types: Sequence[str],
        excluded: Sequence[bool],
        phases: Sequence[int],
    ) -> None:
        n = len(values)
        columns = (centres, lcls, ucls, masks, types, excluded, phases)
        if any(len(column) != n for column in columns):
            raise ValueError("every column of a PointSequence must have one item per point")
        self._values = tuple(values)
        self._centres = tuple(centres)
        self._lcls = tuple(lcls)
        self._ucls = tuple(ucls)
        self._masks = tuple(masks)
        self._types = tuple(types)
        self._excluded = tuple(excluded)
        self._phases = tuple(phases)

    def _columns(self) -> tuple[tuple[object, ...], ...]:
        return (
            self._values,
            self._centres,
            self._lcls,
            self._ucls,
            self._masks,
            self._types,
            self._excluded,
            self._phases,
        )

    def _point(self, i: int) -> Point:
        mask = self._masks[i]
        return _new_tuple(
            Point,
            (
                i,
                self._values[i],
                self._centres[i],
                self._lcls[i],
                self._ucls[i],
                mask != 0,
                _RULES_BY_MASK[mask],
                self._types[i],
                self._excluded[i],
                self._phases[i],
            ),
        )

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, index: int) -> Point: ...

    @overload
    def __getitem__(self, index: slice) -> list[Point]: ...

    def __getitem__(self, index: int | slice) -> Point | list[Point]:
        if isinstance(index, slice):
            return [self._point(i) for i in range(*index.indices(len(self._values)))]
        n = len(self._values)
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError("point index out of range")
        return self._point(i)

    def __iter__(self) -> Iterator[Point]:
        masks = self._masks
        rows = zip(
            range(len(self._values)),
            self._values,
            self._centres,
            self._lcls,
            self._ucls,
            map(bool, masks),
            map(_RULES_BY_MASK.__getitem__, masks),
            self._types,
            self._excluded,
            self._phases,
            strict=True,
        )
        return map(_new_tuple, repeat(Point), rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PointSequence):
            return NotImplemented
        return self._columns() == other._columns()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PointSequence({len(self._values)} points)"


@dataclass(frozen=True)
class PhaseStats:
    """One phase of a control chart: ``range(start, stop)``.

    Attributes:
        start, stop: the phase is points ``start`` to ``stop - 1``.
        n: points in the phase; ``n_used``: those the limits were computed from (after
            ``freeze`` and ``exclude``).
        centre: the centre line (for u charts, × ``multiply``).
        lcl, ucl: the limits when they are the same for every point of the phase (XmR,
            c); ``None`` on p and u charts, where each point has its own.
        mean_moving_range: XmR only (after screening when asked for), else ``None``.
        useful_observations, runs, longest_run, longest_run_limit, crossings,
        crossings_limit, runs_signal, anhoej_signal: the Anhøj statistics of the phase's
            included points against its centre line, as in :class:`RunChartResult`
            under ``rules="anhoej"``.
        too_few_points: ``n < 13``: the limits are provisional.
    """

    start: int
    stop: int
    n: int
    n_used: int
    centre: float
    lcl: float | None
    ucl: float | None
    mean_moving_range: float | None
    useful_observations: int
    runs: int
    longest_run: int
    longest_run_limit: int | None
    crossings: int
    crossings_limit: int | None
    runs_signal: str | None
    anhoej_signal: bool
    too_few_points: bool


@dataclass(frozen=True)
class ControlChartResult:
    """What :func:`control_chart` found.

    Attributes:
        chart, rules, improvement, target, multiply: the arguments, for the record.
        points: one :class:`Point` per value (a :class:`PointSequence`).
        phase_stats: one :class:`PhaseStats` per phase, in order.
        variation: the MDC variation icon, from the last point: one of
            :data:`VARIATIONS`. Improvement or concern is high or low as the improvement
            direction says (improvement is high when ``improvement="increase"``);
            neutral is high or low as the point's signal is (above or below the
            centre line, rising or falling).
        assurance: the MDC assurance icon, ``None`` without a target or an improvement
            direction; otherwise the target against the last point's limits (the last
            phase's): ``"consistent_pass"`` when every value the process is expected
            to produce meets the target (the target below the lower limit when higher
            is better, above the upper limit when lower is better),
            ``"consistent_fail"`` when none does, ``"inconsistent"`` otherwise (a
            target exactly on a limit, or NaN limits, is inconsistent).
        useful_observations, runs, runs_signal, longest_run, longest_run_limit,
        crossings, crossings_limit, anhoej_signal: the last phase's Anhøj statistics.
        too_few_points: some phase has fewer than 13 points.
    """

    chart: str
    rules: str
    improvement: str | None
    target: float | None
    multiply: float
    points: PointSequence
    phase_stats: tuple[PhaseStats, ...]
    variation: str
    assurance: str | None
    useful_observations: int
    runs: int
    runs_signal: str | None
    longest_run: int
    longest_run_limit: int | None
    crossings: int
    crossings_limit: int | None
    anhoej_signal: bool
    too_few_points: bool


# ---------------------------------------------------------------------------------------
# Validation


def _floats(values: Iterable[float], what: str) -> list[float]:
    items = list(values)
    try:
        out = list(map(float, items))
    except (TypeError, ValueError):
        i, v = next((i, v) for i, v in enumerate(items) if not _is_number(v))
        raise ValueError(f"{what}[{i}] is not a number: {v!r}") from None
    if not all(map(math.isfinite, out)):
        i = next(i for i, v in enumerate(out) if not math.isfinite(v))
        raise ValueError(f"{what}[{i}] is NaN or infinite")
    return out


def _is_number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _whole(value: object, what: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value}")
    return value


def _index_set(indices: Iterable[int] | None, n: int, what: str) -> set[int]:
    if indices is None:
        return set()
    out: set[int] = set()
    for i in indices:
        if isinstance(i, bool) or not isinstance(i, int):
            raise ValueError(f"{what} holds {i!r}, which is not a whole-number index")
        if not 0 <= i < n:
            raise ValueError(f"{what} holds index {i}, outside 0 to {n - 1}")
        out.add(i)
    return out


# ---------------------------------------------------------------------------------------
# Limits for the run rules


def longest_run_limit(useful_observations: int) -> int | None:
    """Anhøj's upper limit for the longest run: ``round(log₂ n + 3)`` (Schilling 2012;
    Anhøj & Olesen 2014), ``None`` for n = 0. A longer run signals a shift. log₂ n + 3
    is never exactly half-way between two integers, so the rounding rule does not
    matter."""
    n = _whole(useful_observations, "useful_observations", 0)
    return None if n == 0 else round(math.log2(n) + 3)


def crossings_limit(useful_observations: int) -> int | None:
    """Anhøj's lower limit for crossings: the 5th percentile of Binomial(n − 1, ½), the
    smallest c with P(X ≤ c) ≥ 0.05 (R's ``qbinom(0.05, n - 1, 0.5)``); ``None`` for
    n = 0. Fewer crossings signal a shift. Exact integer arithmetic up to n = 1000,
    floating point (a window of ±12σ) beyond."""
    n = _whole(useful_observations, "useful_observations", 0)
    return None if n == 0 else _binomial_q05(n - 1)


@lru_cache(maxsize=4096)
def _binomial_q05(size: int) -> int:
    if size == 0:
        return 0
    if size <= _EXACT_LIMIT:
        # P(X ≤ c) ≥ 1/20  ⇔  20 · Σ C(size, k) ≥ 2^size, all in integers.
        total = 1 << size
        term = 1
        cumulative = 0
        for k in range(size + 1):
            cumulative += term
            if 20 * cumulative >= total:
                return k
            term = term * (size - k) // (k + 1)
        raise AssertionError("unreachable")  # pragma: no cover
    sd = math.sqrt(size) / 2.0
    k = max(0, math.floor(size / 2.0 - 12.0 * sd))
    log_term = (
        math.lgamma(size + 1) - math.lgamma(k + 1) - math.lgamma(size - k + 1)
    ) - size * math.log(2.0)
    probability = math.exp(log_term)
    tail = 0.0
    while True:
        tail += probability
        if tail >= _ALPHA:
            return k
        probability *= (size - k) / (k + 1)
        k += 1


def ihi_runs_limits(useful_observations: int) -> tuple[int, int] | None:
    """IHI limits for the number of runs with n useful observations: ``(lower, upper)``;
    fewer runs than ``lower`` are too few, more than ``upper`` too many; ``None`` below
    10 (the published table starts at 10).

    From 10 to 60 the limits are the published rows of Perla, Provost & Murray (2011)
    Table 1 (:data:`IHI_RUNS_TABLE`), exactly as printed. Above 60 the table says
    nothing, and the limits are **HowGood's extension** of it (:func:`ihi_runs_source`
    says which applies): the construction the table is adapted from, Swed & Eisenhart
    (1943) at 5%, for n observations split as evenly as possible (m = ⌊n/2⌋ one side,
    n − m the other): ``lower`` is the largest r with P(R ≤ r) ≤ 0.05 and ``upper`` the
    smallest r with P(R ≥ r) ≤ 0.05, R being the number of runs in a random arrangement;
    computed exactly in integers up to n = 1000 and in floating point beyond. The
    published table is an adaptation, not that construction: between 10 and 60 the
    construction differs by one run in 15 rows (15, 17, 23, 25, 27, 29, 35, 37, 39, 41,
    43, 55, 56, 57 and 59), which is why it is used only where the table stops. At 60 the
    two agree (24 and 38).
    """
    n = _whole(useful_observations, "useful_observations", 0)
    if n < IHI_TABLE_FIRST:
        return None
    if n <= IHI_TABLE_LAST:
        return IHI_RUNS_TABLE[n]
    return _swed_eisenhart_limits(n)


def ihi_runs_source(useful_observations: int) -> str | None:
    """Where :func:`ihi_runs_limits` takes its limits from: ``"published"`` (Perla,
    Provost & Murray 2011, Table 1: 10 to 60), ``"extension"`` (HowGood's extension of
    the table, above 60) or ``None`` (below 10: no limits)."""
    n = _whole(useful_observations, "useful_observations", 0)
    if n < IHI_TABLE_FIRST:
        return None
    return "published" if n <= IHI_TABLE_LAST else "extension"


def _runs_count(m: int, k: int, r: int) -> int:
    """Arrangements of m of one kind and k of the other with exactly r runs."""
    s, odd = divmod(r, 2)
    if odd:
        return math.comb(m - 1, s - 1) * math.comb(k - 1, s) + math.comb(m - 1, s) * math.comb(
            k - 1, s - 1
        )
    return 2 * math.comb(m - 1, s - 1) * math.comb(k - 1, s - 1)


def _log_comb(a: int, b: int) -> float:
    if (
        b < 0 or b > a
    ):  # pragma: no cover - the runs searched keep 0 ≤ b ≤ a (checked to n = 100,001)
        return -math.inf
    return math.lgamma(a + 1) - math.lgamma(b + 1) - math.lgamma(a - b + 1)


def _runs_probability(m: int, k: int, r: int, log_total: float) -> float:
    s, odd = divmod(r, 2)
    if odd:
        return math.exp(_log_comb(m - 1, s - 1) + _log_comb(k - 1, s) - log_total) + math.exp(
            _log_comb(m - 1, s) + _log_comb(k - 1, s - 1) - log_total
        )
    return 2.0 * math.exp(_log_comb(m - 1, s - 1) + _log_comb(k - 1, s - 1) - log_total)


@lru_cache(maxsize=4096)
def _swed_eisenhart_limits(n: int) -> tuple[int, int]:
    m = n // 2
    k = n - m
    top = 2 * m + (1 if k > m else 0)  # most runs possible
    if n <= _EXACT_LIMIT:
        total = math.comb(n, m)
        counts = {r: _runs_count(m, k, r) for r in range(2, top + 1)}
        cumulative = 0
        lower = 1
        for r in range(2, top + 1):  # pragma: no branch - breaks once past 5%
            cumulative += counts[r]
            if 20 * cumulative > total:
                break
            lower = r
        cumulative = 0
        upper = top + 1
        for r in range(top, 1, -1):  # pragma: no branch - breaks once past 5%
            cumulative += counts[r]
            if 20 * cumulative > total:
                break
            upper = r
        return lower, upper
    log_total = _log_comb(n, m)
    mean = 1.0 + 2.0 * m * k / n
    sd = math.sqrt(2.0 * m * k * (2.0 * m * k - n) / (n * n * (n - 1.0)))
    lo_start = max(2, math.floor(mean - 12.0 * sd))
    hi_start = min(top, math.ceil(mean + 12.0 * sd))
    cumulative_lo = 0.0
    lower = lo_start - 1
    for r in range(lo_start, hi_start + 1):  # pragma: no branch - breaks once past 5%
        cumulative_lo += _runs_probability(m, k, r, log_total)
        if cumulative_lo > _ALPHA:
            break
        lower = r
    cumulative_hi = 0.0
    upper = hi_start + 1
    for r in range(hi_start, lo_start - 1, -1):  # pragma: no branch - breaks once past 5%
        cumulative_hi += _runs_probability(m, k, r, log_total)
        if cumulative_hi > _ALPHA:
            break
        upper = r
    return lower, upper


# ---------------------------------------------------------------------------------------
# Helpers


def _median(sorted_values: list[float]) -> float:
    n = len(sorted_values)
    mid = n // 2
    if n % 2:
        return sorted_values[mid]
    return (sorted_values[mid - 1] + sorted_values[mid]) / 2.0


# Sides of the centre line are coded as characters so that runs can be found by string
# and regular-expression scans, which run in C: "a" above, "b" below, "o" on the line.
# Steps between consecutive points likewise: "u" up, "d" down, "e" equal.


def _side_chars(ys: Sequence[float], centres: Sequence[float]) -> str:
    return "".join(
        ["a" if y > c else "b" if y < c else "o" for y, c in zip(ys, centres, strict=True)]
    )


def _step_chars(seq: Sequence[float]) -> str:
    return "".join(["u" if b > a else "d" if b < a else "e" for a, b in pairwise(seq)])


def _select(chars: str, kept: Sequence[int]) -> str:
    if isinstance(kept, range):
        return chars[kept.start : kept.stop]
    return "".join([chars[i] for i in kept])


def _long_runs(chars: str, up: str, down: str, length: int) -> Iterator[tuple[int, int, str]]:
    """``(start, stop, char)`` of every maximal run of ``up`` or of ``down`` characters
    at least ``length`` long."""
    pattern = f"{up}{{{length},}}|{down}{{{length},}}"
    for match in re.finditer(pattern, chars):
        yield match.start(), match.end(), up if chars[match.start()] == up else down


@dataclass(frozen=True)
class _Anhoej:
    useful: int
    runs: int
    longest_run: int
    longest_run_limit: int | None
    crossings: int
    crossings_limit: int | None
    signal: bool

    @property
    def runs_signal(self) -> str | None:
        if self.crossings_limit is not None and self.crossings < self.crossings_limit:
            return "too few"
        return None


def _anhoej(useful: str) -> _Anhoej:
    """Anhøj statistics of the sides ("a"/"b") of the useful observations, in order."""
    n = len(useful)
    if n == 0:
        return _Anhoej(0, 0, 0, None, 0, None, False)
    # An "ab" cannot overlap another "ab", so the counts are exact.
    crossings = useful.count("ab") + useful.count("ba")
    longest = max(max(map(len, useful.split("a"))), max(map(len, useful.split("b"))))
    run_limit = round(math.log2(n) + 3)
    cross_limit = _binomial_q05(n - 1)
    return _Anhoej(
        useful=n,
        runs=crossings + 1,
        longest_run=longest,
        longest_run_limit=run_limit,
        crossings=crossings,
        crossings_limit=cross_limit,
        signal=longest > run_limit or crossings < cross_limit,
    )


def _useful_indices(side_chars: str, kept: Sequence[int]) -> list[int]:
    return [i for i in kept if side_chars[i] != "o"]


def _ihi_trends(steps: str, kept: Sequence[int], length: int) -> list[tuple[int, int]]:
    """``(first_index, last_index)`` of every run of ``length`` or more points going one
    way, equal neighbours counting once: runs of ``length - 1`` or more "u" (or "d")
    steps once the "e" steps are left out, widened over the plateaus either side (a
    trend starts at its turning plateau's first index and ends at its last plateau's
    last)."""
    where: Sequence[int]
    if "e" in steps:
        compressed = steps.replace("e", "")
        where = [j for j, ch in enumerate(steps) if ch != "e"]
    else:
        compressed = steps
        where = range(len(steps))
    found: list[tuple[int, int]] = []
    for first, stop, _ in _long_runs(compressed, "u", "d", length - 1):
        lo, hi = where[first], where[stop - 1]
        while lo > 0 and steps[lo - 1] == "e":
            lo -= 1
        while hi + 1 < len(steps) and steps[hi + 1] == "e":
            hi += 1
        found.append((kept[lo], kept[hi + 1]))
    found.sort()
    return found


# ---------------------------------------------------------------------------------------
# Run chart


def run_chart(
    values: Iterable[float],
    *,
    rules: RunRules = "ihi",
    baseline: int | None = None,
    exclude: Iterable[int] | None = None,
) -> RunChartResult:
    """Analyse a run chart: the median and the IHI or Anhøj run rules.

    ``values`` are the points in time order. The centre is the median of the included
    points (of the first ``baseline`` positions when ``baseline`` is given, as
    qicharts2's ``freeze``; a ``baseline`` beyond the end means all). ``exclude``: see
    the module conventions. Every rule then reads all included points against that
    centre.

    ``rules="ihi"`` (Perla, Provost & Murray 2011): a shift is 6 or more consecutive
    useful points on one side of the median (points on the median neither count nor
    break it); a trend is 5 or more points all going up or all going down (a repeated
    value counts once); too few or too many runs from :func:`ihi_runs_limits`.
    ``rules="anhoej"`` (qicharts2): the longest run above ``round(log₂ n + 3)`` or the
    crossings below the 5th percentile of Binomial(n − 1, ½), n the useful observations.

    The Anhøj statistics (longest run, crossings and their limits) are reported under
    either rule set; ``signal`` uses only the chosen one. See :class:`RunChartResult`.
    ValueError for no values, NaN, an unknown rule set, a bad index or baseline, or
    nothing left to take the median of.
    """
    if rules not in RUN_RULES:
        raise ValueError(f"rules must be one of {RUN_RULES}, got {rules!r}")
    ys = _floats(values, "values")
    n = len(ys)
    if n == 0:
        raise ValueError("values is empty: a run chart needs at least one point")
    excluded = _index_set(exclude, n, "exclude")
    stop = n if baseline is None else min(_whole(baseline, "baseline", 1), n)
    if excluded:
        base = [ys[i] for i in range(stop) if i not in excluded]
        kept: Sequence[int] = [i for i in range(n) if i not in excluded]
    else:
        base = ys[:stop]
        kept = range(n)
    if not base:
        raise ValueError("every baseline point is excluded: no median can be taken")
    base.sort()
    centre = _median(base)
    side_chars = "".join(["a" if y > centre else "b" if y < centre else "o" for y in ys])
    kept_sides = _select(side_chars, kept)
    useful = kept_sides.replace("o", "")
    stats = _anhoej(useful)

    if rules == "ihi":
        shift_length: int | None = IHI_SHIFT
    else:
        shift_length = None if stats.longest_run_limit is None else stats.longest_run_limit + 1
    shifts: list[tuple[int, int]] = []
    if shift_length is not None and stats.longest_run >= shift_length:
        where = _useful_indices(side_chars, kept)
        shifts = [
            (where[first], where[stop - 1])
            for first, stop, _ in _long_runs(useful, "a", "b", shift_length)
        ]
    if rules == "ihi":
        seq = ys if isinstance(kept, range) else [ys[i] for i in kept]
        trends = _ihi_trends(_step_chars(seq), kept, IHI_TREND)
        limits = ihi_runs_limits(stats.useful)
        runs_signal: str | None = None
        if limits is not None:
            if stats.runs < limits[0]:
                runs_signal = "too few"
            elif stats.runs > limits[1]:
                runs_signal = "too many"
        signal = bool(shifts or trends or runs_signal)
    else:
        trends = []
        limits = None
        runs_signal = stats.runs_signal
        signal = stats.signal

    return RunChartResult(
        rules=rules,
        centre=centre,
        n=n,
        useful_observations=stats.useful,
        shifts=shifts,
        trends=trends,
        runs=stats.runs,
        runs_lower_limit=None if limits is None else limits[0],
        runs_upper_limit=None if limits is None else limits[1],
        runs_limits_source=None if limits is None else ihi_runs_source(stats.useful),
        runs_signal=runs_signal,
        longest_run=stats.longest_run,
        longest_run_limit=stats.longest_run_limit,
        crossings=stats.crossings,
        crossings_limit=stats.crossings_limit,
        anhoej_signal=stats.signal,
        signal=signal,
    )


# ---------------------------------------------------------------------------------------
# Control chart


def _phase_bounds(phases: Iterable[int] | None, n: int) -> list[tuple[int, int]]:
    starts = sorted(_index_set(phases, n, "phases") | {0})
    return list(zip(starts, [*starts[1:], n], strict=True))


def _xmr_limits(base: list[float], screen: bool) -> tuple[float, float | None]:
    """Mean and mean moving range (``None`` with fewer than two points)."""
    centre = math.fsum(base) / len(base)
    if len(base) < 2:
        return centre, None
    ranges = [abs(b - a) for a, b in pairwise(base)]
    mean_range = math.fsum(ranges) / len(ranges)
    if screen and mean_range > 0.0:
        cut = XMR_SCREEN_FACTOR * mean_range
        kept = [r for r in ranges if r < cut]
        mean_range = math.fsum(kept) / len(kept)
    return centre, mean_range


def control_chart(
    values: Iterable[float],
    *,
    chart: ChartType = "xmr",
    denominators: Iterable[float] | None = None,
    rules: ControlRules = "mdc",
    improvement: Improvement | None = None,
    phases: Iterable[int] | None = None,
    freeze: int | None = None,
    exclude: Iterable[int] | None = None,
    target: float | None = None,
    shift: int | None = None,
    trend: int | None = None,
    screen_moving_ranges: bool = False,
    multiply: float = 1,
) -> ControlChartResult:
    """Compute a control chart's lines and judge every point.

    Charts (values in time order; for p and u, ``values`` are the numerators, the counts,
    and ``denominators`` the sample sizes or exposure, one each):

    * ``"xmr"``: centre = mean; limits = mean ± 2.66 × MR̄, MR̄ the mean moving range
      |xᵢ − xᵢ₋₁| of consecutive points of the phase. ``screen_moving_ranges=True``
      drops moving ranges at or above 3.267 × MR̄ and takes the mean of the rest
      (NHSRplotthedots' default ``screen_outliers``; off in the MDC Excel tool and here).
      Not clipped. A phase with one point to compute from has NaN limits.
    * ``"p"``: p̄ = Σx / Σn; limits p̄ ± 3√(p̄(1 − p̄)/nᵢ) clipped to [0, 1]; the point
      plotted is xᵢ/nᵢ.
    * ``"u"``: ū = Σx / Σn; limits ū ± 3√(ū/nᵢ), the lower clipped at 0; rate, centre and
      limits are then multiplied by ``multiply`` (say 10,000 for "per 10,000 bed days").
    * ``"c"``: c̄ = mean count; limits c̄ ± 3√c̄, the lower clipped at 0.

    ``phases`` are the indices where a new phase starts: each phase has its own centre
    and limits, and moving ranges never span two. ``freeze=n`` computes each phase's
    lines from its first n points only. ``exclude``: see the module conventions.

    Rule sets (a point's ``rules`` names every rule that flags it):

    * ``"mdc"`` (NHS Making Data Count): ``outside_limits`` (strictly above the upper
      or below the lower limit); ``shift``: 7 or more consecutive points on one side of
      the centre line (a point on it breaks the run); ``trend``: 7 or more consecutive
      points each higher, or each lower, than the one before (equal neighbours break
      it); ``two_of_three``: three consecutive points on one side of the centre line of
      which at least two lie beyond the line two thirds of the way to the limit (those
      two or three are flagged). ``shift`` and ``trend`` change the two lengths (the
      MDC Single Chart Tool v5 uses 6 and 6). These runs continue across phases, each
      point read against its own phase's lines. Every point of a qualifying run is
      flagged.
    * ``"anhoej"`` (qicharts2): ``outside_limits``; ``long_run``: every point of a run
      longer than the phase's ``longest_run_limit``; ``few_crossings``: every useful
      point of a phase whose crossings are below ``crossings_limit``.
    * ``"shewhart"``: ``outside_limits`` only.

    ``improvement`` (``"increase"``, ``"decrease"`` or ``None``) turns each flagged
    point into improvement or concern by the direction of its signals (above the centre,
    above the upper limit, a rising trend are high); a point both counts as improvement.
    Without a direction flagged points are neutral. ``target`` (on the plotted scale)
    gives the assurance icon. See :class:`ControlChartResult` for the rest.

    ValueError for: no values; NaN or infinite numbers; an unknown chart, rule set or
    improvement direction; denominators missing for p or u, given for XmR or c, of a
    different length, or not positive; negative counts for p, u or c; a p numerator
    above its denominator; ``multiply`` not positive or given for a chart other than
    u; ``screen_moving_ranges`` on a chart other than XmR; ``shift`` or ``trend`` below
    2 or with rules other than MDC; a bad phase, freeze or exclude index; or a phase
    with no point left to compute its lines from.
    """
    if chart not in CHART_TYPES:
        raise ValueError(f"chart must be one of {CHART_TYPES}, got {chart!r}")
    if rules not in CONTROL_RULES:
        raise ValueError(f"rules must be one of {CONTROL_RULES}, got {rules!r}")
    if improvement not in (None, "increase", "decrease"):
        raise ValueError(f"improvement must be 'increase', 'decrease' or None, got {improvement!r}")
    xs = _floats(values, "values")
    n = len(xs)
    if n == 0:
        raise ValueError("values is empty: a control chart needs at least one point")

    ns: list[float] | None = None
    if chart in ("p", "u"):
        if denominators is None:
            raise ValueError(f"a {chart} chart needs denominators")
        ns = _floats(denominators, "denominators")
        if len(ns) != n:
            raise ValueError(
                f"values has {n} items but denominators has {len(ns)}: they must match"
            )
        if ns and not min(ns) > 0.0:
            i = next(i for i, d in enumerate(ns) if not d > 0.0)
            raise ValueError(f"denominators[{i}] is {ns[i]!r}: denominators must be positive")
    elif denominators is not None:
        raise ValueError(f"denominators are for p and u charts, not {chart}")
    if chart != "xmr" and not min(xs) >= 0.0:
        i = next(i for i, x in enumerate(xs) if x < 0.0)
        raise ValueError(f"values[{i}] is {xs[i]!r}: counts cannot be negative")
    if chart == "p" and ns is not None and any(map(operator.gt, xs, ns)):
        i = next(i for i, (x, d) in enumerate(zip(xs, ns, strict=True)) if x > d)
        raise ValueError(
            f"values[{i}] is {xs[i]!r} but denominators[{i}] is {ns[i]!r}: a proportion's "
            "numerator cannot exceed its denominator"
        )
    if isinstance(multiply, bool) or not isinstance(multiply, int | float):
        raise ValueError(f"multiply must be a number, got {multiply!r}")
    mult = float(multiply)
    if not (math.isfinite(mult) and mult > 0.0):
        raise ValueError(f"multiply must be a positive number, got {multiply!r}")
    if chart != "u" and mult != 1.0:
        raise ValueError("multiply applies to u charts only")
    if screen_moving_ranges and chart != "xmr":
        raise ValueError("screen_moving_ranges applies to XmR charts only")
    if rules != "mdc" and (shift is not None or trend is not None):
        raise ValueError("shift and trend set the lengths of the MDC rules only")
    shift_length = MDC_SHIFT if shift is None else _whole(shift, "shift", 2)
    trend_length = MDC_TREND if trend is None else _whole(trend, "trend", 2)
    if target is not None:
        if isinstance(target, bool) or not isinstance(target, int | float):
            raise ValueError(f"target must be a number, got {target!r}")
        if not math.isfinite(target):
            raise ValueError("target is NaN or infinite")
    freeze_n = None if freeze is None else _whole(freeze, "freeze", 1)
    excluded = _index_set(exclude, n, "exclude")
    bounds = _phase_bounds(phases, n)

    # The plotted values.
    if chart == "p" and ns is not None:
        ys = list(map(operator.truediv, xs, ns))
    elif chart == "u" and ns is not None:
        ys = [x / d * mult for x, d in zip(xs, ns, strict=True)]
    else:
        ys = xs

    centres: list[float] = []
    lcls: list[float] = []
    ucls: list[float] = []
    zone_lo: list[float] = []
    zone_hi: list[float] = []
    phase_of: list[int] = []
    phase_info: list[tuple[int, int, float, float | None, float | None, float | None]] = []
    for number, (start, stop) in enumerate(bounds):
        size = stop - start
        base_stop = stop if freeze_n is None else min(stop, start + freeze_n)
        base: Sequence[int]
        if excluded:
            base = [i for i in range(start, base_stop) if i not in excluded]
            base_xs = [xs[i] for i in base]
        else:
            base = range(start, base_stop)
            base_xs = xs[start:base_stop]
        if not base:
            raise ValueError(
                f"the phase starting at index {start} has no point left to compute its "
                "lines from (all excluded)"
            )
        mean_range: float | None = None
        lo_c: float | None
        hi_c: float | None
        if chart == "xmr":
            centre, mean_range = _xmr_limits(base_xs, screen_moving_ranges)
            if mean_range is None:
                lo_c = hi_c = lo_z = hi_z = math.nan
            else:
                half = XMR_LIMIT_FACTOR * mean_range
                lo_c, hi_c = centre - half, centre + half
                lo_z, hi_z = centre - half * 2.0 / 3.0, centre + half * 2.0 / 3.0
            centres.extend([centre] * size)
            lcls.extend([lo_c] * size)
            ucls.extend([hi_c] * size)
            zone_lo.extend([lo_z] * size)
            zone_hi.extend([hi_z] * size)
        elif chart == "c":
            centre = math.fsum(base_xs) / len(base)
            sigma = math.sqrt(centre)
            lo_c, hi_c = max(0.0, centre - _SIGMA * sigma), centre + _SIGMA * sigma
            centres.extend([centre] * size)
            lcls.extend([lo_c] * size)
            ucls.extend([hi_c] * size)
            zone_lo.extend([centre - 2.0 * sigma] * size)
            zone_hi.extend([centre + 2.0 * sigma] * size)
        else:
            assert ns is not None
            base_ns = [ns[i] for i in base] if excluded else ns[start:base_stop]
            bar = math.fsum(base_xs) / math.fsum(base_ns)
            spread = bar * (1.0 - bar) if chart == "p" else bar
            sqrt = math.sqrt
            sigmas = [sqrt(spread / d) for d in ns[start:stop]]
            # Clipping written out (max and min calls cost four times as much).
            if chart == "p":
                lcls.extend([v if (v := bar - _SIGMA * s) > 0.0 else 0.0 for s in sigmas])
                ucls.extend([v if (v := bar + _SIGMA * s) < 1.0 else 1.0 for s in sigmas])
                zone_lo.extend([bar - 2.0 * s for s in sigmas])
                zone_hi.extend([bar + 2.0 * s for s in sigmas])
                centre = bar
            else:
                lcls.extend([(v if (v := bar - _SIGMA * s) > 0.0 else 0.0) * mult for s in sigmas])
                ucls.extend([(bar + _SIGMA * s) * mult for s in sigmas])
                zone_lo.extend([(bar - 2.0 * s) * mult for s in sigmas])
                zone_hi.extend([(bar + 2.0 * s) * mult for s in sigmas])
                centre = bar * mult
            centres.extend([centre] * size)
            lo_c = hi_c = None
        phase_of.extend([number] * size)
        phase_info.append((size, len(base), centre, lo_c, hi_c, mean_range))

    # Judge the points.
    masks = [0] * n
    dirs = [0] * n
    for i in [i for i, y, hi in zip(range(n), ys, ucls, strict=True) if y > hi]:
        masks[i] = _OUTSIDE
        dirs[i] = _HIGH
    for i in [i for i, y, lo in zip(range(n), ys, lcls, strict=True) if y < lo]:
        masks[i] = _OUTSIDE
        dirs[i] = _LOW
    side_chars = _side_chars(ys, centres)
    kept: Sequence[int] = [i for i in range(n) if i not in excluded] if excluded else range(n)

    if rules == "mdc":
        kept_sides = _select(side_chars, kept)
        seq = ys if not excluded else [ys[i] for i in kept]
        _flag_runs(_long_runs(kept_sides, "a", "b", shift_length), 0, kept, _SHIFT, masks, dirs)
        steps = _step_chars(seq)
        _flag_runs(_long_runs(steps, "u", "d", trend_length - 1), 1, kept, _TREND, masks, dirs)
        _mdc_two_of_three(kept, ys, kept_sides, zone_lo, zone_hi, masks, dirs)

    stats_list: list[PhaseStats] = []
    for (start, stop), (size, used, centre, lo_c, hi_c, mean_range) in zip(
        bounds, phase_info, strict=True
    ):
        phase_kept: Sequence[int] = (
            [i for i in range(start, stop) if i not in excluded] if excluded else range(start, stop)
        )
        useful = _select(side_chars, phase_kept).replace("o", "")
        stats = _anhoej(useful)
        if rules == "anhoej" and stats.signal:
            where = _useful_indices(side_chars, phase_kept)
            if stats.runs_signal is not None:
                _flag_runs([(0, len(where), "")], 0, where, _FEW, masks, dirs, side_chars)
            limit = stats.longest_run_limit
            if limit is not None and stats.longest_run > limit:
                long_runs = _long_runs(useful, "a", "b", limit + 1)
                _flag_runs(long_runs, 0, where, _LONG, masks, dirs)
        stats_list.append(
            PhaseStats(
                start=start,
                stop=stop,
                n=size,
                n_used=used,
                centre=centre,
                lcl=lo_c,
                ucl=hi_c,
                mean_moving_range=mean_range,
                useful_observations=stats.useful,
                runs=stats.runs,
                longest_run=stats.longest_run,
                longest_run_limit=stats.longest_run_limit,
                crossings=stats.crossings,
                crossings_limit=stats.crossings_limit,
                runs_signal=stats.runs_signal,
                anhoej_signal=stats.signal,
                too_few_points=size < MIN_PHASE_POINTS,
            )
        )

    type_by_dir = _point_types(improvement)
    types = [type_by_dir[d] for d in dirs]
    excluded_flags = [False] * n
    for i in excluded:
        excluded_flags[i] = True
    points = PointSequence(ys, centres, lcls, ucls, masks, types, excluded_flags, phase_of)

    last = n - 1
    variation = _variation(types[last], dirs[last], ys[last] >= centres[last], improvement)
    assurance = _assurance(target, improvement, lcls[last], ucls[last])
    final = stats_list[-1]
    return ControlChartResult(
        chart=chart,
        rules=rules,
        improvement=improvement,
        target=None if target is None else float(target),
        multiply=mult,
        points=points,
        phase_stats=tuple(stats_list),
        variation=variation,
        assurance=assurance,
        useful_observations=final.useful_observations,
        runs=final.runs,
        runs_signal=final.runs_signal,
        longest_run=final.longest_run,
        longest_run_limit=final.longest_run_limit,
        crossings=final.crossings,
        crossings_limit=final.crossings_limit,
        anhoej_signal=final.anhoej_signal,
        too_few_points=any(stats.too_few_points for stats in stats_list),
    )


def _flag_runs(
    runs: Iterable[tuple[int, int, str]],
    extra: int,
    where: Sequence[int],
    bit: int,
    masks: list[int],
    dirs: list[int],
    side_chars: str | None = None,
) -> None:
    """Flag the points of each run ``(start, stop, char)``: positions ``start`` to
    ``stop - 1 + extra`` in ``where`` (``extra`` is 1 for runs of steps, which cover one
    more point than steps). The direction is high for "a" and "u", low for "b" and "d";
    with ``side_chars`` (and an empty char) each point's own side decides it."""
    for start, stop, char in runs:
        if side_chars is None:
            direction = _HIGH if char in ("a", "u") else _LOW
            for i in where[start : stop + extra]:
                masks[i] |= bit
                dirs[i] |= direction
        else:
            for i in where[start : stop + extra]:
                masks[i] |= bit
                dirs[i] |= _HIGH if side_chars[i] == "a" else _LOW


def _mdc_two_of_three(
    kept: Sequence[int],
    ys: Sequence[float],
    kept_sides: str,
    zone_lo: Sequence[float],
    zone_hi: Sequence[float],
    masks: list[int],
    dirs: list[int],
) -> None:
    """Flag the points beyond the two-thirds line in every window of three consecutive
    (included) points that are all on one side of their centre lines and of which at
    least two are beyond that line on that side."""
    if isinstance(kept, range):
        beyond = [(y > hi) - (y < lo) for y, hi, lo in zip(ys, zone_hi, zone_lo, strict=True)]
    else:
        beyond = [(ys[i] > zone_hi[i]) - (ys[i] < zone_lo[i]) for i in kept]
    candidates = [pos for pos, b in enumerate(beyond) if b]
    last_window = len(kept) - 3
    # A qualifying window holds two beyond points on its side at most two apart; a
    # beyond point between them on the other side would put the window on both sides,
    # so consecutive candidates are enough.
    for p, q in pairwise(candidates):
        side = beyond[p]
        if q - p > 2 or beyond[q] != side:
            continue
        side_run = "aaa" if side > 0 else "bbb"
        direction = _HIGH if side > 0 else _LOW
        for w in range(max(0, q - 2), min(p, last_window) + 1):
            if kept_sides[w : w + 3] != side_run:
                continue
            for pos in range(w, w + 3):
                if beyond[pos] == side:
                    i = kept[pos]
                    masks[i] |= _TWO
                    dirs[i] |= direction


def _point_types(improvement: str | None) -> tuple[str, str, str, str]:
    """Point type for a direction mask 0 (none), 1 (high), 2 (low), 3 (both)."""
    if improvement is None:
        neutral = "special_cause_neutral"
        return ("common_cause", neutral, neutral, neutral)
    good, bad = "special_cause_improvement", "special_cause_concern"
    if improvement == "increase":
        return ("common_cause", good, bad, good)
    return ("common_cause", bad, good, good)


def _variation(point_type: str, direction: int, at_or_above: bool, improvement: str | None) -> str:
    if point_type == "common_cause":
        return "common_cause"
    if point_type == "special_cause_improvement":
        return "special_cause_improvement_" + ("high" if improvement == "increase" else "low")
    if point_type == "special_cause_concern":
        return "special_cause_concern_" + ("low" if improvement == "increase" else "high")
    if direction == _HIGH or (direction == _HIGH | _LOW and at_or_above):
        return "special_cause_neutral_high"
    return "special_cause_neutral_low"


def _assurance(target: float | None, improvement: str | None, lcl: float, ucl: float) -> str | None:
    if target is None or improvement is None:
        return None
    if target > ucl:
        return "consistent_fail" if improvement == "increase" else "consistent_pass"
    if target < lcl:
        return "consistent_pass" if improvement == "increase" else "consistent_fail"
    return "inconsistent"
