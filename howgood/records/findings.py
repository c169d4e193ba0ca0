"""Findings of an exercise: what the moderated readings show, item by item and rolled up.

All counting happens in the database in two grouped queries whatever the number of
readings; this module shapes the result. Denominators are always carried with the
numbers, and the proportion word comes from the framework's bands.

Conventions (documented on the findings page too):
- Only completed moderations count: they are "the" reading of a record.
- A six-point item is a select_one on the choice list ``six_point`` (names 1-6).
  "Good or better" is 4, 5 or 6.
- A yes/no item uses a list containing the choice ``yes``; its headline is "yes".
- The denominator of an item is the number of moderated readings that answered it
  (skip logic means not every record is asked every question).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.cache import cache
from django.db.models import Count

from howgood.frameworks.selectors import frameworks_changed_at
from howgood.questionnaires.models import Answer, Item, Section
from howgood.questionnaires.rendering import VersionTree
from howgood.records.models import Exercise, Moderation
from howgood.records.selectors import findings_version
from howgood.stats.disclosure import proportion, suppress_groups
from howgood.stats.proportions import phrase, proportion_word

GOOD_OR_BETTER = {"4", "5", "6"}
SIX_POINT_LIST = "six_point"


@dataclass
class ItemFinding:
    item: Item
    section: Section
    kind: str  # six_point | yes_no | choice | multiple | other
    answered: int
    counts: list[tuple[str, str, int]]  # (choice name, label, count)
    headline_label: str = ""
    headline: int | None = None  # count of "yes" or of good-or-better

    @property
    def headline_pct(self) -> float | None:
        return (
            None
            if self.headline is None or not self.answered
            else 100 * self.headline / self.answered
        )

    def word(self, bands: Any = None) -> str:
        if self.headline is None or not self.answered:
            return ""
        return proportion_word(self.headline, self.answered, bands)

    def distribution(self) -> list[tuple[str, int, float]]:
        return [
            (label, n, 100 * n / self.answered if self.answered else 0.0)
            for _, label, n in self.counts
        ]


@dataclass
class RollUp:
    key: str
    title: str
    six_point: int = 0  # evaluations
    good_or_better: int = 0
    yes_no: int = 0  # answers to yes/no items
    yes: int = 0
    items: list[ItemFinding] = field(default_factory=list)


@dataclass
class Findings:
    exercise: Exercise
    moderated: int
    items: list[ItemFinding]
    sections: list[RollUp]
    indicators: list[RollUp]
    statements: list[RollUp]
    # For sharing (``for_sharing``): the threshold, and the items whose number answered
    # cannot be given without giving a small number away (so nothing of them is given).
    share_threshold: int | None = None
    withheld: set[int] = field(default_factory=set)

    def by_section(self) -> list[tuple[RollUp, list[ItemFinding]]]:
        return [(r, r.items) for r in self.sections]


def moderated_submissions(exercise: Exercise) -> Any:
    return Moderation.objects.filter(case__exercise=exercise, completed_at__isnull=False).values(
        "submission_id"
    )


def _kind(item: Item, names: set[str], list_name: str) -> str:
    if item.type == "select_one" and list_name == SIX_POINT_LIST:
        return "six_point"
    if item.type == "select_one" and "yes" in names:
        return "yes_no"
    if item.type == "select_one":
        return "choice"
    if item.type == "select_multiple":
        return "multiple"
    return "other"


def compute(exercise: Exercise) -> Findings:
    """Everything the findings page shows, in a fixed number of queries."""
    tree = VersionTree.load(exercise.template)
    moderated = Moderation.objects.filter(
        case__exercise=exercise, completed_at__isnull=False
    ).count()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # Joins rather than IN (subquery): the database's plan is then the hand-written one.
    moderated_answers = Answer.objects.filter(
        submission__moderation__case__exercise=exercise,
        submission__moderation__completed_at__isnull=False,
    )
    for item_id, value, n in (
        moderated_answers.values_list("item_id", "value_text").annotate(n=Count("*")).order_by()
    ):
        counts[item_id][value] = n
    # One answer row per answered single-valued item, so its denominator is the sum of its
    # counts; only multiple-choice items (one row per option) need a distinct count.
    multiple = [i.pk for i in tree.items if i.type == "select_multiple"]
    answered = {item_id: sum(values.values()) for item_id, values in counts.items()}
    if multiple:
        answered.update(
            moderated_answers.filter(item_id__in=multiple)
            .values_list("item_id")
            .annotate(n=Count("submission_id", distinct=True))
            .order_by()
        )
    list_names = {
        cl_id: name for cl_id, name in exercise.template.choice_lists.values_list("id", "name")
    }
    section_by_id = {s.pk: s for s in tree.sections}
    items: list[ItemFinding] = []
    for item in tree.items:
        if item.type == "note":
            continue
        choices = tree.choices.get(item.choice_list_id or 0, [])
        kind = _kind(
            item, {name for name, _ in choices}, list_names.get(item.choice_list_id or 0, "")
        )
        item_counts = counts.get(item.pk, {})
        if choices:
            ordered = [(name, label, item_counts.get(name, 0)) for name, label in choices]
        else:
            ordered = []
        finding = ItemFinding(
            item=item,
            section=section_by_id[item.section_id],
            kind=kind,
            answered=answered.get(item.pk, 0),
            counts=ordered,
        )
        if kind == "six_point":
            finding.headline_label = "good or better"
            finding.headline = sum(n for name, _, n in ordered if name in GOOD_OR_BETTER)
        elif kind == "yes_no":
            finding.headline_label = dict(choices).get("yes", "Yes").lower()
            finding.headline = item_counts.get("yes", 0)
        items.append(finding)
    return Findings(
        exercise=exercise,
        moderated=moderated,
        items=items,
        sections=_roll(items, "section"),
        indicators=_roll(items, "qi"),
        statements=_roll(items, "statement"),
    )


#: How long computed findings are kept when nothing changes (the key changes with the data).
KEEP_SECONDS = 7 * 24 * 3600


def _kept_format() -> str:
    """The shape of what is kept (the fields of the findings' classes), so that findings
    kept by an older release are never unpickled into a newer one's classes."""
    return ",".join(f.name for cls in (Findings, ItemFinding, RollUp) for f in fields(cls))


def compute_kept(exercise: Exercise, *, version: str | None = None) -> Findings:
    """``compute``, kept in Django's cache until what it is computed from changes: the
    exercise's completed moderations and template (``selectors.findings_version``) and
    the framework's text, which the roll-ups are titled with. For the findings page and
    its charts (docs/adr/0010-findings-chart-cache.md); documents compute afresh.
    ``version``: ``findings_version`` as the caller read it before, so that what is kept
    is never older than its key (read here when not given)."""
    if version is None:
        version = findings_version(exercise)
    raw = f"{exercise.pk}:{version}:{frameworks_changed_at()}:{_kept_format()}"
    key = "records.findings:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
    found: Findings | None = cache.get(key)
    if found is None:
        found = compute(exercise)
        cache.set(key, found, KEEP_SECONDS)
    return found


def _roll(items: list[ItemFinding], by: str) -> list[RollUp]:
    groups: dict[str, RollUp] = {}
    order: list[str] = []
    for finding in items:
        if by == "section":
            keys = [(str(finding.section.pk), finding.section.title)]
        elif by == "qi":
            keys = [
                (qi.number, f"QI {qi.number} {qi.title}")
                for qi in finding.item.quality_indicators.all()
            ]
        else:
            keys = [
                (str(s.number), f"Statement {s.number}: {s.short_title or s.text}")
                for s in finding.item.statements.all()
            ]
        for key, title in keys:
            if key not in groups:
                groups[key] = RollUp(key=key, title=title)
                order.append(key)
            group = groups[key]
            group.items.append(finding)
            if finding.kind == "six_point":
                group.six_point += finding.answered
                group.good_or_better += finding.headline or 0
            elif finding.kind == "yes_no":
                group.yes_no += finding.answered
                group.yes += finding.headline or 0
    if by == "qi":
        order.sort(key=lambda k: tuple(int(p) for p in k.split(".")))
    elif by == "statement":
        order.sort(key=int)
    return [groups[k] for k in order]


# --- For sharing outside the partnership (ADR 0008) ----------------------------------------------


def for_sharing(findings: Findings, threshold: int) -> Findings:
    """The findings as they may leave the partnership.

    An item asked of only some records (skip logic) has as its number answered a count of
    another item's answers: "20 of 27" says that 27 records had an IRD, and so that 4 of
    31 did not. So an item whose number answered cannot be given exactly against the
    records read (``stats.disclosure.proportion``) is withheld: nothing of it is given,
    and the roll-ups add up only the items that are given, so no total can be taken from
    another to find it. Every count shown then goes through ``shared_words`` or
    ``shared_counts``.
    """
    withheld = {
        f.item.pk
        for f in findings.items
        if not proportion(f.answered, findings.moderated, threshold).exact
    }
    given = [f for f in findings.items if f.item.pk not in withheld]
    return Findings(
        exercise=findings.exercise,
        moderated=findings.moderated,
        items=findings.items,
        sections=_roll(given, "section"),
        indicators=_roll(given, "qi"),
        statements=_roll(given, "statement"),
        share_threshold=threshold,
        withheld=withheld,
    )


def shown_items(findings: Findings) -> list[ItemFinding]:
    """The items whose results may be given (all of them unless shared)."""
    return [f for f in findings.items if f.item.pk not in findings.withheld]


def shared_words(part: int, whole: int, threshold: int) -> str:
    """ "k of n (p%)" when that gives nothing away, otherwise the range
    (``stats.disclosure.proportion``); "–" for nothing answered."""
    if not whole:
        return "–"
    shown = proportion(part, whole, threshold)
    return f"{shown.words} ({shown.percent}%)" if shown.exact else shown.words


def headline_words(finding: ItemFinding, bands: Any, threshold: int | None) -> str:
    """The item's headline: "most (27 of 31, 87%) yes"; for sharing (``threshold``) the
    same when exact, else a range with no proportion word ("more than 26 of 31 yes"),
    since the word would narrow the range down to the count."""
    if finding.headline is None or not finding.answered:
        return ""
    if threshold is not None:
        shown = proportion(finding.headline, finding.answered, threshold)
        if not shown.exact:
            return f"{shown.words} {finding.headline_label}"
    pct = round(100 * finding.headline / finding.answered)
    return (
        f"{finding.word(bands)} ({finding.headline} of {finding.answered}, {pct}%) "
        f"{finding.headline_label}"
    )


def shared_counts(finding: ItemFinding, threshold: int) -> list[int | None]:
    """The item's answer counts for sharing, hidden as one group's answers are
    (``stats.disclosure.suppress_groups``: small numbers, 0% or 100% of a small group,
    and no hidden part adding up to a small number)."""
    return suppress_groups([[n for _, _, n in finding.counts]], threshold)[0]


@dataclass
class Suggestion:
    key: str
    kind: str  # strength | improvement
    text: str


def suggestions(findings: Findings, bands: Any = None) -> list[Suggestion]:
    """Strengths and areas for improvement suggested by the thresholds of the exercise."""
    strong = findings.exercise.strength_threshold
    weak = findings.exercise.improvement_threshold
    result = []
    for finding in findings.items:
        pct = finding.headline_pct
        if pct is None or finding.answered == 0:
            continue
        words = phrase(finding.headline or 0, finding.answered, "records", bands)
        share = words[0].upper() + words[1:]
        if finding.kind == "six_point":
            sentence = (
                f"{share} were evaluated good or better for: {finding.item.label.rstrip('?')}."
            )
        else:
            sentence = f"{share}: {finding.item.label.rstrip('?')} – {finding.headline_label}."
        if pct >= strong:
            result.append(Suggestion(finding.item.name, "strength", sentence))
        elif pct < weak:
            result.append(Suggestion(finding.item.name, "improvement", sentence))
    return result
