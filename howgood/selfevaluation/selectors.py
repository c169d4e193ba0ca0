"""Reads for the self-evaluation pages, each in a fixed number of queries."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from howgood.frameworks.models import QualityIndicator
from howgood.improvement.models import Action, Measure
from howgood.questionnaires.models import Item
from howgood.records.models import Exercise
from howgood.selfevaluation.models import (
    Contribution,
    ContributionKind,
    Document,
    EvidenceKind,
    EvidenceLink,
    Focus,
    PositionStatement,
    ServiceAudit,
    ServiceAuditFinding,
    StatementSection,
    StatementVersion,
    Workshop,
)
from howgood.surveys.models import Survey

LONG_STANDING_DAYS = 182  # a finding open for six months or more is long-standing


def documents_of(partnership: Any) -> QuerySet[Document]:
    return (
        Document.objects.filter(partnership=partnership)
        .select_related("agency", "uploaded_by")
        .prefetch_related("quality_indicators")
    )


@dataclass
class FindingRow:
    finding: ServiceAuditFinding
    days_open: int

    @property
    def long_standing(self) -> bool:
        return self.finding.status == "open" and self.days_open >= LONG_STANDING_DAYS


def register(partnership: Any, today: date) -> list[tuple[ServiceAudit, list[FindingRow]]]:
    """Every audit with its findings and how long each has stayed open (two queries)."""
    records = list(
        ServiceAudit.objects.filter(partnership=partnership)
        .select_related("agency", "document")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=ServiceAuditFinding.objects.select_related("repeat_of__audit").order_by(
                    "id"
                ),
            )
        )
    )
    rows = []
    for record in records:
        findings = [
            FindingRow(f, ((f.closed_on or today) - f.raised_on).days)
            for f in record.findings.all()
        ]
        rows.append((record, findings))
    return rows


def workshops_of(partnership: Any) -> QuerySet[Workshop]:
    return (
        Workshop.objects.filter(partnership=partnership)
        .select_related("activity")
        .prefetch_related(
            Prefetch(
                "foci",
                queryset=Focus.objects.select_related("quality_indicator", "statement"),
            )
        )
    )


def focus_contributions(focus: Focus) -> dict[str, list[tuple[Contribution, list[Contribution]]]]:
    """Contributions by kind; each shown one with the duplicates merged into it."""
    everything = list(
        focus.contributions.select_related("author", "agency").prefetch_related("actions")
    )
    merged: dict[int, list[Contribution]] = defaultdict(list)
    for c in everything:
        if c.merged_into_id:
            merged[c.merged_into_id].append(c)
    by_kind: dict[str, list[tuple[Contribution, list[Contribution]]]] = {
        k: [] for k in ContributionKind.values
    }
    for c in everything:
        if not c.merged_into_id:
            by_kind[c.kind].append((c, merged.get(c.pk, [])))
    return by_kind


def agencies_contributing(focus: Focus) -> list[str]:
    return sorted(
        set(focus.contributions.filter(agency__isnull=False).values_list("agency__name", flat=True))
    )


def statements_of(partnership: Any) -> QuerySet[PositionStatement]:
    return PositionStatement.objects.filter(partnership=partnership)


def statement_sections(statement: PositionStatement) -> list[StatementSection]:
    return list(
        statement.sections.select_related("inspection_statement", "updated_by").prefetch_related(
            Prefetch("evidence", queryset=EvidenceLink.objects.select_related("quality_indicator")),
            "comments__author",
            "actions__action",
        )
    )


def statement_links(statement: PositionStatement) -> list[EvidenceLink]:
    return list(
        EvidenceLink.objects.filter(section__statement=statement).select_related(
            "quality_indicator"
        )
    )


def versions_of(statement: PositionStatement) -> QuerySet[StatementVersion]:
    return statement.versions.select_related("created_by", "signed_off_by")


def evidence_choices(partnership: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """Everything evidence can point at, grouped for a picker: value "kind:id[:id]"."""

    groups: list[tuple[str, list[tuple[str, str]]]] = []
    surveys = list(Survey.objects.filter(partnership=partnership).select_related("version"))
    items_by_version: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(
        version_id__in={s.version_id for s in surveys}, type__in=["select_one", "select_multiple"]
    ).order_by("order"):
        items_by_version[item.version_id].append(item)
    for survey in surveys:
        groups.append(
            (
                f"Survey: {survey.title}",
                [
                    (f"{EvidenceKind.SURVEY_QUESTION}:{survey.pk}:{i.pk}", i.label[:120])
                    for i in items_by_version[survey.version_id]
                ],
            )
        )
    exercises = list(Exercise.objects.filter(partnership=partnership))
    items_by_template: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(
        version_id__in={e.template_id for e in exercises}, type__in=["select_one"]
    ).order_by("order"):
        items_by_template[item.version_id].append(item)

    qis = list(
        QualityIndicator.objects.filter(items__version_id__in={e.template_id for e in exercises})
        .distinct()
        .order_by("number")
    )
    for exercise in exercises:
        options = [
            (f"{EvidenceKind.READING_INDICATOR}:{exercise.pk}:{q.pk}", f"QI {q.number} {q.title}")
            for q in qis
        ]
        options += [
            (f"{EvidenceKind.READING_ITEM}:{exercise.pk}:{i.pk}", i.label[:120])
            for i in items_by_template[exercise.template_id]
        ]
        groups.append((f"Record reading: {exercise.title}", options))
    measures = [
        (f"{EvidenceKind.MEASURE}:{m.pk}", m.title)
        for m in Measure.objects.filter(partnership=partnership)
    ]
    if measures:
        groups.append(("Measures", measures))
    actions = [
        (f"{EvidenceKind.ACTION}:{a.pk}", a.title[:120])
        for a in Action.objects.filter(plan__partnership=partnership)
    ]
    if actions:
        groups.append(("Plan actions", actions))
    documents = [
        (f"{EvidenceKind.DOCUMENT}:{d.pk}", d.title)
        for d in Document.objects.filter(partnership=partnership)
    ]
    if documents:
        groups.append(("Documents", documents))
    return [g for g in groups if g[1]]


def parse_target(value: str) -> tuple[str, dict[str, Any]]:
    """The evidence kind and its targets from a picker value, loaded; ValueError if bad."""

    parts = value.split(":")
    kind = parts[0]
    ids = [int(p) for p in parts[1:] if p.isdigit()]
    if len(ids) != len(parts) - 1:
        raise ValueError(value)
    if kind == EvidenceKind.SURVEY_QUESTION and len(ids) == 2:
        return kind, {"survey": Survey.objects.get(pk=ids[0]), "item": Item.objects.get(pk=ids[1])}
    if kind == EvidenceKind.READING_ITEM and len(ids) == 2:
        return kind, {
            "exercise": Exercise.objects.get(pk=ids[0]),
            "item": Item.objects.get(pk=ids[1]),
        }
    if kind == EvidenceKind.READING_INDICATOR and len(ids) == 2:
        return kind, {
            "exercise": Exercise.objects.get(pk=ids[0]),
            "quality_indicator": QualityIndicator.objects.get(pk=ids[1]),
        }
    models: dict[str, Any] = {
        EvidenceKind.MEASURE: Measure,
        EvidenceKind.ACTION: Action,
        EvidenceKind.DOCUMENT: Document,
    }
    if kind in models and len(ids) == 1:
        return kind, {kind: models[kind].objects.get(pk=ids[0])}
    raise ValueError(value)


WORD = re.compile(r"[A-Za-z0-9’'][A-Za-z0-9’'\-]*")


TOKEN = re.compile(r"\[evidence (\d+)\]")


def word_count(text: str) -> int:
    """Words as a reader counts them; evidence markers like [evidence 12] do not count."""
    return len(WORD.findall(TOKEN.sub(" ", text)))


def statement_words(sections: Iterable[StatementSection]) -> int:
    return sum(word_count(s.now) + word_count(s.how_know) + word_count(s.next) for s in sections)


def statement_content(statement: PositionStatement) -> dict[str, dict[str, str]]:
    return {
        str(s.inspection_statement.number): {"now": s.now, "how_know": s.how_know, "next": s.next}
        for s in statement.sections.select_related("inspection_statement")
    }


def self_evaluated(partnership: Any) -> dict[str, Any]:
    """What the workshops evaluated: the quality indicators given an evaluation on the
    six-point scale (each once, in framework order), and the strengths and areas for
    improvement participants recorded (merged duplicates counted once). Two queries."""
    qis = (
        QualityIndicator.objects.filter(
            workshop_foci__workshop__partnership=partnership,
            workshop_foci__evaluation__isnull=False,
        )
        .distinct()
        .order_by("number")
    )
    found: dict[str, list[str]] = {ContributionKind.STRENGTH: [], ContributionKind.AREA: []}
    for kind, text in (
        Contribution.objects.filter(
            focus__workshop__partnership=partnership,
            merged_into__isnull=True,
            kind__in=list(found),
        )
        .order_by("focus__workshop__held_on", "focus_id", "id")
        .values_list("kind", "text")
    ):
        found[kind].append(text)
    return {
        "quality_indicators": [f"QI {qi.number} {qi.title}" for qi in qis],
        "strengths": found[ContributionKind.STRENGTH],
        "areas": found[ContributionKind.AREA],
    }
