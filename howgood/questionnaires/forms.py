from __future__ import annotations

from typing import Any

from django import forms

from howgood.core.forms import too_large
from howgood.questionnaires.models import QuestionnaireKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.xls,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class UploadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text="Leave blank to use the title in the file's settings sheet.",
    )
    kind = forms.ChoiceField(
        label="What is it for?",
        choices=QuestionnaireKind.choices,
        widget=forms.RadioSelect,
        initial=QuestionnaireKind.OTHER,
        error_messages={"required": "Choose what the questionnaire is for"},
    )
    files = MultipleFileField(
        label="XLSForm or REDCap file",
        help_text="An XLSForm workbook (.xlsx or .xls), an XLSForm as CSV (one file, or survey.csv, choices.csv "
        "and settings.csv together), or a REDCap data dictionary (.csv). Up to 10 MB.",
        error_messages={"required": "Choose a file to upload"},
    )

    def __init__(
        self, *args: Any, with_meta: bool = True, max_bytes: int = 10 * 1024 * 1024, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        if not with_meta:
            del self.fields["title"]
            del self.fields["kind"]

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Choose a file to upload")
        for f in files:
            if f.size > self.max_bytes:
                raise forms.ValidationError(f"{f.name}: {too_large(self.max_bytes)}")
            if not f.name.lower().endswith((".xlsx", ".xls", ".csv")):
                raise forms.ValidationError(
                    f"{f.name} must be an Excel workbook (.xlsx or .xls) or a CSV file"
                )
        return files
