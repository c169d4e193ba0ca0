"""The programme's figures, each with where it came from, read from the apps that own them.

A drafted letter or report states these numbers; its appendix lists each one with its
source, so a reader can trace "29 staff trained" to the training register. What counts as
part of the programme: surveys and record-reading exercises that are activities of the
programme (a pulse survey or a follow-up audit that is not, is not), workshops held by the
date, and everyone on the training register by the date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from howgood.improvement.selectors import current_plan, plan_rows
from howgood.partnerships.models import Partnership
from howgood.partnerships.selectors import trained_for_reading, workshop_participation
from howgood.records.selectors import accepted_conclusions, programme_reading
from howgood.selfevaluation.selectors import self_evaluated
from howgood.surveys.selectors import programme_surveys

KIND_WORDS = {
    "staff_survey": "staff",
    "children_survey": "children and young people's",
    "carers_survey": "parents and carers'",
}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    source: str
    url: str = ""


@dataclass
class ProgrammeFigures:
    """The figures, and the lists the text draws on (strengths, areas, actions)."""

    on: date
    figures: list[Figure]
    staff_by_agency: list[tuple[str, str]] = field(default_factory=list)
    surveys: list[dict[str, Any]] = field(default_factory=list)
    quality_indicators: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> int:
        for figure in self.figures:
            if figure.key == key:
                return figure.value
        raise KeyError(key)

    def as_json(self) -> list[dict[str, Any]]:
        return [asdict(f) for f in self.figures]


def _surveys(found: list[dict[str, Any]]) -> tuple[list[Figure], list[tuple[str, str]]]:
    figures = []
    for kind, words in KIND_WORDS.items():
        rows = [r for r in found if r["kind"] == kind]
        shown = [r for r in rows if r["closed"]]
        listed = "; ".join(
            f"{r['survey'].title} ({r['responses_words']} completed"
            f"{'' if r['closed'] else ', still open so not counted'})"
            for r in rows
        )
        figures.append(
            Figure(
                f"{kind.removesuffix('_survey')}_responses",
                f"Responses to the {words} survey",
                sum(r["responses"] for r in shown),
                f"Completed responses to the programme's {words} surveys, once closed: "
                + (listed or "none"),
                reverse("surveys:index"),
            )
        )
    by_agency: list[tuple[str, str]] = []
    for row in found:
        if row["kind"] == "staff_survey" and row["closed"]:
            by_agency += [(r["agency"].name, r["responses_words"]) for r in row["by_agency"]]
    return figures, by_agency


def programme_figures(partnership: Partnership, *, on: date | None = None) -> ProgrammeFigures:
    """Read every figure of the programme as at ``on`` (today by default)."""
    on = on or timezone.localdate()
    surveys = programme_surveys(partnership)
    survey_figures, by_agency = _surveys(surveys)
    reading = programme_reading(partnership)
    trained = trained_for_reading(partnership, on=on)
    workshops = workshop_participation(partnership, on=on)
    evaluated = self_evaluated(partnership)
    conclusions = accepted_conclusions(partnership)
    plan = current_plan(partnership)
    rows = plan_rows(plan, on) if plan else []
    records_url = reverse("records:index")
    programme_url = reverse("partnerships:programme")
    figures = [
        *survey_figures,
        Figure(
            "records_read",
            "Children's records read",
            reading["records"],
            "Records with at least one submitted reading in the programme's record reading: "
            + ("; ".join(reading["exercises"]) or "none"),
            records_url,
        ),
        Figure(
            "local_readers",
            "Local practitioners who read records",
            reading["readers"],
            "Distinct members who submitted a reading as a pair's reader (moderators and "
            "scrutiny partners apart)",
            records_url,
        ),
        Figure(
            "moderators",
            "Local staff who moderated readings",
            reading["moderators"],
            "Distinct members who submitted a reading as a pair's moderator",
            records_url,
        ),
        Figure(
            "trained",
            "Staff trained in record reading",
            trained["local"],
            f"The training register on {on:%-d %B %Y}: distinct members trained in record "
            "reading, scrutiny partners apart",
            reverse("partnerships:training"),
        ),
        Figure(
            "trained_moderation",
            "Staff trained to moderate",
            trained["moderation"],
            "The training register: distinct members trained to moderate and not also in "
            "record reading",
            reverse("partnerships:training"),
        ),
        Figure(
            "inspectors_trained",
            "Scrutiny partners trained",
            trained["inspectors"],
            "The training register: scrutiny partners (not the partnership's staff)",
            reverse("partnerships:training"),
        ),
        Figure(
            "workshops",
            "Workshops held",
            workshops["workshops"],
            f"Workshop activities of the programme started by {on:%-d %B %Y}, not cancelled",
            programme_url,
        ),
        Figure(
            "workshop_people",
            "Distinct staff who took part in the workshops",
            workshops["people"],
            f"People named as taking part, each once, at {workshops['named_workshops']} of the "
            f"{workshops['workshops']} workshops",
            programme_url,
        ),
        Figure(
            "workshop_counted",
            "Attendances counted by agency at workshops without names",
            workshops["counted"],
            f"Numbers by agency at {workshops['counted_workshops']} workshops whose people are "
            "not named (a person at two of them counts twice)",
            programme_url,
        ),
        Figure(
            "quality_indicators",
            "Quality indicators self-evaluated",
            len(evaluated["quality_indicators"]),
            "Quality indicators given an evaluation at a workshop: "
            + ("; ".join(evaluated["quality_indicators"]) or "none"),
            reverse("selfevaluation:index"),
        ),
        Figure(
            "strengths",
            "Strengths identified",
            len(evaluated["strengths"]) + len(conclusions["strength"]),
            f"{len(evaluated['strengths'])} recorded at workshops and "
            f"{len(conclusions['strength'])} accepted from the record reading findings",
            reverse("selfevaluation:index"),
        ),
        Figure(
            "areas",
            "Areas for improvement identified",
            len(evaluated["areas"]) + len(conclusions["improvement"]),
            f"{len(evaluated['areas'])} recorded at workshops and "
            f"{len(conclusions['improvement'])} accepted from the record reading findings",
            reverse("selfevaluation:index"),
        ),
        Figure(
            "actions",
            "Improvement plan actions",
            len(rows),
            f"Actions in {plan.title}" if plan else "No improvement plan yet",
            reverse("improvement:index"),
        ),
    ]
    return ProgrammeFigures(
        on=on,
        figures=figures,
        staff_by_agency=by_agency,
        surveys=surveys,
        quality_indicators=evaluated["quality_indicators"],
        strengths=[*evaluated["strengths"], *conclusions["strength"]],
        areas=[*evaluated["areas"], *conclusions["improvement"]],
        actions=[
            {
                "title": r.action.title,
                "owner": r.action.owner.user.full_name if r.action.owner else "no owner yet",
                "due": f"due {r.action.due_on:%-d %B %Y}" if r.action.due_on else "no date yet",
            }
            for r in rows
        ],
        exercises=reading["exercises"],
    )
