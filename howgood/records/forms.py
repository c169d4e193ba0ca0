from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from howgood.core.forms import LimitedFileField
from howgood.partnerships.models import Activity, Membership
from howgood.questionnaires.models import QuestionnaireVersion
from howgood.records.models import Exercise


class ExerciseForm(forms.Form):
    title = forms.CharField(
        label="Name of the exercise",
        max_length=200,
        help_text="For example: Record reading, spring 2026",
        error_messages={"required": "Enter a name for the exercise"},
    )
    template = forms.ModelChoiceField(
        label="Record-reading template",
        queryset=QuestionnaireVersion.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the template readers will use"},
    )
    activity = forms.ModelChoiceField(
        label="Programme activity",
        queryset=Activity.objects.none(),
        required=False,
        empty_label="Not linked",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = QuestionnaireVersion.objects.filter(
            Q(questionnaire__partnership=partnership) | Q(questionnaire__partnership__isnull=True),
            status="published",
            questionnaire__kind="record_reading",
        ).select_related("questionnaire")
        self.fields["template"].label_from_instance = lambda v: f"{v.title} (version {v.number})"
        self.fields["activity"].queryset = Activity.objects.filter(
            partnership=partnership, type="record_reading"
        )


class CaseListForm(forms.Form):
    file = LimitedFileField(
        label="Case list",
        help_text="A CSV file or Excel workbook with the columns reference, "
        "category, age_band, sex, and optionally agencies and date columns. No names.",
        error_messages={"required": "Choose the case list file"},
    )


CONFIDENCE_CHOICES = [("0.90", "90%"), ("0.95", "95%"), ("0.99", "99%")]


class SampleForm(forms.Form):
    confidence = forms.ChoiceField(
        label="Confidence level",
        choices=CONFIDENCE_CHOICES,
        initial="0.95",
        widget=forms.RadioSelect(attrs={"inline": True}),
    )
    margin = forms.IntegerField(
        label="Margin of error (percentage points)",
        min_value=1,
        max_value=50,
        initial=10,
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-4"}),
        error_messages={
            "min_value": "Enter a margin of error from 1 to 50",
            "max_value": "Enter a margin of error from 1 to 50",
            "required": "Enter the margin of error",
        },
    )
    proportion = forms.IntegerField(
        label="Expected proportion (%)",
        min_value=1,
        max_value=99,
        initial=50,
        help_text="Use 50% if you do not know: it gives the largest, safest sample.",
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-4"}),
        error_messages={
            "min_value": "Enter a proportion from 1 to 99",
            "max_value": "Enter a proportion from 1 to 99",
        },
    )
    size = forms.IntegerField(
        label="Sample size to draw (optional)",
        min_value=1,
        required=False,
        help_text="Leave blank to use the calculated size.",
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-4"}),
    )


class ReplaceForm(forms.Form):
    reason = forms.CharField(
        label="Why is this record unavailable?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="For example: record closed and archived before the sample date.",
        error_messages={"required": "Say why the record is unavailable"},
    )


class PairForm(forms.Form):
    reader = forms.ModelChoiceField(
        label="Reader",
        queryset=Membership.objects.none(),
        error_messages={"required": "Choose the reader"},
    )
    moderator = forms.ModelChoiceField(
        label="Moderator",
        queryset=Membership.objects.none(),
        error_messages={"required": "Choose the moderator"},
    )

    def __init__(self, *args: Any, eligibility: Any, **kwargs: Any) -> None:
        """Offers as reader those who may read and as moderator those who may moderate, from
        ``records.selectors.pairing_eligibility`` (the service checks again on saving)."""
        super().__init__(*args, **kwargs)
        people = Membership.objects.select_related("user", "agency").order_by("user__full_name")
        readers = [e.membership.pk for e in eligibility if e.may_read]
        moderators = [e.membership.pk for e in eligibility if e.may_moderate]
        for name, pks in (("reader", readers), ("moderator", moderators)):
            self.fields[name].queryset = people.filter(pk__in=pks)
            self.fields[name].label_from_instance = lambda m: (
                f"{m.user.full_name} ({m.agency.name if m.agency else 'no agency'})"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reader") and data.get("reader") == data.get("moderator"):
            self.add_error("moderator", "Choose a different person from the reader")
        return data


class ConcernForm(forms.Form):
    description = forms.CharField(
        label="What is the concern about the child's current safety?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text="Describe what you read that worries you. Use roles (for example 'mother's partner'), "
        "not names. The lead officer will be told at once.",
        error_messages={"required": "Describe the concern about the child's current safety"},
    )


class ConcernStepForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text="What was done, and by whom (by role).",
    )


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = ["strength_threshold", "improvement_threshold"]


class RepeatForm(forms.Form):
    earlier = forms.ModelChoiceField(
        label="The earlier record reading it repeats",
        queryset=Exercise.objects.none(),
        required=False,
        empty_label="None: it is not a repeat",
    )

    def __init__(self, *args: Any, earlier: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = earlier  # type: ignore[attr-defined]
