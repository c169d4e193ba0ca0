"""Access expectations for the Governance section."""

from __future__ import annotations

from typing import Any

from tests.access_matrix.rules import MANAGERS, expect

VIEWS = MANAGERS | {"viewer", "scrutiny"}


def objects(cast: Any) -> dict[str, Any]:
    from datetime import date

    from howgood.governance import services

    group = services.group_create(
        partnership=cast.a,
        data={"name": "Child protection committee", "kind": "child_protection_committee"},
        actor=cast.lead,
    )
    seat = services.seat_add(group=group, name="Jo Bloggs", actor=cast.lead)
    meeting = services.meeting_create(
        group=group, held_on=date(2026, 3, 1), items=["Threshold data"], actor=cast.lead
    )
    return {
        "g_draft": services.draft_create(partnership=cast.a, actor=cast.lead),
        "g_group": group,
        "g_seat": seat,
        "g_meeting": meeting,
        "g_item": meeting.items.get(),
        "g_pack": services.pack_create(partnership=cast.a, actor=cast.lead),
    }


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
    "governance:figures": {"expect": expect(VIEWS, outsider=200)},
    "governance:dashboard": {"expect": expect(VIEWS, outsider=200)},
    "governance:group_create": {"expect": expect(MANAGERS, outsider=200)},
    "governance:group": {"kwargs": _pk("g_group"), "expect": expect(VIEWS)},
    "governance:group_edit": {"kwargs": _pk("g_group"), "expect": expect(MANAGERS)},
    "governance:seat_add": {"kwargs": _pk("g_group"), "expect": expect(MANAGERS)},
    "governance:seat_remove": {
        "kwargs": _pk("g_seat"),
        "method": "post",
        "post": False,
        "expect": expect(MANAGERS, ok=302),
    },
    "governance:meeting_create": {"kwargs": _pk("g_group"), "expect": expect(MANAGERS)},
    "governance:meeting": {"kwargs": _pk("g_meeting"), "expect": expect(VIEWS)},
    "governance:item_add": {"kwargs": _pk("g_meeting"), "expect": expect(MANAGERS)},
    "governance:item_edit": {"kwargs": _pk("g_item"), "expect": expect(MANAGERS)},
    "governance:attendance": {"kwargs": _pk("g_meeting"), "expect": expect(MANAGERS)},
    "governance:papers": {"kwargs": _pk("g_meeting"), "expect": expect(MANAGERS)},
    "governance:decision_add": {"kwargs": _pk("g_meeting"), "expect": expect(MANAGERS)},
    "governance:minutes": {
        "kwargs": _pk("g_meeting"),
        "method": "post",
        "post": False,
        "expect": expect(VIEWS, ok=302),
    },
    "governance:pack_create": {"expect": expect(MANAGERS, outsider=200)},
    "governance:pack": {"kwargs": _pk("g_pack"), "expect": expect(VIEWS)},
    "governance:pack_remake": {
        "kwargs": _pk("g_pack"),
        "method": "post",
        "post": False,
        "expect": expect(VIEWS, ok=302),
    },
}
