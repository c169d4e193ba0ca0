"""Running a survey and answering it anonymously, through HTTP."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from howgood.core.models import AuditEvent
from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.questionnaires.models import Answer, Submission
from howgood.surveys import services
from howgood.surveys.models import AccessCode, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(cast, framework):  # type: ignore[no-untyped-def]
    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"p.xlsx": pulse_survey()},
        actor=cast.coordinator,
        kind="staff_survey",
    )
    version = qservices.version_publish(version=version, actor=cast.coordinator)
    opens, closes = (timezone.localdate(), timezone.localdate() + timedelta(days=20))
    return services.survey_create(
        partnership=cast.a,
        title="Staff survey",
        version=version,
        audience=[cast.social_work, cast.health],
        opens_on=opens,
        closes_on=closes,
        access_mode="both",
        actor=cast.coordinator,
    )


def answer_everything(client: Client, survey, agency_pk: int, code: str = "") -> None:  # type: ignore[no-untyped-def]
    token = survey.link_token
    start = client.post(reverse("surveys:start", args=[token]), {"agency": agency_pk, "code": code})
    assert start.status_code == 302, start.content.decode()[:3000]
    client.post(
        reverse("surveys:section", args=[token, 0]),
        {"role": "teacher", "years": "4", "_shown": "role years"},
    )
    client.post(
        reverse("surveys:section", args=[token, 1]),
        {
            "confident_risk": "agree",
            "ird_involved": "no",
            "_shown": "confident_risk ird_involved worked_with risk_comment",
        },
    )
    client.post(
        reverse("surveys:section", args=[token, 2]),
        {"supervision": "disagree", "_shown": "supervision last_training"},
    )
    done = client.post(reverse("surveys:check", args=[token]))
    assert done["Location"] == reverse("surveys:done", args=[token])


def test_coordinator_sets_up_a_survey_with_three_weeks_by_default(
    cast, framework, client_for
) -> None:  # type: ignore[no-untyped-def]
    page = client_for("coordinator").get(reverse("surveys:create")).content.decode()
    opens = timezone.localdate()
    assert (
        f'value="{opens.isoformat()}"' in page
        and f'value="{(opens + timedelta(days=20)).isoformat()}"' in page
    )


def test_anonymous_answering_stores_nothing_that_identifies(cast, survey) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    answer_everything(client, survey, cast.health.pk)
    response = Response.objects.get()
    assert response.complete and response.agency == cast.health
    field_names = {f.name for f in Response._meta.get_fields()} | {
        f.name for f in Submission._meta.get_fields()
    }
    assert not field_names & {
        "user",
        "ip",
        "ip_address",
        "session",
        "session_key",
        "created_at",
        "code",
        "access_code",
    }
    assert response.submission.submitted_on == timezone.localdate()
    assert not AuditEvent.objects.filter(target_type="surveys.response").exists()
    assert (
        Answer.objects.filter(submission=response.submission, item__name="supervision")
        .get()
        .value_text
        == "disagree"
    )
    # The browser keeps nothing of the response once it is sent: only "this survey is
    # done", in its own cookie (no session is made for the respondent at all).
    from django.core import signing

    kept = signing.loads(client.cookies["howgood_survey"].value, salt="howgood.surveys.respondent")
    assert kept == {"r": {}, "d": [survey.pk]}
    assert "sessionid" not in client.cookies


def test_codes_are_single_use_and_not_linked_to_responses(cast, survey) -> None:  # type: ignore[no-untyped-def]
    codes = services.codes_generate(survey=survey, count=3, actor=cast.coordinator)
    answer_everything(
        Client(), survey, cast.health.pk, code=codes[0].code.lower().replace("-", " ")
    )
    code = AccessCode.objects.get(pk=codes[0].pk)
    assert code.used
    assert {f.name for f in AccessCode._meta.get_fields()} == {
        "id",
        "survey",
        "code",
        "batch",
        "used",
    }
    again = Client().post(
        reverse("surveys:start", args=[survey.link_token]),
        {"agency": cast.health.pk, "code": codes[0].code},
    )
    assert again.status_code == 400 and b"already been used" in again.content
    wrong = Client().post(
        reverse("surveys:start", args=[survey.link_token]),
        {"agency": cast.health.pk, "code": "ZZZZ-ZZZZ"},
    )
    assert b"not right" in wrong.content


def test_double_submit_stores_one_response(cast, survey) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    answer_everything(client, survey, cast.social_work.pk)
    replay = client.post(
        reverse("surveys:check", args=[survey.link_token])
    )  # the button pressed again
    assert replay["Location"] == reverse("surveys:start", args=[survey.link_token])
    assert Response.objects.filter(complete=True).count() == 1 and Response.objects.count() == 1
    # Even a replay of the very same response's submit changes nothing.
    response = Response.objects.get()
    assert services.response_submit(response=response).complete
    assert Response.objects.count() == 1
    thanks = client.get(reverse("surveys:done", args=[survey.link_token]))
    assert b"Thank you" in thanks.content


def test_closed_survey_is_refused_clearly(cast, survey) -> None:  # type: ignore[no-untyped-def]
    services.survey_close(survey=survey, actor=cast.coordinator)
    page = Client().get(reverse("surveys:start", args=[survey.link_token]))
    assert page.status_code == 410 and b"has closed" in page.content


def test_save_and_resume_with_a_code(cast, survey) -> None:  # type: ignore[no-untyped-def]
    first = Client()
    first.post(reverse("surveys:start", args=[survey.link_token]), {"agency": cast.health.pk})
    first.post(
        reverse("surveys:section", args=[survey.link_token, 0]),
        {"role": "police", "later": "1", "_shown": "role years"},
    )
    saved = first.get(reverse("surveys:save", args=[survey.link_token])).content.decode()
    code = saved.split('data-testid="resume-code">')[1].split("<")[0]
    other = Client()  # a different device
    resumed = other.post(reverse("surveys:resume", args=[survey.link_token]), {"code": code})
    assert resumed["Location"] == reverse("surveys:section", args=[survey.link_token, 0])
    page = other.get(resumed["Location"]).content.decode()
    assert re.findall(r'<input[^>]* value="([^"]*)" checked', page) == ["police"]
    assert 'name="role" id="id_role_3" value="police" checked' in page
    bad = Client().post(reverse("surveys:resume", args=[survey.link_token]), {"code": "nope"})
    assert bad.status_code == 400


def test_a_response_cannot_be_reached_by_guessing(cast, survey) -> None:  # type: ignore[no-untyped-def]
    answer_everything(Client(), survey, cast.health.pk)
    stranger = Client()
    assert stranger.get(reverse("surveys:check", args=[survey.link_token]))["Location"] == reverse(
        "surveys:start", args=[survey.link_token]
    )
    assert Client().get(reverse("surveys:start", args=["not-a-survey"])).status_code == 404


def test_response_rates_by_agency(cast, survey, client_for) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        answer_everything(Client(), survey, cast.health.pk)
    page = client_for("viewer").get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    rates = page.split('data-testid="rates"')[1].split("</table>")[0]
    # While the survey is open, in batches of five (issue 10, item 6): 0 to 4 of 200.
    assert "A Health" in rates and "fewer than 5" in rates and "0% to 2%" in rates
    assert ">3<" not in rates
    services.survey_close(survey=survey, actor=cast.coordinator)
    page = client_for("viewer").get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    rates = page.split('data-testid="rates"')[1].split("</table>")[0]
    assert "A Health" in rates and ">3<" in rates and "2%" in rates  # 3 of 200
    assert (
        client_for("contributor").get(reverse("surveys:detail", args=[survey.pk])).status_code
        == 403
    )


def test_answering_a_section_takes_few_queries(cast, survey, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """The frozen questionnaire is loaded once per process, not on every page."""
    from howgood.questionnaires.rendering import VersionTree

    assert VersionTree.published(survey.version) is VersionTree.published(survey.version)
    client = Client()
    token = survey.link_token
    client.post(reverse("surveys:start", args=[token]), {"agency": cast.health.pk})
    with django_assert_num_queries(7):  # test_respondent_work.py says which
        saved = client.post(
            reverse("surveys:section", args=[token, 0]),
            {"role": "teacher", "years": "4", "_shown": "role years"},
        )
    assert saved.status_code == 302
    assert saved["Location"] == reverse("surveys:section", args=[token, 1])
    response = Response.objects.get(survey=survey)
    assert response.agency == cast.health
    assert {
        (a.item.name, a.value_text, a.value_number)
        for a in Answer.objects.filter(submission=response.submission).select_related("item")
    } == {("role", "teacher", None), ("years", "4", Decimal("4"))}


def test_drafts_are_never_kept(cast, framework) -> None:  # type: ignore[no-untyped-def]
    from howgood.questionnaires.rendering import VersionTree

    draft = qservices.questionnaire_import(
        partnership=cast.a, files={"p.xlsx": pulse_survey()}, actor=cast.coordinator
    )
    assert VersionTree.published(draft) is not VersionTree.published(draft)


def test_tampered_and_invalid_answers_get_a_clear_message(cast, survey) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    token = survey.link_token
    # An agency outside the survey's audience (a changed form) is refused at the field.
    outside = client.post(reverse("surveys:start", args=[token]), {"agency": cast.police.pk})
    assert outside.status_code == 400 and b"error-summary" in outside.content
    assert not Response.objects.exists()
    client.post(reverse("surveys:start", args=[token]), {"agency": cast.health.pk})
    # A choice that is not one of the options, and a number out of range.
    tampered = client.post(
        reverse("surveys:section", args=[token, 0]),
        {"role": "astronaut", "years": "400", "_shown": "role years"},
    )
    body = tampered.content.decode()
    assert tampered.status_code == 400 and "error-summary" in body
    assert Answer.objects.count() == 0  # nothing half-saved
    # Sending after the survey closed: a clear message, and the answers are not taken.
    client.post(
        reverse("surveys:section", args=[token, 0]),
        {"role": "teacher", "years": "4", "_shown": "role years"},
    )
    services.survey_close(survey=survey, actor=cast.coordinator)
    late = client.post(reverse("surveys:check", args=[token]))
    assert late.status_code == 410 and b"has closed" in late.content
    assert not Response.objects.filter(complete=True).exists()


def _sessions_holding(token: str) -> list[dict]:  # type: ignore[type-arg]
    """Every stored session that holds survey state or the response token."""
    from django.contrib.sessions.models import Session

    found = []
    for stored in Session.objects.all():
        data = stored.get_decoded()
        if token in repr(data) or any(key.startswith("howgood_survey") for key in data):
            found.append(data)
    return found


def test_a_signed_in_member_of_staff_answers_without_their_session_holding_the_response(
    cast, survey, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Issue 10, item 5: start signed in, save, finish on another signed-in device."""
    token = survey.link_token
    desk = client_for("viewer")
    desk.post(reverse("surveys:start", args=[token]), {"agency": cast.health.pk})
    response = Response.objects.get()
    desk.post(
        reverse("surveys:section", args=[token, 0]),
        {"role": "police", "years": "3", "later": "1", "_shown": "role years"},
    )
    saved = desk.get(reverse("surveys:save", args=[token])).content.decode()
    code = saved.split('data-testid="resume-code">')[1].split("<")[0]
    assert _sessions_holding(response.token) == []
    phone = client_for("viewer")  # the same person, signed in on another device
    resumed = phone.post(reverse("surveys:resume", args=[token]), {"code": code})
    assert resumed["Location"] == reverse("surveys:section", args=[token, 0])
    assert 'value="police"' in phone.get(resumed["Location"]).content.decode()
    phone.post(
        reverse("surveys:section", args=[token, 0]),
        {"role": "police", "years": "3", "_shown": "role years"},
    )
    phone.post(
        reverse("surveys:section", args=[token, 1]),
        {
            "confident_risk": "agree",
            "ird_involved": "no",
            "_shown": "confident_risk ird_involved worked_with risk_comment",
        },
    )
    phone.post(
        reverse("surveys:section", args=[token, 2]),
        {"supervision": "agree", "_shown": "supervision last_training"},
    )
    assert _sessions_holding(response.token) == []
    sent = phone.post(reverse("surveys:check", args=[token]))
    assert sent["Location"] == reverse("surveys:done", args=[token])
    assert b"Thank you" in phone.get(sent["Location"]).content
    response.refresh_from_db()
    assert response.complete
    # The signed-in sessions are still there (the person is still signed in), and hold
    # nothing about the survey: not the response, not even that it was answered.
    from django.contrib.sessions.models import Session

    signed_in = [s.get_decoded() for s in Session.objects.all()]
    assert len(signed_in) == 2 and all("_auth_user_id" in s for s in signed_in)
    assert _sessions_holding(response.token) == []
    # The respondent's own cookie says only that this survey is done, and is sent only
    # to the respondent pages.
    cookie = phone.cookies["howgood_survey"]
    assert cookie["path"] == "/s/" and cookie["httponly"]
    assert response.token not in cookie.value


def test_expired_sessions_are_cleared_by_the_daily_job(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    client_for("viewer")
    client_for("lead")
    Session.objects.filter(pk=Session.objects.order_by("expire_date").first().pk).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    call_command("clearsessions")
    assert Session.objects.count() == 1
    from pathlib import Path

    deployment = (Path(__file__).parents[2] / "docs" / "deployment.md").read_text()
    assert "manage.py clearsessions" in deployment
