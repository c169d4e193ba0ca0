"""The demo partnership itself: two invented partnerships (Forthvale, and Lochside to show the
partnership switcher), the demo accounts by role, agencies, 21 local record readers and 8 more
staff trained, the programme's activities and workshops (51 distinct staff named as taking part),
and the training register."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from howgood.accounts.models import User
from howgood.core.demobuild import DOMAIN, DemoBuild
from howgood.partnerships.models import (
    Activity,
    Agency,
    Membership,
    Partnership,
    TrainingCourse,
    TrainingRecord,
    WorkshopAttendance,
    WorkshopParticipant,
)
from howgood.partnerships.roles import Role

PARTNERSHIP = "Forthvale Children's Services Partnership (demo)"
OTHER = "Lochside Children's Services Partnership (demo)"
SLUGS = ("forthvale-demo", "lochside-demo")  # what a run makes, and all a rerun deletes

ROLE_PEOPLE = [
    ("lead", "Alison Baird", "Forthvale Council Social Work", "Chief Social Work Officer"),
    (
        "coordinator",
        "Kirsty Drummond",
        "Forthvale Council Social Work",
        "Quality assurance coordinator",
    ),
    ("reader", "Euan MacLeod", "NHS Forthvale", "Health visitor"),
    ("moderator", "Fiona Grant", "Forthvale Council Education", "Inspector (link)"),
    ("contributor", "Hamish Reid", "Forthvale Third Sector Forum", "Family support worker"),
    (
        "action_owner",
        "Priya Nair",
        "Police Scotland Forthvale Division",
        "Detective inspector, public protection",
    ),
    ("viewer", "Graham Watt", "Forthvale Council Social Work", "Chief officer"),
    ("scrutiny", "Morven Shaw", None, "Strategic inspector"),
]
AGENCIES = [
    ("Forthvale Council Social Work", "social_work", 180),
    ("NHS Forthvale", "health", 420),
    ("Forthvale Council Education", "education", 650),
    ("Police Scotland Forthvale Division", "police", 95),
    ("Children's Reporter (SCRA) Forthvale", "reporter", 12),
    ("Forthvale Third Sector Forum", "third_sector", 60),
]
FIRST = [
    "Ailsa",
    "Calum",
    "Eilidh",
    "Fraser",
    "Isla",
    "Jamie",
    "Kenneth",
    "Lorna",
    "Mhairi",
    "Neil",
    "Rhona",
    "Stuart",
    "Shona",
    "Rory",
    "Catriona",
    "Duncan",
    "Iona",
    "Lewis",
    "Morag",
    "Ross",
    "Skye",
]
LAST = [
    "Anderson",
    "Campbell",
    "Douglas",
    "Fraser",
    "Gillespie",
    "Henderson",
    "Kerr",
    "Lindsay",
    "Munro",
    "Paterson",
    "Robertson",
    "Sinclair",
    "Thomson",
    "Wallace",
    "Young",
    "Boyd",
    "Crawford",
    "Hunter",
    "Lamont",
    "Mackay",
    "Ogilvie",
    "Scott",
    "Stewart",
    "Urquhart",
    "Wilson",
    "Baxter",
    "Cairns",
    "Dunlop",
    "Forbes",
]


def clear(partnerships: QuerySet[Partnership]) -> None:
    """The demo partnerships, with their audit trail (all about invented people), and the
    invented accounts. Nothing else: real partnerships and accounts, and audit events outside
    the demo partnerships (failed sign-ins, lock-outs), stay as they are."""
    partnerships.delete()
    User.objects.filter(is_demo=True, email__endswith=f"@{DOMAIN}").delete()


def load(build: DemoBuild) -> None:
    p = Partnership.objects.create(name=PARTNERSHIP, slug=SLUGS[0], is_demo=True)
    other = Partnership.objects.create(name=OTHER, slug=SLUGS[1], is_demo=True)
    agencies = {
        name: Agency.objects.create(partnership=p, name=name, type=t, headcount=h)
        for name, t, h in AGENCIES
    }
    Agency.objects.create(
        partnership=other, name="Lochside Council Social Work", type="social_work", headcount=90
    )

    def member(
        local: str, name: str, partnership: Partnership, role: str, **details: Any
    ) -> Membership:
        user = User.objects.create_user(
            email=f"{local}@{DOMAIN}", password=None, full_name=name, is_demo=True
        )
        return Membership.objects.create(user=user, partnership=partnership, role=role, **details)

    people: dict[str, Membership] = {
        role: member(
            role.replace("_", "-"),
            name,
            p,
            role,
            agency=agencies.get(agency) if agency else None,
            job_title=title,
        )
        for role, name, agency, title in ROLE_PEOPLE
    }
    # The coordinator also sits on Lochside's group as a viewer: the partnership switcher.
    Membership.objects.create(user=people["coordinator"].user, partnership=other, role=Role.VIEWER)
    outsider = member("lochside-coordinator", "Douglas Kerr", other, Role.COORDINATOR).user

    # 21 local record readers from across the agencies, as in a real partnership's 2021 exercise.
    agency_list = list(agencies.values())
    readers = [people["reader"]] + [
        member(
            f"reader{i + 2:02d}",
            f"{FIRST[i]} {LAST[i]}",
            p,
            Role.READER,
            agency=agency_list[i % len(agency_list)],
            job_title="Practitioner",
        )
        for i in range(20)
    ]
    # Eight more staff trained who did not read this time: 29 trained in all.
    trained_only = [
        member(
            f"contributor{i + 2:02d}",
            f"{FIRST[(i + 7) % 21]} {LAST[20 + i]}",
            p,
            Role.CONTRIBUTOR,
            agency=agency_list[(i + 2) % len(agency_list)],
        )
        for i in range(8)
    ]

    start = date(2021, 1, 11)
    plan = [
        (
            "Staff survey",
            "survey",
            0,
            21,
            "done",
            "Survey of staff across the partnership's services.",
        ),
        (
            "Record reader training",
            "training",
            14,
            15,
            "done",
            "Training for local record readers, with the inspection team.",
        ),
        (
            "Reading children's records",
            "record_reading",
            35,
            45,
            "done",
            "Paired reading of 31 children's records.",
        ),
        (
            "Children and young people's survey",
            "survey",
            28,
            56,
            "done",
            "Views of children and young people.",
        ),
        ("Parents and carers survey", "survey", 28, 56, "done", "Views of parents and carers."),
        (
            "Workshop 1: QI 2.1 Impact on children and young people",
            "workshop",
            63,
            63,
            "done",
            "",
        ),
        (
            "Workshop 2: QI 5.2 Assessing and responding to risks and needs",
            "workshop",
            70,
            70,
            "done",
            "",
        ),
        (
            "Workshop 3: QI 5.3 Care planning, managing risk and effective intervention",
            "workshop",
            77,
            77,
            "done",
            "",
        ),
        (
            "Workshop 4: improvement science",
            "workshop",
            84,
            84,
            "done",
            "Introduction to the Model for Improvement.",
        ),
        ("Workshop 5: position statement", "workshop", 98, 98, "done", ""),
        ("Workshop 6: improvement plan", "workshop", 112, 112, "in_progress", ""),
        (
            "Position statement",
            "reporting",
            100,
            140,
            "in_progress",
            "How good are we now? How do we know? What do we plan to do next?",
        ),
        ("Report to the strategic group", "reporting", 150, 150, "planned", ""),
    ]
    activities = {}
    today = date.today()
    shift = (
        today - start
    ).days - 120  # keep the programme current: the last items fall round about now
    for title, kind, s, e, status, desc in plan:
        activities[title] = Activity.objects.create(
            partnership=p,
            title=title,
            type=kind,
            description=desc,
            status=status,
            starts_on=start + timedelta(days=s + shift),
            ends_on=start + timedelta(days=e + shift),
        )
    # Six workshops with 51 distinct staff taking part, named: the 35 local members (the
    # coordinator at every one) and 16 colleagues who are not HowGood members.
    local = [m for m in people.values() if m.role != Role.SCRUTINY and m not in readers]
    local += readers + trained_only
    guests = [
        (f"{FIRST[(i * 5 + 3) % len(FIRST)]} {LAST[(i * 7 + 2) % len(LAST)]}", agency_list[i % 6])
        for i in range(16)
    ]
    taking_part: list[Membership | tuple[str, Agency]] = [*local, *guests]
    workshops = [a for a in activities.values() if a.type == "workshop"]
    for k, activity in enumerate(workshops):
        chosen = [
            person
            for i, person in enumerate(taking_part)
            if i % 6 == k or (i % 3 == 0 and (i + 2) % 6 == k) or person == people["coordinator"]
        ]
        WorkshopParticipant.objects.bulk_create(
            WorkshopParticipant(activity=activity, membership=p_, agency_id=p_.agency_id)
            if isinstance(p_, Membership)
            else WorkshopParticipant(activity=activity, name=p_[0], agency=p_[1])
            for p_ in chosen
        )
        counts: dict[int, int] = {}
        for p_ in chosen:
            agency_id = p_.agency_id if isinstance(p_, Membership) else p_[1].pk
            if agency_id is not None:
                counts[agency_id] = counts.get(agency_id, 0) + 1
        WorkshopAttendance.objects.bulk_create(
            WorkshopAttendance(activity=activity, agency_id=agency_id, count=count)
            for agency_id, count in counts.items()
        )
    training = activities["Record reader training"]
    for m in [*readers, *trained_only]:
        TrainingRecord.objects.create(
            partnership=p,
            membership=m,
            trained_on=training.starts_on,
            trained_by="Care Inspectorate strategic scrutiny team (demo)",
            activity=training,
        )
    TrainingRecord.objects.create(
        partnership=p,
        membership=people["moderator"],
        trained_on=training.starts_on,
        trained_by="Care Inspectorate strategic scrutiny team (demo)",
        course=TrainingCourse.MODERATION,
    )
    build.rng.random()  # keeps the later parts' random numbers as they were
    build.partnership, build.other = p, other
    build.people, build.readers, build.activities = people, readers, activities
    build.made["outsider"] = outsider
