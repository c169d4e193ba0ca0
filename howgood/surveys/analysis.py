"""What a survey's answers show: per question, overall and by agency and by role.

Counting happens in the database: one grouped query counts every answer of the survey by
item, value, agency and role (``counts_query``), whatever the number of responses, and the
rank tests work from those counts (``stats.groups.kruskal_wallis_counts``), never from
lists of answers. Nothing is worked out while the survey is open or when fewer than the
threshold completed it (``selectors.results_withheld``: two looks a response apart would
show that person's answers). Disclosure control is built in:
- in a breakdown by agency or by role, a group smaller than twice the partnership's
  threshold (default 5, so 10) is shown together with others ("Other agencies
  together"): with fewer, 0% or 100% of the group tells each member's answer;
- within a shown breakdown, counts below the threshold are hidden and, where a hidden count
  could be worked out from the row and column totals, or hidden counts would add up to a
  small number, more are hidden (``stats.disclosure.suppress_groups``); the share of
  positive answers per group is read from the same published table.
Free-text answers are not part of the analysis; they are read on the comments page by the
coordinator and lead only.

Where services (agencies) or roles see a scale question differently, the gap is flagged: a
Kruskal–Wallis test across the groups, p-values adjusted for the number of questions (Holm),
and an effect size, in plain words. A gap is flagged when the adjusted p-value as shown
(three decimal places) is below 0.05 and the difference is more than negligible.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import CharField, Count, F, FilteredRelation, Q, Value

from howgood.questionnaires.models import Answer, Item, Section
from howgood.questionnaires.rendering import VersionTree
from howgood.stats.disclosure import small_group, suppress_groups
from howgood.stats.groups import holm, kruskal_wallis_counts
from howgood.surveys.models import Survey
from howgood.surveys.selectors import completed_with_version, completed_words, results_withheld

ROLE_ITEM = "role"
NOT_STATED = "Not stated"


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale (best first): how many of its first options are positive,
    what they are called ("71% agree or strongly agree"), and the three bands that groups
    are compared in (positive, middle, negative; the last ``positive`` options are the
    negative band). Comparing bands rather than single answers keeps cells big enough to
    show: with five answers in six agencies, many single-answer cells fall below the
    threshold and are hidden."""

    positive: int
    positive_label: str
    bands: tuple[str, str, str] | None  # None: the scale already has three answers


#: The ordered scales the analysis summarises and tests, by choice list name.
SCALES: dict[str, Scale] = {
    "agree5": Scale(
        2,
        "agree or strongly agree",
        ("Agree or strongly agree", "Neither agree nor disagree", "Disagree or strongly disagree"),
    ),
    "likert5": Scale(
        2,
        "agree or strongly agree",
        ("Agree or strongly agree", "Neither agree nor disagree", "Disagree or strongly disagree"),
    ),
    "often5": Scale(2, "always or mostly", ("Always or mostly", "Sometimes", "Rarely or never")),
    "faces3": Scale(1, "chose the happy face", None),
}
SCALE_LISTS = set(SCALES)


@dataclass
class Share:
    """Positive answers out of all answers; ``positive`` is None when hidden."""

    positive: int | None
    answered: int
    note: str = ""

    @property
    def percent(self) -> float | None:
        if self.positive is None or not self.answered:
            return None
        return 100 * self.positive / self.answered


@dataclass
class Breakdown:
    dimension: str  # "agency" or "role"
    groups: list[str]
    rows: list[list[int | None]]  # per group: counts per column (None = hidden)
    totals: list[int]
    shown: bool
    reason: str = ""
    test: Any = None
    adjusted_p: float | None = None
    shares: list[Share] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, label), as options
    combined: list[str] = field(default_factory=list)  # groups too small to show apart

    @property
    def combined_note(self) -> str:
        if not self.combined:
            return ""
        names = ", ".join(sorted(self.combined))
        return f"Too few answers to show apart, so shown together: {names}."

    @property
    def table_rows(self) -> list[tuple[str, list[int | None], int]]:
        return list(zip(self.groups, self.rows, self.totals, strict=False))

    def share_of(self, group: str) -> Share | None:
        if group in self.combined:
            return Share(None, 0, note="with others")
        if not self.shown or group not in self.groups or not self.shares:
            return None
        return self.shares[self.groups.index(group)]

    @property
    def noun(self) -> str:
        """What the groups are called in words: "services" (agencies) or "roles"."""
        return "services" if self.dimension == "agency" else "roles"

    @property
    def words(self) -> str:
        """The test in one sentence ("" when there is none). The flag (``flagged``) and
        these words make the same decision, on the p-value as shown."""
        if not self.test:
            return ""
        return str(self.test.in_words(self.adjusted_p, groups_noun=self.noun))

    @property
    def flagged(self) -> bool:
        return bool(
            self.test
            and self.adjusted_p is not None
            and self.test.is_clear(self.adjusted_p)
            and self.test.magnitude not in ("negligible",)
        )


@dataclass
class QuestionResult:
    item: Item
    options: list[tuple[str, str]]
    counts: list[int]
    answered: int
    is_scale: bool
    scale: Scale | None = None
    breakdowns: list[Breakdown] = field(default_factory=list)

    @property
    def positive_options(self) -> int:
        return self.scale.positive if self.scale else 0

    @property
    def positive_label(self) -> str:
        return self.scale.positive_label if self.scale else ""

    def bands(self) -> list[tuple[str, list[int]]]:
        """The columns groups are compared in: (label, the option positions it adds up)."""
        if self.scale is None or self.scale.bands is None:
            return [(label, [i]) for i, (_, label) in enumerate(self.options)]
        k, top = len(self.options), self.scale.positive
        positions = [list(range(top)), list(range(top, k - top)), list(range(k - top, k))]
        return list(zip(self.scale.bands, positions, strict=True))

    @property
    def chart_rows(self) -> list[tuple[str, list[int | None], int]]:
        """The bar drawn for everyone's answers: single-choice questions only (with several
        answers allowed, shares of one bar would not add up)."""
        if self.item.type != "select_one":
            return []
        return [("All respondents", list(self.counts), self.answered)]

    @property
    def share(self) -> Share | None:
        if not self.is_scale:
            return None
        return Share(sum(self.counts[: self.positive_options]), self.answered)

    def breakdown(self, dimension: str) -> Breakdown | None:
        return next((b for b in self.breakdowns if b.dimension == dimension), None)

    @property
    def flagged(self) -> bool:
        return any(b.flagged for b in self.breakdowns)

    @property
    def differ_words(self) -> str:
        """The tag on a flagged question: "Services differ", "Roles differ" or both."""
        nouns = [b.noun for b in self.breakdowns if b.flagged]
        if not nouns:
            return ""
        return " and ".join(nouns).capitalize() + " differ"

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
class SectionResult:
    section: Section
    questions: list[QuestionResult]
    agencies: list[str] = field(default_factory=list)

    @property
    def summary_rows(self) -> list[tuple[QuestionResult, list[Share | None]]]:
        """Each scale question's share of positive answers, per agency (None: no breakdown)."""
        rows = []
        for q in self.questions:
            if q.is_scale:
                by_agency = q.breakdown("agency")
                rows.append(
                    (q, [by_agency.share_of(a) if by_agency else None for a in self.agencies])
                )
        return rows


@dataclass
class Analysis:
    survey: Survey
    responses: int  # exact: show ``responses_words``
    sections: list[SectionResult]
    threshold: int
    agencies: list[str]
    withheld: str = ""  # why there are no results yet (selectors.results_withheld)
    responses_words: str = ""

    @property
    def small_group(self) -> int:
        """Groups with fewer answers than this are shown together with others."""
        return small_group(self.threshold)

    @property
    def questions(self) -> list[QuestionResult]:
        return [q for s in self.sections for q in s.questions]

    @property
    def flagged(self) -> list[tuple[QuestionResult, Breakdown]]:
        return [(q, b) for q in self.questions for b in q.breakdowns if b.flagged]


def counts_query(survey: Survey, role_item: Item | None) -> Any:
    """Every answer of the survey's complete responses, counted by item, value, the
    respondent's agency and their answer to the role question: one grouped query.

    Each row is ``(item_id, value_text, agency_id, role)``, ``n``; ``role`` is None where
    the survey has no role question or the respondent skipped it. The overall counts, the
    agency breakdown and the role breakdown are all sums over these rows, so one pass over
    the answers serves them all (bench/survey_analysis.py times it against the same query
    written by hand).
    """
    answers = Answer.objects.filter(
        submission__survey_response__survey=survey,
        submission__survey_response__complete=True,
    )
    role: Any = Value(None, CharField())
    if role_item is not None:
        answers = answers.annotate(
            role_answer=FilteredRelation(
                "submission__answers", condition=Q(submission__answers__item=role_item)
            )
        )
        role = F("role_answer__value_text")
    return (
        answers.annotate(role=role)
        .values_list("item_id", "value_text", "submission__survey_response__agency_id", "role")
        .annotate(n=Count("*"))
        .order_by()
    )


#: How long counted answers are kept unused (the key changes with the responses).
KEEP_SECONDS = 7 * 24 * 3600


def _counts_kept(survey: Survey, role_item: Item | None, version: str) -> list[tuple[Any, ...]]:
    """``counts_query``'s rows, kept in Django's cache until the completed responses change
    (``selectors.completed_with_version``): the one query whose cost grows with the
    responses (0.2 s at 4,000)."""
    key = f"surveys.counts:{survey.pk}:{version}:{role_item.pk if role_item else 0}"
    rows: list[tuple[Any, ...]] | None = cache.get(key)
    if rows is None:
        rows = list(counts_query(survey, role_item))
        cache.set(key, rows, KEEP_SECONDS)
    return rows


def analyse(survey: Survey) -> Analysis:
    """The survey's results, or none (``withheld`` says why) while it is open or when
    fewer than the threshold completed it (``selectors.results_withheld``)."""
    threshold = survey.partnership.suppression_threshold
    responses, version = completed_with_version(survey)
    withheld = results_withheld(survey, responses)
    if withheld:
        return Analysis(
            survey=survey,
            responses=responses,
            sections=[],
            threshold=threshold,
            agencies=[],
            withheld=withheld,
            responses_words=completed_words(survey, responses),
        )
    tree = VersionTree.published(survey.version)
    list_names = dict(survey.version.choice_lists.values_list("id", "name"))
    role_item = next(
        (i for i in tree.items if i.name == ROLE_ITEM and i.type == "select_one"), None
    )
    by_item: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_agency: dict[int, dict[int | None, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    by_role: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for item_id, value, agency_id, role, n in _counts_kept(survey, role_item, version):
        by_item[item_id][value] += n
        by_agency[item_id][agency_id][value] += n
        # Everyone is in a role group ("Not stated" for those who skipped it), so the
        # groups add up to the overall counts and no one can be found by subtraction.
        by_role[item_id][role or NOT_STATED][value] += n
    agencies = {a.pk: a.name for a in survey.audience.order_by("name")}
    role_labels = dict(tree.choices.get(role_item.choice_list_id or 0, [])) if role_item else {}
    shown_agencies = list(agencies.values()) if survey.is_staff_survey else []
    sections: dict[int, SectionResult] = {
        s.pk: SectionResult(section=s, questions=[], agencies=shown_agencies) for s in tree.sections
    }
    for item in tree.items:
        if item.type not in ("select_one", "select_multiple"):
            continue
        options = tree.choices.get(item.choice_list_id or 0, [])
        counts = [by_item[item.pk].get(name, 0) for name, _ in options]
        scale = SCALES.get(list_names.get(item.choice_list_id or 0, ""))
        is_scale = item.type == "select_one" and scale is not None
        result = QuestionResult(
            item=item,
            options=options,
            counts=counts,
            answered=sum(counts) if item.type == "select_one" else responses,
            is_scale=is_scale,
            scale=scale if is_scale else None,
        )
        if survey.is_staff_survey:
            groups = {
                agencies[k]: v
                for k, v in by_agency[item.pk].items()
                if k is not None and k in agencies
            }
            result.breakdowns.append(_breakdown("agency", groups, result, threshold))
            if role_item is not None and item.pk != role_item.pk:
                groups = {
                    (NOT_STATED if k == NOT_STATED else role_labels.get(k, k)): v
                    for k, v in by_role[item.pk].items()
                }
                result.breakdowns.append(_breakdown("role", groups, result, threshold))
        sections[item.section_id].questions.append(result)
    _adjust([q for s in sections.values() for q in s.questions])
    return Analysis(
        survey=survey,
        responses=responses,
        sections=[s for s in sections.values() if s.questions],
        threshold=threshold,
        agencies=shown_agencies,
        responses_words=completed_words(survey, responses),
    )


def _breakdown(
    dimension: str, groups: dict[str, dict[str, int]], question: QuestionResult, threshold: int
) -> Breakdown:
    names = sorted(groups)
    table = [[groups[g].get(name, 0) for name, _ in question.options] for g in names]
    totals = [sum(r) for r in table]
    bands = question.bands()
    banded = [[sum(row[i] for i in positions) for _, positions in bands] for row in table]
    columns = [(f"band{n}", label) for n, (label, _) in enumerate(bands)]
    combined: list[str] = []
    # A small group (fewer than twice the threshold) would show 0% or 100% whenever its
    # members all gave one answer, which tells each of them what the others said.
    least = small_group(threshold)
    small = [n for n, t in zip(names, totals, strict=True) if t < least]
    if small:
        # Groups too small to show on their own are added together (and, if that is still
        # too small, with the next smallest group), so every group shown is not small and
        # nobody's answers are left out of the comparison.
        by_size = sorted(zip(totals, names, strict=True))
        combined = list(small)
        while sum(t for t, n in by_size if n in combined) < least and len(combined) < len(names):
            combined.append(next(n for _, n in by_size if n not in combined))
        keep = [i for i, n in enumerate(names) if n not in combined]
        merged = [i for i, n in enumerate(names) if n in combined]
        label = f"Other {'agencies' if dimension == 'agency' else 'roles'} together"
        names = [names[i] for i in keep] + [label]
        table = [table[i] for i in keep] + [
            [sum(table[i][j] for i in merged) for j in range(len(question.options))]
        ]
        banded = [banded[i] for i in keep] + [
            [sum(banded[i][j] for i in merged) for j in range(len(columns))]
        ]
        totals = [sum(r) for r in table]
    if len(names) < 2:
        return Breakdown(
            dimension,
            names,
            [],
            totals,
            False,
            "Not shown: fewer than two groups have enough answers to show apart.",
            columns=columns,
            combined=combined,
        )
    # Only the banded table is published, so hidden cells stay hidden: nothing else shown
    # splits a group's answers in another way. Hidden cells never add up to a small number
    # either ("17 of 20 agreed" beside hidden cells says 3 did not).
    published = suppress_groups(banded, threshold)
    breakdown = Breakdown(
        dimension, names, published, totals, True, columns=columns, combined=combined
    )
    if question.is_scale:
        # The positive band is the first column: a group's share is shown when it is.
        breakdown.shares = [
            Share(row[0], total) for row, total in zip(published, totals, strict=True)
        ]
        # The scale's options in their listed order are its ranks (agree5: strongly agree first).
        try:
            breakdown.test = kruskal_wallis_counts(dict(zip(names, table, strict=True)))
        except ValueError:
            breakdown.test = None
    return breakdown


def _adjust(questions: list[QuestionResult]) -> None:
    """Holm-adjust the p-values of every test run on the survey, per dimension."""
    for dimension in ("agency", "role"):
        tested = [
            b
            for q in questions
            for b in q.breakdowns
            if b.dimension == dimension and b.test is not None
        ]
        for breakdown, adjusted in zip(tested, holm([b.test.p_value for b in tested]), strict=True):
            breakdown.adjusted_p = adjusted
