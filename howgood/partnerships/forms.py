from __future__ import annotations

from typing import Any

from django import forms

from howgood.core.audit import registered
from howgood.core.forms import DateInput
from howgood.partnerships.models import (
    Activity,
    ActivityType,
    Agency,
    AgencyType,
    Membership,
    Partnership,
    TrainingCourse,
)
from howgood.partnerships.roles import Role


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name", "suppression_threshold"]
        labels = {"name": "Partnership name", "suppression_threshold": "Small-number threshold"}


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "type", "headcount"]
        labels = {"name": "Agency name", "type": "Type of agency", "headcount": "Staff headcount"}
        widgets = {
            "type": forms.RadioSelect,
            "headcount": forms.NumberInput(attrs={"class": "ds_input--fixed-10"}),
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = AgencyType.choices
        self.fields["type"].error_messages["required"] = "Choose the type of agency"
        self.fields["name"].error_messages["required"] = "Enter the agency's name"

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Agency.objects.filter(partnership=self.partnership, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("This partnership already has an agency with that name")
        return name


def _role_choices() -> list[tuple[str, str]]:
    return [(r.value, f"{r.label}") for r in Role]


class RoleAgencyMixin(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=_role_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Not linked to an agency",
    )

    def _setup(self, partnership: Partnership) -> None:
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)


class InvitationForm(RoleAgencyMixin):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter the email address of the person to invite",
            "invalid": "Enter an email address in the correct format, like name@example.gov.scot",
        },
    )
    field_order = ["email", "role", "agency"]

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup(partnership)


class MembershipForm(RoleAgencyMixin):
    job_title = forms.CharField(label="Job title", required=False, max_length=150)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup(partnership)


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "type", "starts_on", "ends_on", "status", "description"]
        labels = {"starts_on": "Start date", "ends_on": "End date", "type": "Type of activity"}
        widgets = {
            "type": forms.RadioSelect,
            "status": forms.RadioSelect,
            "starts_on": DateInput(attrs={"class": "ds_input--fixed-10"}),
            "ends_on": DateInput(attrs={"class": "ds_input--fixed-10"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": {"required": "Enter a title for the activity"},
            "type": {"required": "Choose the type of activity"},
            "starts_on": {
                "required": "Enter the start date",
                "invalid": "Enter the start date as a real date, like 2026-03-27",
            },
            "ends_on": {
                "required": "Enter the end date",
                "invalid": "Enter the end date as a real date, like 2026-03-27",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = ActivityType.choices
        self.fields["status"].choices = (
            self.fields["status"].choices[1:]
            if self.fields["status"].choices[0][0] == ""
            else self.fields["status"].choices
        )


class AttendanceForm(forms.Form):
    """One number field per agency."""

    def __init__(
        self, *args: Any, agencies: list[Agency], current: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for agency in agencies:
            self.fields[f"agency_{agency.pk}"] = forms.IntegerField(
                label=agency.name,
                required=False,
                min_value=0,
                max_value=10000,
                initial=current.get(agency.pk, 0),
                widget=forms.NumberInput(
                    attrs={"class": "ds_input--fixed-4", "inputmode": "numeric"}
                ),
                error_messages={
                    "min_value": f"Enter 0 or more people for {agency.name}",
                    "invalid": f"Enter the number of people from {agency.name} as a whole number",
                },
            )
        self.agencies = agencies

    def counts(self) -> dict[int, int | None]:
        return {a.pk: self.cleaned_data.get(f"agency_{a.pk}") for a in self.agencies}


class ParticipantsForm(forms.Form):
    """Who took part in a workshop: members ticked, and others typed one per line as
    "Name" or "Name, Agency"."""

    members = forms.MultipleChoiceField(
        label="Members of HowGood who took part",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.CharField(
        label="Others who took part",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text='One person a line, as "Name, Agency" (the agency as it is named in HowGood), '
        "or just the name.",
    )

    def __init__(
        self, *args: Any, members: list[Membership], agencies: list[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (
                str(m.pk),
                f"{m.user.full_name or m.user.email}"
                + (f" ({m.agency.name})" if m.agency_id else ""),
            )
            for m in members
        ]
        self.agencies = {a.name.casefold(): a for a in agencies}

    def clean_others(self) -> list[tuple[str, int | None]]:
        people: list[tuple[str, int | None]] = []
        errors, seen = [], set()
        lines = self.cleaned_data["others"].splitlines()
        if len(lines) > 500:
            raise forms.ValidationError("Name at most 500 other people at once.")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            name, _, agency_name = (part.strip() for part in line.partition(","))
            agency = self.agencies.get(agency_name.casefold()) if agency_name else None
            if not name:
                errors.append(f"Line {number}: give the person's name before the comma.")
            elif len(name) > 200:
                errors.append(f"Line {number}: the name is longer than 200 characters.")
            elif agency_name and agency is None:
                errors.append(
                    f'Line {number}: there is no agency called "{agency_name}" in this '
                    "partnership; use an agency's name as HowGood has it, or leave it out."
                )
            elif name.casefold() in seen:
                errors.append(f"Line {number}: {name} is named twice.")
            else:
                seen.add(name.casefold())
                people.append((name, agency.pk if agency else None))
        if errors:
            raise forms.ValidationError(errors)
        return people

    def member_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["members"]]


class TrainingForm(forms.Form):
    membership = forms.ModelChoiceField(
        label="Person trained",
        queryset=Membership.objects.none(),
        error_messages={"required": "Choose the person who was trained"},
    )
    trained_on = forms.DateField(
        label="Date trained",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={
            "required": "Enter the date of the training",
            "invalid": "Enter the date of the training as a real date, like 2026-03-27",
        },
    )
    trained_by = forms.CharField(
        label="Trained by",
        max_length=200,
        help_text="For example: Care Inspectorate strategic scrutiny team",
        error_messages={"required": "Enter who delivered the training"},
    )
    course = forms.ChoiceField(
        label="Course",
        choices=TrainingCourse.choices,
        initial=TrainingCourse.RECORD_READING,
        widget=forms.RadioSelect,
        help_text="Record reading lets someone read records in a pair. Moderation lets them "
        "read or moderate. Their role must also be one that reads records.",
        error_messages={
            "required": "Choose the course",
            "invalid_choice": "Choose the course from the list",
        },
    )
    course_note = forms.CharField(
        label="If other, what was the course?",
        max_length=200,
        required=False,
        help_text="For example: Trauma-informed practice",
    )
    activity = forms.ModelChoiceField(
        label="Training session in the programme",
        required=False,
        queryset=Activity.objects.none(),
        empty_label="None",
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = Membership.objects.filter(
            partnership=partnership, is_active=True
        ).select_related("user")
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.full_name} ({m.user.email})"
        )
        self.fields["activity"].queryset = Activity.objects.filter(
            partnership=partnership, type="training"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("course") == TrainingCourse.OTHER and not data.get("course_note", "").strip():
            self.add_error("course_note", "Say what the course was")
        elif data.get("course") not in (None, TrainingCourse.OTHER):
            data["course_note"] = ""  # a note belongs to "Other" only
        return data


class AuditFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Person", queryset=Membership.objects.none(), required=False, empty_label="Anyone"
    )
    action = forms.ChoiceField(label="Action", required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"invalid": "Enter the 'from' date as a real date, like 2026-03-27"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"invalid": "Enter the 'to' date as a real date, like 2026-03-27"},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Membership.objects.filter(
            partnership=partnership
        ).select_related("user")
        self.fields["person"].label_from_instance = lambda m: f"{m.user.full_name} ({m.user.email})"
        self.fields["action"].choices = [("", "Any action")] + [
            (name, f"{a.description} ({name})") for name, a in registered().items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "user_id": data["person"].user_id if data.get("person") else None,
            "action": data.get("action") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
