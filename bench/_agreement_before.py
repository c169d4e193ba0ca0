"""The agreement page's computation before issue 13, kept only as the baseline for
``bench/agreement.py``: ``howgood.stats.agreement`` and ``howgood.records.agreement.compute``
as they were at commit 2e04abb (the kappa summed over every cell of the k x k table of the
k distinct answers; the answers gathered in lists of strings). Not used by the app.
"""

# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from collections import defaultdict
from typing import Any, Literal

# Imported after django.setup() (bench/agreement.py does that first).
from howgood.questionnaires.models import Answer
from howgood.questionnaires.rendering import VersionTree
from howgood.records.agreement import SIX, Agreement
from howgood.records.models import Exercise, Reading


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


def old_stats(label: str, a: list[str], b: list[str], ordinal: bool = False) -> Agreement:
    if not a:
        return Agreement(label, 0, None, None)
    labels = SIX if ordinal else sorted(set(a) | set(b))
    result = Agreement(
        label,
        len(a),
        percent_agreement(a, b),
        cohen_kappa(a, b, labels=labels),
        agreed=sum(x == y for x, y in zip(a, b, strict=True)),
    )
    if ordinal:
        result.linear = cohen_kappa(a, b, weights="linear", labels=labels)
        result.quadratic = cohen_kappa(a, b, weights="quadratic", labels=labels)
    return result


def old_compute(exercise: Exercise) -> dict[str, Any]:
    tree = VersionTree.load(exercise.template)
    list_names = dict(exercise.template.choice_lists.values_list("id", "name"))
    items = {i.pk: i for i in tree.items if i.type in ("select_one", "select_multiple")}
    readings = Reading.objects.filter(
        case__exercise=exercise, status="submitted", case__pair__isnull=False
    ).values_list(
        "case_id",
        "membership_id",
        "submission_id",
        "case__pair__reader_id",
        "case__pair__moderator_id",
        "case__pair_id",
    )
    by_case: dict[int, dict[str, int]] = defaultdict(dict)
    pair_of: dict[int, int] = {}
    for case_id, member, submission, reader_id, moderator_id, pair_id in readings:
        role = "reader" if member == reader_id else "moderator" if member == moderator_id else None
        if role:
            by_case[case_id][role] = submission
            pair_of[case_id] = pair_id
    complete = {c: v for c, v in by_case.items() if len(v) == 2}
    submissions = [s for v in complete.values() for s in v.values()]
    values: dict[tuple[int, int], list[str]] = defaultdict(list)
    for submission_id, item_id, value in Answer.objects.filter(
        submission_id__in=submissions, item_id__in=list(items)
    ).values_list("submission_id", "item_id", "value_text"):
        values[(submission_id, item_id)].append(value)
    per_item: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    per_pair: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    overall: tuple[list[str], list[str]] = ([], [])
    for case_id, subs in complete.items():
        for item_id in items:
            a = values.get((subs["reader"], item_id))
            b = values.get((subs["moderator"], item_id))
            if not a or not b:
                continue
            va, vb = ";".join(sorted(a)), ";".join(sorted(b))
            for bucket in (per_item[item_id], per_pair[pair_of[case_id]], overall):
                bucket[0].append(f"{item_id}:{va}" if bucket is not per_item[item_id] else va)
                bucket[1].append(f"{item_id}:{vb}" if bucket is not per_item[item_id] else vb)
    item_rows = [
        old_stats(
            items[i].label,
            *per_item[i],
            ordinal=list_names.get(items[i].choice_list_id or 0) == "six_point",
        )
        for i in items
        if per_item.get(i) and per_item[i][0]
    ]
    from howgood.records.models import Pair

    pairs = {
        p.pk: p
        for p in Pair.objects.filter(exercise=exercise).select_related(
            "reader__user", "moderator__user"
        )
    }
    pair_rows = [
        old_stats(f"{pairs[p].reader.user.full_name} and {pairs[p].moderator.user.full_name}", *v)
        for p, v in per_pair.items()
        if p in pairs
    ]
    return {
        "records": len(complete),
        "items": item_rows,
        "pairs": pair_rows,
        "overall": old_stats("All items", *overall),
    }
