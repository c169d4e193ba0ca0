"""Reads about documents: which ones still "being prepared" will never come."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from howgood.reports.models import GeneratedReport, ReportStatus
from howgood.reports.tasks import build_report


def stale_limit() -> timedelta:
    return timedelta(minutes=settings.HOWGOOD_DOCUMENT_STALE_MINUTES)


def stale_reason(report: GeneratedReport, *, now: datetime | None = None) -> str:
    """Why a document still "being prepared" will not come, or "" while it still may.

    It will not come when nothing has happened to it for HOWGOOD_DOCUMENT_STALE_MINUTES:
    no worker started it in that time (none running, or all busy), or its build started
    and did not finish (the worker was killed, or the build hangs). It will not come
    either when its task has ended without recording it (the worker was stopped hard).
    That last check asks the task backend, one query with the database backend.
    """
    if report.status != ReportStatus.QUEUED:
        return ""
    now = now or timezone.now()
    minutes = settings.HOWGOOD_DOCUMENT_STALE_MINUTES
    if report.started_at is None and report.queued_at < now - stale_limit():
        return f"Not made in time: no worker started it within {minutes} minutes."
    if report.started_at is not None and report.started_at < now - stale_limit():
        return (
            f"Not made in time: it was started but not finished within {minutes} minutes "
            "(the worker may have been stopped)."
        )
    ended = _task_status(report)
    if ended in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        return f"The task ended ({ended}) without recording the document."
    return ""


def stale_documents(*, now: datetime | None = None) -> QuerySet[GeneratedReport]:
    """Documents "being prepared" that nothing has happened to within the limit."""
    cutoff = (now or timezone.now()) - stale_limit()
    return GeneratedReport.objects.filter(status=ReportStatus.QUEUED).filter(
        Q(started_at__isnull=True, queued_at__lt=cutoff) | Q(started_at__lt=cutoff)
    )


def _task_status(report: GeneratedReport) -> str | None:
    if not report.task_id or not build_report.get_backend().supports_get_result:
        return None
    try:
        return str(build_report.get_result(report.task_id).status)
    except TaskResultDoesNotExist:
        return None


def retention_days() -> int:
    return int(settings.HOWGOOD_REPORT_RETENTION_DAYS)
