"""Turn a section of a questionnaire version into a Django form, and back into answers.

Skip logic is applied on the server: an item whose ``relevant`` is false given the answers
so far is not validated and its answer is dropped. Every item is rendered with its
expression as a JSON tree in ``data-relevant`` so the browser can show and hide it live
(static/js/hg-expressions.js); without JavaScript, a follow-up question appears after the
person presses Continue.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django import forms
from django.db.models import Prefetch
from django.utils import timezone

from howgood.core.forms import DateInput
from howgood.frameworks.models import InspectionStatement, QualityIndicator
from howgood.questionnaires import expressions
from howgood.questionnaires.models import Item, QuestionnaireVersion, Section

SHOWN_FIELD = "_shown"


@lru_cache(maxsize=4096)
def parsed(text: str) -> expressions.Node:
    """Parse once per process; expressions are immutable so the cache is safe."""
    return expressions.parse(text)


def relevant(text: str, answers: Mapping[str, Any]) -> bool:
    if not text:
        return True
    return expressions.evaluate(parsed(text), answers, today=timezone.localdate())


def relevant_json(text: str) -> str:
    return json.dumps(expressions.to_json(parsed(text))) if text else ""


_PUBLISHED_KEPT = 32
_published_trees: dict[tuple[int, str], VersionTree] = {}
_published_lock = threading.Lock()


@dataclass
class VersionTree:
    """A version's sections with their items and choices, loaded in a fixed number of queries."""

    version: QuestionnaireVersion
    sections: list[Section]
    items: list[Item]
    choices: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    # Whether any section or question shows, hides or checks itself by the answers: if none
    # does, a page of answers is checked without reading the answers given elsewhere.
    uses_answers: bool = True

    @classmethod
    def load(cls, version: QuestionnaireVersion) -> VersionTree:
        sections = list(version.sections.all())

        # Only the tag fields: the framework's long texts (themes, illustrations) stay behind.
        items = list(
            version.items.select_related("choice_list").prefetch_related(
                Prefetch(
                    "quality_indicators",
                    queryset=QualityIndicator.objects.only("id", "number", "title"),
                ),
                Prefetch(
                    "statements",
                    queryset=InspectionStatement.objects.only(
                        "id", "number", "short_title", "text"
                    ),
                ),
            )
        )
        choices: dict[int, list[tuple[str, str]]] = {}
        for cl in version.choice_lists.prefetch_related("choices"):
            choices[cl.pk] = [(c.name, c.label) for c in cl.choices.all()]
        by_section: dict[int, list[Item]] = {}
        for item in items:
            by_section.setdefault(item.section_id, []).append(item)
        for section in sections:
            section.item_list = by_section.get(section.pk, [])  # type: ignore[attr-defined]
        uses_answers = any(s.relevant for s in sections) or any(
            i.relevant or i.constraint for i in items
        )
        return cls(
            version=version,
            sections=sections,
            items=items,
            choices=choices,
            uses_answers=uses_answers,
        )

    @classmethod
    def published(cls, version: QuestionnaireVersion) -> VersionTree:
        """The tree of a published version, kept per process after the first load.

        A published version is frozen (its sections, items and choices never change), so
        the copy cannot go stale, and every process keeps its own: nothing is shared
        between processes or written. For pages that answer a questionnaire many times
        over (a survey's public pages); drafts are loaded afresh every time.
        """
        if version.status != "published" or version.published_at is None:
            return cls.load(version)
        # The time of publishing too: an id can come round again after a rollback.
        key = (version.pk, version.published_at.isoformat())
        with _published_lock:
            tree = _published_trees.get(key)
        if tree is None:
            tree = cls._keep(key, cls.load(version))
        return tree

    @classmethod
    def published_by_id(cls, version_id: int, published_at: datetime | None) -> VersionTree:
        """The tree of a published version known only by its id and time of publishing
        (read beside a row that points at it), with ``tree.version`` and its questionnaire:
        after the first call in a process, no query at all. Anything else (a draft, or a
        version published at another time than the one asked for) is loaded afresh."""
        key = (version_id, published_at.isoformat()) if published_at is not None else None
        with _published_lock:
            tree = _published_trees.get(key) if key is not None else None
        if tree is not None:
            return tree
        version = QuestionnaireVersion.objects.select_related("questionnaire").get(pk=version_id)
        if (
            key is None
            or version.status != "published"
            or version.published_at is None
            or version.published_at.isoformat() != key[1]
        ):
            return cls.load(version)
        return cls._keep(key, cls.load(version))

    @classmethod
    def _keep(cls, key: tuple[int, str], tree: VersionTree) -> VersionTree:
        with _published_lock:
            tree = _published_trees.setdefault(key, tree)
            while len(_published_trees) > _PUBLISHED_KEPT:
                _published_trees.pop(next(iter(_published_trees)))
        return tree

    def section_items(self, section: Section) -> list[Item]:
        return section.item_list  # type: ignore[attr-defined]

    def relevant_sections(self, answers: Mapping[str, Any]) -> list[Section]:
        return [s for s in self.sections if relevant(s.relevant, answers)]

    def next_section(self, index: int, answers: Mapping[str, Any]) -> int | None:
        """The index of the next section that applies after ``index``, or None at the end."""
        return next(
            (i for i, s in enumerate(self.sections) if i > index and relevant(s.relevant, answers)),
            None,
        )

    def position(self, index: int, answers: Mapping[str, Any]) -> tuple[int, int]:
        """ "Part N of M": the section's place among the sections that apply, and their number."""
        sections = self.relevant_sections(answers)
        current = self.sections[index].pk
        place = next((n for n, s in enumerate(sections, 1) if s.pk == current), index + 1)
        return place, len(sections)

    def choice_label(self, item: Item, name: str) -> str:
        return dict(self.choices.get(item.choice_list_id or 0, [])).get(name, name)


def _required_message(item: Item) -> str:
    """Say which question needs an answer, so the error summary makes sense on its own."""
    if item.required_message:
        return item.required_message
    label = item.label.strip().rstrip("?.:")
    short = label if len(label) <= 70 else label[:67].rsplit(" ", 1)[0] + "…"
    if item.type == "select_one":
        return f"Select an answer to: {short}"
    if item.type == "select_multiple":
        return f"Select at least one answer to: {short}"
    if item.type == "date":
        return f"Enter a date for: {short}"
    return f"Answer: {short}"


def _limit_messages(item: Any) -> dict[str, str]:
    """The messages for a number outside the limits read from its constraint: the form's own
    constraint message when its author wrote one ("Enter a number from 0 to 50"), else ours."""
    if item.constraint_message:
        own = item.constraint_message.replace("%", "%%")  # Django fills in %(limit_value)s
        return {"min_value": own, "max_value": own}
    return {
        "min_value": "Enter a number of %(limit_value)s or more",
        "max_value": "Enter a number of %(limit_value)s or less",
    }


def _limit(value: Any, item_type: str) -> Any:
    """Limits come from the database as Decimal('50.000000'): show them as people wrote them."""
    if value is None:
        return None
    if item_type == "integer":
        return int(value)
    normalised = value.normalize()
    return normalised.quantize(1) if normalised == normalised.to_integral() else normalised


def field_for(item: Item, choices: Sequence[tuple[str, str]]) -> forms.Field | None:
    """The Django form field for one item (None for notes)."""
    common: dict[str, Any] = {
        "label": item.label,
        "help_text": item.hint,
        "required": False,  # required-ness depends on relevance: checked in SectionForm.clean
    }
    messages = {"required": _required_message(item)}
    if item.type == "note":
        return None
    if item.type == "text":
        multiline = "multiline" in item.appearance or (item.max_length or 0) > 200
        return forms.CharField(
            max_length=item.max_length,
            min_length=item.min_length,
            widget=forms.Textarea(attrs={"rows": 5}) if multiline else forms.TextInput(),
            error_messages={
                **messages,
                "max_length": f"Answer in {item.max_length} characters or fewer",
                "min_length": f"Answer in {item.min_length} characters or more",
            },
            **common,
        )
    if item.type == "integer":
        return forms.IntegerField(
            min_value=_limit(item.min_value, "integer"),
            max_value=_limit(item.max_value, "integer"),
            widget=forms.NumberInput(attrs={"class": "ds_input--fixed-10", "inputmode": "numeric"}),
            error_messages={
                **messages,
                "invalid": "Enter a whole number, like 12",
                **_limit_messages(item),
            },
            **common,
        )
    if item.type == "decimal":
        return forms.DecimalField(
            min_value=_limit(item.min_value, "decimal"),
            max_value=_limit(item.max_value, "decimal"),
            widget=forms.NumberInput(
                attrs={"class": "ds_input--fixed-10", "inputmode": "decimal", "step": "any"}
            ),
            error_messages={
                **messages,
                "invalid": "Enter a number, like 2.5",
                **_limit_messages(item),
            },
            **common,
        )
    if item.type == "date":
        return forms.DateField(
            widget=DateInput(attrs={"class": "ds_input--fixed-10"}),
            error_messages={**messages, "invalid": "Enter a real date, like 2026-03-27"},
            **common,
        )
    if item.type == "select_one":
        widget: forms.Widget = (
            forms.Select()
            if ("minimal" in item.appearance or len(choices) > 12)
            else forms.RadioSelect()
        )
        field_choices = list(choices)
        if isinstance(widget, forms.Select):
            field_choices = [("", "Choose an answer"), *field_choices]
        return forms.ChoiceField(
            choices=field_choices,
            widget=widget,
            error_messages={**messages, "invalid_choice": "Select one of the answers shown"},
            **common,
        )
    if item.type == "select_multiple":
        return forms.MultipleChoiceField(
            choices=list(choices),
            widget=forms.CheckboxSelectMultiple(),
            error_messages={**messages, "invalid_choice": "Select answers from the list shown"},
            **common,
        )
    raise ValueError(f"Unknown item type {item.type}")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class SectionForm(forms.Form):
    """The questions of one section. ``answers`` are the answers given elsewhere so far."""

    def __init__(
        self,
        *args: Any,
        tree: VersionTree,
        section: Section,
        answers: Mapping[str, Any],
        **kwargs: Any,
    ) -> None:
        self.tree, self.section = tree, section
        self.previous = dict(answers)
        self.items = tree.section_items(section)
        initial = {i.name: answers[i.name] for i in self.items if i.name in answers}
        kwargs.setdefault("initial", initial)
        kwargs.setdefault("prefix", None)
        super().__init__(*args, **kwargs)
        self.entries: list[dict[str, Any]] = []
        visible_now = {i.name for i in self.items if relevant(i.relevant, self.previous)}
        for item in self.items:
            f = field_for(item, tree.choices.get(item.choice_list_id or 0, []))
            if f is not None:
                if item.required:
                    f.widget.attrs["aria-required"] = "true"
                self.fields[item.name] = f
            self.entries.append(
                {
                    "item": item,
                    "field_name": item.name if f is not None else None,
                    "relevant_json": relevant_json(item.relevant),
                    "hidden": item.name not in visible_now,
                }
            )
        self.shown_names = visible_now
        self.newly_shown: list[Item] = []
        self.answers: dict[str, Any] = {}

    @property
    def shown_value(self) -> str:
        """Which items the person could see: sent back so the server knows what is new."""
        return " ".join(sorted(self.shown_names))

    def partial_values(self) -> dict[str, Any]:
        """Answers that are valid on their own, for "save and come back later" and autosave.

        Required answers may be missing; an invalid answer is left out (its earlier value
        is kept); an item that no longer applies is cleared.
        """
        merged = dict(self.previous)
        values: dict[str, Any] = {}
        for item in self.items:
            if item.type == "note":
                continue
            field = self.fields[item.name]
            raw = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(item.name)
            )
            try:
                value = field.clean(raw)
            except forms.ValidationError:
                continue
            values[item.name] = value
            merged[item.name] = value
        for item in self.items:
            if item.type != "note" and not relevant(item.relevant, merged):
                values[item.name] = None
        return values

    def text_answers(self) -> dict[str, str]:
        """Free-text answers given on this page (to check for names)."""
        return {
            i.name: self.cleaned_data.get(i.name) or ""
            for i in self.items
            if i.type == "text" and isinstance(self.cleaned_data.get(i.name), str)
        }

    def bound_entries(self) -> list[dict[str, Any]]:
        return [
            {**e, "field": self[e["field_name"]] if e["field_name"] else None} for e in self.entries
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shown_before = set((self.data.get(SHOWN_FIELD) or "").split())
        merged = {**self.previous, **data}
        for entry in self.entries:
            entry["hidden"] = not relevant(entry["item"].relevant, merged)
        self.shown_names = {e["item"].name for e in self.entries if not e["hidden"]}
        answers: dict[str, Any] = {}
        for item in self.items:
            if item.type == "note":
                continue
            if not relevant(item.relevant, merged):
                merged.pop(item.name, None)  # a skipped question keeps no answer
                continue
            value = data.get(item.name)
            if item.name not in shown_before and _is_empty(value) and item.name not in self.errors:
                # Became relevant because of an answer on this page: show it, no error yet.
                self.newly_shown.append(item)
                continue
            if item.required and _is_empty(value) and item.name not in self.errors:
                self.add_error(item.name, _required_message(item))
                continue
            if (
                item.constraint
                and not _is_empty(value)
                and item.name not in self.errors
                and not expressions.evaluate(
                    parsed(item.constraint), merged, current=value, today=timezone.localdate()
                )
            ):
                message = (
                    item.constraint_message or "Check this answer: it is outside what is allowed"
                )
                self.add_error(item.name, message)
                continue
            answers[item.name] = value
        if self.newly_shown and not self.errors:
            raise forms.ValidationError(
                "We have added a question based on your answer. Answer it, then continue.",
                code="newly_shown",
            )
        self.answers = {**{i.name: None for i in self.items if i.type != "note"}, **answers}
        return data


def check_answers_rows(tree: VersionTree, answers: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Sections and their answered, relevant items for the "check your answers" page."""
    rows = []
    for index, section in enumerate(tree.sections):
        if not relevant(section.relevant, answers):
            continue
        items = []
        for item in tree.section_items(section):
            if item.type == "note" or not relevant(item.relevant, answers):
                continue
            value = answers.get(item.name)
            items.append({"item": item, "display": display_value(tree, item, value)})
        rows.append({"section": section, "index": index, "items": items})
    return rows


def display_value(tree: VersionTree, item: Item, value: Any) -> str:
    if _is_empty(value):
        return "Not answered"
    if item.type == "select_one":
        return tree.choice_label(item, str(value))
    if item.type == "select_multiple":
        return ", ".join(tree.choice_label(item, v) for v in value)
    if item.type == "date" and isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if hasattr(value, "strftime"):
        return value.strftime("%-d %B %Y")
    return str(value)
