"""Survey analysis: distributions, breakdowns with suppression, the flagged gap, comments, exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from howgood.partnerships.models import Agency
from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.surveys import services
from howgood.surveys.analysis import analyse

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(cast, framework):  # type: ignore[no-untyped-def]
    version = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.a,
            files={"p.xlsx": pulse_survey()},
            actor=cast.coordinator,
            kind="staff_survey",
        ),
        actor=cast.coordinator,
    )
    today = timezone.localdate()
    return services.survey_create(
        partnership=cast.a,
        title="Staff survey",
        version=version,
        audience=[cast.social_work, cast.health, cast.police],
        opens_on=today,
        closes_on=today + timedelta(days=20),
        access_mode="link",
        actor=cast.coordinator,
    )


def respond(
    survey,
    agency: Agency,
    confident: str,
    supervision: str,
    comment: str = "",
    role: str = "teacher",
) -> None:  # type: ignore[no-untyped-def]
    response = services.response_start(survey=survey, agency=agency)
    services.response_save(
        response=response,
        values={
            "role": role,
            "confident_risk": confident,
            "ird_involved": "no",
            "supervision": supervision,
            "risk_comment": comment,
        },
        section_index=2,
    )
    services.response_submit(response=response)


def test_gap_between_services_is_flagged_with_test_and_effect_size(cast, survey) -> None:  # type: ignore[no-untyped-def]
    for _ in range(12):
        respond(survey, cast.social_work, "strongly_agree", "agree")
        respond(survey, cast.health, "disagree", "agree")
    result = analyse(survey)
    confident = next(q for q in result.questions if q.item.name == "confident_risk")
    by_agency = next(b for b in confident.breakdowns if b.dimension == "agency")
    assert by_agency.shown and by_agency.flagged and by_agency.adjusted_p < 0.05
    assert "Kruskal" in by_agency.test.in_words(by_agency.adjusted_p)
    supervision = next(q for q in result.questions if q.item.name == "supervision")
    assert not next(b for b in supervision.breakdowns if b.dimension == "agency").flagged


def test_breakdowns_hide_small_groups_and_cells(cast, survey) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        respond(survey, cast.social_work, "agree", "agree")
    for _ in range(3):
        respond(survey, cast.health, "agree", "disagree")
    result = analyse(survey)
    supervision = next(q for q in result.questions if q.item.name == "supervision")
    by_agency = next(b for b in supervision.breakdowns if b.dimension == "agency")
    assert not by_agency.shown and "fewer than 5" in by_agency.reason
    for _ in range(3):
        respond(survey, cast.health, "agree", "agree")
    by_agency = next(
        b
        for b in next(
            q for q in analyse(survey).questions if q.item.name == "supervision"
        ).breakdowns
        if b.dimension == "agency"
    )
    assert by_agency.shown
    flat = [c for row in by_agency.rows for c in row]
    assert (
        3 not in flat and None in flat
    )  # the three "disagree" answers from health are hidden, with a complement


def test_analysis_page_and_comments_are_for_the_right_people(cast, survey, client_for) -> None:  # type: ignore[no-untyped-def]
    for i in range(6):
        respond(
            survey,
            cast.social_work,
            "agree",
            "agree",
            comment='=HYPERLINK("http://x")' if i == 0 else "More joint training",
        )
    viewer = client_for("viewer")
    page = viewer.get(reverse("surveys:analysis", args=[survey.pk]))
    assert page.status_code == 200 and b"More joint training" not in page.content
    assert viewer.get(reverse("surveys:comments", args=[survey.pk])).status_code == 403
    coordinator = client_for("coordinator")
    comments = coordinator.get(reverse("surveys:comments", args=[survey.pk])).content.decode()
    assert "More joint training" in comments
    from howgood.questionnaires.models import Answer

    answer = Answer.objects.filter(value_text="More joint training").first()
    coordinator.post(
        reverse("surveys:comments", args=[survey.pk]), {"answer": answer.pk, "theme": "Training"}
    )
    assert (
        "Training"
        in coordinator.get(reverse("surveys:comments", args=[survey.pk])).content.decode()
    )
    exported = coordinator.get(reverse("surveys:export", args=[survey.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Response", "Agency"] and len(rows) == 7
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    assert (
        client_for("viewer").get(reverse("surveys:export", args=[survey.pk, "csv"])).status_code
        == 403
    )
