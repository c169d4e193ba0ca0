"""Exercises: creating one, its case list and key map, the sample, pairs, assignment and
deleting its case data. Everything here is for ``records.manage`` (lead, coordinator)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from howgood.core import audit
from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.records import access, selectors, services
from howgood.records.caselist import CaseListError, read_case_list
from howgood.records.forms import (
    CaseListForm,
    ExerciseForm,
    PairForm,
    ReplaceForm,
    SampleForm,
)
from howgood.records.models import (
    CaseCategory,
)
from howgood.records.views.common import SENSITIVE
from howgood.stats import sampling


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "records.read")
    manages = can(membership.role, "records.manage")
    if not manages:
        return redirect("records:my_readings")
    exercises = access.exercises.instances_user_has_permission_for(
        request.user, "records.manage", partnership=membership.partnership
    )
    return render(request, "records/index.html", {"exercises": exercises})


@login_required
@require_http_methods(["GET", "POST"])
def exercise_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "records.manage")
    form = ExerciseForm(request.POST or None, partnership=membership.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as done:
                if not done.already:
                    exercise = services.exercise_create(
                        partnership=membership.partnership, actor=request.user, **form.cleaned_data
                    )
                    done.result_url = reverse("records:exercise", args=[exercise.pk])
            return redirect(done.result_url or "records:index")
        except ValidationError as error:
            add_validation_error(form, error)
    return render(
        request,
        "records/form_page.html",
        {
            "form": form,
            "title": "Start a record-reading exercise",
            "back": reverse("records:index"),
            "create": True,
            "intro": "An exercise holds a case list, its sample, the reading pairs and their readings.",
        },
    )


@login_required
def exercise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, membership = access.get_exercise_case_data_for(request, pk, "exercise")
    progress = list(selectors.sampled_cases(exercise)) if exercise.sample_drawn else []
    return render(
        request,
        "records/exercise.html",
        {
            "exercise": exercise,
            "summary": selectors.exercise_summary(exercise),
            "progress": progress,
            "stuck": selectors.records_that_cannot_progress(exercise, cases=progress),
            "can_keymap": can(membership.role, "records.keymap"),
            "sensitive": SENSITIVE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_import(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.manage")
    form = CaseListForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_case_list(upload.read(), upload.name)
            count = services.cases_import(
                exercise=exercise, rows=rows, actor=request.user, filename=upload.name
            )
            messages.success(
                request,
                f"Imported {count} records. Each has a reading ID; the local references are in the key map.",
            )
            return redirect("records:exercise", pk=exercise.pk)
        except CaseListError as error:
            problems = error.problems
        except ValidationError as error:
            problems = error.messages
    return render(
        request,
        "records/case_import.html",
        {"exercise": exercise, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
def cases(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.get_exercise_case_data_for(request, pk, "records")
    return render(
        request,
        "records/cases.html",
        {"exercise": exercise, "cases": selectors.cases_of(exercise), "sensitive": SENSITIVE},
    )


@login_required
def keymap(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.keymap")
    audit.log(actor=request.user, action="records.keymap.viewed", target=exercise)
    keys = exercise.cases.select_related("key").order_by("reading_id")
    return render(request, "records/keymap.html", {"exercise": exercise, "cases": keys})


@login_required
@require_http_methods(["GET", "POST"])
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.manage")
    population = exercise.cases.count()
    data = request.POST or (request.GET if "confidence" in request.GET else None)
    form = SampleForm(data)
    calculated = None
    if form.is_bound and form.is_valid():
        c = form.cleaned_data
        calculated = sampling.sample_size(
            population, float(c["confidence"]), c["margin"] / 100, c["proportion"] / 100
        )
        if request.method == "POST":
            try:
                services.sample_draw(
                    exercise=exercise,
                    confidence=float(c["confidence"]),
                    margin=c["margin"] / 100,
                    proportion=c["proportion"] / 100,
                    size=c["size"],
                    actor=request.user,
                )
                messages.success(
                    request,
                    "The sample has been drawn. The seed is recorded so it can be reproduced.",
                )
                return redirect("records:exercise", pk=exercise.pk)
            except ValidationError as error:
                add_validation_error(form, error)
    allocation = None
    if calculated is not None and population:
        sizes = selectors.exercise_summary(exercise)["by_category"]
        n = form.cleaned_data.get("size") or calculated
        allocation = [
            (CaseCategory(k).label, v)
            for k, v in sampling.allocation(sizes, min(n, population)).items()
        ]
    confidence_pct = (
        round(float(form.cleaned_data["confidence"]) * 100) if calculated is not None else None
    )
    return render(
        request,
        "records/sample.html",
        {
            "exercise": exercise,
            "form": form,
            "population": population,
            "calculated": calculated,
            "allocation": allocation,
            "confidence_pct": confidence_pct,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_replace(request: HttpRequest, pk: int) -> HttpResponse:
    case, _ = access.cases.get_for(request.user, pk, "records.manage")
    form = ReplaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.case_replace(
                case=case, reason=form.cleaned_data["reason"], actor=request.user
            )
            messages.success(
                request,
                f"Record {case.reading_id} is marked unavailable; {new.reading_id} takes its place.",
            )
            return redirect("records:cases", pk=case.exercise_id)
        except ValidationError as error:
            add_validation_error(form, error)
    return render(
        request,
        "records/form_page.html",
        {
            "form": form,
            "title": f"Replace record {case.reading_id}",
            "back": reverse("records:cases", args=[case.exercise_id]),
            "intro": "The next record in the same category's random draw takes its place. The reason is kept.",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pairs(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.manage")
    eligibility = selectors.pairing_eligibility(exercise.partnership)
    adding = request.method == "POST" and "suggest" not in request.POST
    form = PairForm(request.POST if adding else None, eligibility=eligibility)
    suggest_error = None
    if request.method == "POST":
        if "suggest" in request.POST:
            try:
                made = len(services.pairs_create_suggested(exercise=exercise, actor=request.user))
                messages.success(
                    request,
                    f"Made {made} pair{'s' if made != 1 else ''} of trained people, from different "
                    "agencies where possible. Anyone not offered is listed with the reason.",
                )
                return redirect("records:pairs", pk=exercise.pk)
            except ValidationError as error:
                suggest_error = error.messages[0]
        elif form.is_valid():
            try:
                services.pair_create(exercise=exercise, actor=request.user, **form.cleaned_data)
                messages.success(request, "Pair added.")
                return redirect("records:pairs", pk=exercise.pk)
            except ValidationError as error:
                add_validation_error(form, error)
    pair_list = selectors.pairs_with_workload(exercise)
    refused = selectors.pairs_that_cannot_take_records(exercise)
    for pair in pair_list:
        pair.cannot_take = refused.get(pair.pk, "")  # type: ignore[attr-defined]
    return render(
        request,
        "records/pairs.html",
        {
            "exercise": exercise,
            "form": form,
            "pairs": pair_list,
            "workload": selectors.workload_by_person(pair_list),
            # Those not offered at all first, then those offered only as a reader.
            "not_offered": sorted(
                (e for e in eligibility if not e.may_moderate), key=lambda e: e.may_read
            ),
            "suggest_error": suggest_error,
        },
        status=400 if suggest_error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pair_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pair, _ = access.pairs.get_for(request.user, pk, "records.manage")
    exercise = pair.exercise
    error = None
    if request.method == "POST":
        try:
            services.pair_delete(pair=pair, actor=request.user)
            messages.success(request, "Pair removed. Its records are waiting to be assigned again.")
            return redirect("records:pairs", pk=exercise.pk)
        except ValidationError as e:
            error = e.messages[0]
    return render(
        request,
        "partnerships/confirm.html",
        {
            "title": "Remove this pair?",
            "body": "Its records go back to the unassigned list.",
            "button": "Remove pair",
            "back": reverse("records:pairs", args=[exercise.pk]),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.get_exercise_case_data_for(request, pk, "assign")
    error = None
    if request.method == "POST":
        try:
            if "balance" in request.POST:
                n = services.assign_balanced(exercise=exercise, actor=request.user)
                messages.success(
                    request,
                    f"Shared out {n} record{'s' if n != 1 else ''} evenly between the pairs.",
                )
            else:
                plan = {}
                for key, value in request.POST.items():
                    if key.startswith("case_") and key[5:].isdigit():
                        plan[int(key[5:])] = int(value) if value.isdigit() else None
                services.cases_assign(exercise=exercise, assignments=plan, actor=request.user)
                messages.success(request, "Assignments saved.")
            return redirect("records:assign", pk=exercise.pk)
        except ValidationError as e:
            error = e.messages[0]
    pair_list = selectors.pairs_with_workload(exercise)
    refused = selectors.pairs_that_cannot_take_records(exercise)
    for pair in pair_list:
        pair.cannot_take = refused.get(pair.pk, "")  # type: ignore[attr-defined]
    return render(
        request,
        "records/assign.html",
        {
            "exercise": exercise,
            "cases": selectors.sampled_cases(exercise),
            "pairs": pair_list,
            "refused": [(p, refused[p.pk]) for p in pair_list if p.pk in refused],
            "workload": selectors.workload_by_person(pair_list),
            "error": error,
            "sensitive": SENSITIVE,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_data_delete(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.manage")
    error = None
    if request.method == "POST":
        try:
            counts = services.case_data_delete(exercise=exercise, actor=request.user)
            documents = counts["documents"]
            messages.success(
                request,
                f"Deleted {counts['records']} records, their key map, {counts['readings']} "
                f"readings and {documents} document{'s' if documents != 1 else ''} made from them.",
            )
            return redirect("records:exercise", pk=exercise.pk)
        except ValidationError as e:
            error = e.messages[0]
    return render(
        request,
        "partnerships/confirm.html",
        {
            "title": f"Delete the case data of {exercise.title}?",
            "body": "This deletes the case list, the key map of local references, every reading and "
            "moderation, and every document made from them (Word, PDF and Excel). "
            "It cannot be undone. The audit trail, matters of concern and the agreed strengths "
            "and areas for improvement are kept.",
            "button": "Delete case data",
            "back": reverse("records:exercise", args=[exercise.pk]),
            "error": error,
        },
        status=400 if error else 200,
    )
