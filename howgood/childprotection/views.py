"""The Data section: the threshold page, and importing and managing the data behind it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST

from howgood.childprotection import access, charts, selectors, services
from howgood.childprotection import extract as reading
from howgood.childprotection.extract import FIELD_LABELS, FIELDS, OUTCOME_HELP
from howgood.childprotection.forms import (
    ChangeForm,
    ColumnsForm,
    CountsFileForm,
    CountsForm,
    ExtractForm,
    PopulationForm,
    SampleForm,
    SeriesForm,
    SettingsForm,
)
from howgood.childprotection.models import ImportStatus, MonthlyCount
from howgood.childprotection.series import SERIES
from howgood.childprotection.threshold import BY, figure_table, threshold
from howgood.core.audit import log
from howgood.core.exports import csv_bytes
from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.core.tables import TableError
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.records import access as records_access
from howgood.records.models import Exercise
from howgood.reports.registry import XLSX
from howgood.reports.services import report_request


def _figures(request: HttpRequest) -> tuple[Any, Any]:
    membership = partnership_access.current(request, "data.view")
    return membership, threshold(
        membership.partnership,
        by=request.GET.get("by", "quarter"),
        outside=access.shared_outside(membership),
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The threshold page: every figure of the partnership's child protection data."""
    membership, found = _figures(request)
    manages = can(membership.role, "data.manage")
    return render(
        request,
        "childprotection/index.html",
        {
            "found": found,
            "by_choices": BY,
            "manages": manages,
            "series_form": SeriesForm() if manages else None,
            "measured": [
                (SERIES[key].title, pk)
                for key, pk in selectors.measured_series(membership.partnership).items()
            ]
            if manages
            else [],
        },
    )


@login_required
@gzip_page
def chart(request: HttpRequest, key: str) -> HttpResponse:
    """A chart of the threshold page as an SVG image, through the page's own check and with
    the figures that page shows the person; drawn once and kept under its data."""
    _, found = _figures(request)
    if key == "wellbeing" and found.chart is not None and found.chart.points:
        svg = charts.draw_wellbeing(found.chart).svg
    elif key == "agencies" and found.funnel is not None:
        svg = charts.draw_funnel(found.funnel, found.funnel_period).svg
    else:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The indicators by period as CSV or Excel, with small numbers withheld for anyone
    outside the partnership."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    membership, found = _figures(request)
    header, rows = figure_table(found)
    log(
        actor=request.user,
        action="childprotection.figures.exported",
        target=membership.partnership,
        data={"format": fmt, "by": found.by},
    )
    name = f"child-protection-{found.by}"
    if fmt == "csv":
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    else:
        from howgood.toolkit.xlsx import Sheet, workbook  # openpyxl: only to make the file

        notes = [found.notes[0]]
        if found.outside:
            notes.append(f"Counts under {found.threshold} are withheld.")
        body = workbook(
            [Sheet(f"By {found.by}", header, rows)],
            title="Child protection data",
            partnership=membership.partnership.name,
            notes=notes,
        )
        response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_POST
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    """Ask for the figures as a Word or PDF document, made in the background. Anyone outside
    the partnership gets the version for sharing; a member can ask for it too."""
    if fmt not in ("docx", "pdf"):
        raise Http404
    membership = partnership_access.current(request, "data.view")
    share = access.shared_outside(membership) or request.POST.get("share") == "1"
    names = {"docx": "Word document", "pdf": "PDF document"}
    made = report_request(
        kind=f"childprotection.figures.{fmt}",
        partnership=membership.partnership,
        target_id=services.settings_for(membership.partnership).pk,
        title=f"Child protection data: {names[fmt]}{' (for sharing)' if share else ''}",
        params={"share": share},
        actor=request.user,
        action="childprotection.figures.requested",
        target=services.settings_for(membership.partnership),
    )
    return redirect("reports:status", pk=made.pk)


# --- Extracts ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def extracts(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "data.manage")
    form = ExtractForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with once(request) as done:  # a double click stages the file once
                if done.already:
                    return redirect(done.result_url)
                made = services.extract_stage(
                    partnership=membership.partnership,
                    data=upload.read(),
                    filename=upload.name,
                    actor=request.user,
                )
                page = "childprotection:columns" if made.upload else "childprotection:extract"
                done.result_url = reverse(page, args=[made.pk])
        except TableError as error:
            problems = error.problems
        else:
            return redirect(done.result_url)
    return render(
        request,
        "childprotection/extracts.html",
        {
            "form": form,
            "problems": problems,
            "extracts": selectors.extracts_of(membership.partnership)[:50],
            "fields": FIELDS,
            "outcome_help": OUTCOME_HELP,
            "rows_allowed": can(membership.role, "data.rows"),
        },
        status=400 if problems or form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def columns(request: HttpRequest, pk: int) -> HttpResponse:
    extract, _ = access.extracts.get_for(request.user, pk, "data.manage")
    if extract.status != ImportStatus.STAGED or not extract.upload:
        return redirect("childprotection:extract", pk=extract.pk)
    header, guessed = services.extract_columns(extract)
    form = ColumnsForm(request.POST or None, columns=header, guessed=guessed)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.extract_map(extract=extract, columns=form.chosen(), actor=request.user)
        except TableError as error:
            problems = error.problems  # the file is discarded; its columns are remembered
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return redirect("childprotection:extract", pk=extract.pk)
    return render(
        request,
        "childprotection/columns.html",
        {"extract": extract, "form": form, "problems": problems, "header": header},
        status=400 if problems or form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def extract(request: HttpRequest, pk: int) -> HttpResponse:
    """A staged extract's preview (apply or discard it), or an applied one's record (undo)."""
    found, membership = access.extracts.get_for(request.user, pk, "data.manage")
    if found.status == ImportStatus.STAGED and found.upload:
        return redirect("childprotection:columns", pk=found.pk)
    if request.method == "POST":
        action = request.POST.get("action")
        steps = {
            "apply": (services.extract_apply, "Applied. The figures now include this extract."),
            "discard": (services.extract_discard, "Discarded. Nothing from the file was kept."),
            "undo": (services.extract_undo, "Undone. The figures are as they were before it."),
        }
        if action not in steps:
            raise Http404
        step, done = steps[action]
        try:
            step(extract=found, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("childprotection:extract", pk=found.pk)
        except TableError as error:
            messages.error(request, " ".join(error.problems))
            return redirect("childprotection:extract", pk=found.pk)
        messages.success(request, done)
        if action == "discard":
            return redirect("childprotection:extracts")
        return redirect("childprotection:extract", pk=found.pk)
    return render(
        request,
        "childprotection/extract.html",
        {
            "extract": found,
            "preview": selectors.preview(found) if found.status == ImportStatus.STAGED else None,
            "undo_blocked": selectors.undo_blocked_by(found),
            "rows_allowed": can(membership.role, "data.rows"),
            "outcome_labels": {
                "investigation": "Investigation",
                "wellbeing": "Re-classified to wellbeing",
                "no_further_action": "No further action",
            },
        },
    )


@login_required
def extract_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """An extract's child-level rows: lead and coordinator only, every view audited."""
    found, _ = access.get_extract_rows_for(request, pk)
    page = Paginator(found.child_concerns.order_by("source_row", "pk"), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "childprotection/rows.html",
        {"extract": found, "page": page, "labels": FIELD_LABELS},
    )


# --- Settings, counts, population, changes ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "data.manage")
    partnership = membership.partnership
    current = selectors.settings_of(partnership)
    which = request.POST.get("form") if request.method == "POST" else None
    settings_form = SettingsForm(request.POST if which == "settings" else None, instance=current)
    population_form = PopulationForm(request.POST if which == "population" else None)
    change_form = ChangeForm(request.POST if which == "change" else None)
    if which == "settings" and settings_form.is_valid():
        services.settings_update(
            partnership=partnership, data=settings_form.cleaned_data, actor=request.user
        )
        messages.success(request, "Saved. The figures now use these settings.")
        return redirect("childprotection:settings")
    if which == "population" and population_form.is_valid():
        data = population_form.cleaned_data
        try:
            services.population_save(
                partnership=partnership,
                year=data["year"],
                children=data["children"],
                source=data["source"],
                actor=request.user,
            )
        except ValidationError as error:
            add_validation_error(population_form, error)
        else:
            messages.success(request, f"Saved the number of children for {data['year']}.")
            return redirect("childprotection:settings")
    if which == "change" and change_form.is_valid():
        try:
            with once(request) as done:
                if done.already:
                    return redirect(done.result_url)
                services.practice_change_add(
                    partnership=partnership,
                    month=change_form.cleaned_data["month"],
                    title=change_form.cleaned_data["title"],
                    actor=request.user,
                )
                done.result_url = reverse("childprotection:settings")
        except ValidationError as error:
            add_validation_error(change_form, error)
        else:
            messages.success(request, "Marked. The charts start a new phase from that month.")
            return redirect(done.result_url)
    invalid = any(f.errors for f in (settings_form, population_form, change_form))
    return render(
        request,
        "childprotection/settings.html",
        {
            "settings_form": settings_form,
            "population_form": population_form,
            "change_form": change_form,
            "populations": sorted(selectors.populations(partnership).items()),
            "changes": selectors.practice_changes(partnership),
        },
        status=400 if invalid else 200,
    )


@login_required
@require_POST
def change_remove(request: HttpRequest, pk: int) -> HttpResponse:
    change, _ = access.changes.get_for(request.user, pk, "data.manage")
    services.practice_change_remove(change=change, actor=request.user)
    messages.success(request, f"Removed the change in practice “{change.title}”.")
    return redirect("childprotection:settings")


@login_required
@require_http_methods(["GET", "POST"])
def counts(request: HttpRequest) -> HttpResponse:
    """Monthly counts, for a partnership without a child-level extract."""
    membership = partnership_access.current(request, "data.manage")
    partnership = membership.partnership
    uploading = "file" in request.FILES or request.POST.get("form") == "file"
    form = CountsForm(request.POST if request.method == "POST" and not uploading else None)
    file_form = CountsFileForm(
        request.POST if uploading else None, request.FILES if uploading else None
    )
    problems: list[str] = []
    if uploading and file_form.is_valid():
        upload = file_form.cleaned_data["file"]
        try:
            table = reading.table_of(upload.read(), upload.name)
            done = services.counts_import(
                partnership=partnership, rows=reading.read_counts(table), actor=request.user
            )
        except TableError as error:
            problems = error.problems
        else:
            messages.success(
                request, f"Imported the counts for {done} month{'s' if done != 1 else ''}."
            )
            return redirect("childprotection:counts")
    if request.method == "POST" and not uploading and form.is_valid():
        data = dict(form.cleaned_data)
        month = data.pop("month_of")
        try:
            services.counts_save(
                partnership=partnership, month=month, data=data, actor=request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Saved the counts for {month:%B %Y}.")
            return redirect("childprotection:counts")
    return render(
        request,
        "childprotection/counts.html",
        {
            "form": form,
            "file_form": file_form,
            "problems": problems,
            "counts": MonthlyCount.objects.filter(partnership=partnership).order_by("-month")[:60],
            "has_extract": selectors.source(partnership) == "extract",
            "columns": reading.COUNT_COLUMNS,
        },
        status=400 if form.errors or file_form.errors or problems else 200,
    )


# --- From data to action --------------------------------------------------------------------


@login_required
@require_POST
def series_measure(request: HttpRequest) -> HttpResponse:
    """A data series made into a plan measure, kept in step with the data."""
    membership = partnership_access.current(request, "data.manage")
    partnership_access.current(request, "improvement.manage")
    form = SeriesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the data series.")
        return redirect("childprotection:index")
    with once(request) as done:
        if done.already:
            return redirect(done.result_url)
        measure = services.series_measure_create(
            partnership=membership.partnership,
            series=form.cleaned_data["series"],
            actor=request.user,
        )
        done.result_url = reverse("improvement:measure", args=[measure.pk])
    messages.success(
        request, "The measure is in the plan. Its data is kept in step with the Data section."
    )
    return redirect(done.result_url)


@login_required
@require_http_methods(["GET", "POST"])
def sample(request: HttpRequest) -> HttpResponse:
    """Re-classified concerns of a period as a record-reading exercise's case list."""
    membership = partnership_access.current(request, "data.manage")
    partnership_access.current(request, "records.manage")
    exercises = records_access.exercises.instances_user_has_permission_for(
        request.user, "records.manage", partnership=membership.partnership
    ).filter(sample_drawn_at__isnull=True)
    form = SampleForm(request.POST or None, exercises=exercises)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        exercise: Exercise = data["exercise"]
        try:
            count = services.reclassified_sample(
                partnership=membership.partnership,
                exercise=exercise,
                start=data["start"],
                end=data["end"],
                actor=request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                f"{count} children whose concerns were re-classified are now the case list of "
                f"{exercise.title}. Draw the sample from them there.",
            )
            return redirect("records:exercise", pk=exercise.pk)
    return render(
        request,
        "childprotection/sample.html",
        {"form": form, "has_exercises": exercises.exists()},
        status=400 if form.errors else 200,
    )
