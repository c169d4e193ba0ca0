"""Reads for the Governance pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from howgood.governance.models import (
    STATUTORY,
    AgendaItem,
    Decision,
    Draft,
    Group,
    GroupMember,
    Meeting,
    MeetingAttendance,
    ReportPack,
)
from howgood.governance.targets import resolve
from howgood.improvement.selectors import action_row
from howgood.partnerships.models import Agency, AgencyType, Partnership


def drafts_of(partnership: Partnership) -> QuerySet[Draft]:
    return Draft.objects.filter(partnership=partnership).select_related("created_by", "updated_by")


def _seats() -> Prefetch:
    return Prefetch(
        "members",
        queryset=GroupMember.objects.select_related("membership__user", "agency").order_by("id"),
    )


def groups_of(partnership: Partnership) -> list[Group]:
    """The groups with their members (and the members' agencies) and their meetings'
    count: three queries."""
    return list(
        Group.objects.filter(partnership=partnership)
        .select_related("terms", "reports_to")
        .prefetch_related(_seats())
        .annotate(meeting_count=Count("meetings"))
        .order_by("name")
    )


@dataclass
class Coverage:
    """Which agencies sit on which group, and the statutory partners each group lacks."""

    groups: list[Group]
    rows: list[tuple[Agency, list[int]]]  # seats per group, in the groups' order
    missing: dict[int, list[str]]  # group id -> statutory partners with nobody on it


def coverage(partnership: Partnership, groups: list[Group]) -> Coverage:
    agencies = list(Agency.objects.filter(partnership=partnership).order_by("name"))
    types = {a.pk: a.type for a in agencies}
    rows = [
        (agency, [sum(1 for s in g.members.all() if s.agency_id == agency.pk) for g in groups])
        for agency in agencies
    ]
    labels = dict(AgencyType.choices)
    missing = {}
    for group in groups:
        present = {types.get(s.agency_id) for s in group.members.all() if s.agency_id}
        missing[group.pk] = [str(labels[t]) for t in STATUTORY if t not in present]
    return Coverage(groups, rows, missing)


def meetings_of(partnership: Partnership, *, limit: int = 10) -> list[Meeting]:
    return list(
        Meeting.objects.filter(group__partnership=partnership)
        .select_related("group")
        .annotate(decision_count=Count("decisions"))
        .order_by("-held_on", "-id")[:limit]
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[tuple[AgendaItem, tuple[str, str] | None]]
    seats: list[GroupMember]
    presence: dict[int, str]
    counts: dict[str, int]
    quorate: bool | None
    by_agency: list[tuple[str, int]]
    decisions: list[tuple[Decision, Any]]


def meeting_page(meeting: Meeting, today: date) -> MeetingPage:
    """Everything the meeting's page shows: the agenda with what each item is about, who
    came (by agency too) and whether the meeting was quorate, and the decisions with their
    plan actions' RAG."""
    partnership = meeting.group.partnership
    items = [(i, resolve(partnership, i.target) if i.target else None) for i in meeting.items.all()]
    seats = list(meeting.group.members.select_related("membership__user", "agency"))
    presence = dict(
        MeetingAttendance.objects.filter(meeting=meeting).values_list("member_id", "presence")
    )
    counts = {
        p: sum(1 for v in presence.values() if v == p) for p in ("present", "apologies", "absent")
    }
    by_agency: dict[str, int] = {}
    for seat in seats:
        if presence.get(seat.pk) == "present":
            name = seat.agency.name if seat.agency else "No agency"
            by_agency[name] = by_agency.get(name, 0) + 1
    quorum = meeting.group.quorum
    decisions = [
        (d, action_row(d.action, today) if d.action else None)
        for d in Decision.objects.filter(meeting=meeting)
        .select_related("item", "action__owner__user", "action__measure", "action__plan")
        .prefetch_related("action__quality_indicators", "action__findings")
    ]
    return MeetingPage(
        meeting=meeting,
        items=items,
        seats=seats,
        presence=presence,
        counts=counts,
        quorate=None if quorum is None or not presence else counts["present"] >= quorum,
        by_agency=sorted(by_agency.items()),
        decisions=decisions,
    )


def terms_due(partnership: Partnership, today: date) -> QuerySet[Group]:
    return Group.objects.filter(partnership=partnership, terms_review_on__lte=today).order_by(
        "terms_review_on"
    )


def groups_with_meetings(partnership: Partnership) -> QuerySet[Group]:
    return Group.objects.filter(partnership=partnership, meetings__isnull=False).distinct()


def packs_of(partnership: Partnership) -> QuerySet[ReportPack]:
    return ReportPack.objects.filter(partnership=partnership).select_related("group", "created_by")


def pack_documents(pack: ReportPack) -> dict[str, Any]:
    """The latest Word and PDF document made from the pack, by format (one query)."""
    latest: dict[str, Any] = {}
    for report in pack.generated_reports.defer("content").order_by("created_at", "id"):
        latest[report.kind.rsplit(".", 1)[-1]] = report
    return latest


def packs_for(meeting: Meeting) -> QuerySet[ReportPack]:
    """Report packs made for this meeting (its group, its date)."""
    return ReportPack.objects.filter(group=meeting.group, meeting_on=meeting.held_on)
