from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from howgood.core.middleware import polling
from howgood.reports.access import get_report_for
from howgood.reports.models import ReportStatus


@polling
@login_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The page that waits for a document: refreshes itself (htmx, or a meta refresh fallback)."""
    report, _ = get_report_for(request.user, pk)
    template = "reports/_status.html" if request.htmx else "reports/status.html"  # type: ignore[attr-defined]
    return render(
        request, template, {"report": report, "waiting": report.status == ReportStatus.QUEUED}
    )


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report, _ = get_report_for(request.user, pk)
    if report.status != ReportStatus.READY:
        return render(
            request,
            "reports/status.html",
            {"report": report, "waiting": report.status == ReportStatus.QUEUED},
            status=409,
        )
    response = HttpResponse(bytes(report.content), content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
