"""Live evidence: what each evidence link shows now, worked out in batches.

``resolve(links)`` groups the links by what they point at and works each source out once:
one survey analysis per survey, one set of findings per record-reading exercise, one
query for all the measures' points, one for the actions, one for the documents. So a
position statement with 200 links costs the same queries as one with 20 (bench:
``bench/position_statement.py``).

Every view carries its numbers with their denominators and the moment they were taken.
``share=True`` (anything leaving the partnership: the position statement's exports)
hides counts below the partnership's threshold, as the rest of HowGood does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from howgood.frameworks.selectors import bands_for, default_framework
from howgood.improvement.models import Action, Measure
from howgood.improvement.selectors import action_rag, measure_charts
from howgood.partnerships.roles import can
from howgood.questionnaires.models import Item
from howgood.records import findings
from howgood.records.models import Exercise
from howgood.selfevaluation.models import Document, EvidenceKind, EvidenceLink
from howgood.stats.disclosure import proportion
from howgood.surveys.analysis import analyse
from howgood.surveys.models import Survey


@dataclass
class EvidenceView:
    """What a link shows. ``summary`` is one sentence with its numbers."""

    link_id: int
    kind: str
    kind_label: str
    title: str
    summary: str
    source: str
    url: str
    taken_at: str  # ISO date and time the numbers were worked out
    available: bool = True
    detail: list[str] = field(default_factory=list)
    chart_id: int | None = None  # a measure to draw, for documents

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvidenceView:
        return cls(**data)

    @property
    def taken(self) -> datetime:
        return datetime.fromisoformat(self.taken_at)


def _count(n: int, share: bool, threshold: int) -> str:
    return f"fewer than {threshold}" if share and 0 < n < threshold else f"{n:,}"


def _pct(part: int, whole: int, share: bool, threshold: int) -> str:
    if not whole:
        return "no answers"
    if share:
        # One rule for every shared figure: a range where the count or the rest is small.
        shown = proportion(part, whole, threshold)
        if not shown.exact:
            return shown.words
    return f"{round(100 * part / whole)}% ({part:,} of {whole:,})"


def _exact(part: int, whole: int, share: bool, threshold: int) -> bool:
    """Whether ``_pct`` gives the count (a proportion word may stand beside it only then:
    "most" and "more than 26 of 31" leave only 27)."""
    return not share or proportion(part, whole, threshold).exact


def resolve(
    links: Iterable[EvidenceLink], *, share: bool = False, role: str | None = None
) -> dict[int, EvidenceView]:
    """The views of ``links`` (id → view), each source worked out once.

    ``role`` is the viewer's role: someone whose role cannot open the survey analysis or
    the record-reading findings sees those results as they would be shared (small numbers
    hidden), like a reader of the finished statement.
    """

    links = list(links)
    survey_share = share or (role is not None and not can(role, "surveys.view"))
    reading_share = share or (role is not None and not can(role, "records.findings"))
    now = timezone.now().isoformat(timespec="seconds")
    by_kind: dict[str, list[EvidenceLink]] = defaultdict(list)
    for link in links:
        by_kind[link.kind].append(link)
    views: dict[int, EvidenceView] = {}
    _surveys(by_kind[EvidenceKind.SURVEY_QUESTION], views, now, survey_share)
    _readings(
        by_kind[EvidenceKind.READING_ITEM] + by_kind[EvidenceKind.READING_INDICATOR],
        views,
        now,
        reading_share,
    )
    _measures(by_kind[EvidenceKind.MEASURE], views, now)
    _actions(by_kind[EvidenceKind.ACTION], views, now)
    _documents(by_kind[EvidenceKind.DOCUMENT], views, now)
    for link in links:
        views.setdefault(link.pk, _missing(link, now))
    return views


def _missing(link: EvidenceLink, now: str) -> EvidenceView:
    return EvidenceView(
        link.pk,
        link.kind,
        link.get_kind_display(),
        "No longer available",
        "What this evidence pointed at has been removed.",
        "",
        "",
        now,
        available=False,
    )


def _surveys(
    links: list[EvidenceLink], views: dict[int, EvidenceView], now: str, share: bool
) -> None:

    wanted: dict[int, list[EvidenceLink]] = defaultdict(list)
    for link in links:
        if link.survey_id and link.item_id:
            wanted[link.survey_id].append(link)
    if not wanted:
        return
    for survey in Survey.objects.filter(pk__in=wanted).select_related(
        "partnership", "version__questionnaire"
    ):
        analysis = analyse(survey)
        threshold = analysis.threshold
        results = {q.item.pk: q for q in analysis.questions}
        url = reverse("surveys:analysis", args=[survey.pk])
        if analysis.withheld:
            # Still open, or too few answered: no results, only why not (ADR 0008).
            labels = dict(
                Item.objects.filter(
                    pk__in=[link.item_id for link in wanted[survey.pk]]
                ).values_list("pk", "label")
            )
            for link in wanted[survey.pk]:
                views[link.pk] = EvidenceView(
                    link.pk,
                    link.kind,
                    survey.version.questionnaire.get_kind_display(),
                    labels.get(link.item_id or 0, survey.title),
                    analysis.withheld,
                    f"{survey.title}, {analysis.responses_words} responses so far",
                    url,
                    now,
                )
            continue
        for link in wanted[survey.pk]:
            q = results.get(link.item_id or 0)
            if q is None:
                continue
            if q.is_scale and q.share is not None and q.share.positive is not None:
                summary = (
                    f"{_pct(q.share.positive, q.answered, share, threshold)} {q.positive_label}"
                )
            else:
                top = max(q.rows, key=lambda r: r[1]) if q.rows else None
                summary = (
                    f"Most often: {top[0]}, {_pct(top[1], q.answered, share, threshold)}"
                    if top and q.answered
                    else "No answers yet"
                )
            detail = [f"{b.dimension.capitalize()}: {b.words}" for b in q.breakdowns if b.flagged]
            views[link.pk] = EvidenceView(
                link.pk,
                link.kind,
                survey.version.questionnaire.get_kind_display(),
                q.item.label,
                summary,
                f"{survey.title}, {_count(analysis.responses, share, threshold)} responses",
                url + f"#q-{q.item.pk}",
                now,
                detail=detail,
            )


def _readings(
    links: list[EvidenceLink], views: dict[int, EvidenceView], now: str, share: bool
) -> None:

    wanted: dict[int, list[EvidenceLink]] = defaultdict(list)
    for link in links:
        if link.exercise_id:
            wanted[link.exercise_id].append(link)
    if not wanted:
        return
    bands = bands_for(default_framework())
    for exercise in Exercise.objects.filter(pk__in=wanted).select_related(
        "partnership", "template"
    ):
        result = findings.compute_kept(exercise)
        threshold = exercise.partnership.suppression_threshold
        if share:
            result = findings.for_sharing(result, threshold)
        items = {f.item.pk: f for f in result.items}
        indicators = {r.key: r for r in result.indicators}
        url = reverse("records:findings", args=[exercise.pk])
        source = (
            f"{exercise.title}: {_count(result.moderated, share, threshold)} records read "
            "and moderated"
        )
        for link in wanted[exercise.pk]:
            if link.kind == EvidenceKind.READING_ITEM:
                f = items.get(link.item_id or 0)
                if f is None:
                    continue
                if f.item.pk in result.withheld:
                    summary = "Not shown, so that a small number cannot be worked out"
                elif f.headline is not None and f.answered:
                    figure = _pct(f.headline, f.answered, share, threshold)
                    if _exact(f.headline, f.answered, share, threshold):
                        word = f.word(bands)
                        summary = (
                            f"{word[0].upper() + word[1:]} of records: {figure} {f.headline_label}"
                        )
                    else:
                        summary = f"Records: {figure} {f.headline_label}"
                else:
                    summary = f"Answered for {_count(f.answered, share, threshold)} records"
                views[link.pk] = EvidenceView(
                    link.pk, link.kind, "Record reading", f.item.label, summary, source, url, now
                )
            else:
                qi = link.quality_indicator
                roll = indicators.get(qi.number if qi else "")
                if roll is None or qi is None:
                    continue
                parts = []
                if roll.six_point:
                    parts.append(
                        f"{_pct(roll.good_or_better, roll.six_point, share, threshold)} "
                        "evaluations good or better"
                    )
                if roll.yes_no:
                    parts.append(f"{_pct(roll.yes, roll.yes_no, share, threshold)} answers yes")
                views[link.pk] = EvidenceView(
                    link.pk,
                    link.kind,
                    "Record reading",
                    roll.title,
                    "; ".join(parts) or "No evaluations yet",
                    source,
                    url,
                    now,
                )


def _measures(links: list[EvidenceLink], views: dict[int, EvidenceView], now: str) -> None:
    ids = {link.measure_id for link in links if link.measure_id}
    if not ids:
        return
    rows = {row.measure.pk: row for row in measure_charts(Measure.objects.filter(pk__in=ids))}
    for link in links:
        row = rows.get(link.measure_id or 0)
        if row is None:
            continue
        measure, chart = row.measure, row.chart
        latest = chart.latest
        unit = "%" if measure.multiply == 100 and measure.has_denominator else ""
        if latest is None:
            summary = "No data yet"
        else:
            summary = f"Latest {latest.label}: {latest.value:.1f}{unit}. " + (
                chart.variation_words or chart.summary
            )
        views[link.pk] = EvidenceView(
            link.pk,
            link.kind,
            f"{measure.get_type_display()} measure",
            measure.title,
            summary,
            f"{len(chart.points)} {measure.get_frequency_display().lower()} points",
            reverse("improvement:measure", args=[measure.pk]),
            now,
            detail=[s for s in chart.signals if not s.startswith("No signals")],
            chart_id=measure.pk,
        )


def _actions(links: list[EvidenceLink], views: dict[int, EvidenceView], now: str) -> None:
    ids = {link.action_id for link in links if link.action_id}
    if not ids:
        return
    actions = {
        a.pk: a for a in Action.objects.filter(pk__in=ids).select_related("owner__user", "plan")
    }
    for link in links:
        action = actions.get(link.action_id or 0)
        if action is None:
            continue
        rag = action_rag(action)
        owner = action.owner.user.full_name if action.owner is not None else "no owner yet"
        due = f", due {action.due_on:%-d %B %Y}" if action.due_on else ""
        views[link.pk] = EvidenceView(
            link.pk,
            link.kind,
            "Plan action",
            action.title,
            f"{action.get_status_display()}, {action.progress}% done{due} ({rag.label}: "
            f"{rag.reason.rstrip('.')}); owner {owner}",
            action.plan.title,
            reverse("improvement:action", args=[action.pk]),
            now,
        )


def _documents(links: list[EvidenceLink], views: dict[int, EvidenceView], now: str) -> None:
    ids = {link.document_id for link in links if link.document_id}
    if not ids:
        return
    documents = {d.pk: d for d in Document.objects.filter(pk__in=ids).select_related("agency")}
    for link in links:
        doc = documents.get(link.document_id or 0)
        if doc is None:
            continue
        views[link.pk] = EvidenceView(
            link.pk,
            link.kind,
            doc.get_type_display(),
            doc.title,
            doc.summary,
            f"{doc.agency.name + ', ' if doc.agency else ''}{doc.dated:%-d %B %Y}",
            reverse("selfevaluation:document", args=[doc.pk]),
            now,
        )
