"""Survey pages: staff pages behind sign-in, and the public pages respondents answer on."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_POST

from howgood.core.audit import log
from howgood.core.exports import csv_bytes
from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.questionnaires.rendering import SectionForm, VersionTree, check_answers_rows
from howgood.questionnaires.selectors import answer_values
from howgood.reports.registry import XLSX
from howgood.reports.services import report_request
from howgood.surveys import access, selectors, services
from howgood.surveys.analysis import analyse
from howgood.surveys.charts import chart_svg, page_charts
from howgood.surveys.exports import response_rows, responses_xlsx
from howgood.surveys.forms import CodesForm, ResumeForm, StartForm, SurveyForm
from howgood.surveys.models import CommentTag, CommentTheme, QuotedComment, Survey

# --- Staff pages ------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "surveys.view")
    surveys = access.surveys.instances_user_has_permission_for(
        request.user, "surveys.view", partnership=membership.partnership
    ).annotate(completed=Count("responses", filter=Q(responses__complete=True)))
    return render(
        request,
        "surveys/index.html",
        {
            "surveys": [(s, selectors.completed_words(s, s.completed)) for s in surveys],
            "can_manage": can(membership.role, "surveys.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "surveys.manage")
    opens, closes = Survey.default_dates()
    form = SurveyForm(
        request.POST or None,
        partnership=membership.partnership,
        initial={"opens_on": opens, "closes_on": closes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as done:
                if not done.already:
                    survey = services.survey_create(
                        partnership=membership.partnership, actor=request.user, **form.cleaned_data
                    )
                    messages.success(
                        request, f"{survey.title} is set up. Share its link or make access codes."
                    )
                    done.result_url = reverse("surveys:detail", args=[survey.pk])
            return redirect(done.result_url or "surveys:index")
        except ValidationError as error:
            add_validation_error(form, error)
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": "Set up a survey",
            "back": reverse("surveys:index"),
            "create": True,
            "intro": "Responses are anonymous: HowGood keeps no name, sign-in, IP address or time with them.",
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey, membership = access.surveys.get_for(request.user, pk, "surveys.view")
    codes = survey.codes.aggregate(total=Count("id"), used=Count("id", filter=Q(used=True)))
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "completed": selectors.completed_words(survey, selectors.completed(survey)),
            "codes": codes,
            "rates": selectors.response_rates(survey),
            "link": request.build_absolute_uri(reverse("surveys:start", args=[survey.link_token])),
            "can_manage": can(membership.role, "surveys.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def codes(request: HttpRequest, pk: int) -> HttpResponse:
    survey, _ = access.surveys.get_for(request.user, pk, "surveys.manage")
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with once(request) as done:
            if not done.already:
                made = services.codes_generate(
                    survey=survey, count=form.cleaned_data["count"], actor=request.user
                )
                messages.success(
                    request,
                    f"Made {len(made)} access codes. Print them or download them to hand out.",
                )
                done.result_url = reverse("surveys:codes", args=[survey.pk])
        return redirect(done.result_url or reverse("surveys:codes", args=[survey.pk]))
    return render(
        request,
        "surveys/codes.html",
        {"survey": survey, "form": form, "codes": survey.codes.filter(used=False)},
    )


@login_required
def codes_download(request: HttpRequest, pk: int) -> HttpResponse:
    survey, _ = access.surveys.get_for(request.user, pk, "surveys.manage")
    log(actor=request.user, action="surveys.codes.downloaded", target=survey)
    rows = ([c.code, c.batch] for c in survey.codes.filter(used=False))
    response = HttpResponse(
        csv_bytes(["Access code", "Batch"], rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="access-codes-survey-{survey.pk}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, pk: int) -> HttpResponse:
    survey, _ = access.surveys.get_for(request.user, pk, "surveys.manage")
    if request.method == "POST":
        if survey.status != "Closed":
            services.survey_close(survey=survey, actor=request.user)
            messages.success(request, f"{survey.title} is closed. No more answers will be taken.")
        return redirect("surveys:detail", pk=survey.pk)
    return render(
        request,
        "partnerships/confirm.html",
        {
            "title": f"Close {survey.title} now?",
            "body": "Nobody will be able to answer, or finish answers they started.",
            "button": "Close the survey",
            "back": reverse("surveys:detail", args=[survey.pk]),
        },
    )


# --- Respondent pages (no sign-in) ------------------------------------------------------------


def _public(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, template, {**context, "public_survey": True}, status=status)


def _refused(request: HttpRequest, survey: Survey, message: str, status: int = 410) -> HttpResponse:
    return _public(
        request,
        "surveys/public_refused.html",
        {"survey": survey, "message": message},
        status=status,
    )


def _sent(request: HttpRequest, survey: Survey, token: str) -> HttpResponse:
    """To the thank-you page, with nothing that leads to the response left in the browser:
    only "this survey is done". Also for a second send (a double click) or a page of
    questions opened before the answers went, whose cookie still names the response."""
    access.forget_response(request, survey)
    access.mark_done(request, survey)
    return redirect("surveys:done", token=token)


def _tree(survey: Survey) -> VersionTree:
    return VersionTree.published(survey.version)


@access.respondent_page
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    survey, existing = access.survey_and_response(request, token)
    try:
        services.check_open(survey)
    except services.SurveyRefused as refusal:
        return _refused(request, survey, str(refusal))
    if existing and not existing.complete and request.method == "GET":
        return redirect("surveys:section", token=token, index=existing.section_index)
    form = StartForm(request.POST or None, survey=survey)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_start(
                survey=survey,
                code=form.cleaned_data.get("code") or "",
                agency=form.cleaned_data.get("agency"),
            )
            access.remember_response(request, response)
            return redirect("surveys:section", token=token, index=0)
        except services.SurveyRefused as error:
            refusal = str(error)
            form.add_error("code" if "code" in form.fields else None, refusal)
    tree = _tree(survey)
    return _public(
        request,
        "surveys/public_start.html",
        {
            "survey": survey,
            "form": form,
            "sections": len(tree.sections),
            "questions": sum(1 for i in tree.items if i.type != "note"),
        },
        status=400 if form.errors else 200,
    )


@access.respondent_page
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, token: str, index: int) -> HttpResponse:
    survey, response = access.survey_and_response(request, token)
    if response is None:
        return redirect("surveys:start", token=token)
    if response.complete:
        return _sent(request, survey, token)
    tree = _tree(survey)
    if index >= len(tree.sections):
        raise Http404
    # A page is shown with the answers given so far; a page sent is checked against them
    # only when the questionnaire's skip logic or checks can depend on them.
    answers = (
        answer_values(response.submission_id)
        if request.method == "GET" or tree.uses_answers
        else {}
    )
    form = SectionForm(
        request.POST or None, tree=tree, section=tree.sections[index], answers=answers
    )
    if request.method == "POST":
        try:
            if "later" in request.POST:
                services.response_save(
                    response=response,
                    values=form.partial_values(),
                    section_index=index,
                    items=tree.items,
                )
                return redirect("surveys:save", token=token)
            if form.is_valid():
                merged = {**answers, **form.answers}
                following = tree.next_section(index, merged)
                next_index = following if following is not None else index
                services.response_save(
                    response=response,
                    values=form.answers,
                    section_index=next_index,
                    items=tree.items,
                )
                if following is not None and request.POST.get("return") != "check":
                    return redirect("surveys:section", token=token, index=next_index)
                return redirect("surveys:check", token=token)
        except services.SurveyRefused as refusal:
            return _refused(request, survey, str(refusal))
    position, total = tree.position(index, answers)
    return _public(
        request,
        "surveys/public_section.html",
        {
            "survey": survey,
            "section": tree.sections[index],
            "form": form,
            "entries": form.bound_entries(),
            "position": position,
            "total": total,
            "index": index,
            "answers_json": {
                k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in answers.items()
            },
            "return_to": request.GET.get("return", request.POST.get("return", "")),
            "back": reverse("surveys:section", args=[token, index - 1])
            if index
            else reverse("surveys:start", args=[token]),
        },
        status=400 if form.errors else 200,
    )


@access.respondent_page
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, token: str) -> HttpResponse:
    survey, response = access.survey_and_response(request, token)
    if response is None:
        return redirect("surveys:start", token=token)
    if response.complete:
        return _sent(request, survey, token)
    if request.method == "POST":
        try:
            services.response_submit(response=response)
        except services.SurveyRefused as refusal:
            return _refused(request, survey, str(refusal))
        return _sent(request, survey, token)
    tree = _tree(survey)
    answers = answer_values(response.submission_id)
    return _public(
        request,
        "surveys/public_check.html",
        {"survey": survey, "rows": check_answers_rows(tree, answers)},
    )


@access.respondent_page
def done(request: HttpRequest, token: str) -> HttpResponse:
    survey = access.survey_by_link(token)
    if not access.is_done(request, survey):
        return redirect("surveys:start", token=token)
    return _public(request, "surveys/public_done.html", {"survey": survey})


@access.respondent_page
def save(request: HttpRequest, token: str) -> HttpResponse:
    """Saved for later: a resume code to come back with (shown once)."""
    survey, response = access.survey_and_response(request, token)
    if response is None or response.complete:
        return redirect("surveys:start", token=token)
    code = services.resume_code_issue(response=response)
    return _public(request, "surveys/public_saved.html", {"survey": survey, "code": code})


@access.respondent_page
@require_http_methods(["GET", "POST"])
def resume(request: HttpRequest, token: str) -> HttpResponse:
    survey = access.survey_by_link(token)
    form = ResumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_resume(survey=survey, code=form.cleaned_data["code"])
            access.remember_response(request, response)
            return redirect("surveys:section", token=token, index=response.section_index)
        except services.SurveyRefused as refusal:
            form.add_error("code", str(refusal))
    return _public(
        request,
        "surveys/public_resume.html",
        {"survey": survey, "form": form},
        status=400 if form.errors else 200,
    )


# --- Analysis, comments and exports -------------------------------------------------------------


def _withheld(request: HttpRequest, survey: Survey, title: str, reason: str) -> HttpResponse:
    """Instead of results that cannot be shown yet: why not (selectors.results_withheld)."""
    return render(
        request, "surveys/withheld.html", {"survey": survey, "title": title, "reason": reason}
    )


@login_required
def analysis(request: HttpRequest, pk: int) -> HttpResponse:

    survey, membership = access.surveys.get_for(request.user, pk, "surveys.view")
    result = analyse(survey)
    return render(
        request,
        "surveys/analysis.html",
        {
            "survey": survey,
            "analysis": result,
            "can_manage": can(membership.role, "surveys.manage"),
        },
    )


@login_required
@gzip_page  # SVG is text: a sixth of the size over the wire
def analysis_chart(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One answer chart of the analysis page as an SVG image, through the page's access
    check and found among the charts that page shows now (surveys.charts), so a key from
    older figures or another survey draws nothing. Drawn once and then kept."""

    survey, _ = access.surveys.get_for(request.user, pk, "surveys.view")
    chart = next((c for c in page_charts(survey.pk, analyse(survey)) if c.key == key), None)
    if chart is None:
        raise Http404
    response = HttpResponse(chart_svg(chart), content_type="image/svg+xml")
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'"  # an image, never a page
    )
    response["Cache-Control"] = "private, no-cache"
    return response


#: Comments shown on each page of the comments page (the rest on later pages).
COMMENTS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """Free-text answers: the coordinator and lead only. Tag them with themes, count the
    themes, and choose which (if any) to quote in reports."""

    survey, _ = access.surveys.get_for(request.user, pk, "surveys.manage")
    withheld = selectors.results_withheld(survey)
    if withheld:
        return _withheld(request, survey, "Comments and themes", withheld)
    key = request.POST.get("answer", "").strip()
    if request.method == "POST":
        try:
            if request.POST.get("untag", "").isdigit():
                services.comment_untag(
                    survey=survey, tag_id=int(request.POST["untag"]), actor=request.user
                )
            elif key and request.POST.get("quote") in ("1", "0"):
                services.comment_quote(
                    survey=survey, key=key, quote=request.POST["quote"] == "1", actor=request.user
                )
            elif key:
                services.comment_tag(
                    survey=survey, key=key, theme=request.POST.get("theme", ""), actor=request.user
                )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        # Back to the page the comment is on (the form posts to the page's own address).
        return redirect(
            reverse("surveys:comments", args=[survey.pk])
            + (f"?{request.GET.urlencode()}" if request.GET else "")
            + (f"#comment-{key}" if key.isalnum() else "")
        )
    page = Paginator(selectors.text_answers(survey), COMMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    answers = list(page.object_list)
    tags: dict[int, list[Any]] = {}
    for tag in CommentTag.objects.filter(
        theme__survey=survey, answer__in=[a.pk for a in answers]
    ).select_related("theme"):
        tags.setdefault(tag.answer_id, []).append(tag)
    quoted = set(QuotedComment.objects.filter(survey=survey).values_list("answer_id", flat=True))
    query = request.GET.copy()
    query.pop("page", None)
    themes = (
        CommentTheme.objects.filter(survey=survey).annotate(n=Count("tags")).order_by("-n", "name")
    )
    return render(
        request,
        "surveys/comments.html",
        {
            "survey": survey,
            "answers": [
                (a, selectors.comment_key(a.pk), tags.get(a.pk, []), a.pk in quoted)
                for a in answers
            ],
            "themes": themes,
            "quoted": len(quoted),
            "page": page,
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Ask for the survey report in Word or PDF, made in the background."""

    survey, membership = access.surveys.get_for(request.user, pk, "surveys.view")
    if fmt not in ("docx", "pdf"):
        raise Http404
    withheld = selectors.results_withheld(survey)
    if withheld:
        messages.error(request, withheld)
        return redirect("surveys:analysis", pk=survey.pk)
    # Whoever may not have the exact report (a scrutiny partner) gets the one for sharing.
    share = request.POST.get("share") == "1" or not can(membership.role, "surveys.exact")
    names = {"docx": "Word report", "pdf": "PDF report"}
    made = report_request(
        kind=f"surveys.report.{fmt}",
        partnership=survey.partnership,
        target_id=survey.pk,
        title=f"{survey.title}: {names[fmt]}{' (for sharing)' if share else ''}",
        params={"share": share},
        actor=request.user,
        action="surveys.report.requested",
        target=survey,
    )
    return redirect("reports:status", pk=made.pk)


@login_required
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The responses as CSV or Excel (coordinator and lead: they hold free text). Formula-safe."""
    survey, _ = access.surveys.get_for(request.user, pk, "surveys.manage")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    withheld = selectors.results_withheld(survey)
    if withheld:
        return _withheld(request, survey, "Download the responses", withheld)

    header, rows = response_rows(survey)
    log(
        actor=request.user,
        action="surveys.responses.exported",
        target=survey,
        data={"format": fmt, "rows": len(rows)},
    )
    if fmt == "csv":
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    else:
        body = responses_xlsx(survey, header, rows)
        response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-responses.{fmt}"'
    return response
