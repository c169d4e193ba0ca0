"""XLSForm column headings, understood the way ODK's pyxform understands them.

pyxform keeps its heading aliases and its heading parser private, so HowGood has its own
small equivalent (checked against pyxform's behaviour in ``tests/questionnaires``):

* legacy and alternative spellings become the standard column (``caption`` -> ``label``,
  ``list_name`` -> ``list name``, ``form_title`` -> ``title``, ...);
* binding and control columns are grouped (``required`` -> ``bind`` / ``required``,
  ``appearance`` -> ``control`` / ``appearance``, ``bind::constraint``);
* ``label::English (en)`` and ``label:French`` language columns are grouped by language,
  an unsuffixed ``label`` standing for the ``default`` language;
* headings are matched in snake case (``Choice Filter`` is ``choice_filter``), and unknown
  headings are kept as they are;
* cell text has "smart" quotes replaced by plain ones, and on the survey sheet runs of
  spaces are collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import chain
from typing import Any

__all__ = [
    "CHOICES",
    "DEFAULT_LANGUAGE",
    "SETTINGS",
    "SURVEY",
    "HeaderError",
    "SheetHeaders",
    "group_headers",
    "is_xml_tag",
]

DEFAULT_LANGUAGE = "default"
"""The language key of an unsuffixed ``label`` (or ``hint``, ...)."""

Alias = str | tuple[str, ...]


class SheetHeaders:
    """What one sheet's headings may be: their aliases and the columns known as such."""

    def __init__(self, aliases: Mapping[str, Alias], columns: frozenset[str]) -> None:
        self.aliases = aliases
        self.columns = columns


_MEDIA = {
    "image": ("media", "image"),
    "big-image": ("media", "big-image"),
    "audio": ("media", "audio"),
    "video": ("media", "video"),
}
SURVEY = SheetHeaders(
    aliases={
        "sms_field": "sms_field",
        "sms_option": "sms_option",
        "sms_separator": "sms_separator",
        "sms_allow_media": "sms_allow_media",
        "sms_date_format": "sms_date_format",
        "sms_datetime_format": "sms_datetime_format",
        "sms_response": "sms_response",
        "compact_tag": ("instance", "odk:tag"),
        "read_only": ("bind", "readonly"),
        "readonly": ("bind", "readonly"),
        "relevant": ("bind", "relevant"),
        "caption": "label",
        "appearance": ("control", "appearance"),
        "relevance": ("bind", "relevant"),
        "required": ("bind", "required"),
        "constraint": ("bind", "constraint"),
        "constraining_message": ("bind", "jr:constraintMsg"),
        "constraint_message": ("bind", "jr:constraintMsg"),
        "calculation": ("bind", "calculate"),
        "calculate": ("bind", "calculate"),
        "command": "type",
        "tag": "name",
        "value": "name",
        **_MEDIA,
        "count": ("control", "jr:count"),
        "repeat_count": ("control", "jr:count"),
        "jr:count": ("control", "jr:count"),
        "autoplay": ("control", "autoplay"),
        "rows": ("control", "rows"),
        "noapperrorstring": ("bind", "jr:noAppErrorString"),
        "no_app_error_string": ("bind", "jr:noAppErrorString"),
        "requiredmsg": ("bind", "jr:requiredMsg"),
        "required_message": ("bind", "jr:requiredMsg"),
        "body": "control",
        "save_to": ("bind", "entities:saveto"),
    },
    columns=frozenset(
        {
            "actions",
            "bind",
            "choice_filter",
            "choices",
            "control",
            "default",
            "extra_data",
            "guidance_hint",
            "hint",
            "instance",
            "itemset",
            "label",
            "list_name",
            "media",
            "name",
            "parameters",
            "parent",
            "query",
            "sms_field",
            "trigger",
            "type",
        }
    ),
)
CHOICES = SheetHeaders(
    aliases={"caption": "label", "list_name": "list name", "value": "name", **_MEDIA},
    columns=frozenset({"extra_data", "label", "media", "name", "parent", "sms_option"}),
)
SETTINGS = SheetHeaders(
    aliases={
        "form_title": "title",
        "set_form_title": "title",
        "form_id": "id_string",
        "set_form_id": "id_string",
        "prefix": "prefix",
    },
    columns=frozenset(
        {
            "add_none_option",
            "allow_choice_duplicates",
            "attribute",
            "auto_delete",
            "auto_send",
            "bind",
            "children",
            "choices",
            "clean_text_values",
            "client_editable",
            "control",
            "default_language",
            "delimiter",
            "entity_version",
            "extra_data",
            "file_name",
            "flat",
            "hint",
            "id_string",
            "instance",
            "instance_name",
            "instance_xmlns",
            "label",
            "media",
            "name",
            "namespaces",
            "omit_instanceID",
            "parent",
            "prefix",
            "public_key",
            "setgeopoint_by_triggering_ref",
            "setvalues_by_triggering_ref",
            "sms_allow_media",
            "sms_date_format",
            "sms_datetime_format",
            "sms_field",
            "sms_keyword",
            "sms_response",
            "sms_separator",
            "style",
            "submission_url",
            "title",
            "type",
            "version",
        }
    ),
)

_SMART_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_SMART_QUOTES_RE = re.compile("|".join(re.escape(quote) for quote in _SMART_QUOTES))
_SPACES_RE = re.compile(r"( )+")

# An XML name without colons (NCName), optionally after a namespace prefix and a colon,
# as ODK's pyxform checks names. Its pattern leaves out U+00C0 to U+00D6 (À to Ö), so this
# one does too: a name ODK refuses is refused here, with HowGood's message.
_NAME_START = (
    "A-Z_a-z\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_REST = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NCNAME = f"[{_NAME_START}][{_NAME_REST}]*"
_XML_TAG_RE = re.compile(f"{_NCNAME}(?::{_NCNAME})?")


class HeaderError(Exception):
    """The sheet's headings cannot be used; ``message`` says why, in plain English."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_xml_tag(name: str) -> bool:
    """Whether ``name`` can be an XML element name (as ODK needs question names to be)."""
    return bool(name) and _XML_TAG_RE.fullmatch(name) is not None


def _snake_case(text: str) -> str:
    return "_".join(text.split()).lower()


def _heading_tokens(
    heading: str, double_colon: bool, sheet: SheetHeaders
) -> tuple[str, tuple[str, ...]]:
    """(the heading's new name, its path: one token, or a group and its key)."""
    if heading in sheet.columns and heading not in sheet.aliases:
        return heading, (heading,)
    snake = _snake_case(heading)
    if snake in sheet.columns and snake not in sheet.aliases:
        return snake, (snake,)
    if double_colon or "::" in heading:
        tokens = tuple(token.strip() for token in heading.split("::"))
    else:
        tokens = tuple(token.strip() for token in heading.split(":"))
        if "jr" in tokens:  # "jr:count" written with single-colon groups
            at = tokens.index("jr")
            tokens = (*tokens[:at], f"jr:{tokens[at + 1]}", *tokens[at + 2 :])
    first = _snake_case(tokens[0])
    alias = sheet.aliases.get(first)
    if alias:
        if isinstance(alias, tuple):
            return alias[0], (*alias, *tokens[1:])
        return alias, (alias, *tokens[1:])
    if first in sheet.columns:
        return first, (first, *tokens[1:])
    return heading, tokens  # unknown headings are kept, so expressions using them still work


def _clean(value: Any, strip: bool) -> Any:
    if isinstance(value, str) and value:
        if strip:
            value = _SPACES_RE.sub(" ", value.strip())
        value = _SMART_QUOTES_RE.sub(lambda match: _SMART_QUOTES[match.group(0)], value)
    return value


def _nested(path: Sequence[Any]) -> Any:
    """[a, b, c] -> {a: {b: c}}."""
    return {path[0]: _nested(path[1:])} if len(path) > 1 else path[0]


def _merge(first: Any, second: Any) -> Any:
    """Merge nested values; a plain value next to per-language ones is the default's."""
    if not first:
        return second
    if not second:
        return first
    if not isinstance(first, dict):
        if DEFAULT_LANGUAGE in second:
            return second
        first = {DEFAULT_LANGUAGE: first}
    if not isinstance(second, dict):
        if DEFAULT_LANGUAGE in first:
            return first
        second = {DEFAULT_LANGUAGE: second}
    for key in dict.fromkeys(chain(first, second)):
        first[key] = _merge(first.get(key), second.get(key))
    return first


def group_headers(
    sheet_name: str,
    sheet: SheetHeaders,
    header: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    *,
    required: frozenset[str] = frozenset(),
    strip: bool = False,
) -> list[dict[str, Any]]:
    """``rows`` (heading -> text) with their headings understood: one dict per row, in
    order, grouped columns nested (``{"bind": {"required": "yes"}}``,
    ``{"label": {"English (en)": "Age"}}``). HeaderError when two headings mean the same
    column or a ``required`` column is missing."""
    if not header:  # no heading row given: the headings the rows use
        header = list(dict.fromkeys(key for row in rows[:100] for key in row))
    paths: dict[str, tuple[str, ...]] = {}
    owners: dict[tuple[str, ...], str] = {}
    double_colon = any("::" in heading for heading in header)
    for heading in header:
        if heading in paths:
            continue
        name, tokens = _heading_tokens(heading, double_colon, sheet)
        other = owners.get(tokens)
        if other and name != heading:
            raise HeaderError(
                f"Invalid headers provided for sheet: '{sheet_name}'. Headers that are "
                f"different names for the same column were found: '{other}', '{heading}'. "
                "Rename or remove one of these columns."
            )
        paths[heading] = tokens
        owners[tokens] = heading
    result: list[dict[str, Any]] = []
    for row in rows:
        out: dict[str, Any] = {}
        for heading, raw in row.items():
            value = _clean(raw, strip)
            tokens = paths.get(heading) or (heading,)
            if len(tokens) == 1:
                out[tokens[0]] = value
            else:
                out = _merge(out, {tokens[0]: _nested((*tokens[1:], value))})
        result.append(out)
    if required and (result or sheet_name == "survey"):
        present = {tokens[0] for tokens in owners}
        missing = [column for column in sorted(required) if column not in present]
        if missing:
            raise HeaderError(
                f"Invalid headers provided for sheet: '{sheet_name}'. One or more required "
                f"column headers were not found: {', '.join(repr(c) for c in missing)}."
            )
    return result
