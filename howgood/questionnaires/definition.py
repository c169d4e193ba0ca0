"""The neutral questionnaire definition that every importer produces.

The XLSForm reader (:mod:`howgood.questionnaires.xlsform`) and the REDCap reader
(:mod:`howgood.questionnaires.redcap`) both turn an uploaded file into one :class:`FormDef`.
Nothing in this module knows about Django, spreadsheets or REDCap: it only holds data.

Contracts that the readers guarantee for a :class:`FormDef` they return:

* every item name is unique across the whole form (sections are flattened groups, so
  names cannot repeat even in different sections);
* ``ItemDef.type`` is one of :data:`ITEM_TYPES`;
* a select item's ``choice_list`` names a key of ``FormDef.choice_lists`` and that list
  has at least one choice, with unique choice names;
* ``relevant`` and ``constraint`` are either empty or normalised XLSForm expression text
  (``${name}`` references, as printed by ``expressions.to_text``) that parses, and every
  ``${name}`` they mention is an item of the same form;
* ``min_value``/``max_value`` (numbers) and ``min_length``/``max_length`` (text) are only
  set when they follow from ``constraint``; the ``constraint`` text is always kept too;
* ``row`` is the 1-based spreadsheet row (the header is row 1) or, for CSV files, the line
  on which the record starts.

When a file cannot be imported the readers raise :class:`DefinitionError` carrying *every*
problem they found, each located by sheet and row, so that a QA officer can fix the whole
spreadsheet in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from howgood.questionnaires import expressions

ITEM_TYPES: tuple[str, ...] = (
    "text",
    "integer",
    "decimal",
    "date",
    "select_one",
    "select_multiple",
    "note",
)
"""The only item types HowGood collects."""

SELECT_TYPES: tuple[str, ...] = ("select_one", "select_multiple")
NUMERIC_TYPES: tuple[str, ...] = ("integer", "decimal")
SOURCE_FORMATS: tuple[str, ...] = ("xlsform", "redcap")

MAX_ITEMS = 2_000
"""Most questions and notes in one questionnaire (a full record-reading template has a few
hundred; REDCap section headers count, as they become notes)."""
MAX_CHOICES_PER_LIST = 1_000
"""Most choices one question can offer."""
MAX_CHOICES = 10_000
"""Most choices in all the lists a questionnaire uses."""
MAX_GROUP_DEPTH = 10
"""How deep XLSForm groups may be nested (a group in a group is 2 deep)."""

# How a problem's location is written for each kind of "sheet".  A REDCap data dictionary
# is a CSV file, so we speak of lines there; the whole-file problems have no location.
_LINE_SHEETS = frozenset({"data dictionary"})
_FILE_SHEETS = frozenset({"file", ""})


@dataclass(frozen=True)
class ChoiceDef:
    """One answer option of a choice list.

    ``name`` is the stored value (what ``selected(${q}, 'name')`` compares with) and
    ``label`` the text shown.  ``row`` is where the choice was defined (0 when unknown);
    it is not part of equality.
    """

    name: str
    label: str
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ItemDef:
    """One question (or note) of a questionnaire.

    ``type`` is one of :data:`ITEM_TYPES`.  ``relevant``/``constraint`` are normalised
    XLSForm expression text (empty when absent); the relevant of an item already includes
    the relevant of any nested group it sat in (but not that of its section, which is on
    :class:`SectionDef`).  ``qi`` holds quality-indicator numbers such as ``"2.1"`` and
    ``statements`` inspection statement numbers 1-4.  ``extra`` keeps other source columns
    worth remembering (for example ``identifier`` for a REDCap identifier field, or
    ``validation`` for a REDCap validation type with no HowGood equivalent).
    """

    name: str
    type: str
    label: str
    hint: str = ""
    required: bool = False
    required_message: str = ""
    relevant: str = ""
    constraint: str = ""
    constraint_message: str = ""
    appearance: str = ""
    choice_list: str = ""
    qi: list[str] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    row: int = 0
    extra: dict[str, str] = field(default_factory=dict)
    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None
    min_length: int | None = None
    max_length: int | None = None

    def __post_init__(self) -> None:
        if self.type not in ITEM_TYPES:
            raise ValueError(f"Unknown item type {self.type!r}; expected one of {ITEM_TYPES}.")
        if self.type in SELECT_TYPES and not self.choice_list:
            raise ValueError(f"Select item {self.name!r} needs a choice_list.")

    @property
    def is_select(self) -> bool:
        """True for ``select_one`` and ``select_multiple`` items."""
        return self.type in SELECT_TYPES

    @property
    def collects_answer(self) -> bool:
        """False for notes, which only display text."""
        return self.type != "note"


@dataclass
class SectionDef:
    """A top-level group of the questionnaire (shown as one page or part).

    Items that sat outside any group in the source become a section of their own, named
    from the form title.  ``relevant`` is the group's own relevant, which applies to
    every item in it.
    """

    name: str
    title: str
    hint: str = ""
    relevant: str = ""
    row: int = 0
    items: list[ItemDef] = field(default_factory=list)


@dataclass
class FormDef:
    """A whole questionnaire as read from an XLSForm workbook or a REDCap dictionary.

    ``source_format`` is ``"xlsform"`` or ``"redcap"``.  ``default_language`` is the
    language whose labels were taken (for example ``"English (en)"``), or the settings
    ``default_language``, or empty when the source has a single unnamed language.
    ``choice_lists`` maps list name to its choices, in source order, and holds the lists
    used by the select items.
    """

    title: str
    form_id: str
    version: str
    source_format: str
    default_language: str
    sections: list[SectionDef] = field(default_factory=list)
    choice_lists: dict[str, list[ChoiceDef]] = field(default_factory=dict)

    def iter_items(self) -> Iterator[ItemDef]:
        """Every item of every section, in questionnaire order."""
        for section in self.sections:
            yield from section.items

    @property
    def items(self) -> list[ItemDef]:
        """Every item of every section, in questionnaire order."""
        return list(self.iter_items())

    def item(self, name: str) -> ItemDef:
        """The item called ``name``; ``KeyError`` when there is none."""
        for item in self.iter_items():
            if item.name == name:
                return item
        raise KeyError(name)

    def choices_for(self, item: ItemDef) -> list[ChoiceDef]:
        """The choices of a select item (an empty list for other items)."""
        if not item.choice_list:
            return []
        return self.choice_lists.get(item.choice_list, [])


@dataclass(frozen=True)
class Problem:
    """Why (part of) a file cannot be imported, and where.

    ``sheet`` is the spreadsheet sheet (``"survey"``, ``"choices"``, ``"settings"``), the
    REDCap ``"data dictionary"``, or ``"file"`` for problems with the file as a whole.
    ``row`` is the 1-based row (CSV line for CSV files) or ``None``.  ``message`` is plain
    English for the person editing the spreadsheet: what is wrong and how to fix it.
    """

    sheet: str
    row: int | None
    message: str

    @property
    def location(self) -> str:
        """``"survey sheet, row 14"``, ``"data dictionary, line 3"`` or ``""``."""
        if self.sheet in _FILE_SHEETS:
            return ""
        if self.sheet in _LINE_SHEETS:
            where = self.sheet
            unit = "line"
        else:
            where = f"{self.sheet} sheet"
            unit = "row"
        if self.row is None:
            return where
        return f"{where}, {unit} {self.row}"

    def __str__(self) -> str:
        location = self.location
        return f"{location}: {self.message}" if location else self.message


_NUMBER = r"-?\d+(?:\.\d+)?"
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
_VALUE_BOUND = re.compile(rf"^\.\s*(<=|>=|<|>)\s*({_NUMBER})$")
_VALUE_BOUND_REVERSED = re.compile(rf"^({_NUMBER})\s*(<=|>=|<|>)\s*\.$")
_LENGTH_BOUND = re.compile(r"^string-length\(\s*\.\s*\)\s*(<=|>=|<|>)\s*(\d+)$")
_LENGTH_BOUND_REVERSED = re.compile(r"^(\d+)\s*(<=|>=|<|>)\s*string-length\(\s*\.\s*\)$")


@dataclass(frozen=True)
class Bounds:
    """Limits that follow from a constraint (``None`` when the constraint sets none)."""

    min_value: Decimal | int | None = None
    max_value: Decimal | int | None = None
    min_length: int | None = None
    max_length: int | None = None


def _split_top_level(text: str, keyword: str) -> list[str]:
    """Split ``text`` on ``keyword`` (``and``/``or``) outside brackets and quotes."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    i = 0
    size = len(keyword)
    while i < len(text):
        char = text[i]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif (
            depth == 0
            and text.startswith(keyword, i)
            and (i == 0 or text[i - 1].isspace() or text[i - 1] == ")")
            and (i + size == len(text) or text[i + size].isspace() or text[i + size] == "(")
        ):
            parts.append(text[start:i])
            start = i + size
            i += size
            continue
        i += 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _strip_outer_parentheses(text: str) -> str:
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for index, char in enumerate(text):
            depth += char == "("
            depth -= char == ")"
            if depth == 0 and index < len(text) - 1:
                return text  # "(a) and (b)": the outer brackets are not a pair
        text = text[1:-1].strip()
    return text


def derive_bounds(constraint: str, item_type: str, self_name: str = "") -> Bounds:
    """Work out min/max value or length from a simple constraint.

    Recognises top-level ``and`` conjuncts of the forms ``. >= 0``, ``. < 120``,
    ``18 <= .``, ``string-length(.) <= 200`` (``${self_name}`` counts as ``.``).  Anything
    else in the constraint is ignored here (it stays in the constraint text).  Strict
    bounds are turned into inclusive ones for whole numbers and lengths (``. > 0`` on an
    integer gives ``min_value == 1``); for decimals a strict bound sets nothing, since no
    inclusive limit is equivalent.  Value limits are only given for integer and decimal
    items (``int`` and ``Decimal`` respectively); length limits only for text items.
    A conjunct joined by ``or`` at the top level makes the whole constraint unrecognised.
    """
    text = constraint.strip()
    if not text:
        return Bounds()
    if self_name:
        text = text.replace("${" + self_name + "}", ".")
    lows: list[Decimal] = []
    highs: list[Decimal] = []
    min_lengths: list[int] = []
    max_lengths: list[int] = []
    text = _strip_outer_parentheses(text)
    if len(_split_top_level(text, "or")) > 1:
        return Bounds()
    for raw in _split_top_level(text, "and"):
        part = _strip_outer_parentheses(raw)
        operator = number = ""
        if match := _VALUE_BOUND.match(part):
            operator, number = match.group(1), match.group(2)
        elif match := _VALUE_BOUND_REVERSED.match(part):
            operator, number = _FLIP[match.group(2)], match.group(1)
        if operator and item_type in NUMERIC_TYPES:
            _add_value_bound(operator, Decimal(number), item_type, lows, highs)
            continue
        if match := _LENGTH_BOUND.match(part):
            operator, number = match.group(1), match.group(2)
        elif match := _LENGTH_BOUND_REVERSED.match(part):
            operator, number = _FLIP[match.group(2)], match.group(1)
        else:
            continue
        if item_type == "text":
            length = int(number)
            if operator in (">", ">="):
                min_lengths.append(length + 1 if operator == ">" else length)
            else:
                max_lengths.append(length - 1 if operator == "<" else length)
    return Bounds(
        min_value=_as_item_number(max(lows), item_type) if lows else None,
        max_value=_as_item_number(min(highs), item_type) if highs else None,
        min_length=max(min_lengths) if min_lengths else None,
        max_length=min(max_lengths) if max_lengths else None,
    )


def _add_value_bound(
    operator: str, value: Decimal, item_type: str, lows: list[Decimal], highs: list[Decimal]
) -> None:
    lower = operator in (">", ">=")
    strict = operator in (">", "<")
    if item_type == "integer":
        if lower:
            whole = value.to_integral_value(rounding="ROUND_CEILING")
            lows.append(whole + 1 if strict and whole == value else whole)
        else:
            whole = value.to_integral_value(rounding="ROUND_FLOOR")
            highs.append(whole - 1 if strict and whole == value else whole)
    elif not strict:
        (lows if lower else highs).append(value)


def _as_item_number(value: Decimal, item_type: str) -> Decimal | int:
    return int(value) if item_type == "integer" else value


def too_many_items(count_words: str) -> str:
    """The sentence every "too many questions" message ends with; ``count_words`` says
    what was found ("The survey sheet has more than 2,000 questions")."""
    return (
        f"{count_words}. HowGood takes up to {MAX_ITEMS:,} questions and notes in one "
        "questionnaire: split it into smaller questionnaires."
    )


def too_many_choices(what: str, count: int) -> str:
    return (
        f"{what} has {count:,} choices. A question can have up to {MAX_CHOICES_PER_LIST:,} "
        "choices: use a text question, or split the list."
    )


def size_problems(formdef: FormDef) -> list[Problem]:
    """Problems with a definition's size (see :data:`MAX_ITEMS`, :data:`MAX_CHOICES`);
    the readers check each list's length and group depth where they read them."""
    problems: list[Problem] = []
    items = sum(len(section.items) for section in formdef.sections)
    if items > MAX_ITEMS:
        problems.append(
            Problem(
                "file",
                None,
                too_many_items(f"This questionnaire has {items:,} questions and notes"),
            )
        )
    choices = sum(len(options) for options in formdef.choice_lists.values())
    if choices > MAX_CHOICES:
        problems.append(
            Problem(
                "file",
                None,
                f"The questionnaire's questions have {choices:,} choices in all. HowGood takes "
                f"up to {MAX_CHOICES:,} in one questionnaire: split it into smaller "
                "questionnaires.",
            )
        )
    return problems


class DefinitionError(Exception):
    """Raised by the readers with every problem found in a file (never just the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        if count == 1:
            return f"This questionnaire cannot be imported: {self.problems[0]}"
        lines = [f"This questionnaire cannot be imported ({count} problems):"]
        lines.extend(f"- {problem}" for problem in self.problems)
        return "\n".join(lines)


# --------------------------------------------------------------------------------------
# Expressions in a source file (shared by the XLSForm and REDCap readers)
# --------------------------------------------------------------------------------------


def check_expression(
    text: str,
    *,
    what: str,
    sheet: str,
    row: int,
    problems: list[Problem],
    known: Mapping[str, str],
    noun: str = "question",
) -> str | None:
    """Parse an expression and check its ``${name}`` references; return normalised text.

    ``what`` names the expression for messages (for example ``"The relevant"``).
    ``known`` maps every name defined in the source to its kind: ``"question"``
    (usable), ``"refused"`` (a row already reported, so no second message),
    ``"metadata"``, ``"group"`` or anything else (reported as not a question).
    Problems are appended to ``problems``; ``None`` is returned when the expression
    cannot be used.  ``noun`` is what the source calls its questions (REDCap: ``"field"``).
    """
    try:
        node = expressions.parse(text)
    except expressions.ExpressionError as error:
        problems.append(
            Problem(
                sheet,
                row,
                f"{what} '{text}' cannot be read: {expression_error_text(error)}.",
            )
        )
        return None
    usable = True
    for name in sorted(expressions.references(node)):
        kind = known.get(name)
        if kind in ("question", "refused"):
            continue
        usable = False
        if kind == "metadata":
            reason = (
                f"refers to ${{{name}}}, which is a metadata field that HowGood does not "
                "record. Remove that part of the expression"
            )
        elif kind is not None:
            reason = (
                f"refers to ${{{name}}}, which is a {kind}, not a {noun}. Refer to a {noun} instead"
            )
        else:
            reason = (
                f"refers to ${{{name}}}, but there is no {noun} named '{name}'. Check "
                "the spelling (names are case-sensitive)"
            )
        problems.append(Problem(sheet, row, f"{what} '{text}' {reason}."))
    if not usable:
        return None
    return str(expressions.to_text(node))


def expression_error_text(error: Exception) -> str:
    message = str(error).rstrip(".")
    position = getattr(error, "position", None)
    if isinstance(position, int) and "character" not in message and "position" not in message:
        message = f"{message} (at character {position + 1})"
    return message
