"""XLSForm question types: which HowGood asks, which it ignores, and which it refuses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["SUPPORTED_TYPES_TEXT", "Classified", "classify"]

SUPPORTED_TYPES_TEXT = (
    "text, integer, decimal, date, select_one, select_multiple and note "
    "(with begin_group and end_group for sections)"
)

_SIMPLE_TYPES: dict[str, str] = {
    **dict.fromkeys(("text", "string", "q string", "add text prompt"), "text"),
    **dict.fromkeys(("integer", "int", "q int", "add integer prompt"), "integer"),
    **dict.fromkeys(("decimal", "q decimal", "add decimal prompt"), "decimal"),
    **dict.fromkeys(("date", "q date", "add date prompt"), "date"),
    **dict.fromkeys(("note", "q note", "add note prompt"), "note"),
}
# Metadata that ODK records without asking anything: ignored silently.
_METADATA_TYPES = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "imei",
        "username",
        "simserial",
        "subscriberid",
        "phonenumber",
        "email",
        "audit",
        "start time",
        "end time",
        "get start time",
        "get end time",
        "get today",
        "device id",
        "get device id",
        "subscriber id",
        "get subscriber id",
        "sim id",
        "get sim id",
        "phone number",
        "get phone number",
        "uri:deviceid",
        "uri:username",
        "uri:simserial",
        "uri:subscriberid",
        "uri:phonenumber",
        "uri:email",
    }
)
_SELECT_ONE_COMMANDS = (
    "add select one prompt using",
    "select one from",
    "select one using",
    "select_one",
    "select one",
    "select1",
    "q select1",
)
_SELECT_MULTIPLE_COMMANDS = (
    "add select multiple prompt using",
    "select all that apply from",
    "select all that apply",
    "select multiple from",
    "select multiple using",
    "select_multiple",
    "select multiple",
    "q select",
)
_UNSUPPORTED_SELECT_COMMANDS = (
    "select_one_from_file",
    "select_multiple_from_file",
    "select one from file",
    "select multiple from file",
    "select_one_external",
    "select one external",
    "rank",
)


def _alternation(commands: Iterable[str]) -> str:
    ordered = sorted(commands, key=len, reverse=True)
    return "|".join(re.escape(command).replace(r"\ ", r"\s+") for command in ordered)


_SELECT_RE = re.compile(
    rf"^(?P<command>{_alternation(_SELECT_ONE_COMMANDS + _SELECT_MULTIPLE_COMMANDS)})"
    rf"(?:\s+(?P<list_name>\S+))?"
    rf"(?:\s+(?P<other>or_other|or\s+specify\s+other|or\s+other))?$",
    re.IGNORECASE,
)
_UNSUPPORTED_SELECT_RE = re.compile(
    rf"^(?P<command>{_alternation(_UNSUPPORTED_SELECT_COMMANDS)})(?:\s+.*)?$", re.IGNORECASE
)
_CONTROL_RE = re.compile(
    r"^(?P<edge>begin|end)[\s_]+(?P<kind>group|repeat|loop|lgroup|looped\s+group)"
    r"(?:\s+.*)?$",
    re.IGNORECASE,
)
_UNSUPPORTED_TYPE_REASONS: dict[str, str] = {
    "calculate": "calculated fields are not supported",
    "hidden": "hidden fields are not supported",
    "acknowledge": "acknowledgement (tick to confirm) questions are not supported",
    "trigger": "acknowledgement (trigger) questions are not supported",
    "range": "range (slider) questions are not supported; use an integer question "
    "with a constraint such as . >= 0 and . <= 10, or a select_one scale",
    "time": "time questions are not supported",
    "datetime": "date-and-time questions are not supported; use a date question",
    "geopoint": "HowGood does not record locations",
    "geotrace": "HowGood does not record locations",
    "geoshape": "HowGood does not record locations",
    "start-geopoint": "HowGood does not record locations",
    "background-geopoint": "HowGood does not record locations",
    "image": "HowGood does not collect photos or images",
    "photo": "HowGood does not collect photos or images",
    "audio": "HowGood does not collect audio recordings",
    "background-audio": "HowGood does not collect audio recordings",
    "video": "HowGood does not collect video",
    "file": "HowGood does not collect uploaded files",
    "barcode": "barcode questions are not supported",
}


@dataclass
class Classified:
    """What one survey row is."""

    kind: str  # item | begin | end | metadata | unsupported | blank
    item_type: str = ""
    list_name: str = ""
    control: str = ""  # group / repeat for begin/end
    reason: str = ""


def classify(row: Mapping[str, Any]) -> Classified:
    raw = _text(row.get("type"))
    if not raw:
        return Classified(kind="blank")
    spaced = " ".join(raw.split())
    lowered = spaced.lower()
    if lowered in _SIMPLE_TYPES:
        return Classified(kind="item", item_type=_SIMPLE_TYPES[lowered])
    if lowered in _METADATA_TYPES:
        return Classified(kind="metadata")
    if match := _CONTROL_RE.match(spaced):
        kind = match.group("kind").lower()
        control = "group" if kind == "group" else "repeat"
        return Classified(kind=match.group("edge").lower(), control=control)
    if match := _UNSUPPORTED_SELECT_RE.match(spaced):
        command = match.group("command").lower()
        reason = (
            "ranking questions are not supported"
            if command == "rank"
            else "choices from a file or an external list are not supported; put the "
            "choices on the choices sheet and use select_one or select_multiple"
        )
        return _unsupported(raw, reason)
    if match := _SELECT_RE.match(spaced):
        command = " ".join(match.group("command").lower().split())
        item_type = "select_one" if command in _SELECT_ONE_COMMANDS else "select_multiple"
        list_name = match.group("list_name") or ""
        if not list_name:
            return Classified(
                kind="unsupported",
                reason=f"The type '{raw}' needs the name of a choice list after it, for "
                f"example '{item_type} yes_no'.",
            )
        if list_name.startswith("${") or Path(list_name).suffix.lower() in (
            ".csv",
            ".xml",
            ".geojson",
        ):
            return _unsupported(raw, "choices must come from a list on the choices sheet")
        if match.group("other"):
            return Classified(
                kind="unsupported",
                reason=f"The type '{raw}' uses 'or_other', which is not supported. Remove "
                "'or_other', add an 'other' choice to the list, and add a text question "
                f"with a relevant such as selected(${{name}}, 'other') to ask for details.",
            )
        return Classified(kind="item", item_type=item_type, list_name=list_name)
    reason = _UNSUPPORTED_TYPE_REASONS.get(lowered.split(" ")[0], "")
    return _unsupported(raw, reason)


def _unsupported(raw: str, reason: str) -> Classified:
    because = f" ({reason})" if reason else ""
    return Classified(
        kind="unsupported",
        reason=f"The question type '{raw}' is not supported{because}. HowGood questionnaires "
        f"can use: {SUPPORTED_TYPES_TEXT}. Change the type or delete the row.",
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
