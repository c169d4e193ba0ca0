"""How far the two readers of each record agreed before moderation.

Compared item by item over every record both members of its pair submitted: percent
agreement and Cohen's kappa (unweighted; for six-point items also linear and quadratic
weights, the scale's order 1-6). Only answered choice items are compared; a record where
either reader skipped the item does not count for that item.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from howgood.questionnaires.models import Answer
from howgood.questionnaires.rendering import VersionTree
from howgood.records.models import Exercise, Pair, Reading
from howgood.stats.agreement import agreement_figures

SIX = ["1", "2", "3", "4", "5", "6"]


@dataclass
class Agreement:
    label: str
    pairs: int  # how many answers (or records, for one item) were compared
    percent: float | None
    kappa: float | None
    linear: float | None = None
    quadratic: float | None = None
    agreed: int = 0  # how many of them were the same

    @property
    def words(self) -> str:
        """The same answers out of those compared, as "4 of 8 (50%)"."""
        if not self.pairs or self.percent is None:
            return "–"
        # Half up, as the page's other percentages (floatformat): 12.5% reads 13%.
        return f"{self.agreed} of {self.pairs} ({math.floor(self.percent + 0.5)}%)"


def _stats(label: str, counts: Counter[tuple[Any, Any]], ordinal: bool = False) -> Agreement:
    """The figures for one row from its pairs of answers counted: ``{(a, b): how many}``."""
    if not counts:
        return Agreement(label, 0, None, None)
    # Unweighted kappa needs no order: the answers that occur are the categories.
    figures = agreement_figures(counts, labels=SIX if ordinal else None, weighted=ordinal)
    return Agreement(
        label,
        figures.pairs,
        figures.percent,
        figures.kappa,
        figures.linear,
        figures.quadratic,
        agreed=figures.agreed,
    )


def compute(exercise: Exercise) -> dict[str, Any]:
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
    # One pass: the pairs of answers counted for each pair of readers and question, in
    # the order the pairs first compared an answer; the rows' counts are sums of these.
    cells: dict[tuple[int, int], Counter[tuple[str, str]]] = defaultdict(Counter)
    for case_id, subs in complete.items():
        pair_id = pair_of[case_id]
        for item_id in items:
            a = values.get((subs["reader"], item_id))
            b = values.get((subs["moderator"], item_id))
            if not a or not b:
                continue
            cells[(pair_id, item_id)][(";".join(sorted(a)), ";".join(sorted(b)))] += 1
    per_item: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    # Across questions an answer is the question and its value: "yes" to two questions
    # is two categories.
    per_pair: dict[int, Counter[tuple[tuple[int, str], tuple[int, str]]]] = {}
    overall: Counter[tuple[tuple[int, str], tuple[int, str]]] = Counter()
    for (pair_id, item_id), counts in cells.items():
        per_item[item_id].update(counts)
        mine = per_pair.setdefault(pair_id, Counter())
        for (va, vb), n in counts.items():
            key = ((item_id, va), (item_id, vb))
            mine[key] += n
            overall[key] += n
    item_rows = [
        _stats(
            items[i].label,
            per_item[i],
            ordinal=list_names.get(items[i].choice_list_id or 0) == "six_point",
        )
        for i in items
        if per_item.get(i)
    ]

    pairs = {
        p.pk: p
        for p in Pair.objects.filter(exercise=exercise).select_related(
            "reader__user", "moderator__user"
        )
    }
    pair_rows = [
        _stats(f"{pairs[p].reader.user.full_name} and {pairs[p].moderator.user.full_name}", v)
        for p, v in per_pair.items()
        if p in pairs
    ]
    return {
        "records": len(complete),
        "items": item_rows,
        "pairs": pair_rows,
        "overall": _stats("All items", overall),
    }
