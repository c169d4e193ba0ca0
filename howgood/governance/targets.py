"""What an agenda item can be about: anything in HowGood a strategic group looks at (a plan
priority or action, a measure, the findings of a record reading, a survey's results, a
position statement, the threshold page, a document), as "kind:id", with its name and page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.urls import reverse

from howgood.improvement.models import Action, Measure, Priority
from howgood.partnerships.models import Partnership
from howgood.records.models import Exercise
from howgood.selfevaluation.models import Document, PositionStatement
from howgood.surveys.models import Survey

THRESHOLD = "threshold"

# kind -> (group label, model, how to find the partnership's ones, name, page)
KINDS: dict[
    str, tuple[str, type[models.Model], str, Callable[[Any], str], Callable[[Any], str]]
] = {
    "priority": (
        "Plan priorities",
        Priority,
        "plan__partnership",
        lambda o: f"Priority {o.number}: {o.title}",
        lambda o: reverse("improvement:plan", args=[o.plan_id]),
    ),
    "action": (
        "Plan actions",
        Action,
        "plan__partnership",
        lambda o: o.title,
        lambda o: reverse("improvement:action", args=[o.pk]),
    ),
    "measure": (
        "Measures",
        Measure,
        "partnership",
        lambda o: o.title,
        lambda o: reverse("improvement:measure", args=[o.pk]),
    ),
    "findings": (
        "Record reading findings",
        Exercise,
        "partnership",
        lambda o: f"Findings: {o.title}",
        lambda o: reverse("records:findings", args=[o.pk]),
    ),
    "survey": (
        "Survey results",
        Survey,
        "partnership",
        lambda o: f"Results: {o.title}",
        lambda o: reverse("surveys:analysis", args=[o.pk]),
    ),
    "statement": (
        "Position statements",
        PositionStatement,
        "partnership",
        lambda o: o.title,
        lambda o: reverse("selfevaluation:statement", args=[o.pk]),
    ),
    "document": (
        "Documents",
        Document,
        "partnership",
        lambda o: o.title,
        lambda o: reverse("selfevaluation:document", args=[o.pk]),
    ),
}


def choices(partnership: Partnership) -> list[tuple[str, Any]]:
    """Grouped choices for a picker: nothing, the threshold page, then each kind's objects
    (one query per kind)."""
    found: list[tuple[str, Any]] = [
        ("", "Nothing in particular"),
        (THRESHOLD, "The threshold page (child protection data)"),
    ]
    for kind, (label, model, path, name, _page) in KINDS.items():
        objects = model._default_manager.filter(**{path: partnership})
        options = [(f"{kind}:{o.pk}", name(o)[:150]) for o in objects]
        if options:
            found.append((label, options))
    return found


def resolve(partnership: Partnership, value: str) -> tuple[str, str] | None:
    """The name and page of what ``value`` points at, or None when it is nothing or gone
    (or not this partnership's)."""
    if value == THRESHOLD:
        return "The threshold page", reverse("childprotection:index")
    kind, _, pk = value.partition(":")
    if kind not in KINDS or not pk.isdigit():
        return None
    _label, model, path, name, page = KINDS[kind]
    obj = model._default_manager.filter(pk=int(pk), **{path: partnership}).first()
    return (name(obj), page(obj)) if obj is not None else None
