"""Access chokepoint for the improvement plan, measures, driver diagrams and PDSA cycles.

- Seeing the plan, measures, diagrams and cycles: `improvement.view` (every member).
- Setting them up and changing them: `improvement.manage` (lead, coordinator).
- An action's progress: its owner, or `improvement.manage`.
- A measure's data (points, notes, phases): its owner, or `improvement.manage`.
- Planning and writing up PDSA cycles: `improvement.test` (lead, coordinator, action
  owners, contributors).
Everything outside the person's partnerships is a 404; a member without the right is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from howgood.improvement.models import (
    Action,
    ChangeIdea,
    DriverDiagram,
    Measure,
    PdsaCycle,
    Phase,
    Plan,
)
from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.partnerships.roles import can


def _pk(value: Any) -> int:
    if not str(value).isdigit():
        raise Http404("Not found")
    return int(value)


def _member(user: Any, partnership_id: int, capability: str) -> Membership:
    if partnership_access.membership_in(user, partnership_id) is None:
        raise Http404("Not found")
    return partnership_access.require(user, partnership_id, capability)


def get_plan_for(user: Any, pk: Any, capability: str) -> tuple[Plan, Membership]:
    plan = Plan.objects.filter(pk=_pk(pk)).select_related("partnership").first()
    if plan is None:
        raise Http404("Not found")
    return plan, _member(user, plan.partnership_id, capability)


def get_action_for(user: Any, pk: Any, what: str) -> tuple[Action, Membership]:
    """``what`` is "view", "update" (progress: owner or manager) or "manage"."""
    action = (
        Action.objects.filter(pk=_pk(pk))
        .select_related("plan__partnership", "owner__user", "measure", "priority")
        .first()
    )
    if action is None:
        raise Http404("Not found")
    membership = _member(user, action.plan.partnership_id, "improvement.view")
    if what == "view":
        return action, membership
    if what == "update" and action.owner_id == membership.pk:
        return action, membership
    if not can(membership.role, "improvement.manage"):
        raise PermissionDenied(
            "Only the action's owner, the lead or the QA coordinator can do this."
        )
    return action, membership


def get_measure_for(user: Any, pk: Any, what: str) -> tuple[Measure, Membership]:
    """``what`` is "view", "data" (owner or manager) or "manage"."""
    measure = Measure.objects.filter(pk=_pk(pk)).select_related("partnership", "owner").first()
    if measure is None:
        raise Http404("Not found")
    membership = _member(user, measure.partnership_id, "improvement.view")
    if what == "view":
        return measure, membership
    if what == "data" and measure.owner_id == membership.pk:
        return measure, membership
    if not can(membership.role, "improvement.manage"):
        raise PermissionDenied(
            "Only the measure's owner, the lead or the QA coordinator can do this."
        )
    return measure, membership


def get_phase_for(user: Any, pk: Any) -> tuple[Phase, Membership]:
    phase = Phase.objects.filter(pk=_pk(pk)).select_related("measure").first()
    if phase is None:
        raise Http404("Not found")
    _, membership = get_measure_for(user, phase.measure_id, "data")
    return phase, membership


def get_diagram_for(user: Any, pk: Any, capability: str) -> tuple[DriverDiagram, Membership]:
    diagram = DriverDiagram.objects.filter(pk=_pk(pk)).select_related("partnership").first()
    if diagram is None:
        raise Http404("Not found")
    return diagram, _member(user, diagram.partnership_id, capability)


def get_change_idea_for(user: Any, pk: Any, capability: str) -> tuple[ChangeIdea, Membership]:
    idea = ChangeIdea.objects.filter(pk=_pk(pk)).select_related("diagram__partnership").first()
    if idea is None:
        raise Http404("Not found")
    return idea, _member(user, idea.diagram.partnership_id, capability)


def get_cycle_for(user: Any, pk: Any, capability: str) -> tuple[PdsaCycle, Membership]:
    cycle = (
        PdsaCycle.objects.filter(pk=_pk(pk))
        .select_related("change_idea__diagram__partnership")
        .first()
    )
    if cycle is None:
        raise Http404("Not found")
    return cycle, _member(user, cycle.change_idea.diagram.partnership_id, capability)
