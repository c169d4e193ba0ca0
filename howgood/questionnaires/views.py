"""Questionnaire pages: list, upload, versions, publish, copy, export and preview.

Access always goes through ``howgood.questionnaires.access``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from howgood.core import audit
from howgood.core.idempotency import once
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.questionnaires import access, selectors, services
from howgood.questionnaires.definition import DefinitionError
from howgood.questionnaires.forms import UploadForm
from howgood.questionnaires.models import QuestionnaireVersion
from howgood.questionnaires.rendering import SectionForm, VersionTree, check_answers_rows

PREVIEW_KEY = "howgood_preview_{}"


def _files(form: UploadForm) -> dict[str, bytes]:
    return {f.name: f.read() for f in form.cleaned_data["files"]}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "questionnaires.view")
    questionnaires = list(selectors.questionnaire_list(membership))
    return render(
        request,
        "questionnaires/index.html",
        {
            "own": [q for q in questionnaires if q.partnership_id is not None],
            "shared": [q for q in questionnaires if q.partnership_id is None],
            "can_manage": can(membership.role, "questionnaires.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "questionnaires.manage")
    form = UploadForm(
        request.POST or None, request.FILES or None, max_bytes=settings.HOWGOOD_MAX_UPLOAD_BYTES
    )
    problems = None
    if request.method == "POST" and form.is_valid():
        try:
            files = _files(form)
            # Read the file before once() opens its transaction: a large file takes seconds
            # to read, and nobody else can write (or sign in) while a transaction is open.
            definition = services.read_definition(files)
            with once(request) as done:
                if not done.already:
                    version = services.questionnaire_import(
                        partnership=membership.partnership,
                        files=files,
                        actor=request.user,
                        title=form.cleaned_data["title"],
                        kind=form.cleaned_data["kind"],
                        definition=definition,
                    )
                    messages.success(
                        request,
                        f"Imported {version.title} as a draft. Preview it, then publish it.",
                    )
                    done.result_url = reverse("questionnaires:version", args=[version.pk])
            return redirect(done.result_url or "questionnaires:index")
        except DefinitionError as error:
            problems = error.problems
    return render(
        request,
        "questionnaires/upload.html",
        {"form": form, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire, membership = access.questionnaires.get_for(
        request.user, pk, "questionnaires.view", within=request.partnership
    )
    return render(
        request,
        "questionnaires/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "versions": selectors.versions_of(questionnaire),
            "can_manage": can(membership.role, "questionnaires.manage"),
        },
    )


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version, membership = access.versions.get_for(
        request.user, pk, "questionnaires.view", within=request.partnership
    )
    items = list(selectors.version_items(version))
    sections: dict[int, dict[str, Any]] = {}
    for item in items:
        sections.setdefault(item.section_id, {"section": item.section, "items": []})[
            "items"
        ].append(item)
    return render(
        request,
        "questionnaires/version.html",
        {
            "version": version,
            "questionnaire": version.questionnaire,
            "sections": list(sections.values()),
            "question_count": sum(1 for i in items if i.type != "note"),
            "can_manage": can(membership.role, "questionnaires.manage"),
            "is_shared": version.questionnaire.partnership_id is None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_replace(request: HttpRequest, pk: int) -> HttpResponse:
    version, _ = access.versions.get_for(
        request.user, pk, "questionnaires.change", within=request.partnership
    )
    if version.is_frozen:
        messages.error(
            request, "A published version cannot change. Make a new version from it instead."
        )
        return redirect("questionnaires:version", pk=version.pk)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        with_meta=False,
        max_bytes=settings.HOWGOOD_MAX_UPLOAD_BYTES,
    )
    problems = None
    if request.method == "POST" and form.is_valid():
        try:
            services.version_replace(version=version, files=_files(form), actor=request.user)
            messages.success(request, "The draft now holds the corrected file.")
            return redirect("questionnaires:version", pk=version.pk)
        except DefinitionError as error:
            problems = error.problems
    return render(
        request,
        "questionnaires/upload.html",
        {"form": form, "problems": problems, "version": version},
        status=400 if problems else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version, _ = access.versions.get_for(
        request.user, pk, "questionnaires.change", within=request.partnership
    )
    error = None
    if request.method == "POST":
        if version.is_frozen:
            return redirect("questionnaires:version", pk=version.pk)  # a second click: already done
        try:
            services.version_publish(version=version, actor=request.user)
            messages.success(
                request, f"Version {version.number} is published. It can no longer be changed."
            )
            return redirect("questionnaires:version", pk=version.pk)
        except services.FrozenVersion as e:
            error = str(e)
    return render(
        request,
        "questionnaires/confirm.html",
        {
            "title": f"Publish version {version.number} of {version.title}?",
            "body": "Once published, this version is frozen: its questions cannot change, so every answer given "
            "to it means the same thing. To change it later you make a new version.",
            "button": "Publish",
            "back": reverse("questionnaires:version", args=[version.pk]),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_derive(request: HttpRequest, pk: int) -> HttpResponse:
    version, membership = access.versions.get_for(
        request.user, pk, "questionnaires.manage", within=request.partnership
    )
    shared = version.questionnaire.partnership_id is None
    if request.method == "POST":
        with once(request) as done:
            if not done.already:
                new = services.version_derive(
                    version=version,
                    actor=request.user,
                    partnership=membership.partnership if shared else None,
                )
                messages.success(
                    request,
                    f"Made a new draft (version {new.number}) from version {version.number}.",
                )
                done.result_url = reverse("questionnaires:version", args=[new.pk])
        return redirect(done.result_url or "questionnaires:index")
    return render(
        request,
        "questionnaires/confirm.html",
        {
            "title": (
                f"Copy {version.title} into {membership.partnership.name}?"
                if shared
                else f"Make a new version from version {version.number}?"
            ),
            "body": "You get a draft with the same questions. Download it as XLSForm, change it in Excel, and upload "
            "the file into the draft; then preview and publish it.",
            "button": "Make a copy" if shared else "Make a new version",
            "back": reverse("questionnaires:version", args=[version.pk]),
            "key": True,
        },
    )


@login_required
def version_export(request: HttpRequest, pk: int) -> HttpResponse:
    version, _ = access.versions.get_for(
        request.user, pk, "questionnaires.view", within=request.partnership
    )
    body = selectors.version_export_xlsform(version)
    audit.log(
        actor=request.user,
        action="questionnaires.version.exported",
        target=version,
        partnership=version.questionnaire.partnership,
    )
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    safe = (
        "".join(c if c.isalnum() else "-" for c in version.title.lower()).strip("-")[:50]
        or "questionnaire"
    )
    response["Content-Disposition"] = f'attachment; filename="{safe}-v{version.number}.xlsx"'
    return response


# --- Preview: the questionnaire as a respondent or reader meets it, answers kept in the session.


def _preview_answers(request: HttpRequest, version: QuestionnaireVersion) -> dict[str, Any]:
    return dict(request.session.get(PREVIEW_KEY.format(version.pk), {}))


def _store_preview(
    request: HttpRequest, version: QuestionnaireVersion, answers: dict[str, Any]
) -> None:
    def plain(value: Any) -> Any:
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, list):
            return value
        return None if value is None else str(value)

    request.session[PREVIEW_KEY.format(version.pk)] = {k: plain(v) for k, v in answers.items()}


@login_required
@require_http_methods(["GET", "POST"])
def preview(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    version, _ = access.versions.get_for(
        request.user, pk, "questionnaires.view", within=request.partnership
    )
    tree = VersionTree.load(version)
    if index >= len(tree.sections):
        raise Http404("No such section")
    section = tree.sections[index]
    answers = _preview_answers(request, version)
    if request.method == "GET" and index == 0 and request.GET.get("restart"):
        answers = {}
        _store_preview(request, version, answers)
        audit.log(
            actor=request.user,
            action="questionnaires.version.previewed",
            target=version,
            partnership=version.questionnaire.partnership,
        )
    form = SectionForm(request.POST or None, tree=tree, section=section, answers=answers)
    if request.method == "POST" and form.is_valid():
        answers.update(form.answers)
        _store_preview(request, version, answers)
        following = tree.next_section(index, answers)
        if following is not None and request.POST.get("return") != "check":
            return redirect("questionnaires:preview", pk=version.pk, index=following)
        return redirect("questionnaires:preview_check", pk=version.pk)
    position, total = tree.position(index, answers)
    return render(
        request,
        "questionnaires/preview_section.html",
        {
            "version": version,
            "section": section,
            "form": form,
            "entries": form.bound_entries(),
            "index": index,
            "position": position,
            "total": total,
            "back": reverse("questionnaires:preview", args=[version.pk, index - 1])
            if index
            else reverse("questionnaires:version", args=[version.pk]),
            "answers_json": answers,
            "return_to": request.GET.get("return", ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
def preview_check(request: HttpRequest, pk: int) -> HttpResponse:
    version, _ = access.versions.get_for(
        request.user, pk, "questionnaires.view", within=request.partnership
    )
    tree = VersionTree.load(version)
    answers = _preview_answers(request, version)
    return render(
        request,
        "questionnaires/preview_check.html",
        {"version": version, "rows": check_answers_rows(tree, answers)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preview_done(request: HttpRequest, pk: int) -> HttpResponse:
    version, _ = access.versions.get_for(
        request.user, pk, "questionnaires.view", within=request.partnership
    )
    if request.method == "POST":
        request.session.pop(PREVIEW_KEY.format(version.pk), None)
    return render(request, "questionnaires/preview_done.html", {"version": version})
