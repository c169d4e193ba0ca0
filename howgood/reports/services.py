"""Ask for a document to be made in the background; give up on one that will not come;
try again."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from howgood.core import audit
from howgood.reports import selectors
from howgood.reports.models import GeneratedReport, ReportStatus
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
    transaction.on_commit(lambda: _enqueue(report.pk, report.attempts))
    return report


def report_fail_if_stale(*, report: GeneratedReport) -> GeneratedReport:
    """Mark a document that will not come (``selectors.stale_reason``) as failed, so the
    person sees "Try again" instead of waiting for ever. Returns the row as it now is.

    Safe to call from any number of requests and workers at once: only the call that
    changes the row writes the audit event (``reports.document.timed_out``, by the system).
    """
    reason = selectors.stale_reason(report)
    if not reason:
        return report
    with transaction.atomic():
        changed = GeneratedReport.objects.filter(
            pk=report.pk, attempts=report.attempts, status=ReportStatus.QUEUED
        ).update(status=ReportStatus.FAILED, error=reason, finished_at=timezone.now())
        if changed:
            audit.record(
                actor=None,
                action="reports.document.timed_out",
                target=report,
                data={"report": report.pk, "kind": report.kind, "attempt": report.attempts},
            )
    report.refresh_from_db()
    return report


def documents_fail_stale() -> int:
    """Mark every document that will not come as failed (the periodic command). Returns
    how many were marked."""
    marked = 0
    for report in selectors.stale_documents().select_related("partnership"):
        if report_fail_if_stale(report=report).status == ReportStatus.FAILED:
            marked += 1
    return marked


@transaction.atomic
def report_retry(*, report: GeneratedReport, actor: Any) -> GeneratedReport:
    """Queue one more attempt at a failed document: the same builder, target and params.

    Does nothing unless the document has failed (or will not come), so a second press, or
    another tab, never queues two: the row is locked while it is decided. Builds of
    earlier attempts still running write nothing once this one is queued.
    """
    locked = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if locked.status == ReportStatus.QUEUED and selectors.stale_reason(locked):
        locked.status = ReportStatus.FAILED
    if locked.status != ReportStatus.FAILED:
        return locked
    locked.status = ReportStatus.QUEUED
    locked.attempts += 1
    locked.queued_at = timezone.now()
    locked.started_at = locked.finished_at = None
    locked.error = locked.task_id = ""
    locked.save(
        update_fields=[
            "status",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
            "error",
            "task_id",
        ]
    )
    audit.record(
        actor=actor,
        action="reports.document.retried",
        target=locked,
        data={"report": locked.pk, "kind": locked.kind, "attempt": locked.attempts},
    )
    attempt = locked.attempts
    transaction.on_commit(lambda: _enqueue(locked.pk, attempt))
    return locked


def _enqueue(report_id: int, attempt: int) -> None:
    from howgood.reports.tasks import build_report

    result = build_report.enqueue(report_id, attempt)
    # Kept so the status page can tell a task that ended without recording the document.
    GeneratedReport.objects.filter(pk=report_id, attempts=attempt).update(
        task_id=str(result.id)[:64]
    )
