"""Group comparisons: Kruskal–Wallis, Mann–Whitney, Holm, Benjamini–Hochberg, chi-square.

Reference values: printed chi-square table critical values; the Kruskal–Wallis examples in
R's ``kruskal.test`` help (Hollander & Wolfe 1973, p. 116: H = 0.7714, p = 0.68) and in
SciPy's ``kruskal`` docs (a tied example whose H = 7 exactly, worked by hand below);
SciPy's ``mannwhitneyu`` docs example (U = 17, asymptotic p = 0.11134688653314041);
R's ``p.adjust`` definitions worked by hand. numpy (not scipy, which is not installed)
restates the formulas independently as a cross-check.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from howgood.stats.groups import (
    TestResult,
    benjamini_hochberg,
    chi2_sf,
    holm,
    kruskal_wallis,
    kruskal_wallis_counts,
    mann_whitney,
    normal_sf,
    p_as_shown,
)

# Deadlines off: timings are unreliable while the whole suite runs in parallel.
PROPS = settings(deadline=None, max_examples=150)

likert = st.integers(min_value=1, max_value=5)
answers = st.lists(likert, min_size=1, max_size=25)
p_value = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


# ---------------------------------------------------------------------------------------
# Independent restatements (numpy / exact fractions)


def np_midranks(values: np.ndarray) -> np.ndarray:
    """Mid-ranks by counting: (# smaller) + (# equal + 1) / 2."""
    smaller = (values[None, :] < values[:, None]).sum(axis=1)
    equal = (values[None, :] == values[:, None]).sum(axis=1)
    return np.asarray(smaller + (equal + 1) / 2.0, dtype=float)


def np_kruskal_h(groups: Sequence[Sequence[float]]) -> float:
    """H as the between-group share of the rank variance (equivalent to the tie-corrected
    formula): H = (N − 1) Σ nᵢ (r̄ᵢ − r̄)² / Σ (r − r̄)²."""
    pooled = np.concatenate([np.asarray(g, dtype=float) for g in groups])
    ranks = np_midranks(pooled)
    mean = ranks.mean()
    total = ((ranks - mean) ** 2).sum()
    between = 0.0
    start = 0
    for g in groups:
        part = ranks[start : start + len(g)]
        between += len(g) * (part.mean() - mean) ** 2
        start += len(g)
    return float((len(pooled) - 1) * between / total)


def exact_kruskal_h(groups: Sequence[Sequence[int]]) -> Fraction:
    """The textbook formula in exact arithmetic."""
    pooled = sorted(v for g in groups for v in g)
    n = len(pooled)
    rank_of: dict[int, Fraction] = {}
    ties = 0
    for value in set(pooled):
        first = pooled.index(value) + 1
        t = pooled.count(value)
        rank_of[value] = Fraction(2 * first + t - 1, 2)
        ties += t**3 - t
    h0 = Fraction(12, n * (n + 1)) * sum(
        (sum((rank_of[v] for v in g), Fraction(0)) ** 2 / len(g) for g in groups),
        Fraction(0),
    ) - 3 * (n + 1)
    return h0 / (1 - Fraction(ties, n**3 - n))


def chi2_sf_closed_form(x: float, df: int) -> float:
    """Q(df/2, x/2) by the recurrence Q(a + 1, y) = Q(a, y) + yᵃ e^(−y) / Γ(a + 1),
    starting from Q(1, y) = e^(−y) (even df) or Q(½, y) = erfc(√y) (odd df)."""
    y = x / 2.0
    if df % 2 == 0:
        a, q = 1.0, math.exp(-y)
    else:
        a, q = 0.5, math.erfc(math.sqrt(y))
    while a < df / 2.0:
        q += math.exp(a * math.log(y) - y - math.lgamma(a + 1.0)) if y > 0 else 0.0
        a += 1.0
    return q


# ---------------------------------------------------------------------------------------
# chi2_sf and normal_sf


@pytest.mark.parametrize(
    ("x", "df", "p"),
    [
        (3.841, 1, 0.05),
        (6.635, 1, 0.01),
        (5.991, 2, 0.05),
        (9.210, 2, 0.01),
        (7.815, 3, 0.05),
        (9.488, 4, 0.05),
        (11.070, 5, 0.05),
        (15.086, 5, 0.01),
        (18.307, 10, 0.05),
        (23.209, 10, 0.01),
        (124.342, 100, 0.05),
    ],
)
def test_chi2_sf_matches_printed_table(x: float, df: int, p: float) -> None:
    assert chi2_sf(x, df) == pytest.approx(p, abs=5e-5)


def test_chi2_sf_known_closed_forms() -> None:
    assert chi2_sf(2.0, 2) == pytest.approx(math.exp(-1.0), rel=1e-13)
    assert chi2_sf(1.0, 1) == pytest.approx(math.erfc(math.sqrt(0.5)), rel=1e-13)
    assert chi2_sf(0.0, 3) == 1.0
    assert chi2_sf(-1.0, 3) == 1.0
    assert chi2_sf(math.inf, 3) == 0.0
    # Far tail: the continued fraction keeps relative accuracy (no 1 − P cancellation).
    assert chi2_sf(200.0, 2) == pytest.approx(math.exp(-100.0), rel=1e-12)


@pytest.mark.parametrize("df", [0, -1, 1.5, True])
def test_chi2_sf_rejects_bad_df(df: object) -> None:
    with pytest.raises(ValueError):
        chi2_sf(1.0, df)  # type: ignore[arg-type]


def test_chi2_sf_rejects_nan() -> None:
    with pytest.raises(ValueError):
        chi2_sf(math.nan, 1)


@PROPS
@given(x=st.floats(min_value=0.0, max_value=300.0, allow_nan=False), df=st.integers(1, 60))
def test_chi2_sf_matches_closed_form(x: float, df: int) -> None:
    got = chi2_sf(x, df)
    assert 0.0 <= got <= 1.0
    assert got == pytest.approx(chi2_sf_closed_form(x, df), rel=1e-9, abs=1e-14)


@PROPS
@given(x=st.floats(min_value=0.0, max_value=100.0), df=st.integers(1, 30))
def test_chi2_sf_decreasing_in_x_increasing_in_df(x: float, df: int) -> None:
    assert chi2_sf(x + 0.5, df) <= chi2_sf(x, df) + 1e-15
    assert chi2_sf(x, df + 1) >= chi2_sf(x, df) - 1e-15


def test_normal_sf() -> None:
    assert normal_sf(0.0) == 0.5
    assert normal_sf(1.959963984540054) == pytest.approx(0.025, rel=1e-12)
    assert normal_sf(-1.959963984540054) == pytest.approx(0.975, rel=1e-12)
    assert normal_sf(10.0) == pytest.approx(7.619853024160527e-24, rel=1e-9)
    with pytest.raises(ValueError):
        normal_sf(math.nan)


# ---------------------------------------------------------------------------------------
# Kruskal–Wallis


def test_kruskal_wallis_hollander_wolfe_example() -> None:
    """R's ``kruskal.test`` example: H = 0.77143, df = 2, p-value = 0.68 (no ties)."""
    result = kruskal_wallis(
        {
            "normal": [2.9, 3.0, 2.5, 2.6, 3.2],
            "copd": [3.8, 2.7, 4.0, 2.4],
            "asbestosis": [2.8, 3.4, 3.7, 2.2, 2.0],
        }
    )
    assert result.statistic == pytest.approx(0.771428571, rel=1e-8)  # = 27/35
    assert result.df == 2
    assert result.p_value == pytest.approx(math.exp(-27 / 70), rel=1e-12)  # 0.6800
    assert round(result.p_value, 2) == 0.68
    assert result.n == 14
    assert result.effect_size == pytest.approx((27 / 35) / 13)
    assert result.effect_name == "epsilon squared"
    assert result.test == "Kruskal–Wallis"
    assert result.magnitude == "small"  # 0.059


def test_kruskal_wallis_tied_example() -> None:
    """SciPy's ``kruskal`` docs: [1,1,1], [2,2,2], [2,2] gives H = 7.0, p = 0.0302.

    By hand: N = 8; the 1s share ranks 1–3 (mid-rank 2), the 2s ranks 4–8 (mid-rank 6).
    R = 6, 18, 12; Σ R²/n = 12 + 108 + 72 = 192; H₀ = 12/72 · 192 − 27 = 5;
    C = 1 − (24 + 120)/504 = 5/7; H = 7; p = e^(−3.5) (df = 2).
    """
    result = kruskal_wallis({"x": [1, 1, 1], "y": [2, 2, 2], "z": [2, 2]})
    assert result.statistic == pytest.approx(7.0, rel=1e-12)
    assert result.p_value == pytest.approx(0.0301973834223185, rel=1e-12)
    assert result.effect_size == pytest.approx(1.0)
    assert result.magnitude == "large"


def test_kruskal_wallis_likert_example_by_exact_formula() -> None:
    groups = {
        "health": [5, 4, 4, 3, 5, 4, 2],
        "social work": [3, 3, 2, 4, 1, 2, 3, 3],
        "education": [4, 4, 5, 3, 4, 5],
        "police": [],
    }
    result = kruskal_wallis(groups)
    expected = exact_kruskal_h([g for g in groups.values() if g])
    assert result.statistic == pytest.approx(float(expected), rel=1e-12)
    assert result.df == 2  # the empty group is dropped
    assert result.n == 21


def test_kruskal_wallis_all_answers_equal() -> None:
    result = kruskal_wallis({"a": [3, 3], "b": [3, 3, 3]})
    assert (result.statistic, result.p_value, result.effect_size) == (0.0, 1.0, 0.0)
    assert result.magnitude == "negligible"


@pytest.mark.parametrize(
    "groups",
    [{}, {"a": [1, 2, 3]}, {"a": [1, 2], "b": []}],
)
def test_kruskal_wallis_needs_two_groups(groups: dict[str, list[float]]) -> None:
    with pytest.raises(ValueError):
        kruskal_wallis(groups)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_kruskal_wallis_rejects_non_finite(bad: float) -> None:
    with pytest.raises(ValueError):
        kruskal_wallis({"a": [1, bad], "b": [2, 3]})


@PROPS
@given(st.lists(answers, min_size=2, max_size=6))
def test_kruskal_wallis_matches_numpy_and_bounds(samples: list[list[int]]) -> None:
    groups = {f"g{i}": s for i, s in enumerate(samples)}
    result = kruskal_wallis(groups)
    assert 0.0 <= result.p_value <= 1.0
    assert 0.0 <= result.effect_size <= 1.0
    assert result.df == len(samples) - 1
    assert result.n == sum(map(len, samples))
    assert result.p_value == chi2_sf(result.statistic, len(samples) - 1)
    if len({v for s in samples for v in s}) > 1:
        assert result.statistic == pytest.approx(np_kruskal_h(samples), rel=1e-9, abs=1e-9)
    else:
        assert result.statistic == 0.0


@PROPS
@given(st.lists(st.lists(st.integers(0, 40), min_size=5, max_size=5), min_size=2, max_size=6))
def test_kruskal_wallis_counts_equals_the_test_on_expanded_answers(table: list[list[int]]) -> None:
    """A table of counts per scale point gives exactly the test of the answers it counts."""
    assume(sum(1 for row in table if sum(row)) >= 2)
    counts = {f"g{i}": row for i, row in enumerate(table)}
    expanded = {
        name: [code for code, n in enumerate(row, start=1) for _ in range(n)]
        for name, row in counts.items()
    }
    from_counts = kruskal_wallis_counts(counts)
    from_answers = kruskal_wallis(expanded)
    assert from_counts.n == from_answers.n and from_counts.df == from_answers.df
    assert from_counts.statistic == pytest.approx(from_answers.statistic, rel=1e-9, abs=1e-9)
    assert from_counts.p_value == pytest.approx(from_answers.p_value, rel=1e-9, abs=1e-12)
    assert from_counts.magnitude == from_answers.magnitude


def test_kruskal_wallis_counts_scipy_tied_example() -> None:
    """SciPy's tied example [1,1,1], [2,2,2], [2,2] as counts per answer: H = 7."""
    result = kruskal_wallis_counts({"x": [3, 0], "y": [0, 3], "z": [0, 2]})
    assert result.statistic == pytest.approx(7.0) and result.df == 2


@pytest.mark.parametrize(
    "table",
    [
        {"a": [1, 2]},
        {"a": [0, 0], "b": [1, 2]},
        {"a": [1, 2], "b": [1]},
        {"a": [1, -1], "b": [1, 1]},
    ],
)
def test_kruskal_wallis_counts_refuses_bad_tables(table: dict[str, list[int]]) -> None:
    with pytest.raises(ValueError):
        kruskal_wallis_counts(table)


@PROPS
@given(st.lists(answers, min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_kruskal_wallis_invariant_to_relabelling(
    samples: list[list[int]], rnd: random.Random
) -> None:
    first = kruskal_wallis({f"g{i}": s for i, s in enumerate(samples)})
    names = [f"name {i}" for i in range(len(samples))]
    rnd.shuffle(names)
    shuffled = [list(s) for s in samples]
    for s in shuffled:
        rnd.shuffle(s)
    second = kruskal_wallis(dict(zip(names, shuffled, strict=True)))
    assert second.statistic == pytest.approx(first.statistic, rel=1e-9, abs=1e-12)
    assert second.p_value == pytest.approx(first.p_value, rel=1e-9, abs=1e-12)


@PROPS
@given(answers, st.integers(2, 6))
def test_kruskal_wallis_identical_groups_large_p(sample: list[int], k: int) -> None:
    result = kruskal_wallis({f"g{i}": list(sample) for i in range(k)})
    assert result.statistic == pytest.approx(0.0, abs=1e-9)
    assert result.p_value > 0.99


@PROPS
@given(st.lists(st.lists(likert, min_size=8, max_size=15), min_size=2, max_size=4))
def test_kruskal_wallis_shifted_group_small_p(samples: list[list[int]]) -> None:
    groups = {f"g{i}": s for i, s in enumerate(samples)}
    groups["g0"] = [v + 10 for v in groups["g0"]]
    assert kruskal_wallis(groups).p_value < 0.01


@PROPS
@given(answers, answers)
def test_kruskal_wallis_two_groups_is_uncorrected_mann_whitney_z_squared(
    a: list[int], b: list[int]
) -> None:
    assume(len(set(a + b)) > 1)
    pooled = np.asarray(a + b, dtype=float)
    n1, n2, n = len(a), len(b), len(a) + len(b)
    u1 = np_midranks(pooled)[:n1].sum() - n1 * (n1 + 1) / 2
    ties = sum(c**3 - c for c in np.unique(pooled, return_counts=True)[1])
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    z2 = (u1 - n1 * n2 / 2) ** 2 / variance
    assert kruskal_wallis({"a": a, "b": b}).statistic == pytest.approx(z2, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------------------
# Mann–Whitney


def test_mann_whitney_scipy_docs_example() -> None:
    """SciPy ``mannwhitneyu`` docs: U = 17, asymptotic (continuity-corrected) p = 0.1113.

    By hand: n₁ = 5, n₂ = 4, μ = 10, σ² = 20 · 10/12; z = (17 − 10 − ½)/σ = 1.5922.
    """
    result = mann_whitney([19, 22, 16, 29, 24], [20, 11, 17, 12])
    assert result.statistic == 17.0
    assert result.p_value == pytest.approx(0.11134688653314041, rel=1e-10)
    assert result.effect_size == pytest.approx(2 * 17 / 20 - 1)  # 0.7: a tends higher
    assert result.effect_name == "rank-biserial correlation"
    assert result.magnitude == "large"
    assert result.df is None
    assert result.n == 9
    assert result.test == "Mann–Whitney"


def test_mann_whitney_tied_likert_example_by_hand() -> None:
    """a = 1,2,2,3,4 and b = 3,4,4,5,5 (N = 10).

    Mid-ranks: 1→1, 2→2.5, 3→4.5, 4→7, 5→9.5. R₁ = 1 + 2.5 + 2.5 + 4.5 + 7 = 17.5,
    U₁ = 17.5 − 15 = 2.5 (pairs a > b: 0 + ties: 3=3, 4=4 twice → 2.5 counting halves).
    Ties Σ(t³ − t) = 6 + 6 + 24 + 6 = 42; σ² = 25/12 · (11 − 42/90) = 21.9444…;
    z = (12.5 − 2.5 − 0.5)/σ = 2.02797; p = 2·(1 − Φ(z)) = 0.04257.
    """
    result = mann_whitney([1, 2, 2, 3, 4], [3, 4, 4, 5, 5])
    assert result.statistic == 2.5
    sigma = math.sqrt(25 / 12 * (11 - 42 / 90))
    assert result.p_value == pytest.approx(math.erfc(9.5 / sigma / math.sqrt(2)), rel=1e-12)
    assert result.p_value == pytest.approx(0.04257, abs=5e-5)
    assert result.effect_size == pytest.approx(-0.8)  # b tends higher: negative
    assert result.magnitude == "large"


def test_mann_whitney_all_equal_and_empty() -> None:
    result = mann_whitney([2, 2], [2, 2, 2])
    assert (result.p_value, result.effect_size, result.magnitude) == (1.0, 0.0, "negligible")
    with pytest.raises(ValueError):
        mann_whitney([], [1, 2])
    with pytest.raises(ValueError):
        mann_whitney([1], [math.nan])


@PROPS
@given(answers, answers)
def test_mann_whitney_matches_pair_counting(a: list[int], b: list[int]) -> None:
    result = mann_whitney(a, b)
    x = np.asarray(a)[:, None]
    y = np.asarray(b)[None, :]
    u1 = float((x > y).sum() + 0.5 * (x == y).sum())
    assert result.statistic == pytest.approx(u1)
    assert 0.0 <= result.p_value <= 1.0
    assert -1.0 <= result.effect_size <= 1.0
    assert result.effect_size == pytest.approx(float((x > y).mean() - (x < y).mean()))
    swapped = mann_whitney(b, a)
    assert swapped.p_value == pytest.approx(result.p_value)
    assert swapped.effect_size == pytest.approx(-result.effect_size)


@PROPS
@given(answers)
def test_mann_whitney_identical_samples_p_one(sample: list[int]) -> None:
    assert mann_whitney(sample, list(sample)).p_value == 1.0


@PROPS
@given(st.lists(likert, min_size=6, max_size=20), st.lists(likert, min_size=6, max_size=20))
def test_mann_whitney_shifted_small_p(a: list[int], b: list[int]) -> None:
    result = mann_whitney(a, [v + 10 for v in b])
    assert result.p_value < 0.01
    assert result.effect_size == -1.0


# ---------------------------------------------------------------------------------------
# Holm and Benjamini–Hochberg


def test_adjustments_by_hand() -> None:
    ps = [0.01, 0.02, 0.03, 0.04, 0.05]
    # Holm: 5·0.01, 4·0.02, 3·0.03, max(2·0.04, 0.09), max(0.05, 0.09).
    assert holm(ps) == pytest.approx([0.05, 0.08, 0.09, 0.09, 0.09])
    # BH: every m/i · p₍ᵢ₎ is 0.05.
    assert benjamini_hochberg(ps) == pytest.approx([0.05] * 5)
    # Unsorted input keeps its order; values above 1 are capped.
    ps2 = [0.04, 0.001, 0.03, 0.5]
    assert holm(ps2) == pytest.approx([0.09, 0.004, 0.09, 0.5])
    assert benjamini_hochberg(ps2) == pytest.approx([0.04 * 4 / 3, 0.004, 0.04 * 4 / 3, 0.5])
    assert holm([0.6, 0.7]) == [1.0, 1.0]
    assert holm([]) == [] and benjamini_hochberg([]) == []
    assert holm([0.3]) == [0.3] and benjamini_hochberg([0.3]) == [0.3]


@pytest.mark.parametrize("bad", [-0.1, 1.1, math.nan])
def test_adjustments_reject_bad_p(bad: float) -> None:
    with pytest.raises(ValueError):
        holm([0.1, bad])
    with pytest.raises(ValueError):
        benjamini_hochberg([0.1, bad])


@PROPS
@given(st.lists(p_value, max_size=30))
def test_adjustment_properties(ps: list[float]) -> None:
    h = holm(ps)
    bh = benjamini_hochberg(ps)
    assert len(h) == len(bh) == len(ps)
    for raw, adj_h, adj_bh in zip(ps, h, bh, strict=True):
        assert raw <= adj_h <= 1.0
        assert raw <= adj_bh * (1 + 1e-12) and adj_bh <= 1.0
        assert adj_bh <= adj_h * (1 + 1e-12)
    for i in range(len(ps)):
        for j in range(len(ps)):
            if ps[i] <= ps[j]:
                assert h[i] <= h[j]
                assert bh[i] <= bh[j]


# ---------------------------------------------------------------------------------------
# Words


def _result(p: float, magnitude: str = "medium") -> TestResult:
    return TestResult("Kruskal–Wallis", 9.0, 2, p, 0.1, "epsilon squared", 90, magnitude)


def test_in_words() -> None:
    assert _result(0.2).in_words(adjusted_p=0.003) == (
        "Services answered this differently (Kruskal–Wallis test, p = 0.003 after "
        "allowing for the number of questions; the difference is moderate)."
    )
    assert _result(0.01).in_words(adjusted_p=0.41) == (
        "No clear difference between services (p = 0.410 after allowing for the number "
        "of questions)."
    )
    assert _result(0.0004, "large").in_words() == (
        "Services answered this differently (Kruskal–Wallis test, p < 0.001; "
        "the difference is large)."
    )
    assert _result(0.05).in_words() == "No clear difference between services (p = 0.050)."
    assert _result(0.05).in_words(alpha=0.1).startswith("Services answered")
    assert _result(0.2).in_words(groups_noun="roles") == (
        "No clear difference between roles (p = 0.200)."
    )
    assert _result(0.001, "small").in_words(groups_noun="roles").startswith("Roles answered")


def test_in_words_validates() -> None:
    with pytest.raises(ValueError):
        _result(0.1).in_words(adjusted_p=1.5)
    with pytest.raises(ValueError):
        _result(0.1).in_words(alpha=0.0)


def test_result_is_frozen_and_not_collected() -> None:
    result = _result(0.1)
    with pytest.raises(AttributeError):
        result.p_value = 0.5  # type: ignore[misc]
    assert TestResult.__test__ is False


def test_a_difference_is_clear_only_when_p_as_shown_is_below_alpha() -> None:
    # 0.04995 is shown "p = 0.050": not below 0.05, whatever the digits after the third.
    assert p_as_shown(0.04995) == 0.05
    assert not _result(0.04995).is_clear()
    assert _result(0.04995).in_words() == "No clear difference between services (p = 0.050)."
    assert _result(0.04949).is_clear()
    assert _result(0.04949).in_words(groups_noun="roles") == (
        "Roles answered this differently (Kruskal–Wallis test, p = 0.049; the difference is "
        "moderate)."
    )
    assert p_as_shown(0.0004) == 0.0004
