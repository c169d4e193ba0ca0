"""Ask for a document to be made in the background."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from howgood.core import audit
from howgood.reports.models import GeneratedReport
from howgood.reports.registry import builder


@transaction.atomic
def report_request(
    *,
    kind: str,
    partnership: Any,
    target_id: int,
    title: str,
    params: dict[str, Any],
    actor: Any,
    action: str,
    target: Any = None,
) -> GeneratedReport:
    """Queue a document; the task runs after commit (at once with the immediate backend)."""
    from howgood.reports.tasks import build_report

    registered = builder(kind)
    report = GeneratedReport.objects.create(
        partnership=partnership,
        kind=kind,
        target_id=target_id,
        params=params,
        title=title,
        capability=registered.capability,
        requested_by=actor,
    )
    audit.record(
        actor=actor,
        action=action,
        target=target or report,
        partnership=partnership,
        data={"report": report.pk, "kind": kind, **params},
    )
    transaction.on_commit(lambda: build_report.enqueue(report.pk))
    return report
