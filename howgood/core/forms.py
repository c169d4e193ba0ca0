"""Form rendering in the Scottish Government Design System's markup.

Every Django form renders through these templates (settings.FORM_RENDERER): a question
wrapper with label, hint, error message and the right widget markup; fieldsets with a
legend for radios and checkboxes. Pages show an error summary with ``{% error_summary %}``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting


class DesignSystemFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def widget_kind(field: forms.BoundField) -> str:
    """A short name for the markup a field needs."""
    widget = field.field.widget
    # CheckboxSelectMultiple is a subclass of RadioSelect in Django: test it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def add_validation_error(form: forms.BaseForm, error: forms.ValidationError) -> None:
    """Show a service's ValidationError on a form: field errors by their field (when the
    form has it), everything else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def size_words(size: int) -> str:
    """A file size as people say it: "10 MB", "512 KB", "1,000 bytes"."""
    for unit, step in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= step:
            return f"{size / step:,.{0 if size % step == 0 else 1}f} {unit}"
    return f"{size:,} bytes"


def too_large(limit: int | None = None) -> str:
    """The one message for a file over the upload limit."""
    limit = settings.HOWGOOD_MAX_UPLOAD_BYTES if limit is None else limit
    return f"The file is larger than {size_words(limit)}. Upload a smaller one."


class LimitedFileField(forms.FileField):
    """A file upload refused when it is over ``HOWGOOD_MAX_UPLOAD_BYTES``, by the size the
    upload already knows, before anything reads it into memory."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value.size > settings.HOWGOOD_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large(), code="too_large")
