"""Reads for partnership pages: scoped, prefetched, aggregated in the database."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.partnerships.models import (
    READING_COURSES,
    Activity,
    Agency,
    Invitation,
    Membership,
    Partnership,
    TrainingRecord,
    WorkshopAttendance,
    WorkshopParticipant,
)


def activities_for(partnership: Partnership) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(partnership=partnership)
        .annotate(attendees=Sum("attendance__count"))
        .order_by("starts_on", "title")  # Meta.ordering is ignored in GROUP BY queries
    )


def programme_timeline(partnership: Partnership) -> dict[str, Any]:
    """Activities grouped by the month they start, plus the span for the timeline drawing."""
    activities = list(activities_for(partnership))
    months = [
        {"month": month, "activities": list(items)}
        for month, items in groupby(activities, key=lambda a: a.starts_on.replace(day=1))
    ]
    span = None
    if activities:
        start = min(a.starts_on for a in activities)
        end = max(a.ends_on for a in activities)
        span = (start, end)
    return {"activities": activities, "months": months, "span": span}


def timeline_bars(
    activities: list[Activity], span: tuple[date, date] | None, width: int = 900
) -> dict[str, Any]:
    """Geometry for the SVG timeline: one bar per activity, month ticks along the top."""
    if not span:
        return {"bars": [], "ticks": [], "width": width, "height": 0}
    start, end = span
    days = max((end - start).days, 1)
    label_w, right = 0, 10
    scale = (width - label_w - right) / days
    row_h = 28
    bars = []
    for i, a in enumerate(activities):
        x = label_w + (a.starts_on - start).days * scale
        w = max((a.ends_on - a.starts_on).days * scale, 6)
        bars.append(
            {
                "activity": a,
                "x": round(x, 1),
                "y": 30 + i * row_h,
                "w": round(w, 1),
                "text_x": round(min(x, width - 260), 1),
            }
        )
    ticks = []
    month = start.replace(day=1)
    while month <= end:
        if month >= start:
            ticks.append(
                {
                    "x": round(label_w + (month - start).days * scale, 1),
                    "label": month.strftime("%b %Y"),
                }
            )
        month = date(month.year + (month.month // 12), month.month % 12 + 1, 1)
    return {"bars": bars, "ticks": ticks, "width": width, "height": 40 + len(activities) * row_h}


def members_of(partnership: Partnership) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(partnership=partnership, is_active=True)
        .select_related("user", "agency")
        .annotate(trainings=Count("training_records"))
        .order_by("user__full_name")
    )


def agencies_of(partnership: Partnership) -> QuerySet[Agency]:
    return (
        Agency.objects.filter(partnership=partnership)
        .annotate(members_count=Count("members", distinct=True))
        .order_by("name")
    )


def open_invitations(partnership: Partnership) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            partnership=partnership, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("agency")
        .order_by("-created_at")
    )


def invitation_accepted_by(invitation: Invitation, user: Any) -> bool:
    """True when this person accepted the invitation and is a member through it: a second
    press of "accept" (or a request racing the first) is then the same submission."""
    return bool(
        getattr(user, "is_authenticated", False)
        and invitation.accepted_at is not None
        and user.email.lower() == invitation.email
        and Membership.objects.filter(
            user=user, partnership_id=invitation.partnership_id, is_active=True
        ).exists()
    )


def training_register(partnership: Partnership) -> QuerySet[TrainingRecord]:
    return (
        TrainingRecord.objects.filter(partnership=partnership)
        .select_related("membership__user", "membership__agency", "activity")
        .order_by("-trained_on", "id")
    )


def trained_readers(partnership: Partnership) -> QuerySet[Membership]:
    """Active members on the training register for record reading or moderation (whatever
    their role: record reading's ``pairing_eligibility`` also asks whether the role reads)."""
    return (
        members_of(partnership)
        .filter(training_records__course__in=sorted(READING_COURSES))
        .distinct()
    )


def training_courses(partnership: Partnership) -> dict[int, set[str]]:
    """The courses on the training register, by membership id: one query."""
    courses: dict[int, set[str]] = {}
    for membership_id, course in TrainingRecord.objects.filter(partnership=partnership).values_list(
        "membership_id", "course"
    ):
        courses.setdefault(membership_id, set()).add(course)
    return courses


def attendance_of(activity: Activity) -> QuerySet[WorkshopAttendance]:
    return WorkshopAttendance.objects.filter(activity=activity).select_related("agency")


def participants_of(activity: Activity) -> QuerySet[WorkshopParticipant]:
    return WorkshopParticipant.objects.filter(activity=activity).select_related(
        "membership__user", "agency"
    )


def workshop_participation(partnership: Partnership, *, on: date | None = None) -> dict[str, Any]:
    """The programme's workshops held by a date (not cancelled, started by then) and who took
    part: the distinct people named (a member once however many workshops they came to; someone
    who is not a member once per name and agency), and, for workshops whose people are not
    named, the attendances counted by agency (which cannot be told apart, so are not added to
    the distinct people). Three queries."""
    on = on or timezone.localdate()
    held = list(
        Activity.objects.filter(partnership=partnership, type="workshop", starts_on__lte=on)
        .exclude(status="cancelled")
        .order_by("starts_on", "id")
        .values_list("pk", flat=True)
    )
    people = set()
    named_workshops = set()
    for activity_id, membership_id, name, agency_id in WorkshopParticipant.objects.filter(
        activity_id__in=held
    ).values_list("activity_id", "membership_id", "name", "agency_id"):
        named_workshops.add(activity_id)
        people.add(("m", membership_id) if membership_id else ("n", name.casefold(), agency_id))
    counted = dict(
        WorkshopAttendance.objects.filter(activity_id__in=set(held) - named_workshops)
        .values("activity_id")
        .annotate(n=Sum("count"))
        .values_list("activity_id", "n")
    )
    return {
        "workshops": len(held),
        "named_workshops": len(named_workshops),
        "people": len(people),
        "counted_workshops": len(counted),
        "counted": sum(counted.values()),
        "unrecorded_workshops": len(held) - len(named_workshops) - len(counted),
    }


def activity_with_attendance(activity: Activity) -> Activity:
    return Activity.objects.prefetch_related(
        Prefetch("attendance", queryset=WorkshopAttendance.objects.select_related("agency"))
    ).get(pk=activity.pk)


def audit_events(partnership: Partnership, filters: dict[str, Any]) -> QuerySet[Any]:
    """The partnership's audit history, newest first, filtered by person, action and dates."""
    events = AuditEvent.objects.filter(partnership=partnership)
    if filters.get("user_id"):
        events = events.filter(actor_id=filters["user_id"])
    if filters.get("action"):
        events = events.filter(action=filters["action"])
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        events = events.filter(
            created_at__gte=datetime.combine(filters["date_from"], time.min, tzinfo=tz)
        )
    if filters.get("date_to"):
        events = events.filter(
            created_at__lt=datetime.combine(
                filters["date_to"] + timedelta(days=1), time.min, tzinfo=tz
            )
        )
    return events.order_by("-created_at", "-id")


def token_hash(token: str) -> str:
    """How an invitation's token is stored and looked up: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("partnership", "agency")
        .filter(token_hash=token_hash(token))
        .first()
    )


def trained_for_reading(partnership: Partnership, *, on: date | None = None) -> dict[str, int]:
    """People on the training register by a date, each once: local staff trained in record
    reading (``local``), local staff trained to moderate (``moderation``, who are not also
    counted as trained in reading), and scrutiny partners trained (``inspectors``, shown
    apart: they are not the partnership's staff). One query."""
    on = on or timezone.localdate()
    reading, moderation, inspectors = set(), set(), set()
    for membership_id, role, course in TrainingRecord.objects.filter(
        partnership=partnership, trained_on__lte=on, course__in=sorted(READING_COURSES)
    ).values_list("membership_id", "membership__role", "course"):
        if role == "scrutiny":
            inspectors.add(membership_id)
        elif course == "record_reading":
            reading.add(membership_id)
        else:
            moderation.add(membership_id)
    return {
        "local": len(reading),
        "moderation": len(moderation - reading),
        "inspectors": len(inspectors),
    }
