"""Access expectations for the Data section (child protection data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.access_matrix.rules import MANAGERS, expect

VIEWS = MANAGERS | {"viewer", "scrutiny"}  # the figures; nobody else, and no rows but managers'


def objects(cast: Any) -> dict[str, Any]:
    from howgood.childprotection import services
    from tests.childprotection.files import extract

    staged = services.extract_stage(
        partnership=cast.a, data=extract(), filename="matrix.csv", actor=cast.coordinator
    )
    applied = services.extract_apply(extract=staged, actor=cast.coordinator)
    change = services.practice_change_add(
        partnership=cast.a, month=date(2024, 2, 1), title="New IRD guidance", actor=cast.coordinator
    )
    return {"c_extract": applied, "c_change": change}


def _pk(key: str) -> Any:
    return lambda o: {"pk": o[key].pk}


EXPECTATIONS: dict[str, dict[str, Any]] = {
    # The partnership one works in: the outsider sees their own (empty) Data section.
    "childprotection:index": {"expect": expect(VIEWS, outsider=200)},
    "childprotection:chart": {
        "kwargs": lambda o: {"key": "wellbeing"},
        "expect": expect(VIEWS, outsider=404),  # partnership B has no data to chart
    },
    "childprotection:export": {
        "kwargs": lambda o: {"fmt": "csv"},
        "expect": expect(VIEWS, outsider=200),
    },
    "childprotection:report": {
        "kwargs": lambda o: {"fmt": "docx"},
        "method": "post",
        "post": False,
        "expect": expect(VIEWS, ok=302, outsider=302),
    },
    "childprotection:extracts": {"expect": expect(MANAGERS, outsider=200)},
    "childprotection:extract": {"kwargs": _pk("c_extract"), "expect": expect(MANAGERS)},
    # An applied extract has no columns left to match: back to its page.
    "childprotection:columns": {"kwargs": _pk("c_extract"), "expect": expect(MANAGERS, ok=302)},
    "childprotection:rows": {"kwargs": _pk("c_extract"), "expect": expect(MANAGERS)},
    "childprotection:counts": {"expect": expect(MANAGERS, outsider=200)},
    "childprotection:settings": {"expect": expect(MANAGERS, outsider=200)},
    "childprotection:change_remove": {
        "kwargs": _pk("c_change"),
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302),
    },
    "childprotection:measure": {
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302, outsider=302),
    },
    "childprotection:sample": {"expect": expect(MANAGERS, outsider=200)},
}
