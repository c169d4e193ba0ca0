from __future__ import annotations

from typing import Any

from django import forms

from howgood.core.forms import DateInput, LimitedFileField
from howgood.frameworks.models import InspectionStatement, QualityIndicator
from howgood.frameworks.selectors import default_framework
from howgood.partnerships.models import Activity, Agency
from howgood.selfevaluation.models import (
    AuditKind,
    ContributionKind,
    Document,
    DocumentType,
    ServiceAuditFinding,
)


def _framework_qis() -> Any:
    framework = default_framework()
    return (
        QualityIndicator.objects.filter(framework=framework)
        if framework
        else QualityIndicator.objects.none()
    )


def _qi_label(q: QualityIndicator) -> str:
    return f"{q.number} {q.title}"


class DocumentForm(forms.Form):
    file = LimitedFileField(
        label="File",
        help_text="PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG, up to "
        "10 MB. Files that can hold macros are not accepted.",
        error_messages={"required": "Choose the file to upload"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    type = forms.ChoiceField(
        label="Type of document",
        choices=DocumentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of document"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="The partnership",
    )
    dated = forms.DateField(
        label="Date of the document",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"required": "Enter the date of the document"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What it is and what it shows, in a few sentences",
        error_messages={"required": "Enter a short summary"},
    )
    quality_indicators = forms.ModelMultipleChoiceField(
        label="Quality indicators it is evidence for",
        queryset=QualityIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)
        qis = self.fields["quality_indicators"]
        qis.queryset = _framework_qis()
        qis.label_from_instance = _qi_label  # type: ignore[attr-defined]


class AuditForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the audit's title"}
    )
    kind = forms.ChoiceField(
        label="Kind", choices=AuditKind.choices, widget=forms.RadioSelect, initial="audit"
    )
    agency = forms.ModelChoiceField(
        label="Agency that ran it", queryset=Agency.objects.none(), required=False
    )
    dated = forms.DateField(
        label="Date",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"required": "Enter the date of the audit"},
    )
    summary = forms.CharField(
        label="Key findings",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the key findings"},
    )
    findings = forms.CharField(
        label="Findings to track (one per line, optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Each line is tracked on the register until it is closed",
    )
    document = forms.ModelChoiceField(
        label="Its report, from the evidence library (optional)",
        queryset=None,
        required=False,
        empty_label="None",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership)
        self.fields["document"].queryset = Document.objects.filter(partnership=partnership)


class FindingForm(forms.Form):
    text = forms.CharField(
        label="Finding",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the finding"},
    )
    action = forms.CharField(label="Action agreed (optional)", max_length=2000, required=False)
    repeat_of = forms.ModelChoiceField(
        label="The same finding was made before, in (optional)",
        queryset=None,
        required=False,
        empty_label="No: it is new",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        repeat = self.fields["repeat_of"]
        repeat.queryset = ServiceAuditFinding.objects.filter(
            audit__partnership=partnership
        ).select_related("audit")
        repeat.label_from_instance = lambda f: f"{f.audit.title}: {f.text[:80]}"  # type: ignore[attr-defined]


class CloseFindingForm(forms.Form):
    closed_on = forms.DateField(
        label="Closed on",
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
        error_messages={"required": "Enter the date it was closed"},
    )
    action_status = forms.CharField(label="What was done", max_length=200, required=False)


class WorkshopForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the workshop's title"}
    )
    activity = forms.ModelChoiceField(
        label="The workshop in the programme",
        queryset=Activity.objects.none(),
        required=False,
        empty_label="Not in the programme",
    )
    held_on = forms.DateField(
        label="Date (if not in the programme)",
        required=False,
        widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
    )
    quality_indicators = forms.ModelMultipleChoiceField(
        label="Quality indicators to evaluate",
        queryset=QualityIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statements = forms.ModelMultipleChoiceField(
        label="Inspection statements to evaluate",
        queryset=InspectionStatement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(
            partnership=partnership, type="workshop", workshop__isnull=True
        )
        qis = self.fields["quality_indicators"]
        qis.queryset = _framework_qis()
        qis.label_from_instance = _qi_label  # type: ignore[attr-defined]
        framework = default_framework()
        statements = self.fields["statements"]
        statements.queryset = InspectionStatement.objects.filter(framework=framework)
        statements.label_from_instance = lambda s: f"{s.number}. {s.short_title}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("quality_indicators") and not data.get("statements"):
            self.add_error(
                "quality_indicators",
                "Choose at least one quality indicator or inspection statement",
            )
        return data


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you adding?",
        choices=ContributionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are adding"},
    )
    text = forms.CharField(
        label="Your contribution",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write your contribution"},
    )


class EvaluationForm(forms.Form):
    level = forms.TypedChoiceField(
        label="The group's evaluation",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the evaluation the group reached"},
    )
    reasons = forms.CharField(
        label="The group's reasons",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the group's reasons"},
    )

    def __init__(self, *args: Any, words: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(n, f"{n} {words.get(n, '')}") for n in range(6, 0, -1)]


class StatementForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        initial="Position statement",
        error_messages={"required": "Enter a title"},
    )


class SectionForm(forms.Form):
    now = forms.CharField(
        label="How good are we now?",
        widget=forms.Textarea(attrs={"rows": 8, "data-hg-words": ""}),
        required=False,
    )
    how_know = forms.CharField(
        label="How do we know?",
        widget=forms.Textarea(attrs={"rows": 8, "data-hg-words": ""}),
        required=False,
        help_text="Put an evidence marker like [evidence 12] where the evidence belongs: it "
        "shows with its current numbers.",
    )
    next = forms.CharField(
        label="What do we plan to do next?",
        widget=forms.Textarea(attrs={"rows": 6, "data-hg-words": ""}),
        required=False,
    )


class EvidenceForm(forms.Form):
    """Pick live evidence: the choices are the partnership's own results."""

    target = forms.ChoiceField(
        label="Evidence",
        error_messages={"required": "Choose the evidence"},
    )
    note = forms.CharField(label="Note (optional, for yourselves)", max_length=300, required=False)

    def __init__(
        self, *args: Any, choices: list[tuple[str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", "Choose evidence"), *choices]


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write your comment"},
    )


class NextStepForm(forms.Form):
    text = forms.CharField(
        label="The step to add to the plan as a draft action",
        max_length=300,
        error_messages={"required": "Write the step to add to the plan"},
    )
