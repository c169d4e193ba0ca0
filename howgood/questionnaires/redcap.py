"""Read a REDCap data dictionary (CSV) into a :class:`FormDef`.

Entry point: :func:`read_redcap`.  It returns a
:class:`~howgood.questionnaires.definition.FormDef` or raises
:class:`~howgood.questionnaires.definition.DefinitionError` listing every problem, each
located on the ``"data dictionary"`` sheet at the CSV line where the field's record starts
(the header is line 1; a quoted cell spanning several lines is counted properly).

Columns are found by their heading (the standard 18-column export: ``Variable / Field
Name, Form Name, Section Header, Field Type, Field Label, Choices, Calculations, OR Slider
Labels, Field Note, Text Validation Type OR Show Slider Number, Text Validation Min, Text
Validation Max, Identifier?, Branching Logic (Show field only if...), Required Field?,
Custom Alignment, Question Number (surveys only), Matrix Group Name, Matrix Ranking?, Field
Annotation``); a UTF-8 byte-order mark and doubled quotes are handled.

Mapping:

* ``text`` -> text, or integer / decimal / date by validation type (``integer``;
  ``number`` and ``number_Ndp`` with or without ``_comma_decimal``; ``date_ymd``,
  ``date_dmy``, ``date_mdy``).  Any other validation (email, phone, postcode, time,
  datetime, ...) stays text; the validation name is always kept in ``extra["validation"]``.
* ``notes`` -> text with appearance ``multiline``.
* ``radio`` / ``dropdown`` -> select_one, ``checkbox`` -> select_multiple, with the choices
  ``"1, Label | 2, Label"`` as a list named after the field.  ``dropdown`` keeps
  appearance ``minimal``.
* ``yesno`` -> select_one on the shared list ``_yesno`` (``1`` Yes, ``0`` No);
  ``truefalse`` -> select_one on ``_truefalse`` (``1`` True, ``0`` False).  A leading
  underscore cannot clash with a REDCap field name.
* ``descriptive`` -> note.
* Each ``Form Name`` (instrument) becomes a section, in order of first appearance.
* A ``Section Header`` becomes a note item placed just before its field, named
  ``<field>__section_header`` (with ``extra["section_header"] = "y"``).  It carries no
  relevant of its own: REDCap hides a header only when every field under it is hidden,
  which a single relevant cannot express, so the header is always shown.
* ``Required Field?`` ``y`` -> required; ``Field Note`` -> hint; ``Text Validation Min``
  / ``Max`` -> ``min_value`` / ``max_value`` for integer and decimal items (with the
  matching ``constraint`` text); for other items they are kept in ``extra``.
* ``Identifier?`` ``y`` is kept as ``extra["identifier"] = "y"`` so that HowGood can warn
  (it never collects identifiers).  ``Matrix Group Name``, ``Question Number`` and
  ``Field Annotation`` are kept in ``extra`` when present.
* Branching logic is rewritten as XLSForm: ``[field]`` -> ``${field}``,
  ``[field(code)] = '1'`` -> ``selected(${field}, 'code')`` (``= '0'`` -> ``not(...)``),
  ``<>`` -> ``!=``, ``AND``/``OR`` -> ``and``/``or``, double-quoted text -> single quotes;
  then parsed with :mod:`howgood.questionnaires.expressions`.

Refused (with the line): ``calc``, ``file`` (including signatures), ``slider``, ``sql``
and any unknown field type; branching logic that cannot be read or that refers to unknown
fields, to other events (``[event][field]``) or to smart variables; duplicated field names;
select fields whose choices cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from howgood.questionnaires import csvfile, definition
from howgood.questionnaires.definition import (
    ChoiceDef,
    DefinitionError,
    FormDef,
    ItemDef,
    Problem,
    SectionDef,
    check_expression,
    derive_bounds,
)

__all__ = ["SHEET", "read_redcap"]

SHEET = "data dictionary"
"""The ``Problem.sheet`` of every REDCap problem."""

YES_NO_LIST = "_yesno"
TRUE_FALSE_LIST = "_truefalse"

# Column key -> normalised heading prefix (lower-case letters and digits only).
_COLUMNS: dict[str, str] = {
    "name": "variablefieldname",
    "form": "formname",
    "section": "sectionheader",
    "type": "fieldtype",
    "label": "fieldlabel",
    "choices": "choicescalculations",
    "note": "fieldnote",
    "validation": "textvalidationtype",
    "min": "textvalidationmin",
    "max": "textvalidationmax",
    "identifier": "identifier",
    "branching": "branchinglogic",
    "required": "requiredfield",
    "alignment": "customalignment",
    "question_number": "questionnumber",
    "matrix_group": "matrixgroupname",
    "matrix_ranking": "matrixranking",
    "annotation": "fieldannotation",
}
_REQUIRED_COLUMNS = ("name", "form", "type", "label")
_SUPPORTED_TYPES_TEXT = "text, notes, radio, dropdown, checkbox, yesno, truefalse and descriptive"
_REFUSED_TYPES: dict[str, str] = {
    "calc": "calculated fields are not supported",
    "file": "HowGood does not collect uploaded files or signatures",
    "slider": "slider fields are not supported; use a radio field with the scale's points",
    "sql": "SQL fields are not supported",
}
_DATE_VALIDATIONS = frozenset({"date_ymd", "date_dmy", "date_mdy"})
_DECIMAL_VALIDATION_RE = re.compile(r"^number(_\d+dp)?(_comma_decimal)?$")
_FIELD_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_CHECKBOX_TEST_RE = re.compile(
    r"\[(?P<field>[A-Za-z0-9_]+)\((?P<code>[^()\[\]]+)\)\]\s*"
    r"(?P<op>=|<>|!=)\s*(?:'(?P<q1>[^']*)'|\"(?P<q2>[^\"]*)\"|(?P<num>-?\d+))"
)
_REFERENCE_RE = re.compile(r"\[(?P<body>[^\[\]]*)\]")
_EVENT_REFERENCE_RE = re.compile(r"\[[^\[\]]*\]\s*\[[^\[\]]*\]")


@dataclass
class _Record:
    line: int
    cells: dict[str, str]


@dataclass
class _Builder:
    """The sections and lists being assembled, with every problem found so far."""

    problems: list[Problem] = field(default_factory=list)
    sections: dict[str, SectionDef] = field(default_factory=dict)
    lists: dict[str, list[ChoiceDef]] = field(default_factory=dict)
    record_start: int = 0
    """How many problems there were when the field being read began."""


_Built = tuple[str, str, str, dict[str, str], str]
"""(item type, appearance, choice list, extra, constraint text for the validation range)"""
_FieldBuilder = Callable[[_Record, _Builder], _Built]


def read_redcap(data: bytes | str, filename: str) -> FormDef:
    """Read a REDCap data dictionary and return its questionnaire definition.

    ``data`` is the CSV file's content (bytes are decoded as UTF-8, with or without a
    byte-order mark) and ``filename`` its name as uploaded (its stem becomes the form's
    title and id).  Raises :class:`DefinitionError` with every problem found.
    """
    text = _decode(data, filename)
    records = _read_csv(text)
    stem = Path(filename).stem or "redcap"
    builder = _Builder()

    names: dict[str, int] = {}
    usable: list[_Record] = []
    for record in records:
        name = record.cells.get("name", "")
        if not name:
            builder.problems.append(
                Problem(
                    SHEET,
                    record.line,
                    "This line has no Variable / Field Name. Fill it in, or delete the line "
                    "if it is not needed.",
                )
            )
            continue
        if name in names:
            builder.problems.append(
                Problem(
                    SHEET,
                    record.line,
                    f"The field name '{name}' is already used on line {names[name]}. Every "
                    "field needs its own name: rename one of them.",
                )
            )
            continue
        names[name] = record.line
        usable.append(record)

    known = {name: "question" for name in names}
    refused_types = {
        record.cells["name"]
        for record in usable
        if record.cells.get("type", "").lower() not in _ITEM_BUILDERS
    }
    for name in refused_types:
        known[name] = "refused"

    # One set of every name, shared by all the fields (it grows as section headers are
    # named): building it per field made reading grow with the square of the field count.
    all_names = set(names)
    for record in usable:
        _add_record(record, builder, known, all_names)

    if not builder.problems and not any(s.items for s in builder.sections.values()):
        builder.problems.append(
            Problem(SHEET, None, "The data dictionary has no fields HowGood can use.")
        )
    if builder.problems:
        raise DefinitionError(sorted(builder.problems, key=lambda p: p.row or 0))
    formdef = FormDef(
        title=stem,
        form_id=_slug(stem) or "redcap",
        version="",
        source_format="redcap",
        default_language="",
        sections=[s for s in builder.sections.values() if s.items],
        choice_lists=builder.lists,
    )
    if problems := definition.size_problems(formdef):
        raise DefinitionError(problems)
    return formdef


# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------


def _decode(data: bytes | str, filename: str) -> str:
    return csvfile.decode(
        data,
        filename,
        advice="Download the data dictionary from REDCap again, or in Excel use File > "
        "Save As > 'CSV UTF-8 (Comma delimited)'.",
    )


def _read_csv(text: str) -> list[_Record]:
    """The records of the dictionary, read one at a time (:func:`csvfile.records`);
    refused at the first field past :data:`~howgood.questionnaires.definition.MAX_ITEMS`
    (blank lines are skipped, not kept)."""
    rows: list[tuple[int, list[str]]] = []
    for line, cells in csvfile.records(text, sheet=SHEET):
        if not any(c.strip() for c in cells):
            continue
        if len(rows) > definition.MAX_ITEMS:  # the header and MAX_ITEMS fields so far
            raise DefinitionError(
                [
                    Problem(
                        SHEET,
                        line,
                        definition.too_many_items(
                            f"The data dictionary has more than {definition.MAX_ITEMS:,} fields"
                        ),
                    )
                ]
            )
        rows.append((line, cells))
    if not rows:
        raise DefinitionError([Problem("file", None, "The data dictionary file is empty.")])
    header_line, header = rows[0]
    columns = _map_columns(header)
    missing = [key for key in _REQUIRED_COLUMNS if key not in columns]
    if missing:
        raise DefinitionError(
            [
                Problem(
                    SHEET,
                    header_line,
                    "The first line does not look like a REDCap data dictionary heading: the "
                    "columns 'Variable / Field Name', 'Form Name', 'Field Type' and 'Field "
                    "Label' are needed. Download the data dictionary from REDCap (Project "
                    "Setup > Data Dictionary) and upload that file unchanged.",
                )
            ]
        )
    records = [
        _Record(
            line=line,
            cells={
                key: cells[index].strip()
                for key, index in columns.items()
                if index < len(cells) and cells[index].strip()
            },
        )
        for line, cells in rows[1:]
    ]
    return records


def _normalise_heading(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _map_columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, heading in enumerate(header):
        normalised = _normalise_heading(heading)
        for key, prefix in _COLUMNS.items():
            if key not in columns and normalised.startswith(prefix):
                columns[key] = index
                break
    return columns


# --------------------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------------------


def _add_record(
    record: _Record, builder: _Builder, known: dict[str, str], all_names: set[str]
) -> None:
    cells = record.cells
    name = cells["name"]
    field_type = cells.get("type", "").lower()
    before = builder.record_start = len(builder.problems)
    if not _FIELD_NAME_RE.match(name):
        builder.problems.append(
            Problem(
                SHEET,
                record.line,
                f"The field name '{name}' cannot be used. Field names must start with a "
                "letter and contain only letters, digits and underscores.",
            )
        )
    if field_type not in _ITEM_BUILDERS:
        reason = _REFUSED_TYPES.get(field_type)
        if field_type == "file" and cells.get("validation", "").lower() == "signature":
            reason = "HowGood does not collect signatures"
        shown = cells.get("type", "") or "(empty)"
        because = f" ({reason})" if reason else ""
        builder.problems.append(
            Problem(
                SHEET,
                record.line,
                f"The field '{name}' has the Field Type '{shown}', which is not supported"
                f"{because}. HowGood can import: {_SUPPORTED_TYPES_TEXT}. Change the field "
                "type or delete the line.",
            )
        )
        return
    item_type, appearance, list_name, extra, bounds_text = _ITEM_BUILDERS[field_type](
        record, builder
    )
    relevant = ""
    if logic := cells.get("branching", ""):
        relevant = _branching(logic, record.line, builder.problems, known, all_names)
    extra = {**extra, **_kept_columns(cells)}
    constraint = ""
    if bounds_text:
        constraint = (
            check_expression(
                bounds_text,
                what="The validation range",
                sheet=SHEET,
                row=record.line,
                problems=builder.problems,
                known=known,
            )
            or ""
        )
    if len(builder.problems) > before:
        return
    section = _section(cells.get("form", ""), record.line, builder)
    if header := cells.get("section", ""):
        header_name = _unique(f"{name}__section_header", all_names)
        all_names.add(header_name)
        section.items.append(
            ItemDef(
                name=header_name,
                type="note",
                label=header,
                row=record.line,
                extra={"section_header": "y"},
            )
        )
    bounds = derive_bounds(constraint, item_type)
    section.items.append(
        ItemDef(
            name=name,
            type=item_type,
            label=cells.get("label", "") or name,
            hint=cells.get("note", ""),
            required=item_type != "note" and cells.get("required", "").lower() in ("y", "yes", "1"),
            relevant=relevant,
            constraint=constraint,
            appearance=appearance,
            choice_list=list_name,
            row=record.line,
            extra=extra,
            min_value=bounds.min_value,
            max_value=bounds.max_value,
            min_length=bounds.min_length,
            max_length=bounds.max_length,
        )
    )


def _text_field(record: _Record, builder: _Builder) -> _Built:
    cells = record.cells
    validation = cells.get("validation", "").lower()
    extra: dict[str, str] = {"validation": validation} if validation else {}
    if validation == "integer":
        item_type = "integer"
    elif _DECIMAL_VALIDATION_RE.match(validation):
        item_type = "decimal"
    elif validation in _DATE_VALIDATIONS:
        item_type = "date"
    else:
        item_type = "text"
    bounds: list[str] = []
    for key, operator in (("min", ">="), ("max", "<=")):
        raw = cells.get(key, "")
        if not raw:
            continue
        if item_type not in ("integer", "decimal"):
            extra[f"validation_{key}"] = raw
            continue
        number = _number(raw.replace(",", ".") if "comma" in validation else raw, item_type)
        if number is None:
            kind = "a whole number" if item_type == "integer" else "a number"
            column = "Text Validation Min" if key == "min" else "Text Validation Max"
            builder.problems.append(
                Problem(
                    SHEET,
                    record.line,
                    f"The {column} of '{cells['name']}' is '{raw}', which is not {kind}. "
                    "Correct it or clear the cell.",
                )
            )
            continue
        bounds.append(f". {operator} {format(number, 'f')}")
    return item_type, "", "", extra, " and ".join(bounds)


def _notes_field(record: _Record, builder: _Builder) -> _Built:
    return "text", "multiline", "", {}, ""


def _descriptive_field(record: _Record, builder: _Builder) -> _Built:
    return "note", "", "", {}, ""


def _choice_field(item_type: str, appearance: str) -> _FieldBuilder:
    def build(record: _Record, builder: _Builder) -> _Built:
        name = record.cells["name"]
        choices = _parse_choices(record, builder)
        if choices:
            builder.lists[name] = choices
        return item_type, appearance, name, {}, ""

    return build


def _fixed_list_field(list_name: str, choices: tuple[tuple[str, str], ...]) -> _FieldBuilder:
    def build(record: _Record, builder: _Builder) -> _Built:
        if list_name not in builder.lists:
            builder.lists[list_name] = [ChoiceDef(code, label) for code, label in choices]
        return "select_one", "", list_name, {}, ""

    return build


def _parse_choices(record: _Record, builder: _Builder) -> list[ChoiceDef]:
    cells = record.cells
    name = cells["name"]
    text = cells.get("choices", "")
    if not text:
        builder.problems.append(
            Problem(
                SHEET,
                record.line,
                f"The field '{name}' has no choices. Fill in the Choices column like "
                "'1, Yes | 0, No'.",
            )
        )
        return []
    parts = text.split("|")
    if len(parts) > definition.MAX_CHOICES_PER_LIST:
        builder.problems.append(
            Problem(
                SHEET, record.line, definition.too_many_choices(f"The field '{name}'", len(parts))
            )
        )
        return []
    choices: list[ChoiceDef] = []
    seen: set[str] = set()
    for part in parts:
        entry = part.strip()
        if not entry:
            continue
        code, comma, label = entry.partition(",")
        code, label = code.strip(), label.strip()
        if not comma or not code:
            builder.problems.append(
                Problem(
                    SHEET,
                    record.line,
                    f"The choice '{entry}' of '{name}' has no code. Write each choice as "
                    "'code, label' and separate choices with '|', like '1, Yes | 0, No'.",
                )
            )
            continue
        if code in seen:
            builder.problems.append(
                Problem(
                    SHEET,
                    record.line,
                    f"The choice code '{code}' appears twice in the choices of '{name}'. "
                    "Give each choice its own code.",
                )
            )
            continue
        seen.add(code)
        choices.append(ChoiceDef(code, label or code))
    if not choices and len(builder.problems) == builder.record_start:
        builder.problems.append(Problem(SHEET, record.line, f"The field '{name}' has no choices."))
    return choices


_ITEM_BUILDERS: dict[str, _FieldBuilder] = {
    "text": _text_field,
    "notes": _notes_field,
    "descriptive": _descriptive_field,
    "radio": _choice_field("select_one", ""),
    "dropdown": _choice_field("select_one", "minimal"),
    "checkbox": _choice_field("select_multiple", ""),
    "yesno": _fixed_list_field(YES_NO_LIST, (("1", "Yes"), ("0", "No"))),
    "truefalse": _fixed_list_field(TRUE_FALSE_LIST, (("1", "True"), ("0", "False"))),
}


def _kept_columns(cells: dict[str, str]) -> dict[str, str]:
    extra: dict[str, str] = {}
    if cells.get("identifier", "").lower() in ("y", "yes", "1"):
        extra["identifier"] = "y"
    for key in ("matrix_group", "question_number", "annotation"):
        if value := cells.get(key, ""):
            extra[key] = value
    return extra


def _section(form_name: str, line: int, builder: _Builder) -> SectionDef:
    key = form_name or "form"
    section = builder.sections.get(key)
    if section is None:
        title = key.replace("_", " ").strip().capitalize() or key
        section = SectionDef(name=key, title=title, row=line)
        builder.sections[key] = section
    return section


# --------------------------------------------------------------------------------------
# Branching logic
# --------------------------------------------------------------------------------------


def _branching(
    logic: str, line: int, problems: list[Problem], known: dict[str, str], names: set[str]
) -> str:
    """Rewrite REDCap branching logic as XLSForm and check it; '' after a problem."""
    what = "The branching logic"
    if _EVENT_REFERENCE_RE.search(_blank_strings(logic)):
        problems.append(
            Problem(
                SHEET,
                line,
                f"{what} '{logic}' refers to a field in another event ([event][field]). "
                "HowGood questionnaires have no events: refer to fields as [field] only.",
            )
        )
        return ""
    converted, unknown = _convert_branching(logic, names)
    if unknown:
        listed = ", ".join(f"[{body}]" for body in unknown)
        problems.append(
            Problem(
                SHEET,
                line,
                f"{what} '{logic}' refers to {listed}, which is not a field of this data "
                "dictionary (smart variables and other projects' fields cannot be used). "
                "Check the spelling.",
            )
        )
        return ""
    result = check_expression(
        converted, what=what, sheet=SHEET, row=line, problems=problems, known=known, noun="field"
    )
    return result or ""


def _blank_strings(text: str) -> str:
    """``text`` with the inside of quoted strings blanked (so brackets in them are ignored)."""
    return re.sub(r"'[^']*'|\"[^\"]*\"", lambda m: m.group(0)[0] * len(m.group(0)), text)


def _convert_branching(logic: str, names: set[str]) -> tuple[str, list[str]]:
    """Rewrite REDCap syntax to XLSForm; also return unknown ``[...]`` references."""
    unknown: list[str] = []

    def checkbox(match: re.Match[str]) -> str:
        value = match.group("q1") or match.group("q2") or match.group("num") or ""
        test = f"selected(${{{match.group('field')}}}, '{match.group('code').strip()}')"
        checked = value.strip() == "1"
        if match.group("op") != "=":
            checked = not checked
        return test if checked else f"not({test})"

    text = _CHECKBOX_TEST_RE.sub(checkbox, logic)
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char in "'\"":
            end = text.find(char, i + 1)
            if end == -1:
                out.append(text[i:])
                break
            content = text[i + 1 : end]
            out.append(f"'{content}'" if "'" not in content else f'"{content}"')
            i = end + 1
            continue
        if char == "[":
            end = text.find("]", i + 1)
            body = text[i + 1 : end] if end != -1 else text[i + 1 :]
            reference = body.strip()
            bare_checkbox = re.fullmatch(r"([A-Za-z0-9_]+)\(([^()]+)\)", reference)
            if reference in names:
                out.append(f"${{{reference}}}")
            elif bare_checkbox and bare_checkbox.group(1) in names:
                field_name, code = bare_checkbox.group(1), bare_checkbox.group(2).strip()
                out.append(f"selected(${{{field_name}}}, '{code}')")
            else:
                unknown.append(body)
                out.append("''")
            i = end + 1 if end != -1 else len(text)
            continue
        if text.startswith("<>", i):
            out.append("!=")
            i += 2
            continue
        if char.isalpha():
            match = re.match(r"[A-Za-z_][A-Za-z0-9_\-]*", text[i:])
            word = match.group(0) if match else char
            out.append(word.lower() if word.lower() in ("and", "or") else word)
            i += len(word)
            continue
        out.append(char)
        i += 1
    return "".join(out), unknown


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _number(text: str, item_type: str) -> Decimal | int | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    if item_type == "integer":
        if value != value.to_integral_value():
            return None
        return int(value)
    return value


def _unique(base: str, taken: set[str]) -> str:
    name = base
    counter = 1
    while name in taken:
        counter += 1
        name = f"{base}_{counter}"
    return name


def _slug(text: str) -> str:
    slug = re.sub(r"[^0-9A-Za-z_]+", "_", text).strip("_").lower()
    if slug and slug[0].isdigit():
        slug = f"s_{slug}"
    return slug
