"""Two small helpers for the many "one form on a page" views.

    form = PriorityForm(request.POST or None)

    def make(data):                      # a service call; returns where to go next
        services.priority_add(plan=plan, actor=request.user, **data)
        return reverse("improvement:plan", args=[plan.pk])

    return save_form(request, form, make, create=True) or form_page(
        request, form, title="Add a priority", back=..., create=True
    )

``save_form`` validates the form and calls ``make``; a create form is idempotent (a double
submit makes one thing, ``core.idempotency.once``), and a service's ValidationError lands
on the form so what the person typed is kept. ``form_page`` renders the design system's
form page (``partnerships/form_page.html``) with status 400 when the form has errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    create: bool = False,
    label: str = "",
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "create": create,
            "label": label,
            "intro": intro,
            "multipart": multipart,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def save_form(
    request: HttpRequest,
    form: Any,
    make: Callable[[dict[str, Any]], str],
    *,
    create: bool,
) -> HttpResponse | None:
    """The redirect after a valid form is handled, or None to show the form (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        if create:
            with once(request) as done:
                if not done.already:
                    done.result_url = make(form.cleaned_data)
            return redirect(done.result_url or request.path)
        return redirect(make(form.cleaned_data))
    except ValidationError as error:
        add_validation_error(form, error)
        return None
