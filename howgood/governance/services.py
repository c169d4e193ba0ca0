"""Drafting documents from HowGood's figures, and changing their text."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.core.updates import model_create, model_update
from howgood.governance.figures import annual_figures, programme_figures
from howgood.governance.letter import annual_report, programme_letter
from howgood.governance.models import (
    AgendaItem,
    Decision,
    Draft,
    DraftKind,
    Group,
    GroupMember,
    Meeting,
    MeetingAttendance,
    Presence,
    ReportPack,
)
from howgood.governance.pack import snapshot
from howgood.governance.targets import resolve
from howgood.improvement.selectors import current_plan
from howgood.improvement.services import action_create
from howgood.partnerships.models import Agency, Membership, Partnership

MAX_SECTION = 20_000  # characters in one section's text


@transaction.atomic
def draft_create(
    *,
    partnership: Partnership,
    kind: str = DraftKind.PROGRAMME_LETTER,
    actor: User | None,
    on: date | None = None,
) -> Draft:
    """A new draft from the data as it is now (or as at ``on``), with the figures it states
    and where each came from."""
    on = on or timezone.localdate()
    if kind == DraftKind.PROGRAMME_LETTER:
        figures = programme_figures(partnership, on=on)
        sections, found = programme_letter(figures, partnership.name), figures.as_json()
    elif kind == DraftKind.ANNUAL_REPORT:
        annual = annual_figures(partnership, on=on)
        sections, found = annual_report(annual, partnership.name), annual.as_json()
    else:
        raise ValidationError("HowGood drafts the programme letter and the annual report.")
    draft = Draft.objects.create(
        partnership=partnership,
        kind=kind,
        title=f"{DraftKind(kind).label}: {partnership.name}",
        as_at=on,
        sections=sections,
        figures=found,
        created_by=actor,
        updated_by=actor,
    )
    audit.log(actor=actor, action="governance.draft.created", target=draft)
    return draft


@transaction.atomic
def draft_update(*, draft: Draft, texts: dict[str, str], actor: User) -> Draft:
    """Change the text of some of the draft's sections (by key); the headings, the figures it
    was drafted from and the other sections stay. Saving what is already there changes
    nothing and records nothing."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    known = {s["key"] for s in locked.sections}
    if set(texts) - known:
        raise ValidationError("That section is not in this draft.")
    changed = []
    for section in locked.sections:
        new = texts.get(section["key"])
        if new is None:
            continue
        new = new.replace("\r\n", "\n").strip()
        if len(new) > MAX_SECTION:
            raise ValidationError(
                {section["key"]: f"Keep {section['heading']} under {MAX_SECTION:,} characters."}
            )
        if new != section["text"]:
            section["text"] = new
            changed.append(section["heading"])
    if changed:
        locked.edited, locked.updated_by = True, actor
        locked.save(update_fields=["sections", "edited", "updated_by", "updated_at"])
        audit.log(
            actor=actor,
            action="governance.draft.updated",
            target=locked,
            data={"sections": changed},
        )
    return locked


# --- Groups --------------------------------------------------------------------------------

GROUP_FIELDS = (
    "name",
    "kind",
    "reports_to",
    "purpose",
    "terms",
    "terms_agreed_on",
    "terms_review_on",
    "quorum",
    "meets",
)


def _check_group(partnership: Partnership, data: Mapping[str, Any], group: Group | None) -> None:
    parent = data.get("reports_to")
    if parent is not None and parent.partnership_id != partnership.pk:
        raise ValidationError({"reports_to": "Choose a group of this partnership."})
    if parent is not None and group is not None:
        seen, step = {group.pk}, parent
        while step is not None:
            if step.pk in seen:
                raise ValidationError({"reports_to": "A group cannot report to itself."})
            seen.add(step.pk)
            step = step.reports_to
    terms = data.get("terms")
    if terms is not None and terms.partnership_id != partnership.pk:
        raise ValidationError({"terms": "Choose a document of this partnership."})
    agreed, review = data.get("terms_agreed_on"), data.get("terms_review_on")
    if agreed and review and review < agreed:
        raise ValidationError(
            {"terms_review_on": "The review date must be on or after the date they were agreed."}
        )
    name = data.get("name")
    same = Group.objects.filter(partnership=partnership, name__iexact=(name or "").strip())
    if name and same.exclude(pk__in=[group.pk] if group else []).exists():
        raise ValidationError({"name": "There is already a group with this name."})


@transaction.atomic
def group_create(*, partnership: Partnership, data: Mapping[str, Any], actor: User) -> Group:
    _check_group(partnership, data, None)
    group = model_create(model=Group, fields=GROUP_FIELDS, data=data, partnership=partnership)
    audit.log(actor=actor, action="governance.group.created", target=group)
    return group


@transaction.atomic
def group_update(*, group: Group, data: Mapping[str, Any], actor: User) -> Group:
    locked = Group.objects.select_for_update().get(pk=group.pk)
    _check_group(locked.partnership, data, locked)
    model_update(
        instance=locked,
        fields=GROUP_FIELDS,
        data=data,
        actor=actor,
        audit_action="governance.group.updated",
    )
    return locked


@transaction.atomic
def seat_add(
    *,
    group: Group,
    actor: User,
    membership: Membership | None = None,
    name: str = "",
    agency: Agency | None = None,
    role: str = "Member",
) -> GroupMember:
    """A seat on the group for a HowGood member (their agency by default) or a named person."""
    name, role = name.strip(), (role.strip() or "Member")
    if (membership is None) == (not name):
        raise ValidationError("Choose a member of HowGood or type a name, not both.")
    for thing in (membership, agency):
        if thing is not None and thing.partnership_id != group.partnership_id:
            raise ValidationError("Choose people and agencies of this partnership.")
    if membership is not None:
        if GroupMember.objects.filter(group=group, membership=membership).exists():
            raise ValidationError(f"{membership.user.full_name} is already on {group.name}.")
        agency = agency or membership.agency
    seat = GroupMember.objects.create(
        group=group, membership=membership, name=name, agency=agency, role=role[:100]
    )
    audit.log(
        actor=actor, action="governance.seat.added", target=group, data={"seat": seat.audit_label()}
    )
    return seat


@transaction.atomic
def seat_remove(*, seat: GroupMember, actor: User) -> None:
    label, group = seat.audit_label(), seat.group
    seat.delete()
    audit.log(actor=actor, action="governance.seat.removed", target=group, data={"seat": label})


# --- Meetings ------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, group: Group, held_on: date, items: list[str], actor: User) -> Meeting:
    """A meeting of the group on a date, with its agenda (item titles in order)."""
    if Meeting.objects.filter(group=group, held_on=held_on).exists():
        raise ValidationError({"held_on": f"{group.name} already has a meeting on that day."})
    meeting = Meeting.objects.create(group=group, held_on=held_on, created_by=actor)
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, number=n, title=title.strip()[:300])
        for n, title in enumerate((t for t in items if t.strip()), start=1)
    )
    audit.log(actor=actor, action="governance.meeting.created", target=meeting)
    return meeting


@transaction.atomic
def item_add(
    *, meeting: Meeting, title: str, target: str = "", discussion: str = "", actor: User
) -> AgendaItem:
    if target and resolve(meeting.group.partnership, target) is None:
        raise ValidationError({"target": "Choose something of this partnership's."})
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    last = meeting.items.order_by("-number").values_list("number", flat=True).first() or 0
    item = AgendaItem.objects.create(
        meeting=meeting, number=last + 1, title=title.strip(), target=target, discussion=discussion
    )
    audit.log(actor=actor, action="governance.item.added", target=meeting, data={"item": str(item)})
    return item


@transaction.atomic
def item_update(*, item: AgendaItem, data: Mapping[str, Any], actor: User) -> AgendaItem:
    target = data.get("target", item.target)
    if target and resolve(item.meeting.group.partnership, target) is None:
        raise ValidationError({"target": "Choose something of this partnership's."})
    model_update(
        instance=item,
        fields=("title", "target", "discussion"),
        data=data,
        actor=actor,
        audit_action="governance.item.updated",
    )
    return item


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, presence: Mapping[int, str], actor: User
) -> dict[str, int]:
    """Who was present, sent apologies or was absent, by seat id; returns the counts."""
    seats = set(meeting.group.members.values_list("pk", flat=True))
    if set(presence) - seats:
        raise ValidationError("Record attendance for the group's members only.")
    if set(presence.values()) - set(Presence.values):
        raise ValidationError("Say whether each member was present, sent apologies or was absent.")
    MeetingAttendance.objects.filter(meeting=meeting).delete()
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, member_id=seat, presence=value)
        for seat, value in presence.items()
    )
    counts = {p: sum(1 for v in presence.values() if v == p) for p in Presence.values}
    audit.log(actor=actor, action="governance.attendance.recorded", target=meeting, data=counts)
    return counts


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    text: str,
    actor: User,
    item: AgendaItem | None = None,
    action: Mapping[str, Any] | None = None,
) -> Decision:
    """A decision of the meeting. With ``action`` (title, owner, due_on, priority), it also
    becomes an action of the partnership's current plan, tracked like any other."""
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting's agenda."})
    made = None
    if action is not None:
        plan = current_plan(meeting.group.partnership)
        if plan is None:
            raise ValidationError(
                "There is no improvement plan to add the action to: make the plan first."
            )
        made = action_create(
            plan=plan,
            actor=actor,
            data={
                **action,
                "description": f"Decided at {meeting}: {text.strip()}",
            },
        )
    decision = Decision.objects.create(meeting=meeting, item=item, text=text.strip(), action=made)
    audit.log(
        actor=actor,
        action="governance.decision.recorded",
        target=meeting,
        data={"decision": decision.audit_label(), "action": made.pk if made else None},
    )
    return decision


# --- Report packs --------------------------------------------------------------------------


@transaction.atomic
def pack_create(
    *,
    partnership: Partnership,
    actor: User,
    group: Group | None = None,
    meeting_on: date | None = None,
    on: date | None = None,
) -> ReportPack:
    """A report pack: the dashboard's contents as at ``on`` (today), kept as they are."""
    if group is not None and group.partnership_id != partnership.pk:
        raise ValidationError({"group": "Choose a group of this partnership."})
    on = on or timezone.localdate()
    for_whom = group.name if group else "the strategic group"
    pack = ReportPack.objects.create(
        partnership=partnership,
        group=group,
        meeting_on=meeting_on,
        as_at=on,
        title=f"Report pack for {for_whom}"
        + (f", {meeting_on:%-d %B %Y}" if meeting_on else f", as at {on:%-d %B %Y}"),
        snapshot=snapshot(partnership, on=on, group=group, meeting_on=meeting_on),
        created_by=actor,
    )
    audit.log(actor=actor, action="governance.pack.created", target=pack)
    return pack


@transaction.atomic
def papers_set(*, meeting: Meeting, documents: list[Any], actor: User) -> None:
    """The meeting's papers: documents from the partnership's library."""
    if any(d.partnership_id != meeting.group.partnership_id for d in documents):
        raise ValidationError("Choose documents of this partnership.")
    meeting.papers.set(documents)
    audit.log(
        actor=actor,
        action="governance.papers.set",
        target=meeting,
        data={"papers": [d.title for d in documents]},
    )
