"""The demo's improvement plan and measures, all invented.

Two years of monthly data for six measures, among them the proportion of child protection
referrals re-classified as wellbeing concerns (a P chart with a phase change when new
threshold guidance came in); an integrated plan with SMART and not-yet-SMART actions, one
overdue; a driver diagram whose change ideas are tested in PDSA cycles shown on a chart.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from howgood.accounts.models import User
from howgood.core.demobuild import DemoBuild
from howgood.frameworks.models import QualityIndicator
from howgood.improvement import services
from howgood.improvement.models import Action, DataPoint, Measure, Plan
from howgood.partnerships.models import Partnership


def _months(count: int, today: date) -> list[date]:
    """The first days of the ``count`` months before this one, oldest first."""
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(date(year, month, 1))
    return out[::-1]


def _points(measure: Measure, rows: list[tuple[date, float, float | None]]) -> None:
    DataPoint.objects.bulk_create(
        DataPoint(
            measure=measure,
            period=period,
            numerator=Decimal(str(round(n, 2))),
            denominator=Decimal(str(d)) if d is not None else None,
        )
        for period, n, d in rows
    )


def load(build: DemoBuild) -> None:
    build.made["improvement"] = _load(build.partnership, build.people, build.rng)


def ready_plan(
    *,
    partnership: Partnership,
    actor: User | None,
    title: str = "Joint improvement plan",
    starts_on: date | None = None,
    ends_on: date | None = None,
    childrens_services_plan: str = "",
) -> Plan:
    """A plan made as a coordinator makes one, for the demo, the tests and the benchmarks
    alike: by default it began 90 days ago and runs for a year."""
    starts_on = starts_on or date.today() - timedelta(days=90)
    return services.plan_create(
        partnership=partnership,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + timedelta(days=365),
        childrens_services_plan=childrens_services_plan,
        actor=actor,
    )


def _load(partnership: Any, people: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    coordinator = people["coordinator"].user
    owner = people["action_owner"]
    lead = people["lead"]
    today = date.today()
    months = _months(24, today)
    change = months[14]  # new threshold guidance from here

    def measure(**values: Any) -> Measure:
        return services.measure_create(partnership=partnership, actor=coordinator, data=values)

    reclassified = measure(
        title="Child protection referrals re-classified as wellbeing concerns",
        type="outcome",
        definition="Of the child protection referrals received in the month, those re-classified "
        "as wellbeing concerns at or after the inter-agency referral discussion (IRD). Counted "
        "from the IRD log on the last working day of the month.",
        numerator="Referrals re-classified as wellbeing concerns",
        denominator="Child protection referrals received",
        improvement="decrease",
        target=Decimal("25"),
        owner=owner,
        chart="p",
        rules="mdc",
        multiply=100,
    )
    rows = []
    for m in months:
        referrals = rng.randint(34, 48)
        rate = 0.36 if m < change else 0.22
        rows.append((m, float(sum(rng.random() < rate for _ in range(referrals))), referrals))
    _points(reclassified, rows)
    services.phase_add(
        measure=reclassified,
        starts_on=change,
        label="New multi-agency threshold guidance and daily IRD screening",
        actor=coordinator,
    )

    ird_timely = measure(
        title="IRDs held within 24 hours of the concern",
        type="process",
        definition="Of the IRDs held in the month, those held within 24 hours of the child "
        "protection concern being received. From the IRD log.",
        numerator="IRDs held within 24 hours",
        denominator="IRDs held",
        improvement="increase",
        target=Decimal("90"),
        owner=owner,
        chart="p",
        rules="mdc",
        multiply=100,
    )
    _points(
        ird_timely,
        [
            (m, float(sum(rng.random() < (0.72 if i < 16 else 0.86) for _ in range(n))), n)
            for i, m in enumerate(months)
            for n in [rng.randint(28, 40)]
        ],
    )
    to_cppm = measure(
        title="Days from referral to initial child protection planning meeting",
        type="process",
        definition="The mean number of calendar days from the child protection referral to the "
        "initial child protection planning meeting, for meetings held in the month.",
        numerator="Mean days to the initial planning meeting",
        improvement="decrease",
        target=Decimal("21"),
        owner=lead,
        chart="xmr",
        rules="mdc",
    )
    _points(
        to_cppm, [(m, rng.gauss(24 if i < 18 else 20.5, 2.2), None) for i, m in enumerate(months)]
    )
    register = measure(
        title="Children on the child protection register",
        type="outcome",
        definition="Children whose names are on the child protection register on the last day "
        "of the month.",
        numerator="Children on the register",
        chart="run",
        rules="ihi",
    )
    _points(register, [(m, float(round(rng.gauss(82, 6))), None) for m in months])
    trained = measure(
        title="Staff completing multi-agency child protection training",
        type="process",
        definition="Staff from any agency who completed the partnership's multi-agency child "
        "protection course in the month.",
        numerator="Staff completing the course",
        improvement="increase",
        chart="c",
        rules="mdc",
    )
    _points(
        trained,
        [
            (m, float(max(0, round(rng.gauss(14 if i < 12 else 19, 4)))), None)
            for i, m in enumerate(months)
        ],
    )
    rereferred = measure(
        title="Children re-referred within 12 months",
        type="balancing",
        definition="Of the children referred in the month, those also referred in the previous "
        "12 months: a check that fewer re-classifications do not mean children come back.",
        numerator="Children re-referred within 12 months",
        denominator="Children referred",
        improvement="decrease",
        owner=owner,
        chart="p",
        rules="mdc",
        multiply=100,
    )
    _points(
        rereferred,
        [
            (m, float(sum(rng.random() < 0.18 for _ in range(n))), n)
            for m in months
            for n in [rng.randint(34, 48)]
        ],
    )

    # The plan.
    plan = services.plan_create(
        partnership=partnership,
        title="Forthvale joint improvement plan 2026 to 2027",
        starts_on=months[-6],
        ends_on=months[-6].replace(year=months[-6].year + 1),
        childrens_services_plan="Forthvale Children's Services Plan 2023 to 2026",
        actor=coordinator,
    )
    p1 = services.priority_add(
        plan=plan,
        title="Consistent, timely joint responses when children may be at risk of harm",
        csp_priority="Children are safe and protected from harm",
        actor=coordinator,
    )
    p2 = services.priority_add(
        plan=plan,
        title="Children's plans that say what will change, by when, and are reviewed",
        csp_priority="Children get the right help at the right time",
        actor=coordinator,
    )
    p3 = services.priority_add(
        plan=plan,
        title="Hearing and acting on what children and families tell us",
        csp_priority="Children's rights are respected",
        actor=coordinator,
    )
    qi = {
        q.number: q
        for q in QualityIndicator.objects.filter(number__in=["2.1", "5.2", "5.3", "5.4", "6.3"])
    }

    def action(
        agree: bool = False, progress: tuple[str, int, str] | None = None, **values: Any
    ) -> Any:
        qis = [qi[n] for n in values.pop("qis", []) if n in qi]
        made = services.action_create(
            plan=plan, actor=coordinator, quality_indicators=qis, data=values
        )
        if agree:
            services.action_agree(action=made, actor=lead.user)
        if progress:
            text, percent, status = progress
            services.action_progress(
                action=made, actor=coordinator, text=text, progress=percent, status=status
            )
        return made

    overdue = action(
        agree=True,
        title="Hold a daily IRD screening meeting with police, health and social work for every "
        "child protection concern received by 10am",
        priority=p1,
        owner=owner,
        starts_on=months[-6],
        due_on=today - timedelta(days=18),
        measure=ird_timely,
        qis=["5.2"],
    )

    # The overdue action's last progress was some weeks ago.
    Action.objects.filter(pk=overdue.pk).update(
        progress=60, status="in_progress", last_progress_on=today - timedelta(days=50)
    )
    action(
        agree=True,
        title="Publish multi-agency threshold guidance and brief 300 staff on it by the end of "
        "the quarter",
        priority=p1,
        owner=people["coordinator"],
        starts_on=months[-6],
        due_on=today + timedelta(days=60),
        measure=reclassified,
        qis=["5.2"],
        progress=(
            "Guidance agreed by the child protection committee; 210 staff briefed.",
            80,
            "in_progress",
        ),
    )
    action(
        agree=True,
        title="Every initial child protection planning meeting held within 21 days of the "
        "referral by March 2027",
        priority=p2,
        owner=lead,
        starts_on=months[-4],
        due_on=today + timedelta(days=20),
        measure=to_cppm,
        qis=["5.3"],
        progress=("Booking slots now held weekly for planning meetings.", 40, "in_progress"),
    )
    action(
        agree=True,
        title="Train 120 staff from every agency on SMART child's plans by 31 January",
        priority=p2,
        owner=people["coordinator"],
        starts_on=months[-6],
        due_on=today - timedelta(days=30),
        measure=trained,
        qis=["5.3"],
        progress=("Course delivered to 126 staff.", 100, "complete"),
    )
    action(
        title="Improve communication between services",
        priority=p1,
    )
    action(
        title="Ask every child aged 8 and over for their views before their review meeting, "
        "using the Mind of My Own app",
        priority=p3,
        due_on=today + timedelta(days=120),
        qis=["5.4"],
    )

    # The driver diagram and PDSA cycles.
    diagram = services.diagram_create(
        partnership=partnership,
        title="Getting the threshold right",
        aim="Reduce the share of child protection referrals re-classified as wellbeing concerns "
        "from 36% to 25% by March 2027, without more children being re-referred.",
        actor=coordinator,
    )
    shared = services.driver_add(
        diagram=diagram,
        text="A shared understanding of thresholds across agencies",
        actor=coordinator,
    )
    timely = services.driver_add(
        diagram=diagram, text="Timely, joint screening of every concern", actor=coordinator
    )
    guidance = services.driver_add(
        diagram=diagram,
        parent=shared,
        text="Multi-agency threshold guidance that staff know",
        actor=coordinator,
    )
    consult = services.driver_add(
        diagram=diagram, parent=shared, text="Advice before referring", actor=coordinator
    )
    huddle_driver = services.driver_add(
        diagram=diagram,
        parent=timely,
        text="Police, health and social work screen together each morning",
        actor=coordinator,
    )
    line = services.change_idea_add(
        diagram=diagram,
        driver=consult,
        text="A consultation line for teachers and health visitors before they refer",
        measures=[reclassified, rereferred],
        actor=coordinator,
    )
    services.change_idea_add(
        diagram=diagram,
        driver=guidance,
        text="Threshold guidance briefings in every school's in-service day",
        measures=[reclassified],
        actor=coordinator,
    )
    huddle = services.change_idea_add(
        diagram=diagram,
        driver=huddle_driver,
        text="A 15-minute daily IRD screening huddle",
        measures=[ird_timely],
        actor=coordinator,
    )
    first = services.pdsa_plan(
        change_idea=line,
        actor=coordinator,
        data={
            "title": "Consultation line in two secondary schools for four weeks",
            "objective": "Find out whether teachers use a consultation line before referring.",
            "questions_predictions": "Will teachers call before referring? We predict half of "
            "possible referrals will be discussed first, and fewer will be re-classified.",
            "who": "Two social work team leaders; guidance staff in two schools",
            "what": "A named duty number, open 9am to 5pm",
            "where": "Forthvale Academy and Kirkton High School",
            "starts_on": months[11],
            "data_to_collect": "Calls, their outcome, and referrals from the two schools",
        },
    )
    services.pdsa_update(
        cycle=first,
        actor=coordinator,
        data={
            "what_happened": "41 calls in four weeks; 12 led to a referral.",
            "problems": "Calls bunched after lunch; cover was thin on Fridays.",
            "study": "More calls than predicted; none of the 12 referrals was re-classified.",
            "act": "adapt",
            "next_cycle": "Extend to all secondary schools with Friday cover.",
        },
    )
    services.pdsa_plan(
        change_idea=line,
        actor=coordinator,
        data={
            "title": "Consultation line in every secondary school",
            "objective": "Test the line at scale, with Friday cover.",
            "questions_predictions": "Will use hold up across all schools? We predict 150 calls a month.",
            "who": "Social work duty team",
            "starts_on": months[15],
            "data_to_collect": "Calls and referrals by school",
        },
    )
    services.pdsa_plan(
        change_idea=huddle,
        actor=coordinator,
        data={
            "title": "Daily huddle for two weeks in the east locality",
            "objective": "See whether a daily huddle gets IRDs held within 24 hours.",
            "questions_predictions": "We predict 9 in 10 IRDs within 24 hours in the test weeks.",
            "who": "Police concern hub, named nurse, social work duty manager",
            "starts_on": months[16],
        },
    )
    return {"plan": plan, "reclassified": reclassified, "diagram": diagram}
