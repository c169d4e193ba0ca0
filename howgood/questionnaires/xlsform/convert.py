"""Converting the sheets of an XLSForm into HowGood's :class:`FormDef`.

The sheets (:class:`~.readers.Sheets`) have their headings understood as ODK understands
them (:mod:`.headers`); then every row is checked, and every problem is collected with its
sheet and row, in plain English for the person editing the spreadsheet.  Question types
are classified by :mod:`.question_types`.  Top-level groups become sections; nested groups
are flattened into their top-level group, their ``relevant`` being AND-ed into each inner
item's ``relevant``.  Runs of questions outside any group become sections of their own,
named from the form title.  Metadata rows (start, end, today, deviceid, ...) are ignored.
Two HowGood columns are read on the survey sheet: ``qi`` (quality indicator numbers such as
``2.1, 5.3``) and ``statement`` (inspection statements 1-4); on a ``begin_group`` row they
apply to every question in the group.  Last, ODK's own check is run (:mod:`.errors`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from howgood.questionnaires import definition, expressions
from howgood.questionnaires.definition import (
    ChoiceDef,
    DefinitionError,
    FormDef,
    ItemDef,
    Problem,
    SectionDef,
    check_expression,
    derive_bounds,
    expression_error_text,
)
from howgood.questionnaires.xlsform import headers
from howgood.questionnaires.xlsform.errors import header_problem, pyxform_check
from howgood.questionnaires.xlsform.headers import DEFAULT_LANGUAGE, HeaderError, is_xml_tag
from howgood.questionnaires.xlsform.question_types import (
    SUPPORTED_TYPES_TEXT,
    Classified,
    classify,
)
from howgood.questionnaires.xlsform.readers import SHEET_ORDER, Sheets

__all__ = ["Converter"]

_REPEAT_REASON = (
    "repeating groups are not supported. Change 'begin_repeat' to 'begin_group' "
    "(and its 'end_repeat' to 'end_group') if the questions only need asking once"
)
# Columns whose behaviour HowGood cannot reproduce: refused when they hold anything.
_TRUE_VALUES = frozenset({"yes", "true", "true()", "1", "y"})
_FALSE_VALUES = frozenset({"no", "false", "false()", "0", "n", ""})
_EXTRA_COLUMNS = ("reason_required", "guidance_hint")
_QI_COLUMNS = frozenset({"qi", "qis", "quality_indicator", "quality_indicators"})
_STATEMENT_COLUMNS = frozenset({"statement", "statements"})
_QI_RE = re.compile(r"^\d+\.\d+$")
_SPLIT_LIST_RE = re.compile(r"[,;\s]+")
# A lone "." (the current answer) suggests a constraint typed into the wrong column.
_SELF_REFERENCE_RE = re.compile(r"(?:^|[\s(,=<>!])\.(?:$|[\s),=<>!])")


def _and_expressions(*parts: str) -> str:
    """AND normalised expressions together (empty parts are skipped)."""
    present = [part for part in parts if part]
    if not present:
        return ""
    if len(present) == 1:
        return present[0]
    combined = " and ".join(f"({part})" for part in present)
    return str(expressions.to_text(expressions.parse(combined)))


@dataclass
class _Group:
    """An open group while the survey sheet is read."""

    name: str
    kind: str  # "group" or "repeat"
    row: int
    relevant: str
    qi: list[str]
    statements: list[int]
    path: str


class Converter:
    """Turns the sheets of one workbook into a FormDef, collecting every problem."""

    def __init__(self, sheets: Sheets) -> None:
        self.sheets = sheets
        self.problems: list[Problem] = []

    # -- entry --------------------------------------------------------------------

    def convert(self) -> FormDef:
        sheets = self.sheets.sheets
        if "survey" not in sheets:
            self._no_survey_sheet()
        settings = self._settings()
        survey = self._dealias("survey", headers.SURVEY, required=frozenset({"type"}), strip=True)
        choices_rows = self._dealias("choices", headers.CHOICES) if "choices" in sheets else []
        if self.problems:
            raise DefinitionError(self._sorted_problems())

        title = settings.get("title") or settings.get("id_string") or self.sheets.fallback_title
        form_id = settings.get("id_string") or _slug(self.sheets.fallback_title) or "form"
        survey_language, default_language = self._choose_language(
            self._languages("survey"), settings.get("default_language", "")
        )
        choice_language, _ = self._choose_language(
            self._languages("choices"),
            survey_language or settings.get("default_language", ""),
        )
        lists = self._choice_lists(choices_rows, choice_language)
        sections, used_lists = self._survey(survey, lists, survey_language, title)
        pyxform_check(self.sheets, self.problems)
        if not self.problems and not any(section.items for section in sections):
            self.problems.append(
                Problem(
                    "survey",
                    None,
                    "The survey sheet has no questions HowGood can use. Add at least one "
                    f"question of a supported type: {SUPPORTED_TYPES_TEXT}.",
                )
            )
        if self.problems:
            raise DefinitionError(self._sorted_problems())
        formdef = FormDef(
            title=title,
            form_id=form_id,
            version=settings.get("version", ""),
            source_format="xlsform",
            default_language=default_language,
            sections=sections,
            choice_lists={name: lists[name] for name in used_lists},
        )
        if problems := definition.size_problems(formdef):
            raise DefinitionError(problems)
        return formdef

    def _no_survey_sheet(self) -> None:
        names = ", ".join(f"'{name}'" for name in self.sheets.sheet_names) or "none"
        raise DefinitionError(
            [
                Problem(
                    "file",
                    None,
                    "This workbook has no sheet named 'survey', so there are no questions "
                    f"to read (its sheets are: {names}). Rename the sheet that lists the "
                    "questions to 'survey'.",
                )
            ]
        )

    def _sorted_problems(self) -> list[Problem]:
        unique: list[Problem] = []
        seen: set[Problem] = set()
        for problem in self.problems:
            if problem not in seen:
                seen.add(problem)
                unique.append(problem)
        return sorted(
            unique,
            key=lambda p: (SHEET_ORDER.get(p.sheet, 9), p.row if p.row is not None else 0),
        )

    # -- sheets -------------------------------------------------------------------

    def _dealias(
        self,
        sheet_name: str,
        sheet_headers: headers.SheetHeaders,
        *,
        required: frozenset[str] = frozenset(),
        strip: bool = False,
    ) -> list[tuple[int, dict[str, Any]]]:
        """The sheet's rows with their headings understood; rows keep their numbers."""
        sheet = self.sheets.sheets[sheet_name]
        header = list(sheet.header)
        data_rows = [row for _, row in sheet.rows]
        if sheet_name == "settings" and {"id_string", "form_id"} <= set(header):
            # pyxform does the same: form_id wins over id_string.
            header.remove("id_string")
            data_rows = [{k: v for k, v in row.items() if k != "id_string"} for row in data_rows]
        try:
            data = headers.group_headers(
                sheet_name, sheet_headers, header, data_rows, required=required, strip=strip
            )
        except HeaderError as error:
            self.problems.append(Problem(sheet_name, 1, header_problem(error.message, sheet_name)))
            return []
        return [(number, row) for (number, _), row in zip(sheet.rows, data, strict=True)]

    def _settings(self) -> dict[str, str]:
        if "settings" not in self.sheets.sheets or not self.sheets.sheets["settings"].rows:
            return {}
        rows = self._dealias("settings", headers.SETTINGS)
        if not rows:
            return {}
        first = rows[0][1]
        return {key: value.strip() for key, value in first.items() if isinstance(value, str)}

    def _languages(self, sheet_name: str) -> list[str]:
        """Label languages in column order; ``default`` stands for an unsuffixed label."""
        sheet = self.sheets.sheets.get(sheet_name)
        if sheet is None:
            return []
        languages: list[str] = []
        use_double_colon = any("::" in header for header in sheet.header)
        for header in sheet.header:
            parts = header.split("::") if use_double_colon else header.split(":")
            base = parts[0].strip().lower()
            if base not in ("label", "caption"):
                continue
            language = parts[1].strip() if len(parts) > 1 else DEFAULT_LANGUAGE
            if language not in languages:
                languages.append(language)
        return languages

    @staticmethod
    def _choose_language(languages: list[str], preferred: str) -> tuple[str, str]:
        """Pick the label language: the preferred one, else English, else unsuffixed, else
        the first.  Returns ``(key used in rows, language name to report)``."""
        named = [language for language in languages if language != DEFAULT_LANGUAGE]
        if not named:
            return DEFAULT_LANGUAGE, preferred
        if preferred:
            for language in named:
                if _same_language(language, preferred):
                    return language, language
        for language in named:
            if _is_english(language):
                return language, language
        if DEFAULT_LANGUAGE in languages:
            return DEFAULT_LANGUAGE, preferred
        return named[0], named[0]

    # -- choices ------------------------------------------------------------------

    def _choice_lists(
        self, rows: list[tuple[int, dict[str, Any]]], language: str
    ) -> dict[str, list[ChoiceDef]]:
        lists: dict[str, list[ChoiceDef]] = {}
        seen: dict[tuple[str, str], int] = {}
        for row_number, row in rows:
            list_name = _text(row.get("list name"))
            name = _text(row.get("name"))
            if not list_name:
                if name or _pick(row.get("label"), language):
                    self.problems.append(
                        Problem(
                            "choices",
                            row_number,
                            "This choice has no list_name. Fill in the list_name column "
                            "with the name of the list it belongs to.",
                        )
                    )
                continue
            if not name:
                self.problems.append(
                    Problem(
                        "choices",
                        row_number,
                        f"This choice in the list '{list_name}' has no name. Fill in the "
                        "name column with the value to store when it is picked (for "
                        "example 'yes' or '1').",
                    )
                )
                continue
            earlier = seen.get((list_name, name))
            if earlier is not None:
                self.problems.append(
                    Problem(
                        "choices",
                        row_number,
                        f"The choice name '{name}' is used twice in the list '{list_name}' "
                        f"(also on row {earlier}). Give each choice in a list its own name.",
                    )
                )
                continue
            seen[(list_name, name)] = row_number
            label = _pick(row.get("label"), language)
            lists.setdefault(list_name, []).append(ChoiceDef(name, label, row_number))
        for list_name, options in lists.items():
            if len(options) > definition.MAX_CHOICES_PER_LIST:
                self.problems.append(
                    Problem(
                        "choices",
                        options[definition.MAX_CHOICES_PER_LIST].row,
                        definition.too_many_choices(f"The choice list '{list_name}'", len(options)),
                    )
                )
        return lists

    # -- survey -------------------------------------------------------------------

    def _survey(
        self,
        rows: list[tuple[int, dict[str, Any]]],
        lists: dict[str, list[ChoiceDef]],
        language: str,
        title: str,
    ) -> tuple[list[SectionDef], list[str]]:
        rows = [(number, row) for number, row in rows if not _is_disabled(row)]
        classified = [(number, row, classify(row)) for number, row in rows]
        known = self._known_names(classified)
        section_base = _unique_name(_slug(title) or "questions", known)

        sections: list[SectionDef] = []
        used_lists: list[str] = []
        stack: list[_Group] = []
        loose: SectionDef | None = None  # the section taking questions outside groups
        reported_lists: set[str] = set()
        loose_count = 0

        for number, row, info in classified:
            if info.kind == "blank":
                if _has_content(row):
                    self.problems.append(
                        Problem(
                            "survey",
                            number,
                            f"Row {number} has no type. Fill in the type column (for "
                            "example text, integer or select_one list_name), or delete the "
                            "row if it is not needed.",
                        )
                    )
                continue
            if info.kind == "metadata":
                continue
            if info.kind == "end":
                self._end_group(stack, info, number)
                continue
            if info.kind == "begin":
                if len(stack) >= definition.MAX_GROUP_DEPTH:
                    self.problems.append(
                        Problem(
                            "survey",
                            number,
                            f"This {info.control} is nested {len(stack) + 1} deep. Groups can "
                            f"be nested up to {definition.MAX_GROUP_DEPTH} deep: move it out "
                            "of one of the groups around it.",
                        )
                    )
                group = self._begin_group(row, info, number, stack, known, language)
                if not stack:
                    loose = None
                    sections.append(
                        SectionDef(
                            name=group.name,
                            title=_pick(row.get("label"), language) or group.name,
                            hint=_pick(row.get("hint"), language),
                            relevant=group.relevant,
                            row=number,
                        )
                    )
                    group.relevant = ""  # the section carries it
                stack.append(group)
                continue
            if info.kind == "unsupported":
                self.problems.append(Problem("survey", number, info.reason))
                continue
            item = self._item(row, info, number, stack, known, lists, language, reported_lists)
            if item is None:
                continue
            if item.choice_list and item.choice_list not in used_lists:
                used_lists.append(item.choice_list)
            if stack:
                sections[-1].items.append(item)
            else:
                if loose is None:
                    loose_count += 1
                    name = (
                        section_base
                        if loose_count == 1
                        else _unique_name(f"{section_base}_{loose_count}", known)
                    )
                    loose = SectionDef(name=name, title=title, row=number)
                    sections.append(loose)
                loose.items.append(item)

        for group in stack:
            self.problems.append(
                Problem(
                    "survey",
                    group.row,
                    f"The {group.kind} '{group.name}' starts on this row but never ends. Add "
                    f"a row with type end_{group.kind} after its last question.",
                )
            )
        return [section for section in sections if section.items], used_lists

    def _known_names(
        self, classified: list[tuple[int, dict[str, Any], Classified]]
    ) -> dict[str, str]:
        """Every name on the survey sheet, with its kind; reports duplicates."""
        known: dict[str, str] = {}
        first_row: dict[str, int] = {}
        for number, row, info in classified:
            if info.kind in ("blank", "end"):
                continue
            name = _text(row.get("name"))
            if not name and info.kind == "item" and info.item_type == "note":
                name = f"generated_note_name_{number}"
                row["name"] = name
            if not name:
                continue
            if name in first_row:
                self.problems.append(
                    Problem(
                        "survey",
                        number,
                        f"The name '{name}' is already used on row {first_row[name]}. Every "
                        "question and group needs its own name, even in different groups: "
                        "rename one of them.",
                    )
                )
                continue
            first_row[name] = number
            kind = {
                "item": "question",
                "metadata": "metadata",
                "begin": "group",
                "unsupported": "refused",
            }[info.kind]
            if info.kind == "begin" and info.control == "repeat":
                kind = "refused"
            known[name] = kind
        return known

    def _begin_group(
        self,
        row: dict[str, Any],
        info: Classified,
        number: int,
        stack: list[_Group],
        known: Mapping[str, str],
        language: str,
    ) -> _Group:
        name = _text(row.get("name"))
        if info.control == "repeat":
            self.problems.append(
                Problem("survey", number, f"This row starts a repeat: {_REPEAT_REASON}.")
            )
        if not name:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"This {info.control} has no name. Fill in the name column (letters, "
                    "digits and underscores, starting with a letter).",
                )
            )
            name = f"group_row_{number}"
        elif not is_xml_tag(name):
            self._bad_name(name, number)
        if info.control == "group":
            self._unsupported_columns(row, number, group=True)
        relevant = self._expression(
            row, "relevant", number, known, f"The relevant of group '{name}'"
        )
        qi, statements = self._qi_and_statements(row, number)
        parent = stack[-1] if stack else None
        if parent is not None:
            qi = _merge(parent.qi, qi)
            statements = _merge(parent.statements, statements)
            relevant = self._safe_and(parent.relevant, relevant)
        return _Group(
            name=name,
            kind=info.control,
            row=number,
            relevant=relevant,
            qi=qi,
            statements=statements,
            path=f"{parent.path}/{name}" if parent is not None else name,
        )

    def _end_group(self, stack: list[_Group], info: Classified, number: int) -> None:
        if not stack:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"This end_{info.control} row has no matching begin_{info.control} above "
                    "it. Delete it, or add the missing begin row.",
                )
            )
            return
        group = stack.pop()
        if group.kind != info.control:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"This row ends a {info.control}, but the block open here is the "
                    f"{group.kind} '{group.name}' started on row {group.row}. Use "
                    f"end_{group.kind} instead.",
                )
            )

    def _item(
        self,
        row: dict[str, Any],
        info: Classified,
        number: int,
        stack: list[_Group],
        known: Mapping[str, str],
        lists: dict[str, list[ChoiceDef]],
        language: str,
        reported_lists: set[str],
    ) -> ItemDef | None:
        before = len(self.problems)
        name = _text(row.get("name"))
        if not name:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    "This question has no name. Fill in the name column with a short, unique "
                    "name (letters, digits and underscores, starting with a letter).",
                )
            )
            name = f"row_{number}"
        elif not is_xml_tag(name):
            self._bad_name(name, number)
        label = _pick(row.get("label"), language)
        if not label:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"The question '{name}' has no label. Fill in the label column with the "
                    "text people will see.",
                )
            )
        self._unsupported_columns(row, number, group=False)
        required = self._required(row, number)
        relevant = self._expression(row, "relevant", number, known, "The relevant")
        constraint = self._expression(row, "constraint", number, known, "The constraint")
        if info.item_type in ("select_one", "select_multiple"):
            self._check_list(info, number, lists, reported_lists)
        qi, statements = self._qi_and_statements(row, number)
        if len(self.problems) > before:
            return None
        group = stack[-1] if stack else None
        extra = {
            key.strip().lower(): value
            for key, raw in row.items()
            if isinstance(key, str)
            and key.strip().lower() in _EXTRA_COLUMNS
            and (value := _pick(raw, language))
        }
        if group is not None and "/" in group.path:
            extra["group"] = group.path.split("/", 1)[1]
        bounds = derive_bounds(constraint, info.item_type, name)
        return ItemDef(
            name=name,
            type=info.item_type,
            label=label,
            hint=_pick(row.get("hint"), language),
            required=required and info.item_type != "note",
            required_message=_pick(_bind(row, "jr:requiredMsg"), language),
            relevant=self._safe_and(group.relevant if group else "", relevant),
            constraint=constraint,
            constraint_message=_pick(_bind(row, "jr:constraintMsg"), language),
            appearance=_text(_control(row, "appearance")),
            choice_list=info.list_name,
            qi=_merge(group.qi, qi) if group else qi,
            statements=_merge(group.statements, statements) if group else statements,
            row=number,
            extra=extra,
            min_value=bounds.min_value,
            max_value=bounds.max_value,
            min_length=bounds.min_length,
            max_length=bounds.max_length,
        )

    def _bad_name(self, name: str, number: int) -> None:
        self.problems.append(
            Problem(
                "survey",
                number,
                f"The name '{name}' cannot be used. Names must start with a letter or "
                "underscore and contain only letters, digits, underscores, hyphens or full "
                "stops (no spaces).",
            )
        )

    def _check_list(
        self,
        info: Classified,
        number: int,
        lists: dict[str, list[ChoiceDef]],
        reported_lists: set[str],
    ) -> None:
        choices = lists.get(info.list_name)
        if not choices:
            self.problems.append(
                Problem(
                    "survey",
                    number,
                    f"The choice list '{info.list_name}' has no choices on the choices "
                    "sheet. Add its choices there (list_name, name and label), or correct "
                    "the list name after the type.",
                )
            )
            return
        if info.list_name in reported_lists:
            return
        reported_lists.add(info.list_name)
        for choice in choices:
            if not choice.label:
                self.problems.append(
                    Problem(
                        "choices",
                        choice.row,
                        f"The choice '{choice.name}' in the list '{info.list_name}' has no "
                        "label. Fill in the label column with the text people will see.",
                    )
                )
        if info.item_type == "select_multiple":
            for choice in choices:
                if any(char.isspace() for char in choice.name):
                    self.problems.append(
                        Problem(
                            "choices",
                            choice.row,
                            f"The choice name '{choice.name}' contains a space, which is "
                            f"not allowed in a list used by a select_multiple question "
                            f"('{info.list_name}'). Use underscores instead of spaces.",
                        )
                    )

    def _required(self, row: dict[str, Any], number: int) -> bool:
        value = _text(_bind(row, "required"))
        lowered = value.lower()
        if lowered in _TRUE_VALUES:
            return True
        if lowered in _FALSE_VALUES:
            return False
        self.problems.append(
            Problem(
                "survey",
                number,
                f"The required column says '{value}'. Write yes or no: questions that are "
                "required only in some cases are not supported (use yes together with a "
                "relevant instead).",
            )
        )
        return False

    def _expression(
        self,
        row: dict[str, Any],
        column: str,
        number: int,
        known: Mapping[str, str],
        what: str,
    ) -> str:
        text = _text(_bind(row, column))
        if not text:
            return ""
        result = check_expression(
            text, what=what, sheet="survey", row=number, problems=self.problems, known=known
        )
        return result or ""

    def _safe_and(self, first: str, second: str) -> str:
        try:
            return _and_expressions(first, second)
        except expressions.ExpressionError:  # pragma: no cover - both parts already parse
            return second or first

    def _unsupported_columns(self, row: dict[str, Any], number: int, *, group: bool) -> None:
        checks: list[tuple[str, str, str]] = [
            ("repeat_count", _text(_control(row, "jr:count")), "repeats are not supported"),
            ("calculation", _text(_bind(row, "calculate")), "calculations are not supported"),
            ("default", _text(row.get("default")), "default answers are not supported"),
        ]
        if not group:
            checks.append(
                (
                    "choice_filter",
                    _text(row.get("choice_filter")),
                    "choices cannot be filtered by earlier answers",
                )
            )
        read_only = _text(_bind(row, "readonly"))
        if read_only.lower() not in _FALSE_VALUES:
            checks.append(("read_only", read_only, "read-only questions are not supported"))
        for column, value, reason in checks:
            if not value:
                continue
            message = (
                f"The {column} column is not supported ({reason}), but this row has "
                f"'{value}' in it. Clear that cell."
            )
            if column == "choice_filter" and _SELF_REFERENCE_RE.search(value):
                message = (
                    f"The choice_filter column is not supported ({reason}), but this row has "
                    f"'{value}' in it, which looks like a constraint typed into the wrong "
                    "column. Move it to the constraint column (check that the columns of "
                    "this row line up with the headings)."
                )
                try:
                    expressions.parse(value)
                except expressions.ExpressionError as error:
                    message += (
                        " It would not work there as written either: "
                        f"{expression_error_text(error)}."
                    )
            self.problems.append(Problem("survey", number, message))

    def _qi_and_statements(self, row: dict[str, Any], number: int) -> tuple[list[str], list[int]]:
        qi: list[str] = []
        statements: list[int] = []
        for key, value in row.items():
            column = key.strip().lower() if isinstance(key, str) else ""
            if not isinstance(value, str) or not value.strip():
                continue
            if column in _QI_COLUMNS:
                for token in _tokens(value):
                    if _QI_RE.match(token):
                        if token not in qi:
                            qi.append(token)
                    else:
                        self.problems.append(
                            Problem(
                                "survey",
                                number,
                                f"The qi column has '{token}', which is not a quality "
                                "indicator number. Write quality indicators as numbers such "
                                "as 2.1 or 5.3, separated by commas.",
                            )
                        )
            elif column in _STATEMENT_COLUMNS:
                for token in _tokens(value):
                    if token.isdigit() and 1 <= int(token) <= 4:
                        if int(token) not in statements:
                            statements.append(int(token))
                    else:
                        self.problems.append(
                            Problem(
                                "survey",
                                number,
                                f"The statement column has '{token}', which is not an "
                                "inspection statement number. Use whole numbers from 1 to 4, "
                                "separated by commas.",
                            )
                        )
        return qi, statements


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    return ""


def _pick(value: Any, language: str) -> str:
    """The text for ``language`` from a plain or per-language cell value."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        for key in (language, DEFAULT_LANGUAGE):
            text = value.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
        for text in value.values():
            if isinstance(text, str) and text.strip():
                return text.strip()
    return ""


def _bind(row: Mapping[str, Any], key: str) -> Any:
    bind = row.get("bind")
    return bind.get(key) if isinstance(bind, dict) else None


def _control(row: Mapping[str, Any], key: str) -> Any:
    control = row.get("control")
    return control.get(key) if isinstance(control, dict) else None


def _is_disabled(row: Mapping[str, Any]) -> bool:
    return _text(row.get("disabled")).lower() in _TRUE_VALUES


def _has_content(row: Mapping[str, Any]) -> bool:
    for value in row.values():
        if isinstance(value, dict):
            if _has_content(value):
                return True
        elif isinstance(value, str) and value.strip():
            return True
    return False


def _tokens(value: str) -> list[str]:
    return [token for token in _SPLIT_LIST_RE.split(value.strip()) if token]


def _merge(first: list[Any], second: list[Any]) -> list[Any]:
    merged = list(first)
    merged.extend(value for value in second if value not in merged)
    return merged


def _language_parts(language: str) -> tuple[str, str]:
    text = language.strip().lower()
    if match := re.match(r"^(.*?)\s*\(([^)]*)\)\s*$", text):
        return match.group(1).strip(), match.group(2).strip()
    return text, ""


def _same_language(first: str, second: str) -> bool:
    name_a, code_a = _language_parts(first)
    name_b, code_b = _language_parts(second)
    if name_a and name_a == name_b:
        return True
    return bool(code_a and code_a == code_b)


def _is_english(language: str) -> bool:
    name, code = _language_parts(language)
    return name in ("english", "en") or code == "en"


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_").lower()
    if slug and slug[0].isdigit():
        slug = f"s_{slug}"
    return slug


def _unique_name(base: str, taken: Mapping[str, str]) -> str:
    name = base
    counter = 1
    while name in taken:
        counter += 1
        name = f"{base}_{counter}"
    return name
