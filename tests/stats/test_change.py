"""``stats.change.compare_proportions``: Newcombe's worked examples, scipy as the oracle for
Fisher's exact test and the Wilson intervals, and properties that must hold for any counts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest, fisher_exact

from howgood.stats.change import compare_proportions

# Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10 (hybrid score, no
# continuity correction): (then x, n, now x, n) -> (difference, lower, upper), 4 places.
NEWCOMBE = [
    ((48, 80, 56, 70), (0.2000, 0.0524, 0.3339)),
    ((3, 10, 9, 10), (0.6000, 0.1705, 0.8090)),
    ((2, 7, 6, 7), (0.5714, 0.0582, 0.8062)),
    ((0, 29, 5, 56), (0.0893, -0.0381, 0.1926)),
    ((0, 20, 0, 10), (0.0000, -0.1611, 0.2775)),
    ((0, 10, 0, 10), (0.0000, -0.2775, 0.2775)),
    ((0, 20, 10, 10), (1.0000, 0.6791, 1.0000)),
    ((0, 10, 10, 10), (1.0000, 0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE)
def test_newcombes_worked_examples(
    counts: tuple[int, int, int, int], expected: tuple[float, ...]
) -> None:
    found = compare_proportions(*counts)
    assert (round(found.difference, 4), round(found.ci_low, 4), round(found.ci_high, 4)) == expected


def test_the_issues_example_is_unlikely_to_be_chance() -> None:
    found = compare_proportions(15, 31, 24, 30)
    assert (found.p1, found.p2) == (15 / 31, 24 / 30)
    assert round(found.difference, 4) == 0.3161
    assert found.p_value == pytest.approx(0.015940776546825006, rel=1e-12)
    assert found.p_value == pytest.approx(fisher_exact([[15, 16], [24, 6]]).pvalue, rel=1e-12)
    assert not found.includes_no_change
    assert compare_proportions(15, 31, 17, 30).includes_no_change


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 0, 1, 2), "then: the total must be at least 1, not 0"),
        ((1, 2, 0, -3), "now: the total must be at least 1, not -3"),
        ((3, 2, 1, 2), "then: the count must be between 0 and 2, not 3"),
        ((1, 2, -1, 2), "now: the count must be between 0 and 2, not -1"),
        ((1.0, 2, 1, 2), "then: counts must be whole numbers"),
        ((True, 2, 1, 2), "then: counts must be whole numbers"),
    ],
)
def test_bad_counts_are_refused(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compare_proportions(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1])
def test_a_confidence_outside_zero_and_one_is_refused(confidence: float) -> None:
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        compare_proportions(1, 2, 1, 2, confidence=confidence)


def scipy_newcombe(x1: int, n1: int, x2: int, n2: int, confidence: float) -> tuple[float, float]:
    """Newcombe's method 10 built from scipy's Wilson intervals: an independent oracle."""
    a = binomtest(x1, n1).proportion_ci(confidence_level=confidence, method="wilson")
    b = binomtest(x2, n2).proportion_ci(confidence_level=confidence, method="wilson")
    p1, p2 = x1 / n1, x2 / n2
    d = p2 - p1
    low = d - math.sqrt((p2 - b.low) ** 2 + (a.high - p1) ** 2)
    high = d + math.sqrt((b.high - p2) ** 2 + (p1 - a.low) ** 2)
    return low, high


@st.composite
def rounds(draw: st.DrawFn) -> tuple[int, int, int, int]:
    n1 = draw(st.integers(1, 300))
    n2 = draw(st.integers(1, 300))
    return draw(st.integers(0, n1)), n1, draw(st.integers(0, n2)), n2


@settings(max_examples=300, deadline=None)
@given(rounds(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_agrees_with_scipy_for_any_counts(
    counts: tuple[int, int, int, int], confidence: float
) -> None:
    x1, n1, x2, n2 = counts
    found = compare_proportions(x1, n1, x2, n2, confidence=confidence)
    low, high = scipy_newcombe(x1, n1, x2, n2, confidence)
    assert found.ci_low == pytest.approx(low, abs=1e-9)
    assert found.ci_high == pytest.approx(high, abs=1e-9)
    expected = fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue
    assert found.p_value == pytest.approx(expected, rel=1e-9, abs=1e-300)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_properties_of_the_interval_and_the_test(counts: tuple[int, int, int, int]) -> None:
    x1, n1, x2, n2 = counts
    found = compare_proportions(x1, n1, x2, n2)
    assert -1 <= found.ci_low <= found.difference <= found.ci_high <= 1
    assert 0 < found.p_value <= 1
    # Then and now swapped: the same evidence, the other way round.
    swapped = compare_proportions(x2, n2, x1, n1)
    assert swapped.difference == pytest.approx(-found.difference, abs=1e-12)
    assert (swapped.ci_low, swapped.ci_high) == pytest.approx(
        (-found.ci_high, -found.ci_low), abs=1e-12
    )
    assert swapped.p_value == pytest.approx(found.p_value, rel=1e-12)
    # More confidence, a wider interval.
    wider = compare_proportions(x1, n1, x2, n2, confidence=0.99)
    assert wider.ci_low <= found.ci_low + 1e-12 and wider.ci_high >= found.ci_high - 1e-12
