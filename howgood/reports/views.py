from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from howgood.core.idempotency import once
from howgood.core.middleware import polling
from howgood.reports import services
from howgood.reports.access import get_report_for
from howgood.reports.models import GeneratedReport, ReportStatus


@polling
@login_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The page that waits for a document: refreshes itself (htmx, or a meta refresh
    fallback) until it is ready, or has failed and offers "Try again"."""
    report, _ = get_report_for(request.user, pk)
    report = services.report_fail_if_stale(report=report)
    template = "reports/_status.html" if request.htmx else "reports/status.html"  # type: ignore[attr-defined]
    return render(request, template, _status_context(report))


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report, _ = get_report_for(request.user, pk, download=True)
    report = services.report_fail_if_stale(report=report)
    if report.status != ReportStatus.READY:
        return render(request, "reports/status.html", _status_context(report), status=409)
    response = HttpResponse(bytes(report.content), content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Try again" on a failed document: whoever may see it may ask for it again."""
    report, _ = get_report_for(request.user, pk)
    status_url = reverse("reports:status", args=[report.pk])
    with once(request) as done:
        if done.already:
            return redirect(done.result_url or status_url)
        services.report_retry(report=report, actor=request.user)
        done.result_url = status_url
    return redirect(status_url)


def _status_context(report: GeneratedReport) -> dict[str, object]:
    return {"report": report, "waiting": report.status == ReportStatus.QUEUED}
