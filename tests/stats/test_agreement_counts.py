"""Kappa from the counted pairs and the readers' marginal totals (issue 13).

``cohen_kappa`` now counts the pairs once and sums over the distinct pairs and the
marginal totals instead of over every cell of the k × k table. These tests hold it to the
old definition exactly: a slow reference that builds the whole table and sums
``w·O`` and ``w·r·c`` over every cell, in exact fractions, on random tables; a worked
example whose rows and columns have different totals, so a marginal counted wrongly (rows
for columns, a pair counted twice or left out) changes every kappa; and the checks on
counts given directly.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from howgood.stats.agreement import (
    Figures,
    Weights,
    agreement_counts,
    agreement_figures,
    agreement_table,
    cohen_kappa,
    cohen_kappa_from_counts,
    percent_agreement,
    percent_agreement_from_counts,
)

PROPS = settings(deadline=None, max_examples=300)


def slow_kappa(table: list[list[int]], weights: Weights | None) -> Fraction:
    """The definition, cell by cell: 1 − n·Σᵢⱼ wᵢⱼOᵢⱼ / Σᵢⱼ wᵢⱼrᵢcⱼ (1 when 0/0)."""
    k = len(table)
    n = sum(map(sum, table))
    rows = [sum(table[i]) for i in range(k)]
    cols = [sum(table[i][j] for i in range(k)) for j in range(k)]

    def w(i: int, j: int) -> int:
        d = abs(i - j)
        return (1 if d else 0) if weights is None else d if weights == "linear" else d * d

    observed = sum(w(i, j) * table[i][j] for i in range(k) for j in range(k))
    expected = sum(w(i, j) * rows[i] * cols[j] for i in range(k) for j in range(k))
    return Fraction(1) if expected == 0 else 1 - Fraction(n * observed, expected)


def answers(
    table: list[list[int]], labels: Sequence[Hashable]
) -> tuple[list[Hashable], list[Hashable]]:
    a: list[Hashable] = []
    b: list[Hashable] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [labels[i]] * count
            b += [labels[j]] * count
    return a, b


tables = (
    st.integers(min_value=1, max_value=9)
    .flatmap(
        lambda k: st.lists(
            st.lists(st.integers(min_value=0, max_value=30), min_size=k, max_size=k),
            min_size=k,
            max_size=k,
        )
    )
    .filter(lambda table: sum(map(sum, table)) > 0)
)


@PROPS
@given(tables, st.sampled_from([None, "linear", "quadratic"]))
def test_the_same_kappa_as_the_cell_by_cell_definition(
    table: list[list[int]], weights: Weights | None
) -> None:
    labels = [f"point {i}" for i in range(len(table))]
    a, b = answers(table, labels)
    exact = slow_kappa(table, weights)
    counts: dict[tuple[Hashable, Hashable], int] = {
        (labels[i], labels[j]): count for i, row in enumerate(table) for j, count in enumerate(row)
    }
    assert cohen_kappa(a, b, weights, labels) == float(exact)
    assert cohen_kappa_from_counts(counts, weights, labels) == float(exact)
    assert f"{cohen_kappa(a, b, weights, labels):.15f}" == f"{float(exact):.15f}"


def test_large_random_tables_to_the_last_digit() -> None:
    rng = random.Random(13)
    for _ in range(60):
        k = rng.randint(2, 40)
        table = [[rng.choice([0, 0, rng.randint(1, 500)]) for _ in range(k)] for _ in range(k)]
        table[rng.randrange(k)][rng.randrange(k)] += 1
        labels = list(range(10, 10 + k))
        a, b = answers(table, labels)
        rng.shuffle(order := list(range(len(a))))
        a, b = [a[i] for i in order], [b[i] for i in order]
        for weights in (None, "linear", "quadratic"):
            exact = float(slow_kappa(table, weights))
            assert cohen_kappa(a, b, weights, labels) == exact
            # Numbers order themselves when no labels are given: the same when all are used.
            if all(sum(table[i]) + sum(row[i] for row in table) for i in range(k)):
                assert cohen_kappa(a, b, weights) == exact


def test_a_worked_table_whose_rows_and_columns_differ() -> None:
    # Rows (reader a) 3, 4, 3; columns (reader b) 3, 2, 5; n = 10; 5 of 10 agree.
    table = [[2, 1, 0], [0, 1, 3], [1, 0, 2]]
    a, b = answers(table, [0, 1, 2])
    # Unweighted: observed disagreement 5, expected 100 − (3·3 + 4·2 + 3·5) = 68:
    # κ = 1 − 10·5/68 = 9/34. Had the columns been counted as the rows (3, 4, 3), the
    # expected would be 100 − 34 = 66 and κ = 8/33.
    assert cohen_kappa(a, b) == float(Fraction(9, 34))
    # Linear: observed 1·1 + 1·3 + 2·1 = 6; expected Σ rᵢcⱼ|i − j| = 36 + 32 + 24 = 92.
    assert cohen_kappa(a, b, "linear", [0, 1, 2]) == float(Fraction(8, 23))
    # Quadratic: observed 1 + 3 + 4 = 8; expected Σ rᵢcⱼ(i − j)² = 66 + 32 + 42 = 140.
    assert cohen_kappa(a, b, "quadratic", [0, 1, 2]) == float(Fraction(3, 7))
    assert percent_agreement(a, b) == 50.0
    # The same from the counts, and with the readers swapped (the table transposed).
    counts = agreement_counts(a, b)
    assert counts == Counter({(0, 0): 2, (0, 1): 1, (1, 1): 1, (1, 2): 3, (2, 0): 1, (2, 2): 2})
    assert cohen_kappa_from_counts(counts) == float(Fraction(9, 34))
    assert cohen_kappa(b, a, "linear") == float(Fraction(8, 23))
    assert cohen_kappa_from_counts({(y, x): n for (x, y), n in counts.items()}, "quadratic") == (
        float(Fraction(3, 7))
    )
    # One pair more or fewer in one cell changes the figure.
    assert cohen_kappa([*a, 2], [*b, 1]) != float(Fraction(9, 34))
    assert cohen_kappa(a[1:], b[1:]) != float(Fraction(9, 34))
    assert agreement_table(a, b, [0, 1, 2]) == table


def test_counts_given_directly_follow_the_same_conventions() -> None:
    counts: dict[tuple[Hashable, Hashable], int] = {
        ("yes", "yes"): 20,
        ("yes", "no"): 20,
        ("no", "yes"): 10,
        ("no", "no"): 50,
        ("no", None): 7,  # a missing answer: left out
        (None, "yes"): 3,
        ("maybe", "maybe"): 0,  # a count of 0 is no pair
    }
    assert percent_agreement_from_counts(counts) == 70.0
    assert cohen_kappa_from_counts(counts) == cohen_kappa_from_counts(
        {k: v for k, v in counts.items() if None not in k and v}
    )
    assert round(cohen_kappa_from_counts(counts), 3) == 0.348  # Artstein & Poesio Table 1
    assert cohen_kappa_from_counts(
        counts, labels=["yes", "no", "maybe"]
    ) == cohen_kappa_from_counts(counts)
    assert agreement_counts([None, "x"], ["x", None]) == Counter()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cohen_kappa_from_counts({("a", "b"): -1}), "whole number"),
        (lambda: percent_agreement_from_counts({("a", "b"): 1.5}), "whole number"),  # type: ignore[dict-item]
        (lambda: cohen_kappa_from_counts({}), "no pairs"),
        (lambda: cohen_kappa_from_counts({("a", None): 4}), "no pairs"),
        (lambda: percent_agreement_from_counts({("a", "a"): 0}), "no pairs"),
        (lambda: cohen_kappa_from_counts({(1, float("nan")): 1}), "NaN"),
        (lambda: cohen_kappa_from_counts({(1, 1): 1}, "cubic"), "weights must be"),  # type: ignore[arg-type]
        (lambda: cohen_kappa_from_counts({(1, 3): 1}, labels=[1, 2]), "not among the labels: 3"),
        # A signalling NaN cannot be hashed; it is refused as NaN all the same.
        (lambda: cohen_kappa([Decimal("sNaN"), 1], [1, 1]), "NaN"),
        (lambda: percent_agreement([1, 2], [2, Decimal("sNaN")]), "NaN"),
    ],
)
def test_refused(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match=message):
        call()


def test_a_signalling_nan_beside_a_missing_answer_is_skipped_like_any_other() -> None:
    assert cohen_kappa([Decimal("sNaN"), 1, 2], [None, 1, 2]) == 1.0
    assert percent_agreement([1, None, 2], [1, Decimal("sNaN"), 3]) == 50.0


@PROPS
@given(tables)
def test_all_the_figures_at_once_are_the_figures_one_by_one(table: list[list[int]]) -> None:
    labels = list(range(1, len(table) + 1))
    counts = agreement_counts(*answers(table, labels))
    agreed = sum(table[i][i] for i in range(len(table)))
    plain = agreement_figures(counts)
    assert plain == Figures(
        pairs=sum(map(sum, table)),
        agreed=agreed,
        percent=percent_agreement_from_counts(counts),
        kappa=float(slow_kappa(table, None)),
    )
    weighted = agreement_figures(counts, labels=labels, weighted=True)
    assert weighted == Figures(
        plain.pairs,
        agreed,
        plain.percent,
        plain.kappa,
        float(slow_kappa(table, "linear")),
        float(slow_kappa(table, "quadratic")),
    )
    # Numbers without labels: ordered by value, over the values that occur.
    assert agreement_figures(counts, weighted=True).linear == cohen_kappa_from_counts(
        counts, "linear"
    )


def test_the_worked_table_at_once() -> None:
    table = [[2, 1, 0], [0, 1, 3], [1, 0, 2]]
    counts = agreement_counts(*answers(table, ["weak", "good", "excellent"]))
    figures = agreement_figures(counts, labels=["weak", "good", "excellent"], weighted=True)
    assert figures == Figures(
        10, 5, 50.0, float(Fraction(9, 34)), float(Fraction(8, 23)), float(Fraction(3, 7))
    )
    with pytest.raises(ValueError, match="pass labels"):
        agreement_figures(counts, weighted=True)
    with pytest.raises(ValueError, match="no pairs"):
        agreement_figures({("weak", None): 3})
