"""Reading a record: the person's own readings, section by section with autosave, and the
check page before submitting. Opening a reading is audited by ``records.access``."""

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
from django.views.decorators.http import require_http_methods, require_POST

from howgood.partnerships import access as partnership_access
from howgood.questionnaires.rendering import (
    SectionForm,
    VersionTree,
    check_answers_rows,
    display_value,
)
from howgood.questionnaires.selectors import answers_of
from howgood.records import access, selectors, services
from howgood.records.models import (
    ReadingStatus,
)
from howgood.records.views.common import SENSITIVE


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
    case, membership = access.cases.get_for(request.user, pk, "records.read")
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
                sent = form.answers
                saved = services.reading_section_finish(
                    reading=reading,
                    tree=tree,
                    index=index,
                    values=sent,
                    text_answers=form.text_answers(),
                    names_checked=bool(request.POST.get("names_checked")),
                    lock_version=lock,
                    tab=request.POST.get("tab", ""),
                    actor=request.user,  # type: ignore[arg-type]
                )
                name_warnings = saved.name_warnings
                if not name_warnings:
                    if saved.following is not None and request.POST.get("return") != "check":
                        return redirect(
                            "records:reading_section", pk=reading.pk, index=saved.following
                        )
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
            "missing": selectors.missing_required(tree, answers),
            "conflict": conflict,
            "submitted": reading.status == ReadingStatus.SUBMITTED,
            "sensitive": SENSITIVE,
        },
        status=status,
    )
