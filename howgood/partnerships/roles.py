"""Roles (per partnership) and what each may do: the single table every access check reads."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    LEAD = "lead", "Partnership lead"
    COORDINATOR = "coordinator", "QA coordinator"
    READER = "reader", "Record reader"
    MODERATOR = "moderator", "Moderator"
    CONTRIBUTOR = "contributor", "Contributor"
    ACTION_OWNER = "action_owner", "Action owner"
    VIEWER = "viewer", "Viewer"
    SCRUTINY = "scrutiny", "Scrutiny partner"


ROLE_HINTS = {
    Role.LEAD: "Chair or lead officer: sets up the partnership, approves the position statement and plan.",
    Role.COORDINATOR: "Runs the programme: agencies, members, surveys, samples, readers, workshops, reports.",
    Role.READER: "Trained practitioner who reads only the records assigned to them.",
    Role.MODERATOR: "Paired with readers to reconcile and moderate readings.",
    Role.CONTRIBUTOR: "Workshop participant who adds evidence, strengths and areas for improvement.",
    Role.ACTION_OWNER: "Updates the improvement actions and measures they own.",
    Role.VIEWER: "Governance member who reads dashboards and reports.",
    Role.SCRUTINY: "Link inspector from a scrutiny body, invited into the partnership.",
}

# Roles that can see case data must use two-factor sign-in.
CASE_DATA_ROLES = frozenset({Role.LEAD, Role.COORDINATOR, Role.READER, Role.MODERATOR})

ALL = frozenset(Role)
MANAGERS = frozenset({Role.LEAD, Role.COORDINATOR})

# capability -> roles that have it. Access modules ask `can(role, capability)`; nothing else
# decides who may do what.
CAPABILITIES: dict[str, frozenset[Role]] = {
    "partnership.view": ALL,
    "partnership.manage": MANAGERS,
    "members.view": MANAGERS | {Role.SCRUTINY},
    "members.manage": MANAGERS,
    "programme.view": ALL,
    "programme.manage": MANAGERS,
    "training.view": MANAGERS | {Role.MODERATOR, Role.SCRUTINY},
    "training.manage": MANAGERS,
    "audit.view": MANAGERS,
    "framework.view": ALL,
    # Filling in an indicator's themes and illustrations from one's own copy of the
    # framework, for one's own partnership (frameworks.access).
    "framework.edit": frozenset({Role.LEAD}),
    "questionnaires.view": MANAGERS | {Role.SCRUTINY, Role.MODERATOR},
    "questionnaires.manage": MANAGERS,
    # Changing a questionnaire itself (never a shared default: questionnaires.access).
    "questionnaires.change": MANAGERS,
    # Record reading. Reading itself is by assignment (a pair), checked in records.access.
    "records.manage": MANAGERS,
    "records.keymap": frozenset({Role.COORDINATOR}),
    "records.read": MANAGERS | {Role.READER, Role.MODERATOR},
    "records.findings": MANAGERS | {Role.MODERATOR, Role.VIEWER, Role.SCRUTINY},
    # Findings data with one row per reading (case-level): only roles that see findings and
    # case data (two-factor). Viewers and scrutiny partners get aggregates, small numbers hidden.
    "records.case_data": MANAGERS | {Role.MODERATOR},
    # Seeing every matter of concern (whoever raised one sees theirs: records.access).
    "concerns.view": MANAGERS,
    "concerns.manage": MANAGERS,
    "surveys.view": MANAGERS | {Role.VIEWER, Role.SCRUTINY},
    "surveys.manage": MANAGERS,
    # A survey report with small counts shown (not for sharing): members inside the
    # partnership. A scrutiny partner has reports for sharing only (reports.registry).
    "surveys.exact": MANAGERS | {Role.VIEWER},
    # Self-evaluation.
    "selfevaluation.view": ALL,
    "selfevaluation.contribute": ALL - {Role.VIEWER},
    "selfevaluation.facilitate": MANAGERS,
    "selfevaluation.write": MANAGERS | {Role.CONTRIBUTOR},
    "selfevaluation.signoff": frozenset({Role.LEAD}),
    # Improvement. Owners of an action or a measure update it (checked in improvement.access).
    "improvement.view": ALL,
    "improvement.manage": MANAGERS,
    # Updating any action's progress, entering any measure's data (owners: improvement.access).
    "improvement.progress": MANAGERS,
    "improvement.data": MANAGERS,
    # The plan's overview and measures that signal, on the home page.
    "improvement.oversee": MANAGERS | {Role.VIEWER},
    "improvement.test": MANAGERS | {Role.ACTION_OWNER, Role.CONTRIBUTOR},
    # Child protection data (the Data section): the figures, made from the concern log or
    # monthly counts; importing and managing them; and the concern log's child-level rows
    # (two-factor roles only, every view audited in childprotection.access).
    "data.view": MANAGERS | {Role.VIEWER, Role.SCRUTINY},
    # The figures exactly, small numbers too: members inside the partnership. Anyone else
    # with data.view (a scrutiny partner) sees them, and their documents, withheld.
    "data.exact": MANAGERS | {Role.VIEWER},
    "data.manage": MANAGERS,
    # Governance: drafts of the programme letter from the figures (aggregates only).
    "governance.view": MANAGERS | {Role.VIEWER, Role.SCRUTINY},
    "governance.manage": MANAGERS,
    # Whose home page is the strategic dashboard (UX: the lead and the strategic group).
    "home.dashboard": frozenset({Role.LEAD, Role.VIEWER}),
    "data.rows": MANAGERS,
}


def can(role: str | None, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")
    return role is not None and role in CAPABILITIES[capability]
