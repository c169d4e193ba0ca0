"""Access expectations for surveys: staff pages by role, respondent pages open to anyone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.access_matrix.rules import MANAGERS, everyone, expect

VIEW = MANAGERS | {"viewer", "scrutiny"}


def objects(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from howgood.questionnaires import services as qservices
    from howgood.questionnaires.examples import pulse_survey
    from howgood.surveys import services

    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"p.xlsx": pulse_survey()},
        actor=cast.coordinator,
        kind="staff_survey",
    )
    version = qservices.version_publish(version=version, actor=cast.coordinator)
    today = timezone.localdate()
    survey = services.survey_create(
        partnership=cast.a,
        title="Matrix survey",
        version=version,
        audience=[cast.health],
        opens_on=today,
        closes_on=today + timedelta(days=20),
        access_mode="both",
        actor=cast.coordinator,
    )
    return {"s_survey": survey}


def _pk(o: dict[str, Any]) -> dict[str, Any]:
    return {"pk": o["s_survey"].pk}


def _token(o: dict[str, Any]) -> dict[str, Any]:
    return {"token": o["s_survey"].link_token}


EXPECTATIONS: dict[str, dict[str, Any]] = {
    "surveys:index": {"expect": expect(VIEW, outsider=200)},
    "surveys:create": {"expect": expect(MANAGERS, outsider=200)},
    "surveys:detail": {"kwargs": _pk, "expect": expect(VIEW)},
    "surveys:codes": {"kwargs": _pk, "expect": expect(MANAGERS)},
    "surveys:codes_download": {"kwargs": _pk, "expect": expect(MANAGERS)},
    "surveys:close": {"kwargs": _pk, "expect": expect(MANAGERS)},
    "surveys:analysis": {"kwargs": _pk, "expect": expect(VIEW)},
    "surveys:analysis_chart": {
        "kwargs": lambda o: {"pk": o["s_survey"].pk, "key": "0" * 32},
        "expect": expect(VIEW, ok=404),
    },  # still open: no results, so no chart
    "surveys:comments": {"kwargs": _pk, "expect": expect(MANAGERS)},
    "surveys:export": {
        "kwargs": lambda o: {"pk": o["s_survey"].pk, "fmt": "csv"},
        "expect": expect(MANAGERS),
    },
    "surveys:report": {
        "kwargs": lambda o: {"pk": o["s_survey"].pk, "fmt": "docx"},
        "method": "post",
        "post": False,
        "expect": expect(VIEW, ok=302),
    },
    # Respondents: no sign-in. Pages that need a response in progress send people to the start.
    "surveys:start": {"kwargs": _token, "expect": everyone(200), "public": True},
    "surveys:section": {
        "kwargs": lambda o: {**_token(o), "index": 0},
        "expect": everyone(302),
        "post": False,
    },
    "surveys:check": {"kwargs": _token, "expect": everyone(302), "post": False},
    "surveys:done": {"kwargs": _token, "expect": everyone(302), "post": False},
    "surveys:save": {"kwargs": _token, "expect": everyone(302), "post": False},
    "surveys:resume": {"kwargs": _token, "expect": everyone(200), "post": False, "public": True},
}
