"""SPC engine: run charts and control charts against qicharts2 and NHSRplotthedots.

Reference cases, each test naming the file it comes from:

* qicharts2 (github.com/anhoej/qicharts2, commit 1b9487e): the reference outputs that
  ``tests/testthat/test_montgomery.R`` and ``test_hai.R`` compare against
  (``tests/testthat/*.rds``, read with the Python ``rdata`` package when these tests
  were written; the numbers below are copied from them), the data sets ``data/cdi.rda``
  and ``data/hospital_infections.rda``, and ``vignettes/qicharts2.Rmd``.
* NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots, commit 050b07d):
  ``tests/testthat/_snaps/ptd_spc_standard.md``, ``_snaps/ptd_spc.md``,
  ``test-geom_ptd_icon.R``, ``test-ptd_calculate_point_type.R``,
  ``test-ptd_calculate_assurance_type.R``, ``test-ptd_spc_standard.R`` and
  ``vignettes/deviations.Rmd``. Their data are R's ``set.seed(123); rnorm(...)``, made
  again here by :func:`r_rnorm` (R's Mersenne-Twister seeding and inversion method),
  checked against the values the snapshots print.

Where the engine differs from a reference on purpose (2.66 against qicharts2's 2.6596,
MDC runs across phases, improvement winning over concern, 2-of-3 counting points beyond
a limit, the published IHI runs table's odd rows) a test says so. Hypothesis properties
restate every rule by brute force.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from itertools import combinations, pairwise
from statistics import NormalDist
from typing import Any, Literal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from howgood.stats import spc
from howgood.stats.spc import (
    IHI_RUNS_TABLE,
    ControlChartResult,
    Point,
    PointSequence,
    control_chart,
    crossings_limit,
    ihi_runs_limits,
    longest_run_limit,
    run_chart,
)

Direction = Literal["increase", "decrease"] | None

# Deadlines off: timings are unreliable while the whole suite runs in parallel.
PROPS = settings(deadline=None, max_examples=150)


def approx(value: float, rel: float = 1e-9) -> object:
    return pytest.approx(value, rel=rel, abs=1e-12)


# ---------------------------------------------------------------------------------------
# R's rnorm, to rebuild NHSRplotthedots' test data


def r_rnorm(seed: int) -> Iterator[float]:
    """Standard normal deviates as R's ``set.seed(seed); rnorm(...)`` gives them (R ≥ 3.6
    defaults: Mersenne-Twister, inversion). ``set.seed`` scrambles the seed with the
    LCG 69069·s + 1 fifty times and then fills the 624-word state with further LCG
    values; ``unif_rand`` is the tempered 32-bit output × 2.3283064365386963e-10;
    ``norm_rand`` takes u = ⌊2²⁷·u₁⌋ + u₂ and returns qnorm(u / 2²⁷) (Wichura's AS241,
    which ``statistics.NormalDist.inv_cdf`` also implements)."""
    s = seed & 0xFFFFFFFF
    for _ in range(50):
        s = (69069 * s + 1) & 0xFFFFFFFF
    state = []
    for _ in range(625):
        s = (69069 * s + 1) & 0xFFFFFFFF
        state.append(s)
    generator = random.Random()
    generator.setstate((3, (*state[1:], 624), None))
    inverse = NormalDist().inv_cdf
    big = 134217728

    def unif() -> float:
        value = generator.getrandbits(32) * 2.3283064365386963e-10
        return min(max(value, 0.5 * 2.328306437080797e-10), 1.0 - 0.5 * 2.328306437080797e-10)

    while True:
        u = int(big * unif()) + unif()
        yield inverse(u / big)


def take(stream: Iterator[float], n: int, mean: float = 0.0) -> list[float]:
    return [mean + next(stream) for _ in range(n)]


def test_r_rnorm_reproduces_r() -> None:
    # The y column that _snaps/ptd_spc_standard.md prints for set.seed(123); rnorm(20).
    ys = take(r_rnorm(123), 20)
    assert [round(y, 8) for y in ys[:4]] == [-0.56047565, -0.23017749, 1.55870831, 0.07050839]
    assert math.fsum(ys) / 20 == approx(0.1416238, rel=1e-7)


# ---------------------------------------------------------------------------------------
# NHSRplotthedots


def xmr_lines(result: ControlChartResult, phase: int = 0) -> tuple[float, float, float]:
    stats = result.phase_stats[phase]
    assert stats.lcl is not None
    assert stats.ucl is not None
    return stats.centre, stats.lcl, stats.ucl


def test_nhsr_ptd_spc_standard_snapshot() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_spc_standard.R "it returns expected values"
    # and _snaps/ptd_spc_standard.md: r1 (screened), r2 (y[15] <- 10, screened) and r3
    # (the same, screen_outliers = FALSE).
    y = take(r_rnorm(123), 20)
    r1 = control_chart(y, screen_moving_ranges=True, improvement="increase")
    # glimpse() prints seven significant digits.
    assert xmr_lines(r1) == (
        approx(0.1416238, 1e-6),
        approx(-3.01138, 1e-5),
        approx(3.294627, 1e-6),
    )
    sides = [(p.value > p.centre) - (p.value < p.centre) for p in r1.points]
    assert sides[:13] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1]
    assert not any(p.special_cause for p in r1.points)

    y[14] = 10.0
    r2 = control_chart(y, screen_moving_ranges=True)
    assert xmr_lines(r2) == (
        approx(0.6694159, 1e-6),
        approx(-2.383666, 1e-6),
        approx(3.722497, 1e-6),
    )
    r3 = control_chart(y)
    assert xmr_lines(r3) == (
        approx(0.6694159, 1e-6),
        approx(-4.596625, 1e-6),
        approx(5.935457, 1e-6),
    )
    sides = [(p.value > p.centre) - (p.value < p.centre) for p in r2.points]
    assert sides[:14] == [-1, -1, 1, -1, -1, 1, -1, -1, -1, -1, 1, -1, -1, -1]


def test_nhsr_summary_by_facet_matches_phases() -> None:
    # NHSRplotthedots _snaps/ptd_spc.md, summary(s3): the same 20 points in two facets
    # of 10 have means 0.0746 and 0.209, limits -2.60 to 2.75 and -3.28 to 3.70, and
    # 10 common-cause points each. Two phases give the same lines.
    y = take(r_rnorm(123), 20)
    result = control_chart(y, phases=[10], screen_moving_ranges=True, improvement="increase")
    first, second = (xmr_lines(result, k) for k in (0, 1))
    assert [round(v, 4) for v in first] == [0.0746, -2.6006, 2.7498]
    assert [round(v, 2) for v in first[1:]] == [-2.60, 2.75]
    assert round(second[0], 3) == 0.209
    assert [round(v, 2) for v in second[1:]] == [-3.28, 3.70]
    assert not any(p.special_cause for p in result.points)
    assert result.too_few_points  # 10 < 13: NHSRplotthedots warns too


def test_nhsr_icons() -> None:
    # NHSRplotthedots tests/testthat/test-geom_ptd_icon.R "ptd_get_icons transforms the
    # data correctly": set.seed(123); y = rnorm(24), then the second 12 points replaced
    # by rnorm(12, 5) and later by rnorm(12, -5); ptd_spc defaults (increase,
    # screen_outliers = TRUE).
    stream = r_rnorm(123)
    y = take(stream, 24)

    def icons(improvement: Direction, target: float | None) -> tuple[str, str | None]:
        result = control_chart(y, improvement=improvement, target=target, screen_moving_ranges=True)
        return result.variation, result.assurance

    assert icons("increase", None) == ("common_cause", None)  # s1
    assert icons("increase", 0.5) == ("common_cause", "inconsistent")  # s2
    split = control_chart(y, phases=[12], screen_moving_ranges=True, improvement="increase")
    assert split.variation == "common_cause"  # s3, one facet per phase

    y[12:] = take(stream, 12, mean=5)
    assert icons("increase", -3) == ("special_cause_improvement_high", "consistent_pass")  # s5
    assert icons("decrease", -3) == ("special_cause_concern_high", "consistent_fail")  # s6

    y[12:] = take(stream, 12, mean=-5)
    assert icons("increase", 3) == ("special_cause_concern_low", "consistent_fail")  # s7
    assert icons("decrease", 3) == ("special_cause_improvement_low", "consistent_pass")  # s8
    assert icons(None, 3) == ("special_cause_neutral_low", None)  # s9, neutral


def test_nhsr_two_of_three_needs_one_side_of_the_mean() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_spc_standard.R: two successive points near
    # the limits on opposite sides of the mean are common cause.
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    result = control_chart(data, screen_moving_ranges=True, improvement="increase")
    assert [p.point_type for p in result.points][-2:] == ["common_cause", "common_cause"]


def test_nhsr_screening_vignette() -> None:
    # NHSRplotthedots vignettes/deviations.Rmd, "Treatment of outlying points": with
    # screening UPL 4.6, mean 1.94, LPL -0.72; as the MDC Excel tool (no screening)
    # 6.95, 1.94, -3.06. Either way only the fifth point (10) is special cause.
    data = [1.0, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    for screen, expected in ((True, (1.94, -0.72, 4.6)), (False, (1.94, -3.06, 6.95))):
        result = control_chart(data, screen_moving_ranges=screen, improvement="increase")
        assert tuple(round(v, 2) for v in xmr_lines(result)) == expected
        assert [p.index for p in result.points if p.special_cause] == [4]
        assert result.points[4].point_type == "special_cause_improvement"
        assert result.points[4].rules == ("outside_limits",)


def shift_flags(data: Sequence[float], **kwargs: object) -> list[int]:
    result = control_chart(data, **kwargs)  # type: ignore[arg-type]
    return [int("shift" in p.rules) for p in result.points]


def trend_flags(data: Sequence[float], **kwargs: object) -> list[int]:
    result = control_chart(data, **kwargs)  # type: ignore[arg-type]
    return [int("trend" in p.rules) for p in result.points]


def test_nhsr_seven_point_one_side_of_mean() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R,
    # ptd_seven_point_one_side_mean / ptd_part_of_seven_trend: 6 points on one side are
    # not a shift, 7 or 8 are, and every point of the run is flagged.
    assert shift_flags([1.0] * 6 + [-1.0]) == [0] * 7
    assert shift_flags([1.0] * 8 + [-1.0]) == [1] * 8 + [0]
    assert shift_flags([-1.0] * 8 + [1.0]) == [1] * 8 + [0]


def test_nhsr_seven_point_trend() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R,
    # ptd_seven_point_trend: 1:6 is no trend; c(1:3, 3:6) is none (equal neighbours
    # break it); 1:7, c(2, 1:7, 3), 7:1 and c(2, 7:1, 3) are, on exactly those points.
    assert trend_flags(list(range(1, 7))) == [0] * 6
    assert trend_flags([1.0, 2, 3, 3, 4, 5, 6]) == [0] * 7
    assert trend_flags(list(range(1, 8))) == [1] * 7
    assert trend_flags([2.0, *range(1, 8), 3]) == [0] + [1] * 7 + [0]
    assert trend_flags(list(range(7, 0, -1))) == [1] * 7
    assert trend_flags([2.0, *range(7, 0, -1), 3]) == [0] + [1] * 7 + [0]


def test_nhsr_two_in_three_flags_only_the_points_near_the_limit() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_point_type.R, ptd_two_in_three
    # and ptd_part_of_two_in_three: in c(0, 0, 1, 0, 1, 0, 0) (1 = beyond two thirds, all
    # above the mean) the two 1s are flagged, not the point between them; with the points
    # alternating either side of the mean nothing is.
    base = [1.0, -1.0] * 10  # mean 0, MR̄ 2: limits ±5.32, two-thirds line ±3.547
    data = list(base)
    data[12], data[13], data[14] = 4.0, 1.0, 4.0
    result = control_chart(data, freeze=12)  # lines from the first 12 points
    centre, _, ucl = xmr_lines(result)
    assert 4.0 > centre + (ucl - centre) * 2 / 3 > 1.0
    assert [p.index for p in result.points if "two_of_three" in p.rules] == [12, 14]
    assert all(p.rules == ("two_of_three",) for p in result.points if p.special_cause)

    data = list(base)
    data[12], data[13], data[14] = 4.0, -1.0, 4.0  # middle point below the mean
    assert not any(p.special_cause for p in control_chart(data, freeze=12).points)


def test_nhsr_assurance_table() -> None:
    # NHSRplotthedots tests/testthat/test-ptd_calculate_assurance_type.R: limits (1, 3),
    # (5, 7) and (1, 5) against a target of 4.
    cases = [(1.0, 3.0), (5.0, 7.0), (1.0, 5.0)]
    increase = [spc._assurance(4.0, "increase", lo, hi) for lo, hi in cases]
    decrease = [spc._assurance(4.0, "decrease", lo, hi) for lo, hi in cases]
    assert increase == ["consistent_fail", "consistent_pass", "inconsistent"]
    assert decrease == ["consistent_pass", "consistent_fail", "inconsistent"]
    assert spc._assurance(4.0, None, 1.0, 3.0) is None
    assert spc._assurance(None, "increase", 1.0, 3.0) is None


def test_assurance_uses_the_last_phase() -> None:
    # NHSRplotthedots test-ptd_calculate_assurance_type.R "when rebase": the last
    # group's limits decide. First phase around 10, last around 0; target 5.
    data = [10.0, 11.0] * 8 + [0.0, 1.0] * 8
    result = control_chart(data, phases=[16], improvement="increase", target=5.0)
    assert result.assurance == "consistent_fail"
    result = control_chart(data, phases=[16], improvement="decrease", target=5.0)
    assert result.assurance == "consistent_pass"


def test_both_improvement_and_concern_counts_as_improvement() -> None:
    # Deliberate difference from NHSRplotthedots (R/ptd_calculate_point_type.R takes the
    # first of outside limits, trend, 2-of-3, shift): the MDC Single Chart Tool v5 shows
    # a point that is both as improvement. Point 20 is below the lower limit (concern
    # when higher is better) and starts a rising trend (improvement).
    data = [10.0, 12.0] * 10 + [-10.0, 9.0, 10.0, 11.0, 11.5, 11.6, 11.7]
    result = control_chart(data, improvement="increase")
    point = result.points[20]
    assert point.rules == ("outside_limits", "trend")
    assert point.point_type == "special_cause_improvement"
    flipped = control_chart(data, improvement="decrease")
    assert flipped.points[20].point_type == "special_cause_improvement"


def test_mdc_runs_continue_across_phases() -> None:
    # Deliberate difference from NHSRplotthedots, which starts runs afresh in each
    # rebase group (R/ptd_calculate_point_type.R groups by rebase_group): the MDC Single
    # Chart Tool v5 lets a run carry on over a phase boundary. Four points above the
    # first phase's mean and four above the second's make a shift of 8.
    first = [2.0, 0.0] * 6 + [3.0, 3.0, 3.0, 3.0]
    second = [12.0, 12.5, 12.2, 12.4, 10.0, 11.0, 10.5, 11.5, 10.2, 10.4]
    data = first + second
    result = control_chart(data, phases=[len(first)])
    flagged = [p.index for p in result.points if "shift" in p.rules]
    assert flagged == list(range(12, 20))
    assert [p.phase for p in result.points[12:20]] == [0] * 4 + [1] * 4
    # Anhøj statistics stay per phase, as in qicharts2.
    assert [s.longest_run for s in result.phase_stats] == [4, 4]


def test_mdc_tool_v5_lengths() -> None:
    # shift and trend override the MDC lengths (the MDC Single Chart Tool v5 uses 6/6).
    data = [1.0] * 6 + [-1.0, 0.5, -0.5]
    assert shift_flags(data) == [0] * 9
    assert shift_flags(data, shift=6, trend=6) == [1] * 6 + [0] * 3
    assert trend_flags([5.0, 1, 2, 3, 4, 5, 6, 0]) == [0] * 8
    assert trend_flags([5.0, 1, 2, 3, 4, 5, 6, 0], shift=6, trend=6) == [0] + [1] * 6 + [0]


# ---------------------------------------------------------------------------------------
# qicharts2: Montgomery examples (tests/testthat/test_montgomery.R)

TBL_06_07 = [
    310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295, 293,
    306, 301, 304, 305, 282, 305, 296, 314, 295, 287, 301, 298, 311, 310, 292, 305, 299,
    304, 310, 304, 305, 333, 328,
]  # fmt: skip
TBL_07_03 = [
    12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24,
    15, 9, 12, 7, 13, 9, 6, 9, 6, 12, 5, 6, 4, 6, 3, 7, 6, 2, 4, 3, 6, 5, 4, 8, 5, 6, 7,
    5, 6, 3, 5, 8, 7, 5, 6, 4, 5, 2, 3, 4, 7, 6, 5, 5, 3, 7, 9, 6, 10, 4, 3, 5, 8, 11, 9,
    7, 3, 5, 2, 1, 4, 5, 3, 7, 6, 4, 4, 6, 8, 5, 6,
]  # fmt: skip
TBL_07_04 = (
    [12, 8, 6, 9, 10, 12, 11, 16, 10, 6, 20, 15, 9, 8, 6, 8, 10, 7, 5, 8, 5, 8, 10, 6, 9],
    [
        100, 80, 80, 100, 110, 110, 100, 100, 90, 90, 110, 120, 120, 120, 110, 80, 80, 80,
        90, 100, 100, 100, 100, 90, 90,
    ],
)  # fmt: skip
TBL_07_08 = [
    21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24,
    16, 19, 17, 15, 16, 18, 12, 15, 24, 21, 28, 20, 25, 19, 18, 21, 16, 22, 19, 12, 14, 9,
    16, 21,
]  # fmt: skip
TBL_07_10 = [2, 3, 8, 1, 1, 4, 1, 4, 5, 1, 8, 2, 4, 3, 4, 1, 8, 3, 7, 4]
TBL_07_11 = (
    [14, 12, 20, 11, 7, 10, 21, 16, 19, 23],
    [500, 400, 650, 500, 475, 500, 600, 525, 600, 625],
)


def anhoej_stats(result: ControlChartResult, phase: int = 0) -> tuple[int, ...]:
    """(n.useful, longest.run, longest.run.max, n.crossings, n.crossings.min) as
    qicharts2's summary prints them."""
    s = result.phase_stats[phase]
    assert s.longest_run_limit is not None
    assert s.crossings_limit is not None
    return (
        s.useful_observations,
        s.longest_run,
        s.longest_run_limit,
        s.crossings,
        s.crossings_limit,
    )


def outside(result: ControlChartResult) -> list[int]:
    return [p.index for p in result.points if "outside_limits" in p.rules]


def test_qicharts2_i_chart_example_6_5() -> None:
    # qicharts2 tests/testthat/ex_6.5_3.rds: qic(weeks, cost, data = tbl_06.07,
    # chart = 'i', freeze = 20), qicharts2's moving-range screening on (its default
    # option qic.screenedmr = TRUE). ex_6.5_4.rds (chart = 'mr') gives MR̄ = 7.78947...
    result = control_chart(TBL_06_07, freeze=20, screen_moving_ranges=True, rules="anhoej")
    stats = result.phase_stats[0]
    assert stats.centre == 300.5
    assert stats.mean_moving_range == approx(7.7894736842105265, 1e-15)
    assert stats.n_used == 20
    assert stats.mean_moving_range is not None
    # Deliberate difference: qicharts2 gives 279.78331466965284 to 321.21668533034716,
    # σ = MR̄ / 1.128 and ± 3σ (2.6596 × MR̄); the MDC convention used here is 2.66 × MR̄.
    qic_half = 321.21668533034716 - 300.5
    assert qic_half == approx(3 * stats.mean_moving_range / 1.128)
    _, lcl, ucl = xmr_lines(result)
    assert ucl - 300.5 == approx(2.66 * stats.mean_moving_range)
    assert (ucl - 300.5) / qic_half == approx(2.66 * 1.128 / 3)
    assert 300.5 - lcl == approx(ucl - 300.5)
    # The same two points are outside (sigma.signal) and the runs analysis agrees.
    assert outside(result) == [38, 39]
    assert anhoej_stats(result) == (40, 6, 8, 20, 14)
    assert not result.anhoej_signal


def test_qicharts2_p_chart_example_7_1_with_parts_and_exclusions() -> None:
    # qicharts2 tests/testthat/ex_7.1_5.rds: qic(sample, count, size, data = tbl_07.03,
    # chart = 'p', exclude = c(15, 23), part = 30). 1-based R indices 15 and 23 are 14
    # and 22 here; part = 30 starts a phase at index 30.
    result = control_chart(
        TBL_07_03,
        chart="p",
        denominators=[50] * len(TBL_07_03),
        phases=[30],
        exclude=[14, 22],
        rules="anhoej",
    )
    first, second = result.points[0], result.points[40]
    assert (first.centre, first.lcl, first.ucl) == (
        approx(0.215),
        approx(0.040702839954289555),
        approx(0.38929716004571047),
    )
    assert (second.centre, second.lcl, second.ucl) == (
        approx(0.1096875),
        0.0,
        approx(0.24226995518120034),
    )
    assert first.value == 0.24
    assert anhoej_stats(result, 0) == (28, 5, 8, 13, 9)
    assert anhoej_stats(result, 1) == (64, 7, 9, 30, 25)
    assert [s.n_used for s in result.phase_stats] == [28, 64]
    # sigma.signal: points 15, 21 and 23 (1-based); the excluded 15 and 23 are judged.
    assert outside(result) == [14, 20, 22]
    assert result.points[14].excluded
    assert not result.too_few_points


def test_qicharts2_p_chart_table_7_4_varying_sizes() -> None:
    # qicharts2 tests/testthat/tbl_7.4_1.rds: qic(sample, count, size, data = tbl_07.04,
    # chart = 'p'). Limits vary with the sample size; the lower one is clipped at 0.
    counts, sizes = TBL_07_04
    result = control_chart(counts, chart="p", denominators=sizes, rules="anhoej")
    expected_lcl = {80: 0.0, 90: 0.0025650562804066107, 100: 0.007334694727773067}
    expected_lcl |= {110: 0.011438154625052752, 120: 0.01501734492727154}
    expected_ucl = {80: 0.19409342051458195, 90: 0.18845535188285867}
    expected_ucl |= {100: 0.18368571343549223, 110: 0.17958225353821256}
    expected_ucl |= {120: 0.17600306323599374}
    for point, size in zip(result.points, sizes, strict=True):
        assert point.centre == approx(0.09551020408163265)
        assert point.lcl == approx(expected_lcl[size])
        assert point.ucl == approx(expected_ucl[size])
    assert outside(result) == [10]
    assert anhoej_stats(result) == (25, 5, 8, 10, 8)
    assert result.phase_stats[0].lcl is None  # limits vary by point


def test_qicharts2_c_chart_example_7_3_with_freeze_and_exclusions() -> None:
    # qicharts2 tests/testthat/ex_7.3_3.rds: qic(sample, count, data = tbl_07.08,
    # chart = 'c', exclude = c(6, 20), freeze = 26): the centre is the mean of the 24
    # included points among the first 26; the runs analysis finds too few crossings.
    result = control_chart(TBL_07_08, chart="c", exclude=[5, 19], freeze=26, rules="anhoej")
    stats = result.phase_stats[0]
    assert (stats.centre, stats.lcl, stats.ucl) == (
        approx(19.666666666666668),
        approx(6.3625319710165975),
        approx(32.970801362316735),
    )
    assert stats.n_used == 24
    assert anhoej_stats(result) == (44, 8, 8, 14, 16)
    assert result.anhoej_signal
    assert result.runs_signal == "too few"
    assert outside(result) == [5, 19]  # sigma.signal on the two excluded points
    # Under the Anhøj rules every useful point of the phase carries few_crossings, and no
    # run is longer than 8.
    few = [p.index for p in result.points if "few_crossings" in p.rules]
    assert few == [i for i in range(46) if i not in (5, 19)]
    assert not any("long_run" in p.rules for p in result.points)


def test_qicharts2_u_charts_examples_7_4_and_7_5() -> None:
    # qicharts2 tests/testthat/ex_7.4_1.rds: qic(sample, count, size, data = tbl_07.10,
    # chart = 'u'), 50 units each.
    result = control_chart(TBL_07_10, chart="u", denominators=[50] * 20, rules="anhoej")
    for point in result.points:
        assert (point.centre, point.lcl, point.ucl) == (
            approx(0.074),
            0.0,
            approx(0.1894123043700281),
        )
    assert anhoej_stats(result) == (20, 2, 7, 15, 6)
    assert outside(result) == []

    # qicharts2 tests/testthat/ex_7.5_1.rds: qic(roll, count, meters, data = tbl_07.11,
    # chart = 'u', multiply = 50).
    counts, meters = TBL_07_11
    result = control_chart(counts, chart="u", denominators=meters, multiply=50)
    lcl = [
        0.29147393012686534, 0.15788519998393874, 0.43061743663693214, 0.29147393012686534,
        0.26207210186521834, 0.29147393012686534, 0.3900850340409337, 0.3187497909652587,
        0.3900850340409337, 0.41095932277784886,
    ]  # fmt: skip
    ucl = [
        2.555037697780111, 2.6886264279230376, 2.4158941912700445, 2.555037697780111,
        2.5844395260417583, 2.555037697780111, 2.456426593866043, 2.527761836941718,
        2.456426593866043, 2.4355523051291277,
    ]  # fmt: skip
    assert [p.lcl for p in result.points] == [approx(v) for v in lcl]
    assert [p.ucl for p in result.points] == [approx(v) for v in ucl]
    assert all(p.centre == approx(1.4232558139534883) for p in result.points)
    assert result.points[0].value == approx(14 / 500 * 50)
    assert result.multiply == 50.0
    assert anhoej_stats(result) == (10, 4, 6, 3, 2)


# ---------------------------------------------------------------------------------------
# qicharts2: hospital infections (tests/testthat/test_hai.R) and CDI (vignette)

# hospital_infections (qicharts2 data/hospital_infections.rda) summed by month as qic()
# aggregates them: all infections (hai_1), CDI (hai_2), and single series (hai_3).
HAI_ALL = (
    [
        575, 521, 585, 528, 507, 519, 457, 505, 494, 512, 543, 506, 509, 521, 549, 531,
        509, 528, 419, 512, 495, 513, 454, 490,
    ],
    [
        310466.83333329315, 282346.79166671715, 309089.70833330316, 287977.3333331682,
        297743.37500002846, 286988.25000001, 261120.33333336978, 268720.7500000453,
        284437.875000129, 290449.4999999395, 288104.4583333086, 279961.37499995204,
        289803.95833335095, 275950.58333331934, 290824.4583333324, 285495.750000041,
        282515.20833329746, 273927.8750000195, 253085.62499998297, 262410.7083333832,
        275529.2500000122, 282405.0833333654, 259530.79166665627, 256235.4583333076,
    ],
)  # fmt: skip
HAI_CDI = (
    [
        72, 74, 75, 69, 52, 45, 45, 51, 46, 47, 69, 58, 50, 62, 73, 65, 59, 49, 47, 48, 46,
        62, 42, 57,
    ],
    [
        102690.6249999984, 93460.8750000165, 102149.1666666721, 95147.9583332608,
        98588.0000000145, 95000.9583333371, 86428.00000000751, 88625.95833334129,
        93941.1250000444, 96145.7083333168, 95115.4999999935, 92736.416666634,
        95611.250000008, 90783.2083333245, 95958.416666679, 94511.0000000107,
        93146.0833333263, 90784.1666666753, 83655.04166667469, 86682.0000000195,
        91137.666666668, 93387.75000000671, 85798.5833333247, 85006.8750000012,
    ],
)  # fmt: skip
HAI_NOH_UTI = (
    [
        65, 58, 67, 71, 52, 42, 53, 52, 50, 45, 50, 50, 42, 50, 57, 56, 63, 52, 53, 64, 52,
        49, 61, 48,
    ],
    [
        17764.6249999893, 15589.7500000004, 17199.0833333188, 16526.083333328,
        17257.3750000134, 16278.249999996, 15891.1250000055, 16107.7916666661,
        16048.6250000078, 16595.2083333363, 16196.708333328701, 15740.8333333272,
        16425.2500000006, 15214.541666671299, 16002.0000000034, 15769.2500000058,
        16235.499999992699, 15807.2916666704, 15455.249999992, 15401.750000008,
        15351.4583333385, 16198.0416666694, 15694.749999993799, 15445.9166666616,
    ],
)  # fmt: skip
HAI_BOH_UTI = (
    [1, 0, 2, 0, 3, 7, 7, 7, 9, 5, 4, 8, 4, 1, 8, 8, 11, 8, 6, 7, 5, 9, 11, 7],
    [
        2262.624999997, 2240.666666669, 2113.500000002, 2213.791666667, 2273.000000002,
        2205.583333333, 2098.7083333363, 1809.458333334, 1932.166666667, 2196.624999999,
        2157.708333333, 2296.291666671, 2271.583333332, 2307.291666667, 2361.208333332,
        2189.4583333329997, 2123.4583333329997, 1958.2499999956, 2041.583333333, 2153.25,
        2094.583333333, 2104.250000001, 1807.583333333, 2125.916666669,
    ],
)  # fmt: skip
HAI_AHH_CDI = (
    [7, 13, 5, 5, 3, 5, 9, 4, 5, 9, 11, 12, 8, 9, 7, 10, 11, 9, 11, 12, 8, 6, 8, 11],
    [
        15263.750000001699, 13645.750000001799, 15177.7499999971, 13799.4999999862,
        13986.8750000014, 14015.9583333359, 13274.0416666598, 13501.9166666653,
        14080.0833333369, 14310.5416666596, 13888.416666666899, 13411.2916666652,
        13578.3333333362, 13022.1249999998, 14319.500000006099, 13927.8333333462,
        13863.3749999999, 13639.1249999944, 13855.4166666693, 13754.7500000033,
        14082.4166666718, 14330.2083333308, 14434.041666663501, 14192.9999999926,
    ],
)  # fmt: skip


HAI_CASES = [
    # hai_1.rds: qic(month, n, days, data = hospital_infections, chart = 'u')
    (
        "hai_1",
        HAI_ALL,
        (24, 4, 8, 12, 8),
        (0.001581489772276647, 0.0018235751654857592, 0.0020656605586948716),
        False,
    ),
    # hai_2.rds: the same with facets = ~ infection, row CDI
    (
        "hai_2 CDI",
        HAI_CDI,
        (24, 6, 8, 8, 8),
        (0.0003682219818656593, 0.0006121736776696678, 0.0008561253734736764),
        False,
    ),
    # hai_3.rds: facets = hospital ~ infection, rows NOH UTI, BOH UTI and AHH CDI
    (
        "hai_3 NOH UTI",
        HAI_NOH_UTI,
        (24, 10, 8, 7, 8),
        (0.0019974145128980425, 0.003371341119022505, 0.004745267725146968),
        True,
    ),
    (
        "hai_3 BOH UTI",
        HAI_BOH_UTI,
        (24, 6, 8, 7, 8),
        (0.0, 0.002688038957086061, 0.006056959893544745),
        True,
    ),
    (
        "hai_3 AHH CDI",
        HAI_AHH_CDI,
        (24, 5, 8, 11, 8),
        (1.636062337486582e-08, 0.0005904173475351713, 0.0012073870152242007),
        False,
    ),
]


@pytest.mark.parametrize(("source", "series", "stats", "lines", "signal"), HAI_CASES)
def test_qicharts2_hospital_infections(
    source: str,
    series: tuple[list[int], list[float]],
    stats: tuple[int, ...],
    lines: tuple[float, float, float],
    signal: bool,
) -> None:
    # qicharts2 tests/testthat/test_hai.R and its hai_*.rds summaries: aLCL and aUCL are
    # the means of the per-point limits, CL the centre; runs.signal; sigma.signal = 0.
    counts, days = series
    result = control_chart(counts, chart="u", denominators=days, rules="anhoej")
    points = list(result.points)
    mean_lcl = math.fsum(p.lcl for p in points) / len(points)
    mean_ucl = math.fsum(p.ucl for p in points) / len(points)
    assert (mean_lcl, points[0].centre, mean_ucl) == tuple(approx(v, 1e-8) for v in lines)
    assert anhoej_stats(result) == stats, source
    assert result.anhoej_signal is signal
    assert outside(result) == []


CDI = [
    17, 12, 27, 20, 20, 18, 22, 19, 19, 24, 17, 16, 24, 19, 19, 22, 25, 19, 17, 6, 25, 17,
    11, 14, 9, 11, 7, 13, 5, 5, 3, 5, 9, 4, 5, 9,
]  # fmt: skip


def test_qicharts2_cdi_vignette() -> None:
    # qicharts2 vignettes/qicharts2.Rmd, "Case 2": with freeze = 24, "The median number
    # of CDIs per month in the before period is 19. An unusually long run of 15 data
    # points below the median proves that the CDI rate is reduced."
    frozen = run_chart(CDI, baseline=24, rules="anhoej")
    assert frozen.centre == 19
    assert frozen.longest_run == 15
    assert frozen.shifts == [(21, 35)]
    assert frozen.signal
    # "The split C chart shows that the CDI rate has dropped from an average of 19 to 7
    # per month ... we in the future should expect between 0 and 15 CDIs per month."
    split = control_chart(CDI, chart="c", phases=[24])
    before, after = split.phase_stats
    assert round(before.centre) == 19
    assert round(after.centre) == 7
    assert after.lcl == 0.0
    assert after.ucl is not None
    assert round(after.ucl) == 15
    # "both periods show only random variation"
    assert not any(s.anhoej_signal for s in split.phase_stats)


# ---------------------------------------------------------------------------------------
# Run-rule limits


def exact_binomial_q05(size: int) -> int:
    total = Fraction(0)
    for c in range(size + 1):
        total += Fraction(math.comb(size, c), 2**size)
        if total >= Fraction(1, 20):
            return c
    raise AssertionError


def test_crossings_and_longest_run_limits_match_qicharts2() -> None:
    # (n.useful, n.crossings.min, longest.run.max) printed in qicharts2's reference
    # outputs: ex_6.5_3 (40), ex_6.5_4 (39), ex_7.1_5 (28, 64), ex_7.3_3 (44),
    # tbl_7.4_1 (25), ex_7.4_1 (20), ex_7.5_1 (10), hai_1 (24), hai_4 (6).
    table = {
        40: (14, 8), 39: (14, 8), 28: (9, 8), 64: (25, 9), 44: (16, 8), 25: (8, 8),
        20: (6, 7), 10: (2, 6), 24: (8, 8), 6: (1, 6),
    }  # fmt: skip
    for n, (crossings, longest) in table.items():
        assert (crossings_limit(n), longest_run_limit(n)) == (crossings, longest), n
    # The vignette's worked example: 24 useful points, more than 8, fewer than 8.
    assert (longest_run_limit(24), crossings_limit(24)) == (8, 8)
    assert longest_run_limit(0) is None
    assert crossings_limit(0) is None
    assert crossings_limit(1) == 0


def test_longest_run_limits_match_published_table() -> None:
    # unaettie.com/en-us/faq.php, "Critical values for run length in run chart"
    # (log₂ n + 3 rounded): the steps of the table for n = 10 to 109.
    published = {10: 6, 11: 6, 12: 7, 22: 7, 23: 8, 45: 8, 46: 9, 90: 9, 91: 10, 104: 10}
    for n, limit in published.items():
        assert longest_run_limit(n) == limit


@pytest.mark.parametrize("n", [*range(1, 120), 500, 999, 1000, 1001, 1002, 1500, 2000])
def test_crossings_limit_is_the_exact_binomial_quantile(n: int) -> None:
    # Exact integer arithmetic up to n = 1000; the floating-point window beyond agrees.
    assert crossings_limit(n) == exact_binomial_q05(n - 1)


def brute_force_runs_limits(n: int) -> tuple[int, int]:
    """Largest r with P(R ≤ r) ≤ 0.05 and smallest r with P(R ≥ r) ≤ 0.05, counting runs
    in every arrangement of ⌊n/2⌋ of one kind among n."""
    m = n // 2
    counts: dict[int, int] = {}
    for above in combinations(range(n), m):
        marks = [0] * n
        for i in above:
            marks[i] = 1
        runs = 1 + sum(1 for a, b in pairwise(marks) if a != b)
        counts[runs] = counts.get(runs, 0) + 1
    total = math.comb(n, m)
    lower = max(
        r for r in range(1, n + 1) if 20 * sum(counts.get(k, 0) for k in range(r + 1)) <= total
    )
    upper = min(
        r for r in range(1, n + 2) if 20 * sum(counts.get(k, 0) for k in range(r, n + 1)) <= total
    )
    return lower, upper


def test_ihi_runs_table() -> None:
    # Perla, Provost & Murray (2011) BMJ Qual Saf 20:46-51, Table 1 (every row from 10 to
    # 60 is checked in test_spc_runs_table.py).
    assert ihi_runs_limits(9) is None
    assert ihi_runs_limits(10) == (3, 9)
    assert ihi_runs_limits(20) == (6, 16)
    assert ihi_runs_limits(24) == (8, 18)
    assert ihi_runs_limits(26) == (9, 19)
    # The table is Swed & Eisenhart's 5% critical values for an even split: the
    # construction, enumerated here arrangement by arrangement, reproduces the published
    # rows except 15, 17, 23 and 25, which differ by one run (the published values win).
    differing = {15: (4, 13), 17: (5, 14), 23: (8, 17), 25: (9, 18)}
    for n in range(10, 21):
        computed = brute_force_runs_limits(n)
        assert spc._swed_eisenhart_limits(n) == computed, n
        assert differing.get(n, IHI_RUNS_TABLE[n]) == computed, n
    for n in range(21, 27):
        assert spc._swed_eisenhart_limits(n) == differing.get(n, IHI_RUNS_TABLE[n]), n
    assert [IHI_RUNS_TABLE[n] for n in differing] == [(5, 12), (5, 13), (7, 17), (8, 18)]
    # Above 60 the construction is used: symmetric for even n, as runs are.
    for n in range(62, 400, 2):
        lower, upper = ihi_runs_limits(n) or (0, 0)
        assert lower + upper == n + 2, n


def exact_runs_limits(n: int) -> tuple[int, int]:
    m, k = n // 2, n - n // 2
    counts = {r: spc._runs_count(m, k, r) for r in range(2, n + 1)}
    total = math.comb(n, m)
    lower = max(r for r in counts if 20 * sum(c for s, c in counts.items() if s <= r) <= total)
    upper = min(r for r in counts if 20 * sum(c for s, c in counts.items() if s >= r) <= total)
    return lower, upper


@pytest.mark.parametrize("n", [1001, 1002, 1333, 2000])
def test_runs_limits_in_floating_point_agree_with_exact(n: int) -> None:
    assert ihi_runs_limits(n) == exact_runs_limits(n)


# ---------------------------------------------------------------------------------------
# Run charts


def test_ihi_shift_ignores_points_on_the_median() -> None:
    # Perla et al. (2011): points on the median neither count towards nor break a shift.
    data = [1.0, 9, 8, 5, 9, 8, 5, 9, 8, 1, 2, 1, 2, 5]
    result = run_chart(data)
    assert result.centre == 5
    assert result.shifts == [(1, 8)]  # six points above, two on the median between
    assert result.useful_observations == 11
    assert result.signal


def test_ihi_trend_counts_equal_neighbours_once() -> None:
    result = run_chart([1.0, 2, 2, 3, 4, 5, 4, 3, 3, 2, 1, 0])
    assert result.trends == [(0, 5), (5, 11)]
    assert run_chart([1.0, 2, 3, 4, 3, 2, 1, 2]).trends == []  # four is not a trend
    assert run_chart([3.0, 3, 3, 4, 5, 6, 7, 7]).trends == [(0, 7)]  # plateaus either end


def test_ihi_runs_signal() -> None:
    too_few = run_chart([1.0] * 10 + [9.0] * 10)  # 20 useful, 2 runs < 6
    assert (too_few.runs, too_few.runs_signal) == (2, "too few")
    assert (too_few.runs_lower_limit, too_few.runs_upper_limit) == (6, 16)
    too_many = run_chart([1.0, 9.0] * 10)  # 20 runs > 16
    assert (too_many.runs, too_many.runs_signal) == (20, "too many")
    assert too_many.signal
    short = run_chart([1.0, 9.0] * 4)  # 8 useful: no table row
    assert short.runs_signal is None
    assert short.runs_lower_limit is None


def test_run_chart_rule_sets() -> None:
    data = [5.0, 6, 4, 7, 3, 6, 5, 4, 6, 5, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]
    ihi = run_chart(data)
    anhoej = run_chart(data, rules="anhoej")
    assert ihi.centre == anhoej.centre == 2
    assert anhoej.trends == []
    assert (anhoej.longest_run, anhoej.longest_run_limit) == (10, 7)
    assert anhoej.shifts == [(0, 9)]
    assert anhoej.signal
    assert ihi.shifts == [(0, 9)]
    assert ihi.longest_run == anhoej.longest_run  # the Anhøj statistics are always given


def test_run_chart_baseline_and_exclude() -> None:
    data = [10.0, 1, 2, 3, 4, 5, 100, 100, 100]
    assert run_chart(data, baseline=6).centre == 3.5
    assert run_chart(data, baseline=6, exclude=[0]).centre == 3
    assert run_chart(data, baseline=100).centre == 5  # beyond the end: every point
    excluded = run_chart(data, exclude=[6, 7])
    assert excluded.centre == 4  # median of 10, 1, 2, 3, 4, 5, 100
    assert excluded.useful_observations == 6


def test_run_chart_with_every_point_on_the_median() -> None:
    result = run_chart([3.0, 3.0, 3.0])
    assert (result.useful_observations, result.runs, result.crossings) == (0, 0, 0)
    assert result.longest_run_limit is None
    assert not result.signal


# ---------------------------------------------------------------------------------------
# Control-chart conventions


def test_a_point_on_a_limit_is_not_outside() -> None:
    data = [0.0, 2.0] * 6
    centre, lcl, ucl = xmr_lines(control_chart(data))
    assert (centre, lcl, ucl) == (1.0, 1.0 - 2.66 * 2, 1.0 + 2.66 * 2)
    on_limits = control_chart([*data, ucl, lcl], freeze=12)
    assert [p.value for p in on_limits.points[-2:]] == [ucl, lcl]
    assert [p.ucl for p in on_limits.points[-2:]] == [ucl, ucl]
    assert not any(p.special_cause for p in on_limits.points)
    beyond = control_chart([*data, math.nextafter(ucl, math.inf)], freeze=12)
    assert beyond.points[-1].rules == ("outside_limits",)


def test_a_point_on_the_mean_breaks_an_mdc_shift() -> None:
    base = [1.0, -1.0] * 6  # mean 0
    result = control_chart([*base, 2.0, 2.0, 2.0, 0.0, 2.0, 2.0, 2.0, 2.0], freeze=12)
    assert xmr_lines(result)[0] == 0.0
    assert not any(p.special_cause for p in result.points)
    unbroken = control_chart([*base, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], freeze=12)
    assert [p.index for p in unbroken.points if p.special_cause] == list(range(12, 20))
    # IHI run charts treat the same point differently: it neither counts nor breaks.
    assert run_chart([*base, 2.0, 2.0, 2.0, 0.0, 2.0, 2.0, 2.0], baseline=12).shifts == [(12, 18)]


def test_excluded_points_are_judged_but_not_used() -> None:
    data = [10.0, 11.0] * 8 + [40.0]
    excluded = control_chart(data, exclude=[16])
    included = control_chart(data)
    assert xmr_lines(excluded) == xmr_lines(control_chart(data[:16]))
    assert xmr_lines(excluded) != xmr_lines(included)
    assert excluded.points[16].rules == ("outside_limits",)
    assert excluded.points[16].excluded
    # Excluded points do not count in runs either.
    assert excluded.useful_observations == 16


def test_freeze_is_per_phase() -> None:
    # NHSRplotthedots R/ptd_spc_standard.R applies fix_after_n_points per rebase group.
    data = [1.0, 3.0] * 5 + [100.0] * 5 + [11.0, 13.0] * 5 + [0.0] * 5
    result = control_chart(data, phases=[15], freeze=10)
    assert [s.centre for s in result.phase_stats] == [2.0, 12.0]
    assert [s.n_used for s in result.phase_stats] == [10, 10]


def test_phases_do_not_share_moving_ranges() -> None:
    result = control_chart([1.0, 2.0, 1.0, 2.0, 101.0, 102.0, 101.0, 102.0], phases=[4])
    assert [s.mean_moving_range for s in result.phase_stats] == [1.0, 1.0]


def test_too_few_points_and_single_point_phase() -> None:
    assert control_chart([1.0, 2.0] * 6).too_few_points
    assert not control_chart([1.0, 2.0] * 7).too_few_points
    lone = control_chart([1.0, 2.0] * 7 + [5.0], phases=[14])
    assert lone.too_few_points
    point = lone.points[14]
    assert point.centre == 5.0
    assert math.isnan(point.lcl)
    assert math.isnan(point.ucl)
    assert not point.special_cause
    assert lone.phase_stats[1].mean_moving_range is None


def test_p_u_and_c_limits_are_clipped() -> None:
    low = control_chart([0, 1, 0, 1], chart="p", denominators=[5, 5, 5, 5])
    high = control_chart([4, 5, 4, 5], chart="p", denominators=[5, 5, 5, 5])
    for pt in [*low.points, *high.points]:
        assert 0.0 <= pt.lcl <= pt.centre <= pt.ucl <= 1.0
    assert low.points[0].lcl == 0.0
    assert high.points[0].ucl == 1.0
    assert high.points[0].lcl == approx(0.9 - 3 * math.sqrt(0.9 * 0.1 / 5))
    u = control_chart([0, 1, 2], chart="u", denominators=[10, 10, 10], multiply=1000)
    assert u.points[0].lcl == 0.0
    assert u.points[2].value == 200.0
    assert u.points[2].centre == 100.0
    assert u.points[2].ucl == approx(1000 * (0.1 + 3 * math.sqrt(0.01)))
    c = control_chart([0, 1, 2])
    assert c.points[0].lcl < 0  # XmR is not clipped
    c = control_chart([0, 1, 2], chart="c")
    assert c.points[0].lcl == 0.0
    assert c.points[0].ucl == approx(1 + 3)


def test_two_of_three_counts_points_beyond_the_limit() -> None:
    # Deliberate difference from NHSRplotthedots (R/ptd_spc_standard.R counts only
    # points between the two-thirds line and the limit): here "beyond two thirds of the
    # way to a limit" includes beyond the limit, so the point near the limit beside one
    # outside it is flagged as well.
    data = [1.0, -1.0] * 10
    data[16], data[17], data[18] = 4.5, 0.5, 30.0
    result = control_chart(data, freeze=16)
    assert result.points[16].rules == ("two_of_three",)
    assert result.points[18].rules == ("outside_limits", "two_of_three")
    assert result.points[17].rules == ()


def test_neutral_variation_follows_the_signal() -> None:
    high = control_chart([0.0, 1.0] * 7 + [50.0])
    low = control_chart([0.0, 1.0] * 7 + [-50.0])
    assert (high.variation, low.variation) == (
        "special_cause_neutral_high",
        "special_cause_neutral_low",
    )
    assert high.points[-1].point_type == "special_cause_neutral"
    assert high.assurance is None


def test_shewhart_rules_only_judge_the_limits() -> None:
    data = [1.0] * 8 + [0.0] * 8 + [1.0, 2, 3, 4, 5, 6, 7, 8, 9]
    shewhart = control_chart(data, rules="shewhart")
    assert {r for p in shewhart.points for r in p.rules} <= {"outside_limits"}
    mdc = control_chart(data)
    assert {r for p in mdc.points for r in p.rules} >= {"shift", "trend"}


def test_point_sequence() -> None:
    result = control_chart([1.0, 2.0, 3.0, 2.0])
    points = result.points
    assert isinstance(points, PointSequence)
    assert len(points) == 4
    assert isinstance(points[0], Point)
    assert points[-1] == points[3]
    assert points[1:3] == [points[1], points[2]]
    assert [p.index for p in points] == [0, 1, 2, 3]
    # Iteration (made in C, the way the measure page reads a chart) gives exactly what
    # indexing gives, field by field.
    flagged = control_chart([1.0, 1, 1, 1, 1, 1, 1, 1, 9, 1, 1, 1, 1, 1], improvement="increase")
    assert list(flagged.points) == [flagged.points[i] for i in range(14)]
    assert [(p.special_cause, p.rules, p.point_type) for p in flagged.points][8] == (
        True,
        ("outside_limits",),
        "special_cause_improvement",
    )
    assert all(isinstance(p, Point) for p in flagged.points)
    assert points == control_chart([1.0, 2.0, 3.0, 2.0]).points
    assert points != control_chart([1.0, 2.0, 3.0, 2.5]).points
    assert "4 points" in repr(points)
    with pytest.raises(IndexError):
        points[4]
    with pytest.raises(TypeError):
        hash(points)


# ---------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: run_chart([]), "empty"),
        (lambda: run_chart([1.0, math.nan]), r"values\[1\] is NaN"),
        (lambda: run_chart([1.0, "x"]), r"values\[1\] is not a number"),  # type: ignore[list-item]
        (lambda: run_chart([1.0], rules="we"), "rules must be"),  # type: ignore[arg-type]
        (lambda: run_chart([1.0], baseline=0), "baseline must be at least 1"),
        (lambda: run_chart([1.0, 2.0], exclude=[2]), "outside 0 to 1"),
        (lambda: run_chart([1.0, 2.0], exclude=[0], baseline=1), "every baseline point"),
        (lambda: control_chart([]), "empty"),
        (lambda: control_chart([1.0], chart="g"), "chart must be"),  # type: ignore[arg-type]
        (lambda: control_chart([1.0], rules="nelson"), "rules must be"),  # type: ignore[arg-type]
        (
            lambda: control_chart([1.0], improvement="up"),  # type: ignore[arg-type]
            "improvement must be",
        ),
        (lambda: control_chart([1.0], chart="p"), "needs denominators"),
        (lambda: control_chart([1.0], chart="u"), "needs denominators"),
        (lambda: control_chart([1, 2], chart="p", denominators=[5]), "must match"),
        (lambda: control_chart([1], chart="p", denominators=[0]), "must be positive"),
        (lambda: control_chart([1], chart="u", denominators=[-2]), "must be positive"),
        (lambda: control_chart([6], chart="p", denominators=[5]), "cannot exceed"),
        (lambda: control_chart([-1], chart="c"), "cannot be negative"),
        (lambda: control_chart([1.0], denominators=[1.0]), "denominators are for p and u"),
        (lambda: control_chart([1], chart="c", multiply=10), "u charts only"),
        (lambda: control_chart([1], chart="u", denominators=[1], multiply=0), "positive"),
        (lambda: control_chart([1], chart="c", screen_moving_ranges=True), "XmR charts only"),
        (lambda: control_chart([1.0], rules="anhoej", shift=6), "MDC rules only"),
        (lambda: control_chart([1.0], shift=1), "shift must be at least 2"),
        (
            lambda: control_chart([1.0], trend=2.5),  # type: ignore[arg-type]
            "trend must be a whole number",
        ),
        (lambda: control_chart([1.0, 2.0], phases=[2]), "outside 0 to 1"),
        (lambda: control_chart([1.0, 2.0], phases=[True]), "not a whole-number index"),
        (lambda: control_chart([1.0, 2.0], freeze=0), "freeze must be at least 1"),
        (lambda: control_chart([1.0, 2.0], exclude=[0, 1]), "no point left"),
        (lambda: control_chart([1.0, 2.0], phases=[1], exclude=[1]), "starting at index 1"),
        (lambda: control_chart([1.0], target=math.inf), "target is NaN or infinite"),
        (lambda: control_chart([1.0, math.inf]), r"values\[1\] is NaN or infinite"),
        (lambda: control_chart([1], chart="u", denominators=[math.nan]), "denominators"),
    ],
)
def test_bad_input(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------------------
# Properties (each rule restated by brute force)

numbers = st.integers(min_value=-20, max_value=20).map(float)
series = st.lists(numbers, min_size=1, max_size=60)


@st.composite
def charts(draw: st.DrawFn) -> tuple[list[float], list[int], set[int]]:
    """Values, phase starts and excluded indices, every phase keeping a point."""
    values = draw(series)
    n = len(values)
    starts = sorted(draw(st.sets(st.integers(min_value=1, max_value=max(1, n - 1)), max_size=3)))
    starts = [s for s in starts if s < n]
    bounds = list(pairwise([0, *starts, n]))
    excluded = draw(st.sets(st.integers(min_value=0, max_value=n - 1), max_size=n // 3))
    for lo, hi in bounds:
        if all(i in excluded for i in range(lo, hi)):
            excluded.discard(lo)
    return values, starts, excluded


def brute_force_mdc(
    result: ControlChartResult, excluded: set[int], shift: int = 7, trend: int = 7
) -> list[set[str]]:
    points = list(result.points)
    kept = [p for p in points if p.index not in excluded]
    expected: list[set[str]] = [set() for _ in points]
    for p in points:
        if p.value > p.ucl or p.value < p.lcl:
            expected[p.index].add("outside_limits")

    def side(p: Point) -> int:
        return (p.value > p.centre) - (p.value < p.centre)

    for start in range(len(kept)):
        window = kept[start : start + shift]
        if (
            len(window) == shift
            and side(window[0]) != 0
            and all(side(p) == side(window[0]) for p in window)
        ):
            for p in window:
                expected[p.index].add("shift")
        window = kept[start : start + trend]
        if len(window) == trend:
            steps = {(b.value > a.value) - (b.value < a.value) for a, b in pairwise(window)}
            if steps in ({1}, {-1}):
                for p in window:
                    expected[p.index].add("trend")
        window = kept[start : start + 3]
        if len(window) == 3 and side(window[0]) != 0:
            s = side(window[0])
            if all(side(p) == s for p in window):
                beyond = [
                    p
                    for p in window
                    if (p.value - p.centre) * s
                    > 2 / 3 * abs((p.ucl if s > 0 else p.lcl) - p.centre)
                ]
                if len(beyond) >= 2:
                    for p in beyond:
                        expected[p.index].add("two_of_three")
    return expected


@PROPS
@given(charts())
def test_mdc_rules_match_brute_force(chart: tuple[list[float], list[int], set[int]]) -> None:
    values, starts, excluded = chart
    result = control_chart(values, phases=starts, exclude=excluded)
    expected = brute_force_mdc(result, excluded)
    for point, names in zip(result.points, expected, strict=True):
        assert set(point.rules) == names, point
        assert point.special_cause == bool(names)
        assert (point.point_type == "common_cause") == (not names)


@PROPS
@given(charts(), st.integers(min_value=2, max_value=8), st.integers(min_value=2, max_value=8))
def test_mdc_lengths_match_brute_force(
    chart: tuple[list[float], list[int], set[int]], shift: int, trend: int
) -> None:
    values, starts, excluded = chart
    result = control_chart(values, phases=starts, exclude=excluded, shift=shift, trend=trend)
    expected = brute_force_mdc(result, excluded, shift, trend)
    assert [set(p.rules) for p in result.points] == expected


@PROPS
@given(charts())
def test_anhoej_rules_match_brute_force(chart: tuple[list[float], list[int], set[int]]) -> None:
    values, starts, excluded = chart
    result = control_chart(values, phases=starts, exclude=excluded, rules="anhoej")
    for stats in result.phase_stats:
        useful = [
            p
            for p in result.points[stats.start : stats.stop]
            if p.index not in excluded and p.value != p.centre
        ]
        sides = [p.value > p.centre for p in useful]
        crossings = sum(1 for a, b in pairwise(sides) if a != b)
        assert stats.useful_observations == len(useful)
        assert stats.crossings == crossings
        if useful:
            assert stats.runs == crossings + 1
            assert stats.crossings_limit == exact_binomial_q05(len(useful) - 1)
        # Which useful points lie in a run longer than the limit?
        long_points: set[int] = set()
        start = 0
        for end in range(1, len(useful) + 1):
            if end == len(useful) or sides[end] != sides[start]:
                if stats.longest_run_limit is not None and end - start > stats.longest_run_limit:
                    long_points |= {p.index for p in useful[start:end]}
                start = end
        few = stats.crossings_limit is not None and crossings < stats.crossings_limit
        for p in result.points[stats.start : stats.stop]:
            assert ("long_run" in p.rules) == (p.index in long_points)
            assert ("few_crossings" in p.rules) == (few and p in useful)
            assert {"shift", "trend", "two_of_three"}.isdisjoint(p.rules)


@PROPS
@given(charts())
def test_xmr_limits_are_symmetric_and_centred(
    chart: tuple[list[float], list[int], set[int]],
) -> None:
    values, starts, excluded = chart
    result = control_chart(values, phases=starts, exclude=excluded)
    for stats in result.phase_stats:
        used = [values[i] for i in range(stats.start, stats.stop) if i not in excluded]
        assert min(used) <= stats.centre <= max(used)
        for p in result.points[stats.start : stats.stop]:
            assert p.centre == stats.centre
            if not math.isnan(p.ucl):
                assert p.ucl - p.centre == approx(p.centre - p.lcl)
                assert p.ucl >= p.centre


def _lines_of(point: Any, sign: float = 1.0) -> tuple[float | None, ...]:
    """A point's (lower limit, centre, upper limit), times ``sign``; a line the point does
    not have (NaN: one point alone in its phase) is None, so missing lines compare equal."""
    return tuple(
        None if v is None or math.isnan(v) else sign * v
        for v in (point.lcl, point.centre, point.ucl)
    )


@PROPS
@given(charts(), st.lists(numbers, min_size=60, max_size=60))
def test_excluded_values_do_not_move_the_lines(
    chart: tuple[list[float], list[int], set[int]], replacements: list[float]
) -> None:
    values, starts, excluded = chart
    changed = [replacements[i] if i in excluded else v for i, v in enumerate(values)]
    a = control_chart(values, phases=starts, exclude=excluded)
    b = control_chart(changed, phases=starts, exclude=excluded)
    for p, q in zip(a.points, b.points, strict=True):
        assert _lines_of(p) == _lines_of(q)
    assert [s.anhoej_signal for s in a.phase_stats] == [s.anhoej_signal for s in b.phase_stats]


@PROPS
@given(
    st.lists(numbers, min_size=2, max_size=30),
    st.lists(numbers, min_size=1, max_size=30),
    st.lists(numbers, min_size=1, max_size=30),
)
def test_phases_isolate_their_lines(
    first: list[float], second: list[float], other_first: list[float]
) -> None:
    a = control_chart(first + second, phases=[len(first)], chart="xmr")
    b = control_chart(other_first + second, phases=[len(other_first)], chart="xmr")
    sa, sb = a.phase_stats[-1], b.phase_stats[-1]
    assert (sa.centre, sa.mean_moving_range, sa.useful_observations, sa.crossings) == (
        sb.centre,
        sb.mean_moving_range,
        sb.useful_observations,
        sb.crossings,
    )


@PROPS
@given(charts())
def test_negating_the_data_mirrors_the_chart(
    chart: tuple[list[float], list[int], set[int]],
) -> None:
    values, starts, excluded = chart
    up = control_chart(values, phases=starts, exclude=excluded, improvement="increase")
    down = control_chart(
        [-v for v in values], phases=starts, exclude=excluded, improvement="decrease"
    )
    for p, q in zip(up.points, down.points, strict=True):
        assert p.rules == q.rules
        assert p.point_type == q.point_type
        assert _lines_of(q) == _lines_of(p, sign=-1)[::-1]
    assert up.variation.replace("high", "x").replace("low", "high").replace("x", "low") == (
        down.variation
    )


@PROPS
@given(charts(), st.sampled_from([2.0, 0.5, 1024.0]))
def test_scaling_by_a_power_of_two_changes_nothing(
    chart: tuple[list[float], list[int], set[int]], factor: float
) -> None:
    values, starts, excluded = chart
    a = control_chart(values, phases=starts, exclude=excluded)
    b = control_chart([v * factor for v in values], phases=starts, exclude=excluded)
    assert [p.rules for p in a.points] == [p.rules for p in b.points]


@PROPS
@given(charts())
def test_improvement_direction_swaps_improvement_and_concern(
    chart: tuple[list[float], list[int], set[int]],
) -> None:
    values, starts, excluded = chart
    up = control_chart(values, phases=starts, exclude=excluded, improvement="increase")
    down = control_chart(values, phases=starts, exclude=excluded, improvement="decrease")
    neutral = control_chart(values, phases=starts, exclude=excluded)
    swap = {
        "special_cause_improvement": "special_cause_concern",
        "special_cause_concern": "special_cause_improvement",
        "common_cause": "common_cause",
    }
    for p, q, r in zip(up.points, down.points, neutral.points, strict=True):
        assert p.rules == q.rules == r.rules
        assert q.point_type in (swap[p.point_type], "special_cause_improvement")
        assert r.point_type == ("common_cause" if not r.rules else "special_cause_neutral")


@PROPS
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=30)),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["p", "u"]),
)
def test_proportion_and_rate_limits(pairs: list[tuple[int, int]], chart: str) -> None:
    counts = [min(x, n) if chart == "p" else x for x, n in pairs]
    sizes = [n for _, n in pairs]
    result = control_chart(counts, chart=chart, denominators=sizes)  # type: ignore[arg-type]
    total = Fraction(sum(counts), sum(sizes))
    for p in result.points:
        assert p.centre == approx(float(total))
        assert 0.0 <= p.lcl <= p.centre <= p.ucl
        if chart == "p":
            assert p.ucl <= 1.0


@st.composite
def run_charts(draw: st.DrawFn) -> tuple[list[float], set[int]]:
    values = draw(series)
    excluded = draw(st.sets(st.integers(min_value=0, max_value=len(values) - 1), max_size=5))
    assume(len(excluded) < len(values))
    return values, excluded


def brute_force_ihi_trends(values: list[float], kept: list[int]) -> list[tuple[int, int]]:
    """Group equal neighbours, then find maximal runs of groups going one way."""
    groups: list[tuple[float, int, int]] = []  # (value, first index, last index)
    for i in kept:
        if groups and groups[-1][0] == values[i]:
            groups[-1] = (groups[-1][0], groups[-1][1], i)
        else:
            groups.append((values[i], i, i))
    found = []
    for direction in (1, -1):
        start = 0
        for end in range(1, len(groups) + 1):
            if end == len(groups) or (groups[end][0] - groups[end - 1][0]) * direction <= 0:
                if end - start >= 5:
                    found.append((groups[start][1], groups[end - 1][2]))
                start = end
    return sorted(found)


@PROPS
@given(run_charts())
def test_run_chart_rules_match_brute_force(chart: tuple[list[float], set[int]]) -> None:
    values, excluded = chart
    kept = [i for i in range(len(values)) if i not in excluded]
    result = run_chart(values, exclude=excluded)
    ordered = sorted(values[i] for i in kept)
    assert ordered[0] <= result.centre <= ordered[-1]
    assert sum(v < result.centre for v in ordered) <= len(ordered) / 2
    assert sum(v > result.centre for v in ordered) <= len(ordered) / 2
    useful = [i for i in kept if values[i] != result.centre]
    assert result.useful_observations == len(useful)
    sides = [values[i] > result.centre for i in useful]
    crossings = sum(1 for a, b in pairwise(sides) if a != b)
    assert result.crossings == crossings
    assert result.runs == (crossings + 1 if useful else 0)
    spans = []
    start = 0
    for end in range(1, len(useful) + 1):
        if end == len(useful) or sides[end] != sides[start]:
            if end - start >= 6:
                spans.append((useful[start], useful[end - 1]))
            start = end
    assert result.shifts == spans
    assert result.trends == brute_force_ihi_trends(values, kept)
    assert result.longest_run <= result.useful_observations
    assert result.signal == any((result.shifts, result.trends, result.runs_signal))


@PROPS
@given(run_charts())
def test_anhoej_run_chart_matches_control_chart_statistics(
    chart: tuple[list[float], set[int]],
) -> None:
    values, excluded = chart
    result = run_chart(values, exclude=excluded, rules="anhoej")
    assert result.trends == []
    if result.longest_run_limit is not None:
        assert result.signal == any(
            (
                result.longest_run > result.longest_run_limit,
                result.crossings < (result.crossings_limit or 0),
            )
        )
        assert all(last - first + 1 > result.longest_run_limit for first, last in result.shifts)


# ---------------------------------------------------------------------------------------
# A million points: correct when every point is read (the time is bench/spc_engine.py's)


def test_a_million_points() -> None:
    # Every point read the way the measure page reads it (improvement/charts.py), and
    # checked against what the data must give: 0 to 16 repeated, mean about 8, mean moving
    # range about (16 × 1 + 16) / 17, so 0, 1, 2 and 14, 15, 16 lie outside the limits.
    # (The run rules would flag nearly every point of such a regular pattern.)
    n = 1_000_000
    values = [float(i % 17) for i in range(n)]
    chart = control_chart(values, rules="shewhart", improvement="increase")
    assert len(chart.points) == n
    mean = math.fsum(values) / n
    half = spc.XMR_LIMIT_FACTOR * math.fsum(abs(b - a) for a, b in pairwise(values)) / (n - 1)
    outside = {"improvement": 0, "concern": 0}
    total = 0.0
    for i, point in enumerate(chart.points):
        value, centre, lcl, ucl = point.value, point.centre, point.lcl, point.ucl
        point_type, rules, excluded = point.point_type, point.rules, point.excluded
        assert point.index == i and value == values[i] and not excluded
        total += value
        if rules:
            assert rules == ("outside_limits",)
            outside["improvement" if point_type == "special_cause_improvement" else "concern"] += 1
    assert total == math.fsum(values)
    assert (centre, lcl, ucl) == (approx(mean), approx(mean - half), approx(mean + half))
    low = sum(1 for v in values if v < mean - half)
    high = sum(1 for v in values if v > mean + half)
    assert (low, high) == (
        sum(1 for i in range(n) if i % 17 < 3),
        sum(1 for i in range(n) if i % 17 > 13),
    )
    assert outside == {"improvement": high, "concern": low}
    run = run_chart(values)
    assert run.n == n
    assert run.runs_lower_limit is not None
    assert run.runs_limits_source == "extension"
