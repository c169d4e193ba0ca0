"""Moderating a pair's readings of one record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from howgood.questionnaires.rendering import (
    VersionTree,
)
from howgood.questionnaires.selectors import answers_of
from howgood.records import access, selectors, services
from howgood.records.moderation import ModerationForm
from howgood.records.views.common import SENSITIVE


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    case, _ = access.get_moderation_case_for(request, pk)
    try:
        record = services.moderation_start(case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("records:my_readings")
    first_reading, second_reading = selectors.pair_readings(case)
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
