"""The main navigation, in the programme's order, filtered by the person's role.

Later capabilities add their entry here (Surveys, Record reading, Self-evaluation,
Improvement, Data, Reports) between Programme and Framework.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from howgood.partnerships.roles import can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    section: str  # first part of the URL path that marks this item as current


NAV: list[NavItem] = [
    NavItem("Programme", "partnerships:programme", "programme.view", "programme"),
    NavItem("Surveys", "surveys:index", "surveys.view", "surveys"),
    NavItem("Record reading", "records:index", "records.read", "record-reading"),
    NavItem("Self-evaluation", "selfevaluation:index", "selfevaluation.view", "self-evaluation"),
    NavItem("Improvement", "improvement:index", "improvement.view", "improvement"),
    NavItem("Data", "childprotection:index", "data.view", "data"),
    NavItem("Governance", "governance:index", "governance.view", "governance"),
    NavItem("Framework", "frameworks:index", "framework.view", "framework"),
    NavItem("Questionnaires", "questionnaires:index", "questionnaires.view", "questionnaires"),
    NavItem("Partnership", "partnerships:settings", "partnership.manage", "partnership"),
    NavItem("Audit trail", "partnerships:audit", "audit.view", "audit"),
]


def items_for(role: str | None, path: str) -> list[dict[str, object]]:
    first = path.strip("/").split("/")[0]
    return [
        {"label": item.label, "url": reverse(item.url_name), "current": first == item.section}
        for item in NAV
        if can(role, item.capability)
    ]
