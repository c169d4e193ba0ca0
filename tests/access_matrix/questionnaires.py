"""Access expectations for questionnaire URLs."""

from __future__ import annotations

from typing import Any

from tests.access_matrix.rules import MANAGERS, expect

VIEWERS = MANAGERS | {"scrutiny", "moderator"}


def objects(cast: Any) -> dict[str, Any]:
    from pathlib import Path

    from howgood.frameworks.services import framework_load
    from howgood.questionnaires import services
    from howgood.questionnaires.examples import pulse_survey

    framework_load(
        path=Path(__file__).resolve().parents[2] / "data" / "frameworks" / "qif-2019.yaml",
        actor=None,
    )
    draft = services.questionnaire_import(
        partnership=cast.a, files={"p.xlsx": pulse_survey()}, actor=cast.coordinator
    )
    shared = services.questionnaire_import(
        partnership=None, files={"p.xlsx": pulse_survey()}, actor=None
    )
    return {"q_draft": draft, "q_shared": shared}


def _v(key: str) -> Any:
    return lambda o: {"pk": o[key].pk}


EXPECTATIONS: dict[str, dict[str, Any]] = {
    "questionnaires:index": {"expect": expect(VIEWERS, outsider=200)},
    "questionnaires:upload": {"expect": expect(MANAGERS, outsider=200)},
    "questionnaires:questionnaire": {
        "kwargs": lambda o: {"pk": o["q_draft"].questionnaire_id},
        "expect": expect(VIEWERS),
    },
    "questionnaires:version": {"kwargs": _v("q_draft"), "expect": expect(VIEWERS)},
    "questionnaires:version_replace": {"kwargs": _v("q_draft"), "expect": expect(MANAGERS)},
    "questionnaires:version_publish": {"kwargs": _v("q_draft"), "expect": expect(MANAGERS)},
    "questionnaires:version_derive": {"kwargs": _v("q_draft"), "expect": expect(MANAGERS)},
    "questionnaires:version_export": {"kwargs": _v("q_draft"), "expect": expect(VIEWERS)},
    "questionnaires:preview": {
        "kwargs": lambda o: {"pk": o["q_draft"].pk, "index": 0},
        "expect": expect(VIEWERS),
    },
    "questionnaires:preview_check": {"kwargs": _v("q_draft"), "expect": expect(VIEWERS)},
    "questionnaires:preview_done": {"kwargs": _v("q_draft"), "expect": expect(VIEWERS)},
}
