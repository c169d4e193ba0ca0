"""Findings, their charts and documents, the conclusions drawn from them and the agreement
between readers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST

from howgood.frameworks.selectors import bands_for, default_framework
from howgood.partnerships.roles import can
from howgood.records import access, selectors, services
from howgood.records import agreement as agreement_module
from howgood.records import findings as findings_module
from howgood.records.charts import page_chart, page_specs
from howgood.records.exports import item_rows
from howgood.records.models import Conclusion
from howgood.reports.services import report_request


@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, membership = access.exercises.get_for(request.user, pk, "records.findings")
    share = access.findings_shared_on_page(membership)
    threshold = exercise.partnership.suppression_threshold
    # Read first, so that the findings kept under it are never older than it says.
    version = selectors.findings_version(exercise)
    computed = findings_module.compute_kept(exercise, version=version)
    result = findings_module.for_sharing(computed, threshold) if share else computed
    bands = bands_for(default_framework())
    ctx = {"findings": result, "bands": bands, "share": share, "threshold": threshold}
    rows = item_rows(ctx)
    by_section: dict[int, list[Any]] = {}
    for row in rows:
        by_section.setdefault(row["finding"].section.pk, []).append(row)
    sections = [(s, by_section.get(int(s.key), [])) for s in result.sections]
    statements = list(Conclusion.objects.filter(exercise=exercise).order_by("kind", "id"))
    # The charts' data are kept for their image requests, so they need not compute the
    # findings again (records.charts).
    charts = page_specs(
        exercise, version=version, share=share, threshold=threshold, findings=computed
    )
    return render(
        request,
        "records/findings.html",
        {
            "exercise": exercise,
            "findings": result,
            "sections": sections,
            "strengths": [s for s in statements if s.kind == "strength"],
            "improvements": [s for s in statements if s.kind == "improvement"],
            "manages": can(membership.role, "records.manage"),
            "case_data": can(membership.role, "records.case_data"),
            "charts": charts,
        },
    )


@login_required
@gzip_page  # SVG is text: a sixth of the size over the wire (nothing secret to guess at)
def findings_chart(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One chart of the findings as an SVG image (the page shows its data table beside it),
    through the findings page's access check and with the figures that page shows the
    person. Drawn once and kept until the findings change (records.charts.page_chart)."""

    exercise, membership = access.exercises.get_for(request.user, pk, "records.findings")
    svg = page_chart(
        exercise,
        key,
        share=access.findings_shared_on_page(membership),
        threshold=exercise.partnership.suppression_threshold,
    )
    if svg is None:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'"  # an image, never a page
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def conclusions_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.manage")
    n = services.conclusions_refresh(exercise=exercise, actor=request.user)
    messages.success(
        request,
        f"{n} strength{'s' if n != 1 else ''} and area{'s' if n != 1 else ''} for improvement suggested from the findings. Accept, edit or drop each one.",
    )
    return redirect(reverse("records:findings", args=[exercise.pk]) + "#statements")


@login_required
@require_POST
def conclusion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    statement, _ = access.conclusions.get_for(request.user, pk, "records.manage")
    exercise = statement.exercise
    try:
        services.conclusion_decide(
            statement=statement,
            status=request.POST.get("status", ""),
            text=request.POST.get("text", ""),
            actor=request.user,
        )
        messages.success(request, "Saved.")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(reverse("records:findings", args=[exercise.pk]) + "#statements")


@login_required
@require_POST
def findings_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    exercise, membership = access.exercises.get_for(request.user, pk, "records.findings")
    kind, share = access.findings_document_for(membership, fmt, request.POST.get("share") == "1")
    names = {
        "records.findings.docx": "Word report",
        "records.findings.pdf": "PDF report",
        "records.findings.xlsx": "Excel summary",
        "records.readings.xlsx": "Excel data, one row per reading",
    }
    report = report_request(
        kind=kind,
        partnership=exercise.partnership,
        target_id=exercise.pk,
        title=f"Findings of {exercise.title}: {names[kind]}"
        f"{' (for sharing)' if share and fmt != 'xlsx' else ''}",
        params={"share": share},
        actor=request.user,
        action="records.findings.exported",
        target=exercise,
    )
    return redirect("reports:status", pk=report.pk)


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.findings")
    return render(
        request,
        "records/agreement.html",
        {"exercise": exercise, **agreement_module.compute(exercise)},
    )
