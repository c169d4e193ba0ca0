"""The demo's governance: the groups that govern Forthvale's children's services and child
protection, with terms of reference (the child protection committee's due for review), their
members by agency (the quality assurance subgroup has nobody from the police, and is flagged),
and three meetings whose decisions became actions of the improvement plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from howgood.core.demobuild import DemoBuild
from howgood.governance import services
from howgood.governance.models import Decision, Group
from howgood.improvement.models import Measure, Priority
from howgood.improvement.selectors import action_gaps, current_plan
from howgood.improvement.services import action_agree
from howgood.partnerships.models import Agency
from howgood.records.models import Exercise
from howgood.selfevaluation.demo import _docx
from howgood.selfevaluation.services import document_upload

# name, kind, reports to, purpose, agreed (days ago), review (days from today), quorum, meets
GROUPS = [
    (
        "Forthvale Chief Officers Group",
        "chief_officers",
        None,
        "The chief officers of the council, NHS Forthvale and Police Scotland: accountable for "
        "public protection in Forthvale.",
        500,
        230,
        3,
        "Quarterly",
    ),
    (
        "Forthvale Children and Young People's Partnership",
        "children_partnership",
        "Forthvale Chief Officers Group",
        "Oversees the children's services plan and the joint improvement plan.",
        300,
        430,
        6,
        "Every two months",
    ),
    (
        "Forthvale Child Protection Committee",
        "child_protection_committee",
        "Forthvale Chief Officers Group",
        "Leads, plans and assures child protection across the partnership's agencies.",
        760,
        -30,
        5,
        "Quarterly",
    ),
    (
        "Quality assurance subgroup",
        "subgroup",
        "Forthvale Child Protection Committee",
        "Runs the multi-agency audits and the self-evaluation programme; reports to the "
        "committee each quarter.",
        200,
        165,
        3,
        "Monthly",
    ),
    (
        "Learning and development subgroup",
        "subgroup",
        "Forthvale Child Protection Committee",
        "Plans multi-agency training and shares what audits and reviews teach us.",
        200,
        165,
        3,
        "Every two months",
    ),
]

# group -> (demo role or None, name if not a member, agency type, role on the group)
SEATS: dict[str, list[tuple[str | None, str, str, str]]] = {
    "Forthvale Chief Officers Group": [
        ("viewer", "", "social_work", "Chair"),
        (None, "Dr Moira Lennox", "health", "Member (NHS Forthvale chief executive)"),
        (None, "Chief Superintendent Alan Reid", "police", "Member (divisional commander)"),
        (None, "Jean Cowan", "education", "Member (director of education)"),
    ],
    "Forthvale Children and Young People's Partnership": [
        ("lead", "", "social_work", "Chair"),
        ("viewer", "", "social_work", "Member"),
        ("action_owner", "", "police", "Member"),
        (None, "Dr Moira Lennox", "health", "Member"),
        (None, "Jean Cowan", "education", "Member"),
        (None, "Ruth Mackenzie", "reporter", "Member (locality reporter manager)"),
        (None, "Gordon Hay", "third_sector", "Member (third sector forum)"),
        ("coordinator", "", "social_work", "Adviser"),
    ],
    "Forthvale Child Protection Committee": [
        ("lead", "", "social_work", "Chair"),
        ("action_owner", "", "police", "Member"),
        ("moderator", "", "education", "Member"),
        (None, "Dr Sarah Inglis", "health", "Member (lead paediatrician, child protection)"),
        (None, "Ruth Mackenzie", "reporter", "Member"),
        (None, "Gordon Hay", "third_sector", "Member"),
        ("coordinator", "", "social_work", "Lead officer"),
    ],
    "Quality assurance subgroup": [
        ("coordinator", "", "social_work", "Chair"),
        ("moderator", "", "education", "Member"),
        ("reader", "", "health", "Member"),
    ],
    "Learning and development subgroup": [
        (None, "Anne Fleming", "social_work", "Chair (learning and development lead)"),
        ("action_owner", "", "police", "Member"),
        (None, "Dr Sarah Inglis", "health", "Member"),
        (None, "Jean Cowan", "education", "Member"),
    ],
}


def load(build: DemoBuild) -> None:
    partnership, people = build.partnership, build.people
    actor = people["coordinator"].user
    today = date.today()
    agencies = {a.type: a for a in Agency.objects.filter(partnership=partnership)}
    groups: dict[str, Group] = {}
    for name, kind, parent, purpose, agreed, review, quorum, meets in GROUPS:
        terms = document_upload(
            partnership=partnership,
            title=f"{name}: terms of reference (demo)",
            dated=today - timedelta(days=agreed),
            type="terms",
            summary=f"The terms of reference of the {name}: its purpose, membership, quorum "
            "and how it reports.",
            name=f"terms-of-reference-{len(groups) + 1}.docx",
            data=_docx(f"{name}: terms of reference", [purpose, "An invented document."]),
            actor=actor,
        )
        groups[name] = services.group_create(
            partnership=partnership,
            data={
                "name": name,
                "kind": kind,
                "reports_to": groups.get(parent) if parent else None,
                "purpose": purpose,
                "terms": terms,
                "terms_agreed_on": today - timedelta(days=agreed),
                "terms_review_on": today + timedelta(days=review),
                "quorum": quorum,
                "meets": meets,
            },
            actor=actor,
        )
        for role, person, agency, seat_role in SEATS[name]:
            services.seat_add(
                group=groups[name],
                membership=people[role] if role else None,
                name=person,
                agency=agencies[agency],
                role=seat_role,
                actor=actor,
            )
    _meetings(build, groups, today)


def _attend(meeting: Any, absent: set[str], apologies: set[str], actor: Any) -> None:
    presence = {}
    for seat in meeting.group.members.all():
        name = seat.display_name
        presence[seat.pk] = (
            "absent" if name in absent else "apologies" if name in apologies else "present"
        )
    services.attendance_record(meeting=meeting, presence=presence, actor=actor)


def _meetings(build: DemoBuild, groups: dict[str, Group], today: date) -> None:
    partnership, people = build.partnership, build.people
    actor = people["coordinator"].user
    plan = current_plan(partnership)
    priorities = {p.number: p for p in Priority.objects.filter(plan=plan)} if plan else {}
    measure = Measure.objects.filter(partnership=partnership, title__startswith="IRDs").first()
    exercise = Exercise.objects.filter(partnership=partnership, activity__isnull=False).first()
    cpc, cypp = (
        groups["Forthvale Child Protection Committee"],
        groups["Forthvale Children and Young People's Partnership"],
    )

    first = services.meeting_create(
        group=cpc,
        held_on=today - timedelta(days=84),
        items=["Minutes and actions of the last meeting"],
        actor=actor,
    )
    threshold = services.item_add(
        meeting=first,
        title="Child protection concerns re-classified to wellbeing",
        target="threshold",
        discussion="The committee looked at the share of concerns re-classified to wellbeing "
        "by month, beside Scotland's rate, and asked why it is higher here.",
        actor=actor,
    )
    _attend(first, absent=set(), apologies={"Gordon Hay"}, actor=actor)
    services.decision_record(
        meeting=first,
        item=threshold,
        text="Read the records of a sample of re-classified concerns to see whether the "
        "threshold is applied consistently.",
        action={
            "title": "Read 20 records of re-classified concerns and report on thresholds to the "
            "committee",
            "owner": people["coordinator"],
            "due_on": today + timedelta(days=40),
            "priority": priorities.get(1),
        },
        actor=actor,
    )

    second = services.meeting_create(
        group=cypp, held_on=today - timedelta(days=56), items=[], actor=actor
    )
    findings = services.item_add(
        meeting=second,
        title="Findings of the joint record reading",
        target=f"findings:{exercise.pk}" if exercise else "",
        discussion="The record readers' findings: plans do not always say what must change.",
        actor=actor,
    )
    _attend(second, absent={"Gordon Hay"}, apologies={"Jean Cowan"}, actor=actor)
    services.decision_record(
        meeting=second,
        item=findings,
        text="Refresh the partnership's terms of reference and membership.",
        action={
            "title": "Refresh the terms of reference and membership of the children and young "
            "people's partnership",
            "owner": people["lead"],
            "due_on": today + timedelta(days=75),
            "priority": None,
        },
        actor=actor,
    )
    services.decision_record(
        meeting=second,
        item=findings,
        text="Note the findings and share them with every agency's staff.",
        actor=actor,
    )

    third = services.meeting_create(
        group=cpc, held_on=today - timedelta(days=14), items=["Apologies"], actor=actor
    )
    irds = services.item_add(
        meeting=third,
        title="Inter-agency referral discussions within 24 hours",
        target=f"measure:{measure.pk}" if measure else "",
        discussion="The run chart shows a shift since the daily screening meeting began.",
        actor=actor,
    )
    _attend(third, absent=set(), apologies=set(), actor=actor)
    if cpc.terms is not None:
        services.papers_set(meeting=third, documents=[cpc.terms], actor=actor)
    services.decision_record(
        meeting=third,
        item=irds,
        text="Extend the daily IRD screening meeting to weekends.",
        action={
            "title": "Pilot a weekend IRD screening call with police, health and social work",
            "owner": people["action_owner"],
            "due_on": today + timedelta(days=60),
            "priority": priorities.get(1),
            "measure": measure,
            "areas": "Concerns raised at weekends wait until Monday for an IRD.",
        },
        actor=actor,
    )
    # The committee agreed it as it stood: SMART, so agreed in the plan like any other.
    weekend = Decision.objects.get(meeting=third).action
    if weekend is not None and not action_gaps(weekend):
        action_agree(action=weekend, actor=people["lead"].user)
    _pack(build, groups, today)
    build.made["governance"] = {"groups": groups, "meetings": [first, second, third]}


def _pack(build: DemoBuild, groups: dict[str, Group], today: date) -> None:
    """A report pack for the child protection committee's next meeting (its documents are
    made when someone opens it and asks)."""
    services.pack_create(
        partnership=build.partnership,
        group=groups["Forthvale Child Protection Committee"],
        meeting_on=today + timedelta(days=14),
        actor=build.people["coordinator"].user,
    )
