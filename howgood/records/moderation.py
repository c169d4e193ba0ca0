"""The moderation form: the pair's two readings side by side, an agreed answer and a note
for every difference."""

from __future__ import annotations

from typing import Any

from django import forms

from howgood.questionnaires.rendering import VersionTree, display_value, field_for, relevant


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return sorted(a or []) == sorted(b or [])
    return ((a in (None, "", [])) and (b in (None, "", []))) or a == b


class ModerationForm(forms.Form):
    """One row per item that either reading answered; fields only where they differ."""

    def __init__(
        self,
        *args: Any,
        tree: VersionTree,
        first: dict[str, Any],
        second: dict[str, Any],
        agreed: dict[str, Any],
        notes: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tree, self.first, self.second = tree, first, second
        self.rows: list[dict[str, Any]] = []
        self.differences: list[str] = []
        for section in tree.sections:
            for item in tree.section_items(section):
                if item.type == "note":
                    continue
                a, b = first.get(item.name), second.get(item.name)
                if a in (None, "", []) and b in (None, "", []):
                    continue
                differs = not _same(a, b)
                row = {
                    "item": item,
                    "section": section,
                    "first": display_value(tree, item, a),
                    "second": display_value(tree, item, b),
                    "differs": differs,
                }
                if differs:
                    self.differences.append(item.name)
                    field = field_for(item, tree.choices.get(item.choice_list_id or 0, []))
                    assert field is not None
                    field.label = f"Agreed answer: {item.label}"
                    field.required = False  # checked only when completing (check_complete)
                    field.widget.attrs["aria-required"] = "true"
                    self.fields[f"agreed__{item.name}"] = field
                    self.initial[f"agreed__{item.name}"] = agreed.get(item.name)
                    self.fields[f"note__{item.name}"] = forms.CharField(
                        label="Why this answer",
                        required=False,
                        max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 2, "aria-required": "true"}),
                    )
                    self.initial[f"note__{item.name}"] = notes.get(item.name, "")
                    row["agreed_field"] = f"agreed__{item.name}"
                    row["note_field"] = f"note__{item.name}"
                self.rows.append(row)

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {
                **r,
                "agreed": self[r["agreed_field"]] if r.get("agreed_field") else None,
                "note": self[r["note_field"]] if r.get("note_field") else None,
            }
            for r in self.rows
        ]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(f"agreed__{name}") for name in self.differences}

    def notes(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(f"note__{name}", "") for name in self.differences}

    def check_complete(self, agreed_so_far: dict[str, Any]) -> bool:
        """For completing: every difference that applies has an agreed answer and a note."""
        merged = {**agreed_so_far, **self.values()}
        ok = True
        for name in self.differences:
            item = next(r["item"] for r in self.rows if r["item"].name == name)
            if not relevant(item.relevant, merged):
                continue
            if self.cleaned_data.get(f"agreed__{name}") in (None, "", []):
                self.add_error(f"agreed__{name}", f"Choose the agreed answer to: {item.label[:70]}")
                ok = False
            if not (self.cleaned_data.get(f"note__{name}") or "").strip():
                self.add_error(
                    f"note__{name}", f"Say why you agreed this answer to: {item.label[:60]}"
                )
                ok = False
        return ok
