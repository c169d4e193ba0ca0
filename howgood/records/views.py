"""Record-reading pages. Every view asks ``howgood.records.access`` first."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST

from howgood.core import audit
from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.core.links import local_path
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.questionnaires.rendering import (
    SectionForm,
    VersionTree,
    check_answers_rows,
    display_value,
)
from howgood.questionnaires.services import answers_of
from howgood.records import access, selectors, services
from howgood.records.caselist import CaseListError, read_case_list
from howgood.records.forms import (
    CaseListForm,
    ConcernForm,
    ConcernStepForm,
    ExerciseForm,
    PairForm,
    ReplaceForm,
    SampleForm,
)
from howgood.records.models import (
    CONCERN_NEXT,
    CaseCategory,
    ConcernStatus,
    Pair,
    ReadingStatus,
)
from howgood.records.names import possible_names
from howgood.stats import sampling

SENSITIVE = "Pages about children's records hold personal data."


# --- Exercises ----------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "records.read")
    manages = can(membership.role, "records.manage")
    if not manages:
        return redirect("records:my_readings")
    exercises = access.exercises_visible_to(membership).select_related("template")
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
            "stuck": services.records_that_cannot_progress(exercise, cases=progress),
            "can_keymap": can(membership.role, "records.keymap"),
            "sensitive": SENSITIVE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_import(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.get_exercise_for(request.user, pk, "records.manage")
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
    exercise, _ = access.get_exercise_for(request.user, pk, "records.keymap")
    audit.log(actor=request.user, action="records.keymap.viewed", target=exercise)
    keys = exercise.cases.select_related("key").order_by("reading_id")
    return render(request, "records/keymap.html", {"exercise": exercise, "cases": keys})


@login_required
@require_http_methods(["GET", "POST"])
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.get_exercise_for(request.user, pk, "records.manage")
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
    case, _ = access.get_case_for(request.user, pk, "records.manage")
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
    exercise, _ = access.get_exercise_for(request.user, pk, "records.manage")
    eligibility = services.pairing_eligibility(exercise.partnership)
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
    refused = services.pairs_that_cannot_take_records(exercise)
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
    pair = (
        Pair.objects.filter(pk=pk).select_related("exercise").first() if str(pk).isdigit() else None
    )
    if pair is None:
        raise Http404
    exercise, _ = access.get_exercise_for(request.user, pair.exercise_id, "records.manage")
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
    refused = services.pairs_that_cannot_take_records(exercise)
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
    exercise, _ = access.get_exercise_for(request.user, pk, "records.manage")
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


# --- Reading ------------------------------------------------------------------------------


@login_required
def my_readings(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "records.read")
    return render(
        request,
        "records/my_readings.html",
        {"rows": selectors.my_assignments(membership), "sensitive": SENSITIVE},
    )


@login_required
@require_POST
def reading_start(request: HttpRequest, pk: int) -> HttpResponse:
    case, membership = access.get_case_to_read(request.user, pk)
    reading = services.reading_open(case=case, membership=membership)
    if reading.status == ReadingStatus.SUBMITTED:
        return redirect("records:reading_check", pk=reading.pk)
    return redirect("records:reading_section", pk=reading.pk, index=reading.section_index)


def _reading_context(
    reading: Any, tree: VersionTree, index: int, answers: dict[str, Any]
) -> dict[str, Any]:
    position, total = tree.position(index, answers)
    return {
        "reading": reading,
        "case": reading.case,
        "index": index,
        "position": position,
        "total": total,
        "sensitive": SENSITIVE,
    }


@login_required
@require_http_methods(["GET", "POST"])
def reading_section(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    reading, _ = access.get_reading_for(request, pk)
    if reading.status == ReadingStatus.SUBMITTED:
        return redirect("records:reading_check", pk=reading.pk)
    tree = VersionTree.load(reading.case.exercise.template)
    if index >= len(tree.sections):
        raise Http404
    section = tree.sections[index]
    answers = answers_of(reading.submission)
    form = SectionForm(request.POST or None, tree=tree, section=section, answers=answers)
    conflict = None
    compare: list[dict[str, str]] = []
    name_warnings: dict[str, list[str]] = {}
    if request.method == "POST":
        lock = int(request.POST.get("lock_version", "-1") or -1)
        later = "later" in request.POST
        sent: dict[str, Any] = {}
        try:
            if later:
                sent = form.partial_values()
                services.reading_save(
                    reading=reading,
                    lock_version=lock,
                    values=sent,
                    section_index=index,
                    actor=request.user,
                    items=tree.items,
                    tab=request.POST.get("tab", ""),
                )
                messages.success(
                    request,
                    f"Saved. Your reading of record {reading.case.reading_id} is waiting for you.",
                )
                return redirect("records:my_readings")
            if form.is_valid():
                if not request.POST.get("names_checked"):
                    for name, text in form.text_answers().items():
                        found = possible_names(text)
                        if found:
                            name_warnings[name] = found
                if not name_warnings:
                    merged = {**answers, **form.answers}
                    following = tree.next_section(index, merged)
                    next_index = following if following is not None else index
                    sent = form.answers
                    services.reading_save(
                        reading=reading,
                        lock_version=lock,
                        values=sent,
                        section_index=next_index,
                        actor=request.user,
                        items=tree.items,
                        tab=request.POST.get("tab", ""),
                    )
                    if following is not None and request.POST.get("return") != "check":
                        return redirect("records:reading_section", pk=reading.pk, index=next_index)
                    return redirect("records:reading_check", pk=reading.pk)
        except services.Conflict as error:
            conflict = str(error)
            compare = _conflict_rows(tree, error)
            answers = answers_of(reading.submission)
            # This page's answers stay in the form, as sent, without error messages: the
            # person has only to save again to use them.
            form = SectionForm(tree=tree, section=section, answers={**answers, **sent})
    reading.refresh_from_db(fields=["lock_version"])
    context = _reading_context(reading, tree, index, answers)
    context.update(
        {
            "form": form,
            "entries": form.bound_entries(),
            "section": section,
            "conflict": conflict,
            "compare": compare,
            "name_warnings": name_warnings,
            "answers_json": {k: _plain(v) for k, v in answers.items()},
            "lock_version": reading.lock_version,
            "tab": request.POST.get("tab") or secrets.token_hex(8),
            "return_to": request.GET.get("return", request.POST.get("return", "")),
            "back": reverse("records:reading_section", args=[reading.pk, index - 1])
            if index
            else reverse("records:my_readings"),
        }
    )
    status = 409 if conflict else (400 if form.is_bound and (form.errors or name_warnings) else 200)
    return render(request, "records/reading_section.html", context, status=status)


def _conflict_rows(tree: VersionTree, conflict: services.Conflict) -> list[dict[str, str]]:
    """The questions another tab answered differently: what it saved and what this page sent."""
    by_name = {item.name: item for item in tree.items}
    return [
        {
            "label": by_name[name].label,
            "theirs": display_value(tree, by_name[name], value),
            "yours": display_value(tree, by_name[name], conflict.yours.get(name)),
        }
        for name, value in conflict.theirs.items()
        if name in by_name
    ]


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list):
        return value
    return None if value is None else str(value)


@login_required
@require_POST
def reading_autosave(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    """htmx: save what is valid on the page so far; answers a status line."""
    reading, _ = access.get_reading_for(request, pk)
    tree = VersionTree.load(reading.case.exercise.template)
    if index >= len(tree.sections) or reading.status == ReadingStatus.SUBMITTED:
        raise Http404
    form = SectionForm(
        request.POST,
        tree=tree,
        section=tree.sections[index],
        answers=answers_of(reading.submission),
    )
    tab = request.POST.get("tab", "")
    lock_version = int(request.POST.get("lock_version", "-1") or -1)
    try:
        saved = services.reading_save(
            reading=reading,
            lock_version=lock_version,
            values=form.partial_values(),
            section_index=index,
            actor=request.user,
            items=tree.items,
            tab=tab,
            autosave=True,
        )
        # When nothing was written (the answers were already as the page has them), the page
        # keeps the version it was opened with.
        written = saved.last_tab == tab[:32] and saved.lock_version != lock_version
        return render(
            request,
            "records/_autosave.html",
            {
                "saved_at": timezone.localtime(),
                "lock_version": saved.lock_version if written else lock_version,
            },
        )
    except services.Conflict as error:
        return render(
            request,
            "records/_autosave.html",
            {"conflict": str(error), "lock_version": lock_version},
        )


@login_required
@require_http_methods(["GET", "POST"])
def reading_check(request: HttpRequest, pk: int) -> HttpResponse:
    reading, _ = access.get_reading_for(request, pk)
    tree = VersionTree.load(reading.case.exercise.template)
    answers = answers_of(reading.submission)
    conflict = None
    status = 200
    if request.method == "POST" and reading.status != ReadingStatus.SUBMITTED:
        try:
            services.reading_submit(
                reading=reading,
                lock_version=int(request.POST.get("lock_version", "-1") or -1),
                actor=request.user,
            )
            messages.success(
                request,
                f"Your reading of record {reading.case.reading_id} is submitted. "
                "When your partner has submitted too, the moderator reconciles the two.",
            )
            return redirect("records:my_readings")
        except services.Conflict as error:
            conflict, status = str(error), 409
        except ValidationError as error:
            conflict, status = error.messages[0], 400
    reading.refresh_from_db(fields=["lock_version", "status"])
    return render(
        request,
        "records/reading_check.html",
        {
            "reading": reading,
            "case": reading.case,
            "rows": check_answers_rows(tree, answers),
            "missing": services.missing_required(tree, answers),
            "conflict": conflict,
            "submitted": reading.status == ReadingStatus.SUBMITTED,
            "sensitive": SENSITIVE,
        },
        status=status,
    )


# --- Matters of concern -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    case, _ = access.get_case_to_read(request.user, pk)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with once(request) as done:
            if not done.already:
                concern = services.concern_raise(
                    case=case, description=form.cleaned_data["description"], actor=request.user
                )
                done.result_url = reverse("records:concern", args=[concern.pk])
                messages.success(
                    request,
                    "The matter of concern has been raised. The lead officer has been told.",
                )
        return redirect(done.result_url or "records:my_readings")
    return render(
        request,
        "records/concern_form.html",
        {
            "form": form,
            "case": case,
            "sensitive": SENSITIVE,
            "back": local_path(request.GET.get("back"), reverse("records:my_readings")),
        },
    )


@login_required
def concerns(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "records.read")
    items = access.concerns_visible_to(membership).select_related("raised_by")
    return render(
        request,
        "records/concerns.html",
        {"concerns": items, "manages": can(membership.role, "concerns.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_detail(request: HttpRequest, pk: int) -> HttpResponse:
    concern, membership = access.get_concern_to_view(request, pk)
    form = ConcernStepForm(request.POST or None)
    following = CONCERN_NEXT.get(ConcernStatus(concern.status))
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_advance(
                concern=concern, note=form.cleaned_data["note"], actor=request.user
            )
            concern.refresh_from_db(fields=["status"])
            messages.success(request, f"Recorded: {ConcernStatus(concern.status).label.lower()}.")
            return redirect("records:concern", pk=concern.pk)
        except ValidationError as error:
            add_validation_error(form, error)
    return render(
        request,
        "records/concern.html",
        {
            "concern": concern,
            "steps": concern.steps.select_related("actor"),
            "form": form,
            "next_status": following.label if following else None,
            "manages": can(membership.role, "concerns.manage"),
            "sensitive": SENSITIVE,
        },
    )


# --- Moderation -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    from howgood.records.moderation import ModerationForm

    case, _ = access.get_moderation_case_for(request, pk)
    try:
        record = services.moderation_start(case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("records:my_readings")
    first_reading, second_reading = services.pair_readings(case)
    assert first_reading and second_reading
    tree = VersionTree.load(case.exercise.template)
    agreed = answers_of(record.submission)
    form = ModerationForm(
        request.POST or None,
        tree=tree,
        first=answers_of(first_reading.submission),
        second=answers_of(second_reading.submission),
        agreed=agreed,
        notes=record.notes,
    )
    conflict = None
    if request.method == "POST" and not record.completed_at and form.is_valid():
        complete = "complete" in request.POST
        if not complete or form.check_complete(agreed):
            try:
                services.moderation_save(
                    moderation=record,
                    lock_version=int(request.POST.get("lock_version", "-1") or -1),
                    values=form.values(),
                    notes=form.notes(),
                    actor=request.user,
                    complete=complete,
                )
                if complete:
                    messages.success(
                        request,
                        f"Record {case.reading_id} is moderated. Its agreed answers are used in the findings.",
                    )
                    return redirect("records:my_readings")
                messages.success(request, "Moderation saved.")
                return redirect("records:moderation", pk=case.pk)
            except services.Conflict as error:
                conflict = str(error)
    record.refresh_from_db(fields=["lock_version", "completed_at"])
    return render(
        request,
        "records/moderation.html",
        {
            "case": case,
            "moderation": record,
            "form": form,
            "rows": form.bound_rows(),
            "conflict": conflict,
            "differences": len(form.differences),
            "reader": case.pair.reader if case.pair else None,
            "sensitive": SENSITIVE,
        },
        status=409 if conflict else (400 if form.errors else 200),
    )


# --- Findings ---------------------------------------------------------------------------------


@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    from howgood.frameworks.selectors import bands_for, default_framework
    from howgood.records import findings as findings_module
    from howgood.records.charts import page_specs
    from howgood.records.exports import item_rows
    from howgood.records.models import Conclusion

    exercise, membership = access.get_exercise_for(request.user, pk, "records.findings")
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
    from howgood.records.charts import page_chart

    exercise, membership = access.get_exercise_for(request.user, pk, "records.findings")
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
    exercise, _ = access.get_exercise_for(request.user, pk, "records.manage")
    n = services.conclusions_refresh(exercise=exercise, actor=request.user)
    messages.success(
        request,
        f"{n} strength{'s' if n != 1 else ''} and area{'s' if n != 1 else ''} for improvement suggested from the findings. Accept, edit or drop each one.",
    )
    return redirect(reverse("records:findings", args=[exercise.pk]) + "#statements")


@login_required
@require_POST
def conclusion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    from howgood.records.models import Conclusion

    statement = (
        Conclusion.objects.filter(pk=pk).select_related("exercise").first()
        if str(pk).isdigit()
        else None
    )
    if statement is None:
        raise Http404
    exercise, _ = access.get_exercise_for(request.user, statement.exercise_id, "records.manage")
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
    from howgood.reports.services import report_request

    exercise, membership = access.get_exercise_for(request.user, pk, "records.findings")
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
    from howgood.records import agreement as agreement_module

    exercise, _ = access.get_exercise_for(request.user, pk, "records.findings")
    return render(
        request,
        "records/agreement.html",
        {"exercise": exercise, **agreement_module.compute(exercise)},
    )
