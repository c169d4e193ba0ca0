from __future__ import annotations

from typing import Any

from django import forms

from howgood.governance.services import MAX_SECTION


class DraftTextForm(forms.Form):
    """One text box per section of a draft, under the section's heading."""

    def __init__(self, *args: Any, sections: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[section["key"]] = forms.CharField(
                label=section["heading"],
                required=False,
                initial=section["text"],
                max_length=MAX_SECTION,
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={
                    "max_length": f"Keep {section['heading']} under {MAX_SECTION:,} characters."
                },
            )

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.fields}
