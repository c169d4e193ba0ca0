"""Access expectations for the Governance section."""

from __future__ import annotations

from typing import Any

from tests.access_matrix.rules import MANAGERS, expect

VIEWS = MANAGERS | {"viewer", "scrutiny"}


def objects(cast: Any) -> dict[str, Any]:
    from howgood.governance.services import draft_create

    return {"g_draft": draft_create(partnership=cast.a, actor=cast.lead)}


def _pk(key: str) -> Any:
    return lambda o: {"pk": o[key].pk}


EXPECTATIONS: dict[str, dict[str, Any]] = {
    # The partnership one works in: the outsider sees their own partnership's figures.
    "governance:index": {"expect": expect(VIEWS, outsider=200)},
    "governance:draft_create": {
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302, outsider=302),
    },
    "governance:draft": {"kwargs": _pk("g_draft"), "expect": expect(VIEWS)},
    "governance:draft_edit": {"kwargs": _pk("g_draft"), "expect": expect(MANAGERS)},
    "governance:draft_word": {
        "kwargs": _pk("g_draft"),
        "method": "post",
        "post": False,
        "expect": expect(VIEWS, ok=302),
    },
}
