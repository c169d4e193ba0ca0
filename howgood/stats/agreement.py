"""Agreement between two readers of the same records: percent agreement and Cohen's kappa.

Used for moderation reports: each pair of readers answers the same questions about the
same record, and these functions say how often, and how far beyond chance, they agreed.

Conventions (the same for every function here):

* ``a`` and ``b`` are the two readers' answers, position by position (``a[i]`` and
  ``b[i]`` are about the same record and question); they must be the same length.
* ``None`` means "not answered": a pair where **either** answer is ``None`` is left out.
  It is the only missing marker; a float NaN is refused (ValueError), not skipped.
* The answers can be any hashable values (strings, numbers); equal values (by ``==`` and
  hash, so ``1`` and ``1.0`` too) are the same category.

Formulas: Cohen, J. (1960) "A coefficient of agreement for nominal scales", Educational
and Psychological Measurement 20(1):37–46; Cohen, J. (1968) "Weighted kappa: nominal
scale agreement with provision for scaled disagreement or partial credit", Psychological
Bulletin 70(4):213–220. Written in the disagreement form ``κ = 1 − Σ w·O / Σ w·E``
used by scikit-learn's ``cohen_kappa_score``, whose results these match (with its label
positions as the ordinal distances). Everything is computed in exact integer/fraction
arithmetic and converted to ``float`` at the end.

No Django imports.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = ["Weights", "agreement_table", "cohen_kappa", "percent_agreement"]

Weights = Literal["linear", "quadratic"]


def _is_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    return False


def _pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[Hashable, Hashable]]:
    if len(a) != len(b):
        raise ValueError(
            f"The two readers' answers must be the same length ({len(a)} and {len(b)})"
        )
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    for x, y in pairs:
        if _is_nan(x) or _is_nan(y):
            raise ValueError("NaN is not an answer; use None for a missing answer")
    return pairs


def _usable_pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[Hashable, Hashable]]:
    pairs = _pairs(a, b)
    if not pairs:
        raise ValueError("There are no pairs where both readers gave an answer")
    return pairs


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """The percentage (0 to 100, not a 0–1 fraction) of pairs where the readers agree.

    Pairs where either answer is ``None`` are skipped, and the percentage is of the pairs
    left: ``100 · (pairs with a[i] == b[i]) / (pairs with both answers)``. ValueError when
    ``a`` and ``b`` differ in length or no pair has both answers.
    """
    pairs = _usable_pairs(a, b)
    agreed = sum(1 for x, y in pairs if x == y)
    return float(Fraction(100 * agreed, len(pairs)))


def _index(labels: Sequence[Hashable]) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for label in labels:
        if label is None:
            raise ValueError("None cannot be a label: it marks a missing answer")
        if _is_nan(label):
            raise ValueError("NaN cannot be a label")
        if label in index:
            raise ValueError(f"The label {label!r} is listed twice")
        index[label] = len(index)
    return index


def _check_known(pairs: list[tuple[Hashable, Hashable]], index: dict[Hashable, int]) -> None:
    unknown = {value for pair in pairs for value in pair if value not in index}
    if unknown:
        shown = ", ".join(sorted(repr(v) for v in unknown))
        raise ValueError(f"Answers not among the labels: {shown}")


def _numeric_order(values: list[Hashable]) -> list[Hashable]:
    """The values in numeric order, or ValueError if any is not a finite number."""
    keyed: list[tuple[Fraction, Hashable]] = []
    for value in values:
        if not isinstance(value, int | float | Fraction | Decimal):
            raise ValueError(
                "Weighted kappa needs the order of the categories: pass labels (from the "
                f"lowest to the highest) unless every answer is a number; got {value!r}"
            )
        try:
            keyed.append((Fraction(value), value))
        except (ValueError, OverflowError):
            raise ValueError(f"{value!r} is not a finite number") from None
    return [value for _, value in sorted(keyed, key=lambda pair: pair[0])]


def _categories(
    pairs: list[tuple[Hashable, Hashable]],
    weights: Weights | None,
    labels: Sequence[Hashable] | None,
) -> dict[Hashable, int]:
    if labels is not None:
        index = _index(labels)
        _check_known(pairs, index)
        return index
    seen = list(dict.fromkeys([x for x, _ in pairs] + [y for _, y in pairs]))
    return _index(seen if weights is None else _numeric_order(seen))


def _table(pairs: list[tuple[Hashable, Hashable]], index: dict[Hashable, int]) -> list[list[int]]:
    size = len(index)
    table = [[0] * size for _ in range(size)]
    for x, y in pairs:
        table[index[x]][index[y]] += 1
    return table


def agreement_table(
    a: Sequence[Hashable], b: Sequence[Hashable], labels: Sequence[Hashable]
) -> list[list[int]]:
    """The agreement (confusion) matrix: ``table[i][j]`` counts pairs with ``a`` = labels[i]
    and ``b`` = labels[j]; rows are reader ``a``, columns reader ``b``, in ``labels`` order.

    The diagonal holds the agreements. Pairs with a ``None`` are skipped (so the table can
    be all zeros). ValueError for different lengths, an answer not in ``labels``, or a label
    listed twice or given as ``None``.
    """
    pairs = _pairs(a, b)
    index = _index(labels)
    _check_known(pairs, index)
    return _table(pairs, index)


def cohen_kappa(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    weights: Weights | None = None,
    labels: Sequence[Hashable] | None = None,
) -> float:
    """Cohen's kappa between readers ``a`` and ``b``; weighted kappa for ordinal answers.

    ``κ = 1 − n · Σᵢⱼ wᵢⱼ Oᵢⱼ / Σᵢⱼ wᵢⱼ rᵢ cⱼ`` where O is the :func:`agreement_table`,
    ``rᵢ``/``cⱼ`` its row/column totals, n the number of pairs, and the disagreement weight
    ``wᵢⱼ`` is ``0 if i == j else 1`` (unweighted, Cohen 1960: the same as
    ``(pₒ − pₑ)/(1 − pₑ)``), ``|i − j|`` (``"linear"``) or ``(i − j)²`` (``"quadratic"``;
    Cohen 1968). i and j are **positions** in the category order, not the answer values,
    as in scikit-learn.

    Categories: ``labels`` if given (their order is the ordinal order for weights; labels
    nobody used are allowed and, for weights, keep their place on the scale). Without
    ``labels``, unweighted kappa uses the answers that occur; weighted kappa needs every
    answer to be a number and orders them numerically (only the values that occur, so pass
    ``labels`` to keep unused points of a scale). An answer not in ``labels`` is a
    ValueError (scikit-learn silently drops it instead).

    Missing answers: pairs where either answer is ``None`` are skipped.

    Degenerate case: when both readers used one and the same category for every pair, the
    chance-expected disagreement is 0 and the formula is 0/0 (scikit-learn returns nan).
    We return **1.0**: the readers agreed every time. (Expected disagreement can only be 0
    in that situation, and then observed agreement is necessarily complete.)

    Contract: ``κ ≤ 1``, equal to 1 exactly when every usable pair agrees; symmetric in
    ``a`` and ``b``; unweighted κ ≥ −1; with two categories the three versions are equal.
    ValueError for different lengths, no usable pairs, an unknown ``weights`` value, an
    answer outside ``labels``, a repeated or ``None`` label, or non-numeric answers with
    weights and no ``labels``.
    """
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")
    pairs = _usable_pairs(a, b)
    index = _categories(pairs, weights, labels)
    table = _table(pairs, index)
    size = len(index)
    rows = [sum(row) for row in table]
    cols = [sum(table[i][j] for i in range(size)) for j in range(size)]

    def weight(i: int, j: int) -> int:
        distance = abs(i - j)
        if weights is None:
            return 1 if distance else 0
        return distance if weights == "linear" else distance * distance

    observed = sum(weight(i, j) * table[i][j] for i in range(size) for j in range(size))
    expected = sum(weight(i, j) * rows[i] * cols[j] for i in range(size) for j in range(size))
    if expected == 0:
        # Both readers used a single, shared category: observed is 0 too (see docstring).
        return 1.0
    return float(1 - Fraction(len(pairs) * observed, expected))
