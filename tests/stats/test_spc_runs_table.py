"""The IHI runs limits: every published row of Perla, Provost & Murray (2011) Table 1, and
what the engine does beyond the table (HowGood's extension above 60).

The published rows below were read off the table itself (BMJ Quality & Safety 20:46-51,
Table 1, "Checking for too many or too few runs on a run chart", 10 to 60 data points not
on the median; a copy is in the public notes of IHI's QI 104 course). They are typed here
separately from ``spc.IHI_RUNS_TABLE`` so that a slip in either shows.
"""

from __future__ import annotations

import math

import pytest

from howgood.stats import spc
from howgood.stats.spc import IHI_RUNS_TABLE, ihi_runs_limits, run_chart

# n useful observations: (lower, upper). Fewer runs than lower are too few; more runs than
# upper are too many.
PUBLISHED: dict[int, tuple[int, int]] = {
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


def arrangement(useful: int, runs: int) -> list[float]:
    """Values with exactly ``useful`` points off the median, split as evenly as possible
    (the extra one above), in exactly ``runs`` runs; for an odd ``useful`` two points sit
    on the median (0.0) so that it falls on a value. Only the levels -1, 0 and 1 occur, so
    no trend of five is possible."""
    below = useful // 2
    above = useful - below
    above_runs, below_runs = (runs + 1) // 2, runs // 2
    assert 1 <= above_runs <= above and below_runs <= below

    def lengths(total: int, parts: int) -> list[int]:
        return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]

    ups, downs = lengths(above, above_runs), lengths(below, below_runs) if below_runs else []
    values: list[float] = [0.0, 0.0] if useful % 2 else []
    for i in range(above_runs):
        values += [1.0] * ups[i]
        if i < below_runs:
            values += [-1.0] * downs[i]
    return values


def test_the_engine_table_is_the_published_table() -> None:
    assert IHI_RUNS_TABLE == PUBLISHED
    assert spc.IHI_TABLE_LAST == 60


@pytest.mark.parametrize(("useful", "limits"), sorted(PUBLISHED.items()))
def test_published_row(useful: int, limits: tuple[int, int]) -> None:
    lower, upper = limits
    assert ihi_runs_limits(useful) == limits
    expected = {
        lower - 1: "too few",
        lower: None,
        upper: None,
        upper + 1: "too many",
    }
    for runs, signal in expected.items():
        result = run_chart(arrangement(useful, runs))
        assert (result.useful_observations, result.runs) == (useful, runs)
        assert (result.runs_lower_limit, result.runs_upper_limit) == limits
        assert result.runs_limits_source == "published"
        assert result.trends == []
        assert result.runs_signal == signal, runs


def exact_limits(useful: int) -> tuple[int, int]:
    """Swed & Eisenhart at 5%, counted from scratch: m = ⌊n/2⌋ of one kind, k = n - m of
    the other; largest r with P(R ≤ r) ≤ 0.05 and smallest r with P(R ≥ r) ≤ 0.05."""
    m, k = useful // 2, useful - useful // 2

    def comb(a: int, b: int) -> int:
        return math.comb(a, b) if 0 <= b <= a else 0

    def ways(r: int) -> int:
        """Arrangements with exactly r runs (Swed & Eisenhart 1943)."""
        s = r // 2
        if r % 2 == 0:
            return 2 * comb(m - 1, s - 1) * comb(k - 1, s - 1)
        return comb(m - 1, s) * comb(k - 1, s - 1) + comb(m - 1, s - 1) * comb(k - 1, s)

    total = math.comb(useful, m)
    counts = [ways(r) for r in range(useful + 2)]
    lower = max(r for r in range(1, useful + 1) if 20 * sum(counts[: r + 1]) <= total)
    upper = min(r for r in range(2, useful + 2) if 20 * sum(counts[r:]) <= total)
    return lower, upper


@pytest.mark.parametrize("useful", [61, 62, 75, 100, 240, 999, 1000, 1001])
def test_above_the_table_the_limits_are_howgoods_extension(useful: int) -> None:
    lower, upper = exact_limits(useful)
    assert ihi_runs_limits(useful) == (lower, upper)
    for runs, signal in ((lower - 1, "too few"), (lower, None), (upper + 1, "too many")):
        result = run_chart(arrangement(useful, runs))
        assert result.runs == runs
        assert (result.runs_lower_limit, result.runs_upper_limit) == (lower, upper)
        assert result.runs_limits_source == "extension"
        assert result.runs_signal == signal


def test_the_extension_continues_the_table() -> None:
    # The published rows are an adaptation: from 10 to 60 the construction misses 15 of
    # them by one run, so the table is used wherever it exists.
    differing = [n for n in PUBLISHED if exact_limits(n) != PUBLISHED[n]]
    assert differing == [15, 17, 23, 25, 27, 29, 35, 37, 39, 41, 43, 55, 56, 57, 59]
    # Beyond it the limits keep growing, never falling back below the last row.
    previous = PUBLISHED[60]
    for n in range(61, 200):
        limits = ihi_runs_limits(n)
        assert limits is not None
        assert limits[0] >= previous[0] and limits[1] >= previous[1], n
        previous = limits


def test_no_limits_below_ten_or_under_anhoej() -> None:
    short = run_chart(arrangement(9, 2))
    assert (short.runs_lower_limit, short.runs_limits_source, short.runs_signal) == (
        None,
        None,
        None,
    )
    anhoej = run_chart(arrangement(27, 9), rules="anhoej")
    assert anhoej.runs_lower_limit is None and anhoej.runs_limits_source is None
