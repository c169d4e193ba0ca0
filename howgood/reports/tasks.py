from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django_tasks import task

from howgood.reports.models import GeneratedReport, ReportStatus
from howgood.reports.registry import builder

log = logging.getLogger(__name__)


@task()
def build_report(report_id: int, attempt: int = 1) -> None:
    """Make one attempt at a queued document and record the outcome on its row.

    Writes nothing when a newer attempt has been queued since ("Try again") or the
    document is already made. A build that finishes after the document was marked failed
    for taking too long is still kept: the person gets their file after all. Failures,
    even the worker being told to stop at once, are recorded on the row, never lost.
    """
    this_attempt = GeneratedReport.objects.filter(pk=report_id, attempts=attempt)
    if not this_attempt.exclude(status=ReportStatus.READY).update(started_at=timezone.now()):
        return
    report = GeneratedReport.objects.get(pk=report_id)
    try:
        built = builder(report.kind).build(report)
    except Exception as error:  # a builder bug must not leave the person waiting forever
        log.exception("Building report %s failed", report_id)
        _record(report_id, attempt, status=ReportStatus.FAILED, error=_words(error))
    except BaseException as stop:  # the worker was stopped mid-build: say so, then stop
        _record(report_id, attempt, status=ReportStatus.FAILED, error=f"Interrupted: {stop!r}")
        raise
    else:
        _record(
            report_id,
            attempt,
            status=ReportStatus.READY,
            error="",
            filename=built.filename,
            content_type=built.content_type,
            content=built.content,
        )


def _words(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _record(report_id: int, attempt: int, **fields: Any) -> None:
    GeneratedReport.objects.filter(pk=report_id, attempts=attempt).update(
        finished_at=timezone.now(), **fields
    )
