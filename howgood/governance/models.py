"""Governance: documents drafted from HowGood's figures for the strategic group."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from howgood.core.models import TimeStamped
from howgood.partnerships.models import PersonOrName, named_constraints


class DraftKind(models.TextChoices):
    PROGRAMME_LETTER = "programme_letter", "Programme letter"
    ANNUAL_REPORT = "annual_report", "Child protection committee annual report"


class Draft(TimeStamped):
    """A document drafted from the data: its sections (heading and text, editable before
    export) and the figures it was drafted from as they were then (each with where it came
    from), so that an edited draft still says what its numbers were and where they came
    from. Drafting again makes a new draft from the data as it is now."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="drafts"
    )
    kind = models.CharField(max_length=30, choices=DraftKind.choices)
    title = models.CharField(max_length=200)
    as_at = models.DateField(help_text="The date the figures were read")
    sections = models.JSONField(default=list, help_text="[{key, heading, text}] in order")
    figures = models.JSONField(default=list, help_text="[{key, label, value, source}] as read")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited = models.BooleanField(default=False, help_text="Whether anyone changed the text")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"{self.title} ({self.as_at:%-d %B %Y})"

    def figure(self, key: str) -> Any:
        """The value of one of the figures it was drafted from."""
        for item in self.figures:
            if item["key"] == key:
                return item["value"]
        raise KeyError(key)


# --- Structures: the groups that govern children's services and child protection ----------


class GroupKind(models.TextChoices):
    CHILDREN_PARTNERSHIP = "children_partnership", "Children and young people's partnership"
    CHILD_PROTECTION_COMMITTEE = "child_protection_committee", "Child protection committee"
    CHIEF_OFFICERS = "chief_officers", "Chief officers group"
    SUBGROUP = "subgroup", "Subgroup"
    OTHER = "other", "Other group"


# The statutory partners in child protection: a group with nobody from one of them is flagged.
STATUTORY = ("social_work", "health", "police", "education")


class Group(TimeStamped):
    """A group that governs children's services or child protection, with its terms of
    reference (a document from the library, agreed on a date and due for review on another),
    its members and its quorum."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="governance_groups"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=GroupKind.choices)
    reports_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subgroups",
        help_text="The group it reports to, for a subgroup",
    )
    purpose = models.TextField(
        blank=True, help_text="What the group is for, in a sentence or two from its terms"
    )
    terms = models.ForeignKey(
        "selfevaluation.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Terms of reference",
        help_text="The terms of reference, from the document library",
    )
    terms_agreed_on = models.DateField("Terms agreed on", null=True, blank=True)
    terms_review_on = models.DateField(
        "Terms due for review on",
        null=True,
        blank=True,
        help_text="When the terms of reference should next be reviewed",
    )
    quorum = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many members must be present for a decision"
    )
    meets = models.CharField(
        "How often it meets", max_length=100, blank=True, help_text="For example, quarterly"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="one_group_per_name")
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name

    def terms_due(self, today: Any) -> bool:
        return self.terms_review_on is not None and self.terms_review_on <= today


class GroupMember(PersonOrName):
    """A seat on a group: a HowGood member, or a name for someone who is not one, with their
    agency and their role on the group (chair, member, adviser)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    role = models.CharField("Role on the group", max_length=100, default="Member")

    class Meta:
        ordering = ["id"]
        constraints = named_constraints("group", "seat")

    def audit_label(self) -> str:
        return f"{self.display_name} ({self.role})"

    @property
    def partnership(self) -> Any:
        return self.group.partnership


class Meeting(TimeStamped):
    """A meeting of a group: its agenda, who came, its papers and its decisions."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("Date")
    papers = models.ManyToManyField(
        "selfevaluation.Document", blank=True, related_name="+", help_text="From the library"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on"], name="one_meeting_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.group.name}, {self.held_on:%-d %B %Y}"

    def audit_label(self) -> str:
        return str(self)

    @property
    def partnership(self) -> Any:
        return self.group.partnership

    @property
    def partnership_id(self) -> int:
        return self.group.partnership_id


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    target = models.CharField(
        "What it is about",
        max_length=60,
        blank=True,
        help_text="Something in HowGood the item looks at, as kind:id",
    )
    discussion = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_item_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def audit_label(self) -> str:
        return str(self)[:200]


class Presence(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class MeetingAttendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(max_length=10, choices=Presence.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_presence_display()}"


class Decision(models.Model):
    """A decision taken at a meeting. One that needs doing becomes an action of the plan
    (owner, due date, RAG), tracked like any other action."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField("Decision")
    action = models.OneToOneField(
        "improvement.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def audit_label(self) -> str:
        return self.text[:200]

    @property
    def partnership(self) -> Any:
        return self.meeting.group.partnership


class ReportPack(TimeStamped):
    """The strategic dashboard's contents as at a date, for a group's meeting, kept as they
    were (``snapshot``: plain text, numbers and chart data) so that the pack's Word and PDF
    documents can be made again, the same, whenever someone reopens it."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="report_packs"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="packs"
    )
    meeting_on = models.DateField("For the meeting on", null=True, blank=True)
    as_at = models.DateField()
    title = models.CharField(max_length=200)
    snapshot = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return self.title
