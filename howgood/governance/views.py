"""The Governance section: the programme's figures with their sources, and the programme
letter drafted from them, changed by people and exported to Word."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.core.middleware import polling
from howgood.core.pages import form_page, save_form
from howgood.governance import access, selectors, services
from howgood.governance.dashboard import dashboard
from howgood.governance.figures import programme_figures
from howgood.governance.forms import (
    DecisionForm,
    DraftTextForm,
    GroupForm,
    ItemForm,
    MeetingAttendanceForm,
    MeetingForm,
    PackForm,
    PapersForm,
    SeatForm,
)
from howgood.governance.models import DraftKind
from howgood.improvement.selectors import current_plan
from howgood.partnerships import access as partnership_access
from howgood.partnerships.roles import can
from howgood.reports.services import report_fail_if_stale as fail_if_stale
from howgood.reports.services import report_request


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.view")
    partnership = membership.partnership
    groups = selectors.groups_of(partnership)
    today = timezone.localdate()
    return render(
        request,
        "governance/index.html",
        {
            "groups": groups,
            "coverage": selectors.coverage(partnership, groups),
            "due": [g for g in groups if g.terms_due(today)],
            "meetings": selectors.meetings_of(partnership),
            "drafts": selectors.drafts_of(partnership)[:10],
            "packs": selectors.packs_of(partnership)[:10],
            "today": today,
            "can_manage": can(membership.role, "governance.manage"),
        },
    )


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.view")
    group = None
    if request.GET.get("group", "").isdigit():
        group = (
            access.groups.instances_user_has_permission_for(
                request.user, "governance.view", partnership=membership.partnership
            )
            .filter(pk=int(request.GET["group"]))
            .first()
        )
    return render(
        request,
        "governance/dashboard.html",
        {
            "d": dashboard(membership.partnership, membership.role, group=group),
            "groups": selectors.groups_with_meetings(membership.partnership),
            "chosen": group,
        },
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.view")
    return render(
        request,
        "governance/figures.html",
        {
            "figures": programme_figures(membership.partnership),
            "can_manage": can(membership.role, "governance.manage"),
        },
    )


@login_required
@require_POST
def draft_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.manage")
    kind = request.POST.get("kind") or DraftKind.PROGRAMME_LETTER
    if kind not in DraftKind.values:
        messages.error(request, "Choose the programme letter or the annual report.")
        return redirect("governance:index")
    with once(request) as done:  # a double click drafts once
        if done.already:
            return redirect(done.result_url)
        draft = services.draft_create(
            partnership=membership.partnership,
            kind=kind,
            actor=request.user,  # type: ignore[arg-type]
        )
        done.result_url = reverse("governance:draft", args=[draft.pk])
    messages.success(
        request, f"The {DraftKind(kind).label.lower()} is drafted from the figures as they are now."
    )
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


# --- Groups --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.manage")
    form = GroupForm(request.POST or None, partnership=membership.partnership)

    def make(data: dict[str, Any]) -> str:
        group = services.group_create(
            partnership=membership.partnership,
            data=data,
            actor=request.user,  # type: ignore[arg-type]
        )
        return reverse("governance:group", args=[group.pk])

    return save_form(request, form, make, create=True) or form_page(
        request, form, title="Add a group", back=reverse("governance:index"), create=True
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group, membership = access.groups.get_for(request.user, pk, "governance.view")
    today = timezone.localdate()
    seats = list(group.members.select_related("membership__user", "agency"))
    cover = selectors.coverage(group.partnership, [group])
    return render(
        request,
        "governance/group.html",
        {
            "group": group,
            "seats": seats,
            "missing": cover.missing[group.pk],
            "terms_due": group.terms_due(today),
            "meetings": group.meetings.annotate(decision_count=Count("decisions")),
            "subgroups": group.subgroups.all(),
            "can_manage": can(membership.role, "governance.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group, _ = access.groups.get_for(request.user, pk, "governance.manage")
    form = GroupForm(request.POST or None, partnership=group.partnership, group=group)

    def make(data: dict[str, Any]) -> str:
        services.group_update(group=group, data=data, actor=request.user)  # type: ignore[arg-type]
        return reverse("governance:group", args=[group.pk])

    return save_form(request, form, make, create=False) or form_page(
        request, form, title=f"Change {group.name}", back=reverse("governance:group", args=[pk])
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_add(request: HttpRequest, pk: int) -> HttpResponse:
    group, _ = access.groups.get_for(request.user, pk, "governance.manage")
    form = SeatForm(request.POST or None, partnership=group.partnership)

    def make(data: dict[str, Any]) -> str:
        services.seat_add(group=group, actor=request.user, **data)  # type: ignore[arg-type]
        return reverse("governance:group", args=[group.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title=f"Add a member to {group.name}",
        back=reverse("governance:group", args=[pk]),
        create=True,
    )


@login_required
@require_POST
def seat_remove(request: HttpRequest, pk: int) -> HttpResponse:
    seat, _ = access.seats.get_for(request.user, pk, "governance.manage")
    group_pk = seat.group_id
    services.seat_remove(seat=seat, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"{seat.display_name} is no longer on the group.")
    return redirect("governance:group", pk=group_pk)


# --- Meetings ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group, _ = access.groups.get_for(request.user, pk, "governance.manage")
    form = MeetingForm(request.POST or None)

    def make(data: dict[str, Any]) -> str:
        meeting = services.meeting_create(
            group=group,
            held_on=data["held_on"],
            items=form.items(),
            actor=request.user,  # type: ignore[arg-type]
        )
        return reverse("governance:meeting", args=[meeting.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title=f"Add a meeting of {group.name}",
        back=reverse("governance:group", args=[pk]),
        create=True,
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, membership = access.meetings.get_for(request.user, pk, "governance.view")
    page = selectors.meeting_page(meeting, timezone.localdate())
    return render(
        request,
        "governance/meeting.html",
        {
            "page": page,
            "meeting": meeting,
            "papers": list(meeting.papers.all()),
            "packs": selectors.packs_for(meeting),
            "can_manage": can(membership.role, "governance.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _ = access.meetings.get_for(request.user, pk, "governance.manage")
    form = ItemForm(request.POST or None, partnership=meeting.group.partnership)

    def make(data: dict[str, Any]) -> str:
        services.item_add(meeting=meeting, actor=request.user, **data)  # type: ignore[arg-type]
        return reverse("governance:meeting", args=[meeting.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Add an agenda item",
        back=reverse("governance:meeting", args=[pk]),
        create=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item, _ = access.items.get_for(request.user, pk, "governance.manage")
    form = ItemForm(
        request.POST or None,
        partnership=item.meeting.group.partnership,
        initial={"title": item.title, "target": item.target, "discussion": item.discussion},
    )

    def make(data: dict[str, Any]) -> str:
        services.item_update(item=item, data=data, actor=request.user)  # type: ignore[arg-type]
        return reverse("governance:meeting", args=[item.meeting_id])

    return save_form(request, form, make, create=False) or form_page(
        request,
        form,
        title=f"Change item {item.number}",
        back=reverse("governance:meeting", args=[item.meeting_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _ = access.meetings.get_for(request.user, pk, "governance.manage")
    seats = list(meeting.group.members.select_related("membership__user", "agency"))
    current = dict(meeting.attendance.values_list("member_id", "presence"))
    form = MeetingAttendanceForm(request.POST or None, seats=seats, current=current)

    def make(data: dict[str, Any]) -> str:
        services.attendance_record(meeting=meeting, presence=form.presence(), actor=request.user)  # type: ignore[arg-type]
        return reverse("governance:meeting", args=[meeting.pk])

    return save_form(request, form, make, create=False) or form_page(
        request,
        form,
        title=f"Who came to the meeting on {meeting.held_on:%-d %B %Y}",
        intro="" if seats else "The group has no members yet: add them on the group's page.",
        back=reverse("governance:meeting", args=[pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _ = access.meetings.get_for(request.user, pk, "governance.manage")
    plan = current_plan(meeting.group.partnership)
    form = DecisionForm(request.POST or None, meeting=meeting, plan=plan)

    def make(data: dict[str, Any]) -> str:
        services.decision_record(
            meeting=meeting,
            text=data["text"],
            item=data.get("item"),
            action=form.action(),
            actor=request.user,  # type: ignore[arg-type]
        )
        return reverse("governance:meeting", args=[meeting.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Record a decision",
        intro=(
            f"A decision someone must act on can become an action of {plan.title}, with an "
            "owner and a due date, tracked with the plan's other actions."
            if plan
            else "There is no improvement plan yet, so decisions cannot become actions."
        ),
        back=reverse("governance:meeting", args=[pk]),
        create=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def papers(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _ = access.meetings.get_for(request.user, pk, "governance.manage")
    form = PapersForm(
        request.POST or None,
        partnership=meeting.group.partnership,
        initial={"documents": list(meeting.papers.all())},
    )

    def make(data: dict[str, Any]) -> str:
        services.papers_set(meeting=meeting, documents=list(data["documents"]), actor=request.user)  # type: ignore[arg-type]
        return reverse("governance:meeting", args=[meeting.pk])

    return save_form(request, form, make, create=False) or form_page(
        request,
        form,
        title=f"Papers for the meeting on {meeting.held_on:%-d %B %Y}",
        back=reverse("governance:meeting", args=[pk]),
    )


@login_required
@require_POST
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, membership = access.meetings.get_for(request.user, pk, "governance.view")
    made = report_request(
        kind="governance.minutes.docx",
        partnership=membership.partnership,
        target_id=meeting.pk,
        title=f"Minutes: {meeting}",
        params={},
        actor=request.user,  # type: ignore[arg-type]
        action="governance.minutes.requested",
        target=meeting,
    )
    return redirect("reports:status", pk=made.pk)


# --- Report packs --------------------------------------------------------------------------


def _request_pack_documents(request: HttpRequest, pack: Any, partnership: Any) -> None:
    for fmt, words in (("docx", "Word"), ("pdf", "PDF")):
        report_request(
            kind=f"governance.pack.{fmt}",
            partnership=partnership,
            target_id=pack.pk,
            title=f"{pack.title}: {words}",
            params={},
            actor=request.user,  # type: ignore[arg-type]
            action="governance.pack.requested",
            target=pack,
        )


@login_required
@require_http_methods(["GET", "POST"])
def pack_create(request: HttpRequest) -> HttpResponse:
    membership = partnership_access.current(request, "governance.manage")
    form = PackForm(request.POST or None, partnership=membership.partnership)

    def make(data: dict[str, Any]) -> str:
        pack = services.pack_create(
            partnership=membership.partnership,
            group=data.get("group"),
            meeting_on=data.get("meeting_on"),
            actor=request.user,  # type: ignore[arg-type]
        )
        _request_pack_documents(request, pack, membership.partnership)
        return reverse("governance:pack", args=[pack.pk])

    return save_form(request, form, make, create=True) or form_page(
        request,
        form,
        title="Build a report pack",
        intro="HowGood puts the strategic dashboard as it is today into a Word and a PDF "
        "document, with the measures' charts and their data. The pack is kept as it is "
        "now: reopen it later and it says the same.",
        back=reverse("governance:index"),
        create=True,
    )


@polling
@login_required
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack, membership = access.packs.get_for(request.user, pk, "governance.view")
    documents = selectors.pack_documents(pack)
    for fmt, report in list(documents.items()):
        documents[fmt] = fail_if_stale(report=report)
    waiting = any(r.status == "queued" for r in documents.values())
    return render(
        request,
        "governance/pack.html",
        {
            "pack": pack,
            "documents": [
                (words, documents.get(fmt)) for fmt, words in (("docx", "Word"), ("pdf", "PDF"))
            ],
            "waiting": waiting,
            "can_manage": can(membership.role, "governance.manage"),
        },
    )


@login_required
@require_POST
def pack_remake(request: HttpRequest, pk: int) -> HttpResponse:
    """Make the pack's documents again, from the pack as it was (after they were deleted
    with age, or to have a fresh copy)."""
    pack, membership = access.packs.get_for(request.user, pk, "governance.view")
    with once(request) as done:
        if not done.already:
            _request_pack_documents(request, pack, membership.partnership)
            done.result_url = reverse("governance:pack", args=[pack.pk])
    return redirect("governance:pack", pk=pack.pk)
