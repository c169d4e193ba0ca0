"""Percent agreement and Cohen's kappa (unweighted, linear, quadratic) between two readers.

Reference values are the published ones, each re-derived by hand in the test: the
Wikipedia "Cohen's kappa" worked examples and the values scikit-learn's own test suite
checks ``cohen_kappa_score`` against (Artstein & Poesio 2008, Computational Linguistics
34(4), Tables 1 and 4, and its none/linear/quadratic weighting example). scikit-learn is
not installed; its algorithm is restated in numpy below as a second, independent check.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import cast

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from howgood.stats.agreement import Weights, agreement_table, cohen_kappa, percent_agreement

# Deadlines off: timings are unreliable while the whole suite runs in parallel.
PROPS = settings(deadline=None)


def from_table(
    table: list[list[int]], labels: Sequence[Hashable]
) -> tuple[list[Hashable], list[Hashable]]:
    """Two readers' answers that give ``table`` (rows reader a, columns reader b)."""
    a: list[Hashable] = []
    b: list[Hashable] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [labels[i]] * count
            b += [labels[j]] * count
    return a, b


def kappa_by_hand(table: list[list[int]]) -> Fraction:
    """(pₒ − pₑ)/(1 − pₑ) from a table, exactly (Cohen 1960)."""
    n = sum(map(sum, table))
    k = len(table)
    p_o = Fraction(sum(table[i][i] for i in range(k)), n)
    rows = [Fraction(sum(table[i]), n) for i in range(k)]
    cols = [Fraction(sum(table[i][j] for i in range(k)), n) for j in range(k)]
    p_e = sum((rows[i] * cols[i] for i in range(k)), Fraction(0))
    return (p_o - p_e) / (1 - p_e)


# --- published examples ---------------------------------------------------------------


def test_wikipedia_grant_proposals() -> None:
    # 50 proposals, readers A and B say yes/no: 20 both yes, 15 both no, A yes/B no 5,
    # A no/B yes 10. pₒ = 35/50 = 0.7; A says yes 25/50, B says yes 30/50, so
    # pₑ = 0.5·0.6 + 0.5·0.4 = 0.5 and κ = (0.7 − 0.5)/(1 − 0.5) = 0.4.
    table = [[20, 5], [10, 15]]
    a, b = from_table(table, ["yes", "no"])
    assert agreement_table(a, b, ["yes", "no"]) == table
    assert percent_agreement(a, b) == 70.0
    assert kappa_by_hand(table) == Fraction(2, 5)
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)


@pytest.mark.parametrize(
    ("table", "percent", "expected"),
    [
        # Wikipedia "same percentage, different kappa": both pₒ = 0.60.
        # pₑ = 0.6·0.7 + 0.4·0.3 = 0.54 → κ = 0.06/0.46 = 0.1304
        ([[45, 15], [25, 15]], 60.0, 0.1304),
        # pₑ = 0.6·0.3 + 0.4·0.7 = 0.46 → κ = 0.14/0.54 = 0.2593
        ([[25, 35], [5, 35]], 60.0, 0.2593),
        # Artstein & Poesio Table 1 (scikit-learn's test: 0.348):
        # pₒ = 0.7, pₑ = 0.4·0.3 + 0.6·0.7 = 0.54 → κ = 0.16/0.46 = 0.3478
        ([[20, 20], [10, 50]], 70.0, 0.348),
    ],
)
def test_two_by_two_tables(table: list[list[int]], percent: float, expected: float) -> None:
    a, b = from_table(table, ["yes", "no"])
    assert percent_agreement(a, b) == pytest.approx(percent)
    assert float(kappa_by_hand(table)) == pytest.approx(expected, abs=5e-4)
    assert cohen_kappa(a, b) == pytest.approx(float(kappa_by_hand(table)), abs=1e-12)


def test_artstein_poesio_table_4_three_categories() -> None:
    # scikit-learn: y1 = [0]*46 + [1]*44 + [2]*10, y2 = [0]*52 + [1]*32 + [2]*16 → 0.8013.
    # Table: (0,0) 46; (1,0) 6; (1,1) 32; (1,2) 6; (2,2) 10. pₒ = 0.88;
    # pₑ = 0.46·0.52 + 0.44·0.32 + 0.10·0.16 = 0.396; κ = 0.484/0.604 = 0.80132.
    y1 = [0] * 46 + [1] * 44 + [2] * 10
    y2 = [0] * 52 + [1] * 32 + [2] * 16
    assert agreement_table(y1, y2, [0, 1, 2]) == [[46, 0, 0], [6, 32, 6], [0, 0, 10]]
    assert cohen_kappa(y1, y2) == pytest.approx(0.80132, abs=1e-5)
    assert cohen_kappa(y1, y2) == pytest.approx(0.8013, abs=5e-5)


def test_weighted_example_none_linear_quadratic() -> None:
    # scikit-learn's weighting example: y1 = [0]*46 + [1]*44 + [2]*10,
    # y2 = [0]*50 + [1]*40 + [2]*10 → 0.9315 (none), 0.9412 (linear), 0.9541 (quadratic).
    # Table: (0,0) 46; (1,0) 4; (1,1) 40; (2,2) 10. Rows 0.46/0.44/0.10, cols 0.50/0.40/0.10.
    # Observed disagreement: 4 pairs at distance 1 → 0.04 for all three weightings.
    # Expected, Σ w·rᵢ·cⱼ over i ≠ j:
    #   none:      1 − (0.23 + 0.176 + 0.01)                    = 0.584 → κ = 1 − .04/.584
    #   linear:    .184 + 2·.046 + .22 + .044 + 2·.05 + .04       = 0.680 → κ = 1 − .04/.680
    #   quadratic: .184 + 4·.046 + .22 + .044 + 4·.05 + .04       = 0.872 → κ = 1 − .04/.872
    y1 = [0] * 46 + [1] * 44 + [2] * 10
    y2 = [0] * 50 + [1] * 40 + [2] * 10
    assert cohen_kappa(y1, y2) == pytest.approx(1 - 0.04 / 0.584, abs=1e-12)
    assert cohen_kappa(y1, y2, "linear") == pytest.approx(1 - 0.04 / 0.680, abs=1e-12)
    assert cohen_kappa(y1, y2, "quadratic") == pytest.approx(1 - 0.04 / 0.872, abs=1e-12)
    assert round(cohen_kappa(y1, y2), 4) == 0.9315
    assert round(cohen_kappa(y1, y2, "linear"), 4) == 0.9412
    assert round(cohen_kappa(y1, y2, "quadratic"), 4) == 0.9541
    # The same answers as words on an ordinal scale, with the order given by labels.
    words = ["weak", "adequate", "good"]
    a = [words[v] for v in y1]
    b = [words[v] for v in y2]
    assert cohen_kappa(a, b, "linear", words) == cohen_kappa(y1, y2, "linear")
    assert cohen_kappa(a, b, "quadratic", labels=words) == cohen_kappa(y1, y2, "quadratic")


def test_six_point_scale_with_unused_points() -> None:
    # Evaluations on the six-point scale; nobody used 1, 2 or 6. The observed values 3, 4,
    # 5 are consecutive, so their positions (0, 1, 2 without labels; 2, 3, 4 with the scale)
    # are the same distances apart and the weighted kappa is the same either way.
    a = [3, 4, 4, 5, 5, 5, 4, 3]
    b = [3, 4, 5, 5, 4, 5, 4, 5]
    scale = [1, 2, 3, 4, 5, 6]
    assert cohen_kappa(a, b, "linear", scale) == pytest.approx(cohen_kappa(a, b, "linear"))
    # Here observed values 1, 4, 6 are not consecutive: positions 0, 1, 2 without labels,
    # 0, 3, 5 with the scale, and the weighted kappas differ.
    c = [1, 4, 6, 6, 4, 1]
    d = [1, 6, 6, 4, 4, 4]
    with_scale = cohen_kappa(c, d, "linear", scale)
    without = cohen_kappa(c, d, "linear")
    assert with_scale != pytest.approx(without)
    assert cohen_kappa(c, d, None, scale) == cohen_kappa(c, d)  # unweighted: order irrelevant


# --- conventions -----------------------------------------------------------------------


def test_missing_answers_are_skipped() -> None:
    a = ["yes", None, "no", "yes", "no", None]
    b = ["yes", "no", None, "no", "no", None]
    # usable pairs: (yes, yes), (yes, no), (no, no)
    assert percent_agreement(a, b) == pytest.approx(200 / 3)
    assert cohen_kappa(a, b) == cohen_kappa(["yes", "yes", "no"], ["yes", "no", "no"])
    assert agreement_table(a, b, ["yes", "no"]) == [[1, 1], [0, 1]]


def test_both_readers_using_one_category_is_perfect_agreement() -> None:
    # scikit-learn gives nan (0/0); our documented convention is 1.0.
    assert cohen_kappa(["good"] * 5, ["good"] * 5) == 1.0
    assert cohen_kappa(["good"] * 5, ["good"] * 5, "quadratic", ["weak", "good"]) == 1.0
    assert cohen_kappa([4, 4, None], [4, 4, 2], "linear") == 1.0
    assert percent_agreement(["good"] * 5, ["good"] * 5) == 100.0


def test_chance_level_and_below() -> None:
    # One reader always says yes: agreement is exactly what chance predicts.
    assert cohen_kappa(["y"] * 4, ["y", "y", "n", "n"]) == 0.0
    # Systematic disagreement on two balanced categories: −1.
    assert cohen_kappa(["y", "n"] * 3, ["n", "y"] * 3) == -1.0
    assert percent_agreement(["y", "n"] * 3, ["n", "y"] * 3) == 0.0
    # Always different, but one reader never varies: no worse than chance.
    assert cohen_kappa(["y"] * 3, ["n"] * 3) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: percent_agreement([1, 2], [1]), "same length"),
        (lambda: cohen_kappa([1, 2], [1]), "same length"),
        (lambda: agreement_table([1, 2], [1], [1, 2]), "same length"),
        (lambda: percent_agreement([None, 1], [2, None]), "no pairs"),
        (lambda: percent_agreement([], []), "no pairs"),
        (lambda: cohen_kappa([None], [None]), "no pairs"),
        (lambda: cohen_kappa([1, 3], [1, 2], labels=[1, 2]), "not among the labels: 3"),
        (lambda: agreement_table(["x"], ["y"], ["x"]), "not among the labels: 'y'"),
        (lambda: cohen_kappa([1], [1], labels=[1, 1]), "listed twice"),
        (lambda: cohen_kappa([1], [1], labels=[1, None]), "None cannot be a label"),
        (lambda: cohen_kappa(["a", "b"], ["a", "a"], "linear"), "pass labels"),
        (lambda: cohen_kappa([1, "b"], [1, 1], "quadratic"), "pass labels"),
        (lambda: cohen_kappa([1, math.inf], [1, 1], "linear"), "not a finite number"),
        (lambda: cohen_kappa([1, math.nan], [1, 1]), "NaN"),
        (lambda: percent_agreement([1, math.nan], [1, 1]), "NaN"),
        (lambda: cohen_kappa([1], [1], cast(Weights, "squared")), "weights must be"),
    ],
)
def test_errors(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match=message):
        call()


def test_answers_outside_labels_are_refused_unlike_sklearn() -> None:
    # scikit-learn silently drops the four spurious "2" pairs when labels=[0, 1].
    y1 = [0] * 40 + [1] * 60 + [2] * 4
    y2 = [0] * 20 + [1] * 20 + [0] * 10 + [1] * 50 + [2] * 4
    with pytest.raises(ValueError, match="not among the labels"):
        cohen_kappa(y1, y2, labels=[0, 1])
    assert cohen_kappa(y1[:100], y2[:100], labels=[0, 1]) == pytest.approx(0.348, abs=5e-4)


def test_agreement_table_with_nothing_usable_is_all_zeros() -> None:
    assert agreement_table([None], ["x"], ["x", "y"]) == [[0, 0], [0, 0]]


# --- an independent restatement of scikit-learn's algorithm (numpy, floats) -------------


def sklearn_style_kappa(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    weights: Weights | None,
    labels: Sequence[Hashable],
) -> float:
    np = pytest.importorskip("numpy")
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)
    confusion = np.zeros((k, k), dtype=float)
    for x, y in zip(a, b, strict=True):
        if x is not None and y is not None:
            confusion[index[x], index[y]] += 1
    sum0 = confusion.sum(axis=0)
    sum1 = confusion.sum(axis=1)
    expected = np.outer(sum0, sum1) / sum0.sum()
    if weights is None:
        w = np.ones((k, k)) - np.eye(k)
    else:
        grid = np.zeros((k, k)) + np.arange(k)
        w = np.abs(grid - grid.T) if weights == "linear" else (grid - grid.T) ** 2
    return float(1 - (w * confusion).sum() / (w * expected).sum())


LABELS = ["poor", "weak", "adequate", "good", "very good", "excellent"]
WEIGHTED: list[Weights] = ["linear", "quadratic"]
WEIGHTINGS = st.sampled_from([None, *WEIGHTED])


@st.composite
def two_readers(
    draw: st.DrawFn, categories: Sequence[Hashable] = LABELS
) -> tuple[list[Hashable], list[Hashable]]:
    n = draw(st.integers(min_value=1, max_value=40))
    values = st.sampled_from([*categories, None])
    a = draw(st.lists(values, min_size=n, max_size=n))
    b = draw(st.lists(values, min_size=n, max_size=n))
    assume(any(x is not None and y is not None for x, y in zip(a, b, strict=True)))
    return a, b


def _degenerate(a: Sequence[Hashable], b: Sequence[Hashable]) -> bool:
    used = {v for x, y in zip(a, b, strict=True) if x is not None and y is not None for v in (x, y)}
    return len(used) == 1


@PROPS
@given(two_readers(), WEIGHTINGS)
def test_matches_the_sklearn_algorithm(
    readers: tuple[list[Hashable], list[Hashable]], weights: Weights | None
) -> None:
    a, b = readers
    assume(not _degenerate(a, b))
    ours = cohen_kappa(a, b, weights, LABELS)
    assert ours == pytest.approx(sklearn_style_kappa(a, b, weights, LABELS), abs=1e-9)


# --- properties ---------------------------------------------------------------------------


@PROPS
@given(two_readers(), WEIGHTINGS)
def test_symmetric_and_at_most_one(
    readers: tuple[list[Hashable], list[Hashable]], weights: Weights | None
) -> None:
    a, b = readers
    kappa = cohen_kappa(a, b, weights, LABELS)
    assert kappa == cohen_kappa(b, a, weights, LABELS)
    assert kappa <= 1.0
    if weights is None:
        assert kappa >= -1.0
    assert 0.0 <= percent_agreement(a, b) <= 100.0
    assert percent_agreement(a, b) == percent_agreement(b, a)


@PROPS
@given(two_readers(), WEIGHTINGS)
def test_one_exactly_when_every_pair_agrees(
    readers: tuple[list[Hashable], list[Hashable]], weights: Weights | None
) -> None:
    a, _ = readers
    assume(any(x is not None for x in a))
    assert cohen_kappa(a, a, weights, LABELS) == 1.0
    assert percent_agreement(a, a) == 100.0
    a2, b2 = readers
    if percent_agreement(a2, b2) < 100:
        assert cohen_kappa(a2, b2, weights, LABELS) < 1.0


@PROPS
@given(two_readers(["met", "not met"]))
def test_two_categories_all_weightings_agree(
    readers: tuple[list[Hashable], list[Hashable]],
) -> None:
    a, b = readers
    labels = ["met", "not met"]
    plain = cohen_kappa(a, b, None, labels)
    assert cohen_kappa(a, b, "linear", labels) == plain
    assert cohen_kappa(a, b, "quadratic", labels) == plain


@PROPS
@given(two_readers(), st.permutations(LABELS), st.sampled_from(WEIGHTED))
def test_label_order_matters_only_for_weights(
    readers: tuple[list[Hashable], list[Hashable]], order: list[str], weights: Weights
) -> None:
    a, b = readers
    assert cohen_kappa(a, b, None, order) == cohen_kappa(a, b, None, LABELS)
    assert cohen_kappa(a, b, None, LABELS) == cohen_kappa(a, b)
    # Reversing an ordinal scale keeps every distance.
    reversed_scale = list(reversed(LABELS))
    assert cohen_kappa(a, b, weights, reversed_scale) == pytest.approx(
        cohen_kappa(a, b, weights, LABELS)
    )


@PROPS
@given(two_readers())
def test_table_and_percent_are_consistent(readers: tuple[list[Hashable], list[Hashable]]) -> None:
    a, b = readers
    table = agreement_table(a, b, LABELS)
    usable = sum(1 for x, y in zip(a, b, strict=True) if x is not None and y is not None)
    assert sum(map(sum, table)) == usable
    diagonal = sum(table[i][i] for i in range(len(LABELS)))
    assert percent_agreement(a, b) == pytest.approx(100 * diagonal / usable)
    # Swapping the readers transposes the table.
    assert agreement_table(b, a, LABELS) == [list(col) for col in zip(*table, strict=True)]
    assert cohen_kappa(a, b) == pytest.approx(float(kappa_by_hand_or_one(table)))


def kappa_by_hand_or_one(table: list[list[int]]) -> Fraction:
    k = len(table)
    n = sum(map(sum, table))
    rows = [sum(table[i]) for i in range(k)]
    cols = [sum(table[i][j] for i in range(k)) for j in range(k)]
    if any(rows[i] == n and cols[i] == n for i in range(k)):
        return Fraction(1)
    return kappa_by_hand(table)


@PROPS
@given(two_readers(), st.integers(min_value=1, max_value=5), WEIGHTINGS)
def test_missing_pairs_change_nothing(
    readers: tuple[list[Hashable], list[Hashable]], extra: int, weights: Weights | None
) -> None:
    a, b = readers
    padded_a = [*a, *([None] * extra), *(["good"] * extra)]
    padded_b = [*b, *(["poor"] * extra), *([None] * extra)]
    assert cohen_kappa(padded_a, padded_b, weights, LABELS) == cohen_kappa(
        a,
        b,
        weights,
        LABELS,
    )
    assert percent_agreement(padded_a, padded_b) == percent_agreement(a, b)


@PROPS
@given(st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=30), st.data())
def test_numbers_need_no_labels_for_weights(ratings: list[int], data: st.DataObject) -> None:
    other = data.draw(
        st.lists(
            st.integers(min_value=1, max_value=6), min_size=len(ratings), max_size=len(ratings)
        )
    )
    used = sorted(set(ratings) | set(other))
    assert cohen_kappa(ratings, other, "quadratic") == cohen_kappa(
        ratings, other, "quadratic", used
    )
