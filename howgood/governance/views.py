"""The Governance section: the programme's figures with their sources, and the programme
letter drafted from them, changed by people and exported to Word."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.governance import access, selectors, services
from howgood.governance.figures import programme_figures
from howgood.governance.forms import DraftTextForm
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.reports.services import report_request


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.view")
    return render(
        request,
        "governance/index.html",
        {
            "figures": programme_figures(membership.partnership),
            "drafts": selectors.drafts_of(membership.partnership)[:20],
            "can_manage": can(membership.role, "governance.manage"),
        },
    )


@login_required
@require_POST
def draft_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.manage")
    with once(request) as done:  # a double click drafts once
        if done.already:
            return redirect(done.result_url)
        draft = services.draft_create(partnership=membership.partnership, actor=request.user)  # type: ignore[arg-type]
        done.result_url = reverse("governance:draft", args=[draft.pk])
    messages.success(request, "The programme letter is drafted from the figures as they are now.")
    return redirect("governance:draft", pk=draft.pk)


@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft, membership = access.drafts.get_for(request.user, pk, "governance.view")
    return render(
        request,
        "governance/draft.html",
        {"draft": draft, "can_manage": can(membership.role, "governance.manage")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft, _ = access.drafts.get_for(request.user, pk, "governance.manage")
    form = DraftTextForm(request.POST or None, sections=draft.sections)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_update(draft=draft, texts=form.texts(), actor=request.user)  # type: ignore[arg-type]
        except ValidationError as e:
            add_validation_error(form, e)
        else:
            messages.success(request, "The draft is saved.")
            return redirect("governance:draft", pk=draft.pk)
    return render(request, "governance/draft_edit.html", {"draft": draft, "form": form})


@login_required
@require_POST
def draft_word(request: HttpRequest, pk: int) -> HttpResponse:
    draft, membership = access.drafts.get_for(request.user, pk, "governance.view")
    made = report_request(
        kind="governance.draft.docx",
        partnership=membership.partnership,
        target_id=draft.pk,
        title=f"{draft.title}: Word document",
        params={},
        actor=request.user,  # type: ignore[arg-type]
        action="governance.draft.requested",
        target=draft,
    )
    return redirect("reports:status", pk=made.pk)
