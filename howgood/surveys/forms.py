from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from howgood.core.forms import DateInput
from howgood.partnerships.models import Agency
from howgood.questionnaires.models import QuestionnaireVersion
from howgood.surveys.models import AccessMode

SURVEY_KINDS = ("staff_survey", "children_survey", "carers_survey", "other")


class SurveyForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example: Staff survey, spring 2026",
        error_messages={"required": "Enter a title for the survey"},
    )
    version = forms.ModelChoiceField(
        label="Questionnaire",
        queryset=QuestionnaireVersion.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the questionnaire"},
    )
    audience = forms.ModelMultipleChoiceField(
        label="Agencies taking part",
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Staff choose their agency when they start; headcounts give the response rates.",
    )
    opens_on = forms.DateField(
        label="Opens on",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={
            "required": "Enter the opening date",
            "invalid": "Enter the opening date as a real date, like 2026-03-02",
        },
    )
    closes_on = forms.DateField(
        label="Closes on",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        help_text="Three weeks is usual.",
        error_messages={
            "required": "Enter the closing date",
            "invalid": "Enter the closing date as a real date, like 2026-03-22",
        },
    )
    access_mode = forms.ChoiceField(
        label="How do people get in?",
        choices=AccessMode.choices,
        widget=forms.RadioSelect,
        initial=AccessMode.LINK,
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = QuestionnaireVersion.objects.filter(
            Q(questionnaire__partnership=partnership) | Q(questionnaire__partnership__isnull=True),
            status="published",
            questionnaire__kind__in=SURVEY_KINDS,
        ).select_related("questionnaire")
        self.fields["version"].label_from_instance = lambda v: f"{v.title} (version {v.number})"
        self.fields["audience"].queryset = Agency.objects.filter(partnership=partnership)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error(
                "closes_on", "The closing date must be the same as or after the opening date"
            )
        return data


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label="How many codes?",
        min_value=1,
        max_value=2000,
        initial=50,
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-4"}),
        error_messages={
            "min_value": "Make at least 1 code",
            "max_value": "Make up to 2,000 codes at a time",
            "required": "Enter how many codes to make",
        },
    )


class StartForm(forms.Form):
    """The survey's first page: the respondent's agency (staff surveys) and, if needed, a code."""

    agency = forms.ModelChoiceField(
        label="Which agency do you work for?",
        queryset=Agency.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the agency you work for"},
    )
    code = forms.CharField(
        label="Access code",
        max_length=20,
        required=False,
        help_text="The code on the card or letter you were given, like K7QP-3XMA.",
        widget=forms.TextInput(
            attrs={
                "class": "ds_input--fixed-10",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, survey: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        audience = survey.audience.all()
        if survey.is_staff_survey and audience.exists():
            self.fields["agency"].queryset = audience
        else:
            del self.fields["agency"]
        if not survey.uses_codes:
            del self.fields["code"]
        elif not survey.uses_link:
            self.fields["code"].required = True
            self.fields["code"].error_messages["required"] = "Enter your access code"
        else:
            self.fields["code"].label = "Access code (if you were given one)"


class ResumeForm(forms.Form):
    code = forms.CharField(
        label="Your resume code",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "ds_input--fixed-10", "autocomplete": "off"}),
        error_messages={"required": "Enter the resume code you were given"},
    )
