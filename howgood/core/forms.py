"""Form rendering in the Scottish Government Design System's markup.

Every Django form renders through these templates (settings.FORM_RENDERER): a question
wrapper with label, hint, error message and the right widget markup; fieldsets with a
legend for radios and checkboxes. Pages show an error summary with ``{% error_summary %}``.
"""

from __future__ import annotations

from typing import Any

from django import forms
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
