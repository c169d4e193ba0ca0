from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from howgood.reports.models import GeneratedReport, ReportStatus
from howgood.reports.registry import builder

log = logging.getLogger(__name__)


@task()
def build_report(report_id: int) -> None:
    """Build one queued document. Failures are recorded on the row, never lost."""
    report = GeneratedReport.objects.get(pk=report_id)
    try:
        built = builder(report.kind).build(report)
    except Exception as error:  # a builder bug must not leave the person waiting forever
        log.exception("Building report %s failed", report_id)
        report.status, report.error = ReportStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
    else:
        report.status = ReportStatus.READY
        report.filename, report.content_type, report.content = (
            built.filename,
            built.content_type,
            built.content,
        )
    report.finished_at = timezone.now()
    report.save()
