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

Speed: the answers are counted once (:func:`agreement_counts`, a ``Counter`` of the
``(a, b)`` pairs) and kappa is computed from those counts and each reader's marginal
totals, in time linear in the number of distinct pairs and categories (never a k × k
sum over every cell of the table). A caller that already holds the counts, such as the
records' agreement page, passes them to :func:`cohen_kappa_from_counts` and
:func:`percent_agreement_from_counts` and gets exactly the same figures.

No Django imports.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

__all__ = [
    "Figures",
    "Weights",
    "agreement_counts",
    "agreement_figures",
    "agreement_table",
    "cohen_kappa",
    "cohen_kappa_from_counts",
    "percent_agreement",
    "percent_agreement_from_counts",
]

Weights = Literal["linear", "quadratic"]
Counts = Mapping[tuple[Hashable, Hashable], int]


def _is_nan(value: object) -> bool:
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, Decimal):
        return value.is_nan()
    return False


def _pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[Hashable, Hashable]]:
    """The usable pairs one by one (the slow way: only for answers that cannot be hashed)."""
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    for x, y in pairs:
        if _is_nan(x) or _is_nan(y):
            raise ValueError("NaN is not an answer; use None for a missing answer")
    return pairs


def _usable(counts: Counts) -> Counter[tuple[Hashable, Hashable]]:
    """The counts without pairs that have a ``None`` (or a count of 0); NaN refused."""
    usable: Counter[tuple[Hashable, Hashable]] = Counter(
        {(x, y): n for (x, y), n in counts.items() if x is not None and y is not None and n}
    )
    for (x, y), count in usable.items():
        # Only NaN is unequal to itself among answers; _is_nan says which NaN it refuses.
        if (x != x and _is_nan(x)) or (y != y and _is_nan(y)):
            raise ValueError("NaN is not an answer; use None for a missing answer")
        if count < 0 or not isinstance(count, int):
            raise ValueError(f"A count must be a whole number, 0 or more, not {count!r}")
    return usable


def agreement_counts(
    a: Sequence[Hashable], b: Sequence[Hashable]
) -> Counter[tuple[Hashable, Hashable]]:
    """How many times each pair of answers ``(a[i], b[i])`` occurs, in one pass.

    The contingency table in sparse form: ``{(answer of a, answer of b): count}``, in the
    order the pairs first occur. Pairs with a ``None`` are left out (so it can be empty);
    ValueError for different lengths or a NaN answer.
    """
    if len(a) != len(b):
        raise ValueError(
            f"The two readers' answers must be the same length ({len(a)} and {len(b)})"
        )
    try:
        counted = Counter(zip(a, b, strict=True))
    except TypeError:
        # A signalling NaN cannot even be hashed: check the pairs one by one, which refuses
        # it unless the other reader's answer is None (then the pair is skipped anyway).
        counted = Counter(_pairs(a, b))
    return _usable(counted)


def _usable_counts(counts: Counts) -> Counter[tuple[Hashable, Hashable]]:
    usable = _usable(counts)
    if not usable:
        raise ValueError("There are no pairs where both readers gave an answer")
    return usable


def percent_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """The percentage (0 to 100, not a 0–1 fraction) of pairs where the readers agree.

    Pairs where either answer is ``None`` are skipped, and the percentage is of the pairs
    left: ``100 · (pairs with a[i] == b[i]) / (pairs with both answers)``. ValueError when
    ``a`` and ``b`` differ in length or no pair has both answers.
    """
    return percent_agreement_from_counts(agreement_counts(a, b))


def percent_agreement_from_counts(counts: Counts) -> float:
    """:func:`percent_agreement` from the pairs already counted (as :func:`agreement_counts`
    gives them): ``{(answer of a, answer of b): count}``. The same conventions; a count
    that is not a whole number of 0 or more is a ValueError."""
    usable = _usable_counts(counts)
    agreed = sum(count for (x, y), count in usable.items() if x == y)
    return float(Fraction(100 * agreed, usable.total()))


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


def _check_known(counts: Counts, index: dict[Hashable, int]) -> None:
    unknown = {value for pair in counts for value in pair if value not in index}
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
    counts: Counts,
    weights: Weights | None,
    labels: Sequence[Hashable] | None,
) -> dict[Hashable, int]:
    if labels is not None:
        index = _index(labels)
        _check_known(counts, index)
        return index
    # The answers themselves: already free of None, NaN and repeats (usable, deduplicated).
    seen = list(dict.fromkeys([x for x, _ in counts] + [y for _, y in counts]))
    ordered = seen if weights is None else _numeric_order(seen)
    return {value: i for i, value in enumerate(ordered)}


def agreement_table(
    a: Sequence[Hashable], b: Sequence[Hashable], labels: Sequence[Hashable]
) -> list[list[int]]:
    """The agreement (confusion) matrix: ``table[i][j]`` counts pairs with ``a`` = labels[i]
    and ``b`` = labels[j]; rows are reader ``a``, columns reader ``b``, in ``labels`` order.

    The diagonal holds the agreements. Pairs with a ``None`` are skipped (so the table can
    be all zeros). ValueError for different lengths, an answer not in ``labels``, or a label
    listed twice or given as ``None``.
    """
    counts = agreement_counts(a, b)
    index = _index(labels)
    _check_known(counts, index)
    table = [[0] * len(index) for _ in index]
    for (x, y), count in counts.items():
        table[index[x]][index[y]] += count
    return table


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
    _check_weights(weights)
    return cohen_kappa_from_counts(agreement_counts(a, b), weights, labels)


def _check_weights(weights: object) -> None:
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', not {weights!r}")


def cohen_kappa_from_counts(
    counts: Counts,
    weights: Weights | None = None,
    labels: Sequence[Hashable] | None = None,
) -> float:
    """:func:`cohen_kappa` from the pairs already counted (as :func:`agreement_counts`
    gives them): ``{(answer of a, answer of b): count}``. The same formula, conventions and
    errors, and exactly the same result; a count that is not a whole number of 0 or more is
    a ValueError.

    The sums are taken over the distinct pairs and the marginal totals, not over every cell
    of the k × k table: the expected disagreement ``Σᵢⱼ wᵢⱼ rᵢ cⱼ`` is ``n² − Σᵢ rᵢcᵢ``
    unweighted, ``Σₜ (Rₜ(n − Cₜ) + (n − Rₜ)Cₜ)`` linear (``Rₜ``, ``Cₜ`` the totals of the
    first t + 1 categories: ``|i − j|`` counts the cut points between i and j) and
    ``n·Σrᵢi² + n·Σcⱼj² − 2·Σrᵢi·Σcⱼj`` quadratic; all in whole numbers, as before.
    """
    _check_weights(weights)
    usable = _usable_counts(counts)
    [kappa], _ = _kappas(usable, _categories(usable, weights, labels), (weights,))
    return kappa


@dataclass(frozen=True)
class Figures:
    """One comparison's figures: what :func:`agreement_figures` returns."""

    pairs: int  # the usable pairs compared
    agreed: int  # how many of them were the same
    percent: float  # as percent_agreement
    kappa: float  # as cohen_kappa, unweighted
    linear: float | None = None  # weighted, when asked for
    quadratic: float | None = None


def agreement_figures(
    counts: Counts, labels: Sequence[Hashable] | None = None, weighted: bool = False
) -> Figures:
    """Percent agreement and kappa (and, if ``weighted``, linear and quadratic kappa) from
    the pairs already counted, checked and summed once: exactly what
    :func:`percent_agreement_from_counts` and :func:`cohen_kappa_from_counts` give one by
    one, with the same conventions and errors (with ``weighted`` and no ``labels``, every
    answer must be a number)."""
    usable = _usable_counts(counts)
    index = _categories(usable, "linear" if weighted else None, labels)
    n = usable.total()
    if not weighted:
        [kappa], agreed = _kappas(usable, index, (None,))
        return Figures(n, agreed, float(Fraction(100 * agreed, n)), kappa)
    (kappa, linear, quadratic), agreed = _kappas(usable, index, (None, "linear", "quadratic"))
    return Figures(n, agreed, float(Fraction(100 * agreed, n)), kappa, linear, quadratic)


def _kappas(
    usable: Counter[tuple[Hashable, Hashable]],
    index: dict[Hashable, int],
    weightings: Sequence[Weights | None],
) -> tuple[list[float], int]:
    """Kappa for each weighting, from one pass over the distinct pairs (see
    :func:`cohen_kappa_from_counts` for the sums), and how many pairs agreed (the same
    category: equal answers, as equal answers are one category)."""
    size = len(index)
    rows = [0] * size
    cols = [0] * size
    unequal = linear_off = quadratic_off = 0
    for (x, y), count in usable.items():
        i, j = index[x], index[y]
        rows[i] += count
        cols[j] += count
        if i != j:
            distance = abs(i - j)
            unequal += count
            linear_off += count * distance
            quadratic_off += count * distance * distance
    n = usable.total()
    kappas = []
    for weights in weightings:
        if weights is None:
            observed = unequal
            expected = n * n - sum(r * c for r, c in zip(rows, cols, strict=True))
        elif weights == "linear":
            observed = linear_off
            expected = 0
            rows_below = cols_below = 0
            for r, c in zip(rows, cols, strict=True):
                rows_below += r
                cols_below += c
                expected += rows_below * (n - cols_below) + (n - rows_below) * cols_below
        else:
            observed = quadratic_off
            row_first = sum(i * r for i, r in enumerate(rows))
            col_first = sum(j * c for j, c in enumerate(cols))
            row_second = sum(i * i * r for i, r in enumerate(rows))
            col_second = sum(j * j * c for j, c in enumerate(cols))
            expected = n * (row_second + col_second) - 2 * row_first * col_first
        # Expected 0: both readers used a single, shared category, so observed is 0 too
        # (see cohen_kappa's docstring).
        kappas.append(1.0 if expected == 0 else float(1 - Fraction(n * observed, expected)))
    return kappas, n - unequal
