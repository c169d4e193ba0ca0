"""Rounds of record reading: marking an exercise as a repeat of an earlier one, and the change
page that compares the two."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from howgood.core.pages import form_page, save_form
from howgood.frameworks.selectors import bands_for, default_framework
from howgood.partnerships.roles import can
from howgood.records import access, services
from howgood.records.change import exercise_change
from howgood.records.forms import RepeatForm
from howgood.records.models import Exercise
from howgood.reports.services import report_request


@login_required
@require_http_methods(["GET", "POST"])
def repeat(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, _ = access.exercises.get_for(request.user, pk, "records.manage")
    earlier = Exercise.objects.filter(partnership=exercise.partnership).exclude(pk=exercise.pk)
    form = RepeatForm(
        request.POST or None, earlier=earlier, initial={"earlier": exercise.repeat_of_id}
    )

    def make(data: dict[str, Any]) -> str:
        services.exercise_repeat_set(
            exercise=exercise,
            earlier=data["earlier"],
            actor=request.user,  # type: ignore[arg-type]
        )
        if data["earlier"] is None:
            return reverse("records:exercise", args=[exercise.pk])
        return reverse("records:change", args=[exercise.pk])

    return save_form(request, form, make, create=False) or form_page(
        request,
        form,
        title=f"Is {exercise.title} a repeat of an earlier record reading?",
        intro="A repeat is read against the same template (or one derived from it), so its "
        "findings can be compared with the earlier round's, question by question.",
        back=reverse("records:exercise", args=[exercise.pk]),
    )


@login_required
def change(request: HttpRequest, pk: int) -> HttpResponse:
    exercise, membership = access.exercises.get_for(request.user, pk, "records.findings")
    share = access.findings_shared_on_page(membership)
    found = exercise_change(exercise, share=share, bands=bands_for(default_framework()))
    return render(
        request,
        "records/change.html",
        {
            "exercise": exercise,
            "change": found,
            "manages": can(membership.role, "records.manage"),
            "can_measure": can(membership.role, "improvement.manage"),
        },
    )


@login_required
@require_POST
def change_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The change page in Word, made in the background; for sharing (small numbers
    withheld) unless the person may see case data and did not ask for the shared copy."""
    exercise, membership = access.exercises.get_for(request.user, pk, "records.findings")
    share = not can(membership.role, "records.case_data") or request.POST.get("share") == "1"
    made = report_request(
        kind="records.change.docx",
        partnership=exercise.partnership,
        target_id=exercise.pk,
        title=f"What changed: {exercise.title}: Word report{' (for sharing)' if share else ''}",
        params={"share": share},
        actor=request.user,  # type: ignore[arg-type]
        action="records.change.exported",
        target=exercise,
    )
    return redirect("reports:status", pk=made.pk)
