"""The survey services' own refusals, with the words people see, and tagging comments:
a theme given twice is one tag, untagging takes it off, and quoting is undone once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.questionnaires.models import Answer
from howgood.surveys import selectors, services
from howgood.surveys.models import CommentTag, Survey
from tests.surveys.test_analysis import _gap_survey, survey  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_survey_is_refused_an_unpublished_or_foreign_questionnaire_and_wrong_dates(
    cast: Any,
    survey: Survey,  # noqa: F811
) -> None:
    today = timezone.localdate()
    args: dict[str, Any] = {
        "partnership": cast.a,
        "title": "Another",
        "version": survey.version,
        "audience": [cast.social_work],
        "opens_on": today,
        "closes_on": today + timedelta(days=7),
        "access_mode": "link",
        "actor": cast.coordinator,
    }

    def refused(**change: Any) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as error:
            services.survey_create(**{**args, **change})
        return error.value.message_dict

    assert refused(partnership=cast.b, audience=[]) == {
        "version": ["Choose a questionnaire of this partnership or one shipped with HowGood."]
    }
    assert refused(closes_on=today - timedelta(days=1)) == {
        "closes_on": ["The closing date must be the same as or after the opening date."]
    }
    other = cast.b.agencies.get()
    assert refused(audience=[other]) == {"audience": ["Choose agencies of this partnership."]}
    survey.version.status = "draft"
    assert refused() == {"version": ["Choose a published questionnaire."]}
    assert Survey.objects.count() == 1


def test_codes_come_in_batches_of_one_to_two_thousand(
    cast: Any,
    survey: Survey,  # noqa: F811
) -> None:
    for count in (0, 2001):
        with pytest.raises(ValidationError) as error:
            services.codes_generate(survey=survey, count=count, actor=cast.coordinator)
        assert error.value.message_dict == {"count": ["Make between 1 and 2,000 codes at a time."]}
    assert len(services.codes_generate(survey=survey, count=3, actor=cast.coordinator)) == 3


def test_answering_is_refused_before_the_survey_opens_and_outside_its_audience(
    cast: Any,
    survey: Survey,  # noqa: F811
) -> None:
    opens = timezone.localdate() + timedelta(days=3)
    Survey.objects.filter(pk=survey.pk).update(opens_on=opens)
    survey.refresh_from_db()
    with pytest.raises(services.SurveyRefused) as refused:
        services.response_start(survey=survey)
    assert str(refused.value) == f"This survey opens on {opens:%-d %B %Y}. Please come back then."

    Survey.objects.filter(pk=survey.pk).update(opens_on=timezone.localdate(), access_mode="codes")
    survey.refresh_from_db()
    with pytest.raises(services.SurveyRefused) as refused:
        services.response_start(survey=survey)
    assert str(refused.value) == "This survey needs an access code. Enter the code you were given."
    code = services.codes_generate(survey=survey, count=1, actor=cast.coordinator)[0].code
    with pytest.raises(services.SurveyRefused) as refused:
        services.response_start(survey=survey, code=code, agency=cast.b.agencies.get())
    assert str(refused.value) == "Choose one of the agencies listed."
    response = services.response_start(survey=survey, code=code.replace("-", ""))
    services.response_submit(response=response)
    with pytest.raises(services.SurveyRefused) as refused:
        services.response_save(response=response, values={}, section_index=1)
    assert str(refused.value) == "These answers have already been sent. Thank you."


def test_tagging_untagging_and_quoting_a_comment(
    cast: Any,
    survey: Survey,  # noqa: F811
) -> None:
    _gap_survey(cast, survey)
    key = selectors.comment_key(Answer.objects.get(value_text="Joint training helps").pk)
    with pytest.raises(ValidationError) as error:
        services.comment_tag(survey=survey, key=key, theme="   ", actor=cast.coordinator)
    assert error.value.message_dict == {"theme": ["Enter a theme for this comment."]}
    with pytest.raises(ValidationError) as error:
        services.comment_tag(survey=survey, key="nothing", theme="Training", actor=cast.lead)
    assert error.value.messages == ["That comment is not part of this survey."]

    tag = services.comment_tag(survey=survey, key=key, theme="Training", actor=cast.lead)
    again = services.comment_tag(survey=survey, key=key, theme="training", actor=cast.lead)
    assert again == tag
    assert CommentTag.objects.count() == 1
    services.comment_untag(survey=survey, tag_id=tag.pk, actor=cast.lead)
    services.comment_untag(survey=survey, tag_id=tag.pk, actor=cast.lead)  # already gone
    assert not CommentTag.objects.exists()
    untagged = AuditEvent.objects.filter(action="surveys.comment.untagged")
    assert [e.data for e in untagged] == [{"theme": "Training"}]

    services.comment_quote(survey=survey, key=key, quote=True, actor=cast.lead)
    services.comment_quote(survey=survey, key=key, quote=True, actor=cast.lead)
    services.comment_quote(survey=survey, key=key, quote=False, actor=cast.lead)
    services.comment_quote(survey=survey, key=key, quote=False, actor=cast.lead)
    actions = AuditEvent.objects.filter(action__startswith="surveys.comment.")
    assert [e.action for e in actions.order_by("pk")] == [
        "surveys.comment.tagged",
        "surveys.comment.untagged",
        "surveys.comment.quoted",
        "surveys.comment.unquoted",
    ]


def test_a_code_drawn_twice_is_drawn_again(
    cast: Any,
    survey: Survey,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn = iter(["AAAA-AAAA", "AAAA-AAAA", "BBBB-BBBB"])
    monkeypatch.setattr(services, "_code", lambda: next(drawn))
    made = services.codes_generate(survey=survey, count=2, actor=cast.coordinator)
    assert sorted(c.code for c in made) == ["AAAA-AAAA", "BBBB-BBBB"]
