"""What a survey's answers show: per question, overall and by agency and by role.

Counting happens in the database (one grouped query for every answer of the survey,
whatever the number of responses). Disclosure control is built in:
- a breakdown by agency or by role is shown only when every group in it has at least the
  partnership's threshold of responses (default 5);
- within a shown breakdown, counts below the threshold are hidden and, where a hidden count
  could be worked out from the row and column totals, one more is hidden too
  (``stats.disclosure.suppress``).
Free-text answers are not part of the analysis; they are read on the comments page by the
coordinator and lead only.

Where services see a scale question differently, the gap is flagged: a Kruskal–Wallis test
across the groups, p-values adjusted for the number of questions (Holm), and an effect size,
in plain words.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from howgood.questionnaires.models import Answer, Item
from howgood.questionnaires.rendering import VersionTree
from howgood.surveys.models import Response, Survey

SCALE_LISTS = {"agree5", "faces3", "likert5"}
ROLE_ITEM = "role"


@dataclass
class Breakdown:
    dimension: str  # "agency" or "role"
    groups: list[str]
    rows: list[list[int | None]]  # per group: counts per option (None = hidden)
    totals: list[int]
    shown: bool
    reason: str = ""
    test: Any = None
    adjusted_p: float | None = None

    @property
    def table_rows(self) -> list[tuple[str, list[int | None], int]]:
        return list(zip(self.groups, self.rows, self.totals, strict=False))

    @property
    def flagged(self) -> bool:
        return bool(
            self.test
            and self.adjusted_p is not None
            and self.adjusted_p < 0.05
            and self.test.magnitude not in ("negligible",)
        )


@dataclass
class QuestionResult:
    item: Item
    options: list[tuple[str, str]]
    counts: list[int]
    answered: int
    is_scale: bool
    breakdowns: list[Breakdown] = field(default_factory=list)

    def percentages(self) -> list[float]:
        return [100 * n / self.answered if self.answered else 0.0 for n in self.counts]

    @property
    def rows(self) -> list[tuple[str, int, float]]:
        return [
            (label, n, pct)
            for (_, label), n, pct in zip(
                self.options, self.counts, self.percentages(), strict=True
            )
        ]


@dataclass
class Analysis:
    survey: Survey
    responses: int
    questions: list[QuestionResult]
    threshold: int

    @property
    def flagged(self) -> list[tuple[QuestionResult, Breakdown]]:
        return [(q, b) for q in self.questions for b in q.breakdowns if b.flagged]


def analyse(survey: Survey) -> Analysis:
    from howgood.stats.disclosure import suppress

    threshold = survey.partnership.suppression_threshold
    tree = VersionTree.load(survey.version)
    list_names = dict(survey.version.choice_lists.values_list("id", "name"))
    complete = Response.objects.filter(survey=survey, complete=True)
    responses = complete.count()
    # Every answer of a complete response, counted by item, value, agency (and role below).
    rows = (
        Answer.objects.filter(submission__survey_response__in=complete)
        .values_list("item_id", "value_text", "submission__survey_response__agency_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    by_item: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_agency: dict[int, dict[int | None, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for item_id, value, agency_id, n in rows:
        by_item[item_id][value] += n
        by_agency[item_id][agency_id][value] += n
    role_item = next(
        (i for i in tree.items if i.name == ROLE_ITEM and i.type == "select_one"), None
    )
    by_role: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    if role_item is not None:
        role_of = dict(
            Answer.objects.filter(
                submission__survey_response__in=complete, item=role_item
            ).values_list("submission_id", "value_text")
        )
        for item_id, submission_id, value in (
            Answer.objects.filter(submission__survey_response__in=complete)
            .exclude(item=role_item)
            .values_list("item_id", "submission_id", "value_text")
        ):
            role = role_of.get(submission_id)
            if role:
                by_role[item_id][role][value] += 1
    agencies = {a.pk: a.name for a in survey.audience.all()}
    role_labels = dict(tree.choices.get(role_item.choice_list_id or 0, [])) if role_item else {}
    questions: list[QuestionResult] = []
    for item in tree.items:
        if item.type not in ("select_one", "select_multiple"):
            continue
        options = tree.choices.get(item.choice_list_id or 0, [])
        counts = [by_item[item.pk].get(name, 0) for name, _ in options]
        is_scale = (
            item.type == "select_one" and list_names.get(item.choice_list_id or 0) in SCALE_LISTS
        )
        answered = sum(counts) if item.type == "select_one" else None
        result = QuestionResult(
            item=item,
            options=options,
            counts=counts,
            answered=answered if answered is not None else responses,
            is_scale=is_scale,
        )
        if survey.is_staff_survey:
            groups = {
                agencies.get(k, "Not given"): v
                for k, v in by_agency[item.pk].items()
                if k in agencies
            }
            result.breakdowns.append(
                _breakdown("agency", groups, options, threshold, is_scale, suppress)
            )
            if role_item is not None and item.pk != role_item.pk:
                groups = {role_labels.get(k, k): v for k, v in by_role[item.pk].items()}
                result.breakdowns.append(
                    _breakdown("role", groups, options, threshold, is_scale, suppress)
                )
        questions.append(result)
    _adjust(questions)
    return Analysis(survey=survey, responses=responses, questions=questions, threshold=threshold)


def _breakdown(
    dimension: str,
    groups: dict[str, dict[str, int]],
    options: list[tuple[str, str]],
    threshold: int,
    is_scale: bool,
    suppress: Any,
) -> Breakdown:
    names = sorted(groups)
    table = [[groups[g].get(name, 0) for name, _ in options] for g in names]
    totals = [sum(r) for r in table]
    if len(names) < 2:
        return Breakdown(dimension, names, [], totals, False, "Fewer than two groups answered.")
    small = [n for n, t in zip(names, totals, strict=True) if t < threshold]
    if small:
        return Breakdown(
            dimension,
            names,
            [],
            totals,
            False,
            f"Not shown: {len(small)} group{'s' if len(small) != 1 else ''} answered fewer than "
            f"{threshold} times, so a breakdown could single people out.",
        )
    breakdown = Breakdown(dimension, names, suppress(table, threshold), totals, True)
    if is_scale:
        from howgood.stats.groups import kruskal_wallis

        # Codes 1..k in the order the scale lists its options (for agree5: strongly agree first).
        samples = {
            g: [float(code) for code, n in enumerate(row, start=1) for _ in range(n)]
            for g, row in zip(names, table, strict=True)
        }
        try:
            breakdown.test = kruskal_wallis(samples)
        except ValueError:
            breakdown.test = None
    return breakdown


def _adjust(questions: list[QuestionResult]) -> None:
    """Holm-adjust the p-values of every test run on the survey, per dimension."""
    from howgood.stats.groups import holm

    for dimension in ("agency", "role"):
        tested = [
            b
            for q in questions
            for b in q.breakdowns
            if b.dimension == dimension and b.test is not None
        ]
        for breakdown, adjusted in zip(tested, holm([b.test.p_value for b in tested]), strict=True):
            breakdown.adjusted_p = adjusted
