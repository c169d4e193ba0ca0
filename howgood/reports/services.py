"""Ask for a document to be made in the background; give up on one that will not come and
try again; delete documents with their source or when they are older than the retention
period."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.partnerships.models import Partnership
from howgood.reports import selectors
from howgood.reports.access import require_may_have
from howgood.reports.models import SOURCES, GeneratedReport, ReportStatus
from howgood.reports.registry import builder
from howgood.reports.tasks import build_report


def _source_field(made_from: models.Model) -> str:
    """The GeneratedReport field that links a document to ``made_from``."""
    for name in SOURCES:
        model = GeneratedReport._meta.get_field(name).related_model
        if isinstance(model, type) and isinstance(made_from, model):
            return name
    raise ValueError(
        f"A document must say what it is made from (one of: {', '.join(SOURCES)}), "
        f"not {type(made_from).__name__}"
    )


@transaction.atomic
def report_request(
    *,
    kind: str,
    partnership: Partnership,
    target_id: int,
    title: str,
    params: dict[str, Any],
    actor: User | None,
    action: str,
    target: models.Model,
) -> GeneratedReport:
    """Queue a document made from ``target`` (an exercise, a survey, a plan or a position
    statement, whose id is ``target_id``): it is deleted with it. The task runs after
    commit (at once with the immediate backend).

    Raises PermissionDenied unless the actor's role in the partnership holds the builder's
    capability and, for a case-level document, sees case data; ValueError if ``target`` is
    not something a document can be made from.
    """
    registered = builder(kind)
    field = _source_field(target)
    if target.pk != target_id or getattr(target, "partnership_id", None) != partnership.pk:
        raise ValueError("The document's target must be the thing it is made from")
    capability = registered.capability_for(params)
    require_may_have(actor, partnership.pk, capability, registered.case_level)
    report = GeneratedReport.objects.create(
        partnership=partnership,
        kind=kind,
        target_id=target_id,
        params=params,
        title=title,
        capability=capability,
        case_level=registered.case_level,
        requested_by=actor,
        **{field: target},
    )
    audit.log(
        actor=actor,
        action=action,
        target=target,
        partnership=partnership,
        data={"report": report.pk, "kind": kind, **params},
    )
    transaction.on_commit(lambda: _enqueue(report.pk, report.attempts))
    return report


def documents_delete(*, made_from: models.Model) -> int:
    """Delete every document made from ``made_from``; how many. Runs in the caller's
    transaction (deleting an exercise's case data calls it: the documents go with the
    readings they were made from). The caller's audit event records the count."""
    deleted, _ = GeneratedReport.objects.filter(**{_source_field(made_from): made_from}).delete()
    return deleted


@transaction.atomic
def documents_purge(*, days: int | None = None, now: datetime | None = None) -> int:
    """Delete documents made more than ``days`` (the retention period) ago; how many.

    One audit event per partnership that lost documents, by the system. Run daily by
    ``manage.py purge_generated_reports``.
    """
    days = selectors.retention_days() if days is None else days
    if days < 1:
        raise ValueError("The retention period of documents must be at least 1 day")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = GeneratedReport.objects.filter(created_at__lt=cutoff)
    by_partnership = list(
        old.order_by().values("partnership").annotate(n=Count("pk")).values_list("partnership", "n")
    )
    old.delete()
    partnerships = Partnership.objects.in_bulk([pk for pk, _ in by_partnership])
    for pk, n in by_partnership:
        audit.log(
            actor=None,
            action="reports.documents.purged",
            partnership=partnerships[pk],
            data={"documents": n, "days": days},
        )
    return sum(n for _, n in by_partnership)


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
            audit.log(
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
def report_retry(*, report: GeneratedReport, actor: User | None) -> GeneratedReport:
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
    audit.log(
        actor=actor,
        action="reports.document.retried",
        target=locked,
        data={"report": locked.pk, "kind": locked.kind, "attempt": locked.attempts},
    )
    attempt = locked.attempts
    transaction.on_commit(lambda: _enqueue(locked.pk, attempt))
    return locked


def _enqueue(report_id: int, attempt: int) -> None:
    result = build_report.enqueue(report_id, attempt)
    # Kept so the status page can tell a task that ended without recording the document.
    GeneratedReport.objects.filter(pk=report_id, attempts=attempt).update(
        task_id=str(result.id)[:64]
    )
