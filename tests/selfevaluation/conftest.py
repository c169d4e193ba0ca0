from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from howgood.improvement import services as improvement
from howgood.improvement.demo import ready_plan
from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.selfevaluation import services
from howgood.surveys import services as surveys


@pytest.fixture
def survey(cast: Any, framework: Any) -> Any:
    """A staff survey answered by 12 people: 9 agree they are confident, 3 disagree; closed,
    since a survey's results are shown only once it has closed (ADR 0008)."""
    version = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.a,
            files={"p.xlsx": pulse_survey()},
            actor=cast.coordinator,
            kind="staff_survey",
        ),
        actor=cast.coordinator,
    )
    today = date.today()
    made = surveys.survey_create(
        partnership=cast.a,
        title="Staff survey",
        version=version,
        audience=[cast.social_work, cast.health],
        opens_on=today,
        closes_on=today + timedelta(days=20),
        access_mode="link",
        actor=cast.coordinator,
    )
    for i in range(12):
        response = surveys.response_start(survey=made, agency=cast.social_work)
        surveys.response_save(
            response=response,
            values={"role": "teacher", "confident_risk": "agree" if i < 9 else "disagree"},
            section_index=2,
        )
        surveys.response_submit(response=response)
    return surveys.survey_close(survey=made, actor=cast.coordinator)


@pytest.fixture
def measure(cast: Any) -> Any:
    made = improvement.measure_create(
        partnership=cast.a,
        actor=cast.coordinator,
        data={
            "title": "IRDs within 24 hours",
            "type": "process",
            "definition": "From the IRD log",
            "numerator": "IRDs within 24 hours",
            "chart": "xmr",
            "rules": "mdc",
            "improvement": "increase",
        },
    )
    for i in range(14):
        improvement.point_save(
            measure=made,
            period=date(2025, 1, 1) + timedelta(days=31 * i),
            numerator=Decimal(20 + i % 3),
            actor=cast.coordinator,
        )
    return made


@pytest.fixture
def plan(cast: Any) -> Any:
    return ready_plan(partnership=cast.a, actor=cast.coordinator, title="Joint plan")


@pytest.fixture
def statement(cast: Any, framework: Any) -> Any:
    return services.statement_create(
        partnership=cast.a, title="Position statement", actor=cast.coordinator
    )
