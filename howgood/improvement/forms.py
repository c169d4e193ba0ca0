from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from howgood.core.forms import DateInput, LimitedFileField
from howgood.frameworks.models import QualityIndicator
from howgood.frameworks.selectors import default_framework
from howgood.improvement.models import (
    ActionStatus,
    ChartKind,
    Frequency,
    Improvement,
    Measure,
    MeasureType,
    PdsaAct,
    Priority,
    RuleSet,
)
from howgood.partnerships.models import Membership
from howgood.records.models import Conclusion


def _members(partnership: Any) -> Any:
    return Membership.objects.filter(partnership=partnership, is_active=True).select_related(
        "user", "agency"
    )


def _member_label(m: Membership) -> str:
    return f"{m.user.full_name} ({m.agency.name})" if m.agency_id else m.user.full_name


class PlanForm(forms.Form):
    title = forms.CharField(
        label="Name of the plan",
        max_length=200,
        help_text="For example: Forthvale joint improvement plan 2026 to 2027",
        error_messages={"required": "Enter a name for the plan"},
    )
    childrens_services_plan = forms.CharField(
        label="The children's services plan it aligns to (optional)", max_length=200, required=False
    )
    starts_on = forms.DateField(
        label="Starts on",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"required": "Enter the date the plan starts"},
    )
    ends_on = forms.DateField(
        label="Ends on",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"required": "Enter the date the plan ends"},
    )


class PriorityForm(forms.Form):
    title = forms.CharField(
        label="Priority",
        max_length=200,
        error_messages={"required": "Enter the priority"},
    )
    csp_priority = forms.CharField(
        label="Children's services plan priority it serves (optional)",
        max_length=200,
        required=False,
    )


class ActionForm(forms.Form):
    title = forms.CharField(
        label="Action",
        max_length=300,
        help_text="What will be done, in a sentence: for example, 'Hold an inter-agency "
        "referral discussion (IRD) within 24 hours for 90% of child protection concerns by "
        "March 2027'",
        error_messages={"required": "Enter the action"},
    )
    description = forms.CharField(
        label="More detail (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="By whom, for whom, and what will be different",
    )
    priority = forms.ModelChoiceField(
        label="Priority", queryset=Priority.objects.none(), required=False, empty_label="None"
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Not yet named",
    )
    starts_on = forms.DateField(
        label="Starts on (optional)",
        required=False,
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
    )
    due_on = forms.DateField(
        label="Due on",
        required=False,
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"invalid": "Enter the due date as a real date, like 2027-03-31"},
    )
    measure = forms.ModelChoiceField(
        label="Measure that will show it worked",
        queryset=Measure.objects.none(),
        required=False,
        empty_label="None yet",
    )
    quality_indicators = forms.ModelMultipleChoiceField(
        label="Quality indicators it addresses",
        queryset=QualityIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.CharField(
        label="Other areas for improvement it addresses (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For example, from a self-evaluation workshop",
    )
    findings = forms.ModelMultipleChoiceField(
        label="Areas for improvement from record reading it addresses",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = plan.priorities.all()
        owner = self.fields["owner"]
        owner.queryset = _members(plan.partnership)
        owner.label_from_instance = _member_label  # type: ignore[attr-defined]
        self.fields["measure"].queryset = Measure.objects.filter(partnership=plan.partnership)
        framework = default_framework()
        qis = self.fields["quality_indicators"]
        qis.queryset = (
            QualityIndicator.objects.filter(framework=framework)
            if framework
            else QualityIndicator.objects.none()
        )
        qis.label_from_instance = lambda q: f"{q.number} {q.title}"  # type: ignore[attr-defined]
        findings = Conclusion.objects.filter(
            exercise__partnership=plan.partnership, kind="improvement", status="accepted"
        )
        self.fields["findings"].queryset = findings
        self.fields["findings"].label_from_instance = lambda f: f.text  # type: ignore[attr-defined]
        if not findings.exists():
            del self.fields["findings"]


class ProgressForm(forms.Form):
    text = forms.CharField(
        label="What has happened since the last update?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what has happened since the last update"},
    )
    progress = forms.IntegerField(
        label="How far through is it? (percentage, optional)",
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-4"}),
        error_messages={
            "min_value": "Enter a percentage from 0 to 100",
            "max_value": "Enter a percentage from 0 to 100",
            "invalid": "Enter a percentage from 0 to 100, as a whole number",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "No change"), *ActionStatus.choices],
        required=False,
    )


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "title",
            "type",
            "definition",
            "numerator",
            "denominator",
            "frequency",
            "improvement",
            "target",
            "owner",
            "chart",
            "rules",
            "multiply",
            "baseline_points",
        ]
        widgets = {
            "type": forms.RadioSelect,
            "definition": forms.Textarea(attrs={"rows": 3}),
            "frequency": forms.RadioSelect,
            "improvement": forms.RadioSelect,
            "chart": forms.RadioSelect,
            "rules": forms.RadioSelect,
            "target": forms.NumberInput(attrs={"class": "ds_input--fixed-10"}),
            "multiply": forms.NumberInput(attrs={"class": "ds_input--fixed-4"}),
            "baseline_points": forms.NumberInput(attrs={"class": "ds_input--fixed-4"}),
        }
        labels = {
            "title": "Name of the measure",
            "type": "Type of measure",
            "target": "Target (optional, in the units shown on the chart)",
            "chart": "Chart",
            "rules": "Rules for signals",
            "baseline_points": "Baseline: freeze the centre line on the first this many points "
            "(optional)",
        }
        error_messages = {
            "title": {"required": "Enter a name for the measure"},
            "type": {"required": "Choose the type of measure"},
            "definition": {"required": "Enter the operational definition"},
            "numerator": {"required": "Say what is counted"},
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = _members(partnership)  # type: ignore[attr-defined]
        owner.label_from_instance = _member_label  # type: ignore[attr-defined]
        owner.empty_label = "Not yet named"  # type: ignore[attr-defined]
        self.fields["type"].choices = MeasureType.choices  # type: ignore[attr-defined]
        self.fields["frequency"].choices = Frequency.choices  # type: ignore[attr-defined]
        self.fields["improvement"].choices = Improvement.choices  # type: ignore[attr-defined]
        self.fields["chart"].choices = ChartKind.choices  # type: ignore[attr-defined]
        self.fields["rules"].choices = RuleSet.choices  # type: ignore[attr-defined]


class PointForm(forms.Form):
    period = forms.DateField(
        label="Period (any date in it)",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={
            "required": "Enter the period the value is for",
            "invalid": "Enter the period as a real date, like 2026-11-01",
        },
    )
    numerator = forms.DecimalField(
        label="Value",
        max_digits=14,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-10", "step": "any"}),
        error_messages={"required": "Enter the value", "invalid": "Enter the value as a number"},
    )
    denominator = forms.DecimalField(
        label="Out of",
        max_digits=14,
        decimal_places=4,
        required=False,
        widget=forms.NumberInput(attrs={"class": "ds_input--fixed-10", "step": "any"}),
        error_messages={"invalid": "Enter the denominator as a number"},
    )
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["numerator"].label = measure.numerator[:120] or "Value"
        if measure.has_denominator:
            self.fields["denominator"].label = measure.denominator[:120]
            self.fields["denominator"].required = True
            self.fields["denominator"].error_messages["required"] = "Enter the denominator"
        else:
            del self.fields["denominator"]


class ImportForm(forms.Form):
    file = LimitedFileField(
        label="Data file",
        help_text="A CSV file or Excel workbook with the columns period, value and (for "
        "proportions and rates) out_of, and optionally note. One row per period; a period "
        "already on the chart is replaced.",
        error_messages={"required": "Choose the file to import"},
    )


class PhaseForm(forms.Form):
    starts_on = forms.DateField(
        label="The new phase starts in the period of",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"required": "Enter when the new phase starts"},
    )
    label = forms.CharField(
        label="What changed", max_length=200, error_messages={"required": "Say what changed"}
    )


class AnnotationForm(forms.Form):
    on = forms.DateField(
        label="Date",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        initial=date.today,
        error_messages={"required": "Enter the date of the note"},
    )
    text = forms.CharField(
        label="Note", max_length=300, error_messages={"required": "Enter the note"}
    )


class DiagramForm(forms.Form):
    title = forms.CharField(
        label="Name of the diagram", max_length=200, error_messages={"required": "Enter a name"}
    )
    aim = forms.CharField(
        label="Aim",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What are we trying to accomplish? How much, by when, for whom.",
        error_messages={"required": "Enter the aim"},
    )


class DriverForm(forms.Form):
    text = forms.CharField(
        label="Driver", max_length=300, error_messages={"required": "Enter the driver"}
    )
    parent = forms.ModelChoiceField(
        label="It is a secondary driver of (leave empty for a primary driver)",
        queryset=None,
        required=False,
        empty_label="None: a primary driver",
    )

    def __init__(self, *args: Any, diagram: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = diagram.drivers.filter(parent__isnull=True)


class ChangeIdeaForm(forms.Form):
    text = forms.CharField(
        label="Change idea", max_length=300, error_messages={"required": "Enter the change idea"}
    )
    driver = forms.ModelChoiceField(
        label="Driver it works on",
        queryset=None,
        empty_label="Choose a driver",
        error_messages={"required": "Choose the driver it works on"},
    )
    measures = forms.ModelMultipleChoiceField(
        label="Measures that will show its effect",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, diagram: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = diagram.drivers.all()
        self.fields["measures"].queryset = Measure.objects.filter(partnership=diagram.partnership)


class PdsaPlanForm(forms.Form):
    title = forms.CharField(
        label="What this cycle tests",
        max_length=200,
        error_messages={"required": "Enter what this cycle tests"},
    )
    objective = forms.CharField(
        label="Objective",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the objective of the cycle"},
    )
    questions_predictions = forms.CharField(
        label="Questions and predictions",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What do you want to learn, and what do you predict will happen?",
        error_messages={"required": "Enter your questions and predictions"},
    )
    who = forms.CharField(label="Who", max_length=300, required=False)
    what = forms.CharField(label="What", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    where = forms.CharField(label="Where", max_length=300, required=False)
    starts_on = forms.DateField(
        label="When (the test starts)",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"required": "Enter when the test starts"},
    )
    data_to_collect = forms.CharField(
        label="Data to collect", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class PdsaWriteUpForm(forms.Form):
    what_happened = forms.CharField(
        label="Do: what happened?", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    problems = forms.CharField(
        label="Do: problems and unexpected observations",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    study = forms.CharField(
        label="Study: how do the results compare with the predictions?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    act = forms.ChoiceField(
        label="Act: what will you do?",
        choices=[("", "Not decided yet"), *PdsaAct.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    next_cycle = forms.CharField(
        label="Act: what will the next cycle test?",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
