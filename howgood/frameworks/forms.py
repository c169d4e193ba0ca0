"""The one form in frameworks: an indicator's themes and illustrations from one's own copy.

The rules (the copy must be named, limits, something to save) live in
``services.indicator_fill_in``; this form turns the themes typed one to a line into a
list, naming any line that is too long.
"""

from __future__ import annotations

from typing import Any

from django import forms

from howgood.frameworks import services
from howgood.frameworks.models import IndicatorContent


class IndicatorFillInForm(forms.Form):
    copied_from = forms.CharField(
        label="Which copy of the framework did you copy from?",
        help_text=(
            "Its title, edition or date, and the page, for example “Quality framework for "
            "children and young people in need of care and protection, 2019 (revised), page "
            "23”. The indicator's page shows this beside what you type."
        ),
        error_messages={
            "required": (
                "Say which copy of the framework you copied from: its title, edition and page."
            )
        },
    )
    themes = forms.CharField(
        label="Themes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="One theme on each line, as your copy lists them for this indicator.",
    )
    illustration_very_good = forms.CharField(
        label="Illustration of very good practice (level 5)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Copy it word for word. Leave a blank line between paragraphs.",
    )
    illustration_weak = forms.CharField(
        label="Illustration of weak practice (level 2)",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Copy it word for word. Leave a blank line between paragraphs.",
    )

    @staticmethod
    def initial_from(content: IndicatorContent | None) -> dict[str, Any]:
        if content is None:
            return {}
        return {
            "copied_from": content.copied_from,
            "themes": "\n".join(content.themes),
            "illustration_very_good": content.illustration_very_good,
            "illustration_weak": content.illustration_weak,
        }

    def clean_themes(self) -> list[str]:
        try:
            return services.themes_from_text(self.cleaned_data.get("themes") or "")
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["themes"]) from None
