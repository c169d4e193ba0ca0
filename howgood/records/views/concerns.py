"""Matters of concern raised while reading, and their steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.core.links import local_path
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.records import access, services
from howgood.records.forms import (
    ConcernForm,
    ConcernStepForm,
)
from howgood.records.models import (
    CONCERN_NEXT,
    ConcernStatus,
)
from howgood.records.views.common import SENSITIVE


@login_required
@require_http_methods(["GET", "POST"])
def concern_create(request: HttpRequest, pk: int) -> HttpResponse:
    case, _ = access.cases.get_for(request.user, pk, "records.read")
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
    items = access.concerns.instances_user_has_permission_for(
        request.user, "concerns.view", partnership=membership.partnership
    )
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
