"""Access chokepoint for the improvement plan, measures, driver diagrams and PDSA cycles.

- Seeing the plan, measures, diagrams and cycles: `improvement.view` (every member).
- Setting them up and changing them: `improvement.manage` (lead, coordinator).
- An action's progress: its owner, or `improvement.progress` (lead, coordinator).
- A measure's data (points, notes, phases): its owner, or `improvement.data` (lead,
  coordinator).
- Planning and writing up PDSA cycles: `improvement.test` (lead, coordinator, action
  owners, contributors).
One permission policy per model (``plans``, ``actions``, ``measures`` ...; see
``howgood.partnerships.policies``). Everything outside the person's partnerships is a 404;
a member without the right is a 403.
"""

from __future__ import annotations

from howgood.improvement.models import (
    Action,
    ChangeIdea,
    DriverDiagram,
    Measure,
    PdsaCycle,
    Phase,
    Plan,
)
from howgood.partnerships.policies import ModelPolicy

plans = ModelPolicy(Plan, related=("partnership",))

# An action's progress is updated by its owner or by `improvement.progress` (managers).
actions = ModelPolicy(
    Action,
    partnership="plan__partnership",
    related=("plan__partnership", "owner__user", "measure", "priority"),
    owners=("owner",),
    owner_may={"improvement.progress"},
    refused="Only the action's owner, the lead or the QA coordinator can do this.",
)

# A measure's data (points, notes, phases) is entered by its owner or `improvement.data`.
measures = ModelPolicy(
    Measure,
    related=("partnership", "owner"),
    owners=("owner",),
    owner_may={"improvement.data"},
    refused="Only the measure's owner, the lead or the QA coordinator can do this.",
)
phases = ModelPolicy(
    Phase,
    partnership="measure__partnership",
    related=("measure",),
    owners=("measure__owner",),
    owner_may={"improvement.data"},
    refused="Only the measure's owner, the lead or the QA coordinator can do this.",
)
diagrams = ModelPolicy(DriverDiagram, related=("partnership",))
change_ideas = ModelPolicy(
    ChangeIdea, partnership="diagram__partnership", related=("diagram__partnership",)
)
cycles = ModelPolicy(
    PdsaCycle,
    partnership="change_idea__diagram__partnership",
    related=("change_idea__diagram__partnership",),
)
