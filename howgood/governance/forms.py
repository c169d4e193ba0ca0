from __future__ import annotations

from typing import Any

from django import forms

from howgood.core.forms import DateInput
from howgood.governance.models import AgendaItem, Group, GroupKind, GroupMember, Meeting, Presence
from howgood.governance.services import MAX_SECTION
from howgood.governance.targets import choices as target_choices
from howgood.improvement.models import Priority
from howgood.partnerships.models import Agency, Membership
from howgood.selfevaluation.models import Document


class DraftTextForm(forms.Form):
    """One text box per section of a draft, under the section's heading."""

    def __init__(self, *args: Any, sections: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[section["key"]] = forms.CharField(
                label=section["heading"],
                required=False,
                initial=section["text"],
                max_length=MAX_SECTION,
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={
                    "max_length": f"Keep {section['heading']} under {MAX_SECTION:,} characters."
                },
            )

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.fields}


DATE = {"class": "ds_input--fixed-10"}


class GroupForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the group's name"})
    kind = forms.ChoiceField(label="Kind of group", choices=GroupKind.choices)
    reports_to = forms.ModelChoiceField(
        label="Reports to",
        queryset=Group.objects.none(),
        required=False,
        empty_label="Nobody in HowGood",
    )
    purpose = forms.CharField(
        label="What it is for",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    terms = forms.ModelChoiceField(
        label="Terms of reference",
        queryset=Document.objects.none(),
        required=False,
        empty_label="Not in the document library yet",
        help_text="Upload them to the document library first (Self-evaluation, Documents).",
    )
    terms_agreed_on = forms.DateField(
        label="Terms agreed on", required=False, widget=DateInput(attrs=DATE)
    )
    terms_review_on = forms.DateField(
        label="Terms due for review on", required=False, widget=DateInput(attrs=DATE)
    )
    quorum = forms.IntegerField(
        label="Quorum",
        required=False,
        min_value=1,
        max_value=200,
        help_text="How many members must be present for the group to decide",
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-4", "inputmode": "numeric"}),
    )
    meets = forms.CharField(label="How often it meets", max_length=100, required=False)

    def __init__(self, *args: Any, partnership: Any, group: Group | None = None, **kwargs: Any):
        if group is not None:
            kwargs.setdefault(
                "initial", {f: getattr(group, f) for f in self.base_fields if hasattr(group, f)}
            )
        super().__init__(*args, **kwargs)
        others = Group.objects.filter(partnership=partnership)
        self.fields["reports_to"].queryset = others.exclude(pk=group.pk) if group else others  # type: ignore[attr-defined]
        self.fields["terms"].queryset = Document.objects.filter(partnership=partnership)  # type: ignore[attr-defined]


class SeatForm(forms.Form):
    membership = forms.ModelChoiceField(
        label="A member of HowGood",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Someone who is not a member (type their name)",
    )
    name = forms.CharField(label="Or their name", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Their agency in HowGood, or none",
    )
    role = forms.CharField(
        label="Role on the group",
        max_length=100,
        initial="Member",
        help_text="Chair, member, adviser",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.filter(  # type: ignore[attr-defined]
                partnership=partnership, is_active=True
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["membership"].label_from_instance = lambda m: m.user.full_name or m.user.email  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label="Date",
        widget=DateInput(attrs=DATE),
        error_messages={"required": "Enter the date of the meeting"},
    )
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One item a line, in order. You can add items and link them to HowGood later.",
    )

    def items(self) -> list[str]:
        return [line for line in self.cleaned_data["agenda"].splitlines() if line.strip()]


class ItemForm(forms.Form):
    title = forms.CharField(label="Item", max_length=300)
    target = forms.ChoiceField(label="What it is about", required=False)
    discussion = forms.CharField(
        label="Discussion", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = target_choices(partnership)  # type: ignore[attr-defined]


class MeetingAttendanceForm(forms.Form):
    """Present, apologies or absent for each member of the group."""

    def __init__(
        self, *args: Any, seats: list[GroupMember], current: dict[int, str], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        for seat in seats:
            agency = f", {seat.agency.name}" if seat.agency_id else ""
            self.fields[f"seat_{seat.pk}"] = forms.ChoiceField(
                label=f"{seat.display_name} ({seat.role}{agency})",
                choices=Presence.choices,
                initial=current.get(seat.pk, Presence.PRESENT),
                widget=forms.RadioSelect,
            )
        self.seats = seats

    def presence(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data[f"seat_{s.pk}"] for s in self.seats}


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the decision"},
    )
    item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="None",
    )
    make_action = forms.BooleanField(
        label="Someone must act on it: add it to the improvement plan as an action",
        required=False,
    )
    action_title = forms.CharField(
        label="Action",
        max_length=300,
        required=False,
        help_text="Needed when someone must act on the decision: what they will do, in a sentence",
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Not yet named",
    )
    due_on = forms.DateField(label="Due on", required=False, widget=DateInput(attrs=DATE))
    priority = forms.ModelChoiceField(
        label="Plan priority", queryset=Priority.objects.none(), required=False, empty_label="None"
    )

    def __init__(self, *args: Any, meeting: Meeting, plan: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = (
            Membership.objects.filter(  # type: ignore[attr-defined]
                partnership_id=meeting.group.partnership_id, is_active=True
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["owner"].label_from_instance = lambda m: m.user.full_name or m.user.email  # type: ignore[attr-defined]
        if plan is not None:
            self.fields["priority"].queryset = plan.priorities.all()  # type: ignore[attr-defined]
        else:
            del self.fields["priority"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("make_action") and not (data.get("action_title") or "").strip():
            self.add_error("action_title", "Say what the action is, in a sentence")
        return data

    def action(self) -> dict[str, Any] | None:
        if not self.cleaned_data.get("make_action"):
            return None
        return {
            "title": self.cleaned_data["action_title"].strip(),
            "owner": self.cleaned_data.get("owner"),
            "due_on": self.cleaned_data.get("due_on"),
            "priority": self.cleaned_data.get("priority"),
        }


class PackForm(forms.Form):
    group = forms.ModelChoiceField(
        label="For which group",
        queryset=Group.objects.none(),
        required=False,
        empty_label="The strategic group in general",
    )
    meeting_on = forms.DateField(
        label="For the meeting on", required=False, widget=DateInput(attrs=DATE)
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(partnership=partnership)  # type: ignore[attr-defined]


class PapersForm(forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label="Papers from the document library",
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Upload a paper to the document library first (Self-evaluation, Documents).",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            partnership=partnership
        ).order_by("-dated", "title")
