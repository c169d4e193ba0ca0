"""Answering surveys on a phone-sized screen, with and without JavaScript, anonymously."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from howgood.questionnaires.models import QuestionnaireVersion
from howgood.surveys import services
from howgood.surveys.models import Response
from tests.browser.helpers import choose

pytestmark = pytest.mark.django_db(transaction=True)


def make_survey(cast: Any, form_id: str, title: str, access_mode: str = "link") -> Any:
    version = QuestionnaireVersion.objects.get(
        form_id=form_id, questionnaire__partnership__isnull=True
    )
    today = timezone.localdate()
    return services.survey_create(
        partnership=cast.a,
        title=title,
        version=version,
        audience=[cast.social_work, cast.health],
        opens_on=today,
        closes_on=today + timedelta(days=20),
        access_mode=access_mode,
        actor=cast.coordinator,
    )


@pytest.fixture
def surveys(cast: Any, framework: Any) -> dict[str, Any]:
    call_command("load_default_questionnaires", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        "staff": make_survey(cast, "howgood_staff_survey", "Staff survey, autumn", "both"),
        "children": make_survey(
            cast, "howgood_children_survey", "Children and young people's survey"
        ),
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_staff_member_answers_on_a_phone(
    cast: Any, surveys: dict[str, Any], new_page: Any, javascript: bool
) -> None:
    survey = surveys["staff"]
    page = new_page(javascript=javascript, width=390)
    page.go(f"/s/{survey.link_token}/")
    page.axe("survey start")
    choose(page, "agency", "A Health")
    page.get_by_role("button", name="Start").click()
    sections = 0
    while "Check your answers" not in page.locator("h1").inner_text():
        page.axe(f"survey section {sections}")
        radios = page.locator("input[type=radio]:visible")
        if radios.count():
            name = radios.first.get_attribute("name")
            choose(
                page,
                name,
                page.locator(f"label[for='{radios.first.get_attribute('id')}']")
                .inner_text()
                .strip(),
            )
        for required in ("job_type",):
            if page.locator(f"input[name={required}]").count():
                choose(
                    page,
                    required,
                    page.locator(
                        f"label[for='{page.locator(f'input[name={required}]').first.get_attribute('id')}']"
                    )
                    .inner_text()
                    .strip(),
                )
        page.get_by_role("button", name="Continue").click()
        if page.locator("#error-summary").count() and page.locator("#error-summary").is_visible():
            raise AssertionError(page.locator("#error-summary").inner_text())
        sections += 1
        assert sections < 15
    page.axe("survey check your answers")
    page.shot(f"survey-check-{'js' if javascript else 'nojs'}")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_selector("h1:has-text('Thank you')")
    page.axe("survey thanks")
    response = Response.objects.get(survey=survey)
    assert response.complete and response.agency == cast.health


def test_childrens_survey_has_a_hide_this_page_exit(
    cast: Any, surveys: dict[str, Any], new_page: Any
) -> None:
    survey = surveys["children"]
    page = new_page(width=390)
    page.go(f"/s/{survey.link_token}/")
    assert page.locator(".ds_hide-page__button").is_visible()
    assert "We will not ask your name" in page.content()
    page.axe("children's survey start")
    page.get_by_role("button", name="Start").click()
    page.axe("children's survey first page")
    page.shot("survey-children")
