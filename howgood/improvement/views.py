"""Improvement pages: the plan and its actions, measures and their charts, driver diagrams
and PDSA cycles. Thin: access chokepoint, form, service, redirect or render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from howgood.core.forms import add_validation_error
from howgood.core.pages import form_page, save_form
from howgood.core.tables import TableError
from howgood.improvement import access, forms, selectors, services
from howgood.improvement.charts import draw, measure_chart
from howgood.improvement.diagram import layout
from howgood.improvement.imports import read_points
from howgood.improvement.models import ChartKind, RuleSet
from howgood.improvement.smart import RAG_RULE
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.records import access as records_access
from howgood.reports.services import report_request

# --- Home of the improvement section --------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "improvement.view")
    partnership = membership.partnership
    plan = selectors.current_plan(partnership)
    mine = selectors.actions_owned_by(membership)
    return render(
        request,
        "improvement/index.html",
        {
            "plan": plan,
            "plan_summary": selectors.plan_summary(plan) if plan else None,
            "my_actions": mine,
            "my_measures": selectors.measures_owned_by(membership),
            "measure_count": selectors.measures_of(partnership).count(),
            "diagrams": selectors.diagrams_of(partnership),
            "can_manage": can(membership.role, "improvement.manage"),
        },
    )


# --- The plan -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "improvement.manage")
    today = timezone.localdate()
    form = forms.PlanForm(
        request.POST or None,
        initial={"starts_on": today, "ends_on": today + timedelta(days=364)},
    )

    def make(data: dict[str, Any]) -> str:
        plan = services.plan_create(partnership=membership.partnership, actor=request.user, **data)
        messages.success(request, "The plan is set up. Add its priorities and actions.")
        return reverse("improvement:plan", args=[plan.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Set up the improvement plan",
        back=reverse("improvement:index"),
        create=True,
    )


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan_obj, membership = access.plans.get_for(request.user, pk, "improvement.view")
    today = timezone.localdate()
    rows = selectors.plan_rows(plan_obj, today)
    return render(
        request,
        "improvement/plan.html",
        {
            "plan": plan_obj,
            "groups": selectors.group_by_priority(plan_obj, rows),
            "not_smart": [r for r in rows if r.gaps and not r.action.agreed_on],
            "overdue": [r for r in rows if r.rag.colour == "red"],
            "summary": selectors.summarise(rows),
            "rag_rule": RAG_RULE,
            "can_manage": can(membership.role, "improvement.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan_obj, _ = access.plans.get_for(request.user, pk, "improvement.manage")
    form = forms.PriorityForm(request.POST or None)

    def make(data: dict[str, Any]) -> str:
        services.priority_add(plan=plan_obj, actor=request.user, **data)
        messages.success(request, "Priority added.")
        return reverse("improvement:plan", args=[plan_obj.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Add a priority",
        label=plan_obj.title,
        back=reverse("improvement:plan", args=[plan_obj.pk]),
        create=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan_obj, _ = access.plans.get_for(request.user, pk, "improvement.manage")
    form = forms.ActionForm(request.POST or None, plan=plan_obj)

    def make(data: dict[str, Any]) -> str:
        links = {
            "quality_indicators": data.pop("quality_indicators"),
            "findings": data.pop("findings", []),
        }
        action = services.action_create(plan=plan_obj, actor=request.user, data=data, **links)
        messages.success(request, "Action added. The SMART check below says what it still needs.")
        return reverse("improvement:action", args=[action.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Add an action",
        label=plan_obj.title,
        back=reverse("improvement:plan", args=[plan_obj.pk]),
        create=True,
        intro="An action can be agreed once it is SMART: specific, with a measure, an owner, "
        "what it is relevant to, and a due date. You can save it before then.",
    )


@login_required
@require_POST
def plan_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The governance report of the plan, in Word or PDF, made in the background."""

    plan_obj, _ = access.plans.get_for(request.user, pk, "improvement.view")
    if fmt not in ("docx", "pdf"):
        raise Http404
    made = report_request(
        kind=f"improvement.plan.{fmt}",
        partnership=plan_obj.partnership,
        target_id=plan_obj.pk,
        title=f"{plan_obj.title}: governance report ({'Word' if fmt == 'docx' else 'PDF'})",
        params={},
        actor=request.user,
        action="improvement.report.requested",
        target=plan_obj,
    )
    return redirect("reports:status", pk=made.pk)


# --- Actions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, pk: int) -> HttpResponse:
    """The action: its SMART check, RAG status, progress and history. The owner (and the
    lead and coordinator) record progress here."""
    action_obj, membership = access.actions.get_for(request.user, pk, "improvement.view")
    may_update = access.actions.user_has_permission_for_instance(
        request.user, "improvement.progress", action_obj
    )
    form = forms.ProgressForm(request.POST or None)
    if request.method == "POST":
        access.actions.check(request.user, "improvement.progress", action_obj)
        if form.is_valid():
            try:
                services.action_progress(
                    action=action_obj,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    progress=form.cleaned_data["progress"],
                    status=form.cleaned_data["status"],
                )
                messages.success(request, "Progress recorded.")
                return redirect("improvement:action", pk=action_obj.pk)
            except ValidationError as error:
                add_validation_error(form, error)
    return render(
        request,
        "improvement/action.html",
        {
            "action": action_obj,
            "gaps": selectors.action_gaps(action_obj),
            "rag": selectors.action_rag(action_obj),
            "rag_rule": RAG_RULE,
            "notes": action_obj.notes.select_related("author"),
            "history": selectors.action_history(action_obj),
            "form": form if may_update else None,
            "can_manage": can(membership.role, "improvement.manage"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action_obj, _ = access.actions.get_for(request.user, pk, "improvement.manage")
    initial = {
        "title": action_obj.title,
        "description": action_obj.description,
        "priority": action_obj.priority_id,
        "owner": action_obj.owner_id,
        "starts_on": action_obj.starts_on,
        "due_on": action_obj.due_on,
        "measure": action_obj.measure_id,
        "areas": action_obj.areas,
        "quality_indicators": list(action_obj.quality_indicators.values_list("pk", flat=True)),
        "findings": list(action_obj.findings.values_list("pk", flat=True)),
    }
    form = forms.ActionForm(request.POST or None, plan=action_obj.plan, initial=initial)

    def make(data: dict[str, Any]) -> str:
        links = {
            "quality_indicators": data.pop("quality_indicators"),
            "findings": data.pop("findings", []),
        }
        services.action_update(action=action_obj, actor=request.user, data=data, **links)
        messages.success(request, "Action saved.")
        return reverse("improvement:action", args=[action_obj.pk])

    return save_form(request, form, make, create=False) or form_page(
        request,
        form,
        title="Change the action",
        label=action_obj.plan.title,
        back=reverse("improvement:action", args=[action_obj.pk]),
    )


@login_required
@require_POST
def action_agree(request: HttpRequest, pk: int) -> HttpResponse:
    action_obj, _ = access.actions.get_for(request.user, pk, "improvement.manage")
    try:
        services.action_agree(action=action_obj, actor=request.user)
        messages.success(request, "The action is agreed.")
    except ValidationError as error:
        messages.error(
            request, "The action cannot be agreed until it is SMART: " + " ".join(error.messages)
        )
    return redirect("improvement:action", pk=action_obj.pk)


# --- Measures -----------------------------------------------------------------------------


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "improvement.view")
    return render(
        request,
        "improvement/measures.html",
        {
            "rows": selectors.measure_rows(membership.partnership),
            "can_manage": can(membership.role, "improvement.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "improvement.manage")
    form = forms.MeasureForm(request.POST or None, partnership=membership.partnership)

    def make(data: dict[str, Any]) -> str:
        measure = services.measure_create(
            partnership=membership.partnership, actor=request.user, data=data
        )
        messages.success(request, "Measure added. Add its data by hand or import a file.")
        return reverse("improvement:measure", args=[measure.pk])

    return save_form(request, form, make, create=True) or form_page(
        request, form, title="Add a measure", back=reverse("improvement:measures"), create=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure, _ = access.measures.get_for(request.user, pk, "improvement.manage")
    form = forms.MeasureForm(
        request.POST or None, partnership=measure.partnership, instance=measure
    )
    if request.method == "POST" and form.is_valid():
        # The form must not save the instance itself: the service checks and audits.
        data = {name: form.cleaned_data[name] for name in forms.MeasureForm.Meta.fields}
        try:
            services.measure_update(measure=measure, data=data, actor=request.user)
            messages.success(request, "Measure saved.")
            return redirect("improvement:measure", pk=measure.pk)
        except ValidationError as error:
            add_validation_error(form, error)
    return form_page(
        request,
        form,
        title="Change the measure",
        back=reverse("improvement:measure", args=[measure.pk]),
    )


def _measure_context(measure_obj: Any, membership: Any, kind: str, rules: str) -> dict[str, Any]:

    if kind not in ChartKind.values:
        kind = measure_obj.chart
    if rules not in RuleSet.values:
        rules = measure_obj.rules
    data = selectors.measure_data(measure_obj)
    chart = measure_chart(
        measure_obj,
        data["points"],
        phases=data["phases"],
        annotations=data["annotations"],
        cycles=data["cycles"],
        kind=kind,
        rules=rules,
    )
    may_enter = access.measures.user_has_permission_for_instance(
        membership.user, "improvement.data", measure_obj
    )
    return {
        "measure": measure_obj,
        "chart": chart,
        "drawn": draw(measure_obj, chart, formats=("svg",)) if chart.points else None,
        "phases": data["phases"],
        "annotations": data["annotations"],
        "cycles": data["cycles"],
        "actions": measure_obj.actions.select_related("plan"),
        "chart_kinds": [
            (value, label)
            for value, label in ChartKind.choices
            if value not in ("p", "u") or measure_obj.has_denominator
        ],
        "rule_sets": RuleSet.choices,
        "chosen_kind": chart.kind,
        "chosen_rules": chart.rules,
        "point_form": forms.PointForm(measure=measure_obj) if may_enter else None,
        "phase_form": forms.PhaseForm() if may_enter else None,
        "note_form": forms.AnnotationForm() if may_enter else None,
        "may_enter": may_enter,
        "can_manage": can(membership.role, "improvement.manage"),
    }


@login_required
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    """The chart, its signals in words, the data table and (for the owner) data entry.
    ``?chart=`` and ``?rules=`` show it another way without changing the measure."""
    measure_obj, membership = access.measures.get_for(request.user, pk, "improvement.view")
    context = _measure_context(
        measure_obj,
        membership,
        request.GET.get("chart") or measure_obj.chart,
        request.GET.get("rules") or measure_obj.rules,
    )
    return render(request, "improvement/measure.html", context)


def _measure_page_with_errors(
    request: HttpRequest, measure_obj: Any, membership: Any, **bound: Any
) -> HttpResponse:
    """The measure page again, with a bound form and its errors (what was typed is kept)."""
    context = _measure_context(measure_obj, membership, measure_obj.chart, measure_obj.rules)
    return render(request, "improvement/measure.html", {**context, **bound}, status=400)


@login_required
@require_POST
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure_obj, membership = access.measures.get_for(request.user, pk, "improvement.data")
    form = forms.PointForm(request.POST, measure=measure_obj)
    if form.is_valid():
        try:
            services.point_save(
                measure=measure_obj,
                period=form.cleaned_data["period"],
                numerator=form.cleaned_data["numerator"],
                denominator=form.cleaned_data.get("denominator"),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
            messages.success(request, "Data point saved. The chart shows it below.")
            return redirect(reverse("improvement:measure", args=[measure_obj.pk]) + "#chart")
        except ValidationError as error:
            add_validation_error(form, error)
    return _measure_page_with_errors(request, measure_obj, membership, point_form=form)


@login_required
@require_POST
def phase_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure_obj, membership = access.measures.get_for(request.user, pk, "improvement.data")
    form = forms.PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.phase_add(measure=measure_obj, actor=request.user, **form.cleaned_data)
            messages.success(request, "New phase marked: the centre line and limits start again.")
            return redirect(reverse("improvement:measure", args=[measure_obj.pk]) + "#chart")
        except ValidationError as error:
            add_validation_error(form, error)
    return _measure_page_with_errors(request, measure_obj, membership, phase_form=form)


@login_required
@require_POST
def phase_remove(request: HttpRequest, pk: int) -> HttpResponse:
    phase, _ = access.phases.get_for(request.user, pk, "improvement.data")
    measure_pk = phase.measure_id
    services.phase_remove(phase=phase, actor=request.user)
    messages.success(request, "Phase removed.")
    return redirect("improvement:measure", pk=measure_pk)


@login_required
@require_POST
def annotation_add(request: HttpRequest, pk: int) -> HttpResponse:
    measure_obj, membership = access.measures.get_for(request.user, pk, "improvement.data")
    form = forms.AnnotationForm(request.POST)
    if form.is_valid():
        services.annotation_add(measure=measure_obj, actor=request.user, **form.cleaned_data)
        messages.success(request, "Note added to the chart.")
        return redirect(reverse("improvement:measure", args=[measure_obj.pk]) + "#chart")
    return _measure_page_with_errors(request, measure_obj, membership, note_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def measure_import(request: HttpRequest, pk: int) -> HttpResponse:

    measure_obj, _ = access.measures.get_for(request.user, pk, "improvement.data")
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_points(upload.read(), upload.name, measure_obj)
            count = services.points_import(measure=measure_obj, rows=rows, actor=request.user)
            messages.success(request, f"Imported {count} data point{'s' if count != 1 else ''}.")
            return redirect("improvement:measure", pk=measure_obj.pk)
        except TableError as error:
            problems = error.problems
        except ValidationError as error:
            problems = error.messages
    return render(
        request,
        "improvement/import.html",
        {"measure": measure_obj, "form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )


# --- Driver diagrams and PDSA -------------------------------------------------------------


@login_required
def diagrams(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "improvement.view")
    return render(
        request,
        "improvement/diagrams.html",
        {
            "diagrams": selectors.diagrams_of(membership.partnership),
            "can_manage": can(membership.role, "improvement.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def diagram_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "improvement.manage")
    form = forms.DiagramForm(request.POST or None)

    def make(data: dict[str, Any]) -> str:
        made = services.diagram_create(
            partnership=membership.partnership, actor=request.user, **data
        )
        return reverse("improvement:diagram", args=[made.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Start a driver diagram",
        back=reverse("improvement:diagrams"),
        create=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def diagram(request: HttpRequest, pk: int) -> HttpResponse:

    diagram_obj, membership = access.diagrams.get_for(request.user, pk, "improvement.view")
    manage = can(membership.role, "improvement.manage")
    driver_form = forms.DriverForm(
        request.POST if "add_driver" in request.POST else None, diagram=diagram_obj
    )
    idea_form = forms.ChangeIdeaForm(
        request.POST if "add_idea" in request.POST else None, diagram=diagram_obj
    )
    if request.method == "POST":
        access.diagrams.check(request.user, "improvement.manage", diagram_obj)
        form = driver_form if "add_driver" in request.POST else idea_form
        if form.is_valid():
            try:
                if form is driver_form:
                    services.driver_add(
                        diagram=diagram_obj, actor=request.user, **form.cleaned_data
                    )
                    messages.success(request, "Driver added.")
                else:
                    services.change_idea_add(
                        diagram=diagram_obj, actor=request.user, **form.cleaned_data
                    )
                    messages.success(request, "Change idea added.")
                return redirect("improvement:diagram", pk=diagram_obj.pk)
            except ValidationError as error:
                add_validation_error(form, error)
    tree = selectors.diagram_tree(diagram_obj)
    return render(
        request,
        "improvement/diagram.html",
        {
            "diagram": diagram_obj,
            "tree": tree,
            "drawing": layout(diagram_obj, tree),
            "driver_form": driver_form if manage else None,
            "idea_form": idea_form if manage and tree["drivers"] else None,
            "can_test": can(membership.role, "improvement.test"),
        },
        status=400 if driver_form.errors or idea_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pdsa_plan(request: HttpRequest, pk: int) -> HttpResponse:
    idea, _ = access.change_ideas.get_for(request.user, pk, "improvement.test")
    form = forms.PdsaPlanForm(request.POST or None, initial={"starts_on": timezone.localdate()})

    def make(data: dict[str, Any]) -> str:
        cycle = services.pdsa_plan(change_idea=idea, actor=request.user, data=data)
        messages.success(
            request, f"PDSA cycle {cycle.number} is planned. It shows on its measures' charts."
        )
        return reverse("improvement:pdsa", args=[cycle.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Plan a PDSA cycle",
        label=f"Change idea: {idea.text}",
        back=reverse("improvement:diagram", args=[idea.diagram_id]),
        create=True,
        intro="Plan: what the test is for, what you predict, who, what, where and when, and "
        "the data to collect. Do, study and act are written up as the test goes.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def pdsa(request: HttpRequest, pk: int) -> HttpResponse:
    cycle, membership = access.cycles.get_for(request.user, pk, "improvement.view")
    may_write = can(membership.role, "improvement.test")
    initial = {f: getattr(cycle, f) for f in forms.PdsaWriteUpForm.base_fields}
    form = forms.PdsaWriteUpForm(request.POST or None, initial=initial)
    if request.method == "POST":
        access.cycles.check(request.user, "improvement.test", cycle)
        if form.is_valid():
            try:
                services.pdsa_update(cycle=cycle, data=form.cleaned_data, actor=request.user)
                messages.success(request, "Saved.")
                return redirect("improvement:pdsa", pk=cycle.pk)
            except ValidationError as error:
                add_validation_error(form, error)
    return render(
        request,
        "improvement/pdsa.html",
        {
            "cycle": cycle,
            "heading": str(cycle),
            "measures": cycle.change_idea.measures.all(),
            "form": form if may_write else None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def measure_from_rounds(request: HttpRequest, pk: int) -> HttpResponse:
    """One question of a record reading, over its rounds, made into a measure (a P chart):
    from the change page."""
    exercise, _ = records_access.exercises.get_for(request.user, pk, "records.findings")
    partnership_access.require(request.user, exercise.partnership_id, "improvement.manage")
    try:
        measure = services.measure_from_rounds(
            exercise=exercise, item_name=request.POST.get("item", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:change", pk=exercise.pk)
    messages.success(request, "The question is a measure now: each round is a point on its chart.")
    return redirect("improvement:measure", pk=measure.pk)
