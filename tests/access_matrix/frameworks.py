"""Access expectations for the quality framework: reference data any signed-in person reads;
only the partnership lead (or an administrator) fills in an indicator's themes and
illustrations from their own copy."""

from __future__ import annotations

from typing import Any

from tests.access_matrix.rules import expect, signed_in


def objects(cast: Any) -> dict[str, Any]:
    return {}  # the questionnaires module loads the framework; its slug is fixed


EXPECTATIONS: dict[str, dict[str, Any]] = {
    "frameworks:index": {"expect": signed_in(200)},
    "frameworks:detail": {"kwargs": lambda o: {"slug": "qif-2019"}, "expect": signed_in(200)},
    "frameworks:indicator": {
        "kwargs": lambda o: {"slug": "qif-2019", "number": "2.1"},
        "expect": signed_in(200),
    },
    # The outsider is the coordinator of partnership B: refused by role in their own
    # partnership (403), since the indicator is shared reference data, not A's object.
    "frameworks:fill_in": {
        "kwargs": lambda o: {"slug": "qif-2019", "number": "2.1"},
        "expect": expect({"lead"}, outsider=403),
    },
}
