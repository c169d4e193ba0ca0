"""Change between two rounds of record reading: an exercise and the earlier one it repeats.

Items are matched by name when both rounds use the same template or one derived from the
other (``same_lineage``); each matched item with a headline (a yes/no item's "yes", a
six-point item's "good or better") is compared with ``stats.change.compare_proportions``,
and so are the roll-ups by section, quality indicator and inspection statement. The areas
for improvement accepted in the earlier round come first, each with what happened to its
item. The words never claim a direction the interval does not support: a change is "clear"
only when the interval excludes no change and Fisher's test gives p < 0.05.

Shared outside the partnership (``share``), a comparison is made only where neither round's
counts would give a small number away; otherwise it is withheld.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max
from django.utils import timezone

from howgood.questionnaires.models import QuestionnaireVersion
from howgood.records.findings import Findings, ItemFinding, RollUp, compute_kept
from howgood.records.models import Conclusion, ConclusionStatus, Exercise, Moderation
from howgood.records.selectors import findings_version
from howgood.stats.change import Comparison, compare_proportions
from howgood.stats.disclosure import proportion
from howgood.stats.proportions import proportion_word

SIGNIFICANCE = 0.05
SMALL = 20  # a round with fewer records answering than this is said to be small


@dataclass
class Compared:
    """One thing compared: an item or a roll-up, then and now."""

    key: str
    title: str
    what: str  # what the headline counts, e.g. "yes" or "good or better"
    then: tuple[int, int] | None  # (headline, answered)
    now: tuple[int, int] | None
    comparison: Comparison | None = None
    words: str = ""
    verdict: str = ""  # "up", "down", "no clear change", "withheld", "not in both"

    @property
    def change_words(self) -> str:
        """The difference and its interval in percentage points: "+32 (+8 to +51)"."""
        c = self.comparison
        if c is None:
            return ""
        return f"{100 * c.difference:+.0f} points ({100 * c.ci_low:+.0f} to {100 * c.ci_high:+.0f})"


@dataclass
class ExerciseChange:
    then: Exercise
    now: Exercise
    same_lineage: bool
    items: list[Compared] = field(default_factory=list)
    areas: list[Compared] = field(default_factory=list)  # accepted last time, first
    strengths: list[Compared] = field(default_factory=list)  # accepted last time
    sections: list[Compared] = field(default_factory=list)
    indicators: list[Compared] = field(default_factory=list)
    statements: list[Compared] = field(default_factory=list)
    only_then: list[str] = field(default_factory=list)
    only_now: list[str] = field(default_factory=list)
    share: bool = False


def lineage(version: QuestionnaireVersion) -> set[int]:
    """The version and every version it was derived from."""
    found: set[int] = set()
    step: QuestionnaireVersion | None = version
    while step is not None and step.pk not in found:
        found.add(step.pk)
        step = step.derived_from
    return found


def same_lineage(a: QuestionnaireVersion, b: QuestionnaireVersion) -> bool:
    """Whether one template is the other or derived from it (so items match by name)."""
    return a.pk in lineage(b) or b.pk in lineage(a)


def _word(x: int, n: int, bands: Any) -> str:
    return f"{proportion_word(x, n, bands)} ({x} of {n})"


def describe(
    title: str, what: str, then: tuple[int, int], now: tuple[int, int], bands: Any = None
) -> tuple[Comparison, str, str]:
    """The comparison, the sentence that says it, and the verdict."""
    c = compare_proportions(then[0], then[1], now[0], now[1])
    figures = f"{_word(*then, bands)} then, {_word(*now, bands)} now"
    interval = (
        f"a change of {100 * c.difference:+.0f} points (95% interval {100 * c.ci_low:+.0f} "
        f"to {100 * c.ci_high:+.0f})"
    )  # the table says the same through Compared.change_words
    sentence = f"{title} ({what}): {figures}; {interval}."
    if c.p_value < SIGNIFICANCE and not c.includes_no_change:
        verdict = "up" if c.difference > 0 else "down"
        sentence += (
            f" It went {'up' if c.difference > 0 else 'down'}, and this is unlikely to be chance."
        )
    else:
        verdict = "no clear change"
        sentence += " The difference could be chance."
    if min(then[1], now[1]) < SMALL:
        sentence += " The numbers are small, so only a large change would show."
    return c, sentence, verdict


def _compare(
    key: str,
    title: str,
    what: str,
    then: tuple[int, int] | None,
    now: tuple[int, int] | None,
    *,
    bands: Any,
    share: bool,
    threshold: int,
) -> Compared:
    row = Compared(key=key, title=title, what=what, then=then, now=now)
    if then is None or now is None or not then[1] or not now[1]:
        row.verdict, row.words = "not in both", f"{title}: not answered in both rounds."
        return row
    if share and not all(proportion(x, n, threshold).exact for x, n in (then, now)):
        row.then = row.now = None
        row.verdict = "withheld"
        row.words = f"{title}: withheld, as the numbers in a round are small."
        return row
    row.comparison, row.words, row.verdict = describe(title, what, then, now, bands)
    return row


def _headline(finding: ItemFinding | None) -> tuple[int, int] | None:
    if finding is None or finding.headline is None:
        return None
    return finding.headline, finding.answered


def _what(finding: ItemFinding) -> str:
    return "good or better" if finding.kind == "six_point" else finding.headline_label or "yes"


def _rolls(
    then: Sequence[RollUp], now: Sequence[RollUp], bands: Any, share: bool, threshold: int
) -> list[Compared]:
    earlier = {r.key: r for r in then}
    rows = []
    for r in now:
        before = earlier.get(r.key)
        if before is None:
            continue
        for what, x, n, bx, bn in (
            (
                "good or better",
                r.good_or_better,
                r.six_point,
                before.good_or_better,
                before.six_point,
            ),
            ("yes", r.yes, r.yes_no, before.yes, before.yes_no),
        ):
            if n and bn:
                rows.append(
                    _compare(
                        f"{r.key}:{what}",
                        r.title,
                        what,
                        (bx, bn),
                        (x, n),
                        bands=bands,
                        share=share,
                        threshold=threshold,
                    )
                )
    return rows


def exercise_change(
    now_exercise: Exercise, *, share: bool = False, bands: Any = None
) -> ExerciseChange | None:
    """The change from the exercise it repeats to this one; None if it repeats nothing."""
    then_exercise = now_exercise.repeat_of
    if then_exercise is None:
        return None
    then = compute_kept(then_exercise, version=findings_version(then_exercise))
    now = compute_kept(now_exercise, version=findings_version(now_exercise))
    threshold = now_exercise.partnership.suppression_threshold
    found = ExerciseChange(
        then=then_exercise,
        now=now_exercise,
        same_lineage=same_lineage(then_exercise.template, now_exercise.template),
        share=share,
    )
    if not found.same_lineage:
        return found
    _items(found, then, now, bands, share, threshold)
    found.sections = _rolls(then.sections, now.sections, bands, share, threshold)
    found.indicators = _rolls(then.indicators, now.indicators, bands, share, threshold)
    found.statements = _rolls(then.statements, now.statements, bands, share, threshold)
    return found


def _items(
    found: ExerciseChange, then: Findings, now: Findings, bands: Any, share: bool, threshold: int
) -> None:
    earlier = {f.item.name: f for f in then.items}
    later = {f.item.name: f for f in now.items}
    found.only_then = [f.item.label for name, f in earlier.items() if name not in later]
    found.only_now = [f.item.label for name, f in later.items() if name not in earlier]
    by_name = {}
    for name, finding in later.items():
        before = earlier.get(name)
        if before is None or finding.kind not in ("six_point", "yes_no"):
            continue
        row = _compare(
            name,
            finding.item.label.rstrip("?"),
            _what(finding),
            _headline(before),
            _headline(finding),
            bands=bands,
            share=share,
            threshold=threshold,
        )
        found.items.append(row)
        by_name[name] = row
    accepted = list(
        Conclusion.objects.filter(exercise=found.then, status=ConclusionStatus.ACCEPTED).order_by(
            "id"
        )
    )
    found.areas = [by_name[c.key] for c in accepted if c.kind == "improvement" and c.key in by_name]
    found.strengths = [
        by_name[c.key] for c in accepted if c.kind == "strength" and c.key in by_name
    ]


@dataclass(frozen=True)
class RoundPoint:
    exercise: Exercise
    on: date  # when the round was read: its last moderated reading, else when it was set up
    headline: int
    answered: int


def rounds_of(exercise: Exercise) -> list[Exercise]:
    """The exercise and the earlier rounds it repeats, earliest first."""
    chain: list[Exercise] = []
    seen: set[int] = set()
    step: Exercise | None = exercise
    while step is not None and step.pk not in seen:
        chain.append(step)
        seen.add(step.pk)
        step = step.repeat_of
    return chain[::-1]


def round_series(exercise: Exercise, item_name: str) -> tuple[str, str, list[RoundPoint]]:
    """One question's headline in every round up to this one: (its label, what it counts,
    a point per round that answered it). ValueError if the question has no headline in this
    round."""
    points: list[RoundPoint] = []
    label = what = ""
    for round_ in rounds_of(exercise):
        found = compute_kept(round_, version=findings_version(round_))
        finding = next((f for f in found.items if f.item.name == item_name), None)
        if round_.pk == exercise.pk:
            if finding is None or finding.headline is None:
                raise ValueError(f"{item_name} has no yes or good-or-better count in this round")
            label, what = finding.item.label.rstrip("?"), _what(finding)
        if finding is None or finding.headline is None or not finding.answered:
            continue
        last = Moderation.objects.filter(
            case__exercise=round_, completed_at__isnull=False
        ).aggregate(last=Max("completed_at"))["last"]
        on = timezone.localdate(last) if last else timezone.localdate(round_.created_at)
        points.append(RoundPoint(round_, on, finding.headline, finding.answered))
    return label, what, points
