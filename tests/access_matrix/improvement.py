"""Access expectations for the improvement plan, measures, driver diagrams and PDSA."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.access_matrix.rules import MANAGERS, expect

OWNERS = MANAGERS | {"action_owner"}  # the action's and the measure's owner is the action owner
TESTERS = MANAGERS | {"action_owner", "contributor"}


def objects(cast: Any) -> dict[str, Any]:
    from decimal import Decimal

    from howgood.improvement import services
    from howgood.improvement.demo import ready_plan
    from howgood.partnerships.models import Membership

    owner = Membership.objects.get(user=cast.action_owner, partnership=cast.a)
    today = date.today()
    plan = ready_plan(partnership=cast.a, actor=cast.coordinator, title="Matrix plan")
    measure = services.measure_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "Matrix measure",
            "type": "process",
            "definition": "Counted",
            "numerator": "Things",
            "owner": owner,
            "chart": "xmr",
            "rules": "mdc",
        },
    )
    for i in range(3):
        services.point_save(
            measure=measure,
            period=today - timedelta(days=31 * (i + 1)),
            numerator=Decimal(10 + i),
            actor=cast.coordinator,
        )
    phase = services.phase_add(
        measure=measure, starts_on=today, label="Matrix phase", actor=cast.coordinator
    )
    action = services.action_create(
        plan=plan,
        actor=cast.coordinator,
        data={"title": "Matrix action", "owner": owner, "measure": measure},
    )
    diagram = services.diagram_create(
        partnership=cast.a, title="Matrix diagram", aim="An aim", actor=cast.coordinator
    )
    driver = services.driver_add(diagram=diagram, text="A driver", actor=cast.coordinator)
    idea = services.change_idea_add(
        diagram=diagram, driver=driver, text="An idea", measures=[measure], actor=cast.coordinator
    )
    cycle = services.pdsa_plan(
        change_idea=idea,
        actor=cast.coordinator,
        data={
            "title": "A test",
            "objective": "To learn",
            "questions_predictions": "We predict",
            "starts_on": today,
        },
    )
    return {
        "i_plan": plan,
        "i_measure": measure,
        "i_phase": phase,
        "i_action": action,
        "i_diagram": diagram,
        "i_idea": idea,
        "i_cycle": cycle,
    }


def _pk(key: str) -> Any:
    return lambda o: {"pk": o[key].pk}


EXPECTATIONS: dict[str, dict[str, Any]] = {
    "improvement:index": {"expect": expect("all", outsider=200)},
    "improvement:plan_create": {"expect": expect(MANAGERS, outsider=200)},
    "improvement:plan": {"kwargs": _pk("i_plan"), "expect": expect("all")},
    "improvement:priority_add": {"kwargs": _pk("i_plan"), "expect": expect(MANAGERS)},
    "improvement:action_add": {"kwargs": _pk("i_plan"), "expect": expect(MANAGERS)},
    "improvement:plan_report": {
        "kwargs": lambda o: {"pk": o["i_plan"].pk, "fmt": "docx"},
        "method": "post",
        "post": False,
        "expect": expect("all", ok=302),
    },
    "improvement:action": {"kwargs": _pk("i_action"), "expect": expect("all")},
    "improvement:action_edit": {"kwargs": _pk("i_action"), "expect": expect(MANAGERS)},
    "improvement:action_agree": {
        "kwargs": _pk("i_action"),
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302),
    },
    "improvement:measures": {"expect": expect("all", outsider=200)},
    # A question of a record reading over its rounds (from the change page).
    "improvement:measure_from_rounds": {
        "kwargs": lambda o: {"pk": o["r_exercise"].pk},
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302),
    },
    "improvement:measure_create": {"expect": expect(MANAGERS, outsider=200)},
    "improvement:measure": {"kwargs": _pk("i_measure"), "expect": expect("all")},
    "improvement:measure_edit": {"kwargs": _pk("i_measure"), "expect": expect(MANAGERS)},
    # Data entry: the measure's owner and the managers; an empty form comes back with errors.
    "improvement:point_add": {
        "kwargs": _pk("i_measure"),
        "method": "post",
        "post": False,
        "expect": expect(OWNERS, ok=400),
    },
    "improvement:measure_import": {"kwargs": _pk("i_measure"), "expect": expect(OWNERS)},
    "improvement:phase_add": {
        "kwargs": _pk("i_measure"),
        "method": "post",
        "post": False,
        "expect": expect(OWNERS, ok=400),
    },
    "improvement:annotation_add": {
        "kwargs": _pk("i_measure"),
        "method": "post",
        "post": False,
        "expect": expect(OWNERS, ok=400),
    },
    "improvement:phase_remove": {
        "kwargs": _pk("i_phase"),
        "method": "post",
        "post": False,
        "expect": expect(OWNERS, ok=302),
    },
    "improvement:diagrams": {"expect": expect("all", outsider=200)},
    "improvement:diagram_create": {"expect": expect(MANAGERS, outsider=200)},
    "improvement:diagram": {"kwargs": _pk("i_diagram"), "expect": expect("all")},
    "improvement:pdsa_plan": {"kwargs": _pk("i_idea"), "expect": expect(TESTERS)},
    "improvement:pdsa": {"kwargs": _pk("i_cycle"), "expect": expect("all")},
}
