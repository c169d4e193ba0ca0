"""Partnership settings, members and invitations, the programme and the training register.

Every view asks ``howgood.partnerships.access`` first; nothing else decides access.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from howgood.accounts.forms import AccountCreateForm
from howgood.accounts.models import User
from howgood.core import audit
from howgood.core.exports import csv_bytes
from howgood.core.forms import add_validation_error
from howgood.core.idempotency import once
from howgood.partnerships import access, selectors, services
from howgood.partnerships.forms import (
    ActivityForm,
    AgencyForm,
    AttendanceForm,
    AuditFilterForm,
    InvitationForm,
    MembershipForm,
    ParticipantsForm,
    PartnershipForm,
    TrainingForm,
)
from howgood.partnerships.models import Invitation
from howgood.partnerships.roles import ROLE_HINTS, can

# --- Partnership settings -------------------------------------------------------------


@login_required
def settings_overview(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "partnership.manage")
    partnership = membership.partnership
    return render(
        request,
        "partnerships/settings.html",
        {
            "partnership": partnership,
            "agencies": selectors.agencies_of(partnership),
            "members": selectors.members_of(partnership),
            "invitations": selectors.open_invitations(partnership),
            "can_manage_members": can(membership.role, "members.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "partnership.manage")
    partnership = membership.partnership
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        services.partnership_update(
            partnership=partnership,
            data=form.cleaned_data,
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, "Partnership details saved.")
        return redirect("partnerships:settings")
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": "Change partnership details",
            "back": reverse("partnerships:settings"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "partnership.manage")
    form = AgencyForm(request.POST or None, partnership=membership.partnership)
    if request.method == "POST" and form.is_valid():
        with once(request) as done:
            if not done.already:
                agency = services.agency_create(
                    partnership=membership.partnership,
                    actor=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
                messages.success(request, f"{agency.name} added.")
                done.result_url = reverse("partnerships:settings")
        return redirect(done.result_url or "partnerships:settings")
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": "Add an agency",
            "back": reverse("partnerships:settings"),
            "create": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency, _ = access.agencies.get_for(request.user, pk, "partnership.manage")
    form = AgencyForm(request.POST or None, instance=agency, partnership=agency.partnership)
    if request.method == "POST" and form.is_valid():
        services.agency_update(agency=agency, data=form.cleaned_data, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, f"{agency.name} saved.")
        return redirect("partnerships:settings")
    return render(
        request,
        "partnerships/form_page.html",
        {"form": form, "title": f"Change {agency.name}", "back": reverse("partnerships:settings")},
    )


# --- Members and invitations ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "members.manage")
    form = InvitationForm(request.POST or None, partnership=membership.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as done:
                if not done.already:
                    invitation, _ = services.invitation_send(
                        partnership=membership.partnership,
                        email=form.cleaned_data["email"],
                        role=form.cleaned_data["role"],
                        agency=form.cleaned_data["agency"],
                        actor=request.user,
                    )  # type: ignore[arg-type]
                    messages.success(request, f"Invitation sent to {invitation.email}.")
                    done.result_url = reverse("partnerships:settings")
            return redirect(done.result_url or "partnerships:settings")
        except ValidationError as error:
            add_validation_error(form, error)
    return render(
        request,
        "partnerships/invite.html",
        {"form": form, "role_hints": [(r.label, h) for r, h in ROLE_HINTS.items()]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation, _ = access.invitations.get_for(request.user, pk, "members.manage")
    if request.method == "POST":
        if invitation.is_open:
            services.invitation_revoke(invitation=invitation, actor=request.user)  # type: ignore[arg-type]
            messages.success(request, f"The invitation to {invitation.email} has been cancelled.")
        return redirect("partnerships:settings")
    return render(
        request,
        "partnerships/confirm.html",
        {
            "title": f"Cancel the invitation to {invitation.email}?",
            "body": "The link in the email will stop working.",
            "button": "Cancel invitation",
            "back": reverse("partnerships:settings"),
        },
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link from the email. Creates an account if the person has none.

    A second press of the button, or a request racing the first, never fails: whoever
    accepted goes on to the partnership, anyone else reads why the link no longer works.
    """
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return _invitation_closed(request, None)
    if request.method == "POST" and selectors.invitation_accepted_by(invitation, request.user):
        return _invitation_joined(request, invitation)  # the same submission again
    if not invitation.is_open:
        return _invitation_closed(request, invitation)
    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email:  # type: ignore[union-attr]
            return render(
                request,
                "partnerships/invitation_wrong_person.html",
                {"invitation": invitation},
                status=403,
            )
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
            except services.InvitationUsed:
                invitation.refresh_from_db()
                if selectors.invitation_accepted_by(invitation, request.user):
                    return _invitation_joined(request, invitation)  # a twin request won
                return _invitation_closed(request, invitation)
            return _invitation_joined(request, invitation)
        return render(request, "partnerships/invitation_accept.html", {"invitation": invitation})
    if User.objects.filter(email__iexact=invitation.email).exists():
        return _sign_in_to_accept(request, invitation)
    form = AccountCreateForm(invitation.email, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invitation_accept_new_account(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.InvitationUsed:
            invitation.refresh_from_db()
            return _invitation_closed(request, invitation)
        except services.AccountExists:
            return _sign_in_to_accept(request, invitation)
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        request.session["howgood_partnership_id"] = invitation.partnership_id
        messages.success(
            request,
            f"Your account has been created and you have joined {invitation.partnership.name}.",
        )
        return redirect("home")
    return render(
        request,
        "partnerships/invitation_create_account.html",
        {"invitation": invitation, "form": form},
    )


def _invitation_joined(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    access.forget(request.user)
    services.partnership_switch(request=request, partnership=invitation.partnership)
    messages.success(request, f"You have joined {invitation.partnership.name}.")
    return redirect("home")


def _invitation_closed(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    return render(
        request,
        "partnerships/invitation_invalid.html",
        {"invitation": invitation},
        status=410 if invitation else 404,
    )


def _sign_in_to_accept(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    # The account may have been made by a twin of this request, with the invitation
    # accepted in the same transaction: read it again before asking anyone to sign in.
    invitation.refresh_from_db()
    if not invitation.is_open:
        return _invitation_closed(request, invitation)
    messages.info(
        request,
        f"There is already a HowGood account for {invitation.email}. "
        "Sign in to accept the invitation.",
    )
    return redirect(f"{reverse('accounts:sign_in')}?next={request.path}")


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member, _ = access.members.get_for(request.user, pk, "members.manage")
    form = MembershipForm(
        request.POST or None,
        partnership=member.partnership,
        initial={"role": member.role, "agency": member.agency, "job_title": member.job_title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=member, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            messages.success(request, f"{member.user.full_name}'s role has been saved.")
            return redirect("partnerships:settings")
        except ValidationError as error:
            add_validation_error(form, error)
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": f"Change {member.user.full_name}'s role",
            "back": reverse("partnerships:settings"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member, _ = access.members.get_for(request.user, pk, "members.manage")
    error = None
    if request.method == "POST":
        try:
            services.membership_deactivate(membership=member, actor=request.user)  # type: ignore[arg-type]
            messages.success(
                request, f"{member.user.full_name} has been removed from the partnership."
            )
            return redirect("partnerships:settings")
        except ValidationError as e:
            error = e.messages[0]
    return render(
        request,
        "partnerships/confirm.html",
        {
            "title": f"Remove {member.user.full_name} from {member.partnership.name}?",
            "body": "They will no longer see anything of this partnership. Their past work and the audit trail are kept.",
            "button": "Remove member",
            "back": reverse("partnerships:settings"),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    partnership, _ = access.partnerships.get_for(
        request.user, request.POST.get("partnership", ""), "partnership.view"
    )
    services.partnership_switch(request=request, partnership=partnership)
    messages.success(request, f"You are now working in {partnership.name}.")
    return redirect("home")


# --- Programme ---------------------------------------------------------------------------


@login_required
def programme(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "programme.view")
    timeline = selectors.programme_timeline(membership.partnership)
    return render(
        request,
        "partnerships/programme.html",
        {
            **timeline,
            "chart": selectors.timeline_bars(timeline["activities"], timeline["span"]),
            "can_manage": can(membership.role, "programme.manage"),
            "can_see_training": can(membership.role, "training.view"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "programme.manage")
    form = ActivityForm(
        request.POST or None, initial={"status": "planned", "type": request.GET.get("type")}
    )
    if request.method == "POST" and form.is_valid():
        with once(request) as done:
            if not done.already:
                activity = services.activity_create(
                    partnership=membership.partnership,
                    data=form.cleaned_data,
                    actor=request.user,  # type: ignore[arg-type]
                )
                messages.success(request, f"{activity.title} added to the programme.")
                done.result_url = reverse("partnerships:activity", args=[activity.pk])
        return redirect(done.result_url or "partnerships:programme")
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": "Add an activity to the programme",
            "back": reverse("partnerships:programme"),
            "create": True,
        },
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity, membership = access.activities.get_for(request.user, pk, "programme.view")
    attendance = list(selectors.attendance_of(activity))
    can_manage = can(membership.role, "programme.manage")
    return render(
        request,
        "partnerships/activity.html",
        {
            "activity": activity,
            "attendance": attendance,
            "participants": list(selectors.participants_of(activity)) if can_manage else [],
            "named": activity.participants.exists(),
            "attendance_total": sum(a.count for a in attendance),
            "training_records": activity.training_records.select_related("membership__user")
            if can(membership.role, "training.view")
            else [],
            "can_manage": can_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity, _ = access.activities.get_for(request.user, pk, "programme.manage")
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.activity_update(
            activity=activity,
            data=form.cleaned_data,
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, f"{activity.title} saved.")
        return redirect("partnerships:activity", pk=activity.pk)
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": f"Change {activity.title}",
            "back": reverse("partnerships:activity", args=[activity.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity, _ = access.activities.get_for(request.user, pk, "programme.manage")
    if activity.type != "workshop":
        messages.error(request, "Attendance is recorded for workshops only.")
        return redirect("partnerships:activity", pk=activity.pk)
    if activity.participants.exists():
        messages.error(request, services.NAMED)
        return redirect("partnerships:participants", pk=activity.pk)
    agencies = list(selectors.agencies_of(activity.partnership))
    current = {a.agency_id: a.count for a in selectors.attendance_of(activity)}
    form = AttendanceForm(request.POST or None, agencies=agencies, current=current)
    if request.method == "POST" and form.is_valid():
        services.attendance_record(activity=activity, counts=form.counts(), actor=request.user)  # type: ignore[arg-type]
        messages.success(request, "Attendance saved.")
        return redirect("partnerships:activity", pk=activity.pk)
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": f"Attendance at {activity.title}",
            "intro": "Enter how many people from each agency attended. Record numbers only, not names.",
            "back": reverse("partnerships:activity", args=[activity.pk]),
        },
    )


# --- Training register ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participants_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity, _ = access.activities.get_for(request.user, pk, "programme.manage")
    if activity.type != "workshop":
        messages.error(request, "Attendance is recorded for workshops only.")
        return redirect("partnerships:activity", pk=activity.pk)
    current = list(selectors.participants_of(activity))
    form = ParticipantsForm(
        request.POST or None,
        members=list(selectors.members_of(activity.partnership)),
        agencies=list(selectors.agencies_of(activity.partnership)),
        initial={
            "members": [str(p.membership_id) for p in current if p.membership_id],
            "others": "\n".join(
                f"{p.name}, {p.agency.name}" if p.agency_id else p.name
                for p in current
                if not p.membership_id
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = services.participants_record(
                activity=activity,
                member_ids=form.member_ids(),
                others=form.cleaned_data["others"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as e:
            add_validation_error(form, e)
        else:
            messages.success(
                request,
                f"{len(made)} {'person' if len(made) == 1 else 'people'} named as taking part.",
            )
            return redirect("partnerships:activity", pk=activity.pk)
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": f"Who took part in {activity.title}",
            "intro": "Tick the members who took part and type anyone else. HowGood counts each "
            "person once across the programme's workshops, and works out the numbers by agency "
            "from the names.",
            "back": reverse("partnerships:activity", args=[activity.pk]),
        },
    )


@login_required
def training(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "training.view")
    records = list(selectors.training_register(membership.partnership))
    return render(
        request,
        "partnerships/training.html",
        {
            "records": records,
            "people": len({r.membership_id for r in records}),
            "can_manage": can(membership.role, "training.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    membership = access.current(request, "training.manage")
    form = TrainingForm(request.POST or None, partnership=membership.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            with once(request) as done:
                if not done.already:
                    record = services.training_record_create(
                        actor=request.user, **form.cleaned_data
                    )  # type: ignore[arg-type]
                    messages.success(
                        request, f"Training recorded for {record.membership.user.full_name}."
                    )
                    done.result_url = reverse("partnerships:training")
            return redirect(done.result_url or "partnerships:training")
        except ValidationError as error:
            if "__all__" in getattr(error, "error_dict", {}):
                form.add_error(None, "This person already has this training recorded on that date.")
            else:
                add_validation_error(form, error)
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": "Record training",
            "back": reverse("partnerships:training"),
            "create": True,
            "intro": "Record reading lets someone read children's records in a pair; moderation "
            "lets them read or moderate. Their role must also be one that reads records.",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record, _ = access.training_records.get_for(request.user, pk, "training.manage")
    if request.method == "POST":
        services.training_record_delete(record=record, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, "Training record removed.")
        return redirect("partnerships:training")
    return render(
        request,
        "partnerships/confirm.html",
        {
            "title": f"Remove {record.membership.user.full_name}'s training on {record.trained_on:%-d %B %Y}?",
            "body": "If this was their only record-reading or moderation training, they can no "
            "longer be paired to read records. Records already assigned to them stay with them.",
            "button": "Remove training record",
            "back": reverse("partnerships:training"),
        },
    )


# --- Audit trail ----------------------------------------------------------------------


@login_required
def audit_trail(request: HttpRequest) -> HttpResponse:

    membership = access.current(request, "audit.view")
    form = AuditFilterForm(request.GET or None, partnership=membership.partnership)
    events = selectors.audit_events(
        membership.partnership, form.filters() if form.is_bound and form.is_valid() else {}
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # With htmx the filter updates only the results; without it, the whole page.
    template = "partnerships/_audit_results.html" if request.htmx else "partnerships/audit.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:

    membership = access.current(request, "audit.view")
    form = AuditFilterForm(request.GET or None, partnership=membership.partnership)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    events = selectors.audit_events(membership.partnership, filters)
    rows = (
        [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.action,
            audit.describe(e.action),
            e.target_type,
            e.target_id,
            e.target_label,
            e.request_id,
        ]
        for e in events.iterator(chunk_size=2000)
    )
    body = csv_bytes(
        [
            "Time",
            "Person",
            "Action",
            "Description",
            "Thing",
            "Thing id",
            "Thing label",
            "Request id",
        ],
        rows,
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="howgood-audit-{membership.partnership.slug}-{stamp}.csv"'
    )
    return response
