"""What changed between two versions of the position statement, word by word."""

from __future__ import annotations

import difflib
import re
from typing import Any

FIELDS = [
    ("now", "How good are we now?"),
    ("how_know", "How do we know?"),
    ("next", "What do we plan to do next?"),
]


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """``(op, text)`` pieces, op one of "same", "added", "removed"; whitespace kept with
    the word before it so the text reads as written."""
    a = re.findall(r"\S+\s*", before)
    b = re.findall(r"\S+\s*", after)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("removed", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("added", "".join(b[j1:j2])))
    return pieces


def compare_versions(first: Any, second: Any) -> list[dict[str, Any]]:
    """Each inspection statement's three answers, diffed; unchanged answers are marked."""
    numbers = sorted(set(first.content) | set(second.content), key=int)
    result = []
    for number in numbers:
        a = first.content.get(number, {})
        b = second.content.get(number, {})
        fields = []
        for key, label in FIELDS:
            before, after = a.get(key, ""), b.get(key, "")
            fields.append(
                {
                    "label": label,
                    "changed": before != after,
                    "pieces": word_diff(before, after),
                }
            )
        result.append({"number": number, "fields": fields})
    return result
