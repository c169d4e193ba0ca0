"""Self-evaluation pages: the evidence library, the audit register, workshops, and the
position statement. Thin: access chokepoint, form, service, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.core.pages import form_page, save_form
from howgood.frameworks.selectors import indicator_content, scale_words
from howgood.improvement.selectors import current_plan
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.reports.services import report_request
from howgood.selfevaluation import access, forms, selectors, services
from howgood.selfevaluation.diff import compare_versions
from howgood.selfevaluation.evidence import EvidenceView, resolve
from howgood.selfevaluation.models import WORD_LIMIT, Contribution, ContributionKind
from howgood.selfevaluation.templatetags.statement_text import cited


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.view")
    partnership = membership.partnership
    return render(
        request,
        "selfevaluation/index.html",
        {
            "documents": selectors.documents_of(partnership).count(),
            "audits": len(selectors.register(partnership, timezone.localdate())),
            "workshops": selectors.workshops_of(partnership),
            "statements": selectors.statements_of(partnership),
            "can_facilitate": can(membership.role, "selfevaluation.facilitate"),
            "can_write": can(membership.role, "selfevaluation.write"),
        },
    )


# --- Evidence library and audit register ---------------------------------------------------


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.view")
    return render(
        request,
        "selfevaluation/documents.html",
        {
            "documents": selectors.documents_of(membership.partnership),
            "can_add": can(membership.role, "selfevaluation.contribute"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.contribute")
    form = forms.DocumentForm(
        request.POST or None, request.FILES or None, partnership=membership.partnership
    )

    def make(data: dict[str, Any]) -> str:
        upload = data.pop("file")
        services.document_upload(
            partnership=membership.partnership,
            actor=request.user,
            name=upload.name,
            data=upload.read(),
            **data,
        )
        messages.success(request, "The document is in the evidence library.")
        return reverse("selfevaluation:documents")

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Upload a document",
        back=reverse("selfevaluation:documents"),
        create=True,
        multipart=True,
        intro="Documents are stored privately and only members of the partnership can download them.",
    )


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, as a download, to members only (never shown in the browser)."""
    doc, _ = access.documents.get_for(request.user, pk, "selfevaluation.view")
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    response = FileResponse(handle, as_attachment=True, filename=doc.original_name)
    response["Content-Type"] = doc.content_type
    return response


@login_required
def audits(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.view")
    rows = selectors.register(membership.partnership, timezone.localdate())
    open_findings = sorted(
        (row for _, findings in rows for row in findings if row.finding.status == "open"),
        key=lambda r: -r.days_open,
    )
    return render(
        request,
        "selfevaluation/audits.html",
        {
            "rows": rows,
            "open_findings": open_findings,
            "long_days": selectors.LONG_STANDING_DAYS,
            "can_add": can(membership.role, "selfevaluation.contribute"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_add(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.contribute")
    form = forms.AuditForm(request.POST or None, partnership=membership.partnership)

    def make(data: dict[str, Any]) -> str:
        findings = (data.pop("findings") or "").splitlines()
        record = services.service_audit_create(
            partnership=membership.partnership, actor=request.user, findings=findings, **data
        )
        messages.success(request, "The audit is on the register.")
        return reverse("selfevaluation:audit", args=[record.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Log a single-service audit or evaluation",
        back=reverse("selfevaluation:audits"),
        create=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit(request: HttpRequest, pk: int) -> HttpResponse:
    record, membership = access.audits.get_for(request.user, pk, "selfevaluation.view")
    form = forms.FindingForm(request.POST or None, partnership=record.partnership)
    if request.method == "POST":
        access.audits.check(request.user, "selfevaluation.contribute", record)
        if form.is_valid():
            services.finding_add(service_audit=record, actor=request.user, **form.cleaned_data)
            messages.success(request, "Finding added.")
            return redirect("selfevaluation:audit", pk=record.pk)
    return _audit_page(request, record, membership, form=form)


def _audit_page(
    request: HttpRequest,
    record: Any,
    membership: Any,
    *,
    form: Any = None,
    closing: Any = None,
    close_form: Any = None,
) -> HttpResponse:
    """The audit and its findings; a bound form (finding or closing) keeps what was typed."""
    today = timezone.localdate()
    may_add = can(membership.role, "selfevaluation.contribute")
    form = form or forms.FindingForm(partnership=record.partnership)
    findings = [
        selectors.FindingRow(f, ((f.closed_on or today) - f.raised_on).days)
        for f in record.findings.select_related("repeat_of__audit")
    ]
    return render(
        request,
        "selfevaluation/audit.html",
        {
            "record": record,
            "findings": findings,
            "form": form if may_add else None,
            "close_form": forms.CloseFindingForm(initial={"closed_on": today}) if may_add else None,
            "closing": closing,
            "bound_close_form": close_form,
        },
        status=400 if form.errors or (close_form is not None and close_form.errors) else 200,
    )


@login_required
@require_POST
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    finding, membership = access.audit_findings.get_for(
        request.user, pk, "selfevaluation.contribute"
    )
    form = forms.CloseFindingForm(request.POST)
    if form.is_valid():
        try:
            services.finding_close(finding=finding, actor=request.user, **form.cleaned_data)
            messages.success(request, "Finding closed.")
            return redirect("selfevaluation:audit", pk=finding.audit_id)
        except ValidationError as error:
            add_validation_error(form, error)
    return _audit_page(request, finding.audit, membership, closing=finding.pk, close_form=form)


# --- Workshops -----------------------------------------------------------------------------


@login_required
def workshops(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.view")
    return render(
        request,
        "selfevaluation/workshops.html",
        {
            "workshops": selectors.workshops_of(membership.partnership),
            "can_facilitate": can(membership.role, "selfevaluation.facilitate"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_add(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.facilitate")
    form = forms.WorkshopForm(request.POST or None, partnership=membership.partnership)

    def make(data: dict[str, Any]) -> str:
        made = services.workshop_create(
            partnership=membership.partnership, actor=request.user, **data
        )
        return reverse("selfevaluation:workshop", args=[made.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Set up a workshop",
        back=reverse("selfevaluation:workshops"),
        create=True,
        intro="Choose what the workshop evaluates. Participants then add strengths, areas for "
        "improvement, sources of evidence and potential actions to each.",
    )


@login_required
def workshop(request: HttpRequest, pk: int) -> HttpResponse:
    workshop_obj, _ = access.workshops.get_for(request.user, pk, "selfevaluation.view")
    foci = list(
        workshop_obj.foci.select_related("quality_indicator", "statement").prefetch_related(
            "contributions"
        )
    )
    return render(request, "selfevaluation/workshop.html", {"workshop": workshop_obj, "foci": foci})


def _focus_context(
    request: HttpRequest, focus: Any, membership: Any, **bound: Any
) -> dict[str, Any]:

    framework = (focus.quality_indicator or focus.statement).framework
    words = scale_words(framework)
    links = list(focus.evidence.all())
    return {
        "focus": focus,
        "workshop": focus.workshop,
        "qi": focus.quality_indicator,
        "content": (
            indicator_content(focus.quality_indicator, focus.workshop.partnership)
            if focus.quality_indicator
            else None
        ),
        "contributions": selectors.focus_contributions(focus),
        "kinds": ContributionKind.choices,
        "agencies": selectors.agencies_contributing(focus),
        "evidence": list(resolve(links, role=membership.role).values()),
        "scale_word": words.get(focus.evaluation or 0, ""),
        "form": forms.ContributionForm(),
        "evaluation_form": forms.EvaluationForm(
            words=words,
            initial={"level": focus.evaluation, "reasons": focus.evaluation_reasons},
        ),
        "evidence_form": forms.EvidenceForm(
            choices=selectors.evidence_choices(focus.workshop.partnership)
        ),
        "can_contribute": can(membership.role, "selfevaluation.contribute"),
        "can_facilitate": can(membership.role, "selfevaluation.facilitate"),
        "plan": current_plan(focus.workshop.partnership),
        "can_plan": can(membership.role, "improvement.manage"),
        **bound,
    }


@login_required
@require_http_methods(["GET", "POST"])
def focus(request: HttpRequest, pk: int) -> HttpResponse:
    """One quality indicator (or statement) in a workshop: the framework beside the
    group's strengths, areas for improvement, evidence and potential actions."""
    focus_obj, membership = access.foci.get_for(request.user, pk, "selfevaluation.view")
    if request.method == "POST":
        access.foci.check(request.user, "selfevaluation.contribute", focus_obj)
        form = forms.ContributionForm(request.POST)
        if form.is_valid():
            try:
                services.contribution_add(
                    focus=focus_obj,
                    actor=request.user,
                    agency=membership.agency,
                    **form.cleaned_data,
                )
                messages.success(request, "Added. Thank you.")
                return redirect(reverse("selfevaluation:focus", args=[focus_obj.pk]) + "#add")
            except ValidationError as error:
                add_validation_error(form, error)
        context = _focus_context(request, focus_obj, membership, form=form)
        return render(request, "selfevaluation/focus.html", context, status=400)
    return render(
        request, "selfevaluation/focus.html", _focus_context(request, focus_obj, membership)
    )


@login_required
@require_POST
def focus_merge(request: HttpRequest, pk: int) -> HttpResponse:
    focus_obj, _ = access.foci.get_for(request.user, pk, "selfevaluation.facilitate")
    ids = [int(i) for i in request.POST.getlist("merge") if i.isdigit()]
    keep_id = request.POST.get("keep", "")
    chosen = list(Contribution.objects.filter(focus=focus_obj, pk__in=ids))
    keep = next((c for c in chosen if str(c.pk) == keep_id), chosen[0] if chosen else None)
    if keep is None or len(chosen) < 2:
        messages.error(request, "Choose two or more contributions to merge.")
    else:
        merged = services.contributions_merge(
            keep=keep, others=[c for c in chosen if c.pk != keep.pk], actor=request.user
        )
        messages.success(request, f"Merged {merged} into one.")
    return redirect("selfevaluation:focus", pk=focus_obj.pk)


@login_required
@require_POST
def focus_evaluate(request: HttpRequest, pk: int) -> HttpResponse:

    focus_obj, membership = access.foci.get_for(request.user, pk, "selfevaluation.facilitate")
    framework = (focus_obj.quality_indicator or focus_obj.statement).framework
    form = forms.EvaluationForm(request.POST, words=scale_words(framework))
    if form.is_valid():
        services.focus_evaluate(focus=focus_obj, actor=request.user, **form.cleaned_data)
        messages.success(request, "The group's evaluation is recorded.")
        return redirect(reverse("selfevaluation:focus", args=[focus_obj.pk]) + "#evaluation")
    context = _focus_context(request, focus_obj, membership, evaluation_form=form)
    return render(request, "selfevaluation/focus.html", context, status=400)


def _link_evidence(request: HttpRequest, form: Any, partnership: Any, **attach: Any) -> Any:
    """Link the evidence the form picked to a section or focus; None (errors on the form)
    if the pick is not valid."""
    if not form.is_valid():
        return None
    try:
        kind, targets = selectors.parse_target(form.cleaned_data["target"])
        return services.evidence_add(
            partnership=partnership,
            kind=kind,
            note=form.cleaned_data["note"],
            actor=request.user,
            **attach,
            targets=targets,
        )
    except (ValueError, ObjectDoesNotExist):
        form.add_error("target", "Choose evidence from the list")
    except ValidationError as error:
        add_validation_error(form, error)
    return None


@login_required
@require_POST
def focus_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    focus_obj, membership = access.foci.get_for(request.user, pk, "selfevaluation.contribute")
    form = forms.EvidenceForm(
        request.POST, choices=selectors.evidence_choices(focus_obj.workshop.partnership)
    )
    if _link_evidence(request, form, focus_obj.workshop.partnership, focus=focus_obj):
        messages.success(request, "Evidence linked.")
        return redirect(reverse("selfevaluation:focus", args=[focus_obj.pk]) + "#evidence")
    context = _focus_context(request, focus_obj, membership, evidence_form=form)
    return render(request, "selfevaluation/focus.html", context, status=400)


@login_required
@require_POST
def contribution_to_plan(request: HttpRequest, pk: int) -> HttpResponse:

    contribution, membership = access.contributions.get_for(request.user, pk, "selfevaluation.view")
    partnership_access.require(request.user, membership.partnership_id, "improvement.manage")
    plan = current_plan(membership.partnership)
    if plan is None:
        messages.error(request, "Set up the improvement plan first.")
        return redirect("selfevaluation:focus", pk=contribution.focus_id)
    try:
        action = services.action_from_contribution(
            contribution=contribution, plan=plan, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("selfevaluation:focus", pk=contribution.focus_id)
    messages.success(request, "A draft action is in the plan. Make it SMART there.")
    return redirect("improvement:action", pk=action.pk)


# --- Position statement -------------------------------------------------------------------


@login_required
def statements(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.view")
    return render(
        request,
        "selfevaluation/statements.html",
        {
            "statements": selectors.statements_of(membership.partnership),
            "can_write": can(membership.role, "selfevaluation.write"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def statement_add(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "selfevaluation.write")
    form = forms.StatementForm(request.POST or None)

    def make(data: dict[str, Any]) -> str:
        made = services.statement_create(
            partnership=membership.partnership, actor=request.user, **data
        )
        return reverse("selfevaluation:statement", args=[made.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Start a position statement",
        back=reverse("selfevaluation:statements"),
        create=True,
        intro="The statement answers How good are we now? How do we know? and What do we plan "
        "to do next? for each of the inspection statements, in up to 5,000 words.",
    )


def _statement_context(statement: Any, membership: Any) -> dict[str, Any]:
    sections = selectors.statement_sections(statement)
    links = [link for s in sections for link in s.evidence.all()]
    views = resolve(links, role=membership.role)
    words = selectors.statement_words(sections)

    for s in sections:
        s.cited = cited(views, f"{s.now} {s.how_know} {s.next}")  # type: ignore[attr-defined]
    return {
        "statement": statement,
        "sections": sections,
        "views": views,
        "words": words,
        "limit": WORD_LIMIT,
        "over": words > WORD_LIMIT,
        "versions": list(selectors.versions_of(statement)),
        "can_write": can(membership.role, "selfevaluation.write"),
        "can_sign_off": can(membership.role, "selfevaluation.signoff"),
    }


@login_required
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement_obj, membership = access.statements.get_for(request.user, pk, "selfevaluation.view")
    return render(
        request, "selfevaluation/statement.html", _statement_context(statement_obj, membership)
    )


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, pk: int) -> HttpResponse:
    """Write one inspection statement's three answers, with evidence, comments and next
    steps into the plan."""
    section_obj, membership = access.sections.get_for(request.user, pk, "selfevaluation.view")
    initial = {"now": section_obj.now, "how_know": section_obj.how_know, "next": section_obj.next}
    form = forms.SectionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        access.sections.check(request.user, "selfevaluation.write", section_obj)
        if form.is_valid():
            try:
                services.section_save(section=section_obj, actor=request.user, **form.cleaned_data)
                messages.success(request, "Saved.")
                return redirect("selfevaluation:section", pk=section_obj.pk)
            except ValidationError as error:
                add_validation_error(form, error)
    return render(
        request,
        "selfevaluation/section.html",
        _section_context(section_obj, membership, form=form),
        status=400 if form.errors else 200,
    )


def _section_context(section_obj: Any, membership: Any, **bound: Any) -> dict[str, Any]:

    statement_obj = section_obj.statement
    links = list(section_obj.evidence.all())
    number = section_obj.inspection_statement.number
    return {
        "section": section_obj,
        "heading": f"Statement {number}: {section_obj.inspection_statement.short_title}",
        "statement": statement_obj,
        # Only the text is needed for the count: not the sections' evidence and comments.
        "words": selectors.statement_words(statement_obj.sections.all()),
        "section_words": selectors.statement_words([section_obj]),
        "limit": WORD_LIMIT,
        "evidence": list(resolve(links, role=membership.role).values()),
        "comments": section_obj.comments.select_related("author"),
        "sources": section_obj.actions.select_related("action"),
        "evidence_form": forms.EvidenceForm(
            choices=selectors.evidence_choices(statement_obj.partnership)
        ),
        "comment_form": forms.CommentForm(),
        "next_form": forms.NextStepForm(),
        "plan": current_plan(statement_obj.partnership),
        "can_write": can(membership.role, "selfevaluation.write"),
        "can_plan": can(membership.role, "improvement.manage"),
        **bound,
    }


@login_required
@require_POST
def section_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    section_obj, membership = access.sections.get_for(request.user, pk, "selfevaluation.write")
    partnership = section_obj.statement.partnership
    form = forms.EvidenceForm(request.POST, choices=selectors.evidence_choices(partnership))
    link = _link_evidence(request, form, partnership, section=section_obj)
    if link is not None:
        messages.success(
            request, f"Evidence added. Put {link.token} in your text where it belongs."
        )
        return redirect(reverse("selfevaluation:section", args=[section_obj.pk]) + "#evidence")
    initial = {"now": section_obj.now, "how_know": section_obj.how_know, "next": section_obj.next}
    context = _section_context(
        section_obj, membership, form=forms.SectionForm(initial=initial), evidence_form=form
    )
    return render(request, "selfevaluation/section.html", context, status=400)


@login_required
@require_POST
def section_comment(request: HttpRequest, pk: int) -> HttpResponse:
    section_obj, _ = access.sections.get_for(request.user, pk, "selfevaluation.write")
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(
            section=section_obj, text=form.cleaned_data["text"], actor=request.user
        )
        messages.success(request, "Comment added.")
    else:
        messages.error(request, "Write your comment.")
    return redirect(reverse("selfevaluation:section", args=[section_obj.pk]) + "#comments")


@login_required
@require_POST
def section_to_plan(request: HttpRequest, pk: int) -> HttpResponse:

    section_obj, membership = access.sections.get_for(request.user, pk, "selfevaluation.view")
    partnership_access.require(request.user, membership.partnership_id, "improvement.manage")
    form = forms.NextStepForm(request.POST)
    plan = current_plan(membership.partnership)
    if not form.is_valid():
        messages.error(request, "Write the step to add to the plan.")
        return redirect("selfevaluation:section", pk=section_obj.pk)
    if plan is None:
        messages.error(request, "Set up the improvement plan first.")
        return redirect("selfevaluation:section", pk=section_obj.pk)
    action = services.action_from_section(
        section=section_obj, text=form.cleaned_data["text"], plan=plan, actor=request.user
    )
    messages.success(request, "A draft action is in the plan. Make it SMART there.")
    return redirect("improvement:action", pk=action.pk)


@login_required
@require_POST
def version_save(request: HttpRequest, pk: int) -> HttpResponse:
    statement_obj, _ = access.statements.get_for(request.user, pk, "selfevaluation.write")
    with once(request) as done:
        if not done.already:
            version = services.version_save(
                statement=statement_obj, actor=request.user, note=request.POST.get("note", "")[:300]
            )
            messages.success(request, f"Saved as version {version.number}.")
            done.result_url = reverse("selfevaluation:statement", args=[statement_obj.pk])
    return redirect(done.result_url or reverse("selfevaluation:statement", args=[statement_obj.pk]))


@login_required
def version(request: HttpRequest, pk: int) -> HttpResponse:

    version_obj, membership = access.versions.get_for(request.user, pk, "selfevaluation.view")
    statement_obj = version_obj.statement
    if version_obj.signed_off_at:
        views = {int(k): EvidenceView.from_json(v) for k, v in version_obj.evidence.items()}
    else:
        views = resolve(selectors.statement_links(statement_obj), role=membership.role)
    return render(
        request,
        "selfevaluation/version.html",
        {
            "version": version_obj,
            "heading": f"Version {version_obj.number}",
            "statement": statement_obj,
            "parts": _version_parts(version_obj),
            "views": views,
            "can_sign_off": can(membership.role, "selfevaluation.signoff"),
            "limit": WORD_LIMIT,
        },
    )


def _version_parts(version_obj: Any) -> list[dict[str, Any]]:
    numbers = sorted(version_obj.content, key=int)
    # The statement's own sections name its framework's inspection statements.
    titles = {
        str(s.inspection_statement.number): s.inspection_statement
        for s in version_obj.statement.sections.select_related("inspection_statement")
    }
    return [{"number": n, "statement": titles.get(n), **version_obj.content[n]} for n in numbers]


@login_required
@require_POST
def version_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    version_obj, _ = access.versions.get_for(request.user, pk, "selfevaluation.signoff")
    try:
        services.version_sign_off(version=version_obj, actor=request.user)
        messages.success(
            request, f"Version {version_obj.number} is signed off and frozen, with its evidence."
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("selfevaluation:version", pk=version_obj.pk)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:

    statement_obj, _ = access.statements.get_for(request.user, pk, "selfevaluation.view")
    versions = list(statement_obj.versions.all())
    by_number = {str(v.number): v for v in versions}
    first = by_number.get(request.GET.get("a", ""))
    second = by_number.get(request.GET.get("b", ""))
    return render(
        request,
        "selfevaluation/compare.html",
        {
            "statement": statement_obj,
            "versions": versions,
            "first": first,
            "second": second,
            "changes": compare_versions(first, second) if first and second else None,
        },
    )


@login_required
@require_POST
def statement_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The statement (a signed-off version, or the draft) in Word or PDF, in the background."""

    statement_obj, _ = access.statements.get_for(request.user, pk, "selfevaluation.view")
    if fmt not in ("docx", "pdf"):
        raise Http404
    version_pk = request.POST.get("version", "")
    params: dict[str, Any] = {}
    if version_pk.isdigit() and statement_obj.versions.filter(pk=int(version_pk)).exists():
        params["version"] = int(version_pk)
    made = report_request(
        kind=f"selfevaluation.statement.{fmt}",
        partnership=statement_obj.partnership,
        target_id=statement_obj.pk,
        title=f"{statement_obj.title} ({'Word' if fmt == 'docx' else 'PDF'})",
        params=params,
        actor=request.user,
        action="selfevaluation.statement.exported",
        target=statement_obj,
    )
    return redirect("reports:status", pk=made.pk)
