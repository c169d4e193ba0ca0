from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from howgood.childprotection.extract import FIELDS
from howgood.childprotection.models import DataSettings, MonthlyCount
from howgood.childprotection.series import SERIES
from howgood.childprotection.services import COUNT_FIELDS
from howgood.core.forms import DateInput, LimitedFileField
from howgood.records.models import Exercise


class ExtractForm(forms.Form):
    file = LimitedFileField(
        label="Concern extract",
        help_text="A CSV file or Excel workbook from your case system, one row per child "
        "protection concern. No names, CHI numbers or dates of birth.",
        error_messages={"required": "Choose the extract file"},
    )


class CountsFileForm(forms.Form):
    file = LimitedFileField(
        label="Monthly counts",
        help_text="A CSV file or Excel workbook: a month column (like 2024-03) and a column for "
        "each count.",
        error_messages={"required": "Choose the file of monthly counts"},
    )


class ColumnsForm(forms.Form):
    """For each of HowGood's fields, which of the file's columns holds it."""

    def __init__(
        self, *args: Any, columns: list[str], guessed: dict[str, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not in this file")] + [
            (str(i), name or f"Column {i + 1}") for i, name in enumerate(columns)
        ]
        for name, label, required in FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=required,
                initial=str(guessed[name]) if name in guessed else "",
                error_messages={"required": f"Choose the column that holds the {label.lower()}"},
            )

    def chosen(self) -> dict[str, int]:
        return {
            name: int(value) for name, value in self.cleaned_data.items() if value not in ("", None)
        }


class SettingsForm(forms.ModelForm):
    class Meta:
        model = DataSettings
        fields = ["cppm_days", "reregistration_months"]
        error_messages = {
            "cppm_days": {"required": "Enter the number of days"},
            "reregistration_months": {"required": "Enter the number of months"},
        }

    def clean_cppm_days(self) -> int:
        value = self.cleaned_data["cppm_days"]
        if not 1 <= value <= 366:
            raise forms.ValidationError("Enter a number of days from 1 to 366")
        return int(value)

    def clean_reregistration_months(self) -> int:
        value = self.cleaned_data["reregistration_months"]
        if not 1 <= value <= 120:
            raise forms.ValidationError("Enter a number of months from 1 to 120")
        return int(value)


class PopulationForm(forms.Form):
    year = forms.IntegerField(
        label="Year", min_value=1990, error_messages={"required": "Enter the year"}
    )
    children = forms.IntegerField(
        label="Children aged 0 to 15",
        min_value=1,
        help_text="The mid-year population estimate (National Records of Scotland).",
        error_messages={"required": "Enter the number of children"},
    )
    source = forms.CharField(
        label="Source", max_length=200, required=False, help_text="For example NRS mid-2023"
    )


class ChangeForm(forms.Form):
    month = forms.DateField(
        label="First month under the new practice",
        widget=DateInput(),
        error_messages={"required": "Enter the date the practice changed"},
    )
    title = forms.CharField(
        label="What changed",
        max_length=200,
        help_text="For example: new inter-agency referral discussion guidance",
        error_messages={"required": "Say what changed"},
    )


class CountsForm(forms.Form):
    """A month's counts. The checks between them (no more re-classified than concerns, ...)
    are the service's, so they read the same from a file."""

    month_of = forms.DateField(
        label="Month",
        widget=DateInput(),
        help_text="Any day in the month",
        error_messages={"required": "Enter the month"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in COUNT_FIELDS:
            label = str(MonthlyCount._meta.get_field(name).verbose_name)
            self.fields[name] = forms.IntegerField(
                label=label[0].upper() + label[1:],
                min_value=0,
                initial=0,
                error_messages={
                    "required": f"Enter the number of {label.lower()} (0 if none)",
                    "min_value": "Enter 0 or more",
                },
            )


class SeriesForm(forms.Form):
    series = forms.ChoiceField(label="Series", choices=[(k, s.title) for k, s in SERIES.items()])


class SampleForm(forms.Form):
    exercise = forms.ModelChoiceField(
        label="Record-reading exercise",
        queryset=Exercise.objects.none(),
        help_text="Its case list is replaced by the re-classified concerns (before its sample "
        "is drawn).",
        error_messages={"required": "Choose the record-reading exercise"},
    )
    start = forms.DateField(
        label="From", widget=DateInput(), error_messages={"required": "Enter the first date"}
    )
    end = forms.DateField(
        label="To", widget=DateInput(), error_messages={"required": "Enter the last date"}
    )

    def __init__(self, *args: Any, exercises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises
        self.fields["end"].initial = timezone.localdate()
