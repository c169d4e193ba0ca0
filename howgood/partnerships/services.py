"""Partnership workflows. Each writes an audit event; mail goes out after commit."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from howgood.accounts.models import User, normalise_email
from howgood.accounts.services import user_create
from howgood.core import audit
from howgood.core.updates import model_create, model_update
from howgood.partnerships.middleware import SESSION_KEY
from howgood.partnerships.models import (
    Activity,
    Agency,
    Invitation,
    Membership,
    Partnership,
    TrainingCourse,
    TrainingRecord,
    WorkshopAttendance,
    WorkshopParticipant,
)
from howgood.partnerships.roles import Role
from howgood.partnerships.selectors import token_hash

INVITATION_DAYS = 14


@transaction.atomic
def partnership_create(
    *, name: str, lead: User, actor: User | None, is_demo: bool = False
) -> Partnership:
    """A new partnership with the given person as its lead."""
    base = slugify(name)[:50] or "partnership"
    slug, n = base, 2
    while Partnership.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    partnership = Partnership.objects.create(name=name, slug=slug, is_demo=is_demo)
    Membership.objects.create(user=lead, partnership=partnership, role=Role.LEAD)
    audit.log(actor=actor, action="partnerships.partnership.created", target=partnership)
    return partnership


PARTNERSHIP_FIELDS = ("name", "suppression_threshold")


@transaction.atomic
def partnership_update(
    *, partnership: Partnership, data: Mapping[str, Any], actor: User
) -> Partnership:
    """Change the partnership's name or its threshold for small numbers (nothing else)."""
    model_update(
        instance=partnership,
        fields=PARTNERSHIP_FIELDS,
        data=data,
        actor=actor,
        audit_action="partnerships.partnership.updated",
    )
    return partnership


def partnership_switch(*, request: HttpRequest, partnership: Partnership) -> None:
    request.session[SESSION_KEY] = partnership.pk
    audit.log(actor=request.user, action="partnerships.partnership.switched", target=partnership)


@transaction.atomic
def agency_create(
    *, partnership: Partnership, name: str, type: str, headcount: int | None, actor: User
) -> Agency:
    agency = Agency(partnership=partnership, name=name, type=type, headcount=headcount)
    agency.full_clean()
    agency.save()
    audit.log(
        actor=actor,
        action="partnerships.agency.created",
        target=agency,
        data={"type": type, "headcount": headcount},
    )
    return agency


AGENCY_FIELDS = ("name", "type", "headcount")


@transaction.atomic
def agency_update(*, agency: Agency, data: Mapping[str, Any], actor: User) -> Agency:
    model_update(
        instance=agency,
        fields=AGENCY_FIELDS,
        data=data,
        actor=actor,
        audit_action="partnerships.agency.updated",
    )
    return agency


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str, agency: Agency | None, job_title: str, actor: User
) -> Membership:
    _guard_last_lead(membership, new_role=role)
    before = {
        "role": membership.role,
        "agency": membership.agency_id,
        "job_title": membership.job_title,
    }
    membership.role, membership.agency, membership.job_title = role, agency, job_title
    membership.full_clean()
    membership.save()
    audit.log(
        actor=actor,
        action="partnerships.membership.updated",
        target=membership,
        data={
            "before": before,
            "after": {
                "role": role,
                "agency": agency.pk if agency else None,
                "job_title": job_title,
            },
        },
    )
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, actor: User) -> Membership:
    _guard_last_lead(membership, new_role=None)
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit.log(actor=actor, action="partnerships.membership.deactivated", target=membership)
    return membership


def _guard_last_lead(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.LEAD or new_role == Role.LEAD:
        return
    others = Membership.objects.filter(
        partnership=membership.partnership, role=Role.LEAD, is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            "A partnership needs at least one lead. Make someone else the lead first."
        )


@transaction.atomic
def invitation_send(
    *, partnership: Partnership, email: str, role: str, agency: Agency | None, actor: User
) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token."""
    email = normalise_email(email)
    if Membership.objects.filter(
        partnership=partnership, user__email__iexact=email, is_active=True
    ).exists():
        raise ValidationError({"email": "This person is already a member of the partnership."})
    if Invitation.objects.filter(
        partnership=partnership,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ValidationError(
            {
                "email": "An invitation to this address is already waiting. Cancel it to send a new one."
            }
        )
    # An expired open invitation would block the unique constraint: close it first.
    Invitation.objects.filter(
        partnership=partnership, email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        partnership=partnership,
        email=email,
        role=role,
        agency=agency,
        token_hash=token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit.log(
        actor=actor, action="partnerships.invitation.sent", target=invitation, data={"role": role}
    )
    link = settings.HOWGOOD_BASE_URL.rstrip("/") + reverse(
        "partnerships:invitation_accept", args=[token]
    )
    body = render_to_string(
        "partnerships/email/invitation.txt",
        {"invitation": invitation, "link": link, "inviter": actor, "days": INVITATION_DAYS},
    )
    transaction.on_commit(
        lambda: send_mail(
            f"You are invited to join {partnership.name} on HowGood", body, None, [email]
        )
    )
    return invitation, token


class InvitationUsed(ValidationError):
    """The invitation was accepted, cancelled or expired before this request reached it."""


class AccountExists(ValidationError):
    """Someone already has an account with the invitation's email address: sign in first."""


_CLOSED_REASONS = {
    "Accepted": "This invitation has already been accepted.",
    "Cancelled": "This invitation has been cancelled.",
    "Expired": "This invitation has expired.",
}


def _lock_open(invitation: Invitation) -> Invitation:
    """The invitation row, locked until the transaction ends, if it can still be used.

    Parallel requests for one invitation queue here (``SELECT ... FOR UPDATE`` on
    PostgreSQL, the write lock of an IMMEDIATE transaction on SQLite); each reads the row
    as the one before it left it, so only the first finds it open.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise InvitationUsed(_CLOSED_REASONS[locked.status], code=locked.status.lower())
    return locked


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the partnership in the invited role. Raises InvitationUsed if someone (or a
    twin of this request) got there first."""
    invitation = _lock_open(invitation)
    if normalise_email(user.email) != invitation.email:
        raise ValidationError("This invitation was sent to a different email address.")
    return _join(invitation, user)


@transaction.atomic
def invitation_accept_new_account(
    *, invitation: Invitation, full_name: str, password: str
) -> Membership:
    """Create the invitee's account and accept the invitation, all or nothing.

    Double submits and parallel requests make one account: the invitation is locked first
    and the later requests get InvitationUsed. An account with the same email made
    meanwhile by another route (another partnership's invitation) gives AccountExists.
    """
    invitation = _lock_open(invitation)
    try:
        with transaction.atomic():  # a savepoint: the unique email may refuse the insert
            user = user_create(
                email=invitation.email, full_name=full_name, password=password, actor=None
            )
    except IntegrityError as error:
        raise AccountExists(
            f"There is already a HowGood account for {invitation.email}. "
            "Sign in to accept the invitation.",
            code="account_exists",
        ) from error
    return _join(invitation, user)


def _join(invitation: Invitation, user: User) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user,
        partnership=invitation.partnership,
        defaults={"role": invitation.role, "agency": invitation.agency},
    )
    if not created:
        membership.role, membership.agency, membership.is_active = (
            invitation.role,
            invitation.agency,
            True,
        )
        membership.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    audit.log(actor=user, action="partnerships.invitation.accepted", target=invitation)
    audit.log(
        actor=user,
        action="partnerships.membership.created",
        target=membership,
        data={"role": invitation.role},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit.log(actor=actor, action="partnerships.invitation.revoked", target=invitation)
    return invitation


ACTIVITY_FIELDS = ("title", "type", "starts_on", "ends_on", "status", "description")


@transaction.atomic
def activity_create(*, partnership: Partnership, data: Mapping[str, Any], actor: User) -> Activity:
    activity = model_create(
        model=Activity, fields=ACTIVITY_FIELDS, data=data, partnership=partnership
    )
    audit.log(
        actor=actor,
        action="partnerships.activity.created",
        target=activity,
        data={"type": activity.type, "starts_on": str(activity.starts_on)},
    )
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, data: Mapping[str, Any], actor: User) -> Activity:
    model_update(
        instance=activity,
        fields=ACTIVITY_FIELDS,
        data=data,
        actor=actor,
        audit_action="partnerships.activity.updated",
    )
    return activity


NAMED = (
    "The people who took part in this workshop are named, so its numbers come from the names: "
    "change the people instead."
)


@transaction.atomic
def participants_record(
    *,
    activity: Activity,
    member_ids: list[int],
    others: list[tuple[str, int | None]],
    actor: User,
) -> list[WorkshopParticipant]:
    """Name the people who took part in a workshop: members of the partnership by id, and
    others as (name, agency id or None). Replaces whoever was named before, and sets the
    workshop's counts by agency from the names (a person with no agency is counted in the
    total of distinct people only). Naming nobody goes back to counts entered by hand."""
    if activity.type != "workshop":
        raise ValidationError("Attendance is recorded for workshops only.")
    Activity.objects.select_for_update().filter(pk=activity.pk).first()
    members = {
        m.pk: m
        for m in Membership.objects.filter(
            partnership_id=activity.partnership_id, pk__in=member_ids
        )
    }
    if set(member_ids) - set(members):
        raise ValidationError("Choose members of this partnership.")
    agency_ids = {a for _, a in others if a is not None}
    if agency_ids - set(
        Agency.objects.filter(
            partnership_id=activity.partnership_id, pk__in=agency_ids
        ).values_list("pk", flat=True)
    ):
        raise ValidationError("Choose agencies of this partnership.")
    names = [name.strip() for name, _ in others]
    if any(not n for n in names) or len({n.casefold() for n in names}) != len(names):
        raise ValidationError("Name each other person once.")
    named_before = activity.participants.exists()
    activity.participants.all().delete()
    made = WorkshopParticipant.objects.bulk_create(
        [
            WorkshopParticipant(activity=activity, membership=m, agency_id=m.agency_id)
            for m in members.values()
        ]
        + [
            WorkshopParticipant(activity=activity, name=name.strip(), agency_id=agency_id)
            for name, agency_id in others
        ]
    )
    if made or named_before:
        counts: dict[int, int] = {}
        for person in made:
            if person.agency_id is not None:
                counts[person.agency_id] = counts.get(person.agency_id, 0) + 1
        WorkshopAttendance.objects.filter(activity=activity).delete()
        WorkshopAttendance.objects.bulk_create(
            WorkshopAttendance(activity=activity, agency_id=agency_id, count=count)
            for agency_id, count in counts.items()
        )
    audit.log(
        actor=actor,
        action="partnerships.participants.recorded",
        target=activity,
        data={"members": len(members), "others": len(others)},
    )
    return made


@transaction.atomic
def attendance_record(*, activity: Activity, counts: dict[int, int | None], actor: User) -> None:
    """Set the attendance count per agency id (None or 0 removes the row)."""
    if activity.type != "workshop":
        raise ValidationError("Attendance is recorded for workshops only.")
    if activity.participants.exists():
        raise ValidationError(NAMED)
    agencies = {
        a.pk: a
        for a in Agency.objects.filter(partnership_id=activity.partnership_id, pk__in=counts)
    }
    for agency_id, count in counts.items():
        if agency_id not in agencies:
            raise ValidationError("Choose agencies of this partnership.")
        if count:
            WorkshopAttendance.objects.update_or_create(
                activity=activity, agency_id=agency_id, defaults={"count": count}
            )
        else:
            WorkshopAttendance.objects.filter(activity=activity, agency_id=agency_id).delete()
    audit.log(
        actor=actor,
        action="partnerships.attendance.recorded",
        target=activity,
        data={"counts": {agencies[k].name: v or 0 for k, v in counts.items()}},
    )


@transaction.atomic
def training_record_create(
    *,
    membership: Membership,
    trained_on: date,
    trained_by: str,
    course: str,
    activity: Activity | None,
    actor: User,
    course_note: str = "",
) -> TrainingRecord:
    """Put someone on the training register. The course is one of ``TrainingCourse``; for
    "Other" the note says what it was. Refused if they already have it on that date."""
    record = TrainingRecord(
        partnership=membership.partnership,
        membership=membership,
        trained_on=trained_on,
        trained_by=trained_by,
        course=course,
        course_note=course_note.strip() if course == TrainingCourse.OTHER else "",
        activity=activity,
    )
    record.full_clean()
    record.save()
    audit.log(actor=actor, action="partnerships.training.recorded", target=record)
    return record


@transaction.atomic
def training_record_delete(*, record: TrainingRecord, actor: User) -> None:
    audit.log(actor=actor, action="partnerships.training.deleted", target=record)
    record.delete()
