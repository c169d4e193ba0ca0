"""The programme's figures, each with where it came from, read from the apps that own them.

A drafted letter or report states these numbers; its appendix lists each one with its
source, so a reader can trace "29 staff trained" to the training register. What counts as
part of the programme: surveys and record-reading exercises that are activities of the
programme (a pulse survey or a follow-up audit that is not, is not), workshops held by the
date, and everyone on the training register by the date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from howgood.childprotection.threshold import Headline, headline
from howgood.governance.models import Group, GroupKind
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
    value: int | str  # a count, or a figure as published ("28%", "fewer than 5")
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
            if figure.key == key and isinstance(figure.value, int):
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
            "People who moderated readings",
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
            "People trained to moderate",
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


@dataclass
class AnnualFigures:
    """What the child protection committee's annual report draws on: the programme's
    figures, the year's child protection data (small numbers withheld: the report is
    published), the committee itself and the plan's priorities."""

    programme: ProgrammeFigures
    threshold: Headline | None
    committee: Any = None
    members_by_agency: list[tuple[str, int]] = field(default_factory=list)
    meetings: int = 0
    subgroups: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    rag: list[tuple[str, int]] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    def as_json(self) -> list[dict[str, Any]]:
        return [asdict(f) for f in self.figures]


def annual_figures(partnership: Partnership, *, on: date | None = None) -> AnnualFigures:
    on = on or timezone.localdate()
    programme = programme_figures(partnership, on=on)
    found = AnnualFigures(programme=programme, threshold=headline(partnership, outside=True))
    committee = (
        Group.objects.filter(partnership=partnership, kind=GroupKind.CHILD_PROTECTION_COMMITTEE)
        .prefetch_related("members__agency", "subgroups")
        .first()
    )
    year_ago = on - timedelta(days=365)
    if committee is not None:
        found.committee = committee
        counts: dict[str, int] = {}
        for seat in committee.members.all():
            name = seat.agency.name if seat.agency else "No agency"
            counts[name] = counts.get(name, 0) + 1
        found.members_by_agency = sorted(counts.items())
        found.meetings = committee.meetings.filter(held_on__gt=year_ago, held_on__lte=on).count()
        found.subgroups = [g.name for g in committee.subgroups.all()]
    plan = current_plan(partnership)
    if plan is not None:
        found.priorities = [str(p) for p in plan.priorities.all()]
        rows = plan_rows(plan, on)
        colours = {
            c: sum(1 for r in rows if r.rag.colour == c)
            for c in ("red", "amber", "green", "complete")
        }
        found.rag = [
            ("Red", colours["red"]),
            ("Amber", colours["amber"]),
            ("Green", colours["green"]),
            ("Complete", colours["complete"]),
        ]
    t = found.threshold
    data_url = reverse("childprotection:index")
    found.figures = [
        *programme.figures,
        Figure(
            "committee_meetings",
            "Meetings of the committee in the year",
            found.meetings,
            f"Meetings of {committee.name} recorded in HowGood, {year_ago:%-d %B %Y} to "
            f"{on:%-d %B %Y}"
            if committee
            else "No child protection committee recorded in HowGood",
            reverse("governance:index"),
        ),
    ]
    if t is not None:
        found.figures += [
            Figure(
                "cp_concerns",
                "Child protection concerns",
                t.concerns,
                f"The Data section, {t.period}",
                data_url,
            ),
            Figure(
                "cp_wellbeing",
                "Concerns re-classified to wellbeing",
                t.wellbeing_share,
                f"The Data section, {t.period}",
                data_url,
            ),
            Figure(
                "cp_in_time",
                f"Initial planning meetings within {t.cppm_days} days",
                t.in_time_share,
                f"The Data section, {t.period}",
                data_url,
            ),
            Figure(
                "cp_registrations",
                "Registrations",
                t.registrations,
                f"The Data section, {t.period}",
                data_url,
            ),
            Figure(
                "cp_reregistrations",
                f"Re-registrations within {t.reregistration_months} months",
                t.reregistrations,
                f"The Data section, {t.period}",
                data_url,
            ),
            Figure(
                "cp_on_register",
                "Children on the register at the end",
                t.on_register,
                f"The Data section, {t.period}",
                data_url,
            ),
        ]
    return found
